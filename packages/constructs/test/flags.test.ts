import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AUDIT_FLAGS,
  auditFlags,
  auditFlagSpec,
  flagExistsIn,
  flagsToArgs,
  parseGoDuration,
  type AuditFlagOptions,
} from '../src/apiserver/flags.js';
import { parseKubernetesVersion } from '../src/apiserver/versions.js';

const v = (text: string) => {
  const parsed = parseKubernetesVersion(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.version;
};
const codes = (options: AuditFlagOptions, version = '1.20') => auditFlags(options, v(version)).problems.map((p) => `${p.severity}:${p.code}@${p.path}`);
const POLICY = '/etc/kubernetes/audit-policy.yaml';

describe('kubernetes versions', () => {
  it('parses 1.20, v1.20 and v1.20.2 and refuses others', () => {
    expect(parseKubernetesVersion('v1.20.2')).toEqual({ ok: true, version: { text: 'v1.20.2', minor: 20 } });
    expect(parseKubernetesVersion('1.8')).toMatchObject({ ok: true, version: { minor: 8 } });
    expect(parseKubernetesVersion('1.7').ok).toBe(false);
    expect(parseKubernetesVersion('1.37').ok).toBe(false);
    expect(parseKubernetesVersion('2.0').ok).toBe(false);
  });
});

describe('flag catalog', () => {
  it('has each flag once', () => {
    const names = AUDIT_FLAGS.map((flag) => flag.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('knows when flags appeared and disappeared', () => {
    const compress = auditFlagSpec('audit-log-compress')!;
    expect(flagExistsIn(compress, 19)).toBe(false);
    expect(flagExistsIn(compress, 20)).toBe(true);
    const dynamic = auditFlagSpec('audit-dynamic-configuration')!;
    expect([12, 13, 18, 19].map((m) => flagExistsIn(dynamic, m))).toEqual([false, true, true, false]);
    expect(flagExistsIn(auditFlagSpec('audit-log-truncate-enabled')!, 10)).toBe(false);
    expect(flagExistsIn(auditFlagSpec('audit-log-batch-max-size')!, 9)).toBe(false);
    expect(flagExistsIn(auditFlagSpec('audit-webhook-batch-max-size')!, 9)).toBe(true);
  });

  it('changes log rotation defaults in 1.36 and the event version default in 1.13', () => {
    const defaults = (minor: number) => ['audit-log-maxage', 'audit-log-maxbackup', 'audit-log-maxsize'].map((n) => auditFlagSpec(n)!.defaultIn(minor));
    expect(defaults(35)).toEqual(['0', '0', '0']);
    expect(defaults(36)).toEqual(['366', '100', '100']);
    expect(auditFlagSpec('audit-webhook-version')!.defaultIn(12)).toBe('audit.k8s.io/v1beta1');
    expect(auditFlagSpec('audit-webhook-version')!.defaultIn(13)).toBe('audit.k8s.io/v1');
    expect(auditFlagSpec('audit-webhook-batch-max-size')!.defaultIn(20)).toBe('400');
    expect(auditFlagSpec('audit-log-batch-max-size')!.defaultIn(20)).toBe('1');
  });

  it('parses Go durations', () => {
    expect(parseGoDuration('1m30s')).toBe(90e9);
    expect(parseGoDuration('0')).toBe(0);
    expect(parseGoDuration('0s')).toBe(0);
    expect(parseGoDuration('250ms')).toBe(250e6);
    expect(parseGoDuration('10')).toBeUndefined();
    expect(parseGoDuration('1 s')).toBeUndefined();
  });
});

describe('auditFlags', () => {
  it("renders the seeds' fluentd flags in catalog order", () => {
    const { flags, problems } = auditFlags({ policyFile: POLICY, log: { path: '/var/log/kube-audit', format: 'json' } }, v('1.20'));
    expect(problems).toEqual([]);
    expect(flagsToArgs(flags)).toEqual([
      '--audit-policy-file=/etc/kubernetes/audit-policy.yaml',
      '--audit-log-path=/var/log/kube-audit',
      '--audit-log-format=json',
    ]);
  });

  it('emits only the settings that were given, in a stable order', () => {
    const { flags } = auditFlags(
      {
        policyFile: POLICY,
        webhook: { configFile: '/etc/kubernetes/wh', initialBackoff: '5s', batch: { maxSize: 100, throttleQps: 2 }, truncate: { enabled: true } },
        log: { path: '/var/log/a.log', maxAge: 7, compress: true },
      },
      v('1.30'),
    );
    expect(flags.map((f) => f.name)).toEqual([
      'audit-policy-file', 'audit-log-path', 'audit-log-maxage', 'audit-log-compress',
      'audit-webhook-config-file', 'audit-webhook-initial-backoff', 'audit-webhook-batch-max-size',
      'audit-webhook-batch-throttle-qps', 'audit-webhook-truncate-enabled',
    ]);
  });

  it('refuses flags the version does not have', () => {
    expect(codes({ policyFile: POLICY, log: { path: '/a/b', compress: true } }, '1.19')).toEqual(['error:flag-not-in-version@log.compress']);
    expect(codes({ policyFile: POLICY, log: { path: '/a/b', truncate: { enabled: true } } }, '1.10')).toEqual(['error:flag-not-in-version@log.truncate.enabled']);
    expect(codes({ policyFile: POLICY, log: { path: '/a/b', mode: 'blocking-strict' } }, '1.12')).toEqual(['error:flag-not-in-version@log.mode']);
  });

  it('uses the 1.9 name of the initial backoff on 1.9', () => {
    const { flags } = auditFlags({ policyFile: POLICY, webhook: { configFile: '/k', initialBackoff: '3s' } }, v('1.9'));
    expect(flags.map((f) => f.name)).toContain('audit-webhook-batch-initial-backoff');
  });

  it('rejects batch settings outside batch mode', () => {
    expect(codes({ policyFile: POLICY, log: { path: '/a/b', batch: { maxSize: 10, maxWait: '1s' } } })).toEqual(['error:batch-only@log.batch']);
    expect(codes({ policyFile: POLICY, webhook: { configFile: '/k', mode: 'blocking', batch: { bufferSize: 10 } } })).toContain('error:batch-only@webhook.batch');
  });

  it('rejects a batch loop that would spin (max size > 1, max wait 0)', () => {
    expect(codes({ policyFile: POLICY, log: { path: '/a/b', mode: 'batch', batch: { maxSize: 100 } } })).toEqual(['error:batch-busy-loop@log.batch.maxWait']);
    expect(codes({ policyFile: POLICY, webhook: { configFile: '/k', batch: { maxWait: '0s' } } })).toEqual(['error:batch-busy-loop@webhook.batch.maxWait']);
    expect(codes({ policyFile: POLICY, log: { path: '/a/b', mode: 'batch', batch: { maxSize: 100, maxWait: '5s' } } })).toEqual([]);
    // max size 1 uses no timer, so 0 is harmless
    expect(codes({ policyFile: POLICY, log: { path: '/a/b', mode: 'batch' } })).toEqual([]);
  });

  it('requires positive QPS and burst only when throttled', () => {
    expect(codes({ policyFile: POLICY, webhook: { configFile: '/k', batch: { throttleQps: 0 } } })).toEqual(['error:throttle-qps@webhook.batch.throttleQps']);
    expect(codes({ policyFile: POLICY, log: { path: '/a', mode: 'batch', batch: { throttleEnable: true } } })).toEqual([
      'error:throttle-qps@log.batch.throttleQps',
      'error:throttle-burst@log.batch.throttleBurst',
    ]);
    expect(codes({ policyFile: POLICY, webhook: { configFile: '/k', batch: { throttleEnable: false, throttleQps: 0 } } })).toEqual(['warning:throttle-off@webhook.batch']);
  });

  it('requires the truncate batch size to hold one event', () => {
    expect(codes({ policyFile: POLICY, log: { path: '/a', truncate: { maxBatchSize: 1000, maxEventSize: 2000 } } })).toEqual(['error:truncate-batch-smaller@log.truncate.maxBatchSize']);
    // the default batch size (10 MiB) is smaller than this event size
    expect(codes({ policyFile: POLICY, webhook: { configFile: '/k', truncate: { maxEventSize: 20_000_000 } } })).toEqual(['error:truncate-batch-smaller@webhook.truncate.maxBatchSize']);
    expect(codes({ policyFile: POLICY, webhook: { configFile: '/k', truncate: { maxEventSize: 0 } } })).toEqual(['error:truncate-event-size@webhook.truncate.maxEventSize']);
  });

  it('checks formats, modes, rotation and durations', () => {
    expect(codes({ policyFile: POLICY, log: { path: '/a', format: 'xml' as 'json' } })).toEqual(['error:log-format@log.format']);
    expect(codes({ policyFile: POLICY, log: { path: '/a', mode: 'async' as 'batch' } })).toEqual(['error:mode@log.mode']);
    expect(codes({ policyFile: POLICY, log: { path: '/a', maxAge: -1 } })).toEqual(['error:negative-rotation@log.maxAge']);
    expect(codes({ policyFile: POLICY, log: { path: '/a', maxBackup: 1.5 } })).toEqual(['error:flag-not-integer@log.maxBackup']);
    expect(codes({ policyFile: POLICY, webhook: { configFile: '/k', initialBackoff: '10' } })).toEqual(['error:flag-not-duration@webhook.initialBackoff']);
  });

  it('warns that maxsize 0 rotates at 100 MiB before 1.36 only', () => {
    expect(codes({ policyFile: POLICY, log: { path: '/a', maxSize: 0 } }, '1.35')).toEqual(['warning:maxsize-zero@log.maxSize']);
    expect(codes({ policyFile: POLICY, log: { path: '/a', maxSize: 0 } }, '1.36')).toEqual([]);
  });

  it('treats - as stdout and warns that rotation does not apply there', () => {
    const { flags, problems } = auditFlags({ policyFile: POLICY, log: { path: '-', maxAge: 3 } }, v('1.20'));
    expect(flags[1]).toEqual({ name: 'audit-log-path', value: '-' });
    expect(problems.map((p) => p.code)).toEqual(['stdout-rotation']);
  });

  it('warns about blocking webhooks', () => {
    expect(codes({ policyFile: POLICY, webhook: { configFile: '/k', mode: 'blocking-strict' } })).toEqual(['warning:blocking-webhook@webhook.mode']);
  });

  it('says that backends without a policy audit nothing', () => {
    expect(codes({ log: { path: '/a' } })).toEqual(['error:no-policy-file@policyFile']);
  });

  it('checks event API versions per Kubernetes version', () => {
    expect(codes({ policyFile: POLICY, log: { path: '/a', version: 'audit.k8s.io/v1beta1' } }, '1.23')).toEqual([]);
    expect(codes({ policyFile: POLICY, log: { path: '/a', version: 'audit.k8s.io/v1beta1' } }, '1.24')).toEqual(['error:event-version@log.version']);
  });

  it('adds the three dynamic audit switches on 1.13 to 1.18 and refuses them elsewhere', () => {
    const { flags } = auditFlags({ dynamic: true }, v('1.13'));
    expect(flagsToArgs(flags)).toEqual([
      '--audit-dynamic-configuration=true',
      '--feature-gates=DynamicAuditing=true',
      '--runtime-config=auditregistration.k8s.io/v1alpha1=true',
    ]);
    const refused = auditFlags({ dynamic: true }, v('1.19'));
    expect(refused.flags).toEqual([]);
    expect(refused.problems[0]?.message).toMatch(/removed in 1\.19/);
  });
});

describe('auditFlags over generated options', () => {
  const durations = fc.constantFrom('0s', '5s', '1m30s', '250ms');
  const batch = fc.record({ bufferSize: fc.integer({ min: -1, max: 20000 }), maxSize: fc.integer({ min: 0, max: 500 }), maxWait: durations, throttleEnable: fc.boolean(), throttleQps: fc.integer({ min: 0, max: 50 }), throttleBurst: fc.integer({ min: 0, max: 50 }) }, { requiredKeys: [] });
  const truncate = fc.record({ enabled: fc.boolean(), maxBatchSize: fc.integer({ min: 0, max: 20_000_000 }), maxEventSize: fc.integer({ min: 0, max: 200_000 }) }, { requiredKeys: [] });
  const mode = fc.constantFrom('batch', 'blocking', 'blocking-strict') as fc.Arbitrary<'batch' | 'blocking' | 'blocking-strict'>;
  const options = fc.record(
    {
      policyFile: fc.constant('/etc/kubernetes/audit-policy.yaml'),
      log: fc.record({ path: fc.constantFrom('-', '/var/log/a.log'), maxAge: fc.integer({ min: -1, max: 400 }), compress: fc.boolean(), format: fc.constantFrom('json', 'legacy') as fc.Arbitrary<'json' | 'legacy'>, mode, batch, truncate }, { requiredKeys: ['path'] }),
      webhook: fc.record({ configFile: fc.constant('/etc/kubernetes/wh'), initialBackoff: durations, mode, batch, truncate }, { requiredKeys: ['configFile'] }),
      dynamic: fc.boolean(),
    },
    { requiredKeys: [] },
  );
  const minor = fc.integer({ min: 8, max: 36 });

  it('emits only flags that exist in the target version, each once, and the same flags every time', () => {
    fc.assert(
      fc.property(options, minor, (opts, m) => {
        const version = { text: `1.${m}`, minor: m };
        const first = auditFlags(opts, version);
        expect(auditFlags(opts, version)).toEqual(first);
        const names = first.flags.map((f) => f.name);
        expect(new Set(names).size).toBe(names.length);
        for (const name of names) {
          const spec = auditFlagSpec(name);
          if (spec) expect(flagExistsIn(spec, m)).toBe(true);
          else expect(['feature-gates', 'runtime-config']).toContain(name);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reports an error whenever batch settings come with a non-batch mode', () => {
    fc.assert(
      fc.property(options, minor, (opts, m) => {
        const problems = auditFlags(opts, { text: `1.${m}`, minor: m }).problems;
        for (const backend of ['log', 'webhook'] as const) {
          const b = opts[backend];
          const defaultMode = backend === 'log' ? 'blocking' : 'batch';
          const hasBatch = b?.batch && Object.keys(b.batch).length > 0;
          if (b && hasBatch && (b.mode ?? defaultMode) !== 'batch') {
            expect(problems.some((p) => p.code === 'batch-only' && p.path === `${backend}.batch`)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

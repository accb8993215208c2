import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditFlags, auditFlagSpec, checkAuditSettings, flagExistsIn, flagsToArgs, type AuditSettings } from '../src/index.js';

const version = (text: string) => ({ text, minor: Number(text.split('.')[1]), ...(text.split('.')[2] !== undefined ? { patch: Number(text.split('.')[2]) } : {}) });
const codes = (settings: AuditSettings, v = '1.30') => checkAuditSettings(settings, version(v)).map((p) => `${p.severity}:${p.code}@${p.path}`);
const POLICY = '/etc/kubernetes/audit-policy.yaml';
const LOG = '/var/log/kubernetes/audit/audit.log';
const KUBECONFIG = '/etc/kubernetes/audit-webhook-kubeconfig';

describe('auditFlags', () => {
  it("writes the seeds' fluentd flags in catalogue order", () => {
    const { flags, problems } = auditFlags({ policyFile: POLICY, log: { path: '/var/log/kube-audit', format: 'json' } }, version('1.20'));
    expect(problems).toEqual([]);
    expect(flagsToArgs(flags)).toEqual(['--audit-policy-file=/etc/kubernetes/audit-policy.yaml', '--audit-log-path=/var/log/kube-audit', '--audit-log-format=json']);
  });

  it('writes only the settings given, in a stable order', () => {
    const { flags } = auditFlags(
      {
        policyFile: POLICY,
        webhook: { kubeconfigPath: KUBECONFIG, initialBackoff: '5s', batch: { maxSize: 100, maxWait: '5s', throttleQps: 2 }, truncate: { enabled: true } },
        log: { path: LOG, maxAge: 7, compress: true, mode: 'blocking' },
      },
      version('1.30'),
    );
    expect(flags.map((f) => f.name)).toEqual([
      'audit-policy-file', 'audit-log-path', 'audit-log-maxage', 'audit-log-compress', 'audit-log-mode',
      'audit-webhook-config-file', 'audit-webhook-initial-backoff', 'audit-webhook-batch-max-size', 'audit-webhook-batch-max-wait',
      'audit-webhook-batch-throttle-qps', 'audit-webhook-truncate-enabled',
    ]);
  });

  it('uses the 1.9 name of the initial backoff on 1.9', () => {
    const { flags } = auditFlags({ policyFile: POLICY, webhook: { kubeconfigPath: KUBECONFIG, initialBackoff: '3s' } }, version('1.9'));
    expect(flags.map((f) => f.name)).toContain('audit-webhook-batch-initial-backoff');
  });

  it('adds the three dynamic audit switches on 1.13 to 1.18 and refuses them elsewhere', () => {
    expect(flagsToArgs(auditFlags({ dynamic: true }, version('1.13')).flags)).toEqual(['--audit-dynamic-configuration=true', '--feature-gates=DynamicAuditing=true', '--runtime-config=auditregistration.k8s.io/v1alpha1=true']);
    const refused = auditFlags({ dynamic: true }, version('1.19'));
    expect(refused.flags).toEqual([]);
    expect(refused.problems.map((p) => p.code)).toEqual(['dynamic-not-in-version']);
    expect(auditFlags({ dynamic: false }, version('1.30'))).toEqual({ flags: [], problems: [] });
  });
});

describe('what the apiserver refuses at start-up (AuditOptions.Validate)', () => {
  it('batch settings must be positive in batch mode only', () => {
    expect(codes({ policyFile: POLICY, log: { path: LOG, mode: 'batch', batch: { bufferSize: 0 } } })).toEqual(['error:batch-positive@log.batch.bufferSize']);
    expect(codes({ policyFile: POLICY, webhook: { kubeconfigPath: KUBECONFIG, batch: { maxSize: 0 } } })).toEqual(['error:batch-positive@webhook.batch.maxSize']);
  });

  it('QPS and burst must be positive when throttled; 1.10 and 1.11 check them even when not', () => {
    expect(codes({ policyFile: POLICY, webhook: { kubeconfigPath: KUBECONFIG, batch: { throttleQps: 0 } } })).toEqual(['error:throttle-qps@webhook.batch.throttleQps']);
    expect(codes({ policyFile: POLICY, log: { path: LOG, mode: 'batch', batch: { throttleEnable: true } } })).toEqual(['error:throttle-qps@log.batch.throttleQps', 'error:throttle-burst@log.batch.throttleBurst']);
    expect(codes({ policyFile: POLICY, webhook: { kubeconfigPath: KUBECONFIG, batch: { throttleEnable: false, throttleQps: 0 } } })).toEqual(['warning:throttle-off@webhook.batch']);
    expect(codes({ policyFile: POLICY, webhook: { kubeconfigPath: KUBECONFIG, batch: { throttleEnable: false, throttleQps: 0 } } }, '1.11')).toEqual(['error:throttle-qps@webhook.batch.throttleQps']);
    // 1.10's log batch defaults are the webhook's with throttling off: still valid.
    expect(codes({ policyFile: POLICY, log: { path: LOG, mode: 'batch' } }, '1.10')).toEqual([]);
  });

  it('1.9 checks the webhook batch settings whatever the mode', () => {
    expect(codes({ policyFile: POLICY, webhook: { kubeconfigPath: KUBECONFIG, mode: 'blocking', batch: { bufferSize: 0 } } }, '1.9')).toEqual(['error:batch-only@webhook.batch', 'error:batch-positive@webhook.batch.bufferSize', 'warning:blocking-webhook@webhook.mode']);
  });

  it('the truncate batch size must hold one event, checked even with truncation off', () => {
    expect(codes({ policyFile: POLICY, log: { path: LOG, truncate: { enabled: true, maxBatchSize: 1000, maxEventSize: 2000 } } })).toEqual(['error:truncate-batch-smaller@log.truncate.maxBatchSize']);
    expect(codes({ policyFile: POLICY, webhook: { kubeconfigPath: KUBECONFIG, truncate: { enabled: true, maxEventSize: 20_000_000 } } })).toEqual(['error:truncate-batch-smaller@webhook.truncate.maxBatchSize']);
    expect(codes({ policyFile: POLICY, webhook: { kubeconfigPath: KUBECONFIG, truncate: { maxEventSize: 0 } } })).toEqual(['error:truncate-event-size@webhook.truncate.maxEventSize', 'warning:truncate-off@webhook.truncate']);
  });

  it('formats, modes, rotation, event versions', () => {
    expect(codes({ policyFile: POLICY, log: { path: LOG, format: 'xml' as 'json' } })).toEqual(['error:log-format@log.format']);
    expect(codes({ policyFile: POLICY, log: { path: LOG, mode: 'async' as 'batch' } })).toEqual(['error:mode@log.mode']);
    expect(codes({ policyFile: POLICY, log: { path: LOG, maxAge: -1 } })).toEqual(['error:negative-rotation@log.maxAge']);
    expect(codes({ policyFile: POLICY, log: { path: LOG, version: 'audit.k8s.io/v1beta1' } }, '1.20')).toEqual([]);
    expect(codes({ policyFile: POLICY, log: { path: LOG, version: 'audit.k8s.io/v1beta1' } }, '1.23')).toEqual(['warning:event-version-deprecated@log.version']);
    expect(codes({ policyFile: POLICY, log: { path: LOG, version: 'audit.k8s.io/v1beta1' } }, '1.24')).toEqual(['error:event-version@log.version']);
    expect(codes({ policyFile: POLICY, log: { path: LOG, version: 'audit.k8s.io/v1' } }, '1.11')).toEqual(['error:event-version@log.version']);
  });
});

describe('the traps the apiserver lets through', () => {
  it('flags of other releases', () => {
    expect(codes({ policyFile: POLICY, log: { path: LOG, compress: true } }, '1.19')).toEqual(['error:flag-not-in-version@log.compress']);
    expect(codes({ policyFile: POLICY, log: { path: LOG, truncate: { enabled: true } } }, '1.10')).toEqual(['error:flag-not-in-version@log.truncate.enabled']);
    expect(codes({ policyFile: POLICY, log: { path: LOG, mode: 'blocking-strict' } }, '1.12')).toEqual(['error:flag-not-in-version@log.mode']);
    expect(codes({ policyFile: POLICY, webhook: { kubeconfigPath: KUBECONFIG, batch: { throttleEnable: true } } }, '1.9')).toEqual(['error:flag-not-in-version@webhook.batch.throttleEnable']);
  });

  it('batch settings outside batch mode are ignored', () => {
    expect(codes({ policyFile: POLICY, log: { path: LOG, batch: { maxSize: 10, maxWait: '1s' } } })).toEqual(['error:batch-only@log.batch']);
    expect(codes({ policyFile: POLICY, webhook: { kubeconfigPath: KUBECONFIG, mode: 'blocking', batch: { bufferSize: 10 } } })).toContain('error:batch-only@webhook.batch');
  });

  it('a batch loop that spins (max size > 1, max wait 0 or less)', () => {
    expect(codes({ policyFile: POLICY, log: { path: LOG, mode: 'batch', batch: { maxSize: 100 } } })).toEqual(['error:batch-busy-loop@log.batch.maxWait']);
    expect(codes({ policyFile: POLICY, webhook: { kubeconfigPath: KUBECONFIG, batch: { maxWait: '0s' } } })).toEqual(['error:batch-busy-loop@webhook.batch.maxWait']);
    expect(codes({ policyFile: POLICY, webhook: { kubeconfigPath: KUBECONFIG, batch: { maxWait: '-1s' } } })).toEqual(['error:batch-busy-loop@webhook.batch.maxWait']);
    expect(codes({ policyFile: POLICY, log: { path: LOG, mode: 'batch', batch: { maxSize: 100, maxWait: '5s' } } })).toEqual([]);
    expect(codes({ policyFile: POLICY, log: { path: LOG, mode: 'batch' } })).toEqual([]); // one event per batch uses no timer
  });

  it('maxsize 0 rotates at 100 MiB up to 1.35, and from 1.36 turns rotation off', () => {
    expect(codes({ policyFile: POLICY, log: { path: LOG, maxSize: 0 } }, '1.35')).toEqual(['warning:maxsize-zero@log.maxSize']);
    expect(codes({ policyFile: POLICY, log: { path: LOG, maxSize: 0 } }, '1.36')).toEqual([]);
    expect(codes({ policyFile: POLICY, log: { path: LOG, maxSize: 0, maxAge: 30 } }, '1.36')).toEqual(['warning:rotation-off@log.maxSize']);
  });

  it('stdout is not rotated', () => {
    const { flags, problems } = auditFlags({ policyFile: POLICY, log: { path: '-', maxAge: 3 } }, version('1.20'));
    expect(flags[1]).toEqual({ name: 'audit-log-path', value: '-' });
    expect(problems.map((p) => p.code)).toEqual(['stdout-rotation']);
  });

  it('blocking webhooks, and webhooks that retry without waiting', () => {
    const [blocking] = checkAuditSettings({ policyFile: POLICY, webhook: { kubeconfigPath: KUBECONFIG, mode: 'blocking-strict' } }, version('1.30'));
    expect(blocking).toMatchObject({ severity: 'warning', code: 'blocking-webhook', path: 'webhook.mode' });
    expect(blocking!.message).toContain('5 attempts with 4 sleeps between them: 10 s, 15 s, 22.5 s and 33.75 s');
    expect(codes({ policyFile: POLICY, webhook: { kubeconfigPath: KUBECONFIG, initialBackoff: '0s' } })).toEqual(['warning:no-backoff@webhook.initialBackoff']);
  });

  it('backends without a policy audit nothing', () => {
    expect(codes({ log: { path: LOG } })).toEqual(['error:no-policy-file@policyFile']);
  });

  it('unknown settings get a did-you-mean, values of the wrong type an error, and missing paths are named', () => {
    const settings = { policyFile: POLICY, log: { path: LOG, maxsize: 10, batch: { maxWiat: '5s' } }, webhok: {} } as unknown as AuditSettings;
    expect(checkAuditSettings(settings, version('1.30')).map((p) => [p.code, p.path, p.fix])).toEqual([
      ['unknown-setting', 'webhok', 'did you mean webhook?'],
      ['unknown-setting', 'log.maxsize', 'did you mean log.maxSize?'],
      ['unknown-setting', 'log.batch.maxWiat', 'did you mean log.batch.maxWait?'],
    ]);
    expect(codes({ policyFile: POLICY, log: { path: LOG, maxBackup: 1.5, compress: 'yes' as unknown as boolean } })).toEqual(['error:flag-not-integer@log.maxBackup', 'error:flag-not-boolean@log.compress']);
    expect(codes({ policyFile: POLICY, webhook: {} as never })).toEqual(['error:missing-setting@webhook.kubeconfigPath']);
    expect(codes({ policyFile: POLICY, webhook: { kubeconfigPath: KUBECONFIG, initialBackoff: '10' } })).toEqual(['error:flag-not-duration@webhook.initialBackoff']);
    expect(codes('nonsense' as never)).toEqual(['error:invalid-type@']);
  });
});

describe('auditFlags over generated settings', () => {
  const durations = fc.constantFrom('0s', '5s', '1m30s', '250ms', '-1s');
  const batch = fc.record({ bufferSize: fc.integer({ min: -1, max: 20000 }), maxSize: fc.integer({ min: 0, max: 500 }), maxWait: durations, throttleEnable: fc.boolean(), throttleQps: fc.integer({ min: 0, max: 50 }), throttleBurst: fc.integer({ min: 0, max: 50 }) }, { requiredKeys: [] });
  const truncate = fc.record({ enabled: fc.boolean(), maxBatchSize: fc.integer({ min: 0, max: 20_000_000 }), maxEventSize: fc.integer({ min: 0, max: 200_000 }) }, { requiredKeys: [] });
  const mode = fc.constantFrom('batch', 'blocking', 'blocking-strict') as fc.Arbitrary<'batch' | 'blocking' | 'blocking-strict'>;
  const settings = fc.record(
    {
      policyFile: fc.constant(POLICY),
      log: fc.record({ path: fc.constantFrom('-', LOG), maxAge: fc.integer({ min: -1, max: 400 }), maxSize: fc.integer({ min: 0, max: 10 }), compress: fc.boolean(), format: fc.constantFrom('json', 'legacy') as fc.Arbitrary<'json' | 'legacy'>, mode, batch, truncate }, { requiredKeys: ['path'] }),
      webhook: fc.record({ kubeconfigPath: fc.constant(KUBECONFIG), initialBackoff: durations, mode, batch, truncate }, { requiredKeys: ['kubeconfigPath'] }),
      dynamic: fc.boolean(),
    },
    { requiredKeys: [] },
  );
  const minor = fc.integer({ min: 8, max: 36 });

  it('writes only flags the release has, each once, the same every time, and every argument safe', () => {
    fc.assert(
      fc.property(settings, minor, (s, m) => {
        const v = { text: `1.${m}`, minor: m };
        const first = auditFlags(s, v);
        expect(auditFlags(s, v)).toEqual(first);
        const names = first.flags.map((f) => f.name);
        expect(new Set(names).size).toBe(names.length);
        for (const name of names) {
          const spec = auditFlagSpec(name);
          if (spec) expect(flagExistsIn(spec, m)).toBe(true);
          else expect(['feature-gates', 'runtime-config']).toContain(name);
        }
        expect(() => flagsToArgs(first.flags)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('reports an error whenever batch settings come with a non-batch mode', () => {
    fc.assert(
      fc.property(settings, minor, (s, m) => {
        const problems = checkAuditSettings(s, { text: `1.${m}`, minor: m });
        for (const backend of ['log', 'webhook'] as const) {
          const b = s[backend];
          const defaultMode = backend === 'log' ? 'blocking' : 'batch';
          const modeExists = backend === 'webhook' || m >= 10;
          const hasBatch = b?.batch && Object.keys(b.batch).length > 0;
          // A mode the release does not have is reported on its own and stops the backend's checks, as in the apiserver.
          const modeWritable = b?.mode === undefined || (modeExists && (b.mode !== 'blocking-strict' || m >= 13));
          const effectiveMode = b?.mode ?? defaultMode;
          if (b && hasBatch && modeWritable && effectiveMode !== 'batch') expect(problems.some((p) => p.code === 'batch-only' && p.path === `${backend}.batch`)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

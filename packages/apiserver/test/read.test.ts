import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditFlags, checkAuditSettings, flagsToArgs, parseGoInteger, readAuditFlags, type AuditSettings } from '../src/index.js';

const v20 = { text: '1.20', minor: 20 };
const at = (args: string[], version?: { text: string; minor: number }) => readAuditFlags(args, version).problems.map((p) => `${p.severity}:${p.code}@${p.path}`);

describe('readAuditFlags', () => {
  it('reads --name=value and --name value, skips the binary and other flags', () => {
    const { settings, problems } = readAuditFlags(['kube-apiserver', '--advertise-address=10.0.0.1', '--audit-policy-file', '/etc/kubernetes/audit-policy.yaml', '--v', '2', '--audit-log-path=/var/log/audit.log', '--audit-log-batch-max-size', '100', '--audit-log-mode=batch', '--audit-log-compress']);
    expect(problems).toEqual([]);
    expect(settings).toEqual({ policyFile: '/etc/kubernetes/audit-policy.yaml', log: { path: '/var/log/audit.log', batch: { maxSize: 100 }, mode: 'batch', compress: true } });
  });

  it('reads numbers and booleans as pflag does', () => {
    expect(['10000', '0x10', '0o17', '017', '0b101', '1_000', '-5', '0'].map(parseGoInteger)).toEqual([10000, 16, 15, 15, 5, 1000, -5, 0]);
    expect(['1e3', '08', '1__0', '_1', '1_', '', '9223372036854775808', '1.0'].map(parseGoInteger)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
    const { settings } = readAuditFlags(['--audit-webhook-config-file=/k', '--audit-webhook-batch-throttle-enable=F', '--audit-webhook-batch-throttle-qps=2.5', '--audit-webhook-truncate-enabled=1']);
    expect(settings.webhook).toEqual({ kubeconfigPath: '/k', batch: { throttleEnable: false, throttleQps: 2.5 }, truncate: { enabled: true } });
  });

  it('refuses what the apiserver refuses: unknown audit flags, bad values, positional arguments', () => {
    expect(at(['--audit-log-path=/a', '--audit-log-maxsizee=5'])).toEqual(['error:unknown-flag@args[1]']);
    expect(readAuditFlags(['--audit-log-maxsizee=5']).problems[0]!.fix).toBe('did you mean --audit-log-maxsize?');
    expect(readAuditFlags(['--audit-\u001b[2J=1']).problems[0]!.message).not.toContain('\u001b');
    expect(at(['--audit-log-path=/a', '--audit-log-maxage=7d'])).toEqual(['error:invalid-flag-value@args[1]']);
    expect(at(['--audit-webhook-config-file=/k', '--audit-webhook-batch-max-wait=bogus'])).toEqual(['error:invalid-flag-value@args[1]']);
    // A boolean flag never takes the next argument: "false" is a positional argument.
    expect(at(['--audit-log-path=/a', '--audit-log-compress', 'false'])).toEqual(['error:positional-argument@args[2]']);
    expect(at(['--audit-log-path'])).toEqual(['error:missing-value@args[0]']);
    expect(at(['--audit-log-compress=true', '--audit-log-path=/a'], { text: '1.19', minor: 19 })).toEqual(['error:flag-not-in-version@args[0]']);
  });

  it('warns about flags that do nothing and flags given twice', () => {
    expect(at(['--audit-log-maxage=7'])).toEqual(['warning:backend-off@args[0]']);
    expect(readAuditFlags(['--audit-log-maxage=7']).settings).toEqual({});
    expect(at(['--audit-log-path=/a', '--audit-log-maxage=7', '--audit-log-maxage=30'])).toEqual(['warning:repeated-flag@args[2]']);
    expect(readAuditFlags(['--audit-log-path=/a', '--audit-log-maxage=7', '--audit-log-maxage=30']).settings.log?.maxAge).toBe(30);
    expect(readAuditFlags(['--audit-webhook-config-file=/k', '--audit-webhook-batch-initial-backoff=5s']).settings.webhook?.initialBackoff).toBe('5s');
  });

  it('checks the switches dynamic audit needs', () => {
    expect(at(['--audit-dynamic-configuration'])).toEqual(['error:dynamic-feature-gate@args[0]', 'warning:dynamic-api-off@args[0]']);
    expect(at(['--audit-dynamic-configuration', '--feature-gates=Foo=false,DynamicAuditing=true', '--runtime-config=auditregistration.k8s.io/v1alpha1=true'])).toEqual([]);
  });

  it('reads the flags auditFlags writes back to the same settings', () => {
    const settings = fc.record(
      {
        policyFile: fc.constant('/etc/kubernetes/audit-policy.yaml'),
        log: fc.record({ path: fc.constantFrom('-', '/var/log/a.log'), maxAge: fc.nat(400), maxBackup: fc.nat(50), compress: fc.boolean(), format: fc.constantFrom('json', 'legacy') as fc.Arbitrary<'json' | 'legacy'>, mode: fc.constant('batch' as const), batch: fc.record({ bufferSize: fc.integer({ min: 1, max: 20000 }), maxWait: fc.constantFrom('5s', '1m30s') }, { requiredKeys: [] }) }, { requiredKeys: ['path'] }),
        webhook: fc.record({ kubeconfigPath: fc.constant('/etc/kubernetes/w'), initialBackoff: fc.constantFrom('10s', '1.5s'), truncate: fc.record({ enabled: fc.boolean(), maxEventSize: fc.integer({ min: 1, max: 100000 }) }, { requiredKeys: [] }), version: fc.constant('audit.k8s.io/v1') }, { requiredKeys: ['kubeconfigPath'] }),
      },
      { requiredKeys: ['policyFile'] },
    );
    fc.assert(
      fc.property(settings, (s: AuditSettings) => {
        const { flags, problems } = auditFlags(s, v20);
        fc.pre(problems.every((p) => p.severity !== 'error'));
        const back = readAuditFlags(flagsToArgs(flags), v20);
        expect(back.problems).toEqual([]);
        // An empty batch or truncate object writes no flag, so it cannot come back.
        const withoutEmpty = (value: unknown): unknown =>
          value !== null && typeof value === 'object'
            ? Object.fromEntries(Object.entries(value).filter(([, v]) => !(v !== null && typeof v === 'object' && Object.keys(v).length === 0)).map(([k, v]) => [k, withoutEmpty(v)]))
            : value;
        expect(back.settings).toEqual(withoutEmpty(s));
        expect(checkAuditSettings(back.settings, v20)).toEqual(problems);
      }),
      { numRuns: 200 },
    );
  });
});

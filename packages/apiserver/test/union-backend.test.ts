// The union backend trap, against the release history read from kubernetes/apiserver's tags.
import { describe, expect, it } from 'vitest';
import { APISERVER_GO_DIRECTIVE, checkAuditSettings, perIterationLoopVariables, unionBackendProblems, unionStartsEveryBackend, type AuditSettings } from '../src/index.js';

const v = (text: string) => {
  const [, minor, patch] = text.split('.').map(Number);
  return { text, minor: minor!, ...(patch !== undefined ? { patch } : {}) };
};
const both: AuditSettings = {
  policyFile: '/etc/kubernetes/audit-policy.yaml',
  log: { path: '/var/log/kubernetes/audit/audit.log', mode: 'batch' },
  webhook: { kubeconfigPath: '/etc/kubernetes/audit-webhook-kubeconfig' },
};
const codes = (settings: AuditSettings, text: string) => checkAuditSettings(settings, v(text)).map((p) => `${p.severity}:${p.code}@${p.path}`);

describe('which releases start every member of the union', () => {
  it('reads the go directive rule: go 1.22 or later gives a variable per iteration', () => {
    expect(['1.21', '1.22.0', '1.26.0', '2.0'].map(perIterationLoopVariables)).toEqual([false, true, true, true]);
    const perIteration = Object.entries(APISERVER_GO_DIRECTIVE).filter(([, directive]) => perIterationLoopVariables(directive)).map(([minor]) => Number(minor));
    expect(Math.min(...perIteration)).toBe(30);
  });

  it('has the trap up to 1.21, in the early patches of 1.22 to 1.24, and not from 1.25', () => {
    expect(['1.8', '1.10', '1.20.2', '1.21.14', '1.22.10', '1.23.7', '1.24.1'].map((t) => unionStartsEveryBackend(v(t)))).toEqual([false, false, false, false, false, false, false]);
    expect(['1.22.11', '1.23.8', '1.24.2', '1.25', '1.29', '1.30', '1.36'].map((t) => unionStartsEveryBackend(v(t)))).toEqual([true, true, true, true, true, true, true]);
    expect(['1.22', '1.23', '1.24'].map((t) => unionStartsEveryBackend(v(t)))).toEqual([undefined, undefined, undefined]);
  });
});

describe('the trap as problems', () => {
  it('the measured case on 1.20.2: a batch-mode log beside a webhook is never written, and shutdown panics', () => {
    expect(codes(both, '1.20.2')).toEqual(['error:union-log-never-started@log.mode', 'warning:union-shutdown-panic@webhook.mode']);
    const [never] = checkAuditSettings(both, v('1.20.2'));
    expect(never!.message).toContain('log file is never written');
    expect(never!.fix).toContain('1.25');
  });

  it('is a warning when the patch release decides it and is not named, and nothing once fixed', () => {
    expect(codes(both, '1.24')).toEqual(['warning:union-log-never-started@log.mode', 'warning:union-shutdown-panic@webhook.mode']);
    expect(codes(both, '1.24.2')).toEqual([]);
    expect(codes(both, '1.30')).toEqual([]);
  });

  it('needs two backends; a blocking log is started by nobody and needs nothing', () => {
    expect(codes({ ...both, webhook: undefined }, '1.20')).toEqual([]);
    expect(codes({ ...both, log: { path: '/var/log/a.log' } }, '1.20')).toEqual(['warning:union-shutdown-panic@webhook.mode']);
    expect(codes({ ...both, webhook: { kubeconfigPath: '/etc/kubernetes/w', mode: 'blocking' } }, '1.20').filter((c) => c.includes('union'))).toEqual(['error:union-log-never-started@log.mode']);
  });

  it('with AuditSinks (1.13 to 1.18) the webhook before them is never started either', () => {
    expect(unionBackendProblems({ webhook: { batch: true }, dynamic: true }, v('1.16')).map((p) => p.code)).toEqual(['union-webhook-never-started']);
    expect(unionBackendProblems({ log: { batch: true }, dynamic: true }, v('1.16')).map((p) => p.code)).toEqual(['union-log-never-started']);
    expect(unionBackendProblems({ log: { batch: true }, dynamic: true }, v('1.19'))).toEqual([]);
  });
});

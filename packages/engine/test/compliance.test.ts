// Compliance checks: benchmark numbering by version, rotation judged on what each release does,
// the set-ups without a log file, the union trap through the apiserver model, the policy content
// with probes, the readers of the files flags live in, and the three output formats.
import { describe, expect, it } from 'vitest';
import { auditFlags, flagsToArgs, kubeadmClusterConfigurationYaml, podJsonPatch, STATIC_POD_TARGET } from '@k8s-gen/apiserver';
import type { Policy } from '@k8s-gen/audit';
import { checkCompliance, COMPLIANCE_BENCHMARKS, formatComplianceReport, readApiserverArgs, type ComplianceReport } from '../src/index.js';

const POLICY = '--audit-policy-file=/etc/kubernetes/audit-policy.yaml';
const LOG = '--audit-log-path=/var/log/kubernetes/audit/audit.log';
const ROTATION = ['--audit-log-maxage=30', '--audit-log-maxbackup=10', '--audit-log-maxsize=100'];
const status = (report: ComplianceReport, control: string) => report.findings.find((finding) => finding.control === control)?.status;
const byCode = (report: ComplianceReport, code: string) => report.findings.find((finding) => finding.code === code)!;
const metadataPolicy: Policy = { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'Metadata' }] };

describe('benchmark numbering', () => {
  it('names the same checks by each version’s numbers', () => {
    const args = [POLICY, LOG, ...ROTATION];
    const numbers = (benchmark: string) => checkCompliance({ args, benchmark }).findings.map((finding) => `${finding.code}=${finding.control}`);
    expect(numbers('cis-1.6').slice(0, 4)).toEqual(['audit-log-path=1.2.22', 'audit-log-maxage=1.2.23', 'audit-log-maxbackup=1.2.24', 'audit-log-maxsize=1.2.25']);
    expect(numbers('cis-1.9').slice(0, 4)).toEqual(['audit-log-path=1.2.16', 'audit-log-maxage=1.2.17', 'audit-log-maxbackup=1.2.18', 'audit-log-maxsize=1.2.19']);
    expect(numbers('cis-1.8').slice(0, 1)).toEqual(['audit-log-path=1.2.17']);
    expect(numbers('cis-1.7').slice(0, 1)).toEqual(['audit-log-path=1.2.18']);
    expect(numbers('stig')).toEqual(expect.arrayContaining(['audit-log-path=V-242402', 'audit-log-path=V-242465', 'audit-log-maxage=V-242464', 'audit-log-maxbackup=V-242463', 'audit-log-maxsize=V-242462', 'audit-policy-file=V-242461']));
    for (const benchmark of Object.keys(COMPLIANCE_BENCHMARKS)) {
      expect(checkCompliance({ args, policy: metadataPolicy, benchmark }).findings.every((finding) => finding.status === 'pass'), benchmark).toBe(true);
    }
  });

  it('an unknown benchmark or version is a problem, not an exception', () => {
    expect(checkCompliance({ args: [], benchmark: 'cis-9.9' }).problems).toMatchObject([{ code: 'unknown-benchmark' }]);
    expect(checkCompliance({ args: [], kubernetesVersion: 'banana' }).problems).toMatchObject([{ code: 'kubernetes-version' }]);
  });
});

describe('rotation judged on what the release does', () => {
  it('unset maxage and maxbackup keep everything before 1.36 (warn) and are 366 days and 100 files from 1.36 (pass)', () => {
    const old = checkCompliance({ args: [POLICY, LOG, '--audit-log-maxsize=100'], kubernetesVersion: '1.35' });
    expect(byCode(old, 'audit-log-maxage')).toMatchObject({ status: 'warn', message: expect.stringContaining('kept without limit') });
    expect(byCode(old, 'audit-log-maxbackup').status).toBe('warn');
    const now = checkCompliance({ args: [POLICY, LOG], kubernetesVersion: '1.36' });
    expect(byCode(now, 'audit-log-maxage')).toMatchObject({ status: 'pass', message: expect.stringContaining('366 days') });
    expect(byCode(now, 'audit-log-maxbackup')).toMatchObject({ status: 'pass', message: expect.stringContaining('100 files') });
    expect(byCode(now, 'audit-log-maxsize')).toMatchObject({ status: 'pass', message: expect.stringContaining('100 MiB') });
  });

  it('maxsize 0 still rotates at 100 MiB before 1.36 and disables rotation from 1.36', () => {
    const args = [POLICY, LOG, '--audit-log-maxage=30', '--audit-log-maxbackup=10', '--audit-log-maxsize=0'];
    expect(byCode(checkCompliance({ args, kubernetesVersion: '1.30' }), 'audit-log-maxsize')).toMatchObject({ status: 'warn', message: expect.stringContaining('100 MiB') });
    const now = checkCompliance({ args, kubernetesVersion: '1.36' });
    expect(byCode(now, 'audit-log-maxsize')).toMatchObject({ status: 'fail', message: expect.stringContaining('disables rotation') });
    expect(byCode(now, 'audit-log-maxage').status).toBe('fail');
  });

  it('values below the minimum fail, at the minimum pass', () => {
    const low = checkCompliance({ args: [POLICY, LOG, '--audit-log-maxage=29', '--audit-log-maxbackup=9', '--audit-log-maxsize=99'], kubernetesVersion: '1.30' });
    expect(low.findings.filter((finding) => finding.code.startsWith('audit-log-max')).map((finding) => finding.status)).toEqual(['fail', 'fail', 'fail']);
    const ok = checkCompliance({ args: [POLICY, LOG, ...ROTATION], kubernetesVersion: '1.30' });
    expect(ok.findings.filter((finding) => finding.code.startsWith('audit-log-max')).map((finding) => finding.status)).toEqual(['pass', 'pass', 'pass']);
  });

  it('a log to stdout (-) has no rotation', () => {
    const report = checkCompliance({ args: [POLICY, '--audit-log-path=-', ...ROTATION] });
    expect(byCode(report, 'audit-log-path').status).toBe('warn');
    for (const code of ['audit-log-maxage', 'audit-log-maxbackup', 'audit-log-maxsize']) expect(byCode(report, code)).toMatchObject({ status: 'warn', message: expect.stringContaining('never rotated') });
  });

  it('a webhook-only set-up audits without a log path; no backend at all fails', () => {
    const webhook = checkCompliance({ args: [POLICY, '--audit-webhook-config-file=/etc/kubernetes/audit-webhook.kubeconfig'] });
    expect(byCode(webhook, 'audit-log-path')).toMatchObject({ status: 'warn', message: expect.stringContaining('webhook only') });
    expect(byCode(webhook, 'audit-log-maxage').status).toBe('not-applicable');
    const none = checkCompliance({ args: [POLICY] });
    expect(byCode(none, 'audit-log-path').status).toBe('fail');
    expect(byCode(none, 'audit-log-maxage').status).toBe('fail');
  });
});

describe('the union-backend trap, from the apiserver flag model', () => {
  const args = [POLICY, LOG, ...ROTATION, '--audit-log-mode=batch', '--audit-webhook-config-file=/etc/kubernetes/audit-webhook.kubeconfig'];
  it('fails the log path on releases whose union starts only its last backend', () => {
    const report = checkCompliance({ args, kubernetesVersion: '1.20.2' });
    expect(report.problems.map((problem) => problem.code)).toContain('union-log-never-started');
    expect(byCode(report, 'audit-log-path')).toMatchObject({ status: 'fail', message: expect.stringContaining('never written') });
  });
  it('is gone where the loop variable is per iteration or copied', () => {
    for (const version of ['1.30', '1.24.2']) {
      const report = checkCompliance({ args, kubernetesVersion: version });
      expect(report.problems.filter((problem) => problem.code.startsWith('union-')), version).toEqual([]);
      expect(byCode(report, 'audit-log-path').status).toBe('pass');
    }
  });
});

describe('the policy', () => {
  it('without the policy content the item is manual; without a policy file both fail', () => {
    expect(byCode(checkCompliance({ args: [POLICY, LOG, ...ROTATION] }), 'audit-policy-content').status).toBe('manual');
    const none = checkCompliance({ args: [LOG, ...ROTATION] });
    expect(byCode(none, 'audit-policy-file').status).toBe('fail');
    expect(byCode(none, 'audit-policy-content').status).toBe('fail');
  });

  it('checks the content against the cis profile exactly, with a probe per requirement', () => {
    const leaky: Policy = { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'RequestResponse' }] };
    const report = checkCompliance({ args: [POLICY, LOG, ...ROTATION], policy: leaky, benchmark: 'cis-1.9' });
    const content = byCode(report, 'audit-policy-content');
    expect(content).toMatchObject({ control: '3.2.2', status: 'fail' });
    expect(content.message).toContain('cis.secrets');
    expect(content.verdicts!.map((verdict) => [verdict.requirement.id, verdict.met])).toEqual(expect.arrayContaining([['cis.secrets', false], ['cis.pod-changes', true]]));
    const dropsHealth: Policy = { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'None', nonResourceURLs: ['/healthz*'] }, { level: 'Metadata' }] };
    expect(byCode(checkCompliance({ args: [POLICY, LOG, ...ROTATION], policy: dropsHealth }), 'audit-policy-content').status).toBe('warn');
    const silent: Policy = { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'None' }] };
    expect(byCode(checkCompliance({ args: [POLICY, LOG, ...ROTATION], policy: silent }), 'audit-policy-file').status).toBe('fail');
  });
});

describe('values from the flags in messages', () => {
  it('are quoted when they hold control characters, so nothing reaches a terminal raw', () => {
    const report = checkCompliance({ args: ['--audit-policy-file=/etc/k\u001b[2Jpolicy.yaml', '--audit-log-path=/var/log/a\u001b[31m.log', ...ROTATION] });
    for (const finding of report.findings) expect(finding.message).not.toContain('\u001b');
    expect(byCode(report, 'audit-log-path').message).toContain('"/var/log/a\\u001b[31m.log"');
  });
});

describe('readApiserverArgs', () => {
  const { flags } = auditFlags({ policyFile: '/etc/kubernetes/audit-policy.yaml', log: { path: '/var/log/audit.log', maxAge: 30, maxBackup: 10, maxSize: 100 } }, { text: '1.30', minor: 30 });
  const args = flagsToArgs(flags);
  it('reads a flags file, a kubeadm configuration and a JSON patch as the apiserver model writes them', () => {
    expect(readApiserverArgs(`# audit\n${args.join('\n')}\n`)).toMatchObject({ form: 'flags', args });
    expect(readApiserverArgs(`kube-apiserver \\\n  ${args.join(' \\\n  ')}\n`).args).toEqual(['kube-apiserver', ...args]);
    for (const version of ['kubeadm.k8s.io/v1beta3', 'kubeadm.k8s.io/v1beta4'] as const) {
      const read = readApiserverArgs(kubeadmClusterConfigurationYaml(flags, [], version));
      expect(read.form, version).toBe('kubeadm');
      expect([...read.args].sort(), version).toEqual([...args].sort());
    }
    const patch = readApiserverArgs(JSON.stringify(podJsonPatch(flags, [], STATIC_POD_TARGET)));
    expect(patch).toMatchObject({ form: 'json-patch', args });
  });

  it('reads the static Pod manifest, command and args', () => {
    const manifest = `apiVersion: v1\nkind: Pod\nmetadata: {name: kube-apiserver, namespace: kube-system}\nspec:\n  containers:\n  - name: kube-apiserver\n    command:\n    - kube-apiserver\n${args.map((arg) => `    - ${arg}`).join('\n')}\n    args: [--v=2]\n`;
    expect(readApiserverArgs(manifest)).toMatchObject({ form: 'static-pod', args: ['kube-apiserver', ...args, '--v=2'] });
    expect(checkCompliance({ args: readApiserverArgs(manifest).args, policy: metadataPolicy, kubernetesVersion: '1.30' }).findings.every((finding) => finding.status === 'pass')).toBe(true);
  });

  it('says so for anything else, within the reader limits', () => {
    expect(readApiserverArgs('').problems[0]!.code).toBe('apiserver-args');
    expect(readApiserverArgs('kind: Deployment\n', 'x.yaml').problems[0]).toMatchObject({ code: 'apiserver-args', file: 'x.yaml' });
    expect(readApiserverArgs(`a: &a [${'*a, '.repeat(10)}]\nb: [${'[*a,*a],'.repeat(2000)}]\n`).problems.length).toBeGreaterThan(0);
  });
});

describe('formatComplianceReport', () => {
  const report = checkCompliance({ args: [POLICY, LOG, '--audit-log-maxage=7'], policy: metadataPolicy, kubernetesVersion: '1.30', benchmark: 'cis-1.9' });
  it('text lists each item, the fix of what is not a pass, the probes and a summary', () => {
    const text = formatComplianceReport(report, 'text', { file: 'flags.txt' });
    expect(text).toContain('CIS Kubernetes Benchmark v1.9.0 (cis-1.9), Kubernetes 1.30: flags.txt');
    expect(text).toMatch(/FAIL +1\.2\.17 +--audit-log-maxage: keeps 7 days, below 30/);
    expect(text).toContain('fix: set --audit-log-maxage=30 or more');
    expect(text).toMatch(/met cis\.secrets: probe \S+ secrets/);
    expect(text).toMatch(/\d pass, 1 fail, 2 warn, 0 manual, 0 not applicable\n$/);
  });
  it('JSON is the report; SARIF has a result per item that is not a pass', () => {
    expect(JSON.parse(formatComplianceReport(report, 'json'))).toEqual(JSON.parse(JSON.stringify(report)));
    const sarif = JSON.parse(formatComplianceReport(report, 'sarif', { file: 'flags.txt' })) as { version: string; runs: Array<{ results: Array<{ ruleId: string; level: string }>; tool: { driver: { rules: Array<{ id: string }> } } }> };
    expect(sarif.version).toBe('2.1.0');
    const results = sarif.runs[0]!.results;
    expect(results.map((result) => result.ruleId)).toEqual(report.findings.filter((finding) => finding.status !== 'pass' && finding.status !== 'not-applicable').map((finding) => `cis-1.9/${finding.control}`));
    expect(results.find((result) => result.ruleId === 'cis-1.9/1.2.17')!.level).toBe('error');
    expect(sarif.runs[0]!.tool.driver.rules.map((rule) => rule.id)).toContain('cis-1.9/1.2.17');
  });
});

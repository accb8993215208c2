// `k8s-gen check`, run in-process on flags files, a static Pod manifest and a synthesized-style folder.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempFile } from './cli-harness.js';

const policy = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n  - level: Metadata\n';
const goodFlags = ['--audit-policy-file=/etc/kubernetes/audit-policy.yaml', '--audit-log-path=/var/log/kubernetes/audit/audit.log', '--audit-log-maxage=30', '--audit-log-maxbackup=10', '--audit-log-maxsize=100'];

describe('k8s-gen check', () => {
  it('exits 0 when every item passes, naming the items by the benchmark version', async () => {
    const flags = tempFile('flags.txt', `${goodFlags.join('\n')}\n`);
    const policyFile = tempFile('audit-policy.yaml', policy);
    const run = await runCli(['check', flags, '--policy', policyFile, '--benchmark', 'cis-1.6', '--kubernetes-version', '1.20']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/PASS +1\.2\.22 +--audit-log-path/);
    expect(run.stdout).toMatch(/PASS +3\.2\.2 +policy: all 7 requirements/);
  });

  it('exits 1 on a failed item or the union trap, and reads a static Pod manifest', async () => {
    const manifest = tempFile(
      'kube-apiserver.yaml',
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\nspec:\n  containers:\n    - name: kube-apiserver\n      command:\n        - kube-apiserver\n${[...goodFlags, '--audit-log-mode=batch', '--audit-webhook-config-file=/etc/kubernetes/wh.kubeconfig'].map((flag) => `        - ${flag}`).join('\n')}\n`,
    );
    const run = await runCli(['check', manifest, '--kubernetes-version', '1.20.2']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FAIL +1\.2\.16 +--audit-log-path: set, but/);
    expect(run.stdout).toContain('[union-log-never-started]');
    expect(run.stdout).toMatch(/MANUAL +3\.2\.2/);
    const fixed = await runCli(['check', manifest, '--kubernetes-version', '1.30']);
    expect(fixed.stdout).not.toContain('union-log-never-started');
  });

  it('reads a synthesized target folder: its flags file and policy', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'k8s-gen-check-'));
    writeFileSync(join(folder, 'apiserver-flags.txt'), `${goodFlags.slice(0, 2).join('\n')}\n`);
    writeFileSync(join(folder, 'audit-policy.yaml'), policy);
    const run = await runCli(['check', folder, '--benchmark', 'stig', '--format', 'json', '--kubernetes-version', '1.36']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { findings: Array<{ control: string; status: string }> };
    expect(report.findings.find((finding) => finding.control === 'V-242403')!.status).toBe('pass');
    expect(report.findings.find((finding) => finding.control === 'V-242464')!.status).toBe('pass');
  });

  it('--format sarif gives SARIF 2.1.0 with the failed items', async () => {
    const flags = tempFile('flags.txt', '--audit-log-path=/var/log/audit.log\n--audit-log-maxage=7\n');
    const run = await runCli(['check', flags, '--format', 'sarif', '--benchmark', 'cis-1.9']);
    expect(run.code).toBe(1);
    const sarif = JSON.parse(run.stdout) as { version: string; runs: Array<{ results: Array<{ ruleId: string }> }> };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results.map((result) => result.ruleId)).toEqual(expect.arrayContaining(['cis-1.9/1.2.17', 'cis-1.9/3.2.1']));
  });

  it('unreadable or flagless input is a usage error with a fix', async () => {
    expect((await runCli(['check', '/nonexistent/flags.txt'])).code).toBe(2);
    const deployment = await runCli(['check', tempFile('d.yaml', 'kind: Deployment\n')]);
    expect(deployment.code).toBe(2);
    expect(deployment.stderr).toContain('no apiserver flags found');
    expect((await runCli(['check', mkdtempSync(join(tmpdir(), 'k8s-gen-check-'))])).stderr).toContain('synthesize it first');
    expect((await runCli(['check', tempFile('f.txt', '--audit-log-path=/a\n'), '--benchmark', 'cis-0.1'])).code).toBe(2);
  });
});

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempFile } from './cli-harness.js';

// Apps must sit inside the repository so that they resolve the workspace packages.
const cliRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const scratchRoot = join(cliRoot, 'test-output');
mkdirSync(scratchRoot, { recursive: true });
const scratch = mkdtempSync(join(scratchRoot, 'synth-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function appFile(name: string, body: string): string {
  const file = join(scratch, name, 'audit.ts');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, body);
  return file;
}

const GOOD_APP = (maxAge: number) => `
import { minimalMetadataPolicy } from '@k8s-gen/audit';
import { App, AuditChart, AuditPolicy, LogBackend } from '@k8s-gen/constructs';
const app = new App();
const cluster = new AuditChart(app, 'prod', { kubernetesVersion: '1.30' });
new AuditPolicy(cluster, 'Policy', { policy: minimalMetadataPolicy() });
new LogBackend(cluster, 'Log', { maxAge: ${maxAge} });
app.synth();
`;

const hasStack = (text: string) => /^\s+at .+:\d+:\d+\)?$/m.test(text);

describe('k8s-gen synth', () => {
  it('runs a TypeScript app and writes the output folder', async () => {
    const app = appFile('good', GOOD_APP(7));
    const out = join(scratch, 'good-out');
    const run = await runCli(['synth', app, '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('added    prod/apiserver-flags.txt');
    expect(readFileSync(join(out, 'prod/apiserver-flags.txt'), 'utf8')).toContain('--audit-log-maxage=7');
    const again = await runCli(['synth', app, '--out', out]);
    expect(again.stdout).toContain('is up to date');
  });

  it('--dry-run --diff shows the change and writes nothing', async () => {
    const out = join(scratch, 'diff-out');
    await runCli(['synth', appFile('v1', GOOD_APP(7)), '--out', out]);
    const before = readFileSync(join(out, 'prod/apiserver-flags.txt'), 'utf8');
    const run = await runCli(['synth', appFile('v2', GOOD_APP(30)), '--out', out, '--dry-run', '--diff']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('changed  prod/apiserver-flags.txt');
    expect(run.stdout).toContain('+--audit-log-maxage=30');
    expect(run.stdout).toContain('dry run: ');
    expect(readFileSync(join(out, 'prod/apiserver-flags.txt'), 'utf8')).toBe(before);
  });

  it('reports construct errors with the construct path, the file and the fix, and no stack', async () => {
    const app = appFile('bad', GOOD_APP(7).replace("'1.30'", "'1.19'").replace('maxAge: 7', 'compress: true'));
    const out = join(scratch, 'bad-out');
    const run = await runCli(['synth', app, '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('apiserver-flags.txt');
    expect(run.stderr).toContain('prod/Log');
    expect(run.stderr).toContain('--audit-log-compress exists from 1.20 on');
    expect(run.stderr).toContain('fix:');
    expect(hasStack(run.stderr)).toBe(false);
    expect(existsSync(out)).toBe(false);
  });

  it('reports an exception in the app with its location in the app, and no stack', async () => {
    const app = appFile('throws', "const config: { a?: { b: number } } = {};\nconsole.log(config.a!.b);\n");
    const run = await runCli(['synth', app]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('TypeError');
    expect(run.stderr).toMatch(/audit\.ts:2:\d+/);
    expect(hasStack(run.stderr)).toBe(false);
  });

  it('says so when the app never calls app.synth()', async () => {
    const run = await runCli(['synth', appFile('nosynth', 'export const nothing = 1;\n')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('never called app.synth()');
  });

  it('names a missing app file', async () => {
    const run = await runCli(['synth', join(scratch, 'missing.ts')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('does not exist');
  });
});

describe('k8s-gen init', () => {
  it.each(['example', 'minimal', 'gce'])('scaffolds a project from the %s preset that synthesizes and passes its own checks', async (preset) => {
    const dir = join(scratch, `init-${preset}`);
    const run = await runCli(['init', dir, '--preset', preset]);
    expect(run.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['.gitignore', 'README.md', 'audit.test.ts', 'audit.ts', 'package.json', 'tsconfig.json']);
    const { buildApp } = (await import(join(dir, 'audit.ts'))) as { buildApp: () => { validate(): Array<{ severity: string }> } };
    expect(buildApp().validate().filter((p) => p.severity === 'error')).toEqual([]);
    const synth = await runCli(['synth', join(dir, 'audit.ts'), '--out', join(dir, 'dist')]);
    expect(synth.code).toBe(0);
    expect(readFileSync(join(dir, 'dist/cluster/apiserver-flags.txt'), 'utf8')).toContain('--audit-policy-file=/etc/kubernetes/audit-policy.yaml');
  });

  it('keeps existing files unless --force', async () => {
    const dir = join(scratch, 'init-twice');
    expect((await runCli(['init', dir, '--preset', 'minimal'])).code).toBe(0);
    const second = await runCli(['init', dir]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('--force');
    expect((await runCli(['init', dir, '--force'])).code).toBe(0);
  });

  it('refuses an unknown preset', async () => {
    const run = await runCli(['init', join(scratch, 'x'), '--preset', 'huge']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('example, minimal, gce');
  });
});

describe('k8s-gen validate', () => {
  const policy = tempFile('policy.yaml', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n');
  const badPolicy = tempFile('bad-policy.yaml', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Everything\n');
  const kubeconfig = tempFile('kubeconfig.yaml', 'apiVersion: v1\nkind: Config\nclusters:\n- name: sink\n  cluster:\n    server: https://audit.example.com/events\ncontexts:\n- name: default\n  context:\n    cluster: sink\n    user: ""\ncurrent-context: default\nusers: []\n');
  const badKubeconfig = tempFile('bad-kubeconfig.yaml', 'apiVersion: v1\nkind: Config\nclusters:\n- name: sink\n  cluster:\n    server: https://audit.example.com/events\ncontexts:\n- name: default\n  context:\n    cluster: sink\n    user: ""\ncurrent-context: missing\n');
  const sink = tempFile('sink.yaml', 'apiVersion: auditregistration.k8s.io/v1alpha1\nkind: AuditSink\nmetadata:\n  name: mysink\nspec:\n  policy:\n    level: Metadata\n    stages: [ResponseComplete]\n  webhook:\n    clientConfig:\n      url: https://audit.app\n');
  const other = tempFile('deployment.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n');

  it('accepts a valid policy, kubeconfig and AuditSink, telling them apart', async () => {
    const run = await runCli(['validate', policy, kubeconfig, sink, '--kubernetes-version', '1.16']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('policy.yaml: ok (policy)');
    expect(run.stdout).toContain('kubeconfig.yaml: ok (kubeconfig)');
    expect(run.stdout).toContain('sink.yaml: ok (auditsink)');
  });

  it('exits 1 naming the file and the path of each problem', async () => {
    const run = await runCli(['validate', badPolicy, badKubeconfig]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('bad-policy.yaml');
    expect(run.stderr).toContain('rules[0].level');
    expect(run.stderr).toContain('bad-kubeconfig.yaml');
    expect(run.stderr).toContain('current-context');
  });

  it('refuses an AuditSink for a Kubernetes version without the API', async () => {
    const run = await runCli(['validate', sink, '--kubernetes-version', '1.20']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('1.19');
  });

  it('fails on Kubernetes objects it does not check and on documents it cannot recognize: nothing passes unchecked', async () => {
    const objects = await runCli(['validate', other]);
    expect(objects.code).toBe(1);
    expect(objects.stderr).toContain('[unknown-document] This is a Deployment');
    const unknown = await runCli(['validate', tempFile('list.yaml', '- a\n- b\n')]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown-document');
  });

  it('checks every document of an AuditSink manifest, naming the other objects as not checked', async () => {
    const file = tempFile('objects.yaml', `${readFileSync(sink, 'utf8')}---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: x\n---\n${readFileSync(sink, 'utf8').replace('mysink', 'Bad_Name')}`);
    const run = await runCli(['validate', file, '--kubernetes-version', '1.16']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('documents[1]: warning [not-checked] This document is a ClusterRole');
    expect(run.stderr).toContain('documents[2].metadata.name');
    expect(run.stderr).not.toContain('documents[0]');
  });

  it('--format json gives one report for CI', async () => {
    const run = await runCli(['validate', policy, badPolicy, '--format', 'json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.ok).toBe(false);
    expect(report.files.map((f: { file: string; kinds: string[] }) => [f.file, f.kinds])).toEqual([[policy, ['policy']], [badPolicy, ['policy']]]);
    expect(report.files[1].problems[0]).toMatchObject({ severity: 'error', file: badPolicy, path: 'rules[0].level' });
  });
});

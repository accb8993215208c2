import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { minimalMetadataPolicy } from '@k8s-gen/audit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { App, AuditChart, AuditPolicy, LogBackend, SynthError, WebhookBackend } from '../src/index.js';
import { readTree } from '@k8s-gen/runtime/node';

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'k8s-gen-app-'));
});
afterEach(() => {
  delete process.env.K8S_GEN_OUTDIR;
});

const TOKEN = 'tok-3f9a1c-very-secret';

function clusterApp(options: { maxAge?: number; version?: string } = {}): App {
  const app = new App({ outdir: join(work, 'dist') });
  const target = new AuditChart(app, 'prod', { kubernetesVersion: options.version ?? '1.30' });
  new AuditPolicy(target, 'Policy', { policy: minimalMetadataPolicy() });
  new LogBackend(target, 'Log', { path: '/var/log/kubernetes/audit/audit.log', maxAge: options.maxAge ?? 7, maxBackup: 10 });
  new WebhookBackend(target, 'Webhook', { server: 'https://audit.example.com:8443/events', credentials: { token: TOKEN }, initialBackoff: '5s' });
  return app;
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('App.synth', () => {
  it('writes one folder per target with a manifest whose checksums match the files', () => {
    const result = clusterApp().synth();
    expect(result.written).toBe(true);
    const dir = join(work, 'dist', 'prod');
    expect(readdirSync(join(work, 'dist'))).toEqual(['prod']);
    expect(readdirSync(dir).sort()).toEqual([
      'README.md', 'apiserver-flags.txt', 'audit-policy.yaml', 'audit-webhook-kubeconfig.yaml',
      'kind-cluster.yaml', 'kube-apiserver.patch.json', 'kubeadm-cluster-configuration.yaml', 'manifest.json',
    ]);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.kubernetesVersion).toBe('1.30');
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(readdirSync(dir).filter((f) => f !== 'manifest.json').sort());
    for (const entry of manifest.files) {
      // Credential files carry no digest: a short token could be recovered from it by trying candidates.
      expect(entry.sha256).toBe(entry.mode === '0600' ? null : sha(readFileSync(join(dir, entry.path), 'utf8')));
    }
    expect(manifest.files.filter((f: { mode: string }) => f.mode === '0600').map((f: { path: string }) => f.path)).toEqual(['audit-webhook-kubeconfig.yaml']);
    expect(manifest.files.find((f: { path: string }) => f.path === 'audit-policy.yaml').nodePath).toBe('/etc/kubernetes/audit-policy.yaml');
  });

  it('writes the flags the backends ask for', () => {
    clusterApp().synth();
    expect(readFileSync(join(work, 'dist/prod/apiserver-flags.txt'), 'utf8').trim().split('\n')).toEqual([
      '--audit-policy-file=/etc/kubernetes/audit-policy.yaml',
      '--audit-log-path=/var/log/kubernetes/audit/audit.log',
      '--audit-log-maxage=7',
      '--audit-log-maxbackup=10',
      '--audit-webhook-config-file=/etc/kubernetes/audit-webhook-kubeconfig',
      '--audit-webhook-initial-backoff=5s',
    ]);
  });

  it('gives credential files mode 0600 and the others 0644', () => {
    clusterApp().synth();
    const mode = (file: string) => statSync(join(work, 'dist/prod', file)).mode & 0o777;
    expect(mode('audit-webhook-kubeconfig.yaml')).toBe(0o600);
    expect(mode('audit-policy.yaml')).toBe(0o644);
    const manifest = JSON.parse(readFileSync(join(work, 'dist/prod/manifest.json'), 'utf8'));
    expect(manifest.files.find((f: { path: string }) => f.path === 'audit-webhook-kubeconfig.yaml').mode).toBe('0600');
  });

  it('is byte-identical from run to run, and a second run into the same folder writes nothing', () => {
    clusterApp().synth({ outdir: join(work, 'a') });
    clusterApp().synth({ outdir: join(work, 'b') });
    expect(readTree(join(work, 'a'))).toEqual(readTree(join(work, 'b')));
    const again = clusterApp().synth({ outdir: join(work, 'a') });
    expect(again.written).toBe(false);
    expect(again.changes.every((change) => change.change === 'unchanged')).toBe(true);
  });

  it('dry run reports the changes and writes nothing; diff hides credentials', () => {
    clusterApp().synth();
    const before = readTree(join(work, 'dist'));
    const result = clusterApp({ maxAge: 30 }).synth({ dryRun: true, diff: true });
    expect(result.written).toBe(false);
    expect(readTree(join(work, 'dist'))).toEqual(before);
    const changed = result.changes.filter((c) => c.change !== 'unchanged').map((c) => c.path);
    expect(changed).toEqual(['prod/apiserver-flags.txt', 'prod/kind-cluster.yaml', 'prod/kube-apiserver.patch.json', 'prod/kubeadm-cluster-configuration.yaml', 'prod/manifest.json']);
    expect(result.diff).toContain('\n---audit-log-maxage=7\n');
    expect(result.diff).toContain('+--audit-log-maxage=30');
    expect(result.diff).not.toContain(TOKEN);
  });

  it('a diff of a changed credential file names it without showing it', () => {
    clusterApp().synth();
    const app = new App({ outdir: join(work, 'dist') });
    const target = new AuditChart(app, 'prod', { kubernetesVersion: '1.30' });
    new AuditPolicy(target, 'Policy', { policy: minimalMetadataPolicy() });
    new WebhookBackend(target, 'Webhook', { server: 'https://audit.example.com:8443/events', credentials: { token: 'another-secret-token' } });
    const result = app.synth({ dryRun: true, diff: true });
    expect(result.diff).toContain('prod/audit-webhook-kubeconfig.yaml');
    expect(result.diff).toContain('credential file, contents not shown');
    expect(result.diff).not.toContain('another-secret-token');
    expect(result.diff).not.toContain(TOKEN);
  });

  it('reads the output folder from K8S_GEN_OUTDIR like k8s-gen synth passes it', () => {
    process.env.K8S_GEN_OUTDIR = join(work, 'from-env');
    const app = new App();
    const target = new AuditChart(app, 'x', { kubernetesVersion: '1.20' });
    new AuditPolicy(target, 'Policy', { policy: minimalMetadataPolicy() });
    new LogBackend(target, 'Log', { path: '-' });
    app.synth();
    expect(readdirSync(join(work, 'from-env'))).toEqual(['x']);
  });

  it('refuses a broken tree with the construct path, the file and the fix, leaving the old output untouched', () => {
    clusterApp().synth();
    const before = readTree(join(work, 'dist'));
    const app = new App({ outdir: join(work, 'dist') });
    const target = new AuditChart(app, 'prod', { kubernetesVersion: '1.19' });
    new AuditPolicy(target, 'Policy', { policy: minimalMetadataPolicy() });
    new LogBackend(target, 'Log', { compress: true });
    let error: unknown;
    try {
      app.synth();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SynthError);
    const problems = (error as SynthError).problems.filter((p) => p.severity === 'error');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ constructPath: 'prod/Log', file: 'apiserver-flags.txt', path: 'log.compress', code: 'flag-not-in-version' });
    expect((error as Error).message).toContain('[prod/Log]');
    expect((error as Error).message).toContain('fix:');
    expect(readTree(join(work, 'dist'))).toEqual(before);
  });

  it('reports a policy file that cannot be read, naming the file', () => {
    const app = new App({ outdir: join(work, 'dist') });
    const target = new AuditChart(app, 'prod', { kubernetesVersion: '1.30' });
    AuditPolicy.fromFile(target, 'Policy', join(work, 'missing.yaml'));
    const problems = app.validate().filter((p) => p.severity === 'error');
    expect(problems[0]).toMatchObject({ constructPath: 'prod/Policy', code: 'policy-file-unreadable', file: join(work, 'missing.yaml') });
  });

  it('reads a policy from a file and checks it against the target version', () => {
    const file = join(work, 'policy.yaml');
    writeFileSync(file, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n');
    const app = new App({ outdir: join(work, 'dist') });
    const target = new AuditChart(app, 'prod', { kubernetesVersion: '1.30' });
    AuditPolicy.fromFile(target, 'Policy', file);
    new LogBackend(target, 'Log');
    app.synth();
    expect(parse(readFileSync(join(work, 'dist/prod/audit-policy.yaml'), 'utf8'))).toEqual({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'Metadata' }] });
  });

  it('refuses backends without a policy, duplicate targets and bad versions', () => {
    const app = new App({ outdir: join(work, 'dist') });
    new LogBackend(new AuditChart(app, 'a', { kubernetesVersion: '1.30' }), 'Log');
    new AuditChart(app, 'b', { kubernetesVersion: '1.30', name: 'a' });
    new AuditChart(app, 'c', { kubernetesVersion: '1.99' });
    const found = app.validate().filter((p) => p.severity === 'error').map((p) => `${p.constructPath}:${p.code}`);
    expect(found).toEqual(['a:no-policy', 'c:kubernetes-version', 'b:duplicate-target']);
  });
});

describe('apply forms', () => {
  const KUBEADM_MANIFEST = `apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.30.0
    command:
    - kube-apiserver
    - --advertise-address=10.0.0.1
    volumeMounts:
    - name: k8s-certs
      mountPath: /etc/kubernetes/pki
      readOnly: true
  volumes:
  - name: k8s-certs
    hostPath:
      path: /etc/kubernetes/pki
      type: DirectoryOrCreate
`;

  it('the static Pod patch applies to a kubeadm manifest with the real kubectl', () => {
    clusterApp().synth();
    const manifest = join(work, 'kube-apiserver.yaml');
    writeFileSync(manifest, KUBEADM_MANIFEST);
    const patched = JSON.parse(
      execFileSync('/usr/bin/kubectl', ['patch', '--local', '-f', manifest, '--type', 'json', '--patch-file', join(work, 'dist/prod/kube-apiserver.patch.json'), '-o', 'json'], { encoding: 'utf8' }),
    );
    const container = patched.spec.containers[0];
    const flags = readFileSync(join(work, 'dist/prod/apiserver-flags.txt'), 'utf8').trim().split('\n');
    expect(container.command).toEqual(['kube-apiserver', '--advertise-address=10.0.0.1', ...flags]);
    expect(container.volumeMounts).toContainEqual({ name: 'audit-policy', mountPath: '/etc/kubernetes/audit-policy.yaml', readOnly: true });
    expect(container.volumeMounts).toContainEqual({ name: 'audit-log', mountPath: '/var/log/kubernetes/audit', readOnly: false });
    expect(patched.spec.volumes).toContainEqual({ name: 'audit-webhook-kubeconfig', hostPath: { path: '/etc/kubernetes/audit-webhook-kubeconfig', type: 'File' } });
    expect(patched.spec.volumes).toContainEqual({ name: 'audit-log', hostPath: { path: '/var/log/kubernetes/audit', type: 'DirectoryOrCreate' } });
  });

  it('writes kubeadm extraArgs as a map up to v1beta3 and as a name/value list from v1beta4', () => {
    clusterApp({ version: '1.30' }).synth({ outdir: join(work, 'v30') });
    clusterApp({ version: '1.31' }).synth({ outdir: join(work, 'v31') });
    const v30 = parse(readFileSync(join(work, 'v30/prod/kubeadm-cluster-configuration.yaml'), 'utf8'));
    const v31 = parse(readFileSync(join(work, 'v31/prod/kubeadm-cluster-configuration.yaml'), 'utf8'));
    expect(v30.apiVersion).toBe('kubeadm.k8s.io/v1beta3');
    expect(v30.apiServer.extraArgs['audit-log-maxage']).toBe('7');
    expect(v31.apiVersion).toBe('kubeadm.k8s.io/v1beta4');
    expect(v31.apiServer.extraArgs).toContainEqual({ name: 'audit-log-maxage', value: '7' });
    expect(v31.apiServer.extraVolumes).toContainEqual({ name: 'audit-policy', hostPath: '/etc/kubernetes/audit-policy.yaml', mountPath: '/etc/kubernetes/audit-policy.yaml', readOnly: true, pathType: 'File' });
  });

  it('writes a kind config that mounts the synthesized files and patches the ClusterConfiguration', () => {
    clusterApp().synth();
    const kind = parse(readFileSync(join(work, 'dist/prod/kind-cluster.yaml'), 'utf8'));
    expect(kind).toMatchObject({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4' });
    const node = kind.nodes[0];
    expect(node.extraMounts).toEqual([
      { hostPath: './audit-policy.yaml', containerPath: '/etc/kubernetes/audit-policy.yaml', readOnly: true },
      { hostPath: './audit-webhook-kubeconfig.yaml', containerPath: '/etc/kubernetes/audit-webhook-kubeconfig', readOnly: true },
    ]);
    const patch = parse(node.kubeadmConfigPatches[0]);
    expect(patch.kind).toBe('ClusterConfiguration');
    expect(patch.apiServer.extraArgs['audit-policy-file']).toBe('/etc/kubernetes/audit-policy.yaml');
  });

  it('an aggregated apiserver gets its own policy, flags and a Deployment patch', () => {
    const app = new App({ outdir: join(work, 'dist') });
    const main = new AuditChart(app, 'kube-apiserver', { kubernetesVersion: '1.30' });
    new AuditPolicy(main, 'Policy', { policy: minimalMetadataPolicy() });
    new LogBackend(main, 'Log');
    const metrics = new AuditChart(app, 'metrics-server', { kubernetesVersion: '1.30', apiserver: 'aggregated' });
    new AuditPolicy(metrics, 'Policy', { policy: { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'None' }] }, nodePath: '/etc/metrics/audit-policy.yaml' });
    new LogBackend(metrics, 'Log', { path: '-' });
    app.synth();
    expect(readdirSync(join(work, 'dist/metrics-server')).sort()).toEqual(['README.md', 'apiserver-flags.txt', 'audit-policy.yaml', 'deployment.patch.json', 'manifest.json']);
    const patch = JSON.parse(readFileSync(join(work, 'dist/metrics-server/deployment.patch.json'), 'utf8'));
    expect(patch[0]).toEqual({ op: 'add', path: '/spec/template/spec/containers/0/args/-', value: '--audit-policy-file=/etc/metrics/audit-policy.yaml' });
    expect(parse(readFileSync(join(work, 'dist/metrics-server/audit-policy.yaml'), 'utf8')).rules).toEqual([{ level: 'None' }]);
  });
});

describe('output folder safety', () => {
  it('refuses to replace a folder holding files k8s-gen did not write', () => {
    const outdir = join(work, 'project');
    mkdirSync(outdir);
    writeFileSync(join(outdir, 'package.json'), '{}\n');
    const app = clusterApp();
    expect(() => app.synth({ outdir })).toThrow(/did not write \(e\.g\. package\.json\)/);
    expect(readTree(outdir)).toEqual(new Map([['package.json', '{}\n']]));
  });

  it('replaces a previous output, including targets that no longer exist', () => {
    const outdir = join(work, 'dist');
    const old = new App({ outdir });
    new LogBackend(new AuditPolicy(new AuditChart(old, 'gone', { kubernetesVersion: '1.30' }), 'Policy', { policy: minimalMetadataPolicy() }).node.scope as AuditChart, 'Log');
    old.synth();
    const result = clusterApp().synth({ outdir });
    expect(result.changes.filter((c) => c.change === 'removed').map((c) => c.path)).toContain('gone/manifest.json');
    expect(readdirSync(outdir)).toEqual(['prod']);
  });
});

describe('node paths', () => {
  it('refuses relative paths for files the apiserver reads or writes', () => {
    const app = new App({ outdir: join(work, 'dist') });
    const target = new AuditChart(app, 'prod', { kubernetesVersion: '1.30' });
    new AuditPolicy(target, 'Policy', { policy: minimalMetadataPolicy(), nodePath: 'audit-policy.yaml' });
    new LogBackend(target, 'Log', { path: 'logs/audit.log' });
    const problems = app.validate().filter((p) => p.severity === 'error');
    expect(problems.map((p) => `${p.constructPath}:${p.code}@${p.path}`)).toEqual(['prod/Policy:unsafe-value@nodePath', 'prod/Log:unsafe-value@log.path']);
    expect(problems[1]!.message).toContain('"logs/audit.log" is not an absolute path');
  });
});

describe('diff of a removed credential file', () => {
  it('hides the contents of a credential file that disappears from the output', () => {
    clusterApp().synth();
    const app = new App({ outdir: join(work, 'dist') });
    const target = new AuditChart(app, 'prod', { kubernetesVersion: '1.30' });
    new AuditPolicy(target, 'Policy', { policy: minimalMetadataPolicy() });
    const result = app.synth({ dryRun: true, diff: true });
    expect(result.changes).toContainEqual({ path: 'prod/audit-webhook-kubeconfig.yaml', change: 'removed' });
    expect(result.diff).toContain('prod/audit-webhook-kubeconfig.yaml\n(removed; credential file, contents not shown)');
    expect(result.diff).not.toContain(TOKEN);
  });
});

describe('nested targets', () => {
  it('gives each construct to its nearest target only', () => {
    const app = new App({ outdir: join(work, 'dist') });
    const outer = new AuditChart(app, 'outer', { kubernetesVersion: '1.30' });
    new AuditPolicy(outer, 'Policy', { policy: minimalMetadataPolicy() });
    new LogBackend(outer, 'Log', { path: '/var/log/outer.log' });
    const inner = new AuditChart(outer, 'inner', { kubernetesVersion: '1.30', apiserver: 'aggregated' });
    new AuditPolicy(inner, 'Policy', { policy: minimalMetadataPolicy(), nodePath: '/etc/inner/policy.yaml' });
    new LogBackend(inner, 'Log', { path: '-' });
    const result = app.synth();
    const flags = (target: string) => result.files.find((f) => f.path === `${target}/apiserver-flags.txt`)!.contents;
    expect(flags('outer')).toContain('--audit-log-path=/var/log/outer.log');
    expect(flags('outer')).not.toContain('/etc/inner/policy.yaml');
    expect(flags('inner')).toBe('--audit-policy-file=/etc/inner/policy.yaml\n--audit-log-path=-\n');
  });
});

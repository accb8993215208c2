// Synthesizes every example through the real CLI (`k8s-gen synth`, which runs the app with tsx),
// then checks the output against the files the Spanish Kubernetes audit docs (../shared/seeds)
// give, against the real kubectl, and against the core/v1 schemas.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fluentd, logstash, type CollectorResult } from '@k8s-gen/collectors';
import { main } from 'k8s-gen';
import { beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL, patchedApiserverPod } from './apiserver-pod.js';
import { parse, parseAllDocuments } from 'yaml';
import { describeWithShared, hasShared, itWithCore, readShared, SHARED_FILES } from '../../test/support/shared-data.js';

const examples = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The seed's lines; empty without ../shared, where every block reading them is skipped. */
const seedLines = hasShared(SHARED_FILES.seed) ? readShared(SHARED_FILES.seed).split('\n') : [];

/** core/v1's schemas, loaded only by the tests that need them (core exists only when generated from a spec). */
const coreSchemas = () => import('@k8s-gen/core');

/** The tree a collector parser read (it must have read the text without problems). */
function readBack<T>(result: CollectorResult<T>): T {
  expect(result.problems).toEqual([]);
  return result.value as T;
}

/** The text of a heredoc in the seed: the lines after the `cat <<... > target` line up to `EOF`, dedented. */
function seedHeredoc(target: string): string {
  const start = seedLines.findIndex((line) => line.includes('cat <<') && line.includes(target));
  if (start < 0) throw new Error(`no heredoc for ${target} in the seed`);
  const end = seedLines.findIndex((line, index) => index > start && line.trim() === 'EOF');
  const body = seedLines.slice(start + 1, end);
  const indent = Math.min(...body.filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length));
  return `${body.map((line) => line.slice(indent)).join('\n')}\n`;
}

/** A YAML block of the seed: from the line starting with `first` through the line containing `last`. */
function seedBlock(first: string, last: string): string {
  const start = seedLines.findIndex((line) => line.startsWith(first));
  const end = seedLines.findIndex((line, index) => index > start && line.includes(last));
  return seedLines.slice(start, end + 1).join('\n');
}

/** The kube-apiserver flags the seed gives after a sentence mentioning `--audit-policy-file` and `mention`. */
function seedFlags(mention: string): string[] {
  const line = seedLines.find((l) => l.includes('--audit-policy-file=') && l.includes(mention));
  if (!line) throw new Error(`no flags line with ${mention}`);
  return [...line.matchAll(/--audit-[a-z-]+=[^\s,]+/g)].map((m) => m[0]);
}

const synthesized = new Map<string, Promise<string>>();

/** The output of an example, synthesized once per test run. */
function output(example: string): Promise<string> {
  if (!synthesized.has(example)) synthesized.set(example, synth(example));
  return synthesized.get(example) as Promise<string>;
}

/** Runs `k8s-gen synth` on an example into a new folder. */
async function synth(example: string): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), `k8s-gen-example-${example}-`)), 'dist');
  process.exitCode = undefined;
  const code = await main(['node', 'k8s-gen', 'synth', join(examples, example, 'audit.ts'), '--out', out]);
  expect(code).toBe(0);
  return out;
}

const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');
const flagsOf = (dir: string, target: string) => read(dir, `${target}/apiserver-flags.txt`).trim().split('\n');

function withoutFluentdComments<T>(node: T): T {
  if (Array.isArray(node)) return node.filter((n) => !(n && typeof n === 'object' && (n as { kind?: string }).kind === 'comment')).map(withoutFluentdComments) as T;
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, withoutFluentdComments(v)])) as T;
  return node;
}

/** `kubectl config view` of a kubeconfig file, as JSON: fails if kubectl cannot load it. */
function kubectlView(file: string): { clusters: Array<{ name: string; cluster: { server: string } }>; 'current-context': string } {
  return JSON.parse(execFileSync(KUBECTL, ['config', 'view', '--kubeconfig', file, '-o', 'json'], { encoding: 'utf8' }));
}

describeWithShared('fluentd example (the seeds\' fluentd scenario)', [SHARED_FILES.seed], () => {
  let out: string;
  beforeAll(async () => {
    out = await output('fluentd');
  });

  it('writes the seeds\' example policy', () => {
    const start = seedLines.findIndex((line) => line.startsWith('apiVersion: audit.k8s.io/v1 # Esto'));
    const end = seedLines.findIndex((line) => line.startsWith('Puedes usar'));
    const seedPolicy = parse(seedLines.slice(start, end).join('\n'));
    expect(seedPolicy.rules).toHaveLength(9);
    expect(parse(read(out, 'audit/audit-policy.yaml'))).toEqual(seedPolicy);
  });

  it('sets the flags the seed gives for this scenario', () => {
    expect(flagsOf(out, 'audit').sort()).toEqual(seedFlags('--audit-log-format=json').sort());
  });

  it('writes the seeds\' fluentd config, except the time parsing the docs got wrong', () => {
    const seed = withoutFluentdComments(readBack(fluentd.parseFluentd(seedHeredoc('/etc/fluentd/config'))));
    const ours = withoutFluentdComments(readBack(fluentd.parseFluentd(read(out, 'audit/fluentd/fluent.conf'))));
    // The docs read the event time from `time`, a field audit.k8s.io/v1 events do not have; the
    // preset reads stageTimestamp instead. Everything else must be the same.
    const timeKeys = new Set(['time_key', 'time_format', 'utc', 'keep_time_key']);
    const dropTime = (config: fluentd.FluentConfig) => ({
      ...config,
      body: config.body.map((node) => (node.kind === 'element' && node.name === 'source' ? { ...node, body: node.body.filter((n) => !(n.kind === 'param' && timeKeys.has(n.key))) } : node)),
    });
    expect(dropTime(ours)).toEqual(dropTime(seed));
    const source = ours.body.find((n) => n.kind === 'element' && n.name === 'source') as fluentd.FluentElement;
    expect(fluentd.paramValue(source, 'time_key')).toBe('stageTimestamp');
    expect(fluentd.paramValue(seed.body.find((n) => n.kind === 'element' && n.name === 'source') as fluentd.FluentElement, 'time_key')).toBe('time');
  });

  it('produces byte-identical output on a second run, which then writes nothing', async () => {
    const again = await synth('fluentd');
    for (const file of ['audit/audit-policy.yaml', 'audit/fluentd/fluent.conf', 'audit/manifest.json', 'audit/kube-apiserver.patch.json']) {
      expect(read(again, file)).toBe(read(out, file));
    }
  });
});

describeWithShared('logstash example (the seeds\' logstash scenario)', [SHARED_FILES.seed], () => {
  let out: string;
  beforeAll(async () => {
    out = await output('logstash');
  });

  it('writes the seeds\' logstash pipeline', () => {
    const strip = (p: logstash.LogstashPipeline) => JSON.parse(JSON.stringify(p, (key, value) => (Array.isArray(value) ? value.filter((v) => !(v && v.kind === 'comment')) : value)));
    const seed = strip(readBack(logstash.parseLogstash(seedHeredoc('/etc/logstash/config'))));
    const ours = strip(readBack(logstash.parseLogstash(read(out, 'audit/logstash/pipeline.conf'))));
    expect(ours).toEqual(seed);
  });

  it('writes the seeds\' webhook kubeconfig, pointing at the logstash port, with mode 0600', () => {
    const seed = parse(seedHeredoc('/etc/kubernetes/audit-webhook-kubeconfig').replace('<ip_of_logstash>', '10.0.0.5'));
    expect(parse(read(out, 'audit/audit-webhook-kubeconfig.yaml'))).toEqual(seed);
    expect(statSync(join(out, 'audit/audit-webhook-kubeconfig.yaml')).mode & 0o777).toBe(0o600);
  });

  it('sets the flags the seed gives for this scenario', () => {
    expect(flagsOf(out, 'audit').sort()).toEqual(seedFlags('--audit-webhook-config-file=').sort());
  });
});

describeWithShared('legacy AuditSink example (1.13)', [SHARED_FILES.seed], () => {
  let out: string;
  beforeAll(async () => {
    out = await output('legacy-auditsink');
  });

  it('writes the seeds\' AuditSink and the admin-only RBAC', () => {
    const seedSink = parse(seedBlock('apiVersion: auditregistration.k8s.io/v1alpha1', 'url: "https://audit.app"'));
    const objects = parseAllDocuments(read(out, 'legacy/kubernetes/objects.yaml')).map((d) => d.toJS());
    expect(objects[0]).toEqual(seedSink);
    expect(objects.slice(1).map((o) => o.kind)).toEqual(['ClusterRole', 'ClusterRoleBinding']);
  });

  it('turns dynamic audit on with its three switches', () => {
    expect(flagsOf(out, 'legacy')).toEqual(expect.arrayContaining(['--audit-dynamic-configuration=true', '--feature-gates=DynamicAuditing=true', '--runtime-config=auditregistration.k8s.io/v1alpha1=true']));
  });
});

describe('kubeadm example (log + webhook backends, an aggregated apiserver)', () => {
  let out: string;
  beforeAll(async () => {
    out = await output('kubeadm');
  });

  it('writes v1beta4 kubeadm extraArgs as a name/value list', () => {
    const config = parse(read(out, 'kube-apiserver/kubeadm-cluster-configuration.yaml'));
    expect(config.apiVersion).toBe('kubeadm.k8s.io/v1beta4');
    expect(config.apiServer.extraArgs).toContainEqual({ name: 'audit-log-batch-max-wait', value: '5s' });
  });

  itWithCore('the ConfigMap is a valid core/v1 ConfigMap', async () => {
    const { ConfigMapSchema } = await coreSchemas();
    const objects = parseAllDocuments(read(out, 'kube-apiserver/kubernetes/objects.yaml')).map((d) => d.toJS());
    for (const object of objects.filter((o) => o.apiVersion === 'v1')) {
      const result = object.kind === 'ConfigMap' ? ConfigMapSchema.safeParse(object) : undefined;
      expect(result?.success, JSON.stringify(result?.error?.issues)).toBe(true);
    }
    expect(objects.map((o) => o.kind)).toEqual(['ConfigMap']);
  });

  itWithCore('the fluentd DaemonSet volumes are valid core/v1 volumes and mounts', async () => {
    const { VolumeMountSchema, VolumeSchema } = await coreSchemas();
    const volumes = parse(read(out, 'kube-apiserver/fluentd/daemonset-volumes.yaml'));
    for (const volume of volumes.volumes) expect(VolumeSchema.safeParse(volume).success).toBe(true);
    for (const mount of volumes.volumeMounts) expect(VolumeMountSchema.safeParse(mount).success).toBe(true);
  });

  itWithCore('patching a kubeadm static Pod manifest with kubectl gives a valid core/v1 Pod', async () => {
    const { PodSchema } = await coreSchemas();
    const pod = patchedApiserverPod(join(out, 'kube-apiserver/kube-apiserver.patch.json'));
    const result = PodSchema.safeParse(pod);
    expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
    expect(pod.spec.containers[0].command.slice(1)).toEqual(flagsOf(out, 'kube-apiserver'));
  });

  it('gives the aggregated apiserver its own policy file and flags', () => {
    expect(flagsOf(out, 'metrics-apiserver')).toEqual(['--audit-policy-file=/etc/metrics-apiserver/audit-policy.yaml', '--audit-log-path=-']);
    expect(parse(read(out, 'metrics-apiserver/audit-policy.yaml')).rules).toEqual([{ level: 'Metadata' }]);
  });
});

describe('every kubeconfig the examples write', () => {
  it.each([
    ['logstash', 'audit', 'http://10.0.0.5:8888'],
    ['kubeadm', 'kube-apiserver', 'https://audit-sink.example.com:8443/k8s-audit'],
  ])('%s: the real kubectl loads it', async (example, target, server) => {
    const out = await output(example);
    const view = kubectlView(join(out, target, 'audit-webhook-kubeconfig.yaml'));
    expect(view.clusters[0]!.cluster.server).toBe(server);
    expect(view['current-context']).toBe('default-context');
  });
});

describe('k8s-gen validate on what the examples write', () => {
  it('finds no error in any policy, kubeconfig or AuditSink file', async () => {
    const files: string[] = [];
    for (const [example, target] of [['fluentd', 'audit'], ['logstash', 'audit'], ['kubeadm', 'kube-apiserver'], ['kubeadm', 'metrics-apiserver'], ['legacy-auditsink', 'legacy']] as const) {
      const out = await output(example);
      const manifest = JSON.parse(read(out, `${target}/manifest.json`)) as { files: Array<{ path: string }> };
      for (const entry of manifest.files) {
        if (/audit-policy\.yaml$|kubeconfig\.yaml$/.test(entry.path) || (example === 'legacy-auditsink' && entry.path === 'kubernetes/objects.yaml')) files.push(join(out, target, entry.path));
      }
    }
    expect(files).toHaveLength(8);
    let stdout = '';
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
    process.exitCode = undefined;
    try {
      expect(await main(['node', 'k8s-gen', 'validate', ...files, '--format', 'json'])).toBe(0);
    } finally {
      process.stdout.write = write;
      process.exitCode = undefined;
    }
    const report = JSON.parse(stdout) as { ok: boolean; files: Array<{ problems: Array<{ severity: string }> }> };
    expect(report.ok).toBe(true);
  });
});

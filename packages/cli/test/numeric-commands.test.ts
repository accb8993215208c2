import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/main.js';
import { describeWithShared, SHARED_FILES, sharedPath } from '../../../test/support/shared-data.js';

const sample = sharedPath(SHARED_FILES.sampleLog);
const work = mkdtempSync(path.join(tmpdir(), 'k8s-gen-cli-numeric-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

/** Runs the CLI in-process and captures what it writes. */
async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const code = await main(['node', 'k8s-gen', ...args]);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

describe('k8s-gen tune', () => {
  it('prints the docs example reasoning and flags', async () => {
    const { code, stdout } = await run('tune', '--rps', '100', '--stages', '2', '--batch', '100', '--latency', '5', '--backend', 'log', '--headroom', '1');
    expect(code).toBe(0);
    expect(stdout).toContain('200 events/s');
    expect(stdout).toContain('--audit-log-batch-buffer-size=1000');
    expect(stdout).toContain('--audit-log-batch-throttle-qps=2');
  });

  it('emits JSON with settings, flags, steps and a verification run that drops nothing', async () => {
    const { code, stdout } = await run('tune', '--rps', '100', '--stages', '2', '--batch', '100', '--latency', '5', '--backend', 'webhook', '--outage', '60', '--verify', '--format', 'json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.eventsPerSecond).toBe(200);
    expect(result.flags).toContain(`--audit-webhook-batch-max-size=100`);
    expect(result.steps.map((s: { id: string }) => s.id)).toContain('retry-window');
    expect(result.verification.result.dropped.total).toBe(0);
  });

  it('reviews existing flags for the spinning batch loop', async () => {
    const { code, stdout } = await run('tune', '--rps', '10', '--latency', '1', '--review', '--audit-policy-file=/etc/kubernetes/audit-policy.yaml --audit-log-path=/var/log/audit.log --audit-log-mode=batch --audit-log-batch-max-size=50');
    expect(code).toBe(0);
    expect(stdout).toContain('[batch-busy-loop] --audit-log-batch-max-wait:');
    expect(stdout).toContain('- 1 error');
  });

  it('writes flags for the newest release unless told otherwise, and says so in the help', async () => {
    const { NEWEST_KUBERNETES_VERSION } = await import('@k8s-gen/runtime');
    const help = await run('tune', '--help');
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(`(default: ${NEWEST_KUBERNETES_VERSION}, the newest release k8s-gen models)`);
    const bad = await run('tune', '--rps', '10', '--latency', '1', '--kubernetes-version', 'banana');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--kubernetes-version');
  });

  // The measurement on a real kube-apiserver 1.20.2: a 150 s receiver outage with the default
  // webhook flags lost 1,600 of ~4,650 events (4 batches of 400), batches given up 85.9-92.1 s
  // after their first attempt; the flags of `tune --outage 150` lost none. 12.5 requests/s of 2
  // stages is the 25 events/s the test of predictOutage derives from those numbers.
  it('predicts what the default flags and the recommended ones lose in a 150 s outage', async () => {
    const review = '--audit-policy-file=/etc/kubernetes/audit-policy.yaml --audit-webhook-config-file=/etc/kubernetes/audit-webhook-kubeconfig';
    const { code, stdout } = await run('tune', '--rps', '12.5', '--stages', '2', '--latency', '0.1', '--outage', '150', '--kubernetes-version', '1.20.2', '--review', review, '--format', 'json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.review.outage.lost.median).toBe(1600);
    expect(result.estimates.outage.lost.max).toBe(0);
    const text = await run('tune', '--rps', '12.5', '--stages', '2', '--latency', '0.1', '--outage', '150', '--kubernetes-version', '1.20.2', '--review', review);
    expect(text.stdout).toContain('events lost: 1600');
    expect(text.stdout).toMatch(/Events lost in the outage: .*no event is lost/);
  });

  it('counts stages by evaluating a policy on a traffic mix file', async () => {
    const policy = path.join(work, 'tune-policy.yaml');
    writeFileSync(policy, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: None\n  nonResourceURLs: ["/healthz*"]\n- level: Metadata\n');
    const traffic = path.join(work, 'traffic.json');
    writeFileSync(traffic, JSON.stringify([
      { method: 'GET', url: '/api/v1/namespaces/a/pods/x', user: 'alice', weight: 3 },
      { method: 'GET', url: '/api/v1/namespaces/a/pods?watch=true', user: 'alice', weight: 1 },
      { method: 'GET', url: '/healthz', weight: 4 },
    ]));
    const { code, stdout } = await run('tune', '--rps', '80', '--latency', '1', '--policy', policy, '--traffic', traffic, '--format', 'json');
    expect(code).toBe(0);
    // (3 × 1 + 1 × 2 + 4 × 0) / 8 stages per request.
    expect(JSON.parse(stdout).eventsPerSecond).toBe(80 * (5 / 8));
  });

  it('names the entry of a bad traffic file', async () => {
    const policy = path.join(work, 'tune-policy-2.yaml');
    writeFileSync(policy, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n');
    const traffic = path.join(work, 'bad-traffic.json');
    writeFileSync(traffic, JSON.stringify([{ method: 'GET', url: '/api/v1/pods', weight: 1 }, { method: 'GET', url: '/api/v1/pods', weight: 'many' }]));
    const { code, stderr } = await run('tune', '--rps', '80', '--latency', '1', '--policy', policy, '--traffic', traffic);
    expect(code).toBe(1);
    expect(stderr).toContain('bad-traffic.json: [1].weight must be a number');
  });

  it('rejects bad numbers as usage errors (exit 2)', async () => {
    const { code, stderr } = await run('tune', '--rps', 'lots', '--latency', '1');
    expect(code).toBe(2);
    expect(stderr).toContain('"lots" is not a number');
  });
});

describe('k8s-gen apf-odds', () => {
  it('prints the crush probabilities of the docs table', async () => {
    const { code, stdout } = await run('apf-odds', '--hand', '8', '--queues', '64', '--elephants', '4', '--format', 'json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(Math.abs(result.crush[0].probability - 0.0004886697053040446) / 0.0004886697053040446).toBeLessThan(1e-9);
    expect(result.serverConcurrencyLimit).toBe(600);
  });

  it('splits concurrency between levels and explains it in text', async () => {
    const { code, stdout } = await run('apf-odds', '--hand', '6', '--queues', '128', '--queue-length', '50', '--levels', 'workload-low=100,global-default=20,catch-all=5');
    expect(code).toBe(0);
    expect(stdout).toContain('6 × 50 = 300');
    expect(stdout).toContain('global-default: ceil(600 × 20 / 125) = 96');
  });

  it('refuses a hand larger than the deck', async () => {
    const { code, stderr } = await run('apf-odds', '--hand', '9', '--queues', '8');
    expect(code).toBe(1);
    expect(stderr).toContain('--hand <= --queues');
  });
});

describeWithShared('k8s-gen cost', [SHARED_FILES.sampleLog], () => {
  const metadataPolicy = path.join(work, 'metadata.yaml');
  writeFileSync(metadataPolicy, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n');

  it('replays a gzipped log and reports JSON without a progress bar off a TTY', async () => {
    const gz = path.join(work, 'audit.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(sample)));
    const { code, stdout, stderr } = await run('cost', '--policy', metadataPolicy, gz, '--format', 'json');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const report = JSON.parse(stdout);
    expect(report.log.bytes).toBe(readFileSync(sample).length);
    expect(report.candidate.bytes).toBeLessThan(report.log.bytes);
    expect(report.candidate.events).toBe(report.log.events);
  });

  it('prints a text summary and warns about bad lines', async () => {
    const log = path.join(work, 'with-bad-line.log');
    writeFileSync(log, `${readFileSync(sample, 'utf8')}garbage\n`);
    const { code, stdout, stderr } = await run('cost', '--policy', metadataPolicy, log);
    expect(code).toBe(0);
    expect(stdout).toContain('By resource:');
    expect(stdout).toContain('rbac.authorization.k8s.io/clusterroles');
    expect(stderr).toContain('1 line(s)');
  });

  it('reports an invalid policy with its location and exit code 1', async () => {
    const bad = path.join(work, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Loud\n');
    const { code, stderr } = await run('cost', '--policy', bad, sample);
    expect(code).toBe(1);
    expect(stderr).toContain('bad.yaml');
    expect(stderr).not.toContain('    at ');
  });

  it('reports a missing log file clearly', async () => {
    const { code, stderr } = await run('cost', '--policy', metadataPolicy, path.join(work, 'nope.log'));
    expect(code).toBe(2);
    expect(stderr).toContain('cannot read audit log');
  });
});

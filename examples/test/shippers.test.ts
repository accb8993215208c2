// The Fluent Bit example (log backend, in-cluster DaemonSet) and the managed-cluster example (an
// EKS export filtered by Fluent Bit's Lua filter), synthesized through the real CLI. The Lua filter
// the managed example writes runs in a real Lua 5.4 over an EKS CloudWatch Logs export and must
// decide every event as kube-apiserver would under the same policy (the engine's evaluate()).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fluentbit, policyFilter } from '@k8s-gen/collectors';
import { attributesFromEvent, auditEventLines, evaluate } from '@k8s-gen/engine';
import { main } from 'k8s-gen';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { itWithCore } from '../../test/support/shared-data.js';

const examples = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const harness = resolve(examples, '../test/lua/fluent-bit-filter-harness.lua');

async function synth(example: string): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), `k8s-gen-${example}-`)), 'dist');
  const code = await main(['node', 'k8s-gen', 'synth', join(examples, example, 'audit.ts'), '--out', out]);
  expect(code).toBe(0);
  return out;
}
const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

describe('Fluent Bit example (log backend, in-cluster DaemonSet)', () => {
  let out: string;
  beforeAll(async () => {
    out = await synth('fluent-bit');
  }, 120_000);

  it('tails the file --audit-log-path names, with a buffer for the truncated events and the rotated files excluded', () => {
    const flags = read(out, 'cluster/apiserver-flags.txt').trim().split('\n');
    expect(flags).toContain('--audit-log-path=/var/log/kubernetes/audit/audit.log');
    expect(flags).toContain('--audit-log-truncate-max-event-size=102400');
    expect(flags).toContain('--audit-log-compress=true');
    const config = fluentbit.parseFluentBitYaml(read(out, 'cluster/fluent-bit/fluent-bit.yaml'));
    expect(config.problems).toEqual([]);
    const tail = config.value!.inputs[0]!;
    expect(fluentbit.valueText(fluentbit.propertyValue(tail, 'path')!)).toBe('/var/log/kubernetes/audit/audit.log');
    expect(fluentbit.propertyValue(tail, 'buffer_max_size')).toBe('102402');
    expect(fluentbit.valueText(fluentbit.propertyValue(tail, 'exclude_path')!)).toContain('audit-*.log.gz');
  });

  itWithCore('writes one valid core/v1 ConfigMap holding the config and the SIEM\'s Lua filter, and valid DaemonSet volumes', async () => {
    // core/v1's schemas exist only when @k8s-gen/core was generated from a spec.
    const { ConfigMapSchema, VolumeMountSchema, VolumeSchema } = await import('@k8s-gen/core');
    const objects = parseAllDocuments(read(out, 'cluster/kubernetes/objects.yaml')).map((d) => d.toJS());
    const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'audit-fluent-bit');
    expect(ConfigMapSchema.safeParse(configMap).success).toBe(true);
    expect(Object.keys(configMap.data)).toEqual(['audit-policy-siem.lua', 'fluent-bit.yaml']);
    expect(configMap.data['fluent-bit.yaml']).toBe(read(out, 'cluster/fluent-bit/fluent-bit.yaml'));
    const { volumes, volumeMounts } = parse(read(out, 'cluster/fluent-bit/daemonset-volumes.yaml'));
    for (const volume of volumes) expect(VolumeSchema.safeParse(volume).success).toBe(true);
    for (const mount of volumeMounts) expect(VolumeMountSchema.safeParse(mount).success).toBe(true);
  });
});

describe('managed-cluster example (an EKS export through Fluent Bit\'s Lua filter)', () => {
  let out: string;
  beforeAll(async () => {
    out = await synth('managed-cluster');
  }, 120_000);

  it('writes no apiserver audit flags (EKS sets its own), only the shipper', () => {
    expect(read(out, 'eks/apiserver-flags.txt').trim()).toBe('');
    const config = fluentbit.parseFluentBitYaml(read(out, 'eks/fluent-bit/fluent-bit.yaml')).value!;
    expect(config.filters.map((f) => f.name)).toEqual(['lua']);
  });

  it('drops or lowers each event of an EKS CloudWatch Logs export in lua5.4 exactly as the apiserver would under the policy', async () => {
    // The EKS shape (aws logs filter-log-events): each log event's message is the apiserver's Event.
    const event = (id: number, verb: string, requestURI: string, username: string, objectRef?: Record<string, string>, body?: unknown) => ({
      kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: body === undefined ? 'Metadata' : 'RequestResponse', auditID: `7d3c0b1e-0000-4000-8000-${String(id).padStart(12, '0')}`,
      stage: 'ResponseComplete', requestURI, verb, user: { username, groups: ['system:authenticated'] }, sourceIPs: ['10.0.0.1'],
      ...(objectRef ? { objectRef: { apiVersion: 'v1', ...objectRef } } : {}),
      ...(body === undefined ? {} : { requestObject: body, responseObject: body }),
      responseStatus: { metadata: {}, code: 200 }, requestReceivedTimestamp: '2024-05-16T17:03:59.000000Z', stageTimestamp: '2024-05-16T17:03:59.004000Z',
    });
    const pod = { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'web', namespace: 'shop', managedFields: [{ manager: 'kubectl', operation: 'Apply' }] } };
    const events = [
      event(1, 'watch', '/api/v1/endpoints?watch=true', 'system:kube-proxy', { resource: 'endpoints' }),
      event(2, 'get', '/healthz', 'system:anonymous'),
      event(3, 'get', '/api/v1/namespaces/shop/secrets/db', 'alice', { resource: 'secrets', namespace: 'shop', name: 'db' }, { kind: 'Secret', data: { password: 'aHVudGVyMg==' } }),
      event(4, 'create', '/api/v1/namespaces/shop/pods', 'bob', { resource: 'pods', namespace: 'shop', name: 'web' }, pod),
      event(5, 'list', '/api/v1/namespaces/shop/pods', 'bob', { resource: 'pods', namespace: 'shop' }, { kind: 'PodList', items: [] }),
      { ...event(6, 'create', '/api/v1/namespaces/shop/pods', 'bob', { resource: 'pods', namespace: 'shop' }), stage: 'RequestReceived' },
    ];
    const work = mkdtempSync(join(tmpdir(), 'k8s-gen-eks-'));
    const exportFile = join(work, 'eks-audit.json');
    writeFileSync(exportFile, JSON.stringify({ events: events.map((e, i) => ({ logStreamName: 'kube-apiserver-audit-6f1d2c', timestamp: 1_715_878_000_000 + i, message: JSON.stringify(e), ingestionTime: 1_715_878_000_900 + i, eventId: String(i) })), searchedLogStreams: [] }, null, 2));
    // The engine's EKS reader gives back the Events as the apiserver wrote them: the lines Fluent Bit reads.
    const lines: string[] = [];
    for await (const line of auditEventLines(exportFile, { format: 'eks' })) if (line.text !== undefined) lines.push(line.text);
    expect(lines).toHaveLength(events.length);

    const script = read(out, 'eks/fluent-bit/audit-policy-siem.lua');
    const lua = fluentbit.parseFluentBitYaml(read(out, 'eks/fluent-bit/fluent-bit.yaml')).value!.filters[0]!;
    const call = fluentbit.valueText(fluentbit.propertyValue(lua, 'call')!);
    writeFileSync(join(work, 'filter.lua'), script);
    const run = spawnSync('lua5.4', [harness, join(work, 'filter.lua'), call], { input: `${lines.join('\n')}\n`, encoding: 'utf8' });
    if (run.error !== undefined) throw new Error(`lua5.4 could not be run (${run.error.message}); install it with apt-get install lua5.4, as .ci/run does`);
    expect(run.stderr).toBe('');
    const results = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { code: number; record?: Record<string, unknown> });

    // The apiserver's side of the comparison: the same policy, from the example's own module.
    const { siemPolicy } = await import('../managed-cluster/policy.js');
    const actions = lines.map((line, i) => {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      const want = policyFilter.downstreamOutcome(parsed, evaluate(siemPolicy.build(), attributesFromEvent(parsed), { kubernetesVersion: '1.31' }));
      const got = results[i]!;
      if (want.action === 'drop') expect(got.code, `event ${i + 1}`).toBe(-1);
      else if (want.changed) expect(got).toEqual({ code: 2, record: want.event });
      else expect(got.code, `event ${i + 1}`).toBe(0);
      return want.action === 'drop' ? 'drop' : want.changed ? `lower:${String((got.record as { level?: string }).level)}` : 'keep';
    });
    // kube-proxy's watch, the health check and the RequestReceived stage dropped; the secret and the list lowered to Metadata, the create to Request.
    expect(actions).toEqual(['drop', 'drop', 'lower:Metadata', 'lower:Request', 'lower:Metadata', 'drop']);
    const created = results[3]!.record as { requestObject: { metadata: Record<string, unknown> }; responseObject?: unknown };
    expect(created.responseObject).toBeUndefined();
    expect(created.requestObject.metadata.managedFields).toBeUndefined();
  });
});

// Managed clusters' audit logs as input to cost, explain and lint. The fixtures are built here, at
// test time, from the shapes the providers document (AWS CloudWatch Logs, Google Cloud Logging
// LogEntry/AuditLog, Azure Monitor resource logs and the AKSAudit table), wrapping the events of
// the real audit log in ../shared/samples: nothing is copied into the repository.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docsExamplePolicy, minimalMetadataPolicy, type Policy } from '@k8s-gen/audit';
import { afterAll, describe, expect, it } from 'vitest';
import {
  attributesFromEvent,
  auditEventLines,
  AuditLogFormatError,
  costReplay,
  detectAuditLogFormat,
  evaluate,
  explainLog,
  lintLog,
  newFormatStatus,
  requestFromHttp,
  resourceNameToRequest,
  type LoggedAuditEvent,
} from '../src/index.js';
import { describeWithShared, readShared, SHARED_FILES, sharedPath } from '../../../test/support/shared-data.js';
import { gkeEntry } from './gke-entries.js';

const sample = sharedPath(SHARED_FILES.sampleLog);
// Read when the block below runs (the data may be absent: then the block is skipped).
let sampleLines: string[] = [];
let sampleEvents: Record<string, unknown>[] = [];
const work = mkdtempSync(join(tmpdir(), 'k8s-gen-formats-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

const lines = (items: readonly unknown[]): string => `${items.map((item) => JSON.stringify(item)).join('\n')}\n`;
const time = (i: number) => 1_715_878_000_000 + i;

// --- EKS: CloudWatch Logs (AWS docs: subscription filter payloads, FilterLogEvents, S3 export) ----
const subscriptionPayloads = (): unknown[] => {
  const payloads: unknown[] = [{ messageType: 'CONTROL_MESSAGE', owner: 'CloudwatchLogs', logGroup: '', logStream: '', subscriptionFilters: [], logEvents: [{ id: '', timestamp: 0, message: 'CWL CONTROL MESSAGE: Checking health of destination Firehose.' }] }];
  for (let i = 0; i < sampleLines.length; i += 100) {
    payloads.push({
      messageType: 'DATA_MESSAGE',
      owner: '111122223333',
      logGroup: '/aws/eks/prod/cluster',
      logStream: 'kube-apiserver-audit-0a1b2c3d4e5f',
      subscriptionFilters: ['audit-to-firehose'],
      logEvents: sampleLines.slice(i, i + 100).map((message, j) => ({ id: String(39_000_000 + i + j), timestamp: time(i + j), message })),
    });
  }
  return payloads;
};
const filterLogEventsDocument = () =>
  JSON.stringify({ events: sampleLines.map((message, i) => ({ logStreamName: 'kube-apiserver-audit-0a1b2c3d4e5f', timestamp: time(i), message, ingestionTime: time(i) + 800, eventId: String(i) })), searchedLogStreams: [] }, null, 2);
const s3ExportText = () => `${sampleLines.map((message, i) => `${new Date(time(i)).toISOString()} ${message}`).join('\n')}\n`;

// --- AKS: resource logs (storage account lines, event hub records) and Log Analytics rows ---------
const resourceLogRecord = (line: string, category = 'kube-audit') => ({
  time: '2024-05-16T17:03:59.9940000Z',
  resourceId: '/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/PROD',
  category,
  operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read',
  properties: { log: line, stream: 'stdout', pod: 'kube-apiserver-6d4b8f7c9-abcde' },
});
const aksAuditRow = (event: Record<string, unknown>) => ({
  TenantId: '11111111-1111-1111-1111-111111111111',
  TimeGenerated: event.stageTimestamp,
  Level: event.level,
  AuditId: event.auditID,
  Stage: event.stage,
  RequestUri: event.requestURI,
  Verb: event.verb,
  User: event.user,
  SourceIps: event.sourceIPs,
  UserAgent: event.userAgent,
  ObjectRef: event.objectRef,
  ResponseStatus: event.responseStatus,
  RequestObject: event.requestObject ?? 'skipped-too-big-size-object',
  ResponseObject: event.responseObject ?? null,
  RequestReceivedTime: event.requestReceivedTimestamp,
  StageReceivedTime: event.stageTimestamp,
  Annotations: event.annotations,
  PodName: 'kube-apiserver-6d4b8f7c9-abcde',
  Type: 'AKSAudit',
});

const total = (report: Awaited<ReturnType<typeof costReplay>>) => ({ log: report.log, candidate: report.candidate, requests: report.input.requests, events: report.input.events });

describeWithShared('managed clusters\' logs, built around the real sample', [SHARED_FILES.sampleLog], () => {
  sampleLines = readShared(SHARED_FILES.sampleLog).split('\n').filter((line) => line !== '');
  sampleEvents = sampleLines.map((line) => JSON.parse(line) as Record<string, unknown>);

  describe('format detection', () => {
    it('recognises every shape from its first record, and refuses anything else clearly', () => {
      expect(detectAuditLogFormat(sampleEvents[0])?.format).toBe('kubernetes');
      expect(detectAuditLogFormat(subscriptionPayloads()[1])).toEqual({ format: 'eks', shape: 'a CloudWatch Logs subscription payload' });
      expect(detectAuditLogFormat(undefined, s3ExportText().split('\n')[0])?.format).toBe('eks');
      expect(detectAuditLogFormat(resourceLogRecord(sampleLines[0]!))?.format).toBe('aks');
      expect(detectAuditLogFormat({ records: [resourceLogRecord(sampleLines[0]!)] })?.format).toBe('aks');
      expect(detectAuditLogFormat({ Category: 'kube-audit-admin', log_s: sampleLines[0] })?.format).toBe('aks');
      expect(detectAuditLogFormat(aksAuditRow(sampleEvents[0]!))?.format).toBe('aks');
      expect(detectAuditLogFormat(gkeEntry(sampleEvents.find((e) => e.objectRef)!))?.format).toBe('gke');
      expect(detectAuditLogFormat({ hello: 'world' })).toBeUndefined();
    });

    it('fails with the shape it saw and what to do, for a log in no format', async () => {
      const path = file('unknown.jsonl', '{"level":"info","msg":"starting"}\n');
      const error = await costReplay({ policy: minimalMetadataPolicy().build(), log: path }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuditLogFormatError);
      expect((error as AuditLogFormatError).message).toContain('the keys level, msg');
      expect((error as AuditLogFormatError).fix).toContain('--input-format');
    });
  });

  describe('EKS: the events CloudWatch Logs keeps are the apiserver\'s own', () => {
    const policy = docsExamplePolicy().build();

    it('replays subscription payloads, filter-log-events output and S3 exports exactly as the original log', async () => {
      const original = total(await costReplay({ policy, log: sample }));
      for (const [name, text] of [['subscription.jsonl', lines(subscriptionPayloads())], ['filter-log-events.json', filterLogEventsDocument()], ['export.txt', s3ExportText()]] as const) {
        const report = await costReplay({ policy, log: file(name, text) });
        expect(report.input.format.format).toBe('eks');
        expect(total(report)).toEqual(original);
      }
    });

    it('counts a control message as no events, and skips records without a message', async () => {
      const status = newFormatStatus();
      const out: string[] = [];
      for await (const line of auditEventLines(file('mixed.jsonl', lines([...subscriptionPayloads().slice(0, 2), { messageType: 'DATA_MESSAGE', logGroup: 'g', logEvents: [{ id: '1' }] }])), { formatStatus: status })) if (line.text) out.push(line.text);
      expect(out).toHaveLength(100);
      expect(status).toMatchObject({ format: 'eks', records: 3, events: 100, skipped: 1 });
    });
  });

  describe('AKS: resource logs keep the Event, AKSAudit rows are rebuilt', () => {
    const policy = docsExamplePolicy().build();

    it('replays storage-account lines, event hub records and AzureDiagnostics rows exactly as the original log', async () => {
      const original = total(await costReplay({ policy, log: sample }));
      const hub = [];
      for (let i = 0; i < sampleLines.length; i += 50) hub.push({ records: [...sampleLines.slice(i, i + 50).map((line) => resourceLogRecord(line)), { ...resourceLogRecord('apiserver started'), category: 'kube-apiserver' }] });
      for (const [name, text] of [
        ['storage.jsonl', lines(sampleLines.map((line) => resourceLogRecord(line)))],
        ['hub.jsonl', lines(hub)],
        ['diagnostics.json', JSON.stringify(sampleLines.map((line) => ({ TenantId: 't', Category: 'kube-audit', log_s: line, TimeGenerated: '2024-05-16T17:03:59Z' })), null, 2)],
      ] as const) {
        const report = await costReplay({ policy, log: file(name, text) });
        expect(report.input.format.format).toBe('aks');
        expect(total(report)).toEqual(original);
      }
    });

    it('rebuilds AKSAudit rows into events the policy decides as the originals, without the bodies Azure skipped', async () => {
      const rows = sampleEvents.map(aksAuditRow);
      const decided = [];
      for await (const line of auditEventLines(file('aksaudit.json', JSON.stringify(rows, null, 2)))) decided.push(JSON.parse(line.text!) as LoggedAuditEvent);
      expect(decided).toHaveLength(sampleEvents.length);
      decided.forEach((event, i) => {
        expect(evaluate(policy, attributesFromEvent(event))).toEqual(evaluate(policy, attributesFromEvent(sampleEvents[i] as LoggedAuditEvent)));
        expect(event).not.toHaveProperty('requestObject', 'skipped-too-big-size-object');
      });
    });
  });

  describe('GKE: LogEntries are mapped back to events, without what Google does not keep', () => {
    it('reads objectRef and the path from resourceName as RequestInfoFactory reads the URL', () => {
      for (const url of ['/api/v1/namespaces/a/pods/p/exec', '/apis/apps/v1/namespaces/b/deployments/d/scale', '/api/v1/nodes/n1', '/api/v1/namespaces/kube-system', '/api/v1/namespaces/kube-system/status', '/apis/rbac.authorization.k8s.io/v1/clusterroles']) {
        const parts = url.split('/');
        const resourceName = url.startsWith('/api/') ? `core/${parts.slice(2).join('/').slice(0)}` : parts.slice(2).join('/');
        const mapped = resourceNameToRequest(resourceName)!;
        expect(mapped.requestURI).toBe(url);
        const fromUrl = requestFromHttp({ method: 'GET', url, user: 'alice' });
        expect(mapped.objectRef).toMatchObject({ resource: fromUrl.resource, ...(fromUrl.namespace ? { namespace: fromUrl.namespace } : {}), ...(fromUrl.name ? { name: fromUrl.name } : {}), ...(fromUrl.subresource ? { subresource: fromUrl.subresource } : {}) });
      }
    });

    it('decides every mapped entry as the original event, for a policy that does not look at groups', async () => {
      const policy: Policy = { ...docsExamplePolicy().build(), rules: docsExamplePolicy().build().rules.filter((rule) => rule.userGroups === undefined) };
      const resourceEvents = sampleEvents.filter((e) => gkeEntry(e) !== undefined);
      const status = newFormatStatus();
      const mapped: LoggedAuditEvent[] = [];
      for await (const line of auditEventLines(file('gke.jsonl', lines(resourceEvents.map(gkeEntry))), { formatStatus: status })) mapped.push(JSON.parse(line.text!) as LoggedAuditEvent);
      expect(status).toMatchObject({ format: 'gke', events: resourceEvents.length, skipped: 0 });
      expect(status.lost).toContain('user.groups');
      mapped.forEach((event, i) => {
        const original = resourceEvents[i] as LoggedAuditEvent;
        const decision = evaluate(policy, attributesFromEvent(event));
        expect({ rule: decision.ruleIndex, level: decision.level }).toEqual({ rule: evaluate(policy, attributesFromEvent(original)).ruleIndex, level: evaluate(policy, attributesFromEvent(original)).level });
        expect(event.auditID).toBe(original.auditID);
      });
    });

    it('skips entries that are not Kubernetes resource requests, counting them', async () => {
      const status = newFormatStatus();
      const entry = gkeEntry(sampleEvents.find((e) => e.objectRef)!)!;
      const other = { ...entry, protoPayload: { ...(entry.protoPayload as object), methodName: 'google.container.v1.ClusterManager.GetCluster', resourceName: 'projects/p/locations/l/clusters/c' } };
      for await (const _ of auditEventLines(file('gke-mixed.jsonl', lines([entry, other])), { formatStatus: status }));
      expect(status).toMatchObject({ records: 2, events: 1, skipped: 1 });
      expect(status.skippedSamples[0]!.message).toContain('GetCluster');
    });

    it('lint on a GKE log warns about userGroups rules, which the log cannot show matching', async () => {
      const log = file('gke-lint.jsonl', lines(sampleEvents.map(gkeEntry).filter(Boolean)));
      const { findings, requests } = await lintLog(docsExamplePolicy().build(), log);
      expect(requests).toBeGreaterThan(100);
      expect(findings.filter((f) => f.code === 'log-lacks-groups').map((f) => f.path)).toEqual(['rules[4].userGroups']);
    });
  });

  describe('explain and lint over a log', () => {
    it('explains the most frequent kinds of request, and one request by audit ID', async () => {
      const policy = docsExamplePolicy().build();
      const report = await explainLog(policy, file('eks.jsonl', lines(subscriptionPayloads())), { limit: 3 });
      expect(report.format.format).toBe('eks');
      expect(report.explained).toHaveLength(3);
      expect(report.explained[0]!.count).toBeGreaterThanOrEqual(report.explained[1]!.count);
      expect(report.explained[0]!.explanation.result).toEqual(evaluate(policy, report.explained[0]!.attributes));
      const one = sampleEvents[10]!;
      const single = await explainLog(policy, sample, { auditID: one.auditID as string });
      expect(single).toMatchObject({ requests: 1, kinds: 1 });
      expect(single.explained[0]!.auditID).toBe(one.auditID);
    });

    it('reports the rules no request of the log reaches', async () => {
      const { findings, ruleHits, requests } = await lintLog(docsExamplePolicy().build(), sample);
      expect(ruleHits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(requests);
      const unused = findings.filter((f) => f.code === 'rule-unused-in-log').map((f) => f.path);
      expect(unused).toEqual(ruleHits.map((hits, i) => (hits === 0 ? `rules[${i}]` : undefined)).filter(Boolean));
    });
  });
});

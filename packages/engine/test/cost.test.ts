import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePolicy, type Policy } from '@k8s-gen/audit';
import { costReplay } from '../src/cost.js';
import { describeWithShared, hasShared, SHARED_FILES, sharedPath } from '../../../test/support/shared-data.js';

const samplePath = sharedPath(SHARED_FILES.sampleLog);
/** The sample's text; empty without ../shared, where every block reading it is skipped. */
const sampleText = hasShared(SHARED_FILES.sampleLog) ? readFileSync(samplePath, 'utf8') : '';
const sampleLines = sampleText.split('\n').filter(Boolean);
const sampleEvents = sampleLines.map((line) => JSON.parse(line) as Record<string, unknown>);
const work = mkdtempSync(path.join(tmpdir(), 'k8s-gen-cost-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Encodes like Go's encoding/json (which escapes <, >, & and U+2028/9); checked below to reproduce the sample. */
const goJson = (value: unknown): string => JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const lineBytes = (text: string): number => Buffer.byteLength(text) + 1;
const policyOf = (rules: Policy['rules'], extra: Partial<Policy> = {}): Policy => ({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', ...extra, rules });
const writeLog = (name: string, lines: string[]): string => {
  const file = path.join(work, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
};

describeWithShared('costReplay on the real RequestResponse sample', [SHARED_FILES.sampleLog, SHARED_FILES.samplePolicy], () => {
  it('through the policy the log was written with, reproduces the log totals exactly', async () => {
    const parsed = parsePolicy(readFileSync(sharedPath(SHARED_FILES.samplePolicy), 'utf8'));
    if (!parsed.ok) throw new Error('sample policy did not parse');
    const report = await costReplay({ policy: parsed.policy, log: samplePath });
    const fileBytes = Buffer.byteLength(sampleText);
    expect(report.input).toMatchObject({ lines: sampleLines.length, events: sampleLines.length, badLines: 0, bytesRead: fileBytes });
    expect(report.input.requests).toBe(new Set(sampleEvents.map((e) => e.auditID)).size);
    expect(report.log).toMatchObject({ events: sampleLines.length, bytes: fileBytes });
    expect(report.candidate).toMatchObject({ events: sampleLines.length, bytes: fileBytes, estimated: false });
    expect(report.change).toEqual({ droppedEvents: 0, droppedBytes: 0, addedEvents: 0, addedBytes: 0 });
    // Per-second figures use the span between the first and the last stageTimestamp.
    const stamps = sampleEvents.map((e) => Date.parse(e.stageTimestamp as string));
    const seconds = (Math.max(...stamps) - Math.min(...stamps)) / 1000;
    expect(report.window.seconds).toBeCloseTo(seconds, 6);
    expect(report.log.bytesPerSecond).toBeCloseTo(fileBytes / seconds, 6);
  });

  it('a Metadata-only candidate drops exactly the body bytes (checked by re-encoding every event)', async () => {
    // The re-encoding reproduces each original line, so it can stand in for the apiserver's encoder.
    expect(sampleEvents.every((event, i) => goJson(event) === sampleLines[i])).toBe(true);
    const atLevel = (level: string, keepRequest: boolean): number =>
      sampleEvents.reduce((sum, event) => {
        const { requestObject, responseObject, ...rest } = event;
        const reduced: Record<string, unknown> = {};
        for (const [key, value] of Object.entries({ ...rest, level })) reduced[key] = value;
        // Keep the apiserver's field order: bodies sit just before requestReceivedTimestamp.
        const ordered: Record<string, unknown> = {};
        for (const key of Object.keys(event)) {
          if (key === 'requestObject' && !keepRequest) continue;
          if (key === 'responseObject') continue;
          ordered[key] = key === 'level' ? level : key === 'requestObject' ? requestObject : event[key];
        }
        void responseObject;
        return sum + lineBytes(goJson(ordered));
      }, 0);
    const metadata = await costReplay({ policy: policyOf([{ level: 'Metadata' }]), log: samplePath });
    expect(metadata.candidate.events).toBe(sampleLines.length);
    expect(metadata.candidate.bytes).toBe(atLevel('Metadata', false));
    expect(metadata.candidate.estimated).toBe(false);
    expect(metadata.change.droppedBytes).toBe(metadata.log.bytes - metadata.candidate.bytes);
    expect(metadata.change.droppedBytes).toBeGreaterThan(metadata.log.bytes / 3);
    const request = await costReplay({ policy: policyOf([{ level: 'Request' }]), log: samplePath });
    expect(request.candidate.bytes).toBe(atLevel('Request', true));
  });

  it('omitManagedFields removes exactly the managed fields of the bodies it keeps', async () => {
    const strip = (body: unknown): unknown => {
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
      const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
      if (typeof copy.metadata === 'object' && copy.metadata !== null) {
        const { managedFields: _dropped, ...metadata } = copy.metadata as Record<string, unknown>;
        copy.metadata = metadata;
      }
      if (Array.isArray(copy.items)) copy.items = copy.items.map(strip);
      return copy;
    };
    const expected = sampleEvents.reduce((sum, event) => {
      const copy: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(event)) copy[key] = key === 'requestObject' || key === 'responseObject' ? strip(value) : value;
      return sum + lineBytes(goJson(copy));
    }, 0);
    expect(expected).toBeLessThan(Buffer.byteLength(sampleText));
    const report = await costReplay({ policy: policyOf([{ level: 'RequestResponse' }], { omitManagedFields: true }), log: samplePath });
    expect(report.candidate.bytes).toBe(expected);
  });

  it('omitting RequestReceived drops exactly those events; a None rule drops a whole resource', async () => {
    const received = sampleLines.filter((_, i) => sampleEvents[i]!.stage === 'RequestReceived');
    const report = await costReplay({ policy: policyOf([{ level: 'RequestResponse' }], { omitStages: ['RequestReceived'] }), log: samplePath });
    expect(report.change.droppedEvents).toBe(received.length);
    const byStage = Object.fromEntries(report.breakdowns.stage.rows.map((row) => [row.key, row]));
    expect(byStage.RequestReceived!.candidate.events).toBe(0);
    expect(byStage.RequestReceived!.log.events).toBe(received.length);
    expect(byStage.ResponseStarted!.candidate.events).toBe(sampleEvents.filter((e) => e.stage === 'ResponseStarted').length);
    expect(report.change.droppedBytes).toBe(received.reduce((sum, line) => sum + lineBytes(line), 0));

    const isVersion = (e: Record<string, unknown>): boolean => (e.requestURI as string).split('?')[0] === '/version';
    const versionBytes = sampleLines.filter((_, i) => isVersion(sampleEvents[i]!)).reduce((sum, line) => sum + lineBytes(line), 0);
    const none = await costReplay({ policy: policyOf([{ level: 'None', nonResourceURLs: ['/version'] }, { level: 'RequestResponse' }]), log: samplePath });
    expect(none.change.droppedBytes).toBe(versionBytes);
    const rules = Object.fromEntries(none.breakdowns.rule.rows.map((row) => [row.key, row]));
    expect(rules['rules[0]']!.candidate.bytes).toBe(0);
    expect(rules['rules[0]']!.log.bytes).toBe(versionBytes);
    expect(rules['rules[1]']!.candidate.bytes).toBe(none.candidate.bytes);
    expect(none.largest.dropped.some((c) => c.dimension === 'resource' && c.key === '/version')).toBe(true);
  });

  it('breaks the output down by user, resource and verb, each adding up to the total', async () => {
    const report = await costReplay({ policy: policyOf([{ level: 'Metadata' }]), log: samplePath, top: 1000 });
    for (const dimension of ['user', 'resource', 'verb', 'level', 'logLevel', 'stage', 'rule'] as const) {
      const rows = report.breakdowns[dimension].rows;
      expect(rows.reduce((sum, row) => sum + row.candidate.bytes, 0)).toBe(report.candidate.bytes);
      expect(rows.reduce((sum, row) => sum + row.log.events, 0)).toBe(report.log.events);
    }
    const listEvents = sampleEvents.filter((e) => e.verb === 'list').length;
    expect(report.breakdowns.verb.rows.find((row) => row.key === 'list')!.log.events).toBe(listEvents);
    expect(report.breakdowns.logLevel.rows.map((row) => row.key)).toEqual(['RequestResponse']);
  });

  it('reads gzip input and gives the same figures', async () => {
    const gz = path.join(work, 'audit.log.gz');
    writeFileSync(gz, gzipSync(sampleText));
    const seen: number[] = [];
    const policy = policyOf([{ level: 'Metadata' }]);
    const fromGzip = await costReplay({ policy, log: gz, onProgress: (read) => seen.push(read) });
    const plain = await costReplay({ policy, log: samplePath });
    expect(fromGzip.candidate).toEqual(plain.candidate);
    expect(fromGzip.log).toEqual(plain.log);
    // Progress counts the compressed bytes read from disk.
    expect(seen.at(-1)).toBe(readFileSync(gz).length);
  });

  it('counts corrupt lines and keeps going', async () => {
    const lines = [...sampleLines];
    lines.splice(10, 0, '{"kind":"Event","level":'); // cut short
    lines.splice(20, 0, 'not json at all');
    lines.splice(30, 0, '{"kind":"Pod","apiVersion":"v1"}'); // JSON, but not an audit event
    lines.push('[1,2,3]');
    const file = writeLog('corrupt.log', lines);
    const report = await costReplay({ policy: policyOf([{ level: 'RequestResponse' }]), log: file });
    expect(report.input.badLines).toBe(4);
    expect(report.input.badLineSamples.map((s) => s.line)).toEqual([11, 21, 31, lines.length]);
    expect(report.input.badLineSamples[0]!.message).toMatch(/not JSON/);
    expect(report.input.events).toBe(sampleLines.length);
    expect(report.candidate.bytes).toBe(Buffer.byteLength(sampleText));
  });

  it('reads EventList documents as a webhook receives them', async () => {
    const lists: string[] = [];
    for (let i = 0; i < sampleEvents.length; i += 50) {
      lists.push(JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items: sampleEvents.slice(i, i + 50) }));
    }
    const report = await costReplay({ policy: policyOf([{ level: 'RequestResponse' }]), log: writeLog('eventlists.jsonl', lists) });
    expect(report.input.eventLists).toBe(lists.length);
    expect(report.input.events).toBe(sampleEvents.length);
    expect(report.input.requests).toBe(new Set(sampleEvents.map((e) => e.auditID)).size);
    // Items are measured by encoding them, which differs from Go's only in escaped characters.
    expect(Math.abs(report.log.bytes - Buffer.byteLength(sampleText)) / Buffer.byteLength(sampleText)).toBeLessThan(0.01);
  });

  it('accepts lines from any async iterable', async () => {
    async function* lines(): AsyncGenerator<string> {
      yield* sampleLines;
    }
    const report = await costReplay({ policy: policyOf([{ level: 'RequestResponse' }]), log: lines() });
    expect(report.candidate.bytes).toBe(Buffer.byteLength(sampleText));
  });

  it('keeps state bounded: tiny open-request and key limits change nothing in the totals', async () => {
    const policy = policyOf([{ level: 'Metadata' }]);
    const full = await costReplay({ policy, log: samplePath });
    const bounded = await costReplay({ policy, log: samplePath, maxOpenRequests: 4, maxKeys: 3 });
    expect(bounded.candidate).toEqual(full.candidate);
    expect(bounded.breakdowns.resource.pooled).toBe(true);
    expect(bounded.breakdowns.resource.rows.length).toBeLessThanOrEqual(4);
    expect(bounded.breakdowns.resource.rows.some((row) => row.key === '(other)')).toBe(true);
  });
});

describe('costReplay on requests that failed authentication', () => {
  it('sees no user, so user rules miss them, and omitting ResponseStarted drops them', async () => {
    const failed = [1, 2, 3].map((n) =>
      goJson({
        kind: 'Event',
        apiVersion: 'audit.k8s.io/v1',
        level: 'Metadata',
        auditID: `00000000-0000-0000-0000-00000000000${n}`,
        stage: 'ResponseStarted',
        requestURI: '/api/v1/secrets',
        verb: 'list',
        user: {},
        sourceIPs: ['10.0.0.9'],
        objectRef: { resource: 'secrets', apiVersion: 'v1' },
        responseStatus: { metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 },
        requestReceivedTimestamp: '2026-11-22T03:44:00.000000Z',
        stageTimestamp: '2026-11-22T03:44:00.000100Z',
      }),
    );
    const file = writeLog('failed-auth.log', failed);
    const failedBytes = failed.reduce((sum, line) => sum + lineBytes(line), 0);
    const byUser = await costReplay({ policy: policyOf([{ level: 'None', userGroups: ['system:unauthenticated'] }, { level: 'Metadata' }]), log: file });
    expect(byUser.candidate.bytes).toBe(failedBytes);
    expect(byUser.breakdowns.user.rows.map((row) => row.key)).toEqual(['(unauthenticated)']);
    const omitting = await costReplay({ policy: policyOf([{ level: 'Metadata' }], { omitStages: ['ResponseStarted'] }), log: file });
    expect(omitting.candidate.events).toBe(0);
    expect(omitting.change.droppedBytes).toBe(failedBytes);
  });

  it('never quotes a corrupt line in its report (it may hold secrets)', async () => {
    const report = await costReplay({ policy: policyOf([{ level: 'Metadata' }]), log: writeLog('secret.log', ['{"kind":"Event","token":"s3cr3t-value']) });
    expect(report.input.badLines).toBe(1);
    expect(JSON.stringify(report)).not.toContain('s3cr3t');
  });
});

describeWithShared('costReplay estimates what the log does not carry', [SHARED_FILES.sampleLog], () => {
  it('raising the level estimates bodies from similar events and marks them estimated', async () => {
    // Half the requests (by audit ID) are logged at Metadata, without bodies; the rest keep theirs.
    const demoted = (event: Record<string, unknown>): boolean => parseInt((event.auditID as string).slice(-1), 16) % 2 === 0;
    const lines = sampleEvents.map((event, i) => {
      if (!demoted(event)) return sampleLines[i]!;
      const copy: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(event)) if (key !== 'requestObject' && key !== 'responseObject') copy[key] = key === 'level' ? 'Metadata' : value;
      return goJson(copy);
    });
    const report = await costReplay({ policy: policyOf([{ level: 'RequestResponse' }]), log: writeLog('mixed.log', lines) });
    expect(report.candidate.estimated).toBe(true);
    expect(report.candidate.estimatedEvents).toBeGreaterThan(0);
    expect(report.change.addedBytes).toBeGreaterThan(0);
    expect(report.breakdowns.logLevel.rows.map((row) => row.key).sort()).toEqual(['Metadata', 'RequestResponse']);
    // The estimate lands near the truth: the original all-RequestResponse log.
    const truth = Buffer.byteLength(sampleText);
    expect(Math.abs(report.candidate.bytes - truth) / truth).toBeLessThan(0.15);
  });

  it('infers RequestReceived events a log omitted when the candidate keeps them', async () => {
    const kept = sampleLines.filter((_, i) => sampleEvents[i]!.stage !== 'RequestReceived');
    const receivedBytes = sampleLines.filter((_, i) => sampleEvents[i]!.stage === 'RequestReceived').reduce((sum, line) => sum + lineBytes(line), 0);
    const report = await costReplay({ policy: policyOf([{ level: 'RequestResponse' }]), log: writeLog('no-received.log', kept) });
    const requests = new Set(sampleEvents.map((e) => e.auditID)).size;
    expect(report.change.addedEvents).toBe(requests);
    expect(report.candidate.estimated).toBe(true);
    expect(Math.abs(report.change.addedBytes - receivedBytes) / receivedBytes).toBeLessThan(0.25);
  });
});

import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseAuditLogLine, parsePolicy, parseWebhookBody, readAuditLog, type Event } from '../src/index.js';
import { describeWithShared, hasShared, readShared, SHARED_FILES, sharedPath } from './shared-seed.js';

const logPath = sharedPath(SHARED_FILES.sampleLog);
/** The sample's lines; empty without ../shared, where every block reading them is skipped. */
const logLines = hasShared(SHARED_FILES.sampleLog) ? readShared(SHARED_FILES.sampleLog).split('\n').filter((line) => line !== '') : [];

/** Stage counts worked out with plain JSON.parse, independently of the code under test. */
function stageCounts(lines: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of lines) {
    const stage = (JSON.parse(line) as { stage: string }).stage;
    counts[stage] = (counts[stage] ?? 0) + 1;
  }
  return counts;
}

describeWithShared('the real 1.20 audit log sample', [SHARED_FILES.sampleLog, SHARED_FILES.samplePolicy], () => {
  it('parses every line', () => {
    for (const line of logLines) {
      const result = parseAuditLogLine(line);
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      expect(result.value).toEqual(JSON.parse(line));
    }
  });

  it('streams every event with its line number and the right stage counts', async () => {
    const log = readAuditLog(createReadStream(logPath), { file: 'audit.log' });
    const counts: Record<string, number> = {};
    let previousLine = 0;
    for await (const { line, event } of log) {
      expect(line).toBe(previousLine + 1);
      previousLine = line;
      counts[event.stage] = (counts[event.stage] ?? 0) + 1;
    }
    expect(counts).toEqual(stageCounts(logLines));
    expect(Object.keys(counts).sort()).toEqual(['RequestReceived', 'ResponseComplete', 'ResponseStarted']);
    expect({ lines: log.lines, events: log.events, badLines: log.badLines }).toEqual({ lines: logLines.length, events: logLines.length, badLines: 0 });
  });

  it('counts bad lines instead of throwing, and says where they are', async () => {
    const lines = [logLines[0]!, 'not json', '', '{"kind":"Event","apiVersion":"audit.k8s.io/v1"}', logLines[1]!, logLines[2]!.replace('"stage":"', '"stage":"X'), '[1,2]', logLines[3]!];
    const log = readAuditLog(Readable.from([lines.join('\r\n')]), { file: 'mixed.log' });
    const seen: number[] = [];
    for await (const { line } of log) seen.push(line);
    expect(seen).toEqual([1, 5, 8]);
    expect({ lines: log.lines, events: log.events, badLines: log.badLines }).toEqual({ lines: 8, events: 3, badLines: 4 });
    expect([...new Set(log.problems.map((problem) => problem.line))]).toEqual([2, 4, 6, 7]);
    expect(log.problems.every((problem) => problem.file === 'mixed.log')).toBe(true);
    expect(log.problems.find((problem) => problem.line === 6)).toMatchObject({ code: 'invalid-value', path: 'stage' });
    expect(log.problems.filter((problem) => problem.line === 4).map((problem) => problem.path).sort()).toEqual(['auditID', 'level', 'requestURI', 'stage', 'user', 'verb']);
  });

  it('keeps only the first problems when asked', async () => {
    const log = readAuditLog(Readable.from(['x\ny\nz\n']), { maxProblems: 2 });
    for await (const _ of log) throw new Error('no event expected');
    expect(log.badLines).toBe(3);
    expect(log.problems.map((problem) => problem.line)).toEqual([1, 2]);
  });

  it('comes with a policy file that parsePolicy accepts', () => {
    const result = parsePolicy(readShared(SHARED_FILES.samplePolicy), { kubernetesVersion: '1.20' });
    expect(result).toMatchObject({ ok: true, problems: [], policy: { rules: [{ level: 'RequestResponse' }] } });
  });
});

describeWithShared('single events', [SHARED_FILES.sampleLog], () => {
  const event = JSON.parse(logLines[1]!) as Event;

  it('tolerates fields newer apiservers add but reports type errors', () => {
    expect(parseAuditLogLine(JSON.stringify({ ...event, futureField: { x: 1 } }))).toMatchObject({ ok: true });
    const wrong = parseAuditLogLine(JSON.stringify({ ...event, verb: 7, user: { username: ['a'] } }));
    expect(wrong.ok).toBe(false);
    expect(!wrong.ok && wrong.problems.map((problem) => `${problem.code} ${problem.path}`).sort()).toEqual(['invalid-type user.username', 'invalid-type verb']);
  });

  it("words problems zod's own way in English, though the schemas use zod's mini API, which loads no messages", () => {
    const huge = parseAuditLogLine(JSON.stringify({ ...event, responseStatus: { code: 2 ** 60 } }));
    expect(!huge.ok && huge.problems.map((problem) => `${problem.code} ${problem.path}: ${problem.message}`)).toEqual([
      'invalid responseStatus.code: Too big: expected int to be <=9007199254740991',
    ]);
  });

  it('reads Go null timestamps as absent', () => {
    const result = parseAuditLogLine(JSON.stringify({ ...event, requestReceivedTimestamp: null }));
    expect(result.ok && 'requestReceivedTimestamp' in result.value).toBe(false);
  });

  it('converts v1beta1 and v1alpha1 events to v1', () => {
    const beta = { ...event, apiVersion: 'audit.k8s.io/v1beta1', metadata: { creationTimestamp: event.stageTimestamp }, timestamp: '2026-11-22T03:43:34Z' };
    expect(parseAuditLogLine(JSON.stringify(beta))).toEqual({ ok: true, value: event });
    const { requestReceivedTimestamp: _dropped, ...withoutReceived } = event;
    const alpha = { ...withoutReceived, apiVersion: 'audit.k8s.io/v1alpha1', timestamp: '2026-11-22T03:43:34Z', objectRef: { resource: 'deployments', apiVersion: 'apps/v1', name: 'web' } };
    const converted = parseAuditLogLine(JSON.stringify(alpha));
    expect(converted.ok && converted.value.objectRef).toEqual({ resource: 'deployments', apiGroup: 'apps', apiVersion: 'v1', name: 'web' });
    expect(converted.ok && converted.value.requestReceivedTimestamp).toBe('2026-11-22T03:43:34Z');
  });

  it('reports JSON that is not an event', () => {
    expect(parseAuditLogLine('{')).toMatchObject({ ok: false, problems: [{ code: 'invalid-json' }] });
    expect(parseAuditLogLine('42')).toMatchObject({ ok: false, problems: [{ code: 'not-an-event' }] });
  });
});

describeWithShared('webhook bodies', [SHARED_FILES.sampleLog], () => {
  const items = logLines.slice(0, 5).map((line) => JSON.parse(line) as Event);

  it('reads a v1 EventList from text, bytes or a decoded value', () => {
    const list = { kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items };
    const expected = { ok: true, value: list };
    expect(parseWebhookBody(JSON.stringify(list))).toEqual(expected);
    expect(parseWebhookBody(new TextEncoder().encode(JSON.stringify(list)))).toEqual(expected);
    expect(parseWebhookBody(list)).toEqual(expected);
  });

  it('converts a v1beta1 EventList, dropping the old metadata and timestamp fields', () => {
    const beta = {
      kind: 'EventList',
      apiVersion: 'audit.k8s.io/v1beta1',
      metadata: {},
      items: items.map(({ apiVersion: _v, kind: _k, ...item }) => ({ ...item, metadata: { creationTimestamp: item.stageTimestamp }, timestamp: '2026-11-22T03:43:34Z' })),
    };
    expect(parseWebhookBody(JSON.stringify(beta))).toEqual({ ok: true, value: { kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items } });
  });

  it('names the item of a bad event', () => {
    const body = { kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [items[0], { ...items[1], level: 'Everything' }] };
    expect(parseWebhookBody(body)).toMatchObject({ ok: false, problems: [{ code: 'invalid-value', path: 'items[1].level' }] });
    expect(parseWebhookBody('{"items": 3}')).toMatchObject({ ok: false, problems: [{ code: 'not-an-event-list' }] });
  });
});

describeWithShared('webhook bodies over real HTTP', [SHARED_FILES.sampleLog], () => {
  it('parses the EventList a client POSTs to a webhook server on 127.0.0.1', async () => {
    const { createServer } = await import('node:http');
    const received: ReturnType<typeof parseWebhookBody>[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const result = parseWebhookBody(Buffer.concat(chunks));
        received.push(result);
        response.writeHead(result.ok ? 200 : 400, { 'content-type': 'application/json' });
        response.end(JSON.stringify(result.ok ? { events: result.value.items.length } : { problems: result.problems }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const items = logLines.slice(0, 40).map((line) => JSON.parse(line) as Event);
      const body = JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items });
      const good = await fetch(`http://127.0.0.1:${port}/audit`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      expect(good.status).toBe(200);
      expect(await good.json()).toEqual({ events: 40 });
      expect(received[0]).toEqual({ ok: true, value: { kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items } });
      const bad = await fetch(`http://127.0.0.1:${port}/audit`, { method: 'POST', body: body.replace('"stage":"RequestReceived"', '"stage":7') });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ problems: [{ code: 'invalid-value', path: 'items[0].stage' }] });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

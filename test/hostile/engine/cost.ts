// Hostile inputs for the cost replay: audit logs with enormous lines, events of the wrong shape,
// bodies nested deeper than JSON.stringify can go, and gzip files cut short or corrupted. Each is
// built on demand. Used by test/cost-hostile.test.ts.
import { gzipSync } from 'node:zlib';
import type { HostileCase } from './case.js';

/** An audit event as the apiserver writes it (its field order: bodies just before the timestamps). */
export function auditEvent(index: number, fields: Record<string, unknown> = {}): Record<string, unknown> {
  const id = `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
  const base: Record<string, unknown> = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: id,
    stage: 'ResponseComplete',
    requestURI: `/api/v1/namespaces/team-${index % 7}/configmaps/settings-${index}`,
    verb: 'get',
    user: { username: `user-${index % 13}`, groups: ['system:authenticated'] },
    sourceIPs: ['10.0.0.1'],
    userAgent: 'kubectl/v1.36.0',
    objectRef: { resource: 'configmaps', namespace: `team-${index % 7}`, name: `settings-${index}`, apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 200 },
  };
  const { requestReceivedTimestamp, stageTimestamp, ...rest } = fields;
  // Timestamps last, after any bodies, as the apiserver orders them.
  return {
    ...base,
    ...rest,
    requestReceivedTimestamp: 'requestReceivedTimestamp' in fields ? requestReceivedTimestamp : '2026-11-22T03:44:00.000000Z',
    stageTimestamp: 'stageTimestamp' in fields ? stageTimestamp : `2026-11-22T03:44:${String(index % 60).padStart(2, '0')}.000100Z`,
  };
}

/** `count` ordinary event lines. */
export function ordinaryLines(count: number, from = 0): string[] {
  return Array.from({ length: count }, (_, i) => JSON.stringify(auditEvent(from + i)));
}

/** A create event whose request body holds a string of about `bytes` bytes (one very long line). */
export function longEventLine(index: number, bytes: number): string {
  return JSON.stringify(
    auditEvent(index, {
      level: 'Request',
      verb: 'create',
      requestObject: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'huge' }, data: { blob: 'x'.repeat(bytes) } },
    }),
  );
}

/** The text of a log: the lines, each ended by a newline. */
export function logText(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}

/** Events whose shape is wrong in one field each, with what the replay must say about them. */
export const WRONG_SHAPES: ReadonlyArray<{ name: string; line: string; reason: RegExp }> = [
  { name: 'objectRef null', line: JSON.stringify(auditEvent(900, { objectRef: null })), reason: /objectRef is null, not an object/ },
  { name: 'objectRef a string', line: JSON.stringify(auditEvent(901, { objectRef: 'configmaps' })), reason: /objectRef is a string, not an object/ },
  { name: 'objectRef field an object', line: JSON.stringify(auditEvent(902, { objectRef: { resource: 'pods', namespace: {} } })), reason: /objectRef.namespace is an object, not a string/ },
  { name: 'groups a string', line: JSON.stringify(auditEvent(903, { user: { username: 'alice', groups: 'x' } })), reason: /user.groups is a string, not a list of strings/ },
  { name: 'groups holding a number', line: JSON.stringify(auditEvent(904, { user: { username: 'alice', groups: ['dev', 7] } })), reason: /user.groups\[1\] is a number, not a string/ },
  { name: 'user a string', line: JSON.stringify(auditEvent(905, { user: 'alice' })), reason: /user is a string, not an object/ },
  { name: 'user null', line: JSON.stringify(auditEvent(906, { user: null })), reason: /user is null, not an object/ },
  { name: 'username a list', line: JSON.stringify(auditEvent(907, { user: { username: ['alice'] } })), reason: /user.username is a list, not a string/ },
  { name: 'verb missing', line: JSON.stringify(auditEvent(908, { verb: undefined })), reason: /verb is missing/ },
  { name: 'verb a number', line: JSON.stringify(auditEvent(909, { verb: 42 })), reason: /verb is a number, not a string/ },
  { name: 'auditID a number', line: JSON.stringify(auditEvent(917, { auditID: 12345 })), reason: /auditID is a number, not a string/ },
  { name: 'username a boolean', line: JSON.stringify(auditEvent(918, { user: { username: true } })), reason: /user.username is a boolean, not a string/ },
  { name: 'objectRef.namespace null', line: JSON.stringify(auditEvent(920, { objectRef: { resource: 'configmaps', namespace: null } })), reason: /objectRef.namespace is null, not a string/ },
  { name: 'username null', line: JSON.stringify(auditEvent(921, { user: { username: null, groups: ['system:authenticated'] } })), reason: /user.username is null, not a string/ },
  { name: 'groups null', line: JSON.stringify(auditEvent(922, { user: { username: 'alice', groups: null } })), reason: /user.groups is null, not a list of strings/ },
  { name: 'objectRef.name a number', line: JSON.stringify(auditEvent(919, { objectRef: { resource: 'configmaps', namespace: 'team-1', name: -1.5e-7 } })), reason: /objectRef.name is a number, not a string/ },
  { name: 'requestURI a list', line: JSON.stringify(auditEvent(910, { requestURI: ['/api'] })), reason: /requestURI is a list, not a string/ },
  { name: 'stageTimestamp a number', line: JSON.stringify(auditEvent(911, { stageTimestamp: 5 })), reason: /stageTimestamp is a number, not a string/ },
  { name: 'unknown stage', line: JSON.stringify(auditEvent(912, { stage: 'Done' })), reason: /unknown stage "Done"/ },
  { name: 'unknown level', line: JSON.stringify(auditEvent(913, { level: 'Everything' })), reason: /unknown level "Everything"/ },
  { name: 'kind not Event', line: JSON.stringify(auditEvent(914, { kind: 'Pod' })), reason: /kind is "Pod", not Event/ },
  { name: 'a JSON string', line: JSON.stringify('just a string'), reason: /not a JSON object/ },
  { name: 'a JSON list', line: JSON.stringify([auditEvent(915)]), reason: /the event is a list, not an object/ },
  { name: 'EventList item null', line: JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [null] }), reason: /EventList item: the event is null, not an object/ },
  { name: 'EventList item objectRef null', line: JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [auditEvent(916, { objectRef: null })] }), reason: /EventList item: objectRef is null/ },
];

/**
 * Lines DuckDB's JSON reader takes (it allows a trailing comma, NaN and Infinity) and JSON.parse
 * refuses, in the part of the event the replay parses (everything but the bodies): each is a bad
 * line reading `not JSON`. `nested`: the comma is inside a member, where a reader that types the
 * members (DuckDB's typed reader) cannot see it.
 */
export const LENIENT_JSON: ReadonlyArray<{ name: string; line: string; nested: boolean }> = [
  { name: 'a trailing comma before the last brace', line: JSON.stringify(auditEvent(960)).replace(/}$/, ',}'), nested: false },
  { name: 'a trailing comma and spaces before the last brace', line: JSON.stringify(auditEvent(961)).replace(/}$/, ' ,\t }'), nested: false },
  { name: 'a trailing comma in the user', line: JSON.stringify(auditEvent(962)).replace('"groups":["system:authenticated"]', '"groups":["system:authenticated"],'), nested: true },
  { name: 'a trailing comma in a list', line: JSON.stringify(auditEvent(963)).replace('"sourceIPs":["10.0.0.1"]', '"sourceIPs":["10.0.0.1",]'), nested: true },
  { name: 'NaN in the response status', line: JSON.stringify(auditEvent(964)).replace('"code":200', '"code":NaN'), nested: false },
  { name: 'Infinity as the audit ID', line: JSON.stringify(auditEvent(965)).replace(/"auditID":"[^"]*"/, '"auditID":Infinity'), nested: false },
  { name: '-Infinity as a namespace', line: JSON.stringify(auditEvent(966)).replace(/"namespace":"[^"]*"/, '"namespace":-Infinity'), nested: false },
];

/** A value nested `depth` levels deep (lists of one object each): JSON.parse reads it, JSON.stringify overflows its stack. */
export function deeplyNested(depth: number): unknown {
  let value: unknown = { leaf: true };
  for (let level = 0; level < depth; level++) value = [{ v: value }];
  return value;
}

/** JSON text of {@link deeplyNested}, written without recursion. */
export function deeplyNestedText(depth: number): string {
  return `${'[{"v":'.repeat(depth)}{"leaf":true}${'}]'.repeat(depth)}`;
}

/**
 * Valid events with parts nested `depth` levels deep, in every place the replay measures by
 * encoding: a body whose layout is not the apiserver's (request body after the timestamps), a
 * deep managedFields, a deep responseStatus on a ResponseComplete without RequestReceived, and
 * an EventList item.
 */
export function deeplyNestedLines(depth: number): string[] {
  const deep = deeplyNestedText(depth);
  // Built as text: JSON.stringify cannot write them.
  const withMember = (index: number, member: string, fields: Record<string, unknown> = {}): string => {
    const text = JSON.stringify(auditEvent(index, fields));
    return `${text.slice(0, -1)},${member}}`;
  };
  return [
    withMember(950, `"requestObject":${deep}`, { level: 'Request', verb: 'create' }),
    withMember(951, `"responseObject":{"kind":"ConfigMap","metadata":{"name":"x","managedFields":${deep}}}`, { level: 'RequestResponse' }),
    withMember(952, `"annotations":${deep}`),
    `{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[${withMember(953, `"requestObject":${deep}`, { level: 'Request', verb: 'update' })}]}`,
  ];
}

/** The gzip file of `lines` cut to `fraction` of its bytes (the end marker and some data lost). */
export function truncatedGzip(lines: readonly string[], fraction: number): Buffer {
  const whole = gzipSync(logText(lines));
  return whole.subarray(0, Math.floor(whole.length * fraction));
}

/** The gzip file of `lines` with bytes in the middle overwritten. */
export function corruptGzip(lines: readonly string[]): Buffer {
  const whole = Buffer.from(gzipSync(logText(lines), { level: 1 }));
  const middle = Math.floor(whole.length / 2);
  whole.fill(0xff, middle, middle + 64);
  return whole;
}

/**
 * A byte stream of one line of `lineBytes` bytes (then a newline and a short line), in chunks
 * of `chunkBytes` that all reuse the same buffer, so the source holds nothing itself.
 */
export async function* oneHugeLine(lineBytes: number, chunkBytes: number): AsyncGenerator<Buffer> {
  const chunk = Buffer.alloc(chunkBytes, 0x78);
  for (let sent = 0; sent < lineBytes; sent += chunkBytes) {
    chunk.fill(0x78);
    yield sent + chunkBytes <= lineBytes ? chunk : chunk.subarray(0, lineBytes - sent);
  }
  yield Buffer.from('\n{"after":true}\n');
}

/** Hostile logs, as the bytes of a file (`.log` or `.log.gz`). */
export const COST_CASES: ReadonlyArray<HostileCase<{ fileName: string; bytes: Buffer }>> = [
  {
    name: 'cost/gz-long-line-12mib',
    category: 'line-length',
    summary: 'a 12 MiB line (under the limit) in gzip input; reading it took time growing with the square of its length',
    generate: () => ({ fileName: 'long-line.log.gz', bytes: gzipSync(logText([...ordinaryLines(3), longEventLine(3, 12 << 20), ...ordinaryLines(3, 4)])) }),
  },
  {
    name: 'cost/gz-line-over-limit-40mib',
    category: 'line-length',
    summary: 'a 40 MiB line in gzip input; it was buffered whole (30 s), now it is a bad line and never held',
    generate: () => ({ fileName: 'over-limit.log.gz', bytes: gzipSync(logText([...ordinaryLines(3), longEventLine(3, 40 << 20), ...ordinaryLines(3, 4)])) }),
  },
  {
    name: 'cost/wrong-shapes',
    category: 'shape',
    summary: 'events with a null objectRef, groups that are a string, a missing verb and more; the first one aborted the replay',
    generate: () => ({ fileName: 'wrong-shapes.log', bytes: Buffer.from(logText([...ordinaryLines(2), ...WRONG_SHAPES.map((shape) => shape.line), ...ordinaryLines(2, 2)])) }),
  },
  {
    name: 'cost/nested-20000',
    category: 'nesting',
    summary: 'bodies, managedFields, annotations and EventList items nested 20,000 deep; JSON.stringify overflowed and aborted the replay',
    generate: () => ({ fileName: 'nested.log', bytes: Buffer.from(logText([...ordinaryLines(2), ...deeplyNestedLines(20000)])) }),
  },
  {
    name: 'cost/gz-truncated',
    category: 'truncation',
    summary: 'a gzip log cut at 60%; the replay aborted with no report',
    generate: () => ({ fileName: 'truncated.log.gz', bytes: truncatedGzip(ordinaryLines(2000), 0.6) }),
  },
  {
    name: 'cost/gz-corrupt',
    category: 'truncation',
    summary: 'a gzip log with 64 bytes overwritten in the middle; the replay aborted with no report',
    generate: () => ({ fileName: 'corrupt.log.gz', bytes: corruptGzip(ordinaryLines(2000)) }),
  },
];

// The DuckDB engine of the cost replay against the JavaScript replay (costReplay), the reference:
// on the real sample through the presets and hand-made policies, on random policies over a log
// of the checker's corners, on the hostile logs, on gzip and on Parquet. Events and every
// per-level and per-rule count must be equal; bytes equal where the line has the apiserver's
// layout, else within 1%.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePolicy, POLICY_PRESETS, type Policy } from '@k8s-gen/audit';
import { costReplay, type CostReport } from '../src/cost.js';
import { evaluate } from '../src/evaluate.js';
import { requestFromHttp } from '../src/request.js';
import { compileCostQuery } from '../src/cost-sql.js';
import { CostEngineError, costReplayDuckDB, costReportFromRows, DUCKDB_AUTO_MIN_CORES, DUCKDB_TYPED_MIN_CORES, prefersDuckDB, TYPED_READ_SHAPE, TYPED_READER_MAX_GAP } from '../src/cost-duckdb.js';
import { newFormatStatus } from '../src/log-formats/index.js';
import { policyArbitrary } from './arbitraries.js';
import { alphabetLog } from './cost-logs.js';
import { auditEvent, COST_CASES, LENIENT_JSON, logText, ordinaryLines, WRONG_SHAPES } from '../../../test/hostile/engine/cost.js';
import { describeWithShared, itWithShared, readShared, SHARED_FILES, sharedPath } from '../../../test/support/shared-data.js';

const samplePath = sharedPath(SHARED_FILES.sampleLog);
/** The real sample, read on first use (inside the blocks that need it). */
let sampleCache: { text: string; lines: string[]; events: Array<Record<string, unknown>> } | undefined;
function sample(): { text: string; lines: string[]; events: Array<Record<string, unknown>> } {
  if (sampleCache) return sampleCache;
  const text = readShared(SHARED_FILES.sampleLog);
  const lines = text.split('\n').filter(Boolean);
  sampleCache = { text, lines, events: lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
  return sampleCache;
}
const work = mkdtempSync(path.join(tmpdir(), 'k8s-gen-cost-duckdb-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const policyOf = (rules: Policy['rules'], extra: Partial<Policy> = {}): Policy => ({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', ...extra, rules });
const write = (name: string, content: string | Buffer): string => {
  const file = path.join(work, name);
  writeFileSync(file, content);
  return file;
};
/** Encodes like Go's encoding/json, which escapes <, > and & (the sample is written that way). */
const goJson = (value: unknown): string => JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Both engines on one log, every breakdown row kept. */
async function both(policy: Policy, log: string, options: { kubernetesVersion?: string; maxLineBytes?: number } = {}): Promise<{ js: CostReport; sql: CostReport }> {
  const js = await costReplay({ policy, log, top: 100000, ...options });
  const sql = await costReplayDuckDB({ policy, log, top: 100000, ...options });
  return { js, sql };
}

/**
 * A report with its format status cut to the format read: DuckDB reads the apiserver's own lines
 * only and does not replay the JavaScript readers' per-record detection bookkeeping (which shape
 * the first lines had, records that held no event), so the rest of the status is compared apart.
 */
function comparable(report: CostReport): CostReport {
  return { ...report, input: { ...report.input, format: { ...newFormatStatus(), format: report.input.format.format } } };
}

const within = (actual: number, expected: number, tolerance: number): boolean => Math.abs(actual - expected) <= tolerance * Math.max(Math.abs(expected), 1);

/**
 * The same input figures, events and per-key counts; bytes within `tolerance` (relative) per
 * total and per breakdown row.
 */
function expectSameCounts(sql: CostReport, js: CostReport, tolerance: number, logTolerance = 0): void {
  expect(comparable(sql).input).toEqual(comparable(js).input);
  expect(sql.window).toEqual(js.window);
  expectSameLog(sql.log, js.log, logTolerance, 'log');
  const counts = (report: CostReport) => ({
    events: report.candidate.events,
    estimatedEvents: report.candidate.estimatedEvents,
    droppedEvents: report.change.droppedEvents,
    addedEvents: report.change.addedEvents,
  });
  expect(counts(sql)).toEqual(counts(js));
  for (const [name, actual, expected] of [
    ['candidate bytes', sql.candidate.bytes, js.candidate.bytes],
    ['dropped bytes', sql.change.droppedBytes, js.change.droppedBytes],
    ['added bytes', sql.change.addedBytes, js.change.addedBytes],
  ] as const) {
    expect(within(actual, expected, tolerance), `${name}: ${actual} vs ${expected}`).toBe(true);
  }
  for (const dimension of Object.keys(js.breakdowns) as Array<keyof CostReport['breakdowns']>) {
    const rows = (report: CostReport) => new Map(report.breakdowns[dimension].rows.map((row) => [row.key, row]));
    const [sqlRows, jsRows] = [rows(sql), rows(js)];
    expect([...sqlRows.keys()].sort(), dimension).toEqual([...jsRows.keys()].sort());
    for (const [key, expected] of jsRows) {
      const actual = sqlRows.get(key)!;
      expectSameLog(actual.log, expected.log, logTolerance, `${dimension} ${key}`);
      expect([actual.candidate.events, actual.candidate.estimatedEvents], `${dimension} ${key}`).toEqual([expected.candidate.events, expected.candidate.estimatedEvents]);
      expect(within(actual.candidate.bytes, expected.candidate.bytes, tolerance), `${dimension} ${key}: ${actual.candidate.bytes} vs ${expected.candidate.bytes}`).toBe(true);
    }
  }
}

/** The logged figures: counts equal, byte figures within `tolerance` (relative; 0: equal). */
function expectSameLog(actual: object, expected: object, tolerance: number, label: string): void {
  if (tolerance === 0) {
    expect(actual, label).toEqual(expected);
    return;
  }
  const [a, e] = [actual as Record<string, unknown>, expected as Record<string, unknown>];
  expect(Object.keys(a).sort(), label).toEqual(Object.keys(e).sort());
  for (const [name, value] of Object.entries(e)) {
    if (typeof value === 'number' && /bytes/i.test(name)) expect(within(a[name] as number, value, tolerance), `${label} ${name}: ${String(a[name])} vs ${value}`).toBe(true);
    else expect(a[name], `${label} ${name}`).toEqual(value);
  }
}

describeWithShared('the DuckDB engine on the real RequestResponse sample', [SHARED_FILES.sampleLog, SHARED_FILES.samplePolicy], () => {
  const own = parsePolicy(readShared(SHARED_FILES.samplePolicy));
  const policies: Array<[string, Policy]> = [
    ['the policy the log was written with', own.ok ? own.policy : policyOf([])],
    ['Metadata for everything', policyOf([{ level: 'Metadata' }])],
    ['Request for everything, managed fields omitted', policyOf([{ level: 'Request' }], { omitManagedFields: true })],
    ['RequestResponse without managed fields, RequestReceived omitted', policyOf([{ level: 'RequestResponse', omitManagedFields: true }], { omitStages: ['RequestReceived'] })],
    ['None for /version and leases, wildcards elsewhere', policyOf([
      { level: 'None', nonResourceURLs: ['/version', '/healthz*'] },
      { level: 'None', resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }] },
      { level: 'Request', resources: [{ group: '', resources: ['pods/*', '*/status'] }], omitStages: ['ResponseStarted'] },
      { level: 'Metadata', resources: [{ group: '*' }], verbs: ['get', 'list', 'watch'] },
      { level: 'RequestResponse' },
    ])],
    ...POLICY_PRESETS.map((preset): [string, Policy] => [`the ${preset.name} preset`, preset.build().build()]),
  ];
  for (const [name, policy] of policies) {
    it(`${name}: the same report, bytes exactly`, async () => {
      const { js, sql } = await both(policy, samplePath);
      // The sample has the apiserver's layout throughout, so even the bytes are the replay's.
      expect(comparable(sql)).toEqual(comparable(js));
    });
  }

  it('reads gzip, and Parquet with the events in a text column, to the same report', async () => {
    const policy = policyOf([{ level: 'Metadata', userGroups: ['system:nodes'] }, { level: 'RequestResponse', omitManagedFields: true }]);
    const js = await costReplay({ policy, log: samplePath, top: 100000 });
    // A gzip file without the .gz name is recognised by its content.
    const gz = write('audit.log', gzipSync(sample().text));
    expect(comparable(await costReplayDuckDB({ policy, log: gz, top: 100000 }))).toEqual(comparable(js));
    const parquet = path.join(work, 'audit.parquet');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`COPY (SELECT json AS event, 7 AS extra FROM read_json_objects('${samplePath}', format = 'newline_delimited')) TO '${parquet}' (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();
    const fromParquet = await costReplayDuckDB({ policy, log: parquet, top: 100000 });
    // Parquet rows have no newline: the figures count one byte per event for it, as the line did.
    expect(comparable(fromParquet)).toEqual(comparable(js));
  });
});

describe('the request a logged event stands for', () => {
  it('puts a Namespace object in its own namespace, which its logged objectRef leaves out, in both engines', async () => {
    // As the apiserver logs them (the sample's own shapes): the objectRef of GET namespaces/x has
    // no namespace, while the rules match the request, whose namespace is x.
    const ref = (extra: Record<string, unknown>) => ({ resource: 'namespaces', ...extra, apiVersion: 'v1' });
    const requests = [
      { method: 'GET', url: '/api/v1/namespaces/kube-system', verb: 'get', objectRef: ref({ name: 'kube-system' }) },
      { method: 'PUT', url: '/api/v1/namespaces/kube-system/finalize', verb: 'update', objectRef: ref({ name: 'kube-system', subresource: 'finalize' }) },
      { method: 'GET', url: '/api/v1/namespaces/team-a/status', verb: 'get', objectRef: ref({ name: 'team-a', subresource: 'status' }) },
      { method: 'GET', url: '/api/v1/namespaces?fieldSelector=metadata.name%3Dkube-system', verb: 'list', objectRef: ref({ name: 'kube-system' }) },
      { method: 'POST', url: '/api/v1/namespaces', verb: 'create', objectRef: ref({}) },
      { method: 'GET', url: '/api/v1/namespaces/kube-system/configmaps/x', verb: 'get', objectRef: { resource: 'configmaps', namespace: 'kube-system', name: 'x', apiVersion: 'v1' } },
    ];
    const lines = requests.map((request, index) => goJson(auditEvent(index, { verb: request.verb, requestURI: request.url, objectRef: request.objectRef, user: { username: 'alice', groups: ['system:authenticated'] } })));
    const policy = policyOf([
      { level: 'None', namespaces: ['kube-system'] },
      { level: 'Request', namespaces: [''] },
      { level: 'Metadata', resources: [{ group: '', resources: ['namespaces/status'] }], namespaces: ['team-a'] },
      { level: 'RequestResponse' },
    ]);
    const { js, sql } = await both(policy, write('namespaces.log', logText(lines)));
    expect(comparable(sql)).toEqual(comparable(js));
    // The checker, given each HTTP request, picks the rule the replays counted.
    const expected = new Map<string, number>();
    for (const request of requests) {
      const rule = evaluate(policy, requestFromHttp({ method: request.method, url: request.url, user: 'alice' })).ruleIndex;
      const key = rule === undefined ? '(no rule)' : `rules[${rule}]`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    expect(new Map(js.breakdowns.rule.rows.map((row) => [row.key, row.log.events]))).toEqual(expected);
    expect(expected.get('rules[0]')).toBe(3);
  });
});

describe('the DuckDB engine on random policies', () => {
  const file = write('alphabet.log', logText(alphabetLog(400)));
  it('gives the replay\u2019s report for every policy and release (exact bytes)', async () => {
    await fc.assert(
      fc.asyncProperty(policyArbitrary, fc.constantFrom('1.35', '1.36'), async (policy, kubernetesVersion) => {
        const { js, sql } = await both(policy, file, { kubernetesVersion });
        expect(comparable(sql)).toEqual(comparable(js));
      }),
      { numRuns: 30 },
    );
  }, 120000);
});

describe('the two ways the query gathers each request\u2019s figures', () => {
  // Trino, Athena and BigQuery get windows partitioned by audit ID; DuckDB a GROUP BY joined
  // back. Both are run here, on DuckDB, against the replay (the other engines cannot run here).
  const file = write('alphabet-totals.log', logText(alphabetLog(300, 11)));
  async function run(policy: Policy, requestTotals: 'window' | 'join'): Promise<CostReport> {
    const query = compileCostQuery(policy, { dialect: 'duckdb', source: { kind: 'json-lines', path: file }, requestTotals });
    if (!query.ok) throw new Error(query.problems.map((problem) => problem.message).join(' '));
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    try {
      const connection = await instance.connect();
      const rows = await (await connection.runAndReadAll(query.sql)).getRowObjectsJS();
      connection.closeSync();
      return costReportFromRows(rows as Array<Record<string, unknown>>, 100000);
    } finally {
      instance.closeSync();
    }
  }
  it('window and join give the replay\u2019s report for random policies', async () => {
    await fc.assert(
      fc.asyncProperty(policyArbitrary, async (policy) => {
        const js = await costReplay({ policy, log: file, top: 100000 });
        for (const requestTotals of ['window', 'join'] as const) {
          const sql = await run(policy, requestTotals);
          const { format: _format, ...input } = sql.input;
          const { format: _jsFormat, ...jsInput } = js.input;
          expect(input, requestTotals).toEqual(jsInput);
          expect({ ...sql, input: undefined }, requestTotals).toEqual({ ...js, input: undefined });
        }
      }),
      { numRuns: 12 },
    );
  }, 120000);
  it('is a window for the engines that read the log once per query, a join for DuckDB', () => {
    const policy = policyOf([{ level: 'Metadata' }]);
    const sql = (dialect: 'duckdb' | 'trino' | 'bigquery'): string => {
      const query = compileCostQuery(policy, { dialect });
      return query.ok ? query.sql : '';
    };
    expect(sql('trino')).toMatch(/OVER \(PARTITION BY audit_id\)/);
    expect(sql('bigquery')).toMatch(/OVER \(PARTITION BY audit_id\)/);
    expect(sql('duckdb')).not.toMatch(/OVER \(PARTITION BY audit_id\)/);
    expect(sql('duckdb')).toMatch(/decided AS MATERIALIZED \(/);
  });
});

describe('the DuckDB engine on logs that are not the apiserver\u2019s own', () => {
  it('counts every wrong shape as a bad line with the replay\u2019s reason and line number', async () => {
    const found = COST_CASES.find((entry) => entry.name === 'cost/wrong-shapes')!.generate();
    const file = write(found.fileName, found.bytes);
    const { js, sql } = await both(policyOf([{ level: 'Metadata' }]), file);
    expect(comparable(sql)).toEqual(comparable(js));
    expect(sql.input.badLines).toBe(WRONG_SHAPES.length);
    for (const shape of WRONG_SHAPES) {
      const alone = await costReplayDuckDB({ policy: policyOf([{ level: 'Metadata' }]), log: write('shape.log', logText([shape.line])) });
      expect({ name: shape.name, bad: alone.input.badLines, message: alone.input.badLineSamples[0]?.message }).toEqual({ name: shape.name, bad: 1, message: expect.stringMatching(shape.reason) });
    }
  }, 120000);

  it('refuses what DuckDB\u2019s JSON allows and JSON.parse does not (trailing commas, NaN, Infinity), but not in the bodies, which neither parses', async () => {
    const ordinary = ordinaryLines(6);
    for (const { name, line } of LENIENT_JSON) {
      const { js, sql } = await both(policyOf([{ level: 'Metadata' }]), write('lenient.log', logText([...ordinary.slice(0, 3), line, ...ordinary.slice(3)])));
      expect(comparable(sql), name).toEqual(comparable(js));
      expect(sql.input.badLineSamples, name).toEqual([{ line: 4, message: 'not JSON (cut short or corrupted)' }]);
    }
    // In a body, where the apiserver's layout puts it, the replay measures without parsing.
    const body = JSON.stringify(auditEvent(967, { level: 'Request', verb: 'create', requestObject: { data: { a: 1 } } })).replace('"data":{"a":1}', '"data":{"a":NaN,"b":[1,],}');
    const { js, sql } = await both(policyOf([{ level: 'Request' }]), write('lenient-body.log', logText([body, ...ordinary])));
    expect(js.input.badLines).toBe(0);
    expect(comparable(sql)).toEqual(comparable(js));
    // Commas, NaN and brackets inside strings are text.
    const quoted = JSON.stringify(auditEvent(968, { userAgent: 'x,} NaN ,] Infinity' }));
    expect((await both(policyOf([{ level: 'Metadata' }]), write('lenient-quoted.log', logText([quoted])))).sql.input.badLines).toBe(0);
  });

  itWithShared('counts lines that are cut short, not JSON or not events, and lines over the size limit', [SHARED_FILES.sampleLog], async () => {
    const lines = [...sample().lines.slice(0, 40)];
    lines.splice(10, 0, '{"kind":"Event","level":');
    lines.splice(20, 0, 'not json at all');
    lines.splice(30, 0, '{"kind":"Pod","apiVersion":"v1"}');
    lines.push('[1,2,3]', '"a string"', 'null', '', '   ');
    lines.push(JSON.stringify(auditEvent(77, { level: 'Request', verb: 'create', requestObject: { blob: 'x'.repeat(5000) } })));
    const { js, sql } = await both(policyOf([{ level: 'RequestResponse' }]), write('corrupt.log', `${lines.join('\r\n')}\n`), { maxLineBytes: 4096 });
    expect(comparable(sql)).toEqual(comparable(js));
    expect(sql.input.badLineSamples.map((sample) => sample.message)).toContain('not JSON (cut short or corrupted)');
    expect(sql.input.badLineSamples.at(-1)!.message).toMatch(/over the limit of 4096 .*auditID 00000000-0000-4000-8000-00000000004d/);
  });

  itWithShared('reads EventLists as a webhook receives them, items measured by their encoding', [SHARED_FILES.sampleLog], async () => {
    const sampleEvents = sample().events;
    const lists: string[] = [];
    for (let i = 0; i < sampleEvents.length; i += 50) lists.push(JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items: sampleEvents.slice(i, i + 50) }));
    lists.push(JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [] }), JSON.stringify({ kind: 'EventList', items: { not: 'a list' } }));
    const policy = policyOf([{ level: 'Metadata', resources: [{ group: '', resources: ['pods'] }] }, { level: 'RequestResponse' }]);
    const { js, sql } = await both(policy, write('eventlists.jsonl', logText(lists)));
    // DuckDB writes the items again (as JSON.stringify does for the replay) with its own escapes.
    expectSameCounts(sql, js, 0.01);
    // The list without an items array is a bad line, not an EventList read.
    expect(sql.input.eventLists).toBe(lists.length - 1);
    expect(sql.input.badLineSamples).toEqual([{ line: lists.length, message: 'EventList without an items array' }]);
  });

  it('sees failed logins as unauthenticated: user rules miss them, omitting ResponseStarted drops them', async () => {
    const failed = [1, 2, 3].map((n) => goJson(auditEvent(n, { stage: 'ResponseStarted', user: {}, responseStatus: { metadata: {}, code: 401 } })));
    const file = write('failed.log', logText([...failed, ...ordinaryLines(5, 10)]));
    for (const policy of [
      policyOf([{ level: 'None', userGroups: ['system:unauthenticated'] }, { level: 'None', users: ['user-3'] }, { level: 'Metadata' }]),
      policyOf([{ level: 'Metadata' }], { omitStages: ['ResponseStarted'] }),
    ]) {
      const { js, sql } = await both(policy, file);
      expect(comparable(sql)).toEqual(comparable(js));
    }
  });

  itWithShared('estimates bodies a candidate adds to a log written at lower levels within 1% of the replay', [SHARED_FILES.sampleLog], async () => {
    const { lines: sampleLines, events: sampleEvents } = sample();
    // Half the requests were logged at Metadata, without bodies; the rest keep theirs.
    const lines = sampleEvents.map((event, i) => {
      if (parseInt((event.auditID as string).slice(-1), 16) % 2 !== 0) return sampleLines[i]!;
      const copy: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(event)) if (key !== 'requestObject' && key !== 'responseObject') copy[key] = key === 'level' ? 'Metadata' : value;
      return goJson(copy);
    });
    const { js, sql } = await both(policyOf([{ level: 'RequestResponse' }]), write('mixed.log', logText(lines)));
    // The replay averages the similar events seen so far, the query all of them: bytes differ a little.
    expectSameCounts(sql, js, 0.01);
    expect(sql.candidate.estimated).toBe(true);
  });

  itWithShared('infers the RequestReceived events a log omitted, as the replay does', [SHARED_FILES.sampleLog], async () => {
    const { lines: sampleLines, events: sampleEvents } = sample();
    const kept = sampleLines.filter((_, i) => sampleEvents[i]!.stage !== 'RequestReceived');
    const { js, sql } = await both(policyOf([{ level: 'RequestResponse' }]), write('no-received.log', logText(kept)));
    expectSameCounts(sql, js, 0.01);
    expect(sql.change.addedEvents).toBe(new Set(sampleEvents.map((e) => e.auditID)).size);
  });

  it('says what DuckDB refused, so the JavaScript replay can run instead', async () => {
    const found = COST_CASES.find((entry) => entry.name === 'cost/gz-truncated')!.generate();
    const file = write(found.fileName, found.bytes);
    await expect(costReplayDuckDB({ policy: policyOf([{ level: 'Metadata' }]), log: file })).rejects.toBeInstanceOf(CostEngineError);
    const corrupt = COST_CASES.find((entry) => entry.name === 'cost/gz-corrupt')!.generate();
    await expect(costReplayDuckDB({ policy: policyOf([{ level: 'Metadata' }]), log: write(corrupt.fileName, corrupt.bytes) })).rejects.toBeInstanceOf(CostEngineError);
    // A whole file with empty lines does not match its trailer's size, and is read all the same.
    const spaced = write('spaced.log.gz', gzipSync(`\n${logText(ordinaryLines(20))}\n\n`));
    expect((await costReplayDuckDB({ policy: policyOf([{ level: 'Metadata' }]), log: spaced })).input.events).toBe(20);
    // The replay reads what is there and says where it stopped.
    expect((await costReplay({ policy: policyOf([{ level: 'Metadata' }]), log: file })).input.stopped).toBeDefined();
    await expect(costReplayDuckDB({ policy: policyOf([{ level: 'Metadata' }]), log: path.join(work, 'missing.log') })).rejects.toThrow(/ENOENT/);
  });
});

describe('the DuckDB engine\u2019s typed reader', () => {
  /** The replay, and DuckDB with the typed reader and with the text reader, on one log. */
  async function readers(policy: Policy, log: string, options: { maxLineBytes?: number } = {}): Promise<{ js: CostReport; typed: CostReport; text: CostReport }> {
    const js = await costReplay({ policy, log, top: 100000, ...options });
    const typed = await costReplayDuckDB({ policy, log, top: 100000, reader: 'typed', ...options });
    const text = await costReplayDuckDB({ policy, log, top: 100000, reader: 'text', ...options });
    return { js, typed, text };
  }
  const readTyped = (report: CostReport): boolean => report.input.format.shape?.endsWith(TYPED_READ_SHAPE) === true;

  itWithShared('reads the real sample: the replay\u2019s counts, and sizes within 0.5% of the log\u2019s', [SHARED_FILES.sampleLog, SHARED_FILES.samplePolicy], async () => {
    const own = parsePolicy(readShared(SHARED_FILES.samplePolicy));
    const policies: Policy[] = [
      own.ok ? own.policy : policyOf([]),
      policyOf([{ level: 'Metadata' }]),
      policyOf([{ level: 'Request' }], { omitManagedFields: true }),
      policyOf([{ level: 'RequestResponse', omitManagedFields: true }], { omitStages: ['RequestReceived'] }),
      ...POLICY_PRESETS.map((preset) => preset.build().build()),
    ];
    for (const policy of policies) {
      const { js, typed } = await readers(policy, samplePath);
      expect(readTyped(typed)).toBe(true);
      // The apiserver writes & < > as \u0026 and so on; the re-encoding writes them as themselves,
      // which the totals hardly feel and a breakdown row of URIs with many & (watches) a few per cent.
      expectSameCounts(typed, js, 0.05, 0.05);
      expect(typed.log.bytes).toBeLessThan(js.log.bytes);
      expect(within(typed.log.bytes, js.log.bytes, TYPED_READER_MAX_GAP)).toBe(true);
      expect(within(typed.candidate.bytes, js.candidate.bytes, 0.01), `${typed.candidate.bytes} vs ${js.candidate.bytes}`).toBe(true);
    }
  });

  it('gives the replay\u2019s counts for random policies (sizes within 1%)', async () => {
    const file = write('alphabet-typed.log', logText(alphabetLog(300, 11)));
    await fc.assert(
      fc.asyncProperty(policyArbitrary, async (policy) => {
        const js = await costReplay({ policy, log: file, top: 100000 });
        const typed = await costReplayDuckDB({ policy, log: file, top: 100000, reader: 'typed' });
        expect(readTyped(typed)).toBe(true);
        expectSameCounts(typed, js, 0.01, 0.01);
      }),
      { numRuns: 15 },
    );
  }, 120000);

  it('reads CRLF lines and empty lines as the replay counts them', async () => {
    const lines = ordinaryLines(30);
    const file = write('crlf-typed.log', `\r\n${lines.join('\r\n')}\r\n\n\n`);
    const js = await costReplay({ policy: policyOf([{ level: 'Metadata' }]), log: file, top: 100000 });
    const typed = await costReplayDuckDB({ policy: policyOf([{ level: 'Metadata' }]), log: file, top: 100000, reader: 'typed' });
    expect(readTyped(typed)).toBe(true);
    expectSameCounts(typed, js, 0.01, 0.01);
  });

  it('gives way to the text reader on every line it cannot vouch for, so the report is the exact one', async () => {
    const ordinary = ordinaryLines(40);
    const around = (line: string): string => logText([...ordinary.slice(0, 20), line, ...ordinary.slice(20)]);
    const wrongShapes = COST_CASES.find((entry) => entry.name === 'cost/wrong-shapes')!.generate();
    const spaced = ordinary.map((line) => JSON.stringify(JSON.parse(line), null, 1).replace(/\n/g, ''));
    const logs: Array<[string, string | Buffer]> = [
      ['every wrong shape', Buffer.from(wrongShapes.bytes)],
      ...WRONG_SHAPES.map((shape): [string, string] => [shape.name, around(shape.line)]),
      // Members written as null where the apiserver writes a value: the reader sees them as absent.
      ...(['kind', 'requestURI', 'stageTimestamp'] as const).map((key): [string, string] => [`${key} null`, around(JSON.stringify(auditEvent(950, { [key]: null })))]),
      ['a line of spaces (the reader skips it)', around('   ')],
      ['a line cut short', around('{"kind":"Event","level":')],
      ['two objects on a line', around(`${ordinary[0]!}${ordinary[1]!}`)],
      // DuckDB's text reading takes a member given twice at its first value, JSON.parse at its last.
      ['a duplicated member (DuckDB and the replay differ here)', around(ordinary[2]!.replace('"verb":"get"', '"verb":"get","verb":"list"'))],
      ['an EventList', around(JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [auditEvent(951)] }))],
      ['a line over the size limit', around(JSON.stringify(auditEvent(952, { level: 'Request', verb: 'create', requestObject: { blob: 'x'.repeat(5000) } })))],
      ['events written with spaces (sizes far off)', logText(spaced)],
      ...LENIENT_JSON.filter((entry) => !entry.nested).map((entry): [string, string] => [entry.name, around(entry.line)]),
    ];
    for (const [name, content] of logs) {
      const file = write('doubted.log', content);
      const { js, typed, text } = await readers(policyOf([{ level: 'None', users: ['user-3'] }, { level: 'RequestResponse' }]), file, { maxLineBytes: 4096 });
      expect(readTyped(typed), name).toBe(false);
      expect(comparable(typed), name).toEqual(comparable(text));
      if (!name.includes('differ')) expect(comparable(typed), name).toEqual(comparable(js));
    }
  }, 120000);

  it('cannot see a trailing comma inside a member (DuckDB drops it): it counts that line, as documented', async () => {
    for (const { name, line } of LENIENT_JSON.filter((entry) => entry.nested)) {
      const { js, typed, text } = await readers(policyOf([{ level: 'Metadata' }]), write('nested-comma.log', logText([...ordinaryLines(4), line])));
      expect([js.input.badLines, text.input.badLines], name).toEqual([1, 1]);
      expect([readTyped(typed), typed.input.badLines, typed.input.events], name).toEqual([true, 0, js.input.events + 1]);
    }
  });

  it('reads an audit ID of digits and dashes, and a timestamp, as the strings they are', async () => {
    const file = write('digits.log', logText(ordinaryLines(5).map((line, i) => line.replace(/"auditID":"[^"]*"/, `"auditID":"1234567${i}-1234-1234-1e34-123456789012"`))));
    const { js, typed } = await readers(policyOf([{ level: 'Metadata' }]), file);
    expect(readTyped(typed)).toBe(true);
    expect([typed.input.events, typed.candidate.events]).toEqual([js.input.events, js.candidate.events]);
  });

  it('is chosen automatically only for plain logs of 32 MiB and more', async () => {
    const file = write('small-auto.log', logText(ordinaryLines(50)));
    expect(readTyped(await costReplayDuckDB({ policy: policyOf([{ level: 'Metadata' }]), log: file }))).toBe(false);
    const gz = write('small-auto.log.gz', gzipSync(logText(ordinaryLines(50))));
    expect(readTyped(await costReplayDuckDB({ policy: policyOf([{ level: 'Metadata' }]), log: gz, reader: 'typed' }))).toBe(false);
  });
});

describe('the automatic choice of engine', () => {
  it('gives DuckDB a large plain log on two cores (it reads it typed), a gzip log only on four, Parquet always', async () => {
    const plain = write('choice.log', logText(ordinaryLines(20)));
    const gz = write('choice.log.gz', gzipSync(logText(ordinaryLines(20))));
    // The size threshold is lowered to each small file; the reader's own threshold is not, so `typed` is named.
    const choice = (file: string, cores: number, reader?: 'typed' | 'text') => prefersDuckDB(file, { minBytes: statSync(file).size, cores, ...(reader ? { reader } : {}) });
    expect(DUCKDB_TYPED_MIN_CORES).toBeLessThan(DUCKDB_AUTO_MIN_CORES);
    expect(await choice(plain, DUCKDB_TYPED_MIN_CORES, 'typed')).toBe(true);
    expect(await choice(plain, DUCKDB_TYPED_MIN_CORES, 'text')).toBe(false);
    expect(await choice(plain, DUCKDB_TYPED_MIN_CORES - 1, 'typed')).toBe(false);
    expect(await choice(gz, DUCKDB_TYPED_MIN_CORES, 'typed')).toBe(false);
    expect(await choice(gz, DUCKDB_AUTO_MIN_CORES)).toBe(true);
    expect(await prefersDuckDB(plain, { cores: 64 })).toBe(false);
    const parquet = write('choice.parquet', 'PAR1 not really parquet');
    expect(await prefersDuckDB(parquet, { cores: 1 })).toBe(true);
  });
});

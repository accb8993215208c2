// The cost query over GKE's audit logs as a Cloud Logging sink exports them to BigQuery, against
// the JavaScript replay of the same entries read as Cloud Logging JSON (the GKE reader). No
// BigQuery runs here: the export's rows are built in DuckDB with the export's columns (the
// AuditLog payload as the record protopayload_auditlog, request and response as JSON text), the
// query compiled for DuckDB runs over them, and the same query compiled for BigQuery must parse
// whole in sql-parser-cst's BigQuery grammar.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseCst } from 'sql-parser-cst';
import { afterAll, expect, it } from 'vitest';
import { docsExamplePolicy, POLICY_PRESETS, type Policy } from '@k8s-gen/audit';
import { costReplay, type CostReport } from '../src/cost.js';
import { costReportFromRows } from '../src/cost-duckdb.js';
import { compileCostQuery } from '../src/cost-sql.js';
import { GKE_EXPORT_COLUMNS } from '../src/cost-sql-gke.js';
import { gkeEntry } from './gke-entries.js';
import { describeWithShared, readShared, SHARED_FILES } from '../../../test/support/shared-data.js';

const work = mkdtempSync(path.join(tmpdir(), 'k8s-gen-gke-export-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The export's rows from Cloud Logging JSON entries, with BigQuery's column names and types. */
const EXPORT_TABLE = (file: string): string => `
  CREATE TABLE gke_export AS
  SELECT
    {
      'serviceName': json_extract_string(protoPayload, '$.serviceName'),
      'methodName': json_extract_string(protoPayload, '$.methodName'),
      'resourceName': json_extract_string(protoPayload, '$.resourceName'),
      'authenticationInfo': {'principalEmail': json_extract_string(protoPayload, '$.authenticationInfo.principalEmail')},
      'requestMetadata': {'callerIp': json_extract_string(protoPayload, '$.requestMetadata.callerIp'), 'callerSuppliedUserAgent': json_extract_string(protoPayload, '$.requestMetadata.callerSuppliedUserAgent')},
      'status': {'code': CAST(json_extract(protoPayload, '$.status.code') AS INTEGER), 'message': json_extract_string(protoPayload, '$.status.message')},
      'requestJson': json_extract(protoPayload, '$.request')::VARCHAR,
      'responseJson': json_extract(protoPayload, '$.response')::VARCHAR
    } AS protopayload_auditlog,
    {'id': json_extract_string(operation, '$.id')} AS operation,
    insertId,
    CAST("timestamp" AS TIMESTAMP) AS "timestamp"
  FROM read_json('${file}', format = 'newline_delimited', columns = {protoPayload: 'JSON', operation: 'JSON', insertId: 'VARCHAR', "timestamp": 'VARCHAR'})`;

async function duckdbReport(policy: Policy, file: string): Promise<CostReport> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(EXPORT_TABLE(file));
    const query = compileCostQuery(policy, { dialect: 'duckdb', source: { kind: 'gke-export', table: 'gke_export' } });
    if (!query.ok) throw new Error(JSON.stringify(query.problems));
    return costReportFromRows((await connection.runAndReadAll(query.sql)).getRowObjectsJS() as Array<Record<string, unknown>>, 100000);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const within = (actual: number, expected: number, tolerance: number): boolean => Math.abs(actual - expected) <= tolerance * Math.max(Math.abs(expected), 1);

describeWithShared('GKE\u2019s BigQuery export through the cost query', [SHARED_FILES.sampleLog], () => {
  // The sample's resource requests as GKE logs them; the export renames the labels, which the
  // query therefore leaves out, so the entries here have none.
  const events = readShared(SHARED_FILES.sampleLog).split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  const entries = events.flatMap((event) => {
    const entry = gkeEntry(event);
    if (entry === undefined) return [];
    const { labels: _labels, ...unlabelled } = entry;
    return [unlabelled];
  });
  // A request the reader skips (not a resource request) is left out by the query too.
  const skipped: Record<string, unknown> = { ...entries[0]!, protoPayload: { ...(entries[0]!.protoPayload as object), methodName: 'google.container.v1.ClusterManager.GetCluster' } };
  const file = path.join(work, 'gke.jsonl');
  writeFileSync(file, `${[...entries, skipped].map((entry) => JSON.stringify(entry)).join('\n')}\n`);

  const policies: Array<[string, Policy]> = [
    ['the docs example', docsExamplePolicy().build()],
    ['Metadata for reads, RequestResponse for the rest', { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'Metadata', verbs: ['get', 'list', 'watch'] }, { level: 'None', resources: [{ group: 'coordination.k8s.io' }] }, { level: 'RequestResponse' }] }],
    ...POLICY_PRESETS.map((preset): [string, Policy] => [`the ${preset.name} preset`, preset.build().build()]),
  ];
  for (const [name, policy] of policies) {
    it(`${name}: the GKE reader's events and counts, bytes within 1%`, async () => {
      const js = await costReplay({ policy, log: file, format: 'gke', top: 100000 });
      const sql = await duckdbReport(policy, file);
      expect(js.input.events).toBe(entries.length);
      expect(sql.input.events).toBe(js.input.events);
      expect(sql.window).toEqual(js.window);
      expect([sql.candidate.events, sql.log.events, sql.change.droppedEvents]).toEqual([js.candidate.events, js.log.events, js.change.droppedEvents]);
      for (const dimension of Object.keys(js.breakdowns) as Array<keyof CostReport['breakdowns']>) {
        const counts = (report: CostReport) => new Map(report.breakdowns[dimension].rows.map((row) => [row.key, [row.log.events, row.candidate.events]]));
        expect(counts(sql), dimension).toEqual(counts(js));
      }
      for (const [figure, actual, expected] of [['log bytes', sql.log.bytes, js.log.bytes], ['candidate bytes', sql.candidate.bytes, js.candidate.bytes]] as const) {
        expect(within(actual, expected, 0.01), `${figure}: ${actual} vs ${expected}`).toBe(true);
      }
    });
  }

  it('writes the query for BigQuery over the export table, parsed whole by a BigQuery grammar', () => {
    const query = compileCostQuery(docsExamplePolicy().build(), { dialect: 'bigquery', source: { kind: 'gke-export', table: 'my-project.audit.cloudaudit_googleapis_com_activity' } });
    if (!query.ok) throw new Error(JSON.stringify(query.problems));
    expect(() => parseCst(query.sql, { dialect: 'bigquery' })).not.toThrow();
    expect(query.sql).toContain('`my-project.audit.cloudaudit_googleapis_com_activity`');
    for (const column of GKE_EXPORT_COLUMNS) expect(query.sql).toContain(column === 'timestamp' ? '`timestamp`' : column);
  });

  it('refuses an export table name that is not an identifier path, and engines that hold no GKE export', () => {
    const query = compileCostQuery(docsExamplePolicy().build(), { dialect: 'bigquery', source: { kind: 'gke-export', table: 'audit`; DROP TABLE x; --' } });
    expect(query.ok || query.problems.map((problem) => problem.code)).toEqual(['invalid-table']);
    for (const dialect of ['trino', 'athena'] as const) {
      const elsewhere = compileCostQuery(docsExamplePolicy().build(), { dialect, source: { kind: 'gke-export', table: 'audit.gke' } });
      expect(elsewhere.ok || elsewhere.problems.map((problem) => problem.code)).toEqual(['gke-export-needs-bigquery']);
    }
  });
});

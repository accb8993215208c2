// `k8s-gen cost --engine` and `--emit-sql`: both engines give the same report through the CLI, the
// automatic choice follows the log's size and format, a log DuckDB refuses falls back to the
// JavaScript replay, and the emitted query is the engine's compiled query for that dialect.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileCostQuery, DUCKDB_AUTO_MIN_BYTES, DUCKDB_AUTO_MIN_CORES, DUCKDB_TYPED_MIN_CORES, prefersDuckDB } from '@k8s-gen/engine';
import { parsePolicy } from '@k8s-gen/audit';
import { COST_CASES, logText, ordinaryLines } from '../../../test/hostile/engine/cost.js';
import { runCli } from './cli-harness.js';

const work = mkdtempSync(path.join(tmpdir(), 'k8s-gen-cli-cost-engines-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const write = (name: string, content: string | Buffer): string => {
  const file = path.join(work, name);
  writeFileSync(file, content);
  return file;
};
const policyText = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: None\n  users: ["user-3"]\n- level: Request\n  resources: [{group: "", resources: ["configmaps"]}]\n  namespaces: ["team-1"]\n- level: Metadata\n';
const policyFile = write('policy.yaml', policyText);
const log = write('audit.log', logText(ordinaryLines(60)));

describe('k8s-gen cost --engine', () => {
  it('gives the same JSON report from DuckDB and from the JavaScript replay', async () => {
    const js = await runCli(['cost', log, '--policy', policyFile, '--engine', 'js', '--format', 'json']);
    const duckdb = await runCli(['cost', log, '--policy', policyFile, '--engine', 'duckdb', '--format', 'json']);
    expect([js.code, js.stderr, duckdb.code, duckdb.stderr]).toEqual([0, '', 0, '']);
    const report = JSON.parse(duckdb.stdout);
    expect(report).toEqual(JSON.parse(js.stdout));
    // user-3's events are dropped and team-1's configmaps kept at Request.
    expect(report.change.droppedEvents).toBeGreaterThan(0);
    expect(report.breakdowns.rule.rows.map((row: { key: string }) => row.key).sort()).toEqual(['rules[0]', 'rules[1]', 'rules[2]']);
  }, 60000);

  it('chooses DuckDB for Parquet, and for large logs where it has the cores to be faster', async () => {
    expect(await prefersDuckDB(log)).toBe(false);
    expect(await prefersDuckDB(log, { minBytes: 1024, cores: DUCKDB_AUTO_MIN_CORES })).toBe(true);
    // On two cores DuckDB reading text is slower than the JavaScript replay (bench/cost-sql), reading typed faster.
    expect(await prefersDuckDB(log, { minBytes: 1024, cores: 2 })).toBe(false);
    expect(await prefersDuckDB(log, { minBytes: 1024, cores: DUCKDB_TYPED_MIN_CORES, reader: 'typed' })).toBe(true);
    expect(await prefersDuckDB(write('audit.parquet', 'PAR1 not really'), { cores: 1 })).toBe(true);
    expect(DUCKDB_AUTO_MIN_BYTES).toBeGreaterThan(1024 * 1024);
    const help = await runCli(['cost', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(`for Parquet, and for logs of ${DUCKDB_AUTO_MIN_BYTES / 1048576} MiB and more on ${DUCKDB_TYPED_MIN_CORES} cores or more (${DUCKDB_AUTO_MIN_CORES} for .gz logs`);
  });

  it('falls back to the JavaScript replay when DuckDB refuses the log, saying why', async () => {
    const truncated = COST_CASES.find((entry) => entry.name === 'cost/gz-truncated')!.generate();
    const file = write(truncated.fileName, truncated.bytes);
    const { code, stderr } = await runCli(['cost', file, '--policy', policyFile, '--engine', 'duckdb', '--format', 'json']);
    expect(stderr).toMatch(/note: the gzip data is cut short or corrupt .*replaying with the JavaScript engine instead/);
    // The replay then reports what it read and where it stopped.
    expect(stderr).toMatch(/error: reading .* stopped at byte/);
    expect(code).toBe(1);
  }, 60000);

  it('refuses an unknown engine and a missing log as usage errors', async () => {
    const unknown = await runCli(['cost', log, '--policy', policyFile, '--engine', 'spark']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('spark');
    const missing = await runCli(['cost', '--policy', policyFile]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--emit-sql');
  });
});

describe('k8s-gen cost --emit-sql', () => {
  const parsed = parsePolicy(policyText);
  const policy = parsed.ok ? parsed.policy : undefined;

  for (const dialect of ['trino', 'athena', 'bigquery'] as const) {
    it(`prints the ${dialect} query over the named table and column`, async () => {
      const { code, stdout, stderr } = await runCli(['cost', '--policy', policyFile, '--emit-sql', dialect, '--table', 'logs.kube_audit', '--column', 'event_json']);
      expect([code, stderr]).toEqual([0, '']);
      const expected = compileCostQuery(policy!, { dialect, source: { kind: 'table', table: 'logs.kube_audit', column: 'event_json' } });
      expect(expected.ok && `${expected.sql.trimEnd()}\n`).toBe(stdout);
      expect(stdout).toContain(dialect === 'bigquery' ? '`logs.kube_audit`' : '"logs"."kube_audit"');
    });
  }

  it('prints the DuckDB query over a log file, which DuckDB reads directly', async () => {
    const { code, stdout } = await runCli(['cost', log, '--policy', policyFile, '--emit-sql', 'duckdb']);
    expect(code).toBe(0);
    expect(stdout).toContain(`'${log}'`);
  });

  it('refuses a log file for the engines that read tables, and a table name that is not one', async () => {
    const withFile = await runCli(['cost', log, '--policy', policyFile, '--emit-sql', 'trino']);
    expect(withFile.code).toBe(2);
    expect(withFile.stderr).toContain('--table');
    const injected = await runCli(['cost', '--policy', policyFile, '--emit-sql', 'bigquery', '--table', 'x`; DROP TABLE y; --']);
    expect(injected.code).toBe(2);
    expect(injected.stdout).toBe('');
    expect(injected.stderr).toContain('is not one to three dot-separated identifiers');
    const unknown = await runCli(['cost', '--policy', policyFile, '--emit-sql', 'mysql']);
    expect(unknown.code).toBe(2);
  });

  it('prints the BigQuery query over GKE\u2019s export table with --input-format gke, and refuses the formats no engine holds', async () => {
    const table = 'my-project.audit.cloudaudit_googleapis_com_activity';
    const { code, stdout, stderr } = await runCli(['cost', '--policy', policyFile, '--emit-sql', 'bigquery', '--input-format', 'gke', '--table', table]);
    expect([code, stderr]).toEqual([0, '']);
    const expected = compileCostQuery(policy!, { dialect: 'bigquery', source: { kind: 'gke-export', table } });
    expect(expected.ok && `${expected.sql.trimEnd()}\n`).toBe(stdout);
    expect(stdout).toContain('protopayload_auditlog.resourceName');
    const onTrino = await runCli(['cost', '--policy', policyFile, '--emit-sql', 'trino', '--input-format', 'gke', '--table', table]);
    expect([onTrino.code, onTrino.stdout]).toEqual([2, '']);
    expect(onTrino.stderr).toContain('exported to BigQuery');
    const eks = await runCli(['cost', '--policy', policyFile, '--emit-sql', 'athena', '--input-format', 'eks']);
    expect([eks.code, eks.stdout]).toEqual([2, '']);
    expect(eks.stderr).toContain('not the eks format');
  });
});

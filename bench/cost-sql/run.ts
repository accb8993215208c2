// Benchmark: the cost replay on DuckDB (costReplayDuckDB, `k8s-gen cost --engine duckdb`) against
// the JSON.parse floor and the JavaScript replay (costReplay), measured in the same run on the
// same file.
//
//   npm run build && npx tsx bench/cost-sql/run.ts [--size 500]
//   (without a build: npx tsx --conditions=@k8s-gen/source bench/cost-sql/run.ts ...)
//
// 1. Builds a --size MB log from the real sample as bench/cost does (every line repeated with
//    fresh auditIDs of the same length), and the same events as a Parquet file (one text column).
// 2. In separate child processes: the floor (lines + JSON.parse, one core), costReplay, and
//    costReplayDuckDB over the JSON lines (its default, typed reader, then the text reader) and
//    over the Parquet file, with bench/cost's candidate.
// 3. Prints MiB/s of the JSON-lines size by wall time and by CPU time, and the ratios against the
//    floor and the replay. DuckDB uses every core, so its wall ratio is the one that counts for
//    a user waiting; its CPU ratio says what it costs. Checks that both engines found the same
//    events and candidate bytes.
// Target: DuckDB >= 2 x the floor by wall time on a 2-core machine.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { costReplayDuckDB } from '@k8s-gen/engine';
import { buildLog, candidate, floorPass, jsReplay, measured, measureInChild, runBenchmark, replaySummary, type Measurement } from '../cost/replay-bench.js';

const here = fileURLToPath(import.meta.url);

async function child(kind: string, file: string): Promise<Measurement> {
  if (kind === 'floor') return measured(() => floorPass(file));
  if (kind === 'js') return measured(() => jsReplay(file));
  if (kind === 'duckdb') return measured(async () => replaySummary(await costReplayDuckDB({ policy: candidate, log: file })));
  if (kind === 'duckdb-text') return measured(async () => replaySummary(await costReplayDuckDB({ policy: candidate, log: file, reader: 'text' })));
  throw new Error(`unknown child ${kind}`);
}

/** Writes the JSON-lines log's events to a Parquet file, one VARCHAR column `line` (not measured). */
async function toParquet(from: string, to: string): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;
  await connection.run(
    `COPY (SELECT line FROM read_csv(${literal(from)}, columns = {'line': 'VARCHAR'}, header = false, delim = '\\0', quote = '', escape = '', auto_detect = false)) TO ${literal(to)} (FORMAT parquet)`,
  );
  connection.closeSync();
  instance.closeSync();
}

const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(0)} MiB`;

async function parent(): Promise<void> {
  const { values } = parseArgs({ options: { size: { type: 'string', default: '500' } }, allowPositionals: true });
  const target = Number(values.size) * 1e6;
  if (!(target > 0)) throw new Error('--size must be a positive number of megabytes');
  const work = mkdtempSync(path.join(tmpdir(), 'k8s-gen-bench-cost-sql-'));
  try {
    const file = path.join(work, `audit-${Math.round(target / 1e6)}MB.log`);
    await buildLog(file, target);
    const parquet = path.join(work, 'audit.parquet');
    await toParquet(file, parquet);
    const size = statSync(file).size;
    const measure = (kind: string, log: string): Measurement => measureInChild(here, kind, log);
    const floor = measure('floor', file);
    const js = measure('js', file);
    const duckdb = measure('duckdb', file);
    const textReader = measure('duckdb-text', file);
    const fromParquet = measure('duckdb', parquet);
    const rate = (m: Measurement): string => `${(size / 1048576 / m.seconds).toFixed(1)} MiB/s wall, ${(size / 1048576 / m.cpuSeconds).toFixed(1)} MiB/s CPU, peak RSS ${mib(m.maxRssBytes)}`;
    const ratio = (ours: Measurement, baseline: Measurement): string => `${(baseline.seconds / ours.seconds).toFixed(2)} wall, ${(baseline.cpuSeconds / ours.cpuSeconds).toFixed(2)} CPU`;
    const rows = [
      `log ${mib(size)} of JSON lines (Parquet copy ${mib(statSync(parquet).size)}), ${cpus().length} cores:`,
      `  floor (lines + JSON.parse): ${rate(floor)}`,
      `  costReplay (js): ${rate(js)} (${js.detail})`,
      `  costReplayDuckDB, JSON lines (typed reader): ${rate(duckdb)} (${duckdb.detail})`,
      `  costReplayDuckDB, JSON lines (text reader): ${rate(textReader)} (${textReader.detail})`,
      `  costReplayDuckDB, Parquet: ${rate(fromParquet)} (${fromParquet.detail})`,
      `  duckdb/floor: ${ratio(duckdb, floor)} (target >= 2 wall); duckdb/js: ${ratio(duckdb, js)}`,
      `  duckdb text reader/floor: ${ratio(textReader, floor)}; /js: ${ratio(textReader, js)}`,
      `  duckdb on Parquet/floor: ${ratio(fromParquet, floor)}; /js: ${ratio(fromParquet, js)}`,
      `  same answer: ${js.detail === textReader.detail && js.detail === fromParquet.detail ? 'yes' : `NO (js: ${js.detail}; text reader: ${textReader.detail}; parquet: ${fromParquet.detail})`}; typed reader: ${duckdb.detail === js.detail ? 'the same' : duckdb.detail}`,
    ];
    process.stdout.write(`${rows.join('\n')}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await runBenchmark(child, parent);

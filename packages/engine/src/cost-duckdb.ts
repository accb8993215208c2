// The cost replay on DuckDB, embedded: the policy and the replay's arithmetic compiled to one SQL
// query (cost-sql.ts) that DuckDB runs over a JSON-lines file (plain or gzip) or a Parquet file,
// on every core. The result has the shape of costReplay's report, built by the same code.
// `@duckdb/node-api` is imported only when this runs, so nothing else in the package (and no
// browser bundle) ever loads the native module.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { assembleReport, DIMENSIONS, Tally, type CostDimension, type CostReplayOptions, type CostReport } from './cost.js';
import { compileCostQuery, type CostQuerySource } from './cost-sql.js';
import { createInterface } from 'node:readline';
import { detectAuditLogFormat, newFormatStatus, type AuditLogFormat } from './log-formats/index.js';

/** Logs at least this large are replayed with DuckDB when the engine is chosen automatically (32 MiB). */
export const DUCKDB_AUTO_MIN_BYTES = 32 * 1024 * 1024;

/**
 * Cores DuckDB needs before the automatic choice gives it a JSON-lines log it reads as text (a
 * gzip log, or `reader: 'text'`) (4): that reading spends about twice the CPU time of the
 * JavaScript replay per byte (bench/cost-sql), which runs on one core, so it finishes first only
 * with more than two cores to spread over.
 */
export const DUCKDB_AUTO_MIN_CORES = 4;

/**
 * Cores DuckDB needs before the automatic choice gives it a plain JSON-lines log it reads typed
 * (2): the typed reader spends about the JavaScript replay's CPU time per byte (bench/cost-sql),
 * so two cores already finish it first.
 */
export const DUCKDB_TYPED_MIN_CORES = 2;

/** Which engine replays a log: the JavaScript replay, DuckDB, or the automatic choice ({@link prefersDuckDB}). */
export type CostEngine = 'js' | 'duckdb' | 'auto';

/**
 * Plain JSON-lines logs at least this large are read with DuckDB's JSON reader when the reader is
 * chosen automatically (32 MiB): below it the text reader's exact bytes cost little time.
 */
export const TYPED_READER_MIN_BYTES = 32 * 1024 * 1024;

/**
 * Largest share of the log's bytes the typed read's sizes may fall short by (0.5%) before the
 * text reader runs instead: the re-encoding shortens escapes (0.014% on the sample log); a larger
 * gap means members it does not know, or spacing, and the exact sizes are worth the time.
 */
export const TYPED_READER_MAX_GAP = 0.005;

/** What the format status's shape adds when the typed reader gave the report. */
export const TYPED_READ_SHAPE = 'read by DuckDB\u2019s JSON reader (event sizes rebuilt from the members)';

/**
 * How DuckDB reads a JSON-lines log. `text`: each line as text, bytes measured on it as the
 * JavaScript replay does. `typed`: DuckDB's JSON reader, several times faster, with sizes rebuilt
 * from the re-encoded members (within {@link TYPED_READER_MAX_GAP} of the log, escapes counted
 * as the characters they stand for); it is used only when it read every line and every event in
 * it is one the text reader would take the same way, else the text reader runs. `auto`
 * (default): `typed` for plain files of at least {@link TYPED_READER_MIN_BYTES}, else `text`.
 * Gzip and Parquet are always read as text.
 */
export type DuckDBReader = 'auto' | 'text' | 'typed';

/** Options of {@link costReplayDuckDB}: those of costReplay, with the log a file path. */
export interface CostDuckDBOptions extends Omit<CostReplayOptions, 'log' | 'maxOpenRequests' | 'maxKeys'> {
  /** A JSON-lines file (`.gz` or gzip content decompressed) or a Parquet file (`.parquet`, or `PAR1` content). */
  log: string;
  /** For Parquet: the column holding each event's JSON (default: the only text column, else `line`). */
  column?: string;
  /** How a JSON-lines log is read (default `auto`); see {@link DuckDBReader}. */
  reader?: DuckDBReader;
}

/** DuckDB could not replay the log (the module is missing, or it refused the input); the JavaScript replay still can. */
export class CostEngineError extends Error {
  override readonly name = 'CostEngineError';
}

/** Where the automatic choice changes engine: the log size and the cores (defaults: the constants above, this machine's cores). */
export interface DuckDBChoice {
  /** Smallest JSON-lines file given to DuckDB (default {@link DUCKDB_AUTO_MIN_BYTES}). */
  minBytes?: number;
  /** Fewest cores DuckDB needs to be chosen (default {@link DUCKDB_TYPED_MIN_CORES} for a log it reads typed, else {@link DUCKDB_AUTO_MIN_CORES}). */
  minCores?: number;
  /** The cores to count on (default: `os.availableParallelism()`). */
  cores?: number;
  /** The reader DuckDB would use (default `auto`); see {@link DuckDBReader}. */
  reader?: DuckDBReader;
}

/**
 * Whether the automatic choice is DuckDB for this log: always for Parquet (only DuckDB reads it);
 * for JSON lines, a file of at least {@link DUCKDB_AUTO_MIN_BYTES} on a machine with at least
 * {@link DUCKDB_TYPED_MIN_CORES} cores when DuckDB reads it typed (a plain file), else
 * {@link DUCKDB_AUTO_MIN_CORES}; and only when DuckDB is installed (it is an optional add-on).
 *
 * @example
 * const engine = (await prefersDuckDB('/var/log/kube-audit.log.gz')) ? 'duckdb' : 'js';
 */
export async function prefersDuckDB(log: string, choice: DuckDBChoice = {}): Promise<boolean> {
  const info = await stat(log);
  const format = await fileFormat(log);
  // Parquet goes to DuckDB even when it is missing: only DuckDB reads it, and it says how to install it.
  if (format.kind === 'parquet') return true;
  const typed = readsTyped(format, info.size, choice.reader);
  const worth = info.size >= (choice.minBytes ?? DUCKDB_AUTO_MIN_BYTES) && (choice.cores ?? availableParallelism()) >= (choice.minCores ?? (typed ? DUCKDB_TYPED_MIN_CORES : DUCKDB_AUTO_MIN_CORES));
  if (!worth) return false;
  return loadDuckDB().then(
    () => true,
    () => false,
  );
}

/** Whether DuckDB reads this log with its typed reader (see {@link DuckDBReader}). */
function readsTyped(format: { kind: 'json-lines'; gzip: boolean } | { kind: 'parquet' }, size: number, reader: DuckDBReader = 'auto'): boolean {
  return format.kind === 'json-lines' && !format.gzip && (reader === 'typed' || (reader === 'auto' && size >= TYPED_READER_MIN_BYTES));
}

/** How a file holds its log, from its name and first bytes. */
async function fileFormat(log: string): Promise<{ kind: 'json-lines'; gzip: boolean } | { kind: 'parquet' }> {
  const handle = await open(log, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    if (log.endsWith('.parquet') || (bytesRead === 4 && head.toString('latin1') === 'PAR1')) return { kind: 'parquet' };
    return { kind: 'json-lines', gzip: log.endsWith('.gz') || (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) };
  } finally {
    await handle.close();
  }
}

type Row = Record<string, unknown>;

/**
 * Replays an audit log through a candidate policy on DuckDB and returns the report
 * {@link costReplay} gives: the same events and per-level, per-rule, per-user, per-resource and
 * per-verb counts; bytes as the replay measures them where the line has the apiserver's layout,
 * otherwise from DuckDB's encoding of the bodies (the guide says how close that is). A file that
 * cannot be opened throws like costReplay; anything DuckDB refuses throws
 * {@link CostEngineError}, and the JavaScript replay can be run instead.
 *
 * @example
 * const report = await costReplayDuckDB({ policy, log: '/var/log/kube-audit.log.gz' });
 * console.log(report.candidate.bytes / report.log.bytes);
 */
export async function costReplayDuckDB(options: CostDuckDBOptions): Promise<CostReport> {
  const info = await stat(options.log);
  if (info.isDirectory()) throw new Error(`${options.log} is a directory, not an audit log file`);
  const format = await fileFormat(options.log);
  // The query reads the apiserver's own events; a managed cluster's export is the JavaScript
  // replay's to read (its format readers rebuild the events first).
  const detected = options.format === undefined || options.format === 'auto' ? (format.kind === 'json-lines' ? await firstRecordFormat(options.log, format.gzip) : undefined) : { format: options.format, shape: `given as ${options.format}` };
  const logFormat = detected?.format;
  if (logFormat !== undefined && logFormat !== 'kubernetes') throw new CostEngineError(`DuckDB reads the apiserver's own log format, and ${options.log} is in the ${logFormat} format`);
  const api = await loadDuckDB();
  const instance = await api.DuckDBInstance.create(':memory:').catch((error: unknown) => {
    throw new CostEngineError(`DuckDB did not start: ${(error as Error).message}`);
  });
  try {
    const connection = await instance.connect();
    try {
      const run = async (sql: string): Promise<Row[]> => {
        try {
          return (await (await connection.runAndReadAll(sql)).getRowObjectsJS()) as Row[];
        } catch (error) {
          throw new CostEngineError(`DuckDB refused the log: ${firstLine((error as Error).message)}`);
        }
      };
      let source: CostQuerySource;
      if (format.kind === 'parquet') {
        source = { kind: 'parquet', path: options.log, column: options.column ?? (await parquetColumn(run, options.log)) };
      } else {
        source = { kind: 'json-lines', path: options.log, gzip: format.gzip };
      }
      const compile = (output: 'report' | 'bad-line-samples', estimates = true, from: CostQuerySource = source): string => {
        const query = compileCostQuery(options.policy, { dialect: 'duckdb', source: from, output, estimates, ...(options.maxLineBytes !== undefined ? { maxLineBytes: options.maxLineBytes } : {}), ...(options.kubernetesVersion !== undefined ? { kubernetesVersion: options.kubernetesVersion } : {}) });
        if (!query.ok) throw new CostEngineError(query.problems.map((problem) => problem.message).join(' '));
        return query.sql;
      };
      // Most replays need no estimate (a log at least as detailed as the candidate, with its
      // RequestReceived events): the query without the windows over kinds of request says so.
      const replay = async (from: CostQuerySource): Promise<Row[]> => {
        const rows = await run(compile('report', false, from));
        return num(rows.find((row) => row.dimension === '(input)')?.needs_estimates) > 0 ? run(compile('report', true, from)) : rows;
      };
      const typedSource: CostQuerySource | undefined = source.kind === 'json-lines' && readsTyped(format, info.size, options.reader) ? { ...source, typed: true } : undefined;
      const typedReport = typedSource ? await typedReplay(options.log, () => replay(typedSource), options.top ?? 20) : undefined;
      const report = typedReport ?? costReportFromRows(await replay(source), options.top ?? 20);
      // The format read, with the shape of the first record; records and events count the lines (the
      // JavaScript readers' per-record bookkeeping is theirs).
      const shape = detected?.shape ?? (format.kind === 'parquet' ? 'audit events in a Parquet column' : 'audit events');
      report.input.format = { ...newFormatStatus(), format: 'kubernetes', shape: typedReport ? `${shape}, ${TYPED_READ_SHAPE}` : shape, records: report.input.lines, events: report.input.events };
      if (report.input.badLines > 0) {
        const samples = await run(compile('bad-line-samples'));
        report.input.badLineSamples = samples.map((row) => ({ line: Number(row.line_no), message: String(row.problem) }));
      }
      if (format.kind === 'json-lines' && format.gzip) await checkGzipWhole(options.log, report.input.bytesRead);
      options.onProgress?.(info.size, info.size);
      return report;
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/**
 * The replay with the typed reader, or undefined when the text reader must run instead: the JSON
 * reader refused a line (not JSON, several objects, duplicate keys, over the size limit), doubted
 * one (a bad line reading `needs the text reader`), read fewer lines than the file has (it skips
 * lines of spaces, which the replay counts as bad), a line ends in `,}` (it drops the comma,
 * JSON.parse refuses the line), or its sizes fall short of the file's by more than
 * {@link TYPED_READER_MAX_GAP}. The file's lines are counted beside the query, on this
 * thread while DuckDB's run on theirs. A log that needs the text reader pays for both readings.
 */
async function typedReplay(log: string, replay: () => Promise<Row[]>, top: number): Promise<CostReport | undefined> {
  const [query, counted] = await Promise.allSettled([replay(), countLines(log)]);
  if (query.status === 'rejected') {
    if (query.reason instanceof CostEngineError) return undefined;
    throw query.reason;
  }
  if (counted.status === 'rejected') throw counted.reason;
  const lines = counted.value;
  const report = costReportFromRows(query.value, top);
  const gap = lines.bytes - report.input.bytesRead;
  if (report.input.badLines > 0 || lines.trailingCommas > 0 || report.input.lines !== lines.lines || gap < 0 || gap > TYPED_READER_MAX_GAP * lines.bytes) return undefined;
  // The file's own byte count, as the replay reads it; the events' sizes stay the rebuilt ones.
  report.input.bytesRead = lines.bytes;
  return report;
}

/**
 * The lines of a plain file as the replay counts them (cost-input.ts): a trailing `\r` removed,
 * empty lines skipped, each line's bytes plus its newline; and how many end in a comma before
 * their closing brace (`,}`), which DuckDB's JSON reader takes and JSON.parse refuses.
 */
async function countLines(log: string): Promise<{ lines: number; bytes: number; trailingCommas: number }> {
  const handle = await open(log, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 24);
    let lines = 0;
    let bytes = 0;
    let length = 0;
    let endsInReturn = false;
    let trailingCommas = 0;
    // The last bytes of the line so far, for a line that ends just after a read boundary.
    let tail = Buffer.alloc(0);
    const endLine = (chunk: Buffer, stop: number): void => {
      const size = endsInReturn ? length - 1 : length;
      if (size > 0) {
        lines += 1;
        bytes += size + 1;
        if (endsInTrailingComma(chunk, stop, tail)) trailingCommas += 1;
      }
      length = 0;
      endsInReturn = false;
    };
    let chunk = buffer.subarray(0, 0);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      chunk = buffer.subarray(0, bytesRead);
      for (let start = 0; start < bytesRead; ) {
        const newline = chunk.indexOf(0x0a, start);
        const stop = newline < 0 ? bytesRead : newline;
        if (stop > start) {
          length += stop - start;
          endsInReturn = chunk[stop - 1] === 0x0d;
        }
        if (newline < 0) break;
        endLine(chunk, stop);
        start = newline + 1;
      }
      tail = Buffer.from(chunk.subarray(Math.max(0, bytesRead - TAIL_BYTES)));
    }
    if (length > 0) endLine(chunk, chunk.length);
    return { lines, bytes, trailingCommas };
  } finally {
    await handle.close();
  }
}

/** Bytes looked at before a line's end for a trailing comma. */
const TAIL_BYTES = 64;

/**
 * Whether the line ending at `stop` in `chunk` (`tail`: the previous read's last bytes) ends in
 * `,` `}` with only JSON whitespace after and between; within {@link TAIL_BYTES} of the end,
 * beyond which it is taken for one (the text reader then decides).
 */
function endsInTrailingComma(chunk: Buffer, stop: number, tail: Buffer): boolean {
  // Nearly every line ends in `}` after a value: decided on two bytes, without the slow walk.
  if (stop >= 2) {
    const last = chunk[stop - 1];
    const before = chunk[stop - 2];
    if (last === 0x7d && before !== 0x2c && !isJsonSpace(before)) return false;
    if (last !== 0x7d && !isJsonSpace(last)) return false;
  }
  const floor = -Math.min(tail.length, TAIL_BYTES);
  const byteAt = (at: number): number | undefined => (at >= 0 ? chunk[at] : tail[tail.length + at]);
  let at = stop - 1;
  while (at >= floor && at > stop - TAIL_BYTES && isJsonSpace(byteAt(at))) at -= 1;
  if (at < floor) return false;
  if (at <= stop - TAIL_BYTES) return true;
  if (byteAt(at) !== 0x7d) return false;
  at -= 1;
  while (at >= floor && at > stop - TAIL_BYTES && isJsonSpace(byteAt(at))) at -= 1;
  if (at < floor) return false;
  return at <= stop - TAIL_BYTES || byteAt(at) === 0x2c;
}

/** Space, tab or carriage return: the JSON whitespace a line can hold. */
function isJsonSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0d;
}

/**
 * DuckDB reads a gzip file cut short without a word, where the replay reports what it read and
 * where it stopped. The gzip trailer's size (mod 2^32) equals the text read for a whole file of
 * newline-ended lines; when it does not (empty lines, CRLF, several members, or a cut), zlib reads
 * the file through once to tell.
 */
async function checkGzipWhole(log: string, textBytes: number): Promise<void> {
  const handle = await open(log, 'r');
  try {
    const { size } = await handle.stat();
    const trailer = Buffer.alloc(4);
    if (size >= 18 && (await handle.read(trailer, 0, 4, size - 4)).bytesRead === 4 && trailer.readUInt32LE(0) === textBytes % 2 ** 32) return;
  } finally {
    await handle.close();
  }
  try {
    await pipeline(createReadStream(log), createGunzip(), new Writable({ write: (_chunk, _encoding, done) => done() }));
  } catch (error) {
    throw new CostEngineError(`the gzip data is cut short or corrupt (${(error as Error).message}); DuckDB reads such files without saying so`);
  }
}

/**
 * The package holding DuckDB's native module. A name in a variable, not a literal: the package's
 * build is one file, and an app bundling it for the browser would otherwise follow the import
 * into native code it cannot load (the bundle test in bench/bundle keeps it so).
 */
const DUCKDB_PACKAGE = '@duckdb/node-api';

/** The native module, loaded on first use only. */
async function loadDuckDB(): Promise<typeof import('@duckdb/node-api')> {
  try {
    // Required, not imported: it is a CommonJS package of some hundred files, which Node's ES
    // module loader takes twice as long over (about 90 ms against 45 on the bench machine).
    return createRequire(import.meta.url)(DUCKDB_PACKAGE) as typeof import('@duckdb/node-api');
  } catch (error) {
    throw new CostEngineError(`DuckDB is not installed (@duckdb/node-api could not be loaded: ${firstLine((error as Error).message)}); install it beside k8s-gen with npm install @duckdb/node-api`);
  }
}

/** The only text column of a Parquet file, else `line`. */
async function parquetColumn(run: (sql: string) => Promise<Row[]>, path: string): Promise<string> {
  const columns = await run(`DESCRIBE SELECT * FROM read_parquet('${path.replace(/'/g, "''")}')`);
  const text = columns.filter((row) => ['VARCHAR', 'JSON', 'BLOB'].includes(String(row.column_type)));
  return text.length === 1 ? String(text[0]!.column_name) : 'line';
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/**
 * Turns the rows of the cost query ({@link compileCostQuery}), run on any engine, into
 * costReplay's report: run the `--emit-sql` query on Athena or BigQuery, read its rows back (as
 * objects keyed by column name), and the report is the one `k8s-gen cost` prints.
 *
 * @example
 * const report = costReportFromRows(rowsFromBigQuery, 20);
 * console.log(report.candidate.bytes / report.log.bytes);
 */
export function costReportFromRows(rows: readonly Row[], top = 20): CostReport {
  const tables = Object.fromEntries(DIMENSIONS.map((dimension) => [dimension, { tallies: new Map<string, Tally>(), pooled: false }])) as Record<CostDimension, { tallies: Map<string, Tally>; pooled: boolean }>;
  let total = new Tally('');
  let input: CostReport['input'] = { lines: 0, bytesRead: 0, badLines: 0, badLineSamples: [], events: 0, requests: 0, eventLists: 0, format: newFormatStatus() };
  let start: string | undefined;
  let end: string | undefined;
  let unknownBodies = 0;
  for (const row of rows) {
    const dimension = String(row.dimension);
    const key = String(row.breakdown_key);
    if (dimension === '(input)') {
      input = { lines: num(row.lines), bytesRead: num(row.bytes_read), badLines: num(row.bad_lines), badLineSamples: [], events: num(row.events_read), requests: num(row.requests), eventLists: num(row.event_lists), format: newFormatStatus() };
      continue;
    }
    if (dimension === '(bad)') continue;
    const tally = tallyOf(key, row);
    if (dimension === 'total') {
      total = tally;
      unknownBodies = num(row.unknown_bodies);
      start = typeof row.window_start === 'string' ? row.window_start : undefined;
      end = typeof row.window_end === 'string' ? row.window_end : undefined;
    } else if ((DIMENSIONS as readonly string[]).includes(dimension)) {
      tables[dimension as CostDimension].tallies.set(key, tally);
    }
  }
  return assembleReport({ tables, total, input, start, end, top, unknownBodies });
}

function tallyOf(key: string, row: Row): Tally {
  const tally = new Tally(key);
  tally.logEvents = num(row.log_events);
  tally.logBytes = num(row.log_bytes);
  tally.events = num(row.events);
  tally.bytes = num(row.bytes);
  tally.estimatedEvents = num(row.estimated_events);
  tally.estimatedBytes = num(row.estimated_bytes);
  tally.droppedEvents = num(row.dropped_events);
  tally.droppedBytes = num(row.dropped_bytes);
  tally.addedEvents = num(row.added_events);
  tally.addedBytes = num(row.added_bytes);
  return tally;
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : value === null || value === undefined ? 0 : Number(value);
}

/**
 * The format of the first record of a JSON-lines log (read from its first MiB at most), or
 * undefined when that record is in no known format (DuckDB then reads it and counts bad lines).
 */
async function firstRecordFormat(file: string, gzip: boolean): Promise<{ format: AuditLogFormat; shape: string } | undefined> {
  const stream = createReadStream(file, { end: 1048575 });
  const input = gzip ? stream.pipe(createGunzip()) : stream;
  input.on('error', () => undefined);
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (line.trim() === '') continue;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        return detectAuditLogFormat(undefined, line);
      }
      return detectAuditLogFormat(record);
    }
  } catch {
    // A cut or corrupt gzip start: DuckDB's own reading reports it.
  } finally {
    lines.close();
    stream.destroy();
  }
  return undefined;
}

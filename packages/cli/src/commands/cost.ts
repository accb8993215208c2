// `k8s-gen cost`: replay a real audit log through a candidate policy and show what it would log.
import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import type { Policy } from '@k8s-gen/audit';
import {
  compileCostQuery,
  CostEngineError,
  costReplay,
  costReplayDuckDB,
  DEFAULT_COST_COLUMN,
  DEFAULT_COST_TABLE,
  DEFAULT_MAX_LINE_BYTES,
  DUCKDB_AUTO_MIN_BYTES,
  DUCKDB_AUTO_MIN_CORES,
  DUCKDB_TYPED_MIN_CORES,
  formatBytes,
  prefersDuckDB,
  ruleLabel,
  SQL_DIALECT_NAMES,
  TYPED_READER_MIN_BYTES,
  type AuditLogFormat,
  type CostDimension,
  type CostEngine,
  type CostQuerySource,
  type CostReport,
  type DuckDBReader,
  type LocatePath,
  type SqlDialectName,
} from '@k8s-gen/engine';
import { formatOption, inputFormatOption, kubernetesVersionOption } from '../options.js';
import { CliError, EXIT_CODES, isInteractive, printable } from '../output.js';
import { auditLogSize, readingAuditLog, reportAuditLogFormat } from './audit-log-file.js';
import { positiveInteger } from './numeric-options.js';
import { readPolicyFile } from './policy-file.js';

interface CostOptions {
  policy: string;
  top: number;
  maxLineBytes: number;
  kubernetesVersion: string;
  format: 'text' | 'json';
  engine: CostEngine;
  emitSql?: SqlDialectName;
  table: string;
  column?: string;
  inputFormat: AuditLogFormat | 'auto';
  duckdbReader: DuckDBReader;
}

/** Registers `k8s-gen cost`. */
export function register(program: Command): void {
  program
    .command('cost')
    .description('Replay an audit log (JSON lines or EventLists, plain or .gz, Parquet; or a managed cluster\'s export) through a candidate policy and compare volumes.')
    .argument('[log]', 'audit log file written by the log backend (JSON lines, plain or .gz, or Parquet), EventList lines captured from a webhook, or an EKS, GKE or AKS export; not needed with --emit-sql')
    .requiredOption('--policy <file>', 'the candidate audit policy (YAML or JSON)')
    .addOption(
      new Option('--engine <engine>', `which engine replays the log: the JavaScript replay, or DuckDB (embedded, on every core; Parquet needs it)`)
        .choices(['auto', 'js', 'duckdb'])
        .default('auto', `auto: DuckDB (when installed) for Parquet, and for logs of ${DUCKDB_AUTO_MIN_BYTES / 1048576} MiB and more on ${DUCKDB_TYPED_MIN_CORES} cores or more (${DUCKDB_AUTO_MIN_CORES} for .gz logs, which it reads as text)`),
    )
    .addOption(
      new Option('--duckdb-reader <reader>', 'how DuckDB reads a plain JSON-lines log: each line as text (bytes exact), or typed by its JSON reader (faster, sizes re-encoded; it gives way to the text reader on any line it cannot vouch for)')
        .choices(['auto', 'text', 'typed'])
        .default('auto', `auto: typed for logs of ${TYPED_READER_MIN_BYTES / 1048576} MiB and more`),
    )
    .addOption(new Option('--emit-sql <dialect>', 'print the replay as one SQL query for this engine instead of running it').choices(SQL_DIALECT_NAMES))
    .option('--table <name>', 'with --emit-sql: the table (or view) with one row per log line; with --input-format gke, the BigQuery export table of GKE\'s audit logs', DEFAULT_COST_TABLE)
    .option('--column <name>', `with --emit-sql: the column holding each line's JSON (default: ${DEFAULT_COST_COLUMN})`)
    .option('--top <n>', 'rows per breakdown', positiveInteger, 10)
    .option('--max-line-bytes <n>', 'lines longer than this are counted as bad lines without being read', positiveInteger, DEFAULT_MAX_LINE_BYTES)
    .addOption(inputFormatOption())
    .addOption(kubernetesVersionOption('Kubernetes release whose matching rules apply'))
    .addOption(formatOption(['text', 'json']))
    .addHelpText(
      'after',
      `
A log that stops early (a truncated .gz) still gives the report of what was read; the exit code is then 1.

Examples:
  $ k8s-gen cost /var/log/kubernetes/audit/audit.log --policy candidate-policy.yaml
  $ k8s-gen cost eks-audit.jsonl --policy candidate-policy.yaml --input-format eks
  $ k8s-gen cost audit-2024-05-16T17-03-59.994.log.gz --policy gce.yaml --top 20 --format json > cost.json
  $ k8s-gen cost audit.parquet --policy candidate-policy.yaml --engine duckdb
  $ k8s-gen cost --policy candidate-policy.yaml --emit-sql athena --table audit.kube_audit > cost.sql
  $ k8s-gen cost --policy candidate-policy.yaml --emit-sql bigquery --input-format gke --table my-project.audit.cloudaudit_googleapis_com_activity > cost.sql`,
    )
    .action(async (log: string | undefined, options: CostOptions) => {
      const { policy, locate } = await readPolicyFile(options.policy, options.kubernetesVersion);
      if (options.emitSql !== undefined) {
        process.stdout.write(emitSql(policy, options.emitSql, log, options));
        return;
      }
      if (log === undefined) throw new CliError('missing the audit log to replay', 'pass the log file, or --emit-sql DIALECT to print the query instead', EXIT_CODES.usage);
      const size = await auditLogSize(log);
      const bar = isInteractive() ? new cliProgress.SingleBar({ stream: process.stderr, format: 'replaying {bar} {percentage}% | {value}/{total} MiB', clearOnComplete: true }, cliProgress.Presets.shades_classic) : undefined;
      bar?.start(Math.max(1, Math.round(size / 1048576)), 0);
      let report: CostReport;
      const common = { policy, log, top: options.top, maxLineBytes: options.maxLineBytes, kubernetesVersion: options.kubernetesVersion };
      const replayInJs = (): Promise<CostReport> => costReplay({ ...common, format: options.inputFormat, ...(bar ? { onProgress: (read: number) => bar.update(Math.round(read / 1048576)) } : {}) });
      try {
        // DuckDB reads the apiserver's own format only; a managed cluster's export goes to the JavaScript replay.
        const managed = options.inputFormat !== 'auto' && options.inputFormat !== 'kubernetes';
        if (managed && options.engine === 'duckdb') throw new CliError(`--engine duckdb reads the apiserver's own log format, not ${options.inputFormat}`, 'drop --engine (the JavaScript replay reads managed clusters\' exports)', EXIT_CODES.usage);
        const useDuckDB = !managed && (options.engine === 'duckdb' || (options.engine === 'auto' && (await prefersDuckDB(log, { reader: options.duckdbReader }))));
        if (!useDuckDB) report = await readingAuditLog(log, replayInJs);
        else {
          try {
            report = await costReplayDuckDB({ ...common, format: options.inputFormat, reader: options.duckdbReader });
          } catch (error) {
            if (!(error instanceof CostEngineError)) throw error;
            // The JavaScript replay reads what DuckDB refused (a cut gzip file, a managed cluster's
            // export) and says where it stopped.
            process.stderr.write(`note: ${error.message}; replaying with the JavaScript engine instead\n`);
            report = await readingAuditLog(log, replayInJs);
          }
        }
      } catch (error) {
        if (error instanceof CliError) throw error;
        throw new CliError(`cannot replay ${log}: ${(error as Error).message}`, 'check that the file is a (gzipped) audit log');
      } finally {
        bar?.stop();
      }
      reportAuditLogFormat(log, report.input.format);
      if (report.input.badLines > 0) {
        process.stderr.write(`warning: ${report.input.badLines} line(s) of ${log} could not be read as audit events and were skipped (first at line ${report.input.badLineSamples[0]!.line}: ${printable(report.input.badLineSamples[0]!.message)})\n`);
      }
      process.stdout.write(options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderCost(report, log, options.policy, { policy, locate }));
      const stopped = report.input.stopped;
      if (stopped) {
        // The report above covers what was read; the log itself is incomplete, which is a finding.
        process.stderr.write(
          `error: reading ${log} stopped at byte ${stopped.inputOffset} of the ${stopped.gzip ? 'compressed ' : ''}file (line ${stopped.line}): ${stopped.message}; the report above covers the ${stopped.line} line(s) read\n`,
        );
        process.exitCode = EXIT_CODES.findings;
      }
    });
}

/** The query of `--emit-sql`: over the log file for DuckDB when one is given, else over `--table`. */
function emitSql(policy: Policy, dialect: SqlDialectName, log: string | undefined, options: CostOptions): string {
  let source: CostQuerySource;
  const managed = options.inputFormat !== 'auto' && options.inputFormat !== 'kubernetes';
  if (managed && options.inputFormat !== 'gke') {
    throw new CliError(`--emit-sql reads the apiserver's own events, or GKE's BigQuery export; not the ${options.inputFormat} format`, 'load the events into a table with one Event JSON per row, or run k8s-gen cost on the export file', EXIT_CODES.usage);
  }
  if (options.inputFormat === 'gke') {
    if (log !== undefined) throw new CliError('with --input-format gke, --emit-sql reads GKE\'s BigQuery export table, not a file', 'drop the log argument and name the export table with --table', EXIT_CODES.usage);
    source = { kind: 'gke-export', table: options.table };
  } else if (log !== undefined && dialect === 'duckdb') {
    source = /\.parquet$/i.test(log) ? { kind: 'parquet', path: log, column: options.column ?? DEFAULT_COST_COLUMN } : { kind: 'json-lines', path: log, gzip: /\.gz$/i.test(log) };
  } else if (log !== undefined) {
    throw new CliError(`${dialect} reads the log from a table, not from ${log}`, 'drop the log argument and name the table with --table', EXIT_CODES.usage);
  } else {
    source = { kind: 'table', table: options.table, ...(options.column !== undefined ? { column: options.column } : {}) };
  }
  const query = compileCostQuery(policy, { dialect, source, maxLineBytes: options.maxLineBytes, kubernetesVersion: options.kubernetesVersion });
  if (!query.ok) {
    const problem = query.problems[0]!;
    throw new CliError(problem.message, problem.fix, EXIT_CODES.usage);
  }
  return `${query.sql.trimEnd()}\n`;
}

const TITLES: Record<CostDimension, string> = {
  logLevel: 'By level in the log',
  stage: 'By stage',
  level: 'By candidate level',
  rule: 'By candidate rule',
  user: 'By user',
  resource: 'By resource',
  verb: 'By verb',
};

/** Names `rules[N]` keys by index, line and comment, so a rule can be found in the policy file. */
function keyLabel(dimension: CostDimension, key: string, named: { policy: Policy; locate: LocatePath }): string {
  const index = dimension === 'rule' ? /^rules\[(\d+)\]$/.exec(key)?.[1] : undefined;
  return printable(index === undefined ? key : ruleLabel(named.policy, Number(index), named.locate));
}

function renderCost(report: CostReport, log: string, policy: string, named: { policy: Policy; locate: LocatePath }): string {
  const perSecond = (bytes: number | undefined): string => (bytes === undefined ? '' : ` (${formatBytes(bytes)}/s)`);
  const mark = (estimated: boolean): string => (estimated ? ' ~estimated' : '');
  const lines = [
    `${log}: ${report.input.events} events from ${report.input.requests} requests over ${report.window.seconds ?? 0} s${report.input.stopped ? ` (partial: reading stopped at line ${report.input.stopped.line})` : ''}`,
    `  log:       ${report.log.events} events, ${formatBytes(report.log.bytes)}${perSecond(report.log.bytesPerSecond)}`,
    `  candidate: ${report.candidate.events} events, ${formatBytes(report.candidate.bytes)}${perSecond(report.candidate.bytesPerSecond)}${mark(report.candidate.estimated)}  [${policy}]`,
    `  change:    −${report.change.droppedEvents} events / −${formatBytes(report.change.droppedBytes)}, +${report.change.addedEvents} events / +${formatBytes(report.change.addedBytes)}`,
  ];
  if (report.unknownBodies > 0) lines.push(`  note: ${report.unknownBodies} bodies had no similar logged event to estimate from and count as 0 bytes`);
  for (const dimension of Object.keys(TITLES) as CostDimension[]) {
    const breakdown = report.breakdowns[dimension];
    lines.push('', `${TITLES[dimension]}:`);
    for (const row of breakdown.rows) {
      lines.push(`  ${keyLabel(dimension, row.key, named)}: log ${row.log.events} ev ${formatBytes(row.log.bytes)} -> candidate ${row.candidate.events} ev ${formatBytes(row.candidate.bytes)}${mark(row.candidate.estimated)}`);
    }
    if (breakdown.omittedRows > 0) lines.push(`  ... ${breakdown.omittedRows} more`);
  }
  const top = (title: string, list: CostReport['largest']['candidate']): void => {
    if (list.length === 0) return;
    lines.push('', `${title}:`);
    for (const item of list.slice(0, 5)) lines.push(`  ${item.dimension} ${printable(item.key)}: ${formatBytes(item.bytes)}`);
  };
  top('Largest candidate contributors', report.largest.candidate.filter((c) => c.dimension !== 'level' && c.dimension !== 'rule'));
  top('Largest savings', report.largest.dropped.filter((c) => c.dimension !== 'level' && c.dimension !== 'rule'));
  top('Largest additions', report.largest.added.filter((c) => c.dimension !== 'level' && c.dimension !== 'rule'));
  return `${lines.join('\n')}\n`;
}

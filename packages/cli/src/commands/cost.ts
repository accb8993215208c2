// `k8s-gen cost`: replay a real audit log through a candidate policy and show what it would log.
import { stat } from 'node:fs/promises';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { costReplay, formatBytes, type CostDimension, type CostReport } from '@k8s-gen/engine';
import { CliError, isInteractive } from '../output.js';
import { readPolicyFile } from './policy-file.js';
import { outputFormat, positiveInteger } from './numeric-options.js';

interface CostOptions {
  policy: string;
  top: number;
  kubernetesVersion?: string;
  format: 'text' | 'json';
}

/** Registers `k8s-gen cost`. */
export function register(program: Command): void {
  program
    .command('cost')
    .description('Replay an audit log (JSON lines or EventLists, plain or .gz) through a candidate policy and compare volumes.')
    .argument('<log>', 'audit log file written by the log backend, or EventList lines captured from a webhook')
    .requiredOption('--policy <file>', 'the candidate audit policy (YAML or JSON)')
    .option('--top <n>', 'rows per breakdown', positiveInteger, 10)
    .option('--kubernetes-version <version>', 'Kubernetes release whose matching rules apply (default 1.36)')
    .addOption(new Option('--format <format>', 'output format').argParser(outputFormat).default('text'))
    .action(async (log: string, options: CostOptions) => {
      const { policy } = readPolicyFile(options.policy, options.kubernetesVersion);
      const size = await stat(log).then(
        (info) => info.size,
        (error: NodeJS.ErrnoException) => {
          throw new CliError(`cannot read audit log ${log}: ${error.code ?? error.message}`, 'pass the path of an audit log file');
        },
      );
      const bar = isInteractive() ? new cliProgress.SingleBar({ stream: process.stderr, format: 'replaying {bar} {percentage}% | {value}/{total} MiB', clearOnComplete: true }, cliProgress.Presets.shades_classic) : undefined;
      bar?.start(Math.max(1, Math.round(size / 1048576)), 0);
      let report: CostReport;
      try {
        report = await costReplay({
          policy,
          log,
          top: options.top,
          ...(options.kubernetesVersion ? { kubernetesVersion: options.kubernetesVersion } : {}),
          ...(bar ? { onProgress: (read: number) => bar.update(Math.round(read / 1048576)) } : {}),
        });
      } catch (error) {
        throw new CliError(`cannot replay ${log}: ${(error as Error).message}`, 'check that the file is a (gzipped) audit log');
      } finally {
        bar?.stop();
      }
      if (report.input.badLines > 0) {
        process.stderr.write(`warning: ${report.input.badLines} line(s) of ${log} are not audit events and were skipped (first at line ${report.input.badLineSamples[0]!.line}: ${report.input.badLineSamples[0]!.message})\n`);
      }
      process.stdout.write(options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderCost(report, log, options.policy));
    });
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

function renderCost(report: CostReport, log: string, policy: string): string {
  const perSecond = (bytes: number | undefined): string => (bytes === undefined ? '' : ` (${formatBytes(bytes)}/s)`);
  const mark = (estimated: boolean): string => (estimated ? ' ~estimated' : '');
  const lines = [
    `${log}: ${report.input.events} events from ${report.input.requests} requests over ${report.window.seconds ?? 0} s`,
    `  log:       ${report.log.events} events, ${formatBytes(report.log.bytes)}${perSecond(report.log.bytesPerSecond)}`,
    `  candidate: ${report.candidate.events} events, ${formatBytes(report.candidate.bytes)}${perSecond(report.candidate.bytesPerSecond)}${mark(report.candidate.estimated)}  [${policy}]`,
    `  change:    −${report.change.droppedEvents} events / −${formatBytes(report.change.droppedBytes)}, +${report.change.addedEvents} events / +${formatBytes(report.change.addedBytes)}`,
  ];
  if (report.unknownBodies > 0) lines.push(`  note: ${report.unknownBodies} bodies had no similar logged event to estimate from and count as 0 bytes`);
  for (const dimension of Object.keys(TITLES) as CostDimension[]) {
    const breakdown = report.breakdowns[dimension];
    lines.push('', `${TITLES[dimension]}:`);
    for (const row of breakdown.rows) {
      lines.push(`  ${row.key}: log ${row.log.events} ev ${formatBytes(row.log.bytes)} -> candidate ${row.candidate.events} ev ${formatBytes(row.candidate.bytes)}${mark(row.candidate.estimated)}`);
    }
    if (breakdown.omittedRows > 0) lines.push(`  ... ${breakdown.omittedRows} more`);
  }
  const top = (title: string, list: CostReport['largest']['candidate']): void => {
    if (list.length === 0) return;
    lines.push('', `${title}:`);
    for (const item of list.slice(0, 5)) lines.push(`  ${item.dimension} ${item.key}: ${formatBytes(item.bytes)}`);
  };
  top('Largest candidate contributors', report.largest.candidate.filter((c) => c.dimension !== 'level' && c.dimension !== 'rule'));
  top('Largest savings', report.largest.dropped.filter((c) => c.dimension !== 'level' && c.dimension !== 'rule'));
  top('Largest additions', report.largest.added.filter((c) => c.dimension !== 'level' && c.dimension !== 'rule'));
  return `${lines.join('\n')}\n`;
}

// `k8s-gen apf-odds`: API Priority and Fairness arithmetic (shuffle-sharding odds, concurrency split).
import { Command, InvalidArgumentError, Option } from 'commander';
import { crushTable, maxQueuedPerFlow, priorityLevelLimits, serverConcurrencyLimit } from '@k8s-gen/engine';
import { CliError } from '../output.js';
import { formatOption } from '../options.js';
import { positiveInteger } from './numeric-options.js';

interface ApfOptions {
  hand: number;
  queues: number;
  elephants: number[];
  queueLength?: number;
  maxRequestsInflight?: number;
  maxMutatingRequestsInflight?: number;
  levels?: Array<{ name: string; shares: number }>;
  format: 'text' | 'json';
}

function integerList(value: string): number[] {
  return value.split(',').map((part) => positiveInteger(part.trim()));
}

function levelList(value: string): Array<{ name: string; shares: number }> {
  return value.split(',').map((part) => {
    const match = /^([^=\s]+)=(\d+)$/.exec(part.trim());
    if (!match) throw new InvalidArgumentError(`"${part}" is not name=shares (e.g. global-default=20).`);
    return { name: match[1]!, shares: positiveInteger(match[2]!) };
  });
}

/** Registers `k8s-gen apf-odds`. */
export function register(program: Command): void {
  program
    .command('apf-odds')
    .description('API Priority and Fairness odds: how likely N heavy flows crush a light one, and how concurrency is split.')
    .requiredOption('--hand <size>', 'handSize: queues dealt to each flow', positiveInteger)
    .requiredOption('--queues <count>', 'queues of the priority level', positiveInteger)
    .addOption(new Option('--elephants <counts>', 'heavy flows, one count or a comma-separated list').argParser(integerList).default([1, 4, 16], '1, 4 and 16'))
    .option('--queue-length <limit>', 'queueLengthLimit, to report the most one flow can queue', positiveInteger)
    .option('--max-requests-inflight <n>', "the apiserver's --max-requests-inflight (default: 400, the apiserver's)", positiveInteger)
    .option('--max-mutating-requests-inflight <n>', "the apiserver's --max-mutating-requests-inflight (default: 200, the apiserver's)", positiveInteger)
    .option('--levels <list>', 'priority levels and shares, e.g. workload-low=100,global-default=20,catch-all=5', levelList)
    .addOption(formatOption(['text', 'json']))
    .addHelpText(
      'after',
      `
Examples:
  $ k8s-gen apf-odds --hand 8 --queues 128                       # the odds of the global-default level
  $ k8s-gen apf-odds --hand 6 --queues 64 --elephants 2,8 --levels workload-low=100,global-default=20 --format json`,
    )
    .action((options: ApfOptions) => {
      if (options.hand > options.queues) {
        throw new CliError(`--hand ${options.hand} is larger than --queues ${options.queues}`, 'a hand is dealt from the queues: use --hand <= --queues');
      }
      const [row] = crushTable([{ handSize: options.hand, queues: options.queues }], options.elephants);
      const serverLimit = serverConcurrencyLimit({
        ...(options.maxRequestsInflight !== undefined ? { maxRequestsInflight: options.maxRequestsInflight } : {}),
        ...(options.maxMutatingRequestsInflight !== undefined ? { maxMutatingRequestsInflight: options.maxMutatingRequestsInflight } : {}),
      });
      const limits = options.levels ? priorityLevelLimits(serverLimit, options.levels) : undefined;
      const queued = options.queueLength !== undefined ? maxQueuedPerFlow(options.hand, options.queueLength) : undefined;
      if (options.format === 'json') {
        const result = { handSize: options.hand, queues: options.queues, crush: row!.probabilities, serverConcurrencyLimit: serverLimit, ...(queued !== undefined ? { maxQueuedPerFlow: queued } : {}), ...(limits ? { priorityLevels: limits } : {}) };
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      const lines = [`Shuffle sharding with handSize ${options.hand} over ${options.queues} queues:`];
      for (const { elephants, probability } of row!.probabilities) {
        lines.push(`  ${elephants} elephant${elephants === 1 ? '' : 's'}: a light flow is crushed with probability ${probability.toPrecision(6)}${probability > 0 ? ` (1 in ${formatOdds(1 / probability)})` : ''}`);
      }
      if (queued !== undefined) lines.push(`One flow can queue at most ${options.hand} × ${options.queueLength} = ${queued} requests.`);
      lines.push(`Server concurrency limit: ${serverLimit} (max-requests-inflight + max-mutating-requests-inflight).`);
      if (limits) {
        const total = limits.reduce((sum, level) => sum + level.shares, 0);
        for (const level of limits) lines.push(`  ${level.name}: ceil(${serverLimit} × ${level.shares} / ${total}) = ${level.concurrencyLimit}`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

function formatOdds(value: number): string {
  return value >= 1e6 ? value.toExponential(2) : String(Math.round(value));
}

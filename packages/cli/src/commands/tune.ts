// `k8s-gen tune`: batch, throttle and buffer settings for an audit backend, with the reasoning.
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { renderTuneReport, requestFromHttp, RequestParseError, reviewAuditFlags, simulate, tune, type FlagReview, type OutagePrediction, type TrafficShare, type TuneInput } from '@k8s-gen/engine';
import { summarizeProblems } from '@k8s-gen/runtime';
import { formatOption, kubernetesVersionOption } from '../options.js';
import { CliError } from '../output.js';
import { nonNegativeNumber, positiveInteger, positiveNumber } from './numeric-options.js';
import { readPolicyFile } from './policy-file.js';

interface TuneOptions {
  rps: number;
  stages: number;
  policy?: string;
  traffic?: string;
  batch?: number;
  latency: number;
  typicalLatency?: number;
  outage?: number;
  outageFailure: 'refused' | 'timeout';
  peakFactor?: number;
  peakSeconds?: number;
  backend: 'log' | 'webhook';
  kubernetesVersion: string;
  eventBytes?: number;
  headroom?: number;
  review?: string;
  verify: boolean;
  format: 'text' | 'json';
}

/** Registers `k8s-gen tune`. */
export function register(program: Command): void {
  program
    .command('tune')
    .description('Recommend audit batch, throttle and buffer flags for a load, and explain every number.')
    .requiredOption('--rps <requests>', 'requests per second reaching the apiserver', positiveNumber)
    .option('--stages <count>', 'audited stages (events) per request', positiveNumber, 2)
    .option('--policy <file>', 'count stages by evaluating this audit policy on --traffic instead of --stages')
    .option('--traffic <file>', 'JSON list of requests and weights: [{"method":"GET","url":"/api/v1/pods","user":"alice","groups":["dev"],"weight":5}]')
    .option('--batch <events>', 'events per batch (batch-max-size); default 400 webhook, 100 log', positiveInteger)
    .requiredOption('--latency <seconds>', 'longest a single delivery may take (a slow write or POST)', nonNegativeNumber)
    .option('--typical-latency <seconds>', 'how long a delivery takes normally (default min(latency, 0.05))', nonNegativeNumber)
    .option('--outage <seconds>', 'longest backend outage to survive without losing events; with --review, also predicts what those flags lose in it', nonNegativeNumber)
    .addOption(new Option('--outage-failure <how>', 'how webhook attempts fail during the outage, for the prediction: refused (at once) or timeout (after 30 s)').choices(['refused', 'timeout']).default('refused'))
    .option('--peak-factor <factor>', 'traffic peak: load multiplied by this factor...', positiveNumber)
    .option('--peak-seconds <seconds>', '...for this many seconds', positiveNumber)
    .addOption(new Option('--backend <backend>', 'audit backend').choices(['log', 'webhook']).default('webhook'))
    .addOption(kubernetesVersionOption('Kubernetes release the flags are for'))
    .option('--event-bytes <bytes>', 'average event size, for memory and POST size estimates', positiveNumber)
    .option('--headroom <factor>', 'safety factor on throttle and buffer (1 = the docs’ bare figures)', positiveNumber)
    .option('--review <flags>', 'also check kube-apiserver audit flags already in use (quoted, space separated) for what the apiserver refuses and the traps it lets through')
    .option('--verify', 'simulate the recommendation under the given load and report drops', false)
    .addOption(formatOption(['text', 'json']))
    .addHelpText(
      'after',
      `
Examples:
  $ k8s-gen tune --rps 100 --stages 2 --batch 100 --latency 5 --headroom 1
  $ k8s-gen tune --rps 12.5 --stages 2 --latency 0.1 --outage 150 --kubernetes-version 1.20 \\
      --review "--audit-policy-file=/etc/kubernetes/audit-policy.yaml --audit-webhook-config-file=/etc/kubernetes/audit-webhook-kubeconfig"`,
    )
    .action(async (options: TuneOptions) => {
      if ((options.peakFactor === undefined) !== (options.peakSeconds === undefined)) {
        throw new CliError('--peak-factor and --peak-seconds go together', 'give both, e.g. --peak-factor 3 --peak-seconds 30');
      }
      if ((options.policy === undefined) !== (options.traffic === undefined)) {
        throw new CliError('--policy and --traffic go together', 'give both to count stages from a policy, or neither to use --stages');
      }
      const stages: Pick<TuneInput, 'stagesPerRequest' | 'policy' | 'traffic'> =
        options.policy !== undefined && options.traffic !== undefined
          ? { policy: (await readPolicyFile(options.policy, undefined)).policy, traffic: readTraffic(options.traffic) }
          : { stagesPerRequest: options.stages };
      const input: TuneInput = {
        requestsPerSecond: options.rps,
        ...stages,
        backendLatency: options.latency,
        backend: options.backend,
        kubernetesVersion: options.kubernetesVersion,
        ...(options.batch !== undefined ? { eventsPerBatch: options.batch } : {}),
        ...(options.typicalLatency !== undefined ? { typicalBackendLatency: options.typicalLatency } : {}),
        ...(options.outage !== undefined ? { outage: options.outage } : {}),
        ...(options.peakFactor !== undefined && options.peakSeconds !== undefined ? { peak: { factor: options.peakFactor, seconds: options.peakSeconds } } : {}),
        ...(options.eventBytes !== undefined ? { averageEventBytes: options.eventBytes } : {}),
        ...(options.headroom !== undefined ? { headroom: options.headroom } : {}),
      };
      let result;
      let review: FlagReview | undefined;
      try {
        result = tune(input);
        review =
          options.review === undefined
            ? undefined
            : reviewAuditFlags(options.review.split(/\s+/).filter(Boolean), {
                kubernetesVersion: options.kubernetesVersion,
                eventsPerSecond: result.eventsPerSecond,
                ...(options.outage !== undefined ? { outageSeconds: options.outage } : {}),
                outageFailure: options.outageFailure,
              });
      } catch (error) {
        if (error instanceof RangeError) throw new CliError(error.message, 'check the tune options (k8s-gen tune --help)', 2);
        throw error;
      }
      const verification = options.verify ? verify(input, result) : undefined;
      if (options.format === 'json') {
        process.stdout.write(`${JSON.stringify({ ...result, ...(review ? { review } : {}), ...(verification ? { verification } : {}) }, null, 2)}\n`);
        return;
      }
      let text = renderTuneReport(result);
      if (verification) {
        text += `\nSimulated ${verification.seconds} s at ${verification.eventsPerSecond} events/s${verification.outages.length ? ' with the stall/outage' : ''}: ${verification.result.delivered} delivered, ${verification.result.dropped.total} dropped, max buffer ${verification.result.maxBufferOccupancy}/${result.settings.batch?.bufferSize}, max in flight ${verification.result.maxInFlightBatches} batches.\n`;
      }
      if (review) text += renderReview(review);
      process.stdout.write(text);
    });
}

/** Reads a traffic mix file: a JSON list of HTTP requests (as `explain` takes them) with weights. */
function readTraffic(file: string): TrafficShare[] {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'not valid JSON';
    throw new CliError(`cannot read traffic file ${file} (${reason})`, 'write a JSON list like [{"method":"GET","url":"/api/v1/pods","user":"alice","weight":5}]');
  }
  if (!Array.isArray(data) || data.length === 0) throw new CliError(`${file}: the traffic mix must be a non-empty JSON list`, 'write a JSON list of {method, url, user?, groups?, weight}');
  return data.map((entry: unknown, index) => {
    const where = `${file}: [${index}]`;
    if (typeof entry !== 'object' || entry === null) throw new CliError(`${where} is not an object`, 'each entry is {method, url, user?, groups?, weight}');
    const { method, url, user, groups, weight } = entry as Record<string, unknown>;
    if (typeof method !== 'string' || typeof url !== 'string') throw new CliError(`${where}.method and .url must be strings`, 'e.g. "method": "GET", "url": "/api/v1/namespaces/a/pods"');
    if (typeof weight !== 'number' || !(weight >= 0)) throw new CliError(`${where}.weight must be a number >= 0`, 'weights are relative shares of the requests, e.g. 5');
    if (user !== undefined && typeof user !== 'string') throw new CliError(`${where}.user must be a string`, 'e.g. "user": "alice"');
    if (groups !== undefined && !(Array.isArray(groups) && groups.every((g) => typeof g === 'string'))) throw new CliError(`${where}.groups must be a list of strings`, 'e.g. "groups": ["dev"]');
    try {
      return { request: requestFromHttp({ method, url, ...(user !== undefined ? { user } : {}), ...(groups !== undefined ? { groups: groups as string[] } : {}) }), weight };
    } catch (error) {
      if (error instanceof RequestParseError) throw new CliError(`${where}.url: ${error.message}`, error.fix);
      throw error;
    }
  });
}

/** The review of flags in use: every finding with its flag, a summary, and the outage prediction. */
function renderReview(review: FlagReview): string {
  const lines = ['', 'Review of the given flags:'];
  for (const finding of review.findings) lines.push(`- ${finding.severity} [${finding.code}]${finding.flag ? ` --${finding.flag}` : ''}: ${finding.message}${finding.fix ? ` (fix: ${finding.fix})` : ''}`);
  const problems = review.findings.filter((finding) => finding.severity !== 'info');
  lines.push(problems.length === 0 ? '- no known traps' : `- ${summarizeProblems(problems)}`);
  if (review.outage) lines.push('', `With these flags, a ${review.outage.outageSeconds} s receiver outage (${review.outage.failure} connections):`, ...describeOutage(review.outage));
  return `${lines.join('\n')}\n`;
}

/** An outage prediction in a few lines. */
function describeOutage(prediction: OutagePrediction): string[] {
  const lines = [`  events lost: ${prediction.lost.median} (from ${prediction.lost.min} to ${prediction.lost.max} over ${prediction.runs} simulated runs) of ${prediction.eventsDuringOutage} sent during the outage, all counted in apiserver_audit_error_total`];
  if (prediction.firstErrorAfter) lines.push(`  apiserver_audit_error_total first rises ${round(prediction.firstErrorAfter.min)}-${round(prediction.firstErrorAfter.max)} s after the outage begins`);
  if (prediction.givenUpAfter) lines.push(`  each lost batch is given up ${round(prediction.givenUpAfter.min)}-${round(prediction.givenUpAfter.max)} s after its first attempt`);
  lines.push(`  ${prediction.explanation}`);
  return lines;
}

const round = (value: number): string => String(Number(value.toFixed(1)));

/** Runs the simulation of the recommendation for the load it was tuned for (plus the stall or outage). */
function verify(input: TuneInput, result: ReturnType<typeof tune>) {
  const rate = result.eventsPerSecond;
  const typical = input.typicalBackendLatency ?? Math.min(input.backendLatency, 0.05);
  const webhook = input.backend === 'webhook';
  const stall = webhook ? (input.outage ?? 0) : Math.max(input.backendLatency, input.outage ?? 0);
  const outages = stall > 0 ? [{ start: 30, end: 30 + stall }] : [];
  const peak = input.peak;
  const load = peak ? [{ from: 0, eventsPerSecond: rate }, { from: 30 + stall + 60, eventsPerSecond: rate * peak.factor }, { from: 30 + stall + 60 + peak.seconds, eventsPerSecond: rate }] : rate;
  const seconds = Math.ceil(30 + stall + 60 + (peak?.seconds ?? 0) + (webhook ? (result.estimates.retryWindow?.worstCase ?? 0) : 0) + 60);
  const run = simulate({ backend: input.backend, settings: result.settings, kubernetesVersion: input.kubernetesVersion, load, backendLatency: webhook ? input.backendLatency : typical, outages, duration: seconds, seed: 1 });
  return { seconds, eventsPerSecond: rate, outages, result: run };
}

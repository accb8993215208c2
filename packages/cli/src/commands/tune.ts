// `k8s-gen tune`: batch, throttle and buffer settings for an audit backend, with the reasoning.
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { parseAuditFlags, renderTuneReport, requestFromHttp, RequestParseError, reviewSettings, simulate, tune, type TrafficShare, type TuneCaveat, type TuneInput } from '@k8s-gen/engine';
import { CliError } from '../output.js';
import { nonNegativeNumber, outputFormat, positiveInteger, positiveNumber } from './numeric-options.js';
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
    .option('--outage <seconds>', 'longest backend outage to survive without losing events', nonNegativeNumber)
    .option('--peak-factor <factor>', 'traffic peak: load multiplied by this factor...', positiveNumber)
    .option('--peak-seconds <seconds>', '...for this many seconds', positiveNumber)
    .addOption(new Option('--backend <backend>', 'audit backend').choices(['log', 'webhook']).default('webhook'))
    .option('--kubernetes-version <version>', 'Kubernetes release the flags are for', '1.20')
    .option('--event-bytes <bytes>', 'average event size, for memory and POST size estimates', positiveNumber)
    .option('--headroom <factor>', 'safety factor on throttle and buffer (1 = the docs’ bare figures)', positiveNumber)
    .option('--review <flags>', 'also check existing kube-apiserver audit flags (quoted, space separated) for traps')
    .option('--verify', 'simulate the recommendation under the given load and report drops', false)
    .addOption(new Option('--format <format>', 'output format').argParser(outputFormat).default('text'))
    .action((options: TuneOptions) => {
      if ((options.peakFactor === undefined) !== (options.peakSeconds === undefined)) {
        throw new CliError('--peak-factor and --peak-seconds go together', 'give both, e.g. --peak-factor 3 --peak-seconds 30');
      }
      if ((options.policy === undefined) !== (options.traffic === undefined)) {
        throw new CliError('--policy and --traffic go together', 'give both to count stages from a policy, or neither to use --stages');
      }
      const stages: Pick<TuneInput, 'stagesPerRequest' | 'policy' | 'traffic'> =
        options.policy !== undefined && options.traffic !== undefined
          ? { policy: readPolicyFile(options.policy, undefined).policy, traffic: readTraffic(options.traffic) }
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
      try {
        result = tune(input);
      } catch (error) {
        if (error instanceof RangeError) throw new CliError(error.message, 'check the tune options (k8s-gen tune --help)');
        throw error;
      }
      const review = options.review === undefined ? undefined : reviewFlags(options.review);
      const verification = options.verify ? verify(input, result) : undefined;
      if (options.format === 'json') {
        process.stdout.write(`${JSON.stringify({ ...result, ...(review ? { review } : {}), ...(verification ? { verification } : {}) }, null, 2)}\n`);
        return;
      }
      let text = renderTuneReport(result);
      if (verification) {
        text += `\nSimulated ${verification.seconds} s at ${verification.eventsPerSecond} events/s${verification.outages.length ? ' with the stall/outage' : ''}: ${verification.result.delivered} delivered, ${verification.result.dropped.total} dropped, max buffer ${verification.result.maxBufferOccupancy}/${result.settings.bufferSize}, max in flight ${verification.result.maxInFlightBatches} batches.\n`;
      }
      if (review) {
        text += `\nReview of the given flags:\n${review.problems.map((p) => `- error ${p.flag}: ${p.message}\n`).join('')}${review.caveats.map((c) => `- ${c.severity} [${c.code}] ${c.message}${c.fix ? ` (fix: ${c.fix})` : ''}\n`).join('')}`;
        if (review.problems.length === 0 && review.caveats.length === 0) text += '- no known traps\n';
      }
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

function reviewFlags(flags: string): { problems: Array<{ flag: string; message: string }>; caveats: Array<TuneCaveat & { backend: string }> } {
  const parsed = parseAuditFlags(flags.split(/\s+/).filter(Boolean));
  const caveats = parsed.mentioned.flatMap((backend) => reviewSettings(backend, parsed[backend]).map((caveat) => ({ ...caveat, backend })));
  return { problems: parsed.problems, caveats };
}

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
  const run = simulate({ backend: input.backend, settings: result.settings, load, backendLatency: webhook ? input.backendLatency : typical, outages, duration: seconds, seed: 1 });
  return { seconds, eventsPerSecond: rate, outages, result: run };
}

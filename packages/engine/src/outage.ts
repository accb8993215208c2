// What a webhook receiver outage costs with given flags: how many events are lost and when
// apiserver_audit_error_total first rises, from runs of the buffered-backend simulation. A batch
// is lost when its whole retry window passes inside the outage, so only batches first sent in the
// first (outage - retry window) seconds are lost, plus the events already batched when the outage
// began (they leave in the first batch sent into it). Which batches those are depends on where
// the outage falls between two batches and on the random stretch of each sleep, so the prediction
// runs the simulation at evenly spread offsets within one batch interval, each with its own seed.
import { AUDIT_FLAGS_RANGE, effectiveBackendSettings, goDurationSeconds, retryWindow, WEBHOOK_ATTEMPT_TIMEOUT_SECONDS, WEBHOOK_ATTEMPTS, type DeliverySettings, type RetryWindow } from '@k8s-gen/apiserver';
import { NEWEST_KUBERNETES_VERSION, parseKubernetesVersion } from '@k8s-gen/runtime';
import { simulate, type SimulationResult } from './simulate.js';

/** What to predict. */
export interface OutageInput {
  /** The webhook's settings (a `tune` result's `settings`, or what `readAuditFlags` read); unset ones take the defaults. */
  settings: DeliverySettings;
  /** Events per second reaching the backend. */
  eventsPerSecond: number;
  /** How long the receiver is down, in seconds. */
  outageSeconds: number;
  /**
   * How attempts fail while it is down: `refused` at once (the receiver's process is gone: the
   * fastest way to lose events, and the default) or `timeout` after 30 s (its host is unreachable).
   */
  failure?: 'refused' | 'timeout';
  /** Seconds one POST takes while the receiver is up. Default 0.05. */
  backendLatency?: number;
  /** The release whose defaults fill in unset settings. Default: the newest. */
  kubernetesVersion?: string;
  /**
   * Simulation runs, each with the outage at another offset between two batches. Default 12, or
   * fewer (at least 3) when the load is so high that 12 runs would simulate more than
   * {@link EVENT_BUDGET} events: the time a prediction takes grows with events/s × outage.
   */
  runs?: number;
}

/** A smallest and a largest value over the runs. */
export interface Range {
  min: number;
  max: number;
}

/** What an outage costs, over the simulation runs. */
export interface OutagePrediction {
  outageSeconds: number;
  eventsPerSecond: number;
  failure: 'refused' | 'timeout';
  /** Runs simulated. */
  runs: number;
  /** Events lost in one run (apiserver_audit_error_total), whole numbers: fewest, median, most. */
  lost: { min: number; median: number; max: number };
  /** Of those, lost because every attempt failed (`plugin="webhook"`) or because the buffer was full (`plugin="buffered"`), median run. */
  lostBy: { webhook: number; buffered: number };
  /** Webhook batches given up in the median run. */
  lostBatches: number;
  /** Events handed to the backend from the outage's start to its end. */
  eventsDuringOutage: number;
  /** Seconds after the outage began that apiserver_audit_error_total first rose, over the runs that lost events. */
  firstErrorAfter?: Range;
  /** Seconds from a lost batch's first attempt to its drop, over every lost batch of every run. */
  givenUpAfter?: Range;
  /** The retry window of one batch with these settings. */
  retryWindow: RetryWindow;
  /** The rule behind the numbers, in one paragraph. */
  explanation: string;
}

/** Events the default number of runs simulates at most, together (a few seconds on one core). */
export const EVENT_BUDGET = 4_000_000;

/**
 * Seconds of traffic before the outage, in batch intervals: enough for the batching loop and the
 * throttle to settle into their steady rhythm.
 */
const WARM_UP_INTERVALS = 3;

/**
 * Predicts what a webhook receiver outage costs with the given settings, by simulating it.
 *
 * @throws RangeError when an input is out of range or the settings cannot be simulated (not batch mode).
 * @example
 * ```ts
 * // The measurement on kube-apiserver 1.20.2: default flags, 25 events/s, a 150 s outage.
 * predictOutage({ settings: {}, eventsPerSecond: 25, outageSeconds: 150, kubernetesVersion: '1.20' }).lost.median; // 1600
 * ```
 */
export function predictOutage(input: OutageInput): OutagePrediction {
  const failure = input.failure ?? 'refused';
  if (!(Number.isFinite(input.eventsPerSecond) && input.eventsPerSecond > 0)) throw new RangeError(`eventsPerSecond must be a positive number, got ${String(input.eventsPerSecond)}`);
  if (!(Number.isFinite(input.outageSeconds) && input.outageSeconds > 0)) throw new RangeError(`outageSeconds must be a positive number, got ${String(input.outageSeconds)}`);
  const runs = input.runs ?? Math.min(12, Math.max(3, Math.floor(EVENT_BUDGET / (input.eventsPerSecond * input.outageSeconds))));
  if (!(Number.isInteger(runs) && runs >= 1 && runs <= 1000)) throw new RangeError(`runs must be a whole number from 1 to 1000, got ${String(runs)}`);
  const version = parseKubernetesVersion(input.kubernetesVersion ?? NEWEST_KUBERNETES_VERSION, AUDIT_FLAGS_RANGE);
  if (!version.ok) throw new RangeError(`kubernetesVersion: ${version.message}; ${version.fix}`);
  const effective = effectiveBackendSettings('webhook', input.settings, version.version.minor);
  const maxWait = Math.max(0, goDurationSeconds(effective.batch.maxWait) ?? 0);
  const backoff = Math.max(0, goDurationSeconds(effective.initialBackoff) ?? 0);
  const window = retryWindow(backoff);
  // One batch interval: the batch fills by size, or leaves when max-wait expires.
  const interval = Math.max(1e-3, Math.min(effective.batch.maxSize / input.eventsPerSecond, maxWait > 0 ? maxWait : Infinity));
  // How long a batch keeps trying at most: its sleeps, plus every attempt's timeout when attempts time out.
  const timeouts = failure === 'timeout' ? WEBHOOK_ATTEMPTS * WEBHOOK_ATTEMPT_TIMEOUT_SECONDS : 0;
  const results: Array<{ start: number; run: SimulationResult }> = [];
  for (let k = 0; k < runs; k += 1) {
    const start = Math.max(5, WARM_UP_INTERVALS * interval) + (interval * k) / runs;
    const end = start + input.outageSeconds;
    const run = simulate({
      backend: 'webhook',
      settings: input.settings,
      kubernetesVersion: version.version.text,
      // Traffic stops one batch after the outage: later events meet a healthy receiver and
      // cannot be lost, so simulating them would only cost time.
      load: [
        { from: 0, eventsPerSecond: input.eventsPerSecond },
        { from: end + interval, eventsPerSecond: 0 },
      ],
      backendLatency: input.backendLatency ?? 0.05,
      outages: [{ start, end }],
      outageFailure: failure,
      // Every batch sent until then has finished its retries.
      duration: end + interval + maxWait + window.sleepMax + timeouts + 30,
      seed: k + 1,
    });
    results.push({ start, run });
  }
  const byLoss = [...results].sort((a, b) => a.run.dropped.total - b.run.dropped.total);
  const median = byLoss[Math.floor((byLoss.length - 1) / 2)]!.run;
  const lossy = results.filter(({ run }) => run.dropped.total > 0);
  const range = (values: number[]): Range | undefined => (values.length === 0 ? undefined : { min: Math.min(...values), max: Math.max(...values) });
  const firstErrorAfter = range(lossy.map(({ start, run }) => run.firstDropAt! - start));
  const givenUpAfter = range(results.flatMap(({ run }) => (run.givenUp.firstAttemptToDrop ? [run.givenUp.firstAttemptToDrop.min, run.givenUp.firstAttemptToDrop.max] : [])));
  const trying = `${seconds(window.fastFailMin + timeouts)}-${seconds(window.sleepMax + timeouts)}`;
  const how = failure === 'refused' ? 'refused connections' : '30 s timeouts';
  const lossWindow = Math.max(0, input.outageSeconds - window.fastFailMin - timeouts);
  const explanation =
    lossy.length === 0
      ? `No run lost an event: with ${how} each batch keeps trying for ${trying}, longer than the ${seconds(input.outageSeconds)} outage.`
      : `A batch is lost when its retries end inside the outage: with ${how} a batch keeps trying for ${trying}, so only the batches first sent in the first ${seconds(lossWindow)} or so of the ${seconds(input.outageSeconds)} outage are lost, plus the events already batched when it began; the median run lost ${median.dropped.total} of ${Math.round(input.eventsPerSecond * input.outageSeconds)} events (${median.givenUp.batches} batches), counted in apiserver_audit_error_total.`;
  return {
    outageSeconds: input.outageSeconds,
    eventsPerSecond: input.eventsPerSecond,
    failure,
    runs,
    lost: { min: byLoss[0]!.run.dropped.total, median: median.dropped.total, max: byLoss.at(-1)!.run.dropped.total },
    lostBy: { webhook: median.dropped.webhook, buffered: median.dropped.buffered },
    lostBatches: median.givenUp.batches,
    eventsDuringOutage: Math.round(input.eventsPerSecond * input.outageSeconds),
    ...(firstErrorAfter ? { firstErrorAfter } : {}),
    ...(givenUpAfter ? { givenUpAfter } : {}),
    retryWindow: window,
    explanation,
  };
}

function seconds(value: number): string {
  return `${Number.isInteger(value) ? value : Number(value.toFixed(1))} s`;
}

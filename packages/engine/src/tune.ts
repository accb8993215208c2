// Batch tuning for kube-apiserver's audit backends. Starts from the sizing rules of the Kubernetes
// docs (events/s, throttle ≥ events/s ÷ batch size, buffer = events/s × backend latency) and then
// corrects them where the real buffered backend behaves differently: the webhook sends from
// unbounded goroutines so its buffer does not absorb outages, retries end after a fixed window,
// max-wait 0 with batches spins, truncation does not cap the POST size.
import {
  AUDIT_FLAGS_RANGE,
  backendFlags,
  checkAuditSettings,
  describeRetries,
  effectiveBackendSettings,
  flagForSetting,
  flagsToArgs,
  goDurationFromSeconds,
  RETRY_SLEEP_FACTOR,
  readAuditFlags,
  retryWindow,
  unionBackendProblems,
  type AuditBackend,
  type AuditSettings,
  type DeliverySettings,
  type RetryWindow,
} from '@k8s-gen/apiserver';
import type { Policy } from '@k8s-gen/audit';
import { NEWEST_KUBERNETES_VERSION, parseKubernetesVersion, type KubernetesVersion } from '@k8s-gen/runtime';
import { evaluate } from './evaluate.js';
import { formatBytes } from './format.js';
import { predictOutage, type OutagePrediction } from './outage.js';
import type { RequestAttributes } from './request.js';

/**
 * One finding about a recommendation or a tuning input: a problem of the flag model, or a note
 * (`info`) about what the numbers mean.
 */
export interface TuneCaveat {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  fix?: string;
  /** The setting it concerns, e.g. `webhook.batch.maxWait`, when there is one. */
  path?: string;
}

/** One kind of request in a traffic mix, and its share of the requests. */
export interface TrafficShare {
  request: RequestAttributes;
  /** Relative weight; weights are normalised over the mix. */
  weight: number;
}

/**
 * What to tune for. Times are seconds. The messages of a result name each input by its
 * `k8s-gen tune` option, given in brackets below.
 */
export interface TuneInput {
  /** Requests per second reaching the apiserver (`--rps`). */
  requestsPerSecond: number;
  /** Audited stages per request, i.e. events per request (`--stages`). Give this, or `policy` with `traffic`. */
  stagesPerRequest?: number;
  /** A policy whose evaluation of `traffic` decides the stages per request (`--policy`). */
  policy?: Policy;
  /** The request mix `policy` is evaluated on (`--traffic`). */
  traffic?: readonly TrafficShare[];
  /** Events per batch, `batch-max-size` (`--batch`). Default 400 for the webhook (its default), 100 for the log. */
  eventsPerBatch?: number;
  /** The longest one delivery may take, a slow disk write or webhook call, e.g. the docs' 5 s (`--latency`). */
  backendLatency: number;
  /** How long a delivery takes normally (`--typical-latency`). Default: the smaller of backendLatency and 50 ms. */
  typicalBackendLatency?: number;
  /** The longest backend outage to ride out without losing events (`--outage`). */
  outage?: number;
  /** A traffic peak: the load is `factor` times higher for `seconds` (`--peak-factor`, `--peak-seconds`). */
  peak?: { factor: number; seconds: number };
  /** The backend to tune (`--backend`). */
  backend: AuditBackend;
  /** Release the flags are written for, 1.12 or later (`--kubernetes-version`). Default: the newest k8s-gen models. */
  kubernetesVersion?: string;
  /** Average serialized event size in bytes, for memory and POST size estimates (`--event-bytes`). */
  averageEventBytes?: number;
  /**
   * Safety factor applied to the minimum throttle rate and buffer size (`--headroom`). Default 1.5;
   * 1 reproduces the docs' bare figures (which leave no room to drain a backlog).
   */
  headroom?: number;
}

/** One step of the reasoning: what was computed, from what, in words and in numbers. */
export interface TuneStep {
  id: string;
  title: string;
  /** The step in one or two sentences, numbers included. */
  text: string;
  /** The numbers behind the text, by name. */
  values: Record<string, number | string | boolean>;
}

/** The recommendation and how it was reached. */
export interface TuneResult {
  backend: AuditBackend;
  /** Events per second entering the backend. */
  eventsPerSecond: number;
  /**
   * The recommended settings, in the settings shape of `@k8s-gen/apiserver`: pass them as they are
   * to a `LogBackend` or `WebhookBackend` (`{ server, ...result.settings }`), to `simulate`, or to
   * `predictOutage`.
   */
  settings: DeliverySettings;
  /** kube-apiserver arguments that apply `settings`. */
  flags: string[];
  steps: TuneStep[];
  caveats: TuneCaveat[];
  /** Figures worth watching, derived from the recommendation. */
  estimates: {
    /** Events/s the backend can pass at most with these settings (Infinity when nothing limits it). */
    throughputCeiling: number;
    /** Longest delay an event waits before it is handed to the backend (max-wait + one throttle interval). */
    maxAddedLatency: number;
    /** Memory a full buffer holds, when the event size is known. */
    bufferBytes?: number;
    /** Largest webhook POST body, when the event size is known or truncation caps it. */
    maxPostBytes?: number;
    /** Webhook batches in flight at once during normal operation. */
    inFlightBatches?: number;
    /** Events held by goroutines while riding out `outage` (webhook). */
    outageInFlightEvents?: number;
    /** The webhook's per-batch retry window with the recommended backoff. */
    retryWindow?: RetryWindow;
    /** What the `outage` costs with the recommended settings, simulated (webhook). */
    outage?: OutagePrediction;
  };
}

/** The oldest release tune writes flags for (audit.k8s.io/v1, which policies are evaluated in). */
const OLDEST_TUNED_MINOR = 12;

function tunedVersion(text: string | undefined): KubernetesVersion {
  const parsed = parseKubernetesVersion(text ?? NEWEST_KUBERNETES_VERSION, { ...AUDIT_FLAGS_RANGE, oldest: OLDEST_TUNED_MINOR });
  if (!parsed.ok) throw new RangeError(`kubernetesVersion (--kubernetes-version): ${parsed.message}; ${parsed.fix}`);
  return parsed.version;
}

/**
 * Seconds of traffic every recommended buffer can hold, so bursts nobody described as a peak are
 * absorbed too (equal to the docs' example stall, so the example keeps its 1000 events).
 */
export const BURST_RESERVE_SECONDS = 5;

/**
 * Recommends batching, throttling, truncation and mode settings for one audit backend, with every
 * step of the reasoning.
 *
 * @throws RangeError naming the input (and its CLI option) that is out of range.
 * @example
 * ```ts
 * const result = tune({ backend: 'webhook', requestsPerSecond: 100, stagesPerRequest: 2, eventsPerBatch: 100, backendLatency: 5 });
 * result.flags; // ['--audit-webhook-mode=batch', '--audit-webhook-batch-buffer-size=1500', ...]
 * new WebhookBackend(chart, 'Webhook', { server, ...result.settings });
 * ```
 */
export function tune(input: TuneInput): TuneResult {
  checkInput(input);
  const version = tunedVersion(input.kubernetesVersion);
  const headroom = input.headroom ?? 1.5;
  const { backend } = input;
  const prefix = `--audit-${backend}`;
  const asyncDelegate = backend === 'webhook';
  const steps: TuneStep[] = [];
  const caveats: TuneCaveat[] = [];
  const step = (id: string, title: string, text: string, values: TuneStep['values']): void => {
    steps.push({ id, title, text, values });
  };

  // 1. Events per second.
  const stages = stagesPerRequest(input);
  const rate = input.requestsPerSecond * stages.value;
  step('events-per-second', 'Events per second', `${fmt(input.requestsPerSecond)} requests/s × ${fmt(stages.value)} audited stages per request = ${fmt(rate)} events/s.`, {
    requestsPerSecond: input.requestsPerSecond,
    stagesPerRequest: stages.value,
    eventsPerSecond: rate,
    stagesFrom: stages.source,
  });
  if (stages.source === 'given' && stages.value >= 2) {
    caveats.push({
      code: 'response-started-is-rare',
      severity: 'info',
      message: 'ResponseStarted is emitted only for long-running requests (watch, exec, logs, proxy), so two stages per request usually means RequestReceived + ResponseComplete',
      fix: 'omit RequestReceived in the policy to halve the events, or give a policy and traffic mix (--policy, --traffic) to count stages exactly',
    });
  }

  // 2. Batch size and throttle.
  const maxBatchSize = input.eventsPerBatch ?? (backend === 'webhook' ? 400 : 100);
  const minimumQPS = rate / maxBatchSize;
  // Below 1 QPS the throttle would add whole seconds of delay per batch for no protection.
  const throttleQPS = Math.max(1, roundUp(minimumQPS * headroom, 2));
  const throttleBurst = Math.max(1, Math.ceil(throttleQPS));
  step('throttle', 'Throttle rate', `Batches of up to ${maxBatchSize} events need at least ${fmt(rate)} ÷ ${maxBatchSize} = ${fmt(minimumQPS)} batches/s; with headroom ×${fmt(headroom)} (and at least 1) the throttle is ${fmt(throttleQPS)} QPS, burst ${throttleBurst}.`, {
    maxBatchSize,
    minimumThrottleQPS: minimumQPS,
    throttleQPS,
    throttleBurst,
  });
  const throttledCeiling = throttleQPS * maxBatchSize;
  const typicalLatency = input.typicalBackendLatency ?? Math.min(input.backendLatency, 0.05);
  const syncCeiling = typicalLatency > 0 ? maxBatchSize / typicalLatency : Infinity;
  const throughputCeiling = asyncDelegate ? throttledCeiling : Math.min(throttledCeiling, syncCeiling);
  step(
    'throughput-ceiling',
    'Throughput ceiling',
    asyncDelegate
      ? `The webhook sends each batch from its own goroutine, so only the throttle limits throughput: ${fmt(throttleQPS)} × ${maxBatchSize} = ${fmt(throttledCeiling)} events/s (the defaults give 10 × 400 = 4000).`
      : `The log writer runs on the batching goroutine, so throughput is the lower of the throttle (${fmt(throttleQPS)} × ${maxBatchSize} = ${fmt(throttledCeiling)} events/s) and batch size ÷ write time (${maxBatchSize} ÷ ${fmt(typicalLatency)} s = ${fmt(syncCeiling)} events/s).`,
    { throttledCeiling, syncCeiling: asyncDelegate ? 'n/a' : syncCeiling, throughputCeiling, typicalBackendLatency: typicalLatency },
  );
  if (!asyncDelegate && syncCeiling < rate * headroom) {
    caveats.push({
      code: 'log-writer-too-slow',
      severity: 'warning',
      message: `a write of ${maxBatchSize} events taking ${fmt(typicalLatency)} s passes only ${fmt(syncCeiling)} events/s, below ${fmt(rate * headroom)} events/s (load × headroom); the buffer will fill and drop`,
      fix: 'raise the batch size (--batch), use faster storage, or audit fewer events',
    });
  }

  // 3. Max wait: long enough that batches fill by size, short enough to bound delivery delay.
  const fillTime = maxBatchSize / Math.max(rate, 1e-9);
  const maxBatchWait = maxBatchSize === 1 ? 0 : Math.min(30, Math.max(1, Math.ceil(2 * fillTime)));
  const maxAddedLatency = (maxBatchSize === 1 ? 0 : maxBatchWait) + 1 / throttleQPS;
  step(
    'max-wait',
    'Batch max wait',
    maxBatchSize === 1
      ? 'With batches of one event the loop uses no timer, so max-wait plays no part.'
      : `A batch of ${maxBatchSize} fills in ${fmt(fillTime)} s at ${fmt(rate)} events/s; max-wait ${goDurationFromSeconds(maxBatchWait)} lets batches fill by size and bounds the extra delay of an event to ${goDurationFromSeconds(maxBatchWait)} + one throttle interval (${fmt(1 / throttleQPS)} s) ≈ ${fmt(maxAddedLatency)} s. It is never 0: with batches larger than one, a zero max-wait makes the loop spin.`,
    { batchFillSeconds: fillTime, maxBatchWait, maxAddedLatency },
  );
  if (maxBatchSize > 1 && fillTime > 30) {
    caveats.push({ code: 'batches-never-fill', severity: 'info', message: `at ${fmt(rate)} events/s a batch of ${maxBatchSize} takes ${fmt(fillTime)} s to fill; batches go out every ${goDurationFromSeconds(maxBatchWait)} holding about ${events(rate * maxBatchWait)} events` });
  }

  // 4. Buffer.
  const docsBuffer = Math.round(rate * input.backendLatency);
  step('docs-buffer', 'The docs’ buffer rule', `The Kubernetes docs size the buffer to hold the events of one slow delivery: ${fmt(rate)} events/s × ${fmt(input.backendLatency)} s = ${events(docsBuffer)} events (${fmt(docsBuffer / maxBatchSize)} batches).`, {
    docsBufferEvents: docsBuffer,
    docsBufferBatches: docsBuffer / maxBatchSize,
  });
  const peakRate = input.peak ? rate * input.peak.factor : rate;
  const peakOverflow = input.peak ? Math.ceil(Math.max(0, (peakRate - throughputCeiling) * input.peak.seconds - throttleBurst * maxBatchSize)) : 0;
  if (input.peak) {
    step('peak', 'Traffic peak', `A peak of ${fmt(peakRate)} events/s for ${fmt(input.peak.seconds)} s exceeds the ${fmt(throughputCeiling)} events/s ceiling by ${fmt(Math.max(0, peakRate - throughputCeiling))} events/s; after the ${throttleBurst} burst batches, ${events(peakOverflow)} events must wait in the buffer.`, {
      peakEventsPerSecond: peakRate,
      peakSeconds: input.peak.seconds,
      peakBufferEvents: peakOverflow,
    });
  }
  let needed: number;
  if (asyncDelegate) {
    // A slow webhook holds goroutines, not the buffer: the loop hands batches off and moves on.
    // The buffer only has to cover the throttle's wait for a token plus any peak.
    const throttleBacklog = Math.ceil(rate / throttleQPS);
    const reserve = Math.ceil(rate * BURST_RESERVE_SECONDS);
    needed = Math.ceil(headroom * (Math.max(maxBatchSize, throttleBacklog, reserve) + peakOverflow));
    step('buffer', 'Buffer size', `The webhook delegate is asynchronous, so a slow or failing receiver does not stop the loop and the docs' rule does not apply. The buffer covers the larger of one throttle interval (${events(throttleBacklog)} events), one batch (${maxBatchSize}) and a ${BURST_RESERVE_SECONDS} s reserve for short bursts (${events(reserve)} events), plus the peak backlog (${events(peakOverflow)}), × ${fmt(headroom)}.`, {
      throttleBacklogEvents: throttleBacklog,
      burstReserveEvents: reserve,
      neededEvents: needed,
    });
  } else {
    const stall = Math.max(input.backendLatency, input.outage ?? 0);
    const stallEvents = Math.ceil(rate * stall);
    needed = Math.ceil(headroom * (rate * Math.max(stall, BURST_RESERVE_SECONDS) + peakOverflow));
    step('buffer', 'Buffer size', `The log writer blocks the loop, so while one write stalls for ${fmt(stall)} s every event waits in the buffer: ${fmt(rate)} × ${fmt(stall)} = ${events(stallEvents)} events (at least a ${BURST_RESERVE_SECONDS} s reserve for short bursts, ${events(rate * BURST_RESERVE_SECONDS)} events), plus the peak backlog (${events(peakOverflow)}), × ${fmt(headroom)}.`, {
      stallSeconds: stall,
      stallEvents,
      neededEvents: needed,
    });
    const drainRate = throughputCeiling - rate;
    const drainSeconds = drainRate > 0 ? stallEvents / drainRate : Infinity;
    step('drain', 'Backlog drain', drainRate > 0 ? `After a stall the ${events(stallEvents)}-event backlog drains at ${fmt(throughputCeiling)} − ${fmt(rate)} = ${fmt(drainRate)} events/s, in ${fmt(drainSeconds)} s; a second stall before then finds the buffer partly full.` : `The throttle passes exactly the load (${fmt(throughputCeiling)} events/s), so a backlog never drains and the next stall drops events; use a headroom above 1 (--headroom).`, {
      drainEventsPerSecond: drainRate,
      drainSeconds: Number.isFinite(drainSeconds) ? drainSeconds : 'never',
    });
    if (!(drainRate > 0)) caveats.push({ code: 'no-drain-headroom', severity: 'warning', message: 'the throttle ceiling equals the load, so any backlog stays forever', fix: 'raise the throttle QPS above events/s ÷ batch size (a headroom above 1, --headroom)' });
  }
  const bufferSize = Math.max(maxBatchSize, Math.ceil(needed / maxBatchSize) * maxBatchSize);
  const overflowSeconds = rate > throughputCeiling ? bufferSize / (rate - throughputCeiling) : Infinity;

  // 5. Retries and outages (webhook), memory.
  let initialBackoff = 10;
  let window: RetryWindow | undefined;
  let outageInFlightEvents: number | undefined;
  let inFlightBatches: number | undefined;
  if (asyncDelegate) {
    const outage = input.outage ?? 0;
    if (outage > 0) initialBackoff = Math.max(10, Math.ceil((outage * headroom) / RETRY_SLEEP_FACTOR));
    window = retryWindow(initialBackoff);
    inFlightBatches = (rate / maxBatchSize) * input.backendLatency;
    step('in-flight', 'Goroutines in flight', `Each batch is sent from its own goroutine; at ${fmt(rate / maxBatchSize)} batches/s and up to ${fmt(input.backendLatency)} s per POST, about ${fmt(inFlightBatches)} batches are in flight. Their number is unbounded: the buffer does not limit it.`, {
      batchesPerSecond: rate / maxBatchSize,
      inFlightBatches,
    });
    step(
      'retry-window',
      'Retry window',
      `A batch whose POST fails gets ${describeRetries(initialBackoff)}: with initial backoff ${goDurationFromSeconds(initialBackoff)} it gives up after ${fmt(window.fastFailMin)}-${fmt(window.sleepMax)} s when the receiver refuses connections, and up to ${fmt(window.worstCase)} s when attempts time out. Its events are then lost and counted in apiserver_audit_error_total{plugin="webhook"}; only an outage longer than that window loses events.` +
        (outage > 0 ? ` To ride out ${fmt(outage)} s (× ${fmt(headroom)}) even with fast failures, d = max(10 s, ${fmt(outage * headroom)} ÷ ${fmt(RETRY_SLEEP_FACTOR)}) = ${goDurationFromSeconds(initialBackoff)}.` : ''),
      { initialBackoff, fastFailWindow: window.fastFailMin, sleepWindowMax: window.sleepMax, worstCaseWindow: window.worstCase, outageSeconds: outage },
    );
    if (outage > 0) {
      outageInFlightEvents = Math.ceil(rate * outage);
      step('outage-memory', 'Memory during an outage', `During a ${fmt(outage)} s outage the buffer keeps draining into new goroutines, so about ${fmt((rate / maxBatchSize) * outage)} batches (${events(outageInFlightEvents)} events) pile up in memory${input.averageEventBytes ? ` ≈ ${formatBytes(outageInFlightEvents * input.averageEventBytes)}` : ''}. The buffer size does not bound this.`, {
        outageInFlightBatches: (rate / maxBatchSize) * outage,
        outageInFlightEvents,
        ...(input.averageEventBytes ? { outageInFlightBytes: outageInFlightEvents * input.averageEventBytes } : {}),
      });
      caveats.push({ code: 'outage-memory', severity: 'warning', message: `a ${fmt(outage)} s webhook outage holds about ${events(outageInFlightEvents)} events in sending goroutines; the buffer size does not bound memory during outages`, fix: 'watch apiserver memory, or lower the audit level of noisy requests' });
    } else {
      caveats.push({ code: 'outage-loses-events', severity: 'info', message: `no outage was given: a receiver outage longer than ${fmt(window.fastFailMin)} s (refused connections) loses events`, fix: 'give the longest outage to ride out (--outage) to tune the initial backoff' });
    }
  } else if (input.outage !== undefined && input.outage > input.backendLatency) {
    caveats.push({ code: 'log-outage', severity: 'info', message: `the buffer was sized to absorb a ${fmt(input.outage)} s write stall, the longest of --latency and --outage` });
  }

  // 6. Truncation and sizes.
  const truncateEnabled = backend === 'webhook';
  const settings: DeliverySettings = {
    mode: 'batch',
    batch: { bufferSize, maxSize: maxBatchSize, maxWait: goDurationFromSeconds(maxBatchWait), throttleEnable: true, throttleQps: throttleQPS, throttleBurst },
    truncate: { enabled: truncateEnabled },
    ...(asyncDelegate ? { initialBackoff: goDurationFromSeconds(initialBackoff) } : {}),
  };
  const truncateMaxEventSize = effectiveBackendSettings(backend, settings, version.minor).truncate.maxEventSize;
  const maxPostBytes = asyncDelegate ? maxBatchSize * Math.min(truncateMaxEventSize, input.averageEventBytes ?? truncateMaxEventSize) : undefined;
  step(
    'truncation',
    'Truncation and request size',
    asyncDelegate
      ? `Truncation is on so one event is at most ${formatBytes(truncateMaxEventSize)} (larger ones lose their bodies, or are dropped at Metadata level). A POST carries up to ${maxBatchSize} events: at most ${formatBytes(maxBatchSize * truncateMaxEventSize)}${input.averageEventBytes ? `, typically ${formatBytes(maxBatchSize * input.averageEventBytes)}` : ''}; truncate-max-batch-size does not split batches, because truncation runs before batching.`
      : 'Truncation stays off for the log: lines are written one event at a time, and the file rotation size bounds them.',
    { truncateEnabled, truncateMaxEventSize, ...(maxPostBytes !== undefined ? { maxPostBytes } : {}) },
  );
  const bufferBytes = input.averageEventBytes ? bufferSize * input.averageEventBytes : undefined;
  step('memory', 'Buffer memory', `A full buffer holds ${bufferSize} deep-copied events${bufferBytes !== undefined ? ` ≈ ${formatBytes(bufferBytes)} at ${formatBytes(input.averageEventBytes!)} each` : '; give the average event size (--event-bytes) for a byte estimate'}.`, {
    bufferSize,
    ...(bufferBytes !== undefined ? { bufferBytes } : {}),
  });
  if (input.averageEventBytes && input.averageEventBytes > truncateMaxEventSize && truncateEnabled) {
    caveats.push({ code: 'events-over-truncate-size', severity: 'warning', message: `the average event (${formatBytes(input.averageEventBytes)}) is above truncate-max-event-size, so most events will lose their request and response bodies` });
  }

  // 7. Mode, the flags, and what the recommendation does in the outage it was tuned for.
  step(
    'mode',
    'Mode',
    asyncDelegate
      ? `Batch mode: requests never wait for the backend. In blocking or blocking-strict mode every audited stage would wait for the POST and all its retries: up to ${fmt(retryWindow(initialBackoff).worstCase)} s per stage when the receiver is down, far past the apiserver's 60 s request timeout.`
      : `Batch mode: requests never wait for the disk. The log's default, blocking, writes on the request itself: each audited stage adds one write (about ${fmt(typicalLatency)} s, up to ${fmt(input.backendLatency)} s when the disk stalls) to the request's latency; that is acceptable for fast local disks and keeps no events in memory.`,
    { mode: 'batch', blockingLatencyPerRequest: asyncDelegate ? retryWindow(initialBackoff).worstCase * stages.value : input.backendLatency * stages.value },
  );
  const { flags, problems } = backendFlags(backend, settings, version);
  caveats.push(...problems.map((problem) => ({ code: problem.code, severity: problem.severity, message: problem.message, fix: problem.fix, path: problem.path })));
  caveats.push(...unionCaveats(backend, version));
  let outagePrediction: OutagePrediction | undefined;
  if (asyncDelegate && (input.outage ?? 0) > 0) {
    outagePrediction = predictOutage({ settings, eventsPerSecond: rate, outageSeconds: input.outage!, backendLatency: typicalLatency, kubernetesVersion: version.text });
    step('outage-loss', 'Events lost in the outage', `Simulated ${outagePrediction.runs} times with the ${fmt(input.outage!)} s outage falling at different points between two batches and refused connections: ${outagePrediction.lost.max === 0 ? 'no event is lost' : `${outagePrediction.lost.median} events lost (median)`}. ${outagePrediction.explanation}`, {
      lostEventsMedian: outagePrediction.lost.median,
      lostEventsMax: outagePrediction.lost.max,
    });
  }
  step('result', 'Recommendation', `${prefix}: buffer ${bufferSize}, batches of ${maxBatchSize} within ${goDurationFromSeconds(maxBatchWait)}, throttle ${fmt(throttleQPS)} QPS burst ${throttleBurst}; ceiling ${fmt(throughputCeiling)} events/s${Number.isFinite(overflowSeconds) ? `, overflow in ${fmt(overflowSeconds)} s` : ''}.`, {
    bufferSize,
    maxBatchSize,
    maxBatchWait,
    throttleQPS,
    throttleBurst,
  });

  return {
    backend,
    eventsPerSecond: rate,
    settings,
    flags: flagsToArgs(flags),
    steps,
    caveats,
    estimates: {
      throughputCeiling,
      maxAddedLatency,
      ...(bufferBytes !== undefined ? { bufferBytes } : {}),
      ...(maxPostBytes !== undefined ? { maxPostBytes } : {}),
      ...(inFlightBatches !== undefined ? { inFlightBatches } : {}),
      ...(outageInFlightEvents !== undefined ? { outageInFlightEvents } : {}),
      ...(window !== undefined ? { retryWindow: window } : {}),
      ...(outagePrediction !== undefined ? { outage: outagePrediction } : {}),
    },
  };
}

/**
 * The union backend trap, for a backend tuned on its own: the recommendation is batch mode, which
 * on releases with the trap goes wrong as soon as the other backend is enabled as well.
 */
function unionCaveats(backend: AuditBackend, version: KubernetesVersion): TuneCaveat[] {
  const other = backend === 'log' ? 'webhook' : 'log';
  const problems = unionBackendProblems({ log: { batch: backend === 'log' }, webhook: { batch: backend === 'webhook' } }, version).filter((problem) => problem.path.startsWith(`${backend}.`));
  return problems.map((problem) => ({ code: problem.code, severity: 'warning', path: problem.path, message: `if the ${other} backend is enabled too: ${problem.message}`, fix: problem.fix }));
}

/**
 * The steps and caveats of a result as plain text, one step per paragraph, then the flags.
 *
 * @example
 * ```ts
 * console.log(renderTuneReport(tune({ backend: 'log', requestsPerSecond: 100, stagesPerRequest: 2, eventsPerBatch: 100, backendLatency: 5 })));
 * ```
 */
export function renderTuneReport(result: TuneResult): string {
  const lines = [`Tuning the ${result.backend} backend for ${fmt(result.eventsPerSecond)} events/s`, ''];
  result.steps.forEach((s, index) => lines.push(`${index + 1}. ${s.title}: ${s.text}`));
  if (result.caveats.length) {
    lines.push('', 'Caveats:');
    for (const caveat of result.caveats) lines.push(`- ${caveat.severity} [${caveat.code}] ${caveat.message}${caveat.fix ? ` (fix: ${caveat.fix})` : ''}`);
  }
  lines.push('', 'Flags:', ...result.flags.map((flag) => `  ${flag}`));
  return `${lines.join('\n')}\n`;
}

function stagesPerRequest(input: TuneInput): { value: number; source: string } {
  if (input.stagesPerRequest !== undefined) return { value: input.stagesPerRequest, source: 'given' };
  const traffic = input.traffic!;
  const total = traffic.reduce((sum, share) => sum + share.weight, 0);
  const weighted = traffic.reduce((sum, share) => sum + share.weight * evaluate(input.policy!, share.request).stages.length, 0);
  return { value: weighted / total, source: 'policy' };
}

/** The `k8s-gen tune` option of each input, so messages name what users type. */
const OPTION: Readonly<Record<string, string>> = {
  requestsPerSecond: '--rps',
  stagesPerRequest: '--stages',
  backendLatency: '--latency',
  typicalBackendLatency: '--typical-latency',
  outage: '--outage',
  averageEventBytes: '--event-bytes',
  headroom: '--headroom',
  eventsPerBatch: '--batch',
  'peak.factor': '--peak-factor',
  'peak.seconds': '--peak-seconds',
  backend: '--backend',
};
const named = (name: string): string => `${name} (${OPTION[name]})`;

function checkInput(input: TuneInput): void {
  const positive = (name: string, value: number | undefined, allowZero = false): void => {
    if (value === undefined) return;
    if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) throw new RangeError(`${named(name)} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${String(value)}`);
  };
  positive('requestsPerSecond', input.requestsPerSecond);
  positive('backendLatency', input.backendLatency, true);
  positive('typicalBackendLatency', input.typicalBackendLatency, true);
  positive('outage', input.outage, true);
  positive('averageEventBytes', input.averageEventBytes);
  positive('headroom', input.headroom);
  if (input.headroom !== undefined && input.headroom < 1) throw new RangeError(`${named('headroom')} must be >= 1, got ${input.headroom}`);
  if (input.eventsPerBatch !== undefined && !(Number.isInteger(input.eventsPerBatch) && input.eventsPerBatch > 0)) {
    throw new RangeError(`${named('eventsPerBatch')} must be a positive integer, got ${input.eventsPerBatch}`);
  }
  if (input.peak) {
    positive('peak.factor', input.peak.factor);
    positive('peak.seconds', input.peak.seconds);
  }
  const hasStages = input.stagesPerRequest !== undefined;
  const hasMix = input.policy !== undefined || input.traffic !== undefined;
  if (hasStages === hasMix) throw new RangeError('give either stagesPerRequest (--stages), or policy together with traffic (--policy, --traffic)');
  if (hasStages) positive('stagesPerRequest', input.stagesPerRequest);
  else if (!input.policy || !input.traffic || input.traffic.length === 0 || !input.traffic.every((s) => s.weight >= 0) || input.traffic.every((s) => s.weight === 0)) {
    throw new RangeError('policy needs a non-empty traffic mix with non-negative weights, at least one positive');
  }
  if (input.backend !== 'log' && input.backend !== 'webhook') throw new RangeError(`${named('backend')} must be "log" or "webhook", got "${String(input.backend)}"`);
}

/** A count of events for prose: always a whole number. */
function events(value: number): string {
  return String(Math.round(value));
}

/** Rounds up to `digits` decimals, tolerating float noise just above an exact value. */
function roundUp(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.ceil(value * scale - 1e-9) / scale;
}

/** A number for prose: integers as is, others with up to 3 decimals (3 significant digits below 1). */
function fmt(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? '∞' : String(value);
  if (Number.isInteger(value)) return String(value);
  return String(Math.abs(value) >= 1 ? Number(value.toFixed(3)) : Number(value.toPrecision(3)));
}

/** Options of {@link reviewAuditFlags}. */
export interface ReviewOptions {
  /** The release the flags run on (`--kubernetes-version`). Default: the newest. */
  kubernetesVersion?: string;
  /** Events per second reaching the backends, for the outage prediction. */
  eventsPerSecond?: number;
  /** A receiver outage to predict the webhook's losses for, in seconds (`--outage`). */
  outageSeconds?: number;
  /** How attempts fail during the outage (`--outage-failure`). Default `refused`. */
  outageFailure?: 'refused' | 'timeout';
}

/** One finding of a review, with the flag it concerns when there is one. */
export interface ReviewFinding extends TuneCaveat {
  /** The flag, e.g. `audit-webhook-batch-max-wait`, or undefined for findings about the whole set. */
  flag?: string;
}

/** What {@link reviewAuditFlags} found in a set of flags. */
export interface FlagReview {
  /** The audit settings the flags give. */
  settings: AuditSettings;
  /** Problems (what the apiserver refuses, and the traps it lets through) and notes, in order. */
  findings: ReviewFinding[];
  /** What the outage costs with these webhook flags, when an outage and a load were given. */
  outage?: OutagePrediction;
}

/**
 * Reviews kube-apiserver audit flags already in use: reads them as the apiserver does, checks them
 * with the flag model of `@k8s-gen/apiserver` for the release (start-up errors, the spinning batch
 * loop, the union backend trap, rotation that does not do what it says), adds notes on throttling
 * and POST sizes, and, given a load and an outage, predicts the webhook's losses.
 *
 * @throws RangeError when the version or the outage inputs are out of range.
 * @example
 * ```ts
 * reviewAuditFlags(['--audit-log-path=/var/log/a.log', '--audit-log-mode=batch', '--audit-log-batch-max-size=100'], { kubernetesVersion: '1.30' }).findings.map((f) => f.code);
 * // ['no-policy-file', 'batch-busy-loop']
 * ```
 */
export function reviewAuditFlags(args: readonly string[], options: ReviewOptions = {}): FlagReview {
  const parsed = parseKubernetesVersion(options.kubernetesVersion ?? NEWEST_KUBERNETES_VERSION, AUDIT_FLAGS_RANGE);
  if (!parsed.ok) throw new RangeError(`kubernetesVersion (--kubernetes-version): ${parsed.message}; ${parsed.fix}`);
  const version = parsed.version;
  const read = readAuditFlags(args, version);
  const flagOf = (path: string): string | undefined => {
    const argument = /^args\[(\d+)\]$/.exec(path);
    if (argument) return /^--([a-z0-9-]+)/.exec(args[Number(argument[1])] ?? '')?.[1];
    return flagForSetting(path, version.minor)?.name ?? (path === 'log' || path.startsWith('log.') ? 'audit-log-path' : path.startsWith('webhook') ? 'audit-webhook-config-file' : undefined);
  };
  const findings: ReviewFinding[] = [...read.problems, ...checkAuditSettings(read.settings, version)].map((problem) => ({ code: problem.code, severity: problem.severity, message: problem.message, fix: problem.fix, path: problem.path, ...(flagOf(problem.path) !== undefined ? { flag: flagOf(problem.path)! } : {}) }));
  const webhook = read.settings.webhook;
  if (webhook !== undefined) {
    const effective = effectiveBackendSettings('webhook', webhook, version.minor);
    if (effective.mode === 'batch' && !effective.batch.throttleEnable) {
      findings.push({ code: 'unthrottled-webhook', severity: 'info', flag: 'audit-webhook-batch-throttle-enable', message: 'without throttling the webhook sends batches as fast as they fill and the number of sending goroutines is unbounded', fix: 'enable --audit-webhook-batch-throttle-enable unless the receiver can absorb any rate' });
    }
    if (effective.mode === 'batch') {
      const cap = effective.truncate.enabled ? effective.batch.maxSize * effective.truncate.maxEventSize : undefined;
      findings.push({
        code: 'post-size',
        severity: 'info',
        flag: 'audit-webhook-batch-max-size',
        message:
          cap === undefined
            ? 'with truncation off nothing limits the size of one webhook POST'
            : `one webhook POST can reach ${effective.batch.maxSize} × ${effective.truncate.maxEventSize} B ≈ ${formatBytes(cap)}: truncate-max-batch-size does not cap it, because truncation runs before batching and sees one event at a time`,
        fix: 'make sure the receiver accepts bodies of that size, or lower --audit-webhook-batch-max-size',
      });
    }
  }
  const review: FlagReview = { settings: read.settings, findings };
  if (webhook !== undefined && options.outageSeconds !== undefined && options.outageSeconds > 0 && options.eventsPerSecond !== undefined && effectiveBackendSettings('webhook', webhook, version.minor).mode === 'batch' && !findings.some((finding) => finding.severity === 'error' && finding.path?.startsWith('webhook'))) {
    review.outage = predictOutage({ settings: webhook, eventsPerSecond: options.eventsPerSecond, outageSeconds: options.outageSeconds, ...(options.outageFailure ? { failure: options.outageFailure } : {}), kubernetesVersion: version.text });
  }
  return review;
}

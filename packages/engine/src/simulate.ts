// A deterministic discrete-event simulation of kube-apiserver's buffered audit backend
// (k8s.io/apiserver plugin/pkg/audit/buffered) in front of either the log writer (called inline,
// so a slow write stops the batching loop) or the webhook client (one goroutine per batch, each
// retrying on its own with the real backoff schedule and 30 s attempt timeouts).
import {
  AUDIT_FLAGS_RANGE,
  effectiveBackendSettings,
  goDurationSeconds,
  WEBHOOK_ATTEMPTS,
  WEBHOOK_ATTEMPT_TIMEOUT_SECONDS,
  WEBHOOK_BACKOFF_FACTOR,
  WEBHOOK_BACKOFF_JITTER,
  type AuditBackend,
  type DeliverySettings,
} from '@k8s-gen/apiserver';
import { NEWEST_KUBERNETES_VERSION, parseKubernetesVersion } from '@k8s-gen/runtime';

/** From `from` seconds on (until the next segment), events arrive at `eventsPerSecond`. */
export interface LoadSegment {
  from: number;
  eventsPerSecond: number;
}

/** A window during which the backend is unavailable. */
export interface Outage {
  start: number;
  end: number;
}

/** What to simulate. Times are seconds from the start. */
export interface SimulationInput {
  backend: AuditBackend;
  /**
   * The backend's settings in the shape of `@k8s-gen/apiserver` (a `tune` result's `settings`, or
   * what `readAuditFlags` read); unset ones take the release's defaults. The mode must be `batch`
   * (the buffered backend); other modes are rejected.
   */
  settings: DeliverySettings;
  /** The release whose defaults fill in unset settings. Default: the newest. */
  kubernetesVersion?: string;
  /** A constant rate in events/s, or a piecewise-constant profile (segments sorted by `from`). */
  load: number | readonly LoadSegment[];
  /** `uniform` spaces arrivals evenly (default); `poisson` draws exponential gaps from the seed. */
  arrivals?: 'uniform' | 'poisson';
  /** Seconds one delegate call takes when the backend is healthy (a log write, or one POST). */
  backendLatency: number;
  /**
   * Backend outages. For the log backend the write blocks until the outage ends (a stalled disk),
   * which stops the batching loop. For the webhook every attempt that starts inside an outage fails.
   */
  outages?: readonly Outage[];
  /** How a webhook attempt fails during an outage: after the 30 s client timeout (default) or at once (connection refused). */
  outageFailure?: 'timeout' | 'refused';
  /** Simulated seconds; arrivals stop here and whatever is still queued is reported as pending. */
  duration: number;
  /** Seed of the jitter (and of Poisson arrivals). Same input and seed, same result. */
  seed?: number;
}

/** Latency from an event's arrival at the buffer to its delivery, over delivered events (seconds). */
export interface LatencySummary {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** What happened during the simulation. */
export interface SimulationResult {
  /** Events handed to the backend (apiserver_audit_event_total). */
  generated: number;
  delivered: number;
  /** Lost events by the `plugin` label apiserver_audit_error_total would give them. */
  dropped: { buffered: number; webhook: number; total: number };
  /** When the first event was lost, if any. */
  firstDropAt?: number;
  /** Events still in the channel, in the batch being collected, or in a delegate call at the end. */
  pending: number;
  batches: { sent: number; delivered: number; failed: number; attempts: number };
  /**
   * Webhook batches given up after their last attempt (their events counted in
   * `dropped.webhook`): how long after its first attempt each was dropped.
   */
  givenUp: { batches: number; firstAttemptToDrop?: { min: number; max: number } };
  maxBufferOccupancy: number;
  maxInFlightBatches: number;
  maxInFlightEvents: number;
  latency: LatencySummary;
  /** True when max-size > 1 and max-wait = 0: the real loop spins a CPU core. */
  busyLoop: boolean;
}

/**
 * Runs the simulation. Deterministic: the same input gives the same result.
 *
 * @throws RangeError naming the input that is out of range.
 * @example
 * ```ts
 * simulate({ backend: 'webhook', settings: {}, load: 25, backendLatency: 0.05, outages: [{ start: 60, end: 210 }], outageFailure: 'refused', duration: 500 }).dropped.webhook; // 1600
 * ```
 */
export function simulate(input: SimulationInput): SimulationResult {
  return new BufferedBackendSimulation(input, resolve(input)).run();
}

/** The numbers the simulation runs on: the effective settings, durations in seconds. */
interface ResolvedSettings {
  bufferSize: number;
  maxBatchSize: number;
  maxBatchWait: number;
  throttleEnable: boolean;
  throttleQPS: number;
  throttleBurst: number;
  initialBackoff: number;
}

function resolve(input: SimulationInput): ResolvedSettings {
  const version = parseKubernetesVersion(input.kubernetesVersion ?? NEWEST_KUBERNETES_VERSION, AUDIT_FLAGS_RANGE);
  if (!version.ok) throw new RangeError(`kubernetesVersion: ${version.message}; ${version.fix}`);
  const effective = effectiveBackendSettings(input.backend, input.settings, version.version.minor);
  const { batch } = effective;
  if (effective.mode !== 'batch') throw new RangeError(`simulate models the buffered backend, which only batch mode uses; got mode "${effective.mode}"`);
  if (!(Number.isInteger(batch.bufferSize) && batch.bufferSize > 0)) throw new RangeError('settings.batch.bufferSize must be a positive integer');
  if (!(Number.isInteger(batch.maxSize) && batch.maxSize > 0)) throw new RangeError('settings.batch.maxSize must be a positive integer');
  const maxBatchWait = goDurationSeconds(batch.maxWait);
  if (maxBatchWait === undefined) throw new RangeError('settings.batch.maxWait must be a Go duration such as 5s');
  const initialBackoff = goDurationSeconds(effective.initialBackoff);
  if (initialBackoff === undefined) throw new RangeError('settings.initialBackoff must be a Go duration such as 10s');
  if (batch.throttleEnable && !(batch.throttleQps > 0 && batch.throttleBurst > 0)) throw new RangeError('with throttling on, settings.batch.throttleQps and throttleBurst must be > 0');
  if (!(input.duration > 0)) throw new RangeError('duration must be > 0 seconds');
  const segments = typeof input.load === 'number' ? [{ from: 0, eventsPerSecond: input.load }] : input.load;
  for (const [index, segment] of segments.entries()) {
    if (!(segment.eventsPerSecond >= 0 && Number.isFinite(segment.eventsPerSecond))) throw new RangeError(`load[${index}].eventsPerSecond must be a finite number >= 0`);
    if (!(segment.from >= 0)) throw new RangeError(`load[${index}].from must be >= 0 seconds`);
  }
  if (!(input.backendLatency >= 0)) throw new RangeError('backendLatency must be >= 0 seconds');
  for (const [index, outage] of (input.outages ?? []).entries()) {
    if (!(outage.end > outage.start)) throw new RangeError(`outages[${index}] must end after it starts`);
  }
  // A negative max wait fires at once, like 0; a negative backoff sleeps no time.
  return {
    bufferSize: batch.bufferSize,
    maxBatchSize: batch.maxSize,
    maxBatchWait: Math.max(0, maxBatchWait),
    throttleEnable: batch.throttleEnable,
    throttleQPS: batch.throttleQps,
    throttleBurst: batch.throttleBurst,
    initialBackoff: Math.max(0, initialBackoff),
  };
}

/** Small seeded PRNG (mulberry32) so jitter (and generated test input) is reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Latencies are binned geometrically (2% wide bins) so memory stays constant however long the run. */
class LatencyHistogram {
  private static readonly floor = 1e-4;
  private static readonly ratio = Math.log(1.02);
  private readonly bins = new Float64Array(1200);
  private count = 0;
  private sum = 0;
  private max = 0;

  add(latency: number): void {
    const index = latency <= LatencyHistogram.floor ? 0 : Math.min(this.bins.length - 1, 1 + Math.floor(Math.log(latency / LatencyHistogram.floor) / LatencyHistogram.ratio));
    this.bins[index]! += 1;
    this.count += 1;
    this.sum += latency;
    if (latency > this.max) this.max = latency;
  }

  summary(): LatencySummary {
    const quantile = (q: number): number => {
      if (this.count === 0) return 0;
      const rank = q * this.count;
      let seen = 0;
      for (let i = 0; i < this.bins.length; i += 1) {
        seen += this.bins[i]!;
        if (seen >= rank) {
          const upper = i === 0 ? LatencyHistogram.floor : LatencyHistogram.floor * Math.exp(i * LatencyHistogram.ratio);
          return Math.min(upper, this.max);
        }
      }
      return this.max;
    };
    return { mean: this.count ? this.sum / this.count : 0, p50: quantile(0.5), p90: quantile(0.9), p99: quantile(0.99), max: this.max };
  }
}

/** One batch handed to a webhook goroutine. */
interface InFlightBatch {
  arrivals: Float64Array;
  attempt: number;
  nextSleep: number;
  firstAttemptAt: number;
}

/** A pending goroutine step: the batch's current attempt succeeds or fails at `time`. */
interface GoroutineStep {
  time: number;
  sequence: number;
  batch: InFlightBatch;
  succeeds: boolean;
}

/** Binary min-heap on (time, sequence) so equal times resolve in creation order. */
class StepQueue {
  private readonly items: GoroutineStep[] = [];
  get size(): number {
    return this.items.length;
  }
  peekTime(): number {
    return this.items.length ? this.items[0]!.time : Infinity;
  }
  push(step: GoroutineStep): void {
    const items = this.items;
    items.push(step);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }
  pop(): GoroutineStep {
    const items = this.items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && before(items[left]!, items[smallest]!)) smallest = left;
        if (right < items.length && before(items[right]!, items[smallest]!)) smallest = right;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest]!, items[i]!];
        i = smallest;
      }
    }
    return top;
  }
}

function before(a: GoroutineStep, b: GoroutineStep): boolean {
  return a.time < b.time || (a.time === b.time && a.sequence < b.sequence);
}

type LoopState = 'collecting' | 'throttled' | 'writing';

class BufferedBackendSimulation {
  private readonly async: boolean;
  private readonly random: () => number;
  private readonly segments: LoadSegment[];
  private readonly outages: Outage[];
  private readonly histogram = new LatencyHistogram();
  private readonly steps = new StepQueue();
  private sequence = 0;

  // The channel: a ring of arrival times.
  private readonly channel: Float64Array;
  private channelHead = 0;
  private channelLength = 0;

  // The batching goroutine.
  private state: LoopState = 'collecting';
  private loopWake = Infinity;
  private readonly batch: Float64Array;
  private batchLength = 0;
  private readonly spinning: boolean;
  private tokens: number;
  private tokensAt = 0;

  private nextArrival: number;
  private inFlightBatches = 0;
  private inFlightEvents = 0;
  private readonly result: SimulationResult;

  constructor(
    private readonly input: SimulationInput,
    private readonly settings: ResolvedSettings,
  ) {
    this.async = input.backend === 'webhook';
    this.random = seededRandom(input.seed ?? 1);
    this.segments = typeof input.load === 'number' ? [{ from: 0, eventsPerSecond: input.load }] : [...input.load].sort((a, b) => a.from - b.from);
    this.outages = [...(input.outages ?? [])].sort((a, b) => a.start - b.start);
    this.channel = new Float64Array(this.settings.bufferSize);
    this.batch = new Float64Array(this.settings.maxBatchSize);
    this.spinning = this.settings.maxBatchSize > 1 && this.settings.maxBatchWait <= 0;
    this.tokens = this.settings.throttleBurst;
    this.nextArrival = this.arrivalAfter(0);
    this.result = {
      generated: 0,
      delivered: 0,
      dropped: { buffered: 0, webhook: 0, total: 0 },
      pending: 0,
      batches: { sent: 0, delivered: 0, failed: 0, attempts: 0 },
      givenUp: { batches: 0 },
      maxBufferOccupancy: 0,
      maxInFlightBatches: 0,
      maxInFlightEvents: 0,
      latency: { mean: 0, p50: 0, p90: 0, p99: 0, max: 0 },
      busyLoop: this.spinning,
    };
  }

  run(): SimulationResult {
    const { duration } = this.input;
    this.startBatch(0);
    for (;;) {
      const stepTime = this.steps.peekTime();
      const arrival = this.nextArrival < duration ? this.nextArrival : Infinity;
      const next = Math.min(stepTime, this.loopWake, arrival);
      if (!(next <= duration)) break;
      if (stepTime === next) this.goroutineStep(this.steps.pop());
      else if (this.loopWake === next) this.wakeLoop(next);
      else this.arrive(next);
    }
    this.result.pending = this.channelLength + this.batchLength + this.inFlightEvents;
    this.result.dropped.total = this.result.dropped.buffered + this.result.dropped.webhook;
    this.result.latency = this.histogram.summary();
    return this.result;
  }

  /** The next arrival strictly after `time` under the load profile, or Infinity. */
  private arrivalAfter(time: number): number {
    let t = time;
    for (;;) {
      const index = this.segmentIndexAt(t);
      if (index < 0) {
        const first = this.segments[0];
        if (!first) return Infinity;
        t = first.from;
        continue;
      }
      const segment = this.segments[index]!;
      const end = this.segments[index + 1]?.from ?? Infinity;
      if (segment.eventsPerSecond > 0) {
        const gap = this.input.arrivals === 'poisson' ? -Math.log(1 - this.random()) / segment.eventsPerSecond : 1 / segment.eventsPerSecond;
        if (t + gap < end) return t + gap;
      }
      if (end === Infinity) return Infinity;
      t = end;
    }
  }

  private segmentIndexAt(time: number): number {
    let found = -1;
    for (let i = 0; i < this.segments.length && this.segments[i]!.from <= time; i += 1) found = i;
    return found;
  }

  /**
   * An event reaches ProcessEvents: a non-blocking send into the channel. The audit filter hands
   * over one event per call, so "the rest of the call" that a full channel also drops is empty.
   */
  private arrive(time: number): void {
    this.result.generated += 1;
    this.nextArrival = this.arrivalAfter(time);
    if (this.state === 'collecting' && this.channelLength === 0) {
      // The loop is waiting in its select, so the event goes straight into the batch.
      this.batch[this.batchLength++] = time;
      if (this.batchLength === this.settings.maxBatchSize || this.spinning) this.finishBatch(time);
      return;
    }
    if (this.channelLength === this.channel.length) {
      this.result.dropped.buffered += 1;
      this.result.firstDropAt ??= time;
      return;
    }
    this.channel[(this.channelHead + this.channelLength) % this.channel.length] = time;
    this.channelLength += 1;
    if (this.channelLength > this.result.maxBufferOccupancy) this.result.maxBufferOccupancy = this.channelLength;
  }

  /** Top of the loop: reset the timer (only with max-size > 1) and drain what is already queued. */
  private startBatch(time: number): void {
    this.state = 'collecting';
    this.batchLength = 0;
    const size = this.settings.maxBatchSize;
    while (this.channelLength > 0 && this.batchLength < size) {
      this.batch[this.batchLength++] = this.channel[this.channelHead]!;
      this.channelHead = (this.channelHead + 1) % this.channel.length;
      this.channelLength -= 1;
    }
    if (this.batchLength === size || (this.spinning && this.batchLength > 0)) {
      this.finishBatch(time);
      return;
    }
    // With max-size 1 there is no timer; with max-wait 0 the loop spins until the next arrival.
    this.loopWake = size > 1 && !this.spinning ? time + this.settings.maxBatchWait : Infinity;
  }

  private wakeLoop(time: number): void {
    this.loopWake = Infinity;
    if (this.state === 'collecting') {
      // The max-wait timer fired; an empty batch is never sent, the loop just starts over.
      if (this.batchLength > 0) this.finishBatch(time);
      else this.startBatch(time);
    } else if (this.state === 'throttled') {
      this.dispatch(time);
    } else {
      this.deliver(this.batch.subarray(0, this.batchLength), time);
      this.batchLength = 0;
      this.startBatch(time);
    }
  }

  /** Collection ended: take a token from the bucket (x/time/rate reservation semantics), then dispatch. */
  private finishBatch(time: number): void {
    this.loopWake = Infinity;
    if (this.settings.throttleEnable) {
      const { throttleQPS: qps, throttleBurst: burst } = this.settings;
      this.tokens = Math.min(burst, this.tokens + (time - this.tokensAt) * qps);
      this.tokensAt = time;
      this.tokens -= 1;
      if (this.tokens < 0) {
        this.state = 'throttled';
        this.loopWake = time - this.tokens / qps;
        return;
      }
    }
    this.dispatch(time);
  }

  private dispatch(time: number): void {
    this.result.batches.sent += 1;
    if (this.async) {
      const batch: InFlightBatch = { arrivals: this.batch.slice(0, this.batchLength), attempt: 0, nextSleep: this.settings.initialBackoff, firstAttemptAt: time };
      this.inFlightBatches += 1;
      this.inFlightEvents += batch.arrivals.length;
      if (this.inFlightBatches > this.result.maxInFlightBatches) this.result.maxInFlightBatches = this.inFlightBatches;
      if (this.inFlightEvents > this.result.maxInFlightEvents) this.result.maxInFlightEvents = this.inFlightEvents;
      this.attempt(batch, time);
      this.batchLength = 0;
      this.startBatch(time);
      return;
    }
    // The log writer runs on the loop goroutine: a stalled write holds the whole loop.
    const outage = this.outageAt(time);
    this.state = 'writing';
    this.loopWake = (outage ? outage.end : time) + this.input.backendLatency;
    if (this.batchLength > this.result.maxInFlightEvents) this.result.maxInFlightEvents = this.batchLength;
    this.result.maxInFlightBatches = Math.max(this.result.maxInFlightBatches, 1);
  }

  private attempt(batch: InFlightBatch, time: number): void {
    batch.attempt += 1;
    this.result.batches.attempts += 1;
    const down = this.outageAt(time) !== undefined;
    const failAfter = this.input.outageFailure === 'refused' ? 0 : WEBHOOK_ATTEMPT_TIMEOUT_SECONDS;
    this.steps.push({ time: time + (down ? failAfter : this.input.backendLatency), sequence: this.sequence++, batch, succeeds: !down });
  }

  private goroutineStep(step: GoroutineStep): void {
    const { batch, time } = step;
    if (step.succeeds) {
      this.finishInFlight(batch);
      this.deliver(batch.arrivals, time);
      return;
    }
    if (batch.attempt >= WEBHOOK_ATTEMPTS) {
      this.finishInFlight(batch);
      this.result.batches.failed += 1;
      this.result.dropped.webhook += batch.arrivals.length;
      this.result.firstDropAt = Math.min(this.result.firstDropAt ?? Infinity, time);
      const delay = time - batch.firstAttemptAt;
      const givenUp = this.result.givenUp;
      givenUp.batches += 1;
      givenUp.firstAttemptToDrop = { min: Math.min(givenUp.firstAttemptToDrop?.min ?? Infinity, delay), max: Math.max(givenUp.firstAttemptToDrop?.max ?? -Infinity, delay) };
      return;
    }
    const sleep = batch.nextSleep * (1 + WEBHOOK_BACKOFF_JITTER * this.random());
    batch.nextSleep *= WEBHOOK_BACKOFF_FACTOR;
    this.attempt(batch, time + sleep);
  }

  private finishInFlight(batch: InFlightBatch): void {
    this.inFlightBatches -= 1;
    this.inFlightEvents -= batch.arrivals.length;
  }

  private deliver(arrivals: Float64Array, time: number): void {
    this.result.delivered += arrivals.length;
    this.result.batches.delivered += 1;
    for (let i = 0; i < arrivals.length; i += 1) this.histogram.add(time - arrivals[i]!);
  }

  private outageAt(time: number): Outage | undefined {
    return this.outages.find((outage) => outage.start <= time && time < outage.end);
  }
}

// Backend settings from @k8s-gen/engine's `tune()`, in the shape the backend constructs take, so a
// tuned recommendation can be handed to a LogBackend or WebhookBackend as it is.
import { goDuration, type TuneResult } from '@k8s-gen/engine';
import type { BackendOptions } from './apiserver/flags.js';

/** The backend options (and, for the webhook, the initial backoff) of a tune recommendation. */
export interface TunedBackendOptions extends BackendOptions {
  /** Go duration of the first retry delay (webhook only). */
  initialBackoff?: string;
}

/**
 * Converts a `tune()` result into backend options. Batch settings are set only in batch mode,
 * throttle rates only with throttling on, truncation sizes only with truncation on: the same flags
 * `tune()` lists in `result.flags`.
 *
 * @example
 * const tuned = tune({ backend: 'webhook', requestsPerSecond: 100, stagesPerRequest: 2, eventsPerBatch: 100, backendLatency: 5 });
 * new WebhookBackend(target, 'Webhook', { server, ...backendOptionsFromTune(tuned) });
 */
export function backendOptionsFromTune(result: TuneResult): TunedBackendOptions {
  const s = result.settings;
  const options: TunedBackendOptions = { mode: s.mode };
  if (s.mode === 'batch') {
    options.batch = {
      bufferSize: s.bufferSize,
      maxSize: s.maxBatchSize,
      maxWait: goDuration(s.maxBatchWait),
      throttleEnable: s.throttleEnable,
      ...(s.throttleEnable ? { throttleQps: Number(s.throttleQPS.toFixed(4)), throttleBurst: s.throttleBurst } : {}),
    };
  }
  options.truncate = { enabled: s.truncateEnabled, ...(s.truncateEnabled ? { maxBatchSize: s.truncateMaxBatchSize, maxEventSize: s.truncateMaxEventSize } : {}) };
  if (result.backend === 'webhook') options.initialBackoff = goDuration(s.initialBackoff);
  return options;
}

/**
 * How the webhook backend retries a batch (k8s.io/apiserver `pkg/util/webhook`, the same from 1.9
 * to 1.36): 5 attempts with 4 sleeps between them, d, 1.5d, 2.25d and 3.375d, each stretched by a
 * random factor in [1, 1.2), every attempt cut off after 30 s. Every error is retried, 4xx
 * answers included; after the fifth failed attempt the batch's events are dropped and counted in
 * `apiserver_audit_error_total{plugin="webhook"}`. Stated here once, for every message and model.
 */

/** Attempts per batch: the first one and 4 retries (`wait.Backoff` Steps). */
export const WEBHOOK_ATTEMPTS = 5;
/** Sleeps between the attempts. */
export const WEBHOOK_RETRY_SLEEPS = WEBHOOK_ATTEMPTS - 1;
/** Each sleep is this factor times the one before. */
export const WEBHOOK_BACKOFF_FACTOR = 1.5;
/** Each sleep is stretched by a random factor in [1, 1 + jitter). */
export const WEBHOOK_BACKOFF_JITTER = 0.2;
/** Timeout of one attempt, hard-coded in the apiserver (a kubeconfig cannot change it). */
export const WEBHOOK_ATTEMPT_TIMEOUT_SECONDS = 30;

/** The nominal sleeps as multiples of the initial backoff: 1, 1.5, 2.25, 3.375. */
export const RETRY_SLEEP_MULTIPLES: readonly number[] = Array.from({ length: WEBHOOK_RETRY_SLEEPS }, (_, i) => WEBHOOK_BACKOFF_FACTOR ** i);
/** The nominal sleeps together, as a multiple of the initial backoff: 8.125. */
export const RETRY_SLEEP_FACTOR = RETRY_SLEEP_MULTIPLES.reduce((sum, multiple) => sum + multiple, 0);

/** How long one batch keeps trying before its events are dropped, for an initial backoff in seconds. */
export interface RetryWindow {
  /** Every attempt fails at once (connection refused) and no sleep is stretched: 8.125·d. */
  fastFailMin: number;
  /** Every attempt fails at once and every sleep is stretched the most: 9.75·d. */
  sleepMax: number;
  /** Every attempt runs into the 30 s timeout and every sleep is stretched the most: 5 × 30 s + 9.75·d. */
  worstCase: number;
}

/**
 * The retry window of one webhook batch.
 *
 * @param initialBackoffSeconds - `--audit-webhook-initial-backoff` in seconds (negative counts as 0:
 *   Go sleeps no time for a negative duration).
 * @example
 * ```ts
 * retryWindow(10); // { fastFailMin: 81.25, sleepMax: 97.5, worstCase: 247.5 }
 * ```
 */
export function retryWindow(initialBackoffSeconds: number): RetryWindow {
  const sleeps = RETRY_SLEEP_FACTOR * Math.max(0, initialBackoffSeconds);
  return {
    fastFailMin: sleeps,
    sleepMax: sleeps * (1 + WEBHOOK_BACKOFF_JITTER),
    worstCase: WEBHOOK_ATTEMPTS * WEBHOOK_ATTEMPT_TIMEOUT_SECONDS + sleeps * (1 + WEBHOOK_BACKOFF_JITTER),
  };
}

/** Seconds for prose: whole numbers as they are, others with up to 3 decimals. */
function seconds(value: number): string {
  return `${Number.isInteger(value) ? value : Number(value.toFixed(3))} s`;
}

/**
 * The retry schedule in words, the one sentence every message uses.
 *
 * @example
 * ```ts
 * describeRetries(10);
 * // '5 attempts with 4 sleeps between them: 10 s, 15 s, 22.5 s and 33.75 s (d, 1.5d, 2.25d, 3.375d, each up to 20 % longer), every attempt cut off after 30 s'
 * ```
 */
export function describeRetries(initialBackoffSeconds: number): string {
  const d = Math.max(0, initialBackoffSeconds);
  const sleeps = RETRY_SLEEP_MULTIPLES.map((multiple) => seconds(d * multiple));
  const multiples = RETRY_SLEEP_MULTIPLES.map((multiple) => `${multiple === 1 ? '' : multiple}d`);
  return `${WEBHOOK_ATTEMPTS} attempts with ${WEBHOOK_RETRY_SLEEPS} sleeps between them: ${sleeps.slice(0, -1).join(', ')} and ${sleeps.at(-1)} (${multiples.join(', ')}, each up to ${WEBHOOK_BACKOFF_JITTER * 100} % longer), every attempt cut off after ${WEBHOOK_ATTEMPT_TIMEOUT_SECONDS} s`;
}

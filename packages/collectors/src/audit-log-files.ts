/**
 * What every shipper must know about the files and bodies kube-apiserver writes: how large one
 * event can be (so that a line buffer never stops a reader), how large one webhook POST can be,
 * and how rotated log files are named (so that they are never read twice).
 *
 * Facts used (kube-apiserver, k8s.io/apiserver):
 * - the truncate backend (`--audit-log-truncate-*`, `--audit-webhook-truncate-*`, 1.11+) measures
 *   each event as the backend encodes it; over `max-event-size` it first drops the request and
 *   response bodies, and drops the event if it is still too large, so no written event is larger;
 *   one webhook POST is split so that it stays under `max-batch-size`;
 * - the log backend writes one JSON event per line; rotation (lumberjack) renames the file to
 *   `<name>-<time><ext>`, with the time as `2006-01-02T15-04-05.000`
 *   (`audit-2024-05-16T17-03-59.994.log`) and `.gz` appended with `--audit-log-compress` (1.20+);
 * - without truncation an event holding bodies has no size limit (a list of every Secret is one
 *   event); a Metadata event is made of the request line and headers (URI, user agent cut at 1,024
 *   bytes, impersonation headers) plus annotations, which the apiserver's 1 MiB header limit keeps
 *   in the low megabytes even with JSON escapes.
 */
import type { Level } from '@k8s-gen/audit';

/** kube-apiserver's default `--audit-*-truncate-max-event-size`: 102,400 bytes (100 KiB). */
export const DEFAULT_TRUNCATE_MAX_EVENT_SIZE = 102_400;

/** kube-apiserver's default `--audit-*-truncate-max-batch-size` (10 MiB). */
export const DEFAULT_TRUNCATE_MAX_BATCH_SIZE = 10_485_760;

/**
 * The bound used for a Metadata-level event without truncation: six times the apiserver's 1 MiB
 * header limit (every header byte escaped as `\u00XX` at worst) plus 2 MiB for the rest.
 */
export const METADATA_EVENT_BOUND = 8 * 1_048_576;

/** What decides how large an event the apiserver writes can be. */
export interface AuditEventSizeLimits {
  /**
   * The truncate backend's `max-event-size` in bytes when truncation is enabled for this backend
   * (`--audit-log-truncate-enabled` or `--audit-webhook-truncate-enabled`); undefined when it is off.
   */
  readonly truncateMaxEventSize?: number;
  /** The most detailed level any rule of the policy logs at (None when nothing is logged). */
  readonly maxLevel: Level;
}

/** The largest event line, or why there is none. */
export type AuditEventBound =
  /** Bounded: no event line is longer than `bytes` (without its line feed). */
  | { readonly kind: 'bounded'; readonly bytes: number; readonly reason: string }
  /** Events carry bodies and nothing limits them. */
  | { readonly kind: 'unbounded'; readonly reason: string };

/**
 * The largest event the apiserver can write for a backend with these limits.
 *
 * @example
 * ```ts
 * largestAuditEvent({ truncateMaxEventSize: 102400, maxLevel: 'RequestResponse' }); // { kind: 'bounded', bytes: 102400, ... }
 * largestAuditEvent({ maxLevel: 'RequestResponse' }).kind; // 'unbounded'
 * ```
 */
export function largestAuditEvent(limits: AuditEventSizeLimits): AuditEventBound {
  if (limits.truncateMaxEventSize !== undefined) {
    return { kind: 'bounded', bytes: limits.truncateMaxEventSize, reason: `truncation drops bodies, then whole events, above ${limits.truncateMaxEventSize} bytes` };
  }
  if (limits.maxLevel === 'None' || limits.maxLevel === 'Metadata') {
    return { kind: 'bounded', bytes: METADATA_EVENT_BOUND, reason: 'Metadata events are made of the request line and headers, which the apiserver limits to 1 MiB' };
  }
  return { kind: 'unbounded', reason: `the policy logs bodies (${limits.maxLevel}) and truncation is off, so one event can be as large as the largest object list` };
}

/**
 * The size of a line buffer that holds every event of `bound`: the event, its line feed and one
 * byte more (Fluent Bit keeps one byte of its buffer for a terminating NUL), or `fallback` when
 * the events are unbounded.
 */
export function lineBufferBytes(bound: AuditEventBound, fallback: number): number {
  return bound.kind === 'bounded' ? bound.bytes + 2 : fallback;
}

/**
 * Glob patterns matching the files the log backend rotates `logPath` to, compressed or not:
 * `/var/log/kube-audit/audit.log` gives `/var/log/kube-audit/audit-*.log` and
 * `/var/log/kube-audit/audit-*.log.gz`.
 *
 * @example
 * ```ts
 * rotatedLogPatterns('/var/log/kube-audit/audit.log'); // ['/var/log/kube-audit/audit-*.log', '/var/log/kube-audit/audit-*.log.gz']
 * ```
 */
export function rotatedLogPatterns(logPath: string): [string, string] {
  const slash = logPath.lastIndexOf('/');
  const dir = logPath.slice(0, slash + 1);
  const name = logPath.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  // lumberjack splits the name at its last dot: `audit.log` is `audit` + `.log`, `kube-audit` has no extension.
  const [prefix, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  return [`${dir}${prefix}-*${ext}`, `${dir}${prefix}-*${ext}.gz`];
}

/**
 * The largest POST body of the webhook backend: `max-batch-size` when truncation splits batches,
 * otherwise `batchMaxSize` events of the largest event (unbounded when events are).
 *
 * @example
 * ```ts
 * largestWebhookBody({ truncateMaxBatchSize: 10485760 }, { kind: 'bounded', bytes: 102400, reason: '' }, 400); // 10485760
 * ```
 */
export function largestWebhookBody(limits: { readonly truncateMaxBatchSize?: number }, event: AuditEventBound, batchMaxSize: number): number | undefined {
  if (limits.truncateMaxBatchSize !== undefined) return limits.truncateMaxBatchSize;
  // An EventList adds its envelope and a comma per item; 1 KiB covers it.
  return event.kind === 'bounded' ? event.bytes * batchMaxSize + 1024 : undefined;
}

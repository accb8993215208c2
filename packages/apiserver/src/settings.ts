/**
 * The one settings shape of kube-apiserver's audit backends. The same objects are the options of
 * the `LogBackend` and `WebhookBackend` constructs, the `settings` of a `tune` result, what
 * `readAuditFlags` reads back from an argument list, and what the batch simulation runs. Every
 * field is one flag; a field left out is a flag left out, so the apiserver's own default applies.
 */

/** The two static audit backends. */
export type AuditBackend = 'log' | 'webhook';
/** Both backends, in the order the apiserver joins them. */
export const AUDIT_BACKENDS: readonly AuditBackend[] = ['log', 'webhook'];

/**
 * How a backend hands events over: `batch` buffers them and sends batches from a background loop;
 * `blocking` calls the backend inside the request for every stage; `blocking-strict` also fails
 * the request when the RequestReceived event cannot be stored (1.13+).
 */
export type AuditMode = 'batch' | 'blocking' | 'blocking-strict';
/** Every mode, in the order the apiserver lists them. */
export const AUDIT_MODES: readonly AuditMode[] = ['batch', 'blocking', 'blocking-strict'];

/** How the log backend writes an event: JSON Lines, or the one-line legacy text form. */
export type LogFormat = 'json' | 'legacy';
/** Every log format. */
export const LOG_FORMATS: readonly LogFormat[] = ['json', 'legacy'];

/** The buffered backend's settings (`--audit-<backend>-batch-*`); they take effect only in `batch` mode. */
export interface BatchSettings {
  /** Events the buffer holds (default 10000); events arriving when it is full are dropped. */
  bufferSize?: number;
  /** Most events in one batch (default: webhook 400; log 1, or 400 in 1.10-1.11). */
  maxSize?: number;
  /** Go duration a batch is collected at most (default: webhook `30s`; log `0s`, or `30s` in 1.10-1.11). */
  maxWait?: string;
  /** Rate limit batches (default: webhook on, log off); 1.10+. */
  throttleEnable?: boolean;
  /** Average batches per second when throttled (default: webhook 10). */
  throttleQps?: number;
  /** Batches sent back to back after a quiet period when throttled (default: webhook 15). */
  throttleBurst?: number;
}

/** Truncation of large events (`--audit-<backend>-truncate-*`, 1.11+). */
export interface TruncateSettings {
  /** Turn truncation on (default off). */
  enabled?: boolean;
  /** Largest batch in bytes (default 10485760); must be at least `maxEventSize`. */
  maxBatchSize?: number;
  /** Largest event in bytes (default 102400). */
  maxEventSize?: number;
}

/** The settings both backends have. */
export interface BackendSettings {
  /** How events are handed over (default: log `blocking`, webhook `batch`). */
  mode?: AuditMode;
  /** Buffering; only valid with `mode: 'batch'`. */
  batch?: BatchSettings;
  /** Truncation. */
  truncate?: TruncateSettings;
  /** API group/version events are written in, e.g. `audit.k8s.io/v1` (1.11+). */
  version?: string;
}

/** The log backend: `--audit-log-*`. */
export interface LogSettings extends BackendSettings {
  /** The file events are appended to, on the apiserver's node; `-` writes them to stdout. */
  path: string;
  /** Days to keep rotated files (default 0 = forever; 366 from 1.36). */
  maxAge?: number;
  /** Rotated files to keep (default 0 = all; 100 from 1.36). */
  maxBackup?: number;
  /** MiB before the file is rotated (default 0; 100 from 1.36). Up to 1.35, 0 rotates at 100 MiB; from 1.36 it turns rotation off. */
  maxSize?: number;
  /** gzip rotated files (1.20+). */
  compress?: boolean;
  /** Event format (default `json`). */
  format?: LogFormat;
}

/** The webhook backend: `--audit-webhook-*`. */
export interface WebhookSettings extends BackendSettings {
  /** Where the apiserver reads the webhook kubeconfig, on its node (`--audit-webhook-config-file`). */
  kubeconfigPath: string;
  /** Go duration before the first retry of a failed batch (default `10s`). */
  initialBackoff?: string;
}

/**
 * A backend's delivery settings without its file: what `tune` decides and the simulation runs.
 * `initialBackoff` applies to the webhook only.
 */
export type DeliverySettings = BackendSettings & Pick<WebhookSettings, 'initialBackoff'>;

/** Every audit setting of one apiserver. */
export interface AuditSettings {
  /** Where the apiserver reads the audit policy. Without it nothing is audited. */
  policyFile?: string;
  /** The log backend, when enabled. */
  log?: LogSettings;
  /** The webhook backend, when enabled. */
  webhook?: WebhookSettings;
  /** AuditSink objects (1.13 to 1.18): the flag, the feature gate and the API they need. */
  dynamic?: boolean;
}

/** The keys each level of {@link AuditSettings} may hold, for unknown-key checks. */
export const SETTING_KEYS = {
  settings: ['policyFile', 'log', 'webhook', 'dynamic'],
  log: ['path', 'maxAge', 'maxBackup', 'maxSize', 'compress', 'format', 'mode', 'batch', 'truncate', 'version'],
  webhook: ['kubeconfigPath', 'initialBackoff', 'mode', 'batch', 'truncate', 'version'],
  batch: ['bufferSize', 'maxSize', 'maxWait', 'throttleEnable', 'throttleQps', 'throttleBurst'],
  truncate: ['enabled', 'maxBatchSize', 'maxEventSize'],
} as const satisfies Record<string, readonly string[]>;

/** One value of a setting: a number, a boolean, or text (paths, modes, durations). */
export type SettingValue = string | number | boolean;

/**
 * The value at a dotted setting path (`log.batch.maxSize`), or undefined.
 *
 * @example
 * ```ts
 * settingAt({ log: { path: '-', batch: { maxSize: 10 } } }, 'log.batch.maxSize'); // 10
 * ```
 */
export function settingAt(settings: unknown, path: string): unknown {
  let node: unknown = settings;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

// The batching, throttling and truncation settings of kube-apiserver's audit backends, their real
// defaults (k8s.io/apiserver options/audit.go), how they are written as flags, and the known traps
// in a given set of values (read back from flags the user already runs with).
import { kubernetesMinor } from '@k8s-gen/audit';

/** The two static audit backends. */
export type AuditBackendKind = 'log' | 'webhook';
/** `--audit-{log,webhook}-mode`. */
export type AuditMode = 'batch' | 'blocking' | 'blocking-strict';

/** Every tunable of one audit backend. Durations are in seconds, sizes in events or bytes. */
export interface BackendSettings {
  mode: AuditMode;
  /** `batch-buffer-size`: capacity of the event channel (events). */
  bufferSize: number;
  /** `batch-max-size`: events per batch. */
  maxBatchSize: number;
  /** `batch-max-wait` in seconds: how long a batch may collect before it is sent. */
  maxBatchWait: number;
  /** `batch-throttle-enable`. */
  throttleEnable: boolean;
  /** `batch-throttle-qps`: batches per second once the burst is spent. */
  throttleQPS: number;
  /** `batch-throttle-burst`: batches that may go out back to back after idling. */
  throttleBurst: number;
  /** `truncate-enabled`. */
  truncateEnabled: boolean;
  /** `truncate-max-event-size` in bytes. */
  truncateMaxEventSize: number;
  /** `truncate-max-batch-size` in bytes. */
  truncateMaxBatchSize: number;
  /** `--audit-webhook-initial-backoff` in seconds (webhook only; first retry delay). */
  initialBackoff: number;
}

/** The kube-apiserver defaults of each backend (1.20 through 1.36). */
export function defaultSettings(backend: AuditBackendKind): BackendSettings {
  const truncate = { truncateEnabled: false, truncateMaxEventSize: 102400, truncateMaxBatchSize: 10485760 };
  if (backend === 'webhook') {
    return {
      mode: 'batch',
      bufferSize: 10000,
      maxBatchSize: 400,
      maxBatchWait: 30,
      throttleEnable: true,
      throttleQPS: 10,
      throttleBurst: 15,
      ...truncate,
      initialBackoff: 10,
    };
  }
  return {
    mode: 'blocking',
    bufferSize: 10000,
    maxBatchSize: 1,
    maxBatchWait: 0,
    throttleEnable: false,
    throttleQPS: 0,
    throttleBurst: 0,
    ...truncate,
    initialBackoff: 10,
  };
}

/** Per-attempt timeout of the webhook client (hard-coded in the apiserver). */
export const WEBHOOK_ATTEMPT_TIMEOUT_SECONDS = 30;
/** Attempts per batch (wait.Backoff Steps). */
export const WEBHOOK_ATTEMPTS = 5;
/** Growth of each retry sleep. */
export const WEBHOOK_BACKOFF_FACTOR = 1.5;
/** Each sleep is stretched by a random factor in [1, 1 + jitter). */
export const WEBHOOK_BACKOFF_JITTER = 0.2;

/** Total nominal sleep between the 5 attempts, as a multiple of the initial backoff: 1 + 1.5 + 2.25 + 3.375. */
export const RETRY_SLEEP_FACTOR = Array.from({ length: WEBHOOK_ATTEMPTS - 1 }, (_, i) => WEBHOOK_BACKOFF_FACTOR ** i).reduce((a, b) => a + b, 0);

/** The retry window of one webhook batch for an initial backoff `d` (seconds). */
export interface RetryWindow {
  /** Sleeps only, no jitter (every attempt fails at once, e.g. connection refused): 8.125·d. */
  fastFailMin: number;
  /** Sleeps with the largest jitter: 9.75·d. */
  sleepMax: number;
  /** Every attempt runs into the 30 s timeout and the sleeps get the largest jitter: 5×30 s + 9.75·d. */
  worstCase: number;
}

/** How long one webhook batch keeps trying before its events are dropped. */
export function retryWindow(initialBackoff: number): RetryWindow {
  const sleeps = RETRY_SLEEP_FACTOR * initialBackoff;
  return {
    fastFailMin: sleeps,
    sleepMax: sleeps * (1 + WEBHOOK_BACKOFF_JITTER),
    worstCase: WEBHOOK_ATTEMPTS * WEBHOOK_ATTEMPT_TIMEOUT_SECONDS + sleeps * (1 + WEBHOOK_BACKOFF_JITTER),
  };
}

/** Writes seconds as a Go duration that pflag accepts: `30s`, `1.5s`, `250ms`. */
export function goDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError(`a duration must be a non-negative number of seconds, got ${seconds}`);
  if (seconds === 0) return '0s';
  const millis = Math.round(seconds * 1000);
  if (millis % 1000 === 0) return `${millis / 1000}s`;
  if (seconds < 1) return `${millis}ms`;
  return `${Number((millis / 1000).toFixed(3))}s`;
}

/** Reads a Go duration (`1m30s`, `500ms`, `2h`, `10s`) as seconds; undefined when it is not one. */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const units: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  const part = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(text); match; match = part.exec(text)) {
    total += Number(match[1]) * units[match[2]!]!;
    consumed = part.lastIndex;
  }
  return consumed === text.length && consumed > 0 ? total : undefined;
}

/**
 * The kube-apiserver flags that set `settings` on `backend`, in a fixed order. Batch flags are
 * written only in batch mode (the apiserver ignores them otherwise), throttle QPS and burst only
 * with throttling on, truncation sizes only with truncation on. `kubernetesVersion` (1.12 or later,
 * the releases with audit.k8s.io/v1) decides whether blocking-strict exists (1.13+).
 */
export function settingsToFlags(backend: AuditBackendKind, settings: BackendSettings, kubernetesVersion = '1.20'): string[] {
  const minor = kubernetesMinor(kubernetesVersion);
  if (settings.mode === 'blocking-strict' && minor < 13) {
    throw new RangeError(`--audit-${backend}-mode=blocking-strict exists from 1.13; use blocking or batch for ${kubernetesVersion}`);
  }
  const prefix = `--audit-${backend}`;
  const flags = [`${prefix}-mode=${settings.mode}`];
  if (settings.mode === 'batch') {
    flags.push(
      `${prefix}-batch-buffer-size=${settings.bufferSize}`,
      `${prefix}-batch-max-size=${settings.maxBatchSize}`,
      `${prefix}-batch-max-wait=${goDuration(settings.maxBatchWait)}`,
      `${prefix}-batch-throttle-enable=${settings.throttleEnable}`,
    );
    if (settings.throttleEnable) {
      flags.push(`${prefix}-batch-throttle-qps=${formatNumber(settings.throttleQPS)}`, `${prefix}-batch-throttle-burst=${settings.throttleBurst}`);
    }
  }
  flags.push(`${prefix}-truncate-enabled=${settings.truncateEnabled}`);
  if (settings.truncateEnabled) {
    flags.push(`${prefix}-truncate-max-batch-size=${settings.truncateMaxBatchSize}`, `${prefix}-truncate-max-event-size=${settings.truncateMaxEventSize}`);
  }
  if (backend === 'webhook') flags.push(`${prefix}-initial-backoff=${goDuration(settings.initialBackoff)}`);
  return flags;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(4)));
}

/** Settings read back from kube-apiserver arguments, per backend, plus arguments that could not be read. */
export interface ParsedAuditFlags {
  log: BackendSettings;
  webhook: BackendSettings;
  /** Which backends the arguments mention at all. */
  mentioned: AuditBackendKind[];
  /** Audit arguments that are unknown or whose value does not parse, with the reason. */
  problems: Array<{ flag: string; message: string }>;
}

const numericFields: Record<string, keyof BackendSettings> = {
  'batch-buffer-size': 'bufferSize',
  'batch-max-size': 'maxBatchSize',
  'batch-throttle-qps': 'throttleQPS',
  'batch-throttle-burst': 'throttleBurst',
  'truncate-max-event-size': 'truncateMaxEventSize',
  'truncate-max-batch-size': 'truncateMaxBatchSize',
};
const booleanFields: Record<string, keyof BackendSettings> = {
  'batch-throttle-enable': 'throttleEnable',
  'truncate-enabled': 'truncateEnabled',
};
const durationFields: Record<string, keyof BackendSettings> = {
  'batch-max-wait': 'maxBatchWait',
  'initial-backoff': 'initialBackoff',
  'batch-initial-backoff': 'initialBackoff',
};
/** Audit flags that exist but do not affect batching (accepted and ignored here). */
const otherAuditFlags = new Set(['path', 'maxage', 'maxbackup', 'maxsize', 'compress', 'format', 'version', 'config-file']);

/**
 * Reads `--audit-log-*` and `--audit-webhook-*` arguments (`--flag=value` or `--flag value`) on top
 * of the defaults, so the traps in a running configuration can be reported by {@link reviewSettings}.
 */
export function parseAuditFlags(args: readonly string[]): ParsedAuditFlags {
  const result: ParsedAuditFlags = { log: defaultSettings('log'), webhook: defaultSettings('webhook'), mentioned: [], problems: [] };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    const match = /^--audit-(log|webhook)-([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) continue;
    const backend = match[1] as AuditBackendKind;
    const name = match[2]!;
    let value = match[3];
    if (value === undefined) {
      const following = args[i + 1];
      const isBoolean = name in booleanFields;
      if (following !== undefined && !following.startsWith('--') && (!isBoolean || following === 'true' || following === 'false')) {
        value = following;
        i += 1;
      } else if (isBoolean) {
        value = 'true';
      }
    }
    if (!result.mentioned.includes(backend)) result.mentioned.push(backend);
    const settings = result[backend];
    const flag = `--audit-${backend}-${name}`;
    if (name === 'mode') {
      if (value === 'batch' || value === 'blocking' || value === 'blocking-strict') settings.mode = value;
      else result.problems.push({ flag, message: `mode "${value ?? ''}" is not batch, blocking or blocking-strict` });
    } else if (name in numericFields) {
      const number = Number(value);
      if (value === undefined || value === '' || !Number.isFinite(number)) result.problems.push({ flag, message: `"${value ?? ''}" is not a number` });
      else (settings as unknown as Record<string, number>)[numericFields[name]!] = number;
    } else if (name in booleanFields) {
      if (value === 'true' || value === 'false') (settings as unknown as Record<string, boolean>)[booleanFields[name]!] = value === 'true';
      else result.problems.push({ flag, message: `"${value ?? ''}" is not true or false` });
    } else if (name in durationFields) {
      const seconds = value === undefined ? undefined : parseGoDuration(value);
      if (seconds === undefined) result.problems.push({ flag, message: `"${value ?? ''}" is not a Go duration such as 10s or 1m30s` });
      else (settings as unknown as Record<string, number>)[durationFields[name]!] = seconds;
    } else if (!otherAuditFlags.has(name)) {
      result.problems.push({ flag, message: 'not a kube-apiserver audit flag' });
    }
  }
  return result;
}

/** One finding about a set of backend settings or a tuning input. */
export interface TuneCaveat {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  fix?: string;
}

/**
 * The known traps in `settings` for `backend`, independent of any load: the spinning batch loop,
 * blocking webhooks, uncapped POST sizes, values the apiserver rejects at start-up.
 */
export function reviewSettings(backend: AuditBackendKind, settings: BackendSettings): TuneCaveat[] {
  const prefix = `--audit-${backend}`;
  const caveats: TuneCaveat[] = [];
  if (settings.mode === 'batch') {
    if (!(settings.bufferSize > 0)) caveats.push({ code: 'invalid-buffer-size', severity: 'error', message: `${prefix}-batch-buffer-size must be > 0; the apiserver refuses to start`, fix: 'set a positive buffer size' });
    if (!(settings.maxBatchSize > 0)) caveats.push({ code: 'invalid-max-size', severity: 'error', message: `${prefix}-batch-max-size must be > 0; the apiserver refuses to start`, fix: 'set a positive batch size' });
    if (settings.throttleEnable && !(settings.throttleQPS > 0 && settings.throttleBurst > 0)) {
      caveats.push({ code: 'invalid-throttle', severity: 'error', message: `with throttling on, ${prefix}-batch-throttle-qps and -burst must be > 0; the apiserver refuses to start`, fix: 'set both to positive values or disable throttling' });
    }
    if (settings.maxBatchSize > 1 && settings.maxBatchWait <= 0) {
      caveats.push({
        code: 'busy-loop',
        severity: 'warning',
        message: `${prefix}-batch-max-size=${settings.maxBatchSize} with ${prefix}-batch-max-wait=0s makes the batching goroutine reset a zero timer on every pass and spin a CPU core, sending tiny batches`,
        fix: `set ${prefix}-batch-max-wait to a positive duration such as 1s (the log backend's default is 0s, harmless only while max-size is 1)`,
      });
    }
    if (backend === 'webhook' && !settings.throttleEnable) {
      caveats.push({ code: 'unthrottled-webhook', severity: 'info', message: 'without throttling the webhook sends batches as fast as they fill and the number of sending goroutines is unbounded', fix: `enable ${prefix}-batch-throttle-enable unless the receiver can absorb any rate` });
    }
  } else if (backend === 'webhook') {
    const window = retryWindow(settings.initialBackoff);
    caveats.push({
      code: 'blocking-webhook',
      severity: 'warning',
      message: `${prefix}-mode=${settings.mode} runs the webhook call, with all its retries, inside every request for every audited stage: up to ${Math.round(window.worstCase)} s when the receiver is down, far past the apiserver's 60 s request timeout`,
      fix: `use ${prefix}-mode=batch`,
    });
  }
  if (settings.truncateMaxEventSize <= 0) caveats.push({ code: 'invalid-truncate-event-size', severity: 'error', message: `${prefix}-truncate-max-event-size must be > 0 (checked even when truncation is off)`, fix: 'use the default 102400' });
  if (settings.truncateMaxBatchSize < settings.truncateMaxEventSize) {
    caveats.push({ code: 'invalid-truncate-batch-size', severity: 'error', message: `${prefix}-truncate-max-batch-size (${settings.truncateMaxBatchSize}) must be >= truncate-max-event-size (${settings.truncateMaxEventSize}); checked even when truncation is off`, fix: 'raise the batch size or lower the event size' });
  }
  if (backend === 'webhook' && settings.mode === 'batch') {
    const cap = settings.truncateEnabled ? settings.maxBatchSize * settings.truncateMaxEventSize : undefined;
    caveats.push({
      code: 'post-size',
      severity: 'info',
      message:
        cap === undefined
          ? 'with truncation off nothing limits the size of one webhook POST'
          : `one webhook POST can reach ${settings.maxBatchSize} × ${settings.truncateMaxEventSize} B ≈ ${formatBytes(cap)}: truncate-max-batch-size does not cap it, because truncation runs before batching and sees one event at a time`,
      fix: 'make sure the receiver accepts bodies of that size, or lower batch-max-size',
    });
  }
  return caveats;
}

/** Bytes in binary units, rounded for reading (`40 MiB`). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number(value.toFixed(value >= 100 || unit === 0 ? 0 : 1))} ${units[unit]}`;
}

// The kube-apiserver audit flags: what exists in which Kubernetes version, what the defaults are,
// and which combinations the apiserver rejects or mishandles. Every aggregated apiserver built on
// k8s.io/apiserver takes the same flags, so one model serves both.
import type { Problem } from '../problems.js';
import type { KubernetesVersion } from './versions.js';

/** The value types pflag uses for audit flags. `duration` is a Go duration such as `30s` or `1m30s`. */
export type FlagType = 'string' | 'int' | 'int64' | 'float' | 'bool' | 'duration';

/** How a backend hands events over: asynchronous batches, or synchronously inside the request. */
export type AuditMode = 'batch' | 'blocking' | 'blocking-strict';
/** Every mode, in the order the apiserver documents them. */
export const AUDIT_MODES: readonly AuditMode[] = ['batch', 'blocking', 'blocking-strict'];

/** How the log backend writes an event: JSON Lines or the one-line legacy text form. */
export type LogFormat = 'json' | 'legacy';
/** Every log format. */
export const LOG_FORMATS: readonly LogFormat[] = ['json', 'legacy'];

/** One audit flag of kube-apiserver. */
export interface AuditFlagSpec {
  /** The flag name without dashes, e.g. `audit-log-path`. */
  readonly name: string;
  readonly type: FlagType;
  /** First minor version that has the flag. */
  readonly since: number;
  /** Last minor version that has the flag, when it was removed. */
  readonly until?: number;
  /** The default value in a given minor version, as the apiserver prints it. */
  readonly defaultIn: (minor: number) => string;
  /** One line saying what the flag does. */
  readonly summary: string;
}

const always = (value: string) => () => value;

function backendFlags(backend: 'log' | 'webhook', batchSince: number): AuditFlagSpec[] {
  const log = backend === 'log';
  return [
    {
      name: `audit-${backend}-batch-buffer-size`, type: 'int', since: batchSince, defaultIn: always('10000'),
      summary: 'events held before batching; events arriving when it is full are dropped',
    },
    {
      name: `audit-${backend}-batch-max-size`, type: 'int', since: batchSince, defaultIn: always(log ? '1' : '400'),
      summary: 'most events in one batch',
    },
    {
      name: `audit-${backend}-batch-max-wait`, type: 'duration', since: batchSince, defaultIn: always(log ? '0s' : '30s'),
      summary: 'longest time a batch is collected before it is sent',
    },
    {
      name: `audit-${backend}-batch-throttle-enable`, type: 'bool', since: batchSince,
      defaultIn: always(log ? 'false' : 'true'), summary: 'whether batches are rate limited',
    },
    {
      name: `audit-${backend}-batch-throttle-qps`, type: 'float', since: batchSince, defaultIn: always(log ? '0' : '10'),
      summary: 'average batches per second when throttled',
    },
    {
      name: `audit-${backend}-batch-throttle-burst`, type: 'int', since: batchSince, defaultIn: always(log ? '0' : '15'),
      summary: 'batches sent back to back when throttled and idle before',
    },
    {
      name: `audit-${backend}-truncate-enabled`, type: 'bool', since: 11, defaultIn: always('false'),
      summary: 'whether oversized events and batches are truncated',
    },
    {
      name: `audit-${backend}-truncate-max-batch-size`, type: 'int64', since: 11, defaultIn: always('10485760'),
      summary: 'largest batch in bytes handed to the backend',
    },
    {
      name: `audit-${backend}-truncate-max-event-size`, type: 'int64', since: 11, defaultIn: always('102400'),
      summary: 'largest event in bytes; bodies are dropped first, then the event',
    },
    {
      name: `audit-${backend}-version`, type: 'string', since: 11,
      defaultIn: (minor) => (minor >= 13 ? 'audit.k8s.io/v1' : 'audit.k8s.io/v1beta1'),
      summary: 'API group/version the events are serialized in',
    },
  ];
}

/** Every audit flag kube-apiserver has had from 1.8 to 1.36, in the order k8s-gen emits them. */
export const AUDIT_FLAGS: readonly AuditFlagSpec[] = [
  { name: 'audit-policy-file', type: 'string', since: 8, defaultIn: always(''), summary: 'the audit policy; without it nothing is audited' },
  { name: 'audit-log-path', type: 'string', since: 8, defaultIn: always(''), summary: 'enables the log backend; `-` writes to stdout' },
  { name: 'audit-log-format', type: 'string', since: 8, defaultIn: always('json'), summary: '`json` (JSON Lines) or `legacy` (one text line per event)' },
  { name: 'audit-log-maxage', type: 'int', since: 8, defaultIn: (m) => (m >= 36 ? '366' : '0'), summary: 'days to keep rotated files; 0 keeps them forever' },
  { name: 'audit-log-maxbackup', type: 'int', since: 8, defaultIn: (m) => (m >= 36 ? '100' : '0'), summary: 'rotated files to keep; 0 keeps all' },
  { name: 'audit-log-maxsize', type: 'int', since: 8, defaultIn: (m) => (m >= 36 ? '100' : '0'), summary: 'MiB before the file is rotated' },
  { name: 'audit-log-compress', type: 'bool', since: 20, defaultIn: always('false'), summary: 'gzip rotated files' },
  { name: 'audit-log-mode', type: 'string', since: 10, defaultIn: always('blocking'), summary: 'batch, blocking or blocking-strict' },
  ...backendFlags('log', 10),
  { name: 'audit-webhook-config-file', type: 'string', since: 8, defaultIn: always(''), summary: 'kubeconfig of the webhook; enables the webhook backend' },
  { name: 'audit-webhook-initial-backoff', type: 'duration', since: 10, defaultIn: always('10s'), summary: 'wait before the first retry of a failed request' },
  { name: 'audit-webhook-batch-initial-backoff', type: 'duration', since: 9, defaultIn: always('10s'), summary: 'the 1.9 name of the initial backoff, a deprecated alias from 1.10 on' },
  { name: 'audit-webhook-mode', type: 'string', since: 8, defaultIn: always('batch'), summary: 'batch, blocking or blocking-strict' },
  ...backendFlags('webhook', 9),
  { name: 'audit-dynamic-configuration', type: 'bool', since: 13, until: 18, defaultIn: always('false'), summary: 'enables AuditSink objects (removed in 1.19)' },
];

const FLAG_BY_NAME = new Map(AUDIT_FLAGS.map((flag) => [flag.name, flag]));

/** Looks up a flag's spec by name (without dashes). */
export function auditFlagSpec(name: string): AuditFlagSpec | undefined {
  return FLAG_BY_NAME.get(name);
}

/** Whether a flag exists in a given minor version. */
export function flagExistsIn(spec: AuditFlagSpec, minor: number): boolean {
  return minor >= spec.since && (spec.until === undefined || minor <= spec.until);
}

/** Settings of the buffered backend; they take effect only in `batch` mode. */
export interface BatchOptions {
  /** Events held before batching (default 10000); overflowing events are dropped. */
  bufferSize?: number;
  /** Most events in one batch (default: log 1, webhook 400). */
  maxSize?: number;
  /** Go duration a batch is collected at most (default: log `0s`, webhook `30s`). */
  maxWait?: string;
  /** Rate limit batches (default: log off, webhook on). */
  throttleEnable?: boolean;
  /** Average batches per second when throttled (default: webhook 10). */
  throttleQps?: number;
  /** Batches sent back to back when throttled (default: webhook 15). */
  throttleBurst?: number;
}

/** Truncation of large events and batches (1.11+). */
export interface TruncateOptions {
  /** Turn truncation on (default off). */
  enabled?: boolean;
  /** Largest batch in bytes (default 10485760); must be at least `maxEventSize`. */
  maxBatchSize?: number;
  /** Largest event in bytes (default 102400). */
  maxEventSize?: number;
}

/** Options shared by the log and the webhook backend. */
export interface BackendOptions {
  /** How events are handed over (default: log `blocking`, webhook `batch`). */
  mode?: AuditMode;
  /** Buffering settings; only valid with `mode: 'batch'`. */
  batch?: BatchOptions;
  /** Truncation settings. */
  truncate?: TruncateOptions;
  /** Event API version, e.g. `audit.k8s.io/v1` (1.11+). */
  version?: string;
}

/** The log backend's flags. */
export interface LogFlagOptions extends BackendOptions {
  /** The file events are appended to; `-` writes them to the apiserver's stdout. */
  path: string;
  /** Days to keep rotated files. */
  maxAge?: number;
  /** Number of rotated files to keep. */
  maxBackup?: number;
  /** MiB before rotation. Up to 1.35, 0 means 100 MiB; from 1.36 it turns rotation off. */
  maxSize?: number;
  /** gzip rotated files (1.20+). */
  compress?: boolean;
  /** Event format (default `json`). */
  format?: LogFormat;
}

/** The webhook backend's flags. */
export interface WebhookFlagOptions extends BackendOptions {
  /** Where the apiserver reads the webhook kubeconfig. */
  configFile: string;
  /** Go duration before the first retry (default `10s`). */
  initialBackoff?: string;
}

/** Everything that decides an apiserver's audit flags. */
export interface AuditFlagOptions {
  /** Where the apiserver reads the policy. Without it the apiserver audits nothing. */
  policyFile?: string;
  log?: LogFlagOptions;
  webhook?: WebhookFlagOptions;
  /** Enable AuditSink objects (1.13 to 1.18), with the feature gate and runtime-config they need. */
  dynamic?: boolean;
}

/** One flag as it is passed to the apiserver. */
export interface Flag {
  /** Name without dashes, e.g. `audit-log-path`. */
  readonly name: string;
  readonly value: string;
}

/** The flags and what is wrong with the options that produced them. */
export interface AuditFlagsResult {
  readonly flags: readonly Flag[];
  readonly problems: readonly Problem[];
}

const GO_DURATION = /^(?:0|(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)$/;
const DURATION_UNITS_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Converts a Go duration (`1m30s`) to nanoseconds; `undefined` if it is not one. */
export function parseGoDuration(text: string): number | undefined {
  if (!GO_DURATION.test(text)) return undefined;
  if (text === '0') return 0;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(amount) * (DURATION_UNITS_NS[unit as string] as number);
  }
  return total;
}

function formatFlagValue(value: string | number | boolean): string {
  return typeof value === 'string' ? value : String(value);
}

/**
 * Builds the audit flags for one apiserver and checks them the way kube-apiserver does at start-up,
 * plus the traps it does not catch (a spinning batch loop, flags that exist only in other versions,
 * settings that are silently ignored). Only the settings you give are emitted, so the apiserver's
 * own defaults apply to the rest.
 *
 * @example
 * const { flags, problems } = auditFlags(
 *   { policyFile: '/etc/kubernetes/audit-policy.yaml', log: { path: '/var/log/kube-audit', format: 'json' } },
 *   { text: '1.20', minor: 20 },
 * );
 * // flags: audit-policy-file, audit-log-path, audit-log-format
 */
export function auditFlags(options: AuditFlagOptions, version: KubernetesVersion): AuditFlagsResult {
  const flags: Flag[] = [];
  const problems: Problem[] = [];
  const minor = version.minor;
  const error = (code: string, path: string, message: string, fix: string) =>
    problems.push({ severity: 'error', code, path, message, fix });
  const warning = (code: string, path: string, message: string, fix: string) =>
    problems.push({ severity: 'warning', code, path, message, fix });

  const set = (name: string, path: string, value: string | number | boolean | undefined) => {
    if (value === undefined) return;
    const spec = FLAG_BY_NAME.get(name);
    if (!spec) throw new Error(`k8s-gen bug: unknown audit flag ${name}`);
    if (!flagExistsIn(spec, minor)) {
      const range = spec.until === undefined ? `from 1.${spec.since} on` : `in 1.${spec.since} to 1.${spec.until} only`;
      error('flag-not-in-version', path, `--${name} exists ${range}, not in Kubernetes ${version.text}`,
        `remove ${path} or target a Kubernetes version that has --${name}`);
      return;
    }
    if (spec.type === 'int' || spec.type === 'int64') {
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        error('flag-not-integer', path, `--${name} takes a whole number, got ${JSON.stringify(value)}`, `set ${path} to an integer`);
        return;
      }
    }
    if (spec.type === 'float' && (typeof value !== 'number' || !Number.isFinite(value))) {
      error('flag-not-number', path, `--${name} takes a number, got ${JSON.stringify(value)}`, `set ${path} to a number`);
      return;
    }
    if (spec.type === 'duration' && (typeof value !== 'string' || parseGoDuration(value) === undefined)) {
      error('flag-not-duration', path, `--${name} takes a Go duration such as 30s or 1m30s, got ${JSON.stringify(value)}`,
        `write ${path} as a Go duration, e.g. '10s'`);
      return;
    }
    flags.push({ name, value: formatFlagValue(value) });
  };

  if (options.policyFile !== undefined) set('audit-policy-file', 'policyFile', options.policyFile);
  if ((options.log || options.webhook) && !options.policyFile) {
    error('no-policy-file', 'policyFile', 'log or webhook backends are configured but there is no --audit-policy-file, so the apiserver audits nothing',
      'add an audit policy (policyFile) for this apiserver');
  }

  if (options.log) addLogFlags(options.log, minor, set, error, warning);
  if (options.webhook) addWebhookFlags(options.webhook, minor, set, error, warning);

  if (options.dynamic) {
    if (minor < 13 || minor > 18) {
      error('dynamic-not-in-version', 'dynamic',
        `dynamic audit (AuditSink) exists only in Kubernetes 1.13 to 1.18; it was removed in 1.19 and ${version.text} does not have it`,
        'use a webhook backend (--audit-webhook-config-file) instead, or target Kubernetes 1.13 to 1.18');
    } else {
      set('audit-dynamic-configuration', 'dynamic', true);
      flags.push({ name: 'feature-gates', value: 'DynamicAuditing=true' });
      flags.push({ name: 'runtime-config', value: 'auditregistration.k8s.io/v1alpha1=true' });
    }
  }
  return { flags, problems };
}

type SetFlag = (name: string, path: string, value: string | number | boolean | undefined) => void;
type Report = (code: string, path: string, message: string, fix: string) => void;

function addLogFlags(log: LogFlagOptions, minor: number, set: SetFlag, error: Report, warning: Report): void {
  if (log.path === '') {
    error('empty-log-path', 'log.path', 'the audit log path is empty, which turns the log backend off', "set log.path to a file, or '-' for stdout");
  }
  set('audit-log-path', 'log.path', log.path);
  if (log.format !== undefined && !LOG_FORMATS.includes(log.format)) {
    error('log-format', 'log.format', `--audit-log-format must be json or legacy, got ${JSON.stringify(log.format)}`, "set log.format to 'json' or 'legacy'");
  } else {
    set('audit-log-format', 'log.format', log.format);
  }
  for (const [key, flag] of [['maxAge', 'audit-log-maxage'], ['maxBackup', 'audit-log-maxbackup'], ['maxSize', 'audit-log-maxsize']] as const) {
    const value = log[key];
    if (value !== undefined && value < 0) {
      error('negative-rotation', `log.${key}`, `--${flag} must be 0 or more, got ${value}`, `set log.${key} to 0 or more`);
    } else {
      set(flag, `log.${key}`, value);
    }
  }
  if (log.maxSize === 0 && minor <= 35) {
    warning('maxsize-zero', 'log.maxSize', 'up to 1.35, --audit-log-maxsize=0 rotates at 100 MiB (lumberjack\'s default); it does not turn rotation off',
      'set log.maxSize to the size you want, e.g. 2000000000 to practically never rotate');
  }
  set('audit-log-compress', 'log.compress', log.compress);
  if (log.path === '-' && (log.maxAge !== undefined || log.maxBackup !== undefined || log.maxSize !== undefined || log.compress !== undefined)) {
    warning('stdout-rotation', 'log', 'the log goes to stdout, so rotation and compression settings have no effect',
      'remove maxAge, maxBackup, maxSize and compress, or write the log to a file');
  }
  addBackendFlags('log', log, minor, set, error, warning);
}

function addWebhookFlags(webhook: WebhookFlagOptions, minor: number, set: SetFlag, error: Report, warning: Report): void {
  set('audit-webhook-config-file', 'webhook.configFile', webhook.configFile);
  // 1.9 only knew the batch- name; later versions keep it as a deprecated alias.
  set(minor === 9 ? 'audit-webhook-batch-initial-backoff' : 'audit-webhook-initial-backoff', 'webhook.initialBackoff', webhook.initialBackoff);
  addBackendFlags('webhook', webhook, minor, set, error, warning);
  const mode = webhook.mode ?? 'batch';
  if (mode !== 'batch') {
    warning('blocking-webhook', 'webhook.mode',
      `in ${mode} mode every audited request waits for the webhook, up to 5 attempts of 30 s plus the backoff, far beyond the 60 s request timeout`,
      "use mode 'batch' unless losing events is worse than failing requests");
  }
}

function addBackendFlags(backend: 'log' | 'webhook', options: BackendOptions, minor: number, set: SetFlag, error: Report, warning: Report): void {
  const log = backend === 'log';
  const mode = options.mode ?? (log ? 'blocking' : 'batch');
  if (!AUDIT_MODES.includes(mode)) {
    error('mode', `${backend}.mode`, `--audit-${backend}-mode must be batch, blocking or blocking-strict, got ${JSON.stringify(mode)}`,
      `set ${backend}.mode to one of batch, blocking, blocking-strict`);
  } else if (mode === 'blocking-strict' && minor < 13) {
    error('flag-not-in-version', `${backend}.mode`, 'blocking-strict mode exists from 1.13 on', `use 'blocking', or target 1.13 or later`);
  } else {
    set(`audit-${backend}-mode`, `${backend}.mode`, options.mode);
  }

  const batch = options.batch ?? {};
  const batchKeys = Object.keys(batch).filter((key) => batch[key as keyof BatchOptions] !== undefined);
  if (batchKeys.length > 0 && mode !== 'batch') {
    error('batch-only', `${backend}.batch`,
      `${batchKeys.map((k) => `${backend}.batch.${k}`).join(', ')} only take effect in batch mode, but ${backend}.mode is ${mode}`,
      `set ${backend}.mode to 'batch' or remove ${backend}.batch`);
  } else if (mode === 'batch') {
    const maxSize = batch.maxSize ?? (log ? 1 : 400);
    const maxWait = batch.maxWait ?? (log ? '0s' : '30s');
    for (const [key, value] of [['bufferSize', batch.bufferSize], ['maxSize', batch.maxSize]] as const) {
      if (value !== undefined && value <= 0) {
        error('batch-positive', `${backend}.batch.${key}`, `${backend}.batch.${key} must be more than 0, got ${value}`, `set ${backend}.batch.${key} to 1 or more`);
      }
    }
    if (maxSize > 1 && parseGoDuration(maxWait) === 0) {
      error('batch-busy-loop', `${backend}.batch.maxWait`,
        `with batch max size ${maxSize} and max wait 0 the apiserver's batching loop spins on a zero timer${batch.maxWait === undefined ? ` (0s is the ${backend} default)` : ''}`,
        `set ${backend}.batch.maxWait to a positive duration such as '5s'`);
    }
    const throttled = batch.throttleEnable ?? !log;
    if (throttled) {
      const qps = batch.throttleQps ?? (log ? 0 : 10);
      const burst = batch.throttleBurst ?? (log ? 0 : 15);
      if (!(qps > 0)) error('throttle-qps', `${backend}.batch.throttleQps`, `throttling is on but the QPS is ${qps}; it must be more than 0`, `set ${backend}.batch.throttleQps above 0 or turn throttling off`);
      if (!(burst > 0)) error('throttle-burst', `${backend}.batch.throttleBurst`, `throttling is on but the burst is ${burst}; it must be more than 0`, `set ${backend}.batch.throttleBurst to 1 or more or turn throttling off`);
    } else if (batch.throttleQps !== undefined || batch.throttleBurst !== undefined) {
      warning('throttle-off', `${backend}.batch`, 'throttle QPS or burst is set but throttling is off, so they have no effect',
        `set ${backend}.batch.throttleEnable to true or remove the throttle settings`);
    }
    set(`audit-${backend}-batch-buffer-size`, `${backend}.batch.bufferSize`, batch.bufferSize);
    set(`audit-${backend}-batch-max-size`, `${backend}.batch.maxSize`, batch.maxSize);
    set(`audit-${backend}-batch-max-wait`, `${backend}.batch.maxWait`, batch.maxWait);
    set(`audit-${backend}-batch-throttle-enable`, `${backend}.batch.throttleEnable`, batch.throttleEnable);
    set(`audit-${backend}-batch-throttle-qps`, `${backend}.batch.throttleQps`, batch.throttleQps);
    set(`audit-${backend}-batch-throttle-burst`, `${backend}.batch.throttleBurst`, batch.throttleBurst);
  }

  const truncate = options.truncate ?? {};
  const maxEvent = truncate.maxEventSize ?? 102400;
  const maxBatch = truncate.maxBatchSize ?? 10485760;
  if (maxEvent <= 0) {
    error('truncate-event-size', `${backend}.truncate.maxEventSize`, `the truncate max event size must be more than 0, got ${maxEvent}`, `set ${backend}.truncate.maxEventSize to a positive byte count`);
  } else if (maxBatch < maxEvent) {
    error('truncate-batch-smaller', `${backend}.truncate.maxBatchSize`,
      `the truncate max batch size (${maxBatch} bytes) is smaller than the max event size (${maxEvent} bytes); the apiserver refuses to start`,
      `set ${backend}.truncate.maxBatchSize to at least ${maxEvent}`);
  }
  set(`audit-${backend}-truncate-enabled`, `${backend}.truncate.enabled`, truncate.enabled);
  set(`audit-${backend}-truncate-max-batch-size`, `${backend}.truncate.maxBatchSize`, truncate.maxBatchSize);
  set(`audit-${backend}-truncate-max-event-size`, `${backend}.truncate.maxEventSize`, truncate.maxEventSize);

  if (options.version !== undefined) {
    const known = minor >= 24 ? ['audit.k8s.io/v1'] : minor >= 12 ? ['audit.k8s.io/v1', 'audit.k8s.io/v1beta1', 'audit.k8s.io/v1alpha1'] : ['audit.k8s.io/v1beta1', 'audit.k8s.io/v1alpha1'];
    if (!known.includes(options.version)) {
      error('event-version', `${backend}.version`, `${options.version} is not an audit event version of Kubernetes 1.${minor} (${known.join(', ')})`,
        `set ${backend}.version to ${known[0]}`);
    } else {
      set(`audit-${backend}-version`, `${backend}.version`, options.version);
    }
  }
}

/**
 * Renders flags as command-line arguments, `--name=value`, in the given order.
 *
 * @example
 * flagsToArgs([{ name: 'audit-log-path', value: '-' }]) // ['--audit-log-path=-']
 */
export function flagsToArgs(flags: readonly Flag[]): string[] {
  return flags.map((flag) => `--${flag.name}=${flag.value}`);
}

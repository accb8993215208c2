/**
 * Every audit flag kube-apiserver has had from 1.8 to 1.36: when it appeared or went away, its
 * default in each release, and the setting of `AuditSettings` it carries. Every aggregated
 * apiserver built on k8s.io/apiserver takes the same flags. Facts from the `kubernetes/apiserver`
 * release tags (`pkg/server/options/audit.go`).
 */
import { NEWEST_KUBERNETES_MINOR, type KubernetesVersionRange } from '@k8s-gen/runtime';
import type { AuditBackend, AuditMode, SettingValue } from './settings.js';

/** The oldest release with these flags (advanced auditing arrived in 1.8). */
export const OLDEST_AUDIT_FLAGS_MINOR = 8;
/** The newest release the catalogue describes. */
export const NEWEST_AUDIT_FLAGS_MINOR = NEWEST_KUBERNETES_MINOR;

/**
 * The releases the flag model knows, for `parseKubernetesVersion` of `@k8s-gen/runtime`.
 *
 * @example
 * ```ts
 * parseKubernetesVersion('v1.20.2', AUDIT_FLAGS_RANGE); // { ok: true, version: { text: 'v1.20.2', minor: 20, patch: 2 } }
 * ```
 */
export const AUDIT_FLAGS_RANGE: KubernetesVersionRange = { oldest: OLDEST_AUDIT_FLAGS_MINOR, newest: NEWEST_AUDIT_FLAGS_MINOR, subject: 'the kube-apiserver audit flags' };

/**
 * What a flag's value is, which decides how it is checked, read and written: pflag's types
 * (`int` and `int64` whole numbers, `float32`, `bool`, `duration`) and the strings that name
 * something (a path on the node, a mode, a log format, an event API version).
 */
export type FlagValueKind = 'path' | 'mode' | 'log-format' | 'event-version' | 'int' | 'int64' | 'float32' | 'bool' | 'duration';

/** One audit flag of kube-apiserver. */
export interface AuditFlagSpec {
  /** The name without dashes, e.g. `audit-log-path`. */
  readonly name: string;
  readonly kind: FlagValueKind;
  /** Where the value lives in `AuditSettings`, e.g. `log.batch.maxSize`. */
  readonly setting: string;
  /** First minor release that has the flag. */
  readonly since: number;
  /** Last minor release that has the flag, when it was removed. */
  readonly until?: number;
  /** From this minor on the flag is a deprecated alias of another flag with the same setting. */
  readonly deprecatedFrom?: number;
  /** The default in a given minor release. */
  readonly defaultIn: (minor: number) => SettingValue;
  /** What the flag does, in one line. */
  readonly summary: string;
}

const always = (value: SettingValue) => (): SettingValue => value;

function backendFlags(backend: AuditBackend): AuditFlagSpec[] {
  const log = backend === 'log';
  // The log backend got batching in 1.10; its batch defaults were the webhook's (throttle off)
  // until 1.12 made them one event per batch with no timer.
  const batchSince = log ? 10 : 9;
  const logBatch = (early: SettingValue, later: SettingValue) => (minor: number) => (minor <= 11 ? early : later);
  const at = `${backend}.batch`;
  return [
    { name: `audit-${backend}-mode`, kind: 'mode', setting: `${backend}.mode`, since: log ? 10 : 8, defaultIn: always(log ? 'blocking' : 'batch'), summary: 'batch, blocking or blocking-strict (1.13+)' },
    { name: `audit-${backend}-batch-buffer-size`, kind: 'int', setting: `${at}.bufferSize`, since: batchSince, defaultIn: always(10000), summary: 'events held before batching; events arriving when it is full are dropped' },
    { name: `audit-${backend}-batch-max-size`, kind: 'int', setting: `${at}.maxSize`, since: batchSince, defaultIn: log ? logBatch(400, 1) : always(400), summary: 'most events in one batch' },
    { name: `audit-${backend}-batch-max-wait`, kind: 'duration', setting: `${at}.maxWait`, since: batchSince, defaultIn: log ? logBatch('30s', '0s') : always('30s'), summary: 'longest time a batch is collected before it is sent' },
    { name: `audit-${backend}-batch-throttle-enable`, kind: 'bool', setting: `${at}.throttleEnable`, since: 10, defaultIn: always(!log), summary: 'whether batches are rate limited (always on in 1.9)' },
    { name: `audit-${backend}-batch-throttle-qps`, kind: 'float32', setting: `${at}.throttleQps`, since: batchSince, defaultIn: log ? logBatch(10, 0) : always(10), summary: 'average batches per second when throttled' },
    { name: `audit-${backend}-batch-throttle-burst`, kind: 'int', setting: `${at}.throttleBurst`, since: batchSince, defaultIn: log ? logBatch(15, 0) : always(15), summary: 'batches sent back to back after a quiet period when throttled' },
    { name: `audit-${backend}-truncate-enabled`, kind: 'bool', setting: `${backend}.truncate.enabled`, since: 11, defaultIn: always(false), summary: 'whether oversized events are truncated' },
    { name: `audit-${backend}-truncate-max-batch-size`, kind: 'int64', setting: `${backend}.truncate.maxBatchSize`, since: 11, defaultIn: always(10485760), summary: 'largest batch in bytes handed to the backend' },
    { name: `audit-${backend}-truncate-max-event-size`, kind: 'int64', setting: `${backend}.truncate.maxEventSize`, since: 11, defaultIn: always(102400), summary: 'largest event in bytes; bodies are dropped first, then the event' },
    { name: `audit-${backend}-version`, kind: 'event-version', setting: `${backend}.version`, since: 11, defaultIn: (minor) => (minor >= 13 ? 'audit.k8s.io/v1' : 'audit.k8s.io/v1beta1'), summary: 'API group/version events are written in' },
  ];
}

const [logMode, ...logBatchAndTruncate] = backendFlags('log');
const [webhookMode, ...webhookBatchAndTruncate] = backendFlags('webhook');

/** Every audit flag from 1.8 to 1.36, in the order k8s-gen writes them. */
export const AUDIT_FLAGS: readonly AuditFlagSpec[] = [
  { name: 'audit-policy-file', kind: 'path', setting: 'policyFile', since: 8, defaultIn: always(''), summary: 'the audit policy; without it nothing is audited' },
  { name: 'audit-log-path', kind: 'path', setting: 'log.path', since: 8, defaultIn: always(''), summary: 'enables the log backend; `-` writes to stdout' },
  { name: 'audit-log-format', kind: 'log-format', setting: 'log.format', since: 8, defaultIn: always('json'), summary: '`json` (JSON Lines) or `legacy` (one text line per event)' },
  { name: 'audit-log-maxage', kind: 'int', setting: 'log.maxAge', since: 8, defaultIn: (m) => (m >= 36 ? 366 : 0), summary: 'days to keep rotated files; 0 keeps them forever' },
  { name: 'audit-log-maxbackup', kind: 'int', setting: 'log.maxBackup', since: 8, defaultIn: (m) => (m >= 36 ? 100 : 0), summary: 'rotated files to keep; 0 keeps all' },
  { name: 'audit-log-maxsize', kind: 'int', setting: 'log.maxSize', since: 8, defaultIn: (m) => (m >= 36 ? 100 : 0), summary: 'MiB before the file is rotated; 0 is 100 MiB up to 1.35 and no rotation from 1.36' },
  { name: 'audit-log-compress', kind: 'bool', setting: 'log.compress', since: 20, defaultIn: always(false), summary: 'gzip rotated files' },
  logMode!,
  ...logBatchAndTruncate,
  { name: 'audit-webhook-config-file', kind: 'path', setting: 'webhook.kubeconfigPath', since: 8, defaultIn: always(''), summary: 'kubeconfig of the webhook; enables the webhook backend' },
  { name: 'audit-webhook-initial-backoff', kind: 'duration', setting: 'webhook.initialBackoff', since: 10, defaultIn: always('10s'), summary: 'wait before the first retry of a failed batch' },
  { name: 'audit-webhook-batch-initial-backoff', kind: 'duration', setting: 'webhook.initialBackoff', since: 9, deprecatedFrom: 10, defaultIn: always('10s'), summary: 'the 1.9 name of the initial backoff; a deprecated alias from 1.10 on' },
  webhookMode!,
  ...webhookBatchAndTruncate,
  { name: 'audit-dynamic-configuration', kind: 'bool', setting: 'dynamic', since: 13, until: 18, defaultIn: always(false), summary: 'enables AuditSink objects (removed in 1.19)' },
];

/**
 * Dynamic audit (AuditSink objects, 1.13 to 1.18) needs its flag, an alpha feature gate and the
 * `auditregistration.k8s.io/v1alpha1` API switched on; without the gate the apiserver refuses to
 * start, without the API nobody can create an AuditSink.
 */
export const DYNAMIC_AUDIT = {
  flag: 'audit-dynamic-configuration',
  featureGate: 'DynamicAuditing',
  runtimeConfig: 'auditregistration.k8s.io/v1alpha1',
  since: 13,
  until: 18,
} as const;

const FLAG_BY_NAME = new Map(AUDIT_FLAGS.map((flag) => [flag.name, flag]));

/**
 * Looks up a flag by name (without dashes).
 *
 * @example
 * ```ts
 * auditFlagSpec('audit-log-compress')?.since; // 20
 * ```
 */
export function auditFlagSpec(name: string): AuditFlagSpec | undefined {
  return FLAG_BY_NAME.get(name);
}

/**
 * Whether a flag exists in a minor release.
 *
 * @example
 * ```ts
 * flagExistsIn(auditFlagSpec('audit-dynamic-configuration')!, 19); // false
 * ```
 */
export function flagExistsIn(spec: AuditFlagSpec, minor: number): boolean {
  return minor >= spec.since && (spec.until === undefined || minor <= spec.until);
}

/**
 * The releases a flag exists in, in words.
 *
 * @example
 * ```ts
 * flagReleases(auditFlagSpec('audit-dynamic-configuration')!); // 'in 1.13 to 1.18 only'
 * ```
 */
export function flagReleases(spec: Pick<AuditFlagSpec, 'since' | 'until'>): string {
  return spec.until === undefined ? `from 1.${spec.since} on` : `in 1.${spec.since} to 1.${spec.until} only`;
}

/**
 * The flag that carries a setting in a minor release: the current name, not a deprecated alias
 * (`webhook.initialBackoff` is `audit-webhook-batch-initial-backoff` in 1.9 and
 * `audit-webhook-initial-backoff` from 1.10). Without a release, the newest name.
 *
 * @example
 * ```ts
 * flagForSetting('log.batch.maxWait')?.name; // 'audit-log-batch-max-wait'
 * ```
 */
export function flagForSetting(setting: string, minor?: number): AuditFlagSpec | undefined {
  const specs = AUDIT_FLAGS.filter((spec) => spec.setting === setting);
  if (minor === undefined) return specs.find((spec) => spec.deprecatedFrom === undefined) ?? specs[0];
  return (
    specs.find((spec) => flagExistsIn(spec, minor) && (spec.deprecatedFrom === undefined || minor < spec.deprecatedFrom)) ??
    specs.find((spec) => flagExistsIn(spec, minor)) ??
    specs.find((spec) => spec.deprecatedFrom === undefined)
  );
}

/**
 * The apiserver's default of a setting in a minor release.
 *
 * @example
 * ```ts
 * defaultSetting('log.maxAge', 36); // 366
 * ```
 */
export function defaultSetting(setting: string, minor: number): SettingValue | undefined {
  return flagForSetting(setting, minor)?.defaultIn(minor);
}

/**
 * The modes a backend accepts in a minor release (blocking-strict from 1.13).
 *
 * @example
 * ```ts
 * modesIn(12); // ['batch', 'blocking']
 * ```
 */
export function modesIn(minor: number): readonly AuditMode[] {
  return minor >= 13 ? ['batch', 'blocking', 'blocking-strict'] : ['batch', 'blocking'];
}

/**
 * The event API versions `--audit-<backend>-version` accepts in a minor release: v1alpha1 and
 * v1beta1 up to 1.11, v1 joins in 1.12, and from 1.24 only v1 is left. The first is preferred.
 *
 * @example
 * ```ts
 * eventVersionsIn(24); // ['audit.k8s.io/v1']
 * ```
 */
export function eventVersionsIn(minor: number): readonly string[] {
  if (minor >= 24) return ['audit.k8s.io/v1'];
  if (minor >= 12) return ['audit.k8s.io/v1', 'audit.k8s.io/v1beta1', 'audit.k8s.io/v1alpha1'];
  return ['audit.k8s.io/v1beta1', 'audit.k8s.io/v1alpha1'];
}

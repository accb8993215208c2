/**
 * Checks a set of audit settings for one release the way kube-apiserver's `AuditOptions.Validate`
 * does at start-up (those problems say the apiserver refuses to start), plus the traps it lets
 * through: settings it silently ignores, a batch loop that spins, a log that is never written,
 * rotation that does not do what the number suggests, flags of other releases. Every value is also
 * checked for its type and, for paths, with `checkNodePath`, because settings come from
 * JavaScript callers and from argument lists as well as from typed code.
 */
import { checkNodePath, closestName, type KubernetesVersion, type Problem } from '@k8s-gen/runtime';
import {
  AUDIT_FLAGS,
  DYNAMIC_AUDIT,
  defaultSetting,
  eventVersionsIn,
  flagExistsIn,
  flagForSetting,
  flagReleases,
  modesIn,
  type AuditFlagSpec,
} from './catalogue.js';
import { checkGoDuration, parseGoDuration } from './duration.js';
import { LOG_FORMATS, settingAt, SETTING_KEYS, type AuditBackend, type AuditSettings, type SettingValue } from './settings.js';
import { unionBackendProblems } from './union-backend.js';
import { describeRetries } from './webhook-retry.js';

/** Go's float32 range, which `--audit-*-batch-throttle-qps` is parsed into. */
const MAX_FLOAT32 = 3.4028234663852886e38;

const EXAMPLE_PATHS: Readonly<Record<string, string>> = {
  policyFile: '/etc/kubernetes/audit-policy.yaml',
  'log.path': '/var/log/kubernetes/audit/audit.log',
  'webhook.kubeconfigPath': '/etc/kubernetes/audit-webhook-kubeconfig',
};

/** Collects problems; `error` and `warning` add one with the given code, path, message and fix. */
class Findings {
  readonly problems: Problem[] = [];
  error(code: string, path: string, message: string, fix: string): void {
    this.problems.push({ severity: 'error', code, path, message, fix });
  }
  warning(code: string, path: string, message: string, fix: string): void {
    this.problems.push({ severity: 'warning', code, path, message, fix });
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reports keys a level of the settings does not have, with a did-you-mean; false when `value` is not an object. */
function checkKeys(findings: Findings, value: unknown, keys: readonly string[], path: string): value is Record<string, unknown> {
  if (!isObject(value)) {
    findings.error('invalid-type', path, `${path || 'the settings'} must be an object, got ${Array.isArray(value) ? 'a list' : typeof value}`, `give ${path || 'the settings'} as an object with the fields ${keys.join(', ')}`);
    return false;
  }
  for (const key of Object.keys(value)) {
    if (keys.includes(key) || value[key] === undefined) continue;
    const suggestion = closestName(key, keys);
    const where = path === '' ? key : `${path}.${key}`;
    findings.error('unknown-setting', where, `${where} is not an audit setting`, suggestion === undefined ? `remove it; the settings here are ${keys.join(', ')}` : `did you mean ${path === '' ? '' : `${path}.`}${suggestion}?`);
  }
  return true;
}

/** Checks a value against its flag's kind; the problem, or undefined when the value can be written. */
function checkValue(spec: AuditFlagSpec, value: unknown, path: string, minor: number): Problem | undefined {
  const flag = `--${spec.name}`;
  const problem = (code: string, message: string, fix: string): Problem => ({ severity: 'error', code, path, message, fix });
  switch (spec.kind) {
    case 'path':
      return checkNodePath(value, path, { allowStdout: path === 'log.path', example: EXAMPLE_PATHS[path] });
    case 'int':
    case 'int64':
      return typeof value === 'number' && Number.isSafeInteger(value)
        ? undefined
        : problem('flag-not-integer', `${flag} takes a whole number, got ${describe(value)}`, `set ${path} to an integer${typeof value === 'number' && Number.isInteger(value) ? ' the flag can hold exactly (at most 2^53)' : ''}`);
    case 'float32':
      return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_FLOAT32
        ? undefined
        : problem('flag-not-number', `${flag} takes a finite number (a Go float32), got ${describe(value)}`, `set ${path} to a number`);
    case 'bool':
      return typeof value === 'boolean' ? undefined : problem('flag-not-boolean', `${flag} takes true or false, got ${describe(value)}`, `set ${path} to true or false`);
    case 'duration':
      return checkGoDuration(value, path);
    case 'mode': {
      const modes = modesIn(minor);
      if (typeof value === 'string' && modes.includes(value as never)) return undefined;
      if (value === 'blocking-strict') return problem('flag-not-in-version', `blocking-strict mode exists from 1.13 on, not in Kubernetes 1.${minor}`, `use 'blocking', or target 1.13 or later`);
      return problem('mode', `${flag} must be ${modes.join(', ')}, got ${describe(value)}`, `set ${path} to one of ${modes.join(', ')}`);
    }
    case 'log-format':
      return typeof value === 'string' && LOG_FORMATS.includes(value as never) ? undefined : problem('log-format', `${flag} must be json or legacy, got ${describe(value)}`, `set ${path} to 'json' or 'legacy'`);
    case 'event-version': {
      const known = eventVersionsIn(minor);
      return typeof value === 'string' && known.includes(value)
        ? undefined
        : problem('event-version', `${describe(value)} is not an audit event version of Kubernetes 1.${minor} (${known.join(', ')})`, `set ${path} to ${known[0]}`);
    }
  }
}

/** A value for messages; text is quoted and cut, so a hostile value is never echoed whole. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
}

/** The settings of a release after {@link checkAuditSettings}: what was given and could be written. */
export interface CheckedSettings {
  /** Problems found, in the order the settings are listed. */
  readonly problems: Problem[];
  /** The setting paths whose given values can be written as flags in that release. */
  readonly writable: ReadonlySet<string>;
}

/**
 * Checks audit settings for one Kubernetes release: the apiserver's own start-up validation
 * (errors that say it refuses to start), the traps it misses, values of the wrong type, unknown
 * settings, flags of other releases and unsafe paths. Never throws.
 *
 * @example
 * ```ts
 * checkAuditSettings({ policyFile: '/etc/kubernetes/audit-policy.yaml', log: { path: '/var/log/a.log', mode: 'batch', batch: { maxSize: 100 } } }, { text: '1.30', minor: 30 });
 * // [{ severity: 'error', code: 'batch-busy-loop', path: 'log.batch.maxWait', ... }]
 * ```
 */
export function checkAuditSettings(settings: AuditSettings, version: KubernetesVersion): Problem[] {
  return checkSettings(settings, version).problems;
}

/**
 * {@link checkAuditSettings}, also saying which given settings can be written as flags.
 *
 * @example
 * ```ts
 * checkSettings({ policyFile: '/etc/kubernetes/audit-policy.yaml', log: { path: '-', compress: true } }, { text: '1.19', minor: 19 }).writable.has('log.compress'); // false
 * ```
 */
export function checkSettings(settings: AuditSettings, version: KubernetesVersion): CheckedSettings {
  const findings = new Findings();
  const writable = new Set<string>();
  const minor = version.minor;
  if (!checkKeys(findings, settings, SETTING_KEYS.settings, '')) return { problems: findings.problems, writable };
  const present: Partial<Record<AuditBackend, boolean>> = {};
  for (const backend of ['log', 'webhook'] as const) {
    const value = settings[backend];
    if (value === undefined) continue;
    if (!checkKeys(findings, value, SETTING_KEYS[backend], backend)) continue;
    present[backend] = true;
    for (const part of ['batch', 'truncate'] as const) {
      if (value[part] !== undefined) checkKeys(findings, value[part], SETTING_KEYS[part], `${backend}.${part}`);
    }
  }

  // Every given value: its type, and whether the release has its flag.
  const seen = new Set<string>();
  for (const spec of AUDIT_FLAGS) {
    if (seen.has(spec.setting)) continue;
    seen.add(spec.setting);
    const backend = spec.setting.split('.')[0];
    if ((backend === 'log' || backend === 'webhook') && !present[backend]) continue;
    const value = settingAt(settings, spec.setting);
    if (value === undefined) {
      if (spec.kind === 'path' && spec.setting !== 'policyFile') findings.error('missing-setting', spec.setting, `${spec.setting} is required: it enables the ${backend} backend`, `set ${spec.setting} to an absolute path such as ${EXAMPLE_PATHS[spec.setting]}`);
      continue;
    }
    if (spec.setting === 'dynamic' && value === false) continue;
    const current = flagForSetting(spec.setting, minor)!;
    const problem = checkValue(current, value, spec.setting, minor);
    if (problem !== undefined) {
      findings.problems.push(problem);
      continue;
    }
    if (!flagExistsIn(current, minor)) {
      if (spec.setting === 'dynamic') continue; // reported with the dynamic rules below
      findings.error('flag-not-in-version', spec.setting, `--${current.name} exists ${flagReleases(current)}, not in Kubernetes ${version.text}`, `remove ${spec.setting} or target a Kubernetes version that has --${current.name}`);
      continue;
    }
    writable.add(spec.setting);
  }

  // The effective value of a setting: the given one when it is valid, else the release's default.
  const effective = (setting: string): SettingValue | undefined => (writable.has(setting) ? (settingAt(settings, setting) as SettingValue) : defaultSetting(setting, minor));
  const given = (setting: string): boolean => writable.has(setting);

  if ((present.log || present.webhook) && settings.policyFile === undefined) {
    findings.error('no-policy-file', 'policyFile', 'log or webhook backends are configured but there is no --audit-policy-file, so the apiserver audits nothing', 'add an audit policy (policyFile) for this apiserver');
  }
  if (present.log) checkLog(findings, minor, effective, given);
  for (const backend of ['log', 'webhook'] as const) {
    if (present[backend]) checkBackend(findings, backend, minor, settings, effective, given);
  }
  if (present.webhook) checkWebhook(findings, effective);
  if (settings.dynamic !== undefined && settings.dynamic !== false && typeof settings.dynamic === 'boolean' && (minor < DYNAMIC_AUDIT.since || minor > DYNAMIC_AUDIT.until)) {
    findings.error('dynamic-not-in-version', 'dynamic', `dynamic audit (AuditSink) exists only in Kubernetes 1.13 to 1.18; it was removed in 1.19 and ${version.text} does not have it`, 'use a webhook backend (webhook.kubeconfigPath) instead, or target Kubernetes 1.13 to 1.18');
  }
  const batchMode = (backend: AuditBackend) => ({ batch: effective(`${backend}.mode`) === 'batch' });
  findings.problems.push(
    ...unionBackendProblems(
      {
        ...(present.log && given('log.path') ? { log: batchMode('log') } : {}),
        ...(present.webhook && given('webhook.kubeconfigPath') ? { webhook: batchMode('webhook') } : {}),
        dynamic: settings.dynamic === true,
      },
      version,
    ),
  );
  return { problems: findings.problems, writable };
}

type Effective = (setting: string) => SettingValue | undefined;
type Given = (setting: string) => boolean;

function checkLog(findings: Findings, minor: number, effective: Effective, given: Given): void {
  for (const [key, flag] of [['maxAge', 'audit-log-maxage'], ['maxBackup', 'audit-log-maxbackup'], ['maxSize', 'audit-log-maxsize']] as const) {
    const value = effective(`log.${key}`) as number;
    if (value < 0) findings.error('negative-rotation', `log.${key}`, `--${flag} must be 0 or more, got ${value}; the apiserver refuses to start`, `set log.${key} to 0 or more`);
  }
  const rotation = (['maxAge', 'maxBackup', 'maxSize', 'compress'] as const).filter((key) => given(`log.${key}`));
  if (effective('log.path') === '-') {
    if (rotation.length > 0) findings.warning('stdout-rotation', 'log', `the log goes to stdout, so ${rotation.map((key) => `log.${key}`).join(', ')} ${rotation.length === 1 ? 'has' : 'have'} no effect`, 'remove the rotation settings, or write the log to a file');
    return;
  }
  if (given('log.maxSize') && effective('log.maxSize') === 0) {
    if (minor <= 35) {
      findings.warning('maxsize-zero', 'log.maxSize', "up to 1.35, --audit-log-maxsize=0 rotates at 100 MiB (the rotation library's default); it does not turn rotation off", 'set log.maxSize to the size you want, e.g. 2000000000 to practically never rotate');
    } else {
      const ignored = rotation.filter((key) => key !== 'maxSize');
      if (ignored.length > 0) findings.warning('rotation-off', 'log.maxSize', `from 1.36, --audit-log-maxsize=0 writes one file that is never rotated, so ${ignored.map((key) => `log.${key}`).join(', ')} ${ignored.length === 1 ? 'has' : 'have'} no effect`, 'set log.maxSize above 0 to rotate, or remove the other rotation settings');
    }
  }
}

function checkBackend(findings: Findings, backend: AuditBackend, minor: number, settings: AuditSettings, effective: Effective, given: Given): void {
  const at = (key: string) => `${backend}.${key}`;
  const mode = effective(at('mode'));
  const modeGiven = settingAt(settings, at('mode')) !== undefined;
  if (modeGiven && !given(at('mode'))) return; // an invalid mode: the apiserver stops there too
  const batchKeys = (['bufferSize', 'maxSize', 'maxWait', 'throttleEnable', 'throttleQps', 'throttleBurst'] as const).filter((key) => settingAt(settings, at(`batch.${key}`)) !== undefined);
  const batch = (key: string) => effective(at(`batch.${key}`));
  if (batchKeys.length > 0 && mode !== 'batch') {
    findings.error('batch-only', at('batch'), `${batchKeys.map((key) => at(`batch.${key}`)).join(', ')} only take effect in batch mode, but ${at('mode')} is ${String(mode)}`, `set ${at('mode')} to 'batch' or remove ${at('batch')}`);
  }
  // 1.8 and 1.9 check the webhook's batch settings whatever its mode; later releases only in batch mode.
  const checkBatch = mode === 'batch' || (backend === 'webhook' && minor <= 9);
  if (checkBatch) {
    for (const key of ['bufferSize', 'maxSize'] as const) {
      const value = batch(key) as number;
      if (!(value > 0)) findings.error('batch-positive', at(`batch.${key}`), `${at(`batch.${key}`)} must be more than 0, got ${value}; the apiserver refuses to start`, `set ${at(`batch.${key}`)} to 1 or more`);
    }
    // Throttling is always on in 1.9; 1.10 and 1.11 check QPS and burst even with it off.
    const throttled = minor <= 9 || batch('throttleEnable') === true;
    if (throttled || minor <= 11) {
      const qps = batch('throttleQps') as number;
      const burst = batch('throttleBurst') as number;
      const why = throttled ? 'throttling is on' : `Kubernetes 1.${minor} checks them even with throttling off`;
      if (!(qps > 0)) findings.error('throttle-qps', at('batch.throttleQps'), `${why} but the throttle QPS is ${qps}; it must be more than 0 or the apiserver refuses to start`, `set ${at('batch.throttleQps')} above 0${minor >= 10 ? ' or turn throttling off' : ''}`);
      if (!(burst > 0)) findings.error('throttle-burst', at('batch.throttleBurst'), `${why} but the throttle burst is ${burst}; it must be more than 0 or the apiserver refuses to start`, `set ${at('batch.throttleBurst')} to 1 or more${minor >= 10 ? ' or turn throttling off' : ''}`);
    } else if (given(at('batch.throttleQps')) || given(at('batch.throttleBurst'))) {
      findings.warning('throttle-off', at('batch'), 'throttle QPS or burst is set but throttling is off, so they have no effect', `set ${at('batch.throttleEnable')} to true or remove the throttle settings`);
    }
  }
  if (mode === 'batch') {
    const maxSize = batch('maxSize') as number;
    const maxWait = parseGoDuration(String(batch('maxWait'))) ?? 0;
    if (maxSize > 1 && maxWait <= 0) {
      findings.error(
        'batch-busy-loop',
        at('batch.maxWait'),
        `with batch max size ${maxSize} and max wait ${String(batch('maxWait'))} the apiserver's batching loop re-arms a timer that has already expired on every pass and spins a CPU core${given(at('batch.maxWait')) ? '' : ` (${String(batch('maxWait'))} is the ${backend} default)`}`,
        `set ${at('batch.maxWait')} to a positive duration such as '5s'`,
      );
    }
  }
  if (minor >= 11) {
    const maxEvent = effective(at('truncate.maxEventSize')) as number;
    const maxBatch = effective(at('truncate.maxBatchSize')) as number;
    if (!(maxEvent > 0)) {
      findings.error('truncate-event-size', at('truncate.maxEventSize'), `the truncate max event size must be more than 0, got ${maxEvent}; checked even with truncation off, the apiserver refuses to start`, `set ${at('truncate.maxEventSize')} to a positive byte count`);
    } else if (maxBatch < maxEvent) {
      findings.error('truncate-batch-smaller', at('truncate.maxBatchSize'), `the truncate max batch size (${maxBatch} bytes) is smaller than the max event size (${maxEvent} bytes); checked even with truncation off, the apiserver refuses to start`, `set ${at('truncate.maxBatchSize')} to at least ${maxEvent}`);
    }
    const sizes = (['maxBatchSize', 'maxEventSize'] as const).filter((key) => given(at(`truncate.${key}`)));
    if (effective(at('truncate.enabled')) !== true && sizes.length > 0) {
      findings.warning('truncate-off', at('truncate'), `${sizes.map((key) => at(`truncate.${key}`)).join(' and ')} ${sizes.length === 1 ? 'is' : 'are'} set but truncation is off, so nothing is truncated`, `set ${at('truncate.enabled')} to true or remove the sizes`);
    }
  }
  const eventVersion = effective(at('version'));
  if (given(at('version')) && minor >= 21 && eventVersion !== eventVersionsIn(minor)[0]) {
    findings.warning('event-version-deprecated', at('version'), `${String(eventVersion)} is deprecated from 1.21 and removed in 1.24`, `set ${at('version')} to audit.k8s.io/v1`);
  }
}

function checkWebhook(findings: Findings, effective: Effective): void {
  const backoff = parseGoDuration(String(effective('webhook.initialBackoff'))) ?? 0;
  const mode = effective('webhook.mode');
  if (mode === 'blocking' || mode === 'blocking-strict') {
    findings.warning('blocking-webhook', 'webhook.mode', `in ${mode} mode every audited request waits for the webhook: ${describeRetries(backoff / 1e9)}, far beyond the 60 s request timeout`, "use mode 'batch' unless losing events is worse than failing requests");
  }
  if (backoff <= 0) {
    findings.warning('no-backoff', 'webhook.initialBackoff', `an initial backoff of ${String(effective('webhook.initialBackoff'))} makes the webhook retry without waiting, so a batch is dropped as soon as its 5 attempts fail, within a second of a receiver outage`, "set webhook.initialBackoff to a positive duration such as '10s'");
  }
}

/**
 * Reading audit settings back from a kube-apiserver argument list (a static Pod's `command`, a
 * Deployment's `args`, a flags file), with the rules of the apiserver's flag parser (pflag):
 * `--name=value` and `--name value`; a boolean flag alone means true and never takes the next
 * argument; the last of repeated flags wins; whole numbers in Go syntax (`10000`, `0x10`,
 * `1_000`), durations in Go syntax. Arguments that are not audit flags are skipped.
 */
import { closestName, type KubernetesVersion, type Problem } from '@k8s-gen/runtime';
import { AUDIT_FLAGS, DYNAMIC_AUDIT, flagExistsIn, flagReleases, type AuditFlagSpec } from './catalogue.js';
import { parseGoDuration } from './duration.js';
import type { AuditSettings, SettingValue } from './settings.js';

/** What {@link readAuditFlags} found. */
export interface ReadAuditFlagsResult {
  /** The audit settings the arguments give; a backend only when its path or kubeconfig is given. */
  readonly settings: AuditSettings;
  /** Arguments the apiserver would refuse or that do not do what they seem to, at `args[i]`. */
  readonly problems: readonly Problem[];
}

const AUDIT_SPEC_BY_NAME = new Map(AUDIT_FLAGS.map((spec) => [spec.name, spec]));

/**
 * Go's `strconv.ParseInt(text, 0, 64)`, how pflag reads whole numbers: decimal, `0x`, `0o`, `0b`
 * and leading-`0` octal, with `_` only between digits or after a base prefix.
 *
 * @example
 * ```ts
 * parseGoInteger('0x10'); // 16
 * parseGoInteger('0755'); // 493
 * parseGoInteger('1e3');  // undefined
 * ```
 */
export function parseGoInteger(text: string): number | undefined {
  const match = /^([+-]?)(?:0([xX])((?:_?[0-9a-fA-F])+)|0([oO])((?:_?[0-7])+)|0([bB])((?:_?[01])+)|0((?:_?[0-7])*)|([1-9](?:_?[0-9])*))$/.exec(text);
  if (match === null) return undefined;
  const [, sign, , hex, , octal, , binary, leadingZeroOctal, decimal] = match;
  const digits = (hex ?? octal ?? binary ?? leadingZeroOctal ?? decimal ?? '').replace(/_/g, '');
  const prefix = hex !== undefined ? '0x' : binary !== undefined ? '0b' : decimal !== undefined ? '' : '0o';
  let value = digits === '' ? 0n : BigInt(`${prefix}${digits}`);
  if (sign === '-') value = -value;
  if (value > (1n << 63n) - 1n || value < -(1n << 63n)) return undefined;
  return Number(value);
}

/** Go's `strconv.ParseFloat(text, 32)` for the forms people write: decimals, exponents, `inf`, `nan`. */
function parseGoFloat32(text: string): number | undefined {
  if (/^[+-]?(inf|infinity)$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return Number.NaN;
  if (!/^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/.test(text)) return undefined;
  const value = Number(text.replace(/_/g, ''));
  return Math.abs(Math.fround(value)) === Infinity && Number.isFinite(value) ? undefined : value;
}

/** Go's `strconv.ParseBool`. */
function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

/** A flag's text as the setting's value, or the reason pflag refuses it. */
function parseValue(spec: AuditFlagSpec, text: string): { value: SettingValue } | { reason: string } {
  switch (spec.kind) {
    case 'int':
    case 'int64': {
      const value = parseGoInteger(text);
      return value === undefined ? { reason: `${JSON.stringify(text)} is not a whole number` } : { value };
    }
    case 'float32': {
      const value = parseGoFloat32(text);
      return value === undefined ? { reason: `${JSON.stringify(text)} is not a number` } : { value };
    }
    case 'bool': {
      const value = parseGoBool(text);
      return value === undefined ? { reason: `${JSON.stringify(text)} is not true or false` } : { value };
    }
    case 'duration':
      return parseGoDuration(text) === undefined ? { reason: `${JSON.stringify(text)} is not a Go duration such as 10s or 1m30s` } : { value: text };
    default:
      return { value: text };
  }
}

function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}

/**
 * Reads the audit settings from kube-apiserver arguments. With a `version`, flags that release
 * does not have are refused as the apiserver refuses them. Check the result with
 * `checkAuditSettings` for everything else. Never throws.
 *
 * @param args - the arguments; a first element naming the `kube-apiserver` binary is skipped.
 * @example
 * ```ts
 * readAuditFlags(['--audit-policy-file=/etc/kubernetes/audit-policy.yaml', '--audit-log-path', '/var/log/audit.log', '--audit-log-mode=batch']).settings;
 * // { policyFile: '/etc/kubernetes/audit-policy.yaml', log: { path: '/var/log/audit.log', mode: 'batch' } }
 * ```
 */
export function readAuditFlags(args: readonly string[], version?: KubernetesVersion): ReadAuditFlagsResult {
  const problems: Problem[] = [];
  const error = (index: number, code: string, message: string, fix: string) => problems.push({ severity: 'error', code, path: `args[${index}]`, message, fix });
  const warning = (index: number, code: string, message: string, fix: string) => problems.push({ severity: 'warning', code, path: `args[${index}]`, message, fix });
  const values = new Map<string, { value: SettingValue; index: number; flag: string }>();
  const featureGates = new Map<string, string>();
  const runtimeConfig = new Map<string, string>();
  let flagsEnded = false;
  const start = args.length > 0 && typeof args[0] === 'string' && /(?:^|\/)kube-apiserver$/.test(args[0]) ? 1 : 0;

  for (let i = start; i < args.length; i += 1) {
    const arg = args[i];
    if (typeof arg !== 'string') {
      error(i, 'invalid-argument', `args[${i}] is not a string`, 'give the arguments as strings');
      continue;
    }
    if (flagsEnded || !arg.startsWith('-') || arg === '-') {
      error(i, 'positional-argument', `${JSON.stringify(arg)} is not a flag; kube-apiserver takes no positional arguments and refuses to start`, 'remove it, or join it to its flag as --flag=value (a boolean flag never takes the next argument)');
      continue;
    }
    if (arg === '--') {
      flagsEnded = true;
      continue;
    }
    if (!arg.startsWith('--')) continue; // a shorthand such as -v=2: never an audit flag
    const equals = arg.indexOf('=');
    const name = arg.slice(2, equals < 0 ? undefined : equals);
    let text = equals < 0 ? undefined : arg.slice(equals + 1);
    const spec = AUDIT_SPEC_BY_NAME.get(name);
    const takesNext = spec === undefined || spec.kind !== 'bool';
    if (text === undefined && takesNext && i + 1 < args.length && !(args[i + 1] ?? '').startsWith('--')) {
      text = args[i + 1];
      i += 1;
    }
    const index = text !== undefined && equals < 0 ? i - 1 : i;
    if (name === 'feature-gates' || name === 'runtime-config') {
      for (const entry of (text ?? '').split(',').filter((part) => part.trim() !== '')) {
        const [key, value] = entry.split('=', 2);
        (name === 'feature-gates' ? featureGates : runtimeConfig).set(key!.trim(), (value ?? 'true').trim());
      }
      continue;
    }
    if (spec === undefined) {
      if (name.startsWith('audit-')) {
        // The name is the user's text: quoted and cut, so that no control character reaches a terminal.
        const shown = JSON.stringify(`--${name.length > 60 ? `${name.slice(0, 57)}...` : name}`);
        const suggestion = closestName(name, AUDIT_FLAGS.map((flag) => flag.name));
        error(index, 'unknown-flag', `${shown} is not a kube-apiserver audit flag; the apiserver refuses to start with an unknown flag`, suggestion === undefined ? 'check the spelling against kube-apiserver --help' : `did you mean --${suggestion}?`);
      }
      continue;
    }
    if (version !== undefined && !flagExistsIn(spec, version.minor)) {
      error(index, 'flag-not-in-version', `--${name} exists ${flagReleases(spec)}; kube-apiserver ${version.text} refuses to start with it`, `remove --${name}, or target a release that has it`);
      continue;
    }
    if (text === undefined) {
      if (spec.kind !== 'bool') {
        error(index, 'missing-value', `--${name} needs a value`, `write --${name}=VALUE`);
        continue;
      }
      text = 'true';
    }
    const parsed = parseValue(spec, text);
    if ('reason' in parsed) {
      error(index, 'invalid-flag-value', `--${name}: ${parsed.reason}; the apiserver refuses to start`, `give --${name} a valid value`);
      continue;
    }
    const earlier = values.get(spec.setting);
    if (earlier !== undefined) warning(index, 'repeated-flag', `--${name} repeats --${earlier.flag} (args[${earlier.index}]); the last one wins`, 'keep one of them');
    values.set(spec.setting, { value: parsed.value, index, flag: name });
  }

  const settings: Record<string, unknown> = {};
  for (const backend of ['log', 'webhook'] as const) {
    const pathSetting = backend === 'log' ? 'log.path' : 'webhook.kubeconfigPath';
    const enabled = (values.get(pathSetting)?.value ?? '') !== '';
    for (const [setting, entry] of values) {
      if (!setting.startsWith(`${backend}.`) || setting === pathSetting) continue;
      if (!enabled) warning(entry.index, 'backend-off', `--${entry.flag} has no effect: the ${backend} backend is off without ${backend === 'log' ? '--audit-log-path' : '--audit-webhook-config-file'}`, `enable the ${backend} backend, or remove --${entry.flag}`);
    }
    if (!enabled) values.delete(pathSetting);
  }
  for (const [setting, entry] of values) {
    const backend = setting.split('.')[0];
    if ((backend === 'log' && !values.has('log.path')) || (backend === 'webhook' && !values.has('webhook.kubeconfigPath'))) continue;
    if (setting === 'policyFile' && entry.value === '') continue;
    setAt(settings, setting, entry.value);
  }
  const dynamic = values.get('dynamic');
  if (dynamic?.value === true) {
    if (featureGates.get(DYNAMIC_AUDIT.featureGate)?.toLowerCase() !== 'true') {
      error(dynamic.index, 'dynamic-feature-gate', `--${DYNAMIC_AUDIT.flag} is set but the ${DYNAMIC_AUDIT.featureGate} feature gate is not enabled; the apiserver refuses to start`, `add --feature-gates=${DYNAMIC_AUDIT.featureGate}=true`);
    }
    if (runtimeConfig.get(DYNAMIC_AUDIT.runtimeConfig)?.toLowerCase() !== 'true') {
      warning(dynamic.index, 'dynamic-api-off', `--${DYNAMIC_AUDIT.flag} is set but ${DYNAMIC_AUDIT.runtimeConfig} is not served, so no AuditSink can be created`, `add --runtime-config=${DYNAMIC_AUDIT.runtimeConfig}=true`);
    }
  }
  return { settings: settings as AuditSettings, problems };
}

/**
 * Audit settings as kube-apiserver flags, and flags as `--name=value` arguments. Only the settings
 * given are written, so the apiserver's defaults apply to the rest; each is written under the name
 * the target release knows. The argument writer refuses any value that could split an argument or
 * start a new one (or a new YAML key where the arguments are embedded): the checks where values
 * enter already refuse them, so reaching it with one is a k8s-gen bug.
 */
import { unsafeCharacterIn, type KubernetesVersion, type Problem } from '@k8s-gen/runtime';
import { AUDIT_FLAGS, DYNAMIC_AUDIT, flagForSetting } from './catalogue.js';
import { checkSettings } from './check.js';
import { settingAt, type AuditBackend, type AuditSettings, type DeliverySettings } from './settings.js';

/** One flag as it is passed to the apiserver. */
export interface Flag {
  /** The name without dashes, e.g. `audit-log-path`. */
  readonly name: string;
  readonly value: string;
}

/** The flags of a set of settings, and what is wrong with them. */
export interface AuditFlagsResult {
  readonly flags: readonly Flag[];
  readonly problems: readonly Problem[];
}

/** The flags dynamic audit needs besides its own: the feature gate and the API group. */
const DYNAMIC_SWITCHES: readonly Flag[] = [
  { name: 'feature-gates', value: `${DYNAMIC_AUDIT.featureGate}=true` },
  { name: 'runtime-config', value: `${DYNAMIC_AUDIT.runtimeConfig}=true` },
];

/**
 * The audit flags for one apiserver, checked with `checkAuditSettings`: the flags of every
 * valid setting given, in catalogue order, and the problems. Never throws.
 *
 * @example
 * ```ts
 * const { flags, problems } = auditFlags(
 *   { policyFile: '/etc/kubernetes/audit-policy.yaml', log: { path: '/var/log/kube-audit', format: 'json' } },
 *   { text: '1.20', minor: 20 },
 * );
 * flagsToArgs(flags); // ['--audit-policy-file=/etc/kubernetes/audit-policy.yaml', '--audit-log-path=/var/log/kube-audit', '--audit-log-format=json']
 * ```
 */
export function auditFlags(settings: AuditSettings, version: KubernetesVersion): AuditFlagsResult {
  const { problems, writable } = checkSettings(settings, version);
  const flags: Flag[] = [];
  const written = new Set<string>();
  for (const spec of AUDIT_FLAGS) {
    if (written.has(spec.setting) || !writable.has(spec.setting)) continue;
    written.add(spec.setting);
    const value = settingAt(settings, spec.setting) as string | number | boolean;
    if (spec.setting === 'dynamic') {
      if (value !== true) continue;
      flags.push({ name: spec.name, value: 'true' }, ...DYNAMIC_SWITCHES);
      continue;
    }
    flags.push({ name: flagForSetting(spec.setting, version.minor)!.name, value: String(value) });
  }
  return { flags, problems };
}

/**
 * The flags of one backend's delivery settings (mode, batching, truncation, event version, and the
 * webhook's initial backoff), without its path or kubeconfig: what `tune` recommends. Problems
 * carry paths such as `webhook.batch.maxWait`.
 *
 * @example
 * ```ts
 * flagsToArgs(backendFlags('webhook', { batch: { maxSize: 100 } }, { text: '1.30', minor: 30 }).flags); // ['--audit-webhook-batch-max-size=100']
 * ```
 */
export function backendFlags(backend: AuditBackend, settings: DeliverySettings, version: KubernetesVersion): AuditFlagsResult {
  const placeholder = backend === 'log' ? { log: { ...settings, path: '/placeholder' } } : { webhook: { ...settings, kubeconfigPath: '/placeholder' } };
  const result = auditFlags({ policyFile: '/placeholder', ...placeholder } as AuditSettings, version);
  const own = new Set(['audit-policy-file', 'audit-log-path', 'audit-webhook-config-file']);
  return {
    flags: result.flags.filter((flag) => !own.has(flag.name)),
    problems: result.problems,
  };
}

/**
 * Refuses a flag value holding a character that could split the argument it is in or start a new
 * one (white space, control characters, line and paragraph separators, invisible format
 * characters): every value was checked where it entered, so this is a k8s-gen bug.
 *
 * @throws Error naming the flag and the character.
 * @example
 * ```ts
 * assertSafeArgumentValue('audit-log-path', '/var/log/a.log');         // passes
 * assertSafeArgumentValue('audit-log-path', '/var/log/a.log\n--x=y'); // throws
 * ```
 */
export function assertSafeArgumentValue(name: string, value: string): void {
  const bad = unsafeCharacterIn(value, { allowWhiteSpace: false });
  if (bad !== undefined) throw new Error(`k8s-gen bug: the value of --${name} holds ${bad.description} at position ${bad.index + 1}, which would change the apiserver's arguments; it should have been refused where it entered`);
}

const FLAG_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/**
 * Flags as command-line arguments, `--name=value`, in the given order.
 *
 * @throws Error (a k8s-gen bug) when a name is not a flag name or a value holds a character that
 *   could split or add an argument.
 * @example
 * ```ts
 * flagsToArgs([{ name: 'audit-log-path', value: '-' }]); // ['--audit-log-path=-']
 * ```
 */
export function flagsToArgs(flags: readonly Flag[]): string[] {
  return flags.map((flag) => {
    if (!FLAG_NAME.test(flag.name)) throw new Error(`k8s-gen bug: ${JSON.stringify(flag.name)} is not a flag name`);
    if (typeof flag.value !== 'string') throw new Error(`k8s-gen bug: the value of --${flag.name} is not a string`);
    assertSafeArgumentValue(flag.name, flag.value);
    return `--${flag.name}=${flag.value}`;
  });
}

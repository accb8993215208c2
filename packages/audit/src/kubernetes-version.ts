/**
 * Kubernetes versions as the policy validators compare them: the shared parser of
 * `@k8s-gen/runtime`, with the range of releases that have `audit.k8s.io/v1` (1.12 on).
 */
import { kubernetesMinor as minorOf, NEWEST_KUBERNETES_VERSION, parseKubernetesVersion, type Problem } from '@k8s-gen/runtime';

/** The Kubernetes version validation targets when the caller does not name one: the newest k8s-gen models. */
export const DEFAULT_KUBERNETES_VERSION = NEWEST_KUBERNETES_VERSION;

/** Releases that read audit.k8s.io/v1 policies. */
export const POLICY_VERSION_RANGE = { oldest: 12, subject: 'audit.k8s.io/v1 policies' } as const;

/**
 * Reads a Kubernetes version such as `1.23`, `v1.23` or `1.23.4` and returns its minor number.
 *
 * @throws RangeError when the text is not a 1.x version from 1.12 (the first release with
 *   `audit.k8s.io/v1`) to the newest k8s-gen models; the message says which forms are accepted.
 * @example
 * ```ts
 * kubernetesMinor('v1.23.4'); // 23
 * ```
 */
export function kubernetesMinor(version: string): number {
  return minorOf(version, POLICY_VERSION_RANGE);
}

/**
 * The problem (code `kubernetes-version`) with a `kubernetesVersion` option, or undefined when it
 * is a usable release; for callers that report bad options as data instead of throwing.
 *
 * @example
 * ```ts
 * kubernetesVersionProblem('banana'); // { severity: 'error', code: 'kubernetes-version', ... }
 * kubernetesVersionProblem('v1.30.2'); // undefined
 * ```
 */
export function kubernetesVersionProblem(version: string): Problem | undefined {
  const parsed = parseKubernetesVersion(version, POLICY_VERSION_RANGE);
  return parsed.ok ? undefined : { severity: 'error', code: 'kubernetes-version', path: '', message: `kubernetesVersion ${parsed.message}.`, fix: `${parsed.fix[0]!.toUpperCase()}${parsed.fix.slice(1)}.` };
}

/** True when `version` is the same release as `since` (`1.N`) or a later one. */
export function isAtLeast(version: string, since: string): boolean {
  return kubernetesMinor(version) >= kubernetesMinor(since);
}

/**
 * Kubernetes minor versions as the validators compare them.
 *
 * Only the minor number matters for audit behaviour (every change in the facts happened at a
 * minor release), so versions are reduced to `1.N` and compared numerically.
 */

/** The Kubernetes version validation targets when the caller does not name one. */
export const DEFAULT_KUBERNETES_VERSION = '1.36';

/** The first release that serves `audit.k8s.io/v1`; older targets are outside this package. */
const OLDEST_SUPPORTED_MINOR = 12;

/**
 * Reads a Kubernetes version such as `1.23`, `v1.23` or `1.23.4` and returns its minor number.
 *
 * @throws RangeError when the text is not a 1.x version or is older than 1.12 (the first release
 *   with `audit.k8s.io/v1`); the message says which forms are accepted.
 */
export function kubernetesMinor(version: string): number {
  const match = /^v?1\.(\d{1,3})(?:\.\d+)?$/.exec(version.trim());
  if (!match) {
    throw new RangeError(`kubernetesVersion "${version}" is not a Kubernetes 1.x version; write it like "1.36" or "v1.36.0"`);
  }
  const minor = Number(match[1]);
  if (minor < OLDEST_SUPPORTED_MINOR) {
    throw new RangeError(`kubernetesVersion "${version}" predates audit.k8s.io/v1 (Kubernetes 1.12); target 1.12 or later`);
  }
  return minor;
}

/** True when `version` is the same release as `since` (`1.N`) or a later one. */
export function isAtLeast(version: string, since: string): boolean {
  return kubernetesMinor(version) >= kubernetesMinor(since);
}

// Kubernetes versions as the flag model needs them: only the minor number of 1.x matters, because
// every audit flag change happened at a minor release.

/** The oldest minor version the flag model knows (advanced auditing arrived in 1.8). */
export const OLDEST_MINOR = 8;
/** The newest minor version the flag model knows. */
export const NEWEST_MINOR = 36;

/** A parsed Kubernetes version. */
export interface KubernetesVersion {
  /** The text the user gave, e.g. `1.20` or `v1.20.2`. */
  readonly text: string;
  /** The minor number (20 for 1.20). */
  readonly minor: number;
}

/**
 * Parses `1.20`, `v1.20` or `v1.20.2`. Returns an error message instead of throwing, so callers can
 * report it as a problem with their own path.
 *
 * @example
 * parseKubernetesVersion('v1.20.2') // { ok: true, version: { text: 'v1.20.2', minor: 20 } }
 */
export function parseKubernetesVersion(
  text: string,
): { ok: true; version: KubernetesVersion } | { ok: false; message: string } {
  const match = /^v?1\.(\d+)(?:\.\d+)?$/.exec(text.trim());
  if (!match) return { ok: false, message: `"${text}" is not a Kubernetes version like 1.20 or v1.20.2` };
  const minor = Number(match[1]);
  if (minor < OLDEST_MINOR || minor > NEWEST_MINOR) {
    return {
      ok: false,
      message: `Kubernetes ${text} is outside the versions k8s-gen knows (1.${OLDEST_MINOR} to 1.${NEWEST_MINOR})`,
    };
  }
  return { ok: true, version: { text, minor } };
}

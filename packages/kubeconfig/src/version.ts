/** Kubernetes release parsing for version-dependent rules. */

/** A release reduced to major and minor. */
export interface MinorVersion {
  major: number;
  minor: number;
}

/** Parses `1.20`, `v1.20` or `1.20.2`; undefined when the text is not a release. */
export function parseKubernetesVersion(text: string): MinorVersion | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(text.trim());
  if (match === null) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/** True when `version` is `major.minor` or newer. */
export function atLeast(version: MinorVersion, major: number, minor: number): boolean {
  return version.major !== major ? version.major > major : version.minor >= minor;
}

/** Kubernetes releases for the version-dependent kubeconfig rules, read by the shared runtime parser. */
import { parseKubernetesVersion as parseVersion } from '@k8s-gen/runtime';

/** A release reduced to major and minor. */
export interface MinorVersion {
  major: number;
  minor: number;
}

/** Parses `1.20`, `v1.20` or `1.20.2`; undefined when the text is not a release k8s-gen knows. */
export function parseKubernetesVersion(text: string): MinorVersion | undefined {
  const parsed = parseVersion(text, { oldest: 0 });
  return parsed.ok ? { major: 1, minor: parsed.version.minor } : undefined;
}

/** True when `version` is `major.minor` or newer. */
export function atLeast(version: MinorVersion, major: number, minor: number): boolean {
  return version.major !== major ? version.major > major : version.minor >= minor;
}

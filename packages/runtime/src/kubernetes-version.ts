/**
 * Kubernetes versions as k8s-gen compares them. Every audit behaviour change happened at a minor
 * release, so a version is reduced to its minor number of 1.x; each component states the range of
 * minors it models (flags from 1.8, audit.k8s.io/v1 policies from 1.12, AuditSink 1.13 to 1.18).
 */

/** The newest Kubernetes minor release k8s-gen models. */
export const NEWEST_KUBERNETES_MINOR = 36;

/**
 * The newest Kubernetes release k8s-gen models, and the default of every `kubernetesVersion`
 * option and `--kubernetes-version` flag.
 */
export const NEWEST_KUBERNETES_VERSION = `1.${NEWEST_KUBERNETES_MINOR}`;

/** A parsed Kubernetes version. */
export interface KubernetesVersion {
  /** The text as given, e.g. `1.20`, `v1.20.2` or `v1.29.4-eks-036c24b`. */
  readonly text: string;
  /** The minor number (20 for 1.20). */
  readonly minor: number;
  /**
   * The patch number when the text names one (2 for `v1.20.2`, 4 for `v1.29.4-eks-036c24b`).
   * Behaviour is modelled per minor; the patch matters only for fixes backported to patch releases.
   */
  readonly patch?: number;
}

/** The minors a component models, and what to call that component in messages. */
export interface KubernetesVersionRange {
  /** Oldest minor accepted. */
  readonly oldest: number;
  /** Newest minor accepted. Default {@link NEWEST_KUBERNETES_MINOR}. */
  readonly newest?: number;
  /** What needs the range, for messages: e.g. `audit.k8s.io/v1 policies`. */
  readonly subject?: string;
}

/** What {@link parseKubernetesVersion} found: the version, or why the text is not one. */
export type KubernetesVersionResult =
  | { readonly ok: true; readonly version: KubernetesVersion }
  | { readonly ok: false; readonly message: string; readonly fix: string };

/**
 * `1.20`, `v1.20`, `1.20.2`, `v1.20.2`, and the patch releases managed clusters report
 * (`v1.29.4-eks-036c24b`, `1.29.4-gke.1043002`, `v1.30.1+k3s1`).
 */
const VERSION = /^v?1\.(\d{1,3})(?:\.(\d{1,5})(?:[-+][0-9A-Za-z][0-9A-Za-z.+-]{0,63})?)?$/;

/**
 * Parses a Kubernetes version and checks it against the range a component models. Returns the
 * reason instead of throwing, so callers report it as a problem with their own path.
 *
 * @example
 * ```ts
 * parseKubernetesVersion('v1.20.2', { oldest: 8 }); // { ok: true, version: { text: 'v1.20.2', minor: 20, patch: 2 } }
 * parseKubernetesVersion('banana', { oldest: 8 }).ok; // false
 * ```
 */
export function parseKubernetesVersion(text: string, range: KubernetesVersionRange): KubernetesVersionResult {
  const newest = range.newest ?? NEWEST_KUBERNETES_MINOR;
  const supported = `1.${range.oldest} to 1.${newest}`;
  const match = typeof text === 'string' ? VERSION.exec(text.trim()) : null;
  if (match === null) {
    return {
      ok: false,
      message: `${JSON.stringify(text)} is not a Kubernetes version`,
      fix: `write it like ${NEWEST_KUBERNETES_VERSION} or v${NEWEST_KUBERNETES_VERSION}.0 (${supported} are supported)`,
    };
  }
  const minor = Number(match[1]);
  if (minor < range.oldest || minor > newest) {
    const subject = range.subject === undefined ? 'k8s-gen' : range.subject;
    return {
      ok: false,
      message: `Kubernetes ${text.trim()} is outside the releases ${subject} ${range.subject === undefined ? 'models' : 'exist in'} (${supported})`,
      fix: `target a release from ${supported}`,
    };
  }
  const version: KubernetesVersion = match[2] === undefined ? { text: text.trim(), minor } : { text: text.trim(), minor, patch: Number(match[2]) };
  return { ok: true, version };
}

/**
 * The minor number of a Kubernetes version, for options whose callers want an exception.
 *
 * @throws RangeError with the reason and the fix when the text is not a version in the range.
 * @example
 * ```ts
 * kubernetesMinor('1.23.4', { oldest: 12 }); // 23
 * ```
 */
export function kubernetesMinor(text: string, range: KubernetesVersionRange): number {
  const result = parseKubernetesVersion(text, range);
  if (!result.ok) throw new RangeError(`${result.message}; ${result.fix}`);
  return result.version.minor;
}

/**
 * The first `major.minor` release named inside a text such as a spec file name
 * (`kubernetes-v1.18.0.definitions.json`) or an OpenAPI `info.version` (`v1.20.2`), any major.
 *
 * @example
 * ```ts
 * findKubernetesRelease('kubernetes-v1.18.0.definitions.json'); // '1.18'
 * ```
 */
export function findKubernetesRelease(text: string): string | undefined {
  const match = /(?:^|[^0-9.])v?(\d{1,3})\.(\d{1,3})(?:\.\d+)?(?![0-9])/.exec(text);
  return match === null ? undefined : `${Number(match[1])}.${Number(match[2])}`;
}

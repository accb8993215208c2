/**
 * The command-line syntax of generation, shared by the `k8s-gen-generate` bin and `k8s-gen
 * import`, so that both read the same words the same way and every message names one syntax:
 *
 * - a source is a path, an http(s) URL or `-`, optionally with the Kubernetes release it describes
 *   in front: `1.20=swagger.json`. The release goes first, before `=`, because nothing else can
 *   start that way: a Windows path starts with a drive letter (`C:\specs\swagger.json`), a URL
 *   with its scheme, and a URL may hold `@` (`https://user@host/...`) and `=` (`?v=1`) later on.
 *   A file whose name starts like a release is written with a folder in front (`./1.20=x.json`).
 * - a group/version is `core` (core/v1), or `group/version` (`apps/v1`, `networking.k8s.io/v1`).
 */
import { parseKubernetesVersion } from '@k8s-gen/runtime';
import { GeneratorError } from './errors.js';
import type { SourceInput } from './sources/input.js';

/** How the syntax of a source with its release is shown in messages and help. */
export const PINNED_SOURCE_SYNTAX = '1.20=swagger.json';

/**
 * Text before the first `=` that is meant as a release: it starts with a digit (or `v` and a
 * digit) and holds no `/`, `\` or `:`, as no path, drive letter or URL does before an `=`.
 */
const RELEASE_PREFIX = /^(v?\d[^=/\\:]*)=(.*)$/s;

/**
 * Reads one source argument: `swagger.json`, `https://…`, `-`, or any of them with its release in
 * front (`1.20=swagger.json`, `v1.20.2=-`).
 *
 * @throws GeneratorError when the release is not one (`1.2.3.4=x`) or nothing follows `=`
 * @example
 * ```ts
 * parseSourceArgument('1.20=specs/swagger.json'); // { input: 'specs/swagger.json', kubernetesVersion: '1.20' }
 * parseSourceArgument('C:\\specs\\swagger.json'); // 'C:\\specs\\swagger.json'
 * ```
 */
export function parseSourceArgument(text: string): SourceInput {
  const pinned = RELEASE_PREFIX.exec(text);
  if (pinned === null) return text;
  const [, release, input] = pinned as unknown as [string, string, string];
  if (!parseKubernetesVersion(release, { oldest: 0, newest: 999 }).ok) {
    throw GeneratorError.fromIssues(
      [{ path: '', message: `\`${release}\` in \`${text}\` is not a Kubernetes release`, fix: `write the release like ${PINNED_SOURCE_SYNTAX}, or write a file whose name starts like this with a folder in front (./${text})` }],
      undefined,
    );
  }
  if (input === '') {
    throw GeneratorError.fromIssues([{ path: '', message: `\`${text}\` names a release but no spec`, fix: `write the spec after =, as in ${PINNED_SOURCE_SYNTAX}` }], undefined);
  }
  return { input, kubernetesVersion: release };
}

/** An API group and version to import; the core group is `core`. */
export interface GroupVersionSelection {
  group: string;
  version: string;
}

/**
 * Reads a group/version to import: `core` (the legacy core group, version v1), `core/v1`,
 * `apps/v1`, `networking.k8s.io/v1`.
 *
 * @throws GeneratorError when the text names no group/version
 * @example
 * ```ts
 * parseGroupVersion('core');    // { group: 'core', version: 'v1' }
 * parseGroupVersion('apps/v1'); // { group: 'apps', version: 'v1' }
 * ```
 */
export function parseGroupVersion(selector: string): GroupVersionSelection {
  const [group, version, extra] = selector.split('/');
  if (extra !== undefined || group === undefined || group === '' || version === '') {
    throw GeneratorError.fromIssues([{ path: '', message: `"${selector}" is not an API group/version`, fix: 'name one such as core, core/v1 or apps/v1' }], undefined);
  }
  if (version === undefined) {
    if (group === 'core') return { group: 'core', version: 'v1' };
    throw GeneratorError.fromIssues(
      [{ path: '', message: `cannot tell the API group and version from "${selector}"`, fix: 'name a group/version such as core, core/v1, apps/v1 or batch/v1' }],
      undefined,
    );
  }
  return { group, version };
}

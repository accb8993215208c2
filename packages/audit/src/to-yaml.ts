/**
 * Writes a policy as YAML: fixed key order, YAML 1.1-safe quoting, comments as `#` lines.
 */
import { knownKeysFirst, type PathSegment, writeYaml } from '@k8s-gen/yaml';
import { commentOf } from '@k8s-gen/runtime';
import type { Policy } from './generated/audit.k8s.io/v1/types/Policy.js';

/** Options for {@link toYaml}. */
export interface ToYamlOptions {
  /**
   * A comment written at the top of the file. When left out, the policy's own comment
   * (`policy().comment(...)`, or the header a parsed file had) is used; an empty string writes
   * no header at all.
   */
  header?: string;
}

/** Key order of each object, following kube-apiserver's Go structs; other keys follow, sorted. */
const KEY_ORDER = {
  policy: ['apiVersion', 'kind', 'metadata', 'omitStages', 'omitManagedFields', 'rules'],
  rule: ['level', 'users', 'userGroups', 'verbs', 'resources', 'namespaces', 'nonResourceURLs', 'omitStages', 'omitManagedFields'],
  groupResources: ['group', 'resources', 'resourceNames'],
  other: [],
} as const satisfies Record<string, readonly string[]>;

/** The field order of the object at `path` of a policy: the policy, a rule or a resources entry. */
function knownKeysAt(path: readonly PathSegment[]): readonly string[] {
  if (path.length === 0) return KEY_ORDER.policy;
  if (path[0] !== 'rules' || typeof path[1] !== 'number') return KEY_ORDER.other;
  if (path.length === 2) return KEY_ORDER.rule;
  if (path.length === 4 && path[2] === 'resources' && typeof path[3] === 'number') return KEY_ORDER.groupResources;
  return KEY_ORDER.other;
}

/**
 * Serialises a policy as YAML, byte-for-byte the same for equal input.
 *
 * - Keys follow kube-apiserver's field order: apiVersion, kind, metadata, omitStages,
 *   omitManagedFields, rules; in a rule level, users, userGroups, verbs, resources, namespaces,
 *   nonResourceURLs, omitStages, omitManagedFields; in a resources entry group, resources,
 *   resourceNames. Fields the schema does not know are kept, after the known ones, sorted.
 * - Strings are left unquoted only when every YAML 1.1 and 1.2 reader reads them back as the same
 *   string; empty strings, `yes`/`no`/`on`/`off`/`null`/`~`, anything number-like (`0777`,
 *   `1e3`), and anything starting with an indicator such as `*` are double-quoted.
 * - Comments recorded with `.comment(...)` on rules and resources entries are written as `#`
 *   lines above them; see {@link ToYamlOptions.header} for the file header.
 *
 * @throws TypeError when the object holds a value YAML cannot express (a function, a bigint,
 *   undefined inside a list); built and parsed policies never do.
 * @example
 * toYaml(policy().rule().level('Metadata').comment('log everything').build())
 */
export function toYaml(policy: Policy, options: ToYamlOptions = {}): string {
  return writeYaml(policy, {
    commentOf,
    keyOrder: (keys, path) => knownKeysFirst(keys, knownKeysAt(path)),
    quoting: 'unless-plain-safe',
    indentSequences: true,
    header: options.header,
  });
}

/**
 * Writes a policy as YAML: fixed key order, YAML 1.1-safe quoting, comments as `#` lines.
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { commentOf, type Policy } from './generated/index.js';
import { printComment, toYamlComment } from './comment-text.js';
import { escapedStringTag, isPlainSafe } from './yaml-strings.js';

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

type Shape = keyof typeof KEY_ORDER;

/** Which shape the values under a key have, for keys whose lists hold objects. */
function childShape(shape: Shape, key: string): Shape {
  if (shape === 'policy' && key === 'rules') return 'rule';
  if (shape === 'rule' && key === 'resources') return 'groupResources';
  return 'other';
}

function scalarNode(value: string | number | boolean | null): Scalar {
  const node = new Scalar(value);
  if (typeof value === 'string') node.type = isPlainSafe(value) ? Scalar.PLAIN : Scalar.QUOTE_DOUBLE;
  return node;
}

function orderedKeys(object: Record<string, unknown>, shape: Shape): string[] {
  const known: readonly string[] = KEY_ORDER[shape];
  const present = known.filter((key) => object[key] !== undefined);
  const extra = Object.keys(object)
    .filter((key) => !known.includes(key) && object[key] !== undefined)
    .sort();
  return [...present, ...extra];
}

function toNode(value: unknown, shape: Shape): unknown {
  if (Array.isArray(value)) {
    const seq = new YAMLSeq();
    seq.flow = value.length === 0;
    seq.items = value.map((item) => toNode(item, shape));
    return seq;
  }
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    const map = new YAMLMap();
    map.flow = Object.keys(object).length === 0;
    map.items = orderedKeys(object, shape).map((key) => new Pair(scalarNode(key), toNode(object[key], childShape(shape, key))));
    const comment = commentOf(object);
    if (comment) map.commentBefore = toYamlComment(comment);
    return map;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) return scalarNode(value);
  throw new TypeError(`cannot write ${typeof value} values as YAML`);
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
  const document = new Document(undefined, { customTags: (tags) => [escapedStringTag, ...tags] });
  const root = toNode(policy, 'policy') as YAMLMap;
  root.commentBefore = undefined;
  document.contents = root;
  const header = options.header ?? commentOf(policy);
  if (header) document.commentBefore = toYamlComment(header);
  return document.toString({ lineWidth: 0, commentString: printComment, indentSeq: true, doubleQuotedMinMultiLineLength: Number.POSITIVE_INFINITY });
}

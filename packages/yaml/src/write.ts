/**
 * Writes plain data as a YAML document: keys in an order the caller chooses, strings quoted so no
 * YAML reader misreads them, builder comments as `#` lines above the objects they belong to.
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { printComment, toYamlComment } from './comment-text.js';
import { goYamlQuoting } from './go-yaml.js';
import { escapedStringTag, isPlainSafe } from './strings.js';

/** One step of a path into a document: a map key or a list index. */
export type PathSegment = string | number;

/**
 * How strings are written.
 *
 * - `'unless-plain-safe'`: plain only when {@link isPlainSafe} says every YAML 1.1 and 1.2 reader
 *   reads the text back unchanged, double-quoted otherwise (the strictest choice).
 * - `'go-yaml'`: what go-yaml v2's encoder, and so kubectl, writes: plain unless a YAML 1.1 reader
 *   would take the text for something else (`on`, `0777`, `0o17`, `""`) or it looks like a date
 *   or a sexagesimal number (see {@link goYamlQuoting}); written as a YAML 1.1 document. Made for
 *   Go readers: `e5` stays plain, as kubectl writes it, though the yaml library's own YAML 1.1
 *   reader (not go-yaml, not a YAML 1.2 reader) would take it for a number.
 */
export type StringQuoting = 'unless-plain-safe' | 'go-yaml';

/** Options for {@link writeYaml}. */
export interface WriteYamlOptions {
  /**
   * Returns the builder comment recorded for an object, if any. Each SDK package passes the
   * `commentOf` of its generated runtime; comments are kept in a side table there, not in the data.
   */
  commentOf: (value: object) => string | undefined;
  /**
   * The order to write the keys of the object at `path` in (`[]` for the document, then map keys
   * and list indexes). Keys it leaves out are not written.
   */
  keyOrder: (keys: string[], path: readonly PathSegment[]) => string[];
  /** How strings are quoted; see {@link StringQuoting}. */
  quoting: StringQuoting;
  /** Whether list items are indented under their key (`true`) or start in the key's column. */
  indentSequences: boolean;
  /**
   * The comment written at the top of the document. When left out, the comment recorded for the
   * root object is used; an empty string writes no header.
   */
  header?: string;
}

/**
 * The keys of `keys` named in `known`, in that order, then the others sorted by code unit: the
 * field order of an API type with fields it does not know kept after it.
 */
export function knownKeysFirst(keys: readonly string[], known: readonly string[]): string[] {
  const present = known.filter((key) => keys.includes(key));
  const extra = keys.filter((key) => !known.includes(key)).sort();
  return [...present, ...extra];
}

/**
 * Serialises `value` (plain objects, arrays, strings, numbers, booleans, null) as one YAML
 * document, byte-for-byte the same for equal input and equal options.
 *
 * - Object keys follow `keyOrder`; keys holding `undefined` are left out. Empty objects and lists
 *   are written `{}` and `[]`.
 * - Strings follow `quoting`. In both modes, text holding DEL, C1 controls, U+2028 or U+2029 (which
 *   YAML forbids raw or YAML 1.1 readers take for line breaks) is double-quoted with escapes.
 * - A comment recorded for a list item is written above the item; for an object under a key,
 *   above the key. Comment text can never add YAML content (see {@link toYamlComment}).
 * - No line folding, however long a value is.
 *
 * @throws TypeError when the data holds a value YAML cannot express (a function, a bigint,
 *   undefined inside a list).
 * @example
 * writeYaml({ b: 1, a: 'on' }, { commentOf: () => undefined, keyOrder: (keys) => keys.sort(), quoting: 'go-yaml', indentSequences: false })
 * // 'a: "on"\nb: 1\n'
 */
export function writeYaml(value: unknown, options: WriteYamlOptions): string {
  const { commentOf, keyOrder, quoting } = options;

  const scalarNode = (scalar: string | number | boolean | null): Scalar => {
    const node = new Scalar(scalar);
    if (typeof scalar === 'string' && quoting === 'unless-plain-safe') node.type = isPlainSafe(scalar) ? Scalar.PLAIN : Scalar.QUOTE_DOUBLE;
    // A plain `<<` key is a YAML 1.1 merge key; the library leaves it plain, go-yaml quotes it.
    else if (scalar === '<<') node.type = Scalar.QUOTE_DOUBLE;
    // The library writes multi-line text as a block scalar, which loses lines of nothing but
    // spaces or tabs (every reader takes them for empty lines), and which libyaml and go-yaml
    // refuse when its first line starts with a tab (read where indentation is looked for): quote
    // those instead.
    else if (typeof scalar === 'string' && scalar.includes('\n') && (/(?:^|\n)[ \t]+(?:\n|$)/.test(scalar) || /^\n*\t/.test(scalar))) node.type = Scalar.QUOTE_DOUBLE;
    return node;
  };

  /** The comment to print above `item`, already in the yaml library's `commentBefore` form. */
  const commentFor = (item: unknown): string | undefined => {
    const text = typeof item === 'object' && item !== null ? commentOf(item) : undefined;
    return text ? toYamlComment(text) : undefined;
  };

  const toNode = (item: unknown, path: readonly PathSegment[]): unknown => {
    if (Array.isArray(item)) {
      const seq = new YAMLSeq();
      seq.flow = item.length === 0;
      seq.items = item.map((entry: unknown, index) => {
        const node = toNode(entry, [...path, index]);
        const comment = commentFor(entry);
        if (comment) (node as YAMLMap | YAMLSeq).commentBefore = comment;
        return node;
      });
      return seq;
    }
    if (item !== null && typeof item === 'object') {
      const object = item as Record<string, unknown>;
      const map = new YAMLMap();
      map.flow = Object.keys(object).length === 0;
      const keys = Object.keys(object).filter((key) => object[key] !== undefined);
      map.items = keyOrder(keys, path).map((key) => {
        const keyNode = scalarNode(key);
        const comment = commentFor(object[key]);
        if (comment) keyNode.commentBefore = comment;
        return new Pair(keyNode, toNode(object[key], [...path, key]));
      });
      return map;
    }
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean' || item === null) return scalarNode(item);
    throw new TypeError(`cannot write ${typeof item} values as YAML`);
  };

  const document = new Document(undefined, {
    version: quoting === 'go-yaml' ? '1.1' : '1.2',
    customTags: (tags) => [escapedStringTag, ...(quoting === 'go-yaml' ? goYamlQuoting(tags) : tags)],
  });
  document.contents = toNode(value, []) as YAMLMap;
  const header = options.header ?? (typeof value === 'object' && value !== null ? commentOf(value) : undefined);
  if (header) document.commentBefore = toYamlComment(header);
  return document.toString({
    lineWidth: 0,
    commentString: printComment,
    indentSeq: options.indentSequences,
    // The strict mode keeps every double-quoted string on one line, newlines escaped; the go-yaml
    // mode keeps the library's layout, which is the one the kubectl comparisons pin down.
    ...(quoting === 'unless-plain-safe' ? { doubleQuotedMinMultiLineLength: Number.POSITIVE_INFINITY } : {}),
  });
}

/**
 * A Kubernetes manifest or configuration file (kubeadm, kind, plain objects) as kubectl writes
 * one: keys in the order the data holds them, strings quoted the go-yaml way (so every character
 * YAML 1.1 or Go reads as a line break is written as an escape), list items indented under their
 * key, no comments. Every YAML file k8s-gen writes outside the typed SDK packages goes through it.
 *
 * @throws TypeError when the data holds a value YAML cannot express.
 * @example
 * ```ts
 * writeManifestYaml({ kind: 'Cluster', nodes: [{ role: 'control-plane' }] });
 * // 'kind: Cluster\nnodes:\n  - role: control-plane\n'
 * ```
 */
export function writeManifestYaml(value: unknown): string {
  return writeYaml(value, { commentOf: () => undefined, keyOrder: (keys) => keys, quoting: 'go-yaml', indentSequences: true, header: '' });
}

/**
 * Reading YAML the way Go programs built on go-yaml v2 (kube-apiserver, kubectl, sigs.k8s.io/yaml)
 * do, and finding where a path of a decoded document sits in its text.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from 'yaml';
import { goYamlScalars } from './go-yaml.js';
import type { PathSegment } from './write.js';

/** Options for {@link parseGoYaml}. */
export interface ParseGoYamlOptions {
  /** Whether a key written twice in one mapping is a syntax error (`true`) or left for the caller to report. */
  uniqueKeys: boolean;
  /** Whether error messages carry the yaml library's line, column and source excerpt. Default true. */
  prettyErrors?: boolean;
}

/** A parsed document with the means to turn its offsets into 1-based line and column. */
export interface GoYamlDocument {
  /** The yaml library's document; read `errors` and `warnings` before using `contents`. */
  document: Document;
  /** Line and column (both 1-based) of an offset into the text. */
  positionOf(offset: number): { line: number; column: number };
}

/**
 * Parses YAML (or JSON) text with go-yaml v2's scalar rules ({@link goYamlScalars}): an unquoted
 * `yes` is a boolean and `0777` a number, as kube-apiserver and kubectl read them.
 */
export function parseGoYaml(text: string, options: ParseGoYamlOptions): GoYamlDocument {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {
    lineCounter,
    uniqueKeys: options.uniqueKeys,
    prettyErrors: options.prettyErrors ?? true,
    version: '1.1',
    customTags: goYamlScalars,
  });
  const positionOf = (offset: number): { line: number; column: number } => {
    const position = lineCounter.linePos(offset);
    return { line: position.line, column: position.col };
  };
  return { document, positionOf };
}

/** The text of a map entry's key, as the decoded object names it. */
export function keyText(pair: Pair): string {
  return String(isScalar(pair.key) ? pair.key.value : pair.key);
}

/** The pair a map holds for `key`; with a key written twice the last one, which is the one a decoder keeps. */
export function pairFor(map: { items: Pair[] }, key: PathSegment): Pair | undefined {
  for (let i = map.items.length - 1; i >= 0; i--) {
    const pair = map.items[i]!;
    if (isScalar(pair.key) && String(pair.key.value) === String(key)) return pair;
  }
  return undefined;
}

/** Follows an alias to the node it stands for. */
function resolved(node: unknown, document: Document): unknown {
  return isAlias(node) ? node.resolve(document) : node;
}

/** The node {@link nodeAtPath} found and the offset where it starts. */
export interface PathTarget {
  /** The key node, the value node, or for a path that does not exist the closest existing parent. */
  node: unknown;
  /** Offset into the text where the place starts. */
  offset: number;
  /** Whether the whole path exists in the document. */
  found: boolean;
}

/** Options for {@link nodeAtPath}. */
export interface NodeAtPathOptions {
  /** For a path ending in a map key: point at the key itself or at the value under it. */
  pointsAt: 'key' | 'value';
  /**
   * Where a path that does not exist points: at the value of the closest existing parent, or at
   * the key that names that parent (for a list item, the item itself).
   */
  missing: 'parent-value' | 'parent-key';
}

/**
 * Finds the place in a parsed document that a path of the decoded data (`['rules', 3, 'level']`)
 * stands for, following aliases; used to give problems a line and column.
 */
export function nodeAtPath(document: Document, path: readonly PathSegment[], options: NodeAtPathOptions): PathTarget {
  let node = resolved(document.contents, document);
  let valueOffset = (node as Node | null)?.range?.[0] ?? 0;
  // Where the current node is named: its key in a map, the item itself in a list.
  let nameOffset = valueOffset;
  const notFound = (): PathTarget => ({ node, offset: options.missing === 'parent-key' ? nameOffset : valueOffset, found: false });
  for (const [index, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = pairFor(node, segment);
      if (!pair) return notFound();
      nameOffset = (pair.key as Node).range?.[0] ?? valueOffset;
      if (index === path.length - 1 && options.pointsAt === 'key') return { node: pair.key, offset: nameOffset, found: true };
      node = resolved(pair.value, document);
      valueOffset = (node as Node | null)?.range?.[0] ?? nameOffset;
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      node = resolved(node.items[segment], document);
      valueOffset = (node as Node | null)?.range?.[0] ?? valueOffset;
      nameOffset = valueOffset;
    } else {
      return notFound();
    }
  }
  return { node, offset: valueOffset, found: true };
}

/**
 * The comment written above a list item, as the yaml library stored it (see `fromYamlComment`).
 * The library files the first item's comment under the list itself, so that one is looked up there.
 */
export function itemComment(list: { commentBefore?: string | null; items: unknown[] }, index: number): string | undefined {
  const item = list.items[index] as { commentBefore?: string | null } | undefined;
  return item?.commentBefore ?? (index === 0 ? list.commentBefore : undefined) ?? undefined;
}

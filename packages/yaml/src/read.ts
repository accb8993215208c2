/**
 * Finding where a path of decoded data sits in a parsed YAML document, and reading comments back.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import type { PathSegment } from './write.js';

/** A quoted path segment (`"a.b/c"`); a malformed escape keeps the text between the quotes. */
function quotedSegment(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}

/**
 * A path written as text (`users[0].user["a.b/c"]`, the form problems carry) as segments: the
 * inverse of the generated runtimes' `formatPath`.
 *
 * @example
 * ```ts
 * pathSegments('rules[3].resources[0].group'); // ['rules', 3, 'resources', 0, 'group']
 * ```
 */
export function pathSegments(pathText: string): PathSegment[] {
  const segments: PathSegment[] = [];
  for (const match of pathText.matchAll(/\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|([^.[\]]+)/g)) {
    if (match[1] !== undefined) segments.push(Number(match[1]));
    else if (match[2] !== undefined) segments.push(quotedSegment(match[2]));
    else if (match[3] !== undefined) segments.push(match[3]);
  }
  return segments;
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

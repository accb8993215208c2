/**
 * The YAML layer shared by the shippers whose configs are YAML (Fluent Bit's YAML format, Vector,
 * the OpenTelemetry Collector): a small tree of maps, lists and scalars, a printer and a reader.
 *
 * The printer writes block maps and lists only, a string plain when every YAML 1.1 and 1.2 reader
 * reads it back unchanged (`isPlainSafe` of `@k8s-gen/yaml`) and double-quoted with escapes
 * otherwise, and a code string the caller marks as a block literal (`|`). The reader refuses what
 * the printer never writes and what the tools read differently from each other: anchors, aliases,
 * tags, duplicate keys, several documents, flow collections of the wrong kind, and plain scalars
 * that YAML 1.1 and 1.2 read differently (`yes`, `on`, `0777`). Each language turns its own tree
 * into this one and applies its own interpolation rules (`$$`, `${...}`) to the text.
 */
import { escapedDoubleQuoted, isPlainSafe } from '@k8s-gen/yaml';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Scalar } from 'yaml';
import type { Problem } from '@k8s-gen/runtime';
import { DEFAULT_READER_LIMITS, failed, refusal, succeeded, type CollectorResult, type ReaderLimits } from './problems.js';

/** A scalar: text, a number or a boolean; `block` writes text as a `|` block literal (code). */
export interface YamlScalar {
  readonly kind: 'scalar';
  readonly value: string | number | boolean;
  /** Write the text as a block literal; only for multi-line code the program generates. */
  readonly block?: boolean;
}

/** One key of a map, with an optional comment line above it. */
export interface YamlEntry {
  readonly key: string;
  readonly value: YamlNode;
  readonly comment?: string;
}

/** A block map; keys keep their order. */
export interface YamlMap {
  readonly kind: 'map';
  readonly entries: readonly YamlEntry[];
}

/** One item of a list, with an optional comment line above it. */
export interface YamlItem {
  readonly value: YamlNode;
  readonly comment?: string;
}

/** A block list. */
export interface YamlList {
  readonly kind: 'list';
  readonly items: readonly YamlItem[];
}

/** Any node of the tree. */
export type YamlNode = YamlScalar | YamlMap | YamlList;

/** A scalar node. */
export function yamlScalar(value: string | number | boolean, block = false): YamlScalar {
  return block ? { kind: 'scalar', value, block: true } : { kind: 'scalar', value };
}

/** A map node from entries. */
export function yamlMap(entries: readonly YamlEntry[]): YamlMap {
  return { kind: 'map', entries };
}

/** A list node from values. */
export function yamlList(values: readonly YamlNode[]): YamlList {
  return { kind: 'list', items: values.map((value) => ({ value })) };
}

const INDENT = '  ';

/**
 * Characters a block literal may hold as they are: tab, line feed and printable text, but not
 * U+0085, U+2028 or U+2029 (YAML 1.1 readers such as libyaml take them for line breaks, which
 * would end the block early), CR (folded with a line feed), nor the byte-order mark.
 */
const BLOCK_SAFE_TEXT = /^[\t\n\u0020-\u007e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]*$/u;

/**
 * Whether text can be written as a block literal that every reader reads back exactly. Lines of
 * nothing but spaces or tabs are read differently (the yaml library takes trailing ones for empty
 * lines, libyaml keeps them), so text holding one is quoted instead, as is any other character
 * that needs an escape.
 */
function blockSafe(text: string): boolean {
  return BLOCK_SAFE_TEXT.test(text) && !/(?:^|\n)[ \t]+(?:\n|$)/.test(text);
}

function scalarText(scalar: YamlScalar, indent: string, plain: PlainTest): string {
  const { value } = scalar;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : escapedDoubleQuoted(String(value));
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (scalar.block === true && value.includes('\n') && blockSafe(value)) {
    // Chomping keeps the text exact: `|-` strips the missing final line feed, `|` keeps one
    // (but clips trailing empty lines, and has nothing to keep when the text is one line feed).
    const content = value.endsWith('\n') ? value.slice(0, -1) : value;
    const chomp = !value.endsWith('\n') ? '-' : content === '' || content.endsWith('\n') ? '+' : '';
    // Readers take the block's indentation from its first line that is not empty; when that line
    // starts with a space (read as more indentation) or a tab (which libyaml refuses where it
    // looks for indentation), an indicator, relative to the parent's indentation as libyaml and
    // go-yaml read it, fixes the indentation instead.
    const firstLine = content.split('\n').find((line) => line !== '');
    const indicator = firstLine !== undefined && /^[ \t]/.test(firstLine) ? String(INDENT.length) : '';
    const body = content
      .split('\n')
      .map((line) => (line === '' ? '' : `${indent}${INDENT}${line}`))
      .join('\n');
    return `|${indicator}${chomp}\n${body}`;
  }
  return plain(value) ? value : escapedDoubleQuoted(value);
}

function commentLines(comment: string | undefined, indent: string): string[] {
  return comment === undefined ? [] : [`${indent}#${comment === '' ? '' : ` ${comment}`}`];
}

function keyText(key: string): string {
  return isPlainSafe(key) ? key : escapedDoubleQuoted(key);
}

function printNode(node: YamlNode, indent: string, lines: string[], plain: PlainTest): void {
  if (node.kind === 'map') {
    for (const entry of node.entries) {
      lines.push(...commentLines(entry.comment, indent));
      printValue(`${indent}${keyText(entry.key)}:`, entry.value, indent, lines, plain);
    }
  } else if (node.kind === 'list') {
    for (const item of node.items) {
      lines.push(...commentLines(item.comment, indent));
      if (item.value.kind === 'map' && item.value.entries.length > 0) {
        // `- key: value` then the other keys under the first one.
        const inner: string[] = [];
        printNode(item.value, `${indent}${INDENT}`, inner, plain);
        const first = inner.findIndex((line) => !line.trimStart().startsWith('#'));
        inner[first] = `${indent}- ${inner[first]!.slice(indent.length + INDENT.length)}`;
        lines.push(...inner);
      } else printValue(`${indent}-`, item.value, indent, lines, plain);
    }
  } else lines.push(`${indent}${scalarText(node, indent, plain)}`);
}

function printValue(prefix: string, value: YamlNode, indent: string, lines: string[], plain: PlainTest): void {
  if (value.kind === 'scalar') lines.push(`${prefix} ${scalarText(value, indent, plain)}`);
  else if (value.kind === 'map' && value.entries.length === 0) lines.push(`${prefix} {}`);
  else if (value.kind === 'list' && value.items.length === 0) lines.push(`${prefix} []`);
  else {
    lines.push(prefix);
    printNode(value, `${indent}${INDENT}`, lines, plain);
  }
}

/** Whether a string may be written as a plain scalar for the reader at hand. */
export type PlainTest = (text: string) => boolean;

/**
 * Prints a tree as a YAML document: block style, two-space indentation, `header` as comment lines
 * on top; strings plain where `plain` allows (default: where every YAML 1.1 and 1.2 reader reads
 * them back unchanged). Byte-for-byte the same for the same tree.
 *
 * @example
 * ```ts
 * printYaml(yamlMap([{ key: 'a', value: yamlScalar('on') }])); // 'a: "on"\n'
 * ```
 */
export function printYaml(root: YamlMap, header?: readonly string[], plain: PlainTest = isPlainSafe): string {
  const lines = (header ?? []).flatMap((line) => commentLines(line, ''));
  printNode(root, '', lines, plain);
  return `${lines.join('\n')}\n`;
}

/** Options of {@link readConfigYaml}. */
export interface ReadConfigYamlOptions extends ReaderLimits {
  /**
   * `strings`: every scalar is text, as libyaml gives it to Fluent Bit. `typed`: plain `true`,
   * `false`, integers and decimals are booleans and numbers (YAML 1.2 core), as serde_yaml and
   * go-yaml v3 read them; plain scalars YAML 1.1 reads differently are refused.
   */
  readonly scalars: 'strings' | 'typed';
  /** Name of the language, for problem codes (`vector-yaml`). */
  readonly language: string;
  /** The file the text came from, copied into every problem. */
  readonly file?: string;
}

/** Plain scalars that YAML 1.1 readers take for booleans, null or octal/sexagesimal numbers. */
const YAML_11_SPECIAL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|~|null|Null|NULL|0[0-7]+|0o[0-7]+|[-+]?[0-9]+(?:_[0-9]+)+|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|[-+]?0b[01_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/**
 * Reads YAML text into the tree, or returns the problems (with line and column) of what the
 * printer would never write and the tools could read differently. Never throws.
 *
 * @example
 * ```ts
 * readConfigYaml('a: 1\n', { scalars: 'typed', language: 'vector' }); // { ok: true, value: map a -> scalar 1 }
 * ```
 */
export function readConfigYaml(text: string, options: ReadConfigYamlOptions): CollectorResult<YamlMap> {
  const maxLength = options.maxLength ?? DEFAULT_READER_LIMITS.maxLength;
  const maxDepth = options.maxDepth ?? DEFAULT_READER_LIMITS.maxDepth;
  const code = `${options.language}-yaml`;
  const withFile = (problem: Problem): Problem => (options.file === undefined ? problem : { ...problem, file: options.file });
  if (typeof text !== 'string') return failed([withFile(refusal(code, '', 'the config is not text', 'pass the file contents as a string'))]);
  if (text.length > maxLength) return failed([withFile(refusal(`${options.language}-too-large`, '', `the config is ${text.length} characters long, more than the limit of ${maxLength}`, 'split the config, or raise maxLength'))]);
  const lineCounter = new LineCounter();
  // strict mode, YAML 1.2; a second document is reported by the library as an error.
  const document = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, version: '1.2', schema: options.scalars === 'strings' ? 'failsafe' : 'core', strict: true });
  const at = (node: { range?: readonly number[] | null } | null | undefined, path: string, message: string, fix: string): Problem => {
    const position = node?.range ? lineCounter.linePos(node.range[0]!) : undefined;
    return withFile(refusal(code, path, message, fix, position === undefined ? undefined : { line: position.line, column: position.col }));
  };
  const errors = [...document.errors, ...document.warnings];
  if (errors.length > 0) {
    const first = errors[0]!;
    const position = lineCounter.linePos(first.pos[0]);
    return failed([withFile(refusal(code, '', `YAML syntax: ${first.message.split('\n')[0]}`, 'fix the YAML syntax', { line: position.line, column: position.col }))]);
  }
  const problems: Problem[] = [];
  const convert = (node: unknown, path: string, depth: number): YamlNode | undefined => {
    if (depth > maxDepth) {
      problems.push(at(node as Node, path, `the config is nested more than ${maxDepth} deep`, 'flatten the config, or raise maxDepth'));
      return undefined;
    }
    if (isAlias(node)) {
      problems.push(at(node, path, 'the config uses an alias (*name)', 'write the value out; aliases are not supported'));
      return undefined;
    }
    const yamlNode = node as Node & { anchor?: string; tag?: string };
    if (yamlNode?.anchor) {
      problems.push(at(yamlNode, path, `the config sets an anchor (&${yamlNode.anchor})`, 'remove the anchor'));
      return undefined;
    }
    if (isMap(node)) {
      if (node.tag !== undefined && node.tag !== 'tag:yaml.org,2002:map') problems.push(at(node, path, `the map has the tag ${node.tag}`, 'remove the tag'));
      const entries: YamlEntry[] = [];
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isScalar(pair.key) || typeof pair.key.value !== 'string' || (pair.key as Scalar).tag !== undefined) {
          problems.push(at(pair.key as Node, path, 'a map key is not plain text', 'write keys as text'));
          continue;
        }
        const key = pair.key.value;
        const keyPath = path === '' ? key : `${path}.${key}`;
        if (key === '<<') {
          problems.push(at(pair.key, keyPath, 'the config uses a merge key (<<)', 'write the keys out'));
          continue;
        }
        if (seen.has(key)) {
          problems.push(at(pair.key, keyPath, `the key ${key} appears twice`, 'keep one of the two'));
          continue;
        }
        seen.add(key);
        const value = pair.value === null ? undefined : convert(pair.value, keyPath, depth + 1);
        if (pair.value === null) problems.push(at(pair.key, keyPath, `${key} has no value`, `give ${key} a value`));
        else if (value !== undefined) entries.push({ key, value });
      }
      return { kind: 'map', entries };
    }
    if (isSeq(node)) {
      if (node.tag !== undefined && node.tag !== 'tag:yaml.org,2002:seq') problems.push(at(node, path, `the list has the tag ${node.tag}`, 'remove the tag'));
      const items: YamlItem[] = [];
      node.items.forEach((item, index) => {
        const value = convert(item, `${path}[${index}]`, depth + 1);
        if (value !== undefined) items.push({ value });
      });
      return { kind: 'list', items };
    }
    if (isScalar(node)) {
      if (node.tag !== undefined) {
        problems.push(at(node, path, `the value has the explicit tag ${node.tag}`, 'remove the tag'));
        return undefined;
      }
      const source = (node as Scalar & { source?: string }).source;
      if (options.scalars === 'typed' && node.type === 'PLAIN' && typeof source === 'string' && YAML_11_SPECIAL.test(source)) {
        problems.push(at(node, path, `the plain value ${source} means something else to YAML 1.1 readers than to YAML 1.2 readers`, `quote it ("${source}") if it is text`));
        return undefined;
      }
      const value = node.value;
      if (value === null) {
        problems.push(at(node, path, 'the value is null', 'give a value'));
        return undefined;
      }
      if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return { kind: 'scalar', value };
      problems.push(at(node, path, 'the value is not text, a number or a boolean', 'write it as text'));
      return undefined;
    }
    problems.push(at(node as Node, path, 'the document is empty', 'write the config as a map'));
    return undefined;
  };
  const root = convert(document.contents, '', 0);
  if (problems.length > 0) return failed(problems);
  if (root === undefined || root.kind !== 'map') return failed([at(document.contents as Node, '', 'the document is not a map of settings', 'start the file with the top-level keys')]);
  return succeeded(root);
}

/** The entry of `map` named `key`. */
export function entryOf(map: YamlMap, key: string): YamlNode | undefined {
  return map.entries.find((entry) => entry.key === key)?.value;
}

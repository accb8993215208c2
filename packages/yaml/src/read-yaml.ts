/**
 * The one YAML reader of the SDK packages: bytes or text in, go-yaml's data out, with every
 * reading limit applied before the part of the work it protects.
 */
import { parseAllDocuments, parseDocument, type Document, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';
import { goData } from './go-data.js';
import { goYamlScalars } from './go-yaml.js';
import { decodeInput } from './input.js';
import { readLimits, type ReadLimits } from './limits.js';
import { nestingProblem } from './nesting.js';
import { positionsOf, readError, type ReadProblem, type SourcePosition } from './problem.js';
import { nodeAtPath, type NodeAtPathOptions } from './read.js';
import type { PathSegment } from './write.js';

/** Options for {@link readYaml}. */
export interface ReadYamlOptions {
  /** Reading limits; each one left out keeps its default ({@link DEFAULT_READ_LIMITS}). */
  limits?: Partial<ReadLimits>;
  /**
   * - `'yaml'` (default): everything is YAML, as go-yaml reads it (kubectl, kubeconfig loading).
   * - `'yaml-or-json'`: text whose first character after white space is `{` is JSON, read like
   *   Go's JSON decoder (no comments, nothing after the value, malformed UTF-8 replaced), as
   *   apimachinery's universal decoder reads it (kube-apiserver's audit policy file).
   */
  format?: 'yaml' | 'yaml-or-json';
  /** With `'yaml-or-json'`: the `{` must start within this many bytes (1.20's decoder looked at 2,048). */
  jsonPeekBytes?: number;
}

/** One document of a {@link YamlRead}. */
export interface YamlDocumentRead {
  /**
   * The yaml library's document, for comments and node positions. Read data from `data`, never
   * with `document.toJS()`, which knows none of the limits.
   */
  document: Document;
  /** Where the document starts (its `---` line, or its first content). */
  start: SourcePosition;
  /**
   * The data as kube-apiserver and kubectl decode it (go-yaml v2 and sigs.k8s.io/yaml): aliases
   * expanded, merge keys applied, keys as text, nulls kept. Undefined when `problems` is not empty.
   */
  data: unknown;
  /** Errors that make the document unreadable: syntax, aliases, limits, keys and values JSON cannot hold. */
  problems: ReadProblem[];
  /** Keys written twice in one mapping, as errors; `data` holds the last value, as Go's decoders do. */
  duplicateKeys: ReadProblem[];
  /**
   * Line and column of a path into `data`. By default the key at the path (for a list item, the
   * item), or for a path that does not exist the key of its closest existing parent.
   */
  locate(at: readonly PathSegment[], options?: Partial<NodeAtPathOptions>): SourcePosition;
}

/** What {@link readYaml} read. */
export interface YamlRead {
  /** The decoded text that was parsed (empty when the input was refused before decoding). */
  text: string;
  /** `'json'` when the text was read as JSON (see {@link ReadYamlOptions.format}). */
  format: 'yaml' | 'json';
  /**
   * Problems with the input as a whole: size, encoding, characters, nesting depth, JSON syntax.
   * When there is one, nothing was parsed and `documents` is empty.
   */
  problems: ReadProblem[];
  /** Every document, in order; empty for an empty or comment-only text. A JSON text is one document. */
  documents: YamlDocumentRead[];
  /** Line and column (both 1-based) of an offset into `text`. */
  positionOf(offset: number): SourcePosition;
}

const PARSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  customTags: goYamlScalars,
  uniqueKeys: false,
  prettyErrors: false,
};

function documentRead(document: Document, limits: ReadLimits, positionOf: (offset: number) => SourcePosition): YamlDocumentRead {
  const locate = (at: readonly PathSegment[], options: Partial<NodeAtPathOptions> = {}): SourcePosition =>
    positionOf(nodeAtPath(document, at, { pointsAt: options.pointsAt ?? 'key', missing: options.missing ?? 'parent-key' }).offset);
  const start = positionOf(document.range?.[0] ?? 0);
  const base = { document, start, locate };
  if (document.errors.length > 0) {
    const problems = document.errors.map((error) =>
      readError('yaml-syntax', positionOf(error.pos[0]), `${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}.`.replace(/\.\.$/, '.'), 'Correct the YAML syntax at this position.'),
    );
    return { ...base, data: undefined, problems, duplicateKeys: [] };
  }
  const result = goData(document, limits, positionOf);
  return result.ok ? { ...base, data: result.data, problems: [], duplicateKeys: result.duplicateKeys } : { ...base, data: undefined, problems: result.problems, duplicateKeys: [] };
}

/** The offset V8 names in a JSON.parse error ("... at position 12" or "(line 1 column 13)"). */
function jsonErrorOffset(message: string, positionOf: (offset: number) => SourcePosition, text: string): SourcePosition {
  const atPosition = /at position (\d+)/.exec(message);
  if (atPosition) return positionOf(Number(atPosition[1]));
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  return positionOf(text.length);
}

function readJson(text: string, limits: ReadLimits, positionOf: (offset: number) => SourcePosition): YamlRead {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const problem = readError(
      'json-syntax',
      jsonErrorOffset(message, positionOf, text),
      `The text starts with "{", so kube-apiserver reads it as JSON, and it is not valid JSON (${message.replace(/\.$/, '')}).`,
      'Correct the JSON; comments and YAML syntax are allowed only in a file that does not start with "{".',
    );
    return { text, format: 'json', problems: [problem], documents: [], positionOf };
  }
  // JSON is YAML too: the yaml library's reading of the same text gives positions and the keys
  // written twice (JSON.parse, like Go, keeps the last), never the data.
  const read = documentRead(parseDocument(text, PARSE_OPTIONS), limits, positionOf);
  return { text, format: 'json', problems: [], documents: [{ ...read, data, problems: [] }], positionOf };
}

/**
 * Reads YAML (or JSON) the way kube-apiserver and kubectl do, within reading limits.
 *
 * In order, each step only after the previous one passed:
 * 1. the size, before anything is decoded (`maxBytes`);
 * 2. the encoding and characters, by go-yaml v2's reader rules (UTF-8 or, after a byte-order
 *    mark, UTF-16; no control characters, even in comments), plus U+0085, U+2028, U+2029 and
 *    U+FEFF after the first character, which go-yaml reads differently from what editors show;
 * 3. the nesting depth on the lexer's tokens (`maxDepth`), before documents are composed;
 * 4. per document: syntax, then aliases (`maxAliases`, `maxExpandedValues`, expanded depth,
 *    undefined and recursive aliases) without expanding anything, then the data.
 *
 * Scalars follow go-yaml v2 (YAML 1.1: `yes` is true, `0777` is 511, dates stay text). Never
 * throws for any input: everything wrong is a located {@link ReadProblem}.
 *
 * @example
 * ```ts
 * const read = readYaml(readFileSync('audit-policy.yaml'), { format: 'yaml-or-json' });
 * for (const problem of [...read.problems, ...(read.documents[0]?.problems ?? [])]) console.error(`${problem.line}:${problem.column} ${problem.message}`);
 * const policy = read.documents[0]?.data;
 * ```
 */
export function readYaml(input: string | Uint8Array, options: ReadYamlOptions = {}): YamlRead {
  const limits = readLimits(options.limits);
  const decoded = decodeInput(input, { maxBytes: limits.maxBytes, json: options.format === 'yaml-or-json', ...(options.jsonPeekBytes !== undefined ? { jsonPeekBytes: options.jsonPeekBytes } : {}) });
  if (!decoded.ok) return { text: '', format: 'yaml', problems: [decoded.problem], documents: [], positionOf: positionsOf('') };
  const { text } = decoded;
  const positionOf = positionsOf(text);
  const format = decoded.json ? 'json' : 'yaml';
  const deep = nestingProblem(text, limits.maxDepth);
  if (deep !== undefined) return { text, format, problems: [deep], documents: [], positionOf };
  if (decoded.json) return readJson(text, limits, positionOf);
  const parsed = parseAllDocuments(text, PARSE_OPTIONS);
  const documents = (Array.isArray(parsed) ? parsed : []).map((document) => documentRead(document, limits, positionOf));
  return { text, format, problems: [], documents, positionOf };
}

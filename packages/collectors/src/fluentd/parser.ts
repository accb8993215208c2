/**
 * Reads fluentd v1 config text into the AST, following fluentd's own parser (`V1Parser` and
 * `LiteralParser` in lib/fluent/config of github.com/fluent/fluentd) for what the model covers:
 * sections, `key value` lines, bare, single-quoted, double-quoted and one-line JSON values, and
 * comments. What needs fluentd itself to evaluate is refused: `@include`, and `#{...}` Ruby in
 * double-quoted strings and JSON. The writer uses this parser to check its own output.
 *
 * The rules followed (each has a test in test/hostile/fluentd.test.ts):
 * - lines end at `\n`, `\r\n` or a lone `\r` (`LINE_END` matches `[\r\n]`);
 * - a bare value runs to the end of the line; white space then `#` starts a comment, a `#`
 *   anywhere else is text (`k #x` is the value `#x`); trailing spaces and tabs are dropped;
 * - a double-quoted value knows the escapes `\" \' \\ \r \n \t \f \b \0`, refuses a backslash
 *   before a letter or digit, reads a backslash before any other symbol as the symbol (`\#` is
 *   `#`), and runs `#{...}` as Ruby when the config loads;
 * - a single-quoted value knows only `\'` and `\\`;
 * - a value starting with `[` or `{` is JSON, kept as its compact text;
 * - after a section's start or end tag only spaces and a comment may follow on the line.
 */
import type { Problem } from '@k8s-gen/runtime';
import { DEFAULT_READER_LIMITS, failed, positionAt, refusal, succeeded, type CollectorResult, type ReaderLimits } from '../problems.js';
import { classifyValue, valueContext, type FluentComment, type FluentConfig, type FluentElement, type FluentNode, type FluentParam, type ValueContext } from './ast.js';

/** Options of {@link parseFluentd}. */
export interface ParseFluentdOptions extends ReaderLimits {
  /** Keep `# ...` lines as comment nodes (default true). */
  readonly comments?: boolean;
  /** The file the text came from, copied into every problem. */
  readonly file?: string;
}

interface OpenElement {
  readonly name: string;
  readonly arg: string;
  readonly body: FluentNode[];
}

/** Thrown inside the parser only, and turned into the result's problem. */
class ParseStop {
  constructor(readonly problem: Problem) {}
}

/**
 * Parses fluentd config text. Values are typed by where they are, with the writer's rules: in
 * `<record>` of a record plugin that runs Ruby, text with Ruby markers is a `RubyExpression`;
 * elsewhere text with placeholder syntax is `PlaceholderText`. Never throws: text it cannot read
 * gives a problem with the line and column.
 *
 * @example
 * ```ts
 * const parsed = parseFluentd('<match **>\n  @type stdout\n</match>\n');
 * parsed.ok && parsed.value.body[0]; // { kind: 'element', name: 'match', arg: '**', body: [...] }
 * ```
 */
export function parseFluentd(text: string, options: ParseFluentdOptions = {}): CollectorResult<FluentConfig> {
  const maxLength = options.maxLength ?? DEFAULT_READER_LIMITS.maxLength;
  const maxDepth = options.maxDepth ?? DEFAULT_READER_LIMITS.maxDepth;
  const withFile = (problem: Problem): Problem => (options.file === undefined ? problem : { ...problem, file: options.file });
  if (typeof text !== 'string') return failed([withFile(refusal('fluentd-parse', '', 'the config is not text', 'pass the file contents as a string'))]);
  if (text.length > maxLength) {
    return failed([withFile(refusal('fluentd-too-large', '', `the config is ${text.length} characters long, more than the limit of ${maxLength}`, 'split the config, or raise maxLength'))]);
  }
  const keepComments = options.comments ?? true;
  const root: (FluentElement | FluentComment)[] = [];
  const stack: OpenElement[] = [];
  const error = (at: number, message: string, fix: string): never => {
    throw new ParseStop(withFile(refusal('fluentd-parse', stack.map((e) => `<${e.name}${e.arg ? ` ${e.arg}` : ''}>`).join(' > '), message, fix, positionAt(text, at))));
  };
  try {
    const lineBreak = /\r\n|\r|\n/g;
    let lineStart = 0;
    for (;;) {
      const found = lineBreak.exec(text);
      const lineEnd = found === null ? text.length : found.index;
      const line = text.slice(lineStart, lineEnd);
      const lead = line.length - line.replace(/^[ \t]+/, '').length;
      const body = line.slice(lead);
      const at = lineStart + lead;
      if (body !== '') readLine(body, at);
      if (found === null) break;
      lineStart = lineEnd + found[0].length;
    }
    if (stack.length > 0) error(text.length, `the section <${stack[stack.length - 1]!.name}> is not closed`, `add </${stack[stack.length - 1]!.name}>`);
  } catch (stop) {
    if (stop instanceof ParseStop) return failed([stop.problem]);
    throw stop;
  }
  return succeeded({ kind: 'config', body: root.map((node) => (node.kind === 'element' ? typeValues(node, undefined) : node)) });

  function readLine(body: string, at: number): void {
    if (body.startsWith('#')) {
      if (!keepComments) return;
      const node: FluentComment = { kind: 'comment', text: body.slice(1).startsWith(' ') ? body.slice(2) : body.slice(1) };
      (stack.length > 0 ? stack[stack.length - 1]!.body : root).push(node);
      return;
    }
    const close = /^<\/([A-Za-z0-9_]+)[ \t]*>(.*)$/.exec(body);
    if (close) {
      expectLineEnd(close[2]!, at, error);
      const open = stack.pop();
      if (!open || open.name !== close[1]) {
        error(at, `the end tag </${close[1]}> does not close ${open ? `<${open.name}>` : 'any open section'}`, 'balance the section tags');
      }
      const el: FluentElement = { kind: 'element', name: open!.name, arg: open!.arg, body: open!.body };
      if (stack.length > 0) stack[stack.length - 1]!.body.push(el);
      else root.push(el);
      return;
    }
    if (body.startsWith('<')) {
      const open = /^<([A-Za-z0-9_]+)(.*)$/.exec(body);
      if (!open) error(at, 'a section tag must start with a name of letters, digits and _', 'write <name> or <name argument>');
      let rest = open![2]!;
      let arg = '';
      const trimmed = rest.replace(/^[ \t]+/, '');
      if (trimmed.startsWith('"')) {
        const quoted = readDoubleQuoted(trimmed, 1, at, error);
        arg = quoted.value;
        rest = trimmed.slice(quoted.end);
        const gt = /^[ \t]*>/.exec(rest);
        if (!gt) error(at, "expected '>' after the quoted section argument", 'close the tag with >');
        rest = rest.slice(gt![0].length);
      } else {
        const gt = rest.indexOf('>');
        if (gt < 0) error(at, "expected '>' to end the section tag", 'close the tag with >');
        arg = rest.slice(0, gt).replace(/^[ \t]+|[ \t]+$/g, '');
        // fluentd skips white space and comments before the argument: `<match #a>` is an error there.
        if (arg.includes('#')) error(at, 'a # in a section tag starts a comment in fluentd', 'remove the # from the tag');
        rest = rest.slice(gt + 1);
      }
      expectLineEnd(rest, at, error);
      if (stack.length >= maxDepth) error(at, `sections are nested more than ${maxDepth} deep`, 'flatten the config, or raise maxDepth');
      stack.push({ name: open![1]!, arg, body: [] });
      return;
    }
    if (stack.length === 0) {
      error(at, 'a parameter outside any section (or an @include) is not supported', 'put parameters inside a directive such as <source> or <match>');
    }
    stack[stack.length - 1]!.body.push(parseParam(body, at, error));
  }
}

type ErrorAt = (at: number, message: string, fix: string) => never;

// After a quoted value or a tag: only spaces and tabs, then optionally a comment.
function expectLineEnd(rest: string, at: number, error: ErrorAt): void {
  if (!/^[ \t]*(?:#.*)?$/.test(rest)) error(at, 'unexpected text after the value or tag', 'put one item per line');
}

function parseParam(body: string, at: number, error: ErrorAt): FluentParam {
  const key = /^[^ \t]+/.exec(body)![0];
  if (key === '@include') error(at, '@include is not supported', 'inline the included file');
  const afterKey = body.slice(key.length);
  const rest = afterKey.replace(/^[ \t]+/, '');
  // Only the key on its line: the value is '' (fluentd's "without value" form).
  if (rest === '') return { kind: 'param', key, value: '' };
  const valueAt = at + key.length + (afterKey.length - rest.length);
  if (rest.startsWith('"')) {
    const quoted = readDoubleQuoted(rest, 1, valueAt, error);
    expectLineEnd(rest.slice(quoted.end), valueAt, error);
    return { kind: 'param', key, value: quoted.value };
  }
  if (rest.startsWith("'")) {
    let value = '';
    let i = 1;
    for (;;) {
      if (i >= rest.length) error(valueAt, 'a single-quoted value is not closed on its line', "close it with '");
      const c = rest[i]!;
      if (c === "'") break;
      if (c === '\\' && (rest[i + 1] === "'" || rest[i + 1] === '\\')) {
        value += rest[i + 1];
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    expectLineEnd(rest.slice(i + 1), valueAt, error);
    return { kind: 'param', key, value };
  }
  if (rest.startsWith('[') || rest.startsWith('{')) {
    // fluentd reads a JSON array or hash (evaluating #{...} in it) and keeps its compact JSON text.
    const candidate = rest.replace(/[ \t]+#.*$/, '').replace(/[ \t]+$/, '');
    if (candidate.includes('#{')) error(valueAt, 'embedded Ruby code (#{...}) in a JSON value is not supported', 'write the value literally');
    let parsed: unknown;
    try {
      parsed = JSON.parse(candidate);
    } catch {
      error(valueAt, 'a value starting with [ or { must be JSON on one line', 'write the JSON on one line, or quote the value');
    }
    return { kind: 'param', key, value: JSON.stringify(parsed) };
  }
  // Bare text: to the end of the line, cut where white space is followed by `#`, trailing white space dropped.
  const cut = /[ \t]+#/.exec(rest);
  const value = (cut ? rest.slice(0, cut.index) : rest).replace(/[ \t]+$/, '');
  return { kind: 'param', key, value };
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', "'": "'", r: '\r', n: '\n', t: '\t', f: '\f', b: '\b', '0': '\0' };

function readDoubleQuoted(s: string, start: number, at: number, error: ErrorAt): { value: string; end: number } {
  let value = '';
  let i = start;
  for (;;) {
    if (i >= s.length) error(at, 'a double-quoted value is not closed on its line', 'close it with "');
    const c = s[i]!;
    if (c === '"') return { value, end: i + 1 };
    if (c === '\\') {
      const next = s[i + 1];
      if (next === undefined) error(at, 'a double-quoted value ends with a backslash', 'escape the backslash as \\\\');
      if (ESCAPES[next!] !== undefined) value += ESCAPES[next!];
      else if (/[A-Za-z0-9]/.test(next!)) error(at, `unknown escape \\${next}`, 'use one of \\" \\\\ \\n \\t \\r \\f \\b \\0, or a symbol after the backslash');
      else value += next;
      i += 2;
      continue;
    }
    if (c === '#' && s[i + 1] === '{') {
      error(at, 'embedded Ruby code (#{...}) in a double-quoted value is not supported', 'write the value literally, or escape # as \\#');
    }
    value += c;
    i++;
  }
}

// Types each value by where it is (the writer's rules in reverse).
function typeValues(el: FluentElement, host: FluentElement | undefined): FluentElement {
  const context: ValueContext = valueContext(host, el);
  const body = el.body.map((node): FluentNode => {
    if (node.kind === 'element') return typeValues(node, el);
    if (node.kind === 'param' && typeof node.value === 'string') return { kind: 'param', key: node.key, value: classifyValue(node.value, context, node.key) };
    return node;
  });
  return { kind: 'element', name: el.name, arg: el.arg, body };
}

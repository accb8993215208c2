// Reads fluentd v1 config text into the AST, following fluentd's own parser for the parts the
// project uses: sections, `key value` lines, bare/single-quoted/double-quoted/JSON values and
// comments. `@include` and embedded `#{...}` Ruby are refused: they need fluentd to evaluate.
import { CollectorConfigError, positionAt } from '../errors.js';
import {
  RUBY_UNSAFE_CHARACTERS,
  isRubyRecordSection,
  type FluentComment,
  type FluentConfig,
  type FluentElement,
  type FluentNode,
  type FluentParam,
} from './ast.js';

/** Options of `parseFluentd`. */
export interface ParseFluentdOptions {
  /** Keep `# ...` lines as comment nodes (default true). */
  comments?: boolean;
}

interface OpenElement {
  name: string;
  arg: string;
  body: FluentNode[];
}

/**
 * Parses fluentd config text. Values inside `<record>` of a Ruby-evaluating record plugin that
 * contain Ruby markers become `RubyExpression` nodes, the same rule the writer applies.
 * Throws `CollectorConfigError` with the line and column for text it cannot read.
 */
export function parseFluentd(text: string, options: ParseFluentdOptions = {}): FluentConfig {
  const keepComments = options.comments ?? true;
  const root: (FluentElement | FluentComment)[] = [];
  const stack: OpenElement[] = [];
  let offset = 0;

  const error = (at: number, message: string, fix: string): never => {
    throw new CollectorConfigError({ code: 'fluentd-parse', path: stack.map((e) => `<${e.name}>`).join(' > '), message, fix, position: positionAt(text, at) });
  };

  const lines = text.split('\n');
  for (const rawLine of lines) {
    const lineStart = offset;
    offset += rawLine.length + 1;
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const lead = line.length - line.trimStart().length;
    const body = line.slice(lead);
    const at = lineStart + lead;
    if (body === '') continue;

    if (body.startsWith('#')) {
      if (!keepComments) continue;
      const node: FluentComment = { kind: 'comment', text: body.slice(1).startsWith(' ') ? body.slice(2) : body.slice(1) };
      (stack.length > 0 ? stack[stack.length - 1]!.body : root).push(node);
      continue;
    }

    const close = /^<\/([A-Za-z0-9_]+)\s*>(.*)$/.exec(body);
    if (close) {
      expectLineEnd(close[2]!, at, error);
      const open = stack.pop();
      if (!open || open.name !== close[1]) {
        error(at, `the end tag </${close[1]}> does not close ${open ? `<${open.name}>` : 'any open section'}`, 'balance the section tags');
      }
      const el: FluentElement = { kind: 'element', name: open!.name, arg: open!.arg, body: open!.body };
      if (stack.length > 0) stack[stack.length - 1]!.body.push(el);
      else root.push(el);
      continue;
    }

    if (body.startsWith('<')) {
      const open = /^<([A-Za-z0-9_]+)(.*)$/.exec(body);
      if (!open) error(at, 'a section tag must start with a name of letters, digits and _', 'write <name> or <name argument>');
      let rest = open![2]!;
      let arg = '';
      const trimmed = rest.trimStart();
      if (trimmed.startsWith('"')) {
        const quoted = readDoubleQuoted(trimmed, 1, at, error);
        arg = quoted.value;
        rest = trimmed.slice(quoted.end);
        const gt = /^\s*>/.exec(rest);
        if (!gt) error(at, "expected '>' after the quoted section argument", 'close the tag with >');
        rest = rest.slice(gt![0].length);
      } else {
        const gt = rest.indexOf('>');
        if (gt < 0) error(at, "expected '>' to end the section tag", 'close the tag with >');
        arg = rest.slice(0, gt).trim();
        rest = rest.slice(gt + 1);
      }
      expectLineEnd(rest, at, error);
      stack.push({ name: open![1]!, arg, body: [] });
      continue;
    }

    if (stack.length === 0) {
      error(at, 'a parameter outside any section (or an @include) is not supported', 'put parameters inside a directive such as <source> or <match>');
    }
    stack[stack.length - 1]!.body.push(parseParam(body, at, error));
  }
  if (stack.length > 0) {
    error(text.length, `the section <${stack[stack.length - 1]!.name}> is not closed`, `add </${stack[stack.length - 1]!.name}>`);
  }
  return { kind: 'config', body: root.map((n) => (n.kind === 'element' ? classifyRuby(n) : n)) };
}

type ErrorAt = (at: number, message: string, fix: string) => never;

function expectLineEnd(rest: string, at: number, error: ErrorAt): void {
  if (!/^[ \t]*(?:#.*)?$/.test(rest)) error(at, 'unexpected text after the value or tag', 'put one item per line');
}

function parseParam(body: string, at: number, error: ErrorAt): FluentParam {
  const keyMatch = /^\S+/.exec(body)!;
  const key = keyMatch[0];
  if (key === '@include') error(at, '@include is not supported', 'inline the included file');
  const afterKey = body.slice(key.length);
  const rest = afterKey.trimStart();
  // fluentd skips spacing and comments after the key: nothing or a comment means an empty value.
  if (rest === '' || rest.startsWith('#')) return { kind: 'param', key, value: '' };
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
    // fluentd reads a JSON array or hash and keeps its compact JSON text.
    const candidate = rest.replace(/[ \t]+#.*$/, '').trimEnd();
    let parsed: unknown;
    try {
      parsed = JSON.parse(candidate);
    } catch {
      error(valueAt, 'a value starting with [ or { must be JSON on one line', 'write the JSON on one line, or quote the value');
    }
    return { kind: 'param', key, value: JSON.stringify(parsed) };
  }
  // Bare text: up to the end of line, cut where whitespace is followed by a comment, trimmed.
  const cut = /[ \t]+#/.exec(rest);
  const value = (cut ? rest.slice(0, cut.index) : rest).replace(/[ \t]+$/, '');
  return { kind: 'param', key, value };
}

const ESCAPES: Record<string, string> = { '"': '"', "'": "'", r: '\r', n: '\n', t: '\t', f: '\f', b: '\b' };

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
      else if (/[A-Za-z0-9]/.test(next!)) error(at, `unknown escape \\${next}`, 'use one of \\" \\\\ \\n \\t \\r \\f \\b, or a symbol after the backslash');
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

// Applies the writer's rule in reverse: inside `<record>` of a Ruby-evaluating plugin, text that
// Ruby would interpret is code, not data.
function classifyRuby(el: FluentElement, host?: FluentElement): FluentElement {
  const ruby = host !== undefined && isRubyRecordSection(host, el);
  const body = el.body.map((node): FluentNode => {
    if (node.kind === 'element') return classifyRuby(node, el);
    if (ruby && node.kind === 'param' && typeof node.value === 'string' && RUBY_UNSAFE_CHARACTERS.test(node.value)) {
      return { kind: 'param', key: node.key, value: { kind: 'ruby', template: node.value } };
    }
    return node;
  });
  return { kind: 'element', name: el.name, arg: el.arg, body };
}

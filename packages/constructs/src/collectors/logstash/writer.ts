// Prints a logstash AST as canonical pipeline text: two-space indentation, one blank line between
// sections, strings always double-quoted, hashes one entry per line. Every value that logstash's
// grammar (or its `${VAR}` / `%{field}` substitution) would read differently is refused.
import { CollectorConfigError, hasLoneSurrogate } from '../errors.js';
import {
  BAREWORD,
  RESERVED_BAREWORDS,
  checkFieldName,
  type HashKey,
  type LogstashComment,
  type LogstashPipeline,
  type LogstashPlugin,
  type LogstashSetting,
  type LogstashValue,
  type PluginValue,
  type StringPart,
} from './ast.js';

/** Options of `writeLogstash` and `parseLogstash`. */
export interface LogstashSyntaxOptions {
  /**
   * Logstash reads `\"` and `\\` in strings as escapes only with `config.support_escapes: true`
   * in logstash.yml (off by default). With this option off (default) the writer refuses `"` in
   * values instead of escaping it, and the parser keeps backslashes as they are.
   */
  supportEscapes?: boolean;
}

const NAME = /^[A-Za-z0-9_-]+$/;
const NUMBER = /^-?[0-9]+(?:\.[0-9]+)?$/;
// A plugin block with one of these names would read as a conditional.
const CONDITIONAL_KEYWORDS: ReadonlySet<string> = new Set(['if', 'else']);

/**
 * Checks that `value` can be written (the writer's rules, without support_escapes) and throws
 * the writer's `CollectorConfigError` under `path` otherwise. Presets use it to report a
 * refused option under the option's name.
 */
export function checkLogstashValue(value: LogstashValue, path: string): void {
  encodeValue(value, 0, path, false);
}

function fail(code: string, path: string, message: string, fix: string): never {
  throw new CollectorConfigError({ code, path, message, fix });
}

/** Prints `config` as a logstash pipeline. Throws `CollectorConfigError` for unsafe values. */
export function writeLogstash(config: LogstashPipeline, options: LogstashSyntaxOptions = {}): string {
  const escapes = options.supportEscapes ?? false;
  const lines: string[] = [];
  let previous: 'section' | 'comment' | undefined;
  config.body.forEach((item, i) => {
    if (previous === 'section') lines.push('');
    if (item.kind === 'comment') {
      lines.push(commentLine(item, 0, `body[${i}]`));
    } else {
      if (item.type !== 'input' && item.type !== 'filter' && item.type !== 'output') {
        fail('logstash-section', `body[${i}]`, `${JSON.stringify(item.type)} is not a pipeline section`, 'use input, filter or output');
      }
      lines.push(`${item.type} {`);
      item.body.forEach((node, j) => {
        const path = `${item.type}[${j}]`;
        if (node.kind === 'comment') lines.push(commentLine(node, 1, path));
        else writePluginBlock(node, 1, `${item.type}.${node.name}[${j}]`, lines, escapes);
      });
      lines.push('}');
    }
    previous = item.kind;
  });
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function commentLine(node: LogstashComment, depth: number, path: string): string {
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(node.text) || hasLoneSurrogate(node.text)) {
    fail('logstash-comment', path, 'a comment contains a newline, a control character or a lone surrogate', 'split it into several comment() nodes, one per line, of well-formed text');
  }
  return `${'  '.repeat(depth)}#${node.text === '' ? '' : ` ${node.text}`}`;
}

function writePluginBlock(node: LogstashPlugin | PluginValue, depth: number, path: string, lines: string[], escapes: boolean, prefix = ''): void {
  if (!NAME.test(node.name) || CONDITIONAL_KEYWORDS.has(node.name)) {
    fail('logstash-plugin-name', path, `${JSON.stringify(node.name)} is not a plugin name`, 'use letters, digits, _ and -, other than if and else');
  }
  const indent = '  '.repeat(depth);
  lines.push(`${prefix || indent}${node.name} {`);
  node.body.forEach((child, i) => {
    if (child.kind === 'comment') lines.push(commentLine(child, depth + 1, `${path}.body[${i}]`));
    else writeSetting(child, depth + 1, `${path}.${child.key}`, lines, escapes);
  });
  lines.push(`${indent}}`);
}

function writeSetting(node: LogstashSetting, depth: number, path: string, lines: string[], escapes: boolean): void {
  if (!NAME.test(node.key)) {
    fail('logstash-setting-name', path, `${JSON.stringify(node.key)} is not a setting name`, 'use letters, digits, _ and -');
  }
  const indent = '  '.repeat(depth);
  if (node.value.kind === 'plugin') {
    writePluginBlock(node.value, depth, path, lines, escapes, `${indent}${node.key} => `);
    return;
  }
  const text = encodeValue(node.value, depth, path, escapes);
  lines.push(`${indent}${node.key} => ${text}`);
}

// Returns the value's text; hashes span several lines (joined with '\n', indented for `depth`).
function encodeValue(value: LogstashValue, depth: number, path: string, escapes: boolean): string {
  switch (value.kind) {
    case 'string':
      return `"${value.parts.map((part, i) => encodePart(part, `${path}`, escapes, i === value.parts.length - 1)).join('')}"`;
    case 'script':
      return encodeScript(value.source, path, escapes);
    case 'number':
      if (!Number.isFinite(value.value) || !NUMBER.test(String(value.value))) {
        fail('logstash-number', path, `${value.value} cannot be written in logstash's number syntax`, 'use a finite number without an exponent');
      }
      return String(value.value);
    case 'boolean':
      return value.value ? 'true' : 'false';
    case 'bareword':
      checkBareword(value.value, path);
      return value.value;
    case 'array':
      return `[${value.items
        .map((item, i) => {
          if (item.kind === 'plugin') fail('logstash-array-plugin', `${path}[${i}]`, 'an array cannot hold a plugin', 'use a plugin only as a setting value');
          return encodeValue(item, depth, `${path}[${i}]`, escapes);
        })
        .join(', ')}]`;
    case 'hash': {
      if (value.entries.length === 0) return '{}';
      const inner = '  '.repeat(depth + 1);
      const entries = value.entries.map(({ key, value: v }, i) => {
        if (v.kind === 'plugin') fail('logstash-hash-plugin', `${path}{${i}}`, 'a hash cannot hold a plugin', 'use a plugin only as a setting value');
        const keyText = encodeHashKey(key, `${path}{${i}}`, escapes);
        return `${inner}${keyText} => ${encodeValue(v, depth + 1, `${path}.${keyText}`, escapes)}`;
      });
      return `{\n${entries.join('\n')}\n${'  '.repeat(depth)}}`;
    }
    case 'plugin':
      return fail('logstash-plugin-value', path, 'a plugin value is only allowed directly as a setting value', 'use a plugin only as a setting value');
  }
}

function encodeHashKey(key: HashKey, path: string, escapes: boolean): string {
  if (key.kind !== 'string' && key.kind !== 'bareword' && key.kind !== 'number') {
    fail('logstash-hash-key', path, 'a hash key must be a string, a bareword or a number', 'use one of those');
  }
  return encodeValue(key, 0, path, escapes);
}

function checkBareword(word: string, path: string): void {
  if (!BAREWORD.test(word) || RESERVED_BAREWORDS.has(word)) {
    fail(
      'logstash-bareword',
      path,
      `${JSON.stringify(word)} cannot be written as a bareword`,
      'use a double-quoted string (str()) instead; barewords are a letter or _ then letters, digits or _, at least two characters, not true/false',
    );
  }
}

// Text between the quotes. Without support_escapes nothing is unescaped, so `"` cannot appear at
// all; in both modes a final backslash would pair with the closing quote in logstash's grammar.
function encodeText(text: string, path: string, escapes: boolean, last: boolean, allowLineBreaks: boolean): string {
  const control = allowLineBreaks ? /[\u0000-\u0008\u000b-\u001f\u007f]/ : /[\u0000-\u001f\u007f]/;
  if (control.test(text)) {
    fail('logstash-control-character', path, 'the value contains a line break or a control character', allowLineBreaks ? 'remove control characters' : 'pass a single-line value (multi-line code goes through script())');
  }
  if (hasLoneSurrogate(text)) {
    fail('logstash-encoding', path, 'the value contains a lone UTF-16 surrogate, which UTF-8 cannot hold', 'pass well-formed Unicode text');
  }
  if (text.includes('${')) {
    fail('logstash-env-in-text', path, 'the value contains ${, which logstash replaces with an environment variable', 'reference variables with envRef() and remove ${ from literal text');
  }
  if (last && text.endsWith('\\')) {
    fail('logstash-trailing-backslash', path, 'the value ends with a backslash, which would escape the closing quote', 'remove the trailing backslash');
  }
  if (!escapes && text.includes('"')) {
    fail(
      'logstash-quote',
      path,
      'the value contains a double quote, which logstash cannot read back without config.support_escapes',
      'remove the quote, or set config.support_escapes: true in logstash.yml and write with { supportEscapes: true }',
    );
  }
  return escapes ? text.replace(/[\\"]/g, (c) => `\\${c}`) : text;
}

function encodePart(part: StringPart, path: string, escapes: boolean, last: boolean): string {
  switch (part.kind) {
    case 'text':
      if (part.text.includes('%{')) {
        fail('logstash-sprintf-in-text', path, 'the value contains %{, which logstash replaces with an event field', 'build field references with sprintf(fieldRef(...)) and remove %{ from literal text');
      }
      return encodeText(part.text, path, escapes, last, false);
    case 'field':
      if (part.path.length === 0) fail('logstash-field-name', path, 'the field path is empty', 'pass at least one field name');
      part.path.forEach((name, i) => checkFieldName(name, `${path}.field[${i}]`));
      return `%{${part.path.map((name) => `[${name}]`).join('')}}`;
    case 'date':
      if (!/^[A-Za-z0-9.:_ '/-]+$/.test(part.format)) {
        fail('logstash-date-format', path, `${JSON.stringify(part.format)} is not a date format the model accepts`, "use Joda-time letters with . : _ ' / - and spaces");
      }
      return `%{+${part.format}}`;
    case 'env':
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(part.name)) {
        fail('logstash-env-name', path, `${JSON.stringify(part.name)} is not an environment variable name`, 'use letters, digits and _, not starting with a digit');
      }
      if (part.default !== undefined && (/[}"\\$%\u0000-\u001f\u007f]/.test(part.default) || hasLoneSurrogate(part.default))) {
        fail('logstash-env-default', path, 'the default contains } " \\ $ % or a control character', 'pass a plain default value');
      }
      return part.default === undefined ? `\${${part.name}}` : `\${${part.name}:${part.default}}`;
  }
}

function encodeScript(source: string, path: string, escapes: boolean): string {
  if (!source.includes('\n')) {
    fail('logstash-script', path, 'a script must span lines; a one-line value reads back as a string', 'use a string value, or build the script with script()');
  }
  return `"${encodeText(source, path, escapes, true, true)}"`;
}

// Prints a fluentd AST as canonical config text (two-space indentation, one blank line between
// top-level directives), refusing every value that fluentd's v1 parser would read differently
// from what the AST says: the file can only mean what the AST means.
import { CollectorConfigError, hasLoneSurrogate } from '../errors.js';
import {
  RUBY_UNSAFE_CHARACTERS,
  isRubyRecordSection,
  type FluentComment,
  type FluentConfig,
  type FluentElement,
  type FluentNode,
  type FluentValue,
} from './ast.js';

const ELEMENT_NAME = /^[A-Za-z0-9_]+$/;
// Tags, match patterns (`audit.**`, `{a,b}.*`), label names (`@NAME`), buffer chunk keys
// (`tag,time`, `$.kubernetes.namespace`); several patterns are separated by single spaces.
const ELEMENT_ARG = /^[A-Za-z0-9_.*{},@:/$[\]+-]+(?: [A-Za-z0-9_.*{},@:/$[\]+-]+)*$/;
// Reserved `@` parameters fluentd knows; any other `@` key is an error in fluentd itself.
const PARAM_KEY = /^(?:@(?:type|id|label|log_level)|[A-Za-z0-9_][A-Za-z0-9_.\-/]*)$/;
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** Prints `config` as fluentd config text. Throws `CollectorConfigError` for unsafe values. */
export function writeFluentd(config: FluentConfig): string {
  const lines: string[] = [];
  let previous: 'element' | 'comment' | undefined;
  for (const item of config.body) {
    // A blank line separates directives; comments stick to the directive below them.
    if (previous === 'element') lines.push('');
    if (item.kind === 'element') writeElement(item, 0, undefined, lines, `<${item.name}${item.arg ? ` ${item.arg}` : ''}>`);
    else if (item.kind === 'comment') lines.push(commentLine(item, 0, 'config'));
    else fail('fluentd-top-level', 'config', 'only directives and comments may appear at the top level', 'put parameters inside a directive');
    previous = item.kind;
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function fail(code: string, path: string, message: string, fix: string): never {
  throw new CollectorConfigError({ code, path, message, fix });
}

function commentLine(node: FluentComment, depth: number, path: string): string {
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(node.text) || hasLoneSurrogate(node.text)) {
    fail('fluentd-comment', path, 'a comment contains a newline, a control character or a lone surrogate', 'split it into several comment() nodes, one per line, of well-formed text');
  }
  return `${'  '.repeat(depth)}#${node.text === '' ? '' : ` ${node.text}`}`;
}

function writeElement(el: FluentElement, depth: number, host: FluentElement | undefined, lines: string[], path: string): void {
  if (!ELEMENT_NAME.test(el.name)) {
    fail('fluentd-element-name', path, `the section name ${JSON.stringify(el.name)} is not letters, digits and _`, 'use a fluentd section name such as match, record or buffer');
  }
  if (el.arg !== '' && !ELEMENT_ARG.test(el.arg)) {
    fail(
      'fluentd-element-arg',
      path,
      `the argument ${JSON.stringify(el.arg)} of <${el.name}> is not a tag pattern, label or chunk-key list`,
      'use letters, digits and . _ - * { } , @ : / $ [ ] +, with single spaces between several patterns',
    );
  }
  const indent = '  '.repeat(depth);
  const ruby = host !== undefined && isRubyRecordSection(host, el);
  lines.push(`${indent}<${el.name}${el.arg ? ` ${el.arg}` : ''}>`);
  for (const node of el.body) writeNode(node, depth + 1, el, ruby, lines, path);
  lines.push(`${indent}</${el.name}>`);
}

function writeNode(node: FluentNode, depth: number, parent: FluentElement, ruby: boolean, lines: string[], parentPath: string): void {
  if (node.kind === 'comment') {
    lines.push(commentLine(node, depth, parentPath));
    return;
  }
  if (node.kind === 'element') {
    writeElement(node, depth, parent, lines, `${parentPath} > <${node.name}${node.arg ? ` ${node.arg}` : ''}>`);
    return;
  }
  const path = `${parentPath} > ${node.key}`;
  if (!PARAM_KEY.test(node.key)) {
    fail(
      'fluentd-param-key',
      path,
      `the parameter name ${JSON.stringify(node.key)} is not a fluentd parameter name`,
      'use letters, digits, _ . - / (or one of @type, @id, @label, @log_level)',
    );
  }
  const text = encodeValue(node.value, ruby, path);
  lines.push(`${'  '.repeat(depth)}${node.key}${text === '' ? '' : ` ${text}`}`);
}

/** Returns the value as fluentd config text (bare or double-quoted), or throws. */
function encodeValue(value: FluentValue, ruby: boolean, path: string): string {
  let text: string;
  if (typeof value === 'string') {
    text = value;
    if (ruby && RUBY_UNSAFE_CHARACTERS.test(text)) {
      fail(
        'fluentd-ruby-injection',
        path,
        'this record value is evaluated as Ruby by the plugin, and the text contains one of # $ { } [ ] \\',
        'remove those characters, or build the code with rubyExpression() if it is code the program writes itself',
      );
    }
  } else {
    if (!ruby) {
      fail(
        'fluentd-ruby-context',
        path,
        'a Ruby expression is only evaluated inside <record> of record_transformer with enable_ruby (or record_modifier)',
        'put the expression in such a <record> section, or pass plain text',
      );
    }
    text = value.template;
  }
  if (/[\r\n]/.test(text)) {
    fail('fluentd-newline', path, 'the value contains a line break, which would start a new directive', 'pass a single-line value');
  }
  if (CONTROL.test(text)) {
    fail('fluentd-control-character', path, 'the value contains a control character', 'remove control characters (tabs are allowed)');
  }
  if (hasLoneSurrogate(text)) {
    fail('fluentd-encoding', path, 'the value contains a lone UTF-16 surrogate, which UTF-8 cannot hold', 'pass well-formed Unicode text');
  }
  if (/^\s*<.*>/.test(text)) {
    fail('fluentd-section-tag', path, 'the value starts like a section tag (<...>)', 'remove the leading angle brackets from the value');
  }
  return needsQuotes(text) ? quote(text) : text;
}

// Bare text is read up to the end of the line, trimmed, and stops at whitespace followed by `#`;
// a leading quote, `[` or `{` changes how fluentd reads it. Anything at risk is double-quoted.
function needsQuotes(text: string): boolean {
  return /^["'[{\s]/.test(text) || /\s$/.test(text) || /[#\t]/.test(text);
}

// Double-quoted strings: `\` escapes, and `#{` would run Ruby while the config loads, so `#` is
// always escaped (`\#` reads as `#`).
function quote(text: string): string {
  return `"${text.replace(/[\\"#\t]/g, (c) => (c === '\t' ? '\\t' : `\\${c}`))}"`;
}

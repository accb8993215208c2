/**
 * Prints a fluentd AST as canonical config text: two-space indentation, a blank line between
 * top-level directives. Every node is checked again (a tree may be built without the builders),
 * every value is escaped, and the text is parsed back and compared with the tree before it is
 * returned: the file can only mean what the tree means.
 */
import type { Problem } from '@k8s-gen/runtime';
import { DEFAULT_READER_LIMITS, failed, refusal, succeeded, type CollectorResult } from '../problems.js';
import { quoted, unwritableCharacterIn } from '../text.js';
import {
  commentProblem,
  contextProblem,
  elementArgProblem,
  elementNameProblem,
  paramKeyProblem,
  PLACEHOLDER_SYNTAX,
  valueContext,
  valueProblem,
  valueText,
  type FluentComment,
  type FluentConfig,
  type FluentElement,
  type FluentNode,
  type FluentValue,
} from './ast.js';
import { parseFluentd } from './parser.js';

/**
 * Prints `config` as fluentd config text, or returns the problems of every node fluentd would
 * read differently from the tree (each names its place, e.g. `<match audit.**> > <template> >
 * path`). Never throws.
 *
 * @example
 * ```ts
 * const written = writeFluentd(fluentConfig(match('**', type('stdout'))));
 * written.ok && written.value; // '<match **>\n  @type stdout\n</match>\n'
 * ```
 */
export function writeFluentd(config: FluentConfig): CollectorResult<string> {
  const problems: Problem[] = [];
  const lines: string[] = [];
  const canonical = canonicalConfig(config, lines, problems);
  if (problems.length > 0) return failed(problems);
  const text = lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  // The parser, written from fluentd's grammar, checks the writer: the text must read back as the tree.
  const reread = parseFluentd(text);
  if (!reread.ok || JSON.stringify(reread.value) !== JSON.stringify(canonical)) {
    return failed([refusal('fluentd-writer-check', '', 'the written config does not read back as the tree it was written from (a k8s-gen bug)', 'report the tree that caused it; meanwhile change the value named in the tree')]);
  }
  return succeeded(text);
}

function canonicalConfig(config: FluentConfig, lines: string[], problems: Problem[]): FluentConfig {
  if (typeof config !== 'object' || config === null || config.kind !== 'config' || !Array.isArray(config.body)) {
    problems.push(refusal('fluentd-node', '', 'the value is not a fluentd config (kind: config)', 'build it with fluentConfig(...)'));
    return { kind: 'config', body: [] };
  }
  const body: (FluentElement | FluentComment)[] = [];
  let previous: 'element' | 'comment' | undefined;
  for (const item of config.body) {
    // A blank line separates directives; comments stick to the directive below them.
    if (previous === 'element') lines.push('');
    if (item?.kind === 'element') body.push(writeElement(item, 0, undefined, lines, problems, tagOf(item)));
    else if (item?.kind === 'comment') body.push(writeComment(item, 0, lines, problems, 'config'));
    else problems.push(refusal('fluentd-top-level', 'config', 'only directives and comments may appear at the top level', 'put parameters inside a directive'));
    previous = item?.kind === 'element' ? 'element' : 'comment';
  }
  return { kind: 'config', body };
}

function tagOf(el: FluentElement): string {
  return `<${String(el.name)}${el.arg ? ` ${String(el.arg)}` : ''}>`;
}

function writeComment(node: FluentComment, depth: number, lines: string[], problems: Problem[], path: string): FluentComment {
  const problem = commentProblem(node.text, path);
  if (problem !== undefined) problems.push(problem);
  else lines.push(`${'  '.repeat(depth)}#${node.text === '' ? '' : ` ${node.text}`}`);
  return { kind: 'comment', text: node.text };
}

function writeElement(el: FluentElement, depth: number, host: FluentElement | undefined, lines: string[], problems: Problem[], path: string): FluentElement {
  const nameProblem = elementNameProblem(el.name, path);
  const argProblem = nameProblem ?? elementArgProblem(el.arg ?? '', el.name, path);
  if (nameProblem !== undefined || argProblem !== undefined) {
    problems.push((nameProblem ?? argProblem)!);
    return { kind: 'element', name: el.name, arg: el.arg, body: [] };
  }
  if (depth >= DEFAULT_READER_LIMITS.maxDepth) {
    problems.push(refusal('fluentd-depth', path, `sections are nested more than ${DEFAULT_READER_LIMITS.maxDepth} deep`, 'flatten the config'));
    return { kind: 'element', name: el.name, arg: el.arg, body: [] };
  }
  const indent = '  '.repeat(depth);
  const context = valueContext(host, el);
  lines.push(`${indent}${tagOf(el)}`);
  const body: FluentNode[] = [];
  for (const node of Array.isArray(el.body) ? el.body : []) {
    if (node?.kind === 'comment') body.push(writeComment(node, depth + 1, lines, problems, path));
    else if (node?.kind === 'element') body.push(writeElement(node, depth + 1, el, lines, problems, `${path} > ${tagOf(node)}`));
    else if (node?.kind === 'param') {
      const paramPath = `${path} > ${String(node.key)}`;
      const problem = paramKeyProblem(node.key, paramPath) ?? writableValueProblem(node.value, paramPath) ?? contextProblem(node.value, context, node.key, paramPath);
      if (problem !== undefined) problems.push(problem);
      else {
        const text = encodeValue(node.value);
        lines.push(`${indent}  ${node.key}${text === '' ? '' : ` ${text}`}`);
      }
      body.push({ kind: 'param', key: node.key, value: canonicalValue(node.value) });
    } else problems.push(refusal('fluentd-node', path, `${quoted(node)} is not a param, section or comment`, 'build nodes with param(), element() or comment()'));
  }
  lines.push(`${indent}</${el.name}>`);
  return { kind: 'element', name: el.name, arg: el.arg, body };
}

function canonicalValue(value: FluentValue): FluentValue {
  if (typeof value === 'string') return value;
  return value.kind === 'ruby' ? { kind: 'ruby', template: value.template } : { kind: 'placeholders', text: value.text };
}

/** Escapes of fluentd's double-quoted strings (`eval_escape_char` in its literal parser). */
const ESCAPED = /[\\"#\t\n\r\f\b\0]/g;
const ESCAPE: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '#': '\\#', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\f': '\\f', '\b': '\\b', '\0': '\\0' };

// Defence in depth: the builders refuse control characters in plain text already; here everything
// the double-quoted form can escape is escaped, and what it cannot (other control characters,
// Unicode line breaks, format characters, lone surrogates) is refused. Placeholder syntax in plain
// text is refused as the builder does: a plugin would replace it.
function writableValueProblem(value: FluentValue, path: string): Problem | undefined {
  if (typeof value !== 'string') return valueProblem(value, path);
  const bad = unwritableCharacterIn(value, ESCAPED);
  if (bad !== undefined) return refusal('fluentd-unsafe-character', path, `the value holds ${bad.description} at position ${bad.index + 1}, which a fluentd config cannot hold`, 'remove that character');
  return PLACEHOLDER_SYNTAX.test(value) ? valueProblem(value, path) : undefined;
}

// A bare value is read to the end of the line, trimmed, and cut where white space is followed by
// `#`; a leading quote, `[` or `{` changes how it is read. Bare is kept for values that read back
// unchanged (the readable form, as in the Kubernetes docs); everything else is double-quoted.
function encodeValue(value: FluentValue): string {
  const text = valueText(value);
  if (text === '') return '';
  const bare = /^[^\s"'[{<]/.test(text) && !/\s$/.test(text) && !/[#\t\n\r\f\b\0]/.test(text);
  return bare ? text : `"${text.replace(ESCAPED, (c) => ESCAPE[c]!)}"`;
}

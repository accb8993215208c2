/**
 * Prints a logstash AST as canonical pipeline text: two-space indentation, one blank line between
 * sections, hashes one entry per line. Every node is checked again (a tree may be built without
 * the builders), every string is checked as a whole the way logstash reads it, and the text is
 * parsed back and compared with the tree before it is returned.
 */
import type { Problem } from '@k8s-gen/runtime';
import { DEFAULT_READER_LIMITS, failed, refusal, succeeded, type CollectorResult } from '../problems.js';
import { quoted, unwritableCharacterIn } from '../text.js';
import {
  barewordProblem,
  commentProblem,
  numberProblem,
  pluginNameProblem,
  scriptProblem,
  settingKeyProblem,
  type HashKey,
  type LogstashComment,
  type LogstashPipeline,
  type LogstashPlugin,
  type LogstashSection,
  type LogstashSetting,
  type LogstashValue,
  type PluginValue,
} from './ast.js';
import { parseLogstash } from './parser.js';
import { mergeText, stringContent, stringPartsProblems } from './strings.js';

/** Options of `writeLogstash` and `parseLogstash`. */
export interface LogstashSyntaxOptions {
  /**
   * Logstash reads `\"`, `\\`, `\n`, ... in strings as escapes only with `config.support_escapes:
   * true` in logstash.yml (off by default). With this option off (default) nothing can be
   * escaped: the writer single-quotes a value holding `"` and refuses one holding both quotes, and
   * the parser keeps backslashes as they are.
   */
  readonly supportEscapes?: boolean;
}

/**
 * Checks that `value` can be written, as the writer would (without support_escapes), and returns
 * the problems under `path`. Presets use it to report a refused option under the option's name.
 *
 * @example
 * ```ts
 * checkLogstashValue(str('/var/log/', sprintf(fieldRef('user'))), 'outputPathPattern'); // []
 * ```
 */
export function checkLogstashValue(value: LogstashValue, path: string): Problem[] {
  const problems: Problem[] = [];
  encodeValue(value, 0, path, false, problems);
  return problems;
}

/**
 * Prints `config` as a logstash pipeline, or returns the problems of every node logstash would
 * read differently from the tree (each names its place, e.g. `output.file[0].path`). Never throws.
 *
 * @example
 * ```ts
 * const written = writeLogstash(pipeline(output(plugin('stdout'))));
 * written.ok && written.value; // 'output {\n  stdout {\n  }\n}\n'
 * ```
 */
export function writeLogstash(config: LogstashPipeline, options: LogstashSyntaxOptions = {}): CollectorResult<string> {
  const escapes = options.supportEscapes ?? false;
  const problems: Problem[] = [];
  const lines: string[] = [];
  if (typeof config !== 'object' || config === null || config.kind !== 'pipeline' || !Array.isArray(config.body)) {
    return failed([refusal('logstash-node', '', 'the value is not a logstash pipeline (kind: pipeline)', 'build it with pipeline(...)')]);
  }
  const body: (LogstashSection | LogstashComment)[] = [];
  let previous: 'section' | 'comment' | undefined;
  config.body.forEach((item, i) => {
    if (previous === 'section') lines.push('');
    if (item?.kind === 'comment') {
      body.push(writeComment(item, 0, `body[${i}]`, lines, problems));
      previous = 'comment';
      return;
    }
    previous = 'section';
    if (item?.kind !== 'section' || (item.type !== 'input' && item.type !== 'filter' && item.type !== 'output')) {
      problems.push(refusal('logstash-section', `body[${i}]`, `${quoted(item?.kind === 'section' ? item.type : item)} is not a pipeline section`, 'use input(), filter() or output()'));
      return;
    }
    lines.push(`${item.type} {`);
    const sectionBody: (LogstashPlugin | LogstashComment)[] = [];
    const nodes: readonly (LogstashPlugin | LogstashComment)[] = Array.isArray(item.body) ? item.body : [];
    nodes.forEach((node, j) => {
      if (node?.kind === 'comment') sectionBody.push(writeComment(node, 1, `${item.type}[${j}]`, lines, problems));
      else if (node?.kind === 'plugin') sectionBody.push(writePluginBlock(node, 1, `${item.type}.${String(node.name)}[${j}]`, lines, escapes, problems));
      else problems.push(refusal('logstash-node', `${item.type}[${j}]`, `${quoted(node)} is not a plugin or comment`, 'build plugins with plugin()'));
    });
    lines.push('}');
    body.push({ kind: 'section', type: item.type, body: sectionBody });
  });
  if (problems.length > 0) return failed(problems);
  const text = lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  // The parser, written from logstash's grammar, checks the writer: the text must read back as the tree.
  const reread = parseLogstash(text, { supportEscapes: escapes });
  if (!reread.ok || JSON.stringify(reread.value) !== JSON.stringify({ kind: 'pipeline', body })) {
    return failed([refusal('logstash-writer-check', '', 'the written pipeline does not read back as the tree it was written from (a k8s-gen bug)', 'report the tree that caused it; meanwhile change the value named in the tree')]);
  }
  return succeeded(text);
}

function writeComment(node: LogstashComment, depth: number, path: string, lines: string[], problems: Problem[]): LogstashComment {
  const problem = commentProblem(node.text, path);
  if (problem !== undefined) problems.push(problem);
  else lines.push(`${'  '.repeat(depth)}#${node.text === '' ? '' : ` ${node.text}`}`);
  return { kind: 'comment', text: node.text };
}

function writePluginBlock(node: LogstashPlugin | PluginValue, depth: number, path: string, lines: string[], escapes: boolean, problems: Problem[], prefix = ''): LogstashPlugin {
  const nameProblem = pluginNameProblem(node.name, path);
  if (nameProblem !== undefined) {
    problems.push(nameProblem);
    return { kind: 'plugin', name: node.name, body: [] };
  }
  if (depth >= DEFAULT_READER_LIMITS.maxDepth) {
    problems.push(refusal('logstash-depth', path, `plugins are nested more than ${DEFAULT_READER_LIMITS.maxDepth} deep`, 'flatten the pipeline'));
    return { kind: 'plugin', name: node.name, body: [] };
  }
  const indent = '  '.repeat(depth);
  lines.push(`${prefix || indent}${node.name} {`);
  const body: (LogstashSetting | LogstashComment)[] = [];
  (Array.isArray(node.body) ? node.body : []).forEach((child, i) => {
    if (child?.kind === 'comment') body.push(writeComment(child, depth + 1, `${path}.body[${i}]`, lines, problems));
    else if (child?.kind === 'setting') body.push(writeSetting(child, depth + 1, `${path}.${String(child.key)}`, lines, escapes, problems));
    else problems.push(refusal('logstash-node', `${path}.body[${i}]`, `${quoted(child)} is not a setting or comment`, 'build settings with setting()'));
  });
  lines.push(`${indent}}`);
  return { kind: 'plugin', name: node.name, body };
}

function writeSetting(node: LogstashSetting, depth: number, path: string, lines: string[], escapes: boolean, problems: Problem[]): LogstashSetting {
  const keyProblem = settingKeyProblem(node.key, path);
  if (keyProblem !== undefined) {
    problems.push(keyProblem);
    return { kind: 'setting', key: node.key, value: node.value };
  }
  const indent = '  '.repeat(depth);
  if (node.value?.kind === 'plugin') {
    return { kind: 'setting', key: node.key, value: writePluginBlock(node.value, depth, path, lines, escapes, problems, `${indent}${node.key} => `) };
  }
  const encoded = encodeValue(node.value, depth, path, escapes, problems);
  lines.push(`${indent}${node.key} => ${encoded.text}`);
  return { kind: 'setting', key: node.key, value: encoded.value };
}

/** A value's text (hashes span several lines, indented for `depth`) and its canonical node. */
interface Encoded {
  readonly text: string;
  readonly value: LogstashValue;
}

function encodeValue(value: LogstashValue, depth: number, path: string, escapes: boolean, problems: Problem[]): Encoded {
  const refuse = (problem: Problem | undefined): Encoded => {
    if (problem !== undefined) problems.push(problem);
    return { text: '', value };
  };
  if (depth >= DEFAULT_READER_LIMITS.maxDepth) return refuse(refusal('logstash-depth', path, `values are nested more than ${DEFAULT_READER_LIMITS.maxDepth} deep`, 'flatten the value'));
  switch (value?.kind) {
    case 'string': {
      if (!Array.isArray(value.parts)) return refuse(refusal('logstash-node', path, 'the string has no parts', 'build strings with str(...)'));
      const partProblems = stringPartsProblems(value.parts, path, { checkCharacters: false });
      if (partProblems.length > 0) {
        problems.push(...partProblems);
        return { text: '', value };
      }
      const parts = mergeText(value.parts);
      const content = stringContent(parts);
      const lineFeed = content.indexOf('\n');
      if (lineFeed >= 0) {
        return refuse(refusal('logstash-unsafe-character', path, `the string holds a line feed at position ${lineFeed + 1}; a string with a line break reads back as multi-line code`, 'pass a single-line value (multi-line code goes through script())'));
      }
      const text = quoteContent(content, path, escapes, problems);
      return { text, value: { kind: 'string', parts } };
    }
    case 'script': {
      const problem = scriptProblem(value.source, path);
      if (problem !== undefined) return refuse(problem);
      return { text: quoteContent(value.source, path, escapes, problems), value: { kind: 'script', source: value.source } };
    }
    case 'number': {
      const problem = numberProblem(value.value, path);
      if (problem !== undefined) return refuse(problem);
      const number = Object.is(value.value, -0) ? 0 : value.value;
      return { text: String(number), value: { kind: 'number', value: number } };
    }
    case 'boolean':
      if (typeof value.value !== 'boolean') return refuse(refusal('logstash-node', path, `${quoted((value as { value: unknown }).value)} is not a boolean`, 'use true or false'));
      return { text: value.value ? 'true' : 'false', value: { kind: 'boolean', value: value.value } };
    case 'bareword': {
      const problem = barewordProblem(value.value, path);
      if (problem !== undefined) return refuse(problem);
      return { text: value.value, value: { kind: 'bareword', value: value.value } };
    }
    case 'array': {
      const items = (Array.isArray(value.items) ? value.items : []).map((item, i) => {
        if (item?.kind === 'plugin') return refuse(refusal('logstash-array-plugin', `${path}[${i}]`, 'an array cannot hold a plugin', 'use a plugin only as a setting value'));
        return encodeValue(item, depth + 1, `${path}[${i}]`, escapes, problems);
      });
      return { text: `[${items.map((item) => item.text).join(', ')}]`, value: { kind: 'array', items: items.map((item) => item.value) } };
    }
    case 'hash': {
      const entries = Array.isArray(value.entries) ? value.entries : [];
      if (entries.length === 0) return { text: '{}', value: { kind: 'hash', entries: [] } };
      const inner = '  '.repeat(depth + 1);
      const written = entries.map(({ key, value: entryValue }, i) => {
        const keyPath = `${path}{${i}}`;
        const keyText =
          key?.kind === 'string' || key?.kind === 'bareword' || key?.kind === 'number'
            ? encodeValue(key, depth + 1, keyPath, escapes, problems)
            : refuse(refusal('logstash-hash-key', keyPath, 'a hash key must be a string, a bareword or a number', 'use one of those'));
        const valueText =
          entryValue?.kind === 'plugin'
            ? refuse(refusal('logstash-hash-plugin', keyPath, 'a hash cannot hold a plugin', 'use a plugin only as a setting value'))
            : encodeValue(entryValue, depth + 1, `${path}.${keyText.text}`, escapes, problems);
        return { text: `${inner}${keyText.text} => ${valueText.text}`, entry: { key: keyText.value as HashKey, value: valueText.value } };
      });
      return { text: `{\n${written.map((w) => w.text).join('\n')}\n${'  '.repeat(depth)}}`, value: { kind: 'hash', entries: written.map((w) => w.entry) } };
    }
    case 'plugin':
      return refuse(refusal('logstash-plugin-value', path, 'a plugin value is only allowed directly as a setting value', 'use a plugin only as a setting value'));
    default:
      return refuse(refusal('logstash-node', path, `${quoted(value)} is not a logstash value`, 'build values with str(), num(), bareword(), array() or hash()'));
  }
}

// With support_escapes, `\\ \" \n \r \t \0` are escapes (StringEscape.process_escapes).
const ESCAPED = /[\\"\n\r\t\0]/g;
const ESCAPE: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' };

/**
 * A string's content between quotes. In both modes a final backslash would pair with the closing
 * quote (the grammar's `'\"' / !'"' .`), so it is refused. Without support_escapes nothing is
 * unescaped: a value with `"` is single-quoted, one with both quotes is refused, line feeds and
 * tabs are written as they are. With it, `\ " \n \r \t \0` are escaped.
 */
function quoteContent(content: string, path: string, escapes: boolean, problems: Problem[]): string {
  const bad = unwritableCharacterIn(content, escapes ? ESCAPED : /[\n\t]/g);
  if (bad !== undefined) {
    problems.push(refusal('logstash-unsafe-character', path, `the value holds ${bad.description} at position ${bad.index + 1}, which a logstash string cannot hold${escapes ? '' : ' without config.support_escapes'}`, 'remove that character'));
    return '';
  }
  if (content.endsWith('\\')) {
    problems.push(refusal('logstash-trailing-backslash', path, 'the value ends with a backslash, which would escape the closing quote', 'remove the trailing backslash'));
    return '';
  }
  if (escapes) return `"${content.replace(ESCAPED, (c) => ESCAPE[c]!)}"`;
  if (!content.includes('"')) return `"${content}"`;
  if (!content.includes("'")) return `'${content}'`;
  problems.push(
    refusal(
      'logstash-quote',
      path,
      'the value holds both a double and a single quote, which logstash cannot read back without config.support_escapes',
      'remove one kind of quote, or set config.support_escapes: true in logstash.yml and write with { supportEscapes: true }',
    ),
  );
  return '';
}

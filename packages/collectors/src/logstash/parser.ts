/**
 * Reads a logstash pipeline into the AST, following logstash's treetop grammar
 * (logstash-core/lib/logstash/compiler/lscl/lscl_grammar.treetop in github.com/elastic/logstash)
 * for sections, plugins, settings, strings, numbers, barewords, arrays, hashes and comments, and
 * its substitution rules for the text of strings (see `strings.ts`). Conditionals (`if ... { }`)
 * are refused: the model does not cover them. The writer uses this parser to check its output.
 */
import type { Problem } from '@k8s-gen/runtime';
import { DEFAULT_READER_LIMITS, failed, positionAt, refusal, succeeded, type CollectorResult, type ReaderLimits } from '../problems.js';
import {
  BAREWORD,
  type HashKey,
  type LogstashComment,
  type LogstashPipeline,
  type LogstashPlugin,
  type LogstashSection,
  type LogstashSetting,
  type LogstashValue,
  type StringValue,
  type ScriptValue,
} from './ast.js';
import { readStringContent } from './strings.js';
import type { LogstashSyntaxOptions } from './writer.js';

/** Options of `parseLogstash`. */
export interface ParseLogstashOptions extends LogstashSyntaxOptions, ReaderLimits {
  /** Keep `# ...` lines inside sections and plugins as comment nodes (default true). */
  readonly comments?: boolean;
  /** The file the text came from, copied into every problem. */
  readonly file?: string;
}

/** Thrown inside the parser only, and turned into the result's problem. */
class ParseStop {
  constructor(readonly problem: Problem) {}
}

/**
 * Parses a logstash pipeline. Strings are split into text, `%{field}`, `%{+date}` and `${ENV}`
 * parts the way logstash substitutes them; a string with a line break becomes a script. Never
 * throws: text it cannot read gives a problem with the line and column.
 *
 * @example
 * ```ts
 * const parsed = parseLogstash('output { file { path => "/var/log/%{[user]}" } }');
 * parsed.ok && parsed.value.body[0]; // { kind: 'section', type: 'output', body: [...] }
 * ```
 */
export function parseLogstash(text: string, options: ParseLogstashOptions = {}): CollectorResult<LogstashPipeline> {
  const maxLength = options.maxLength ?? DEFAULT_READER_LIMITS.maxLength;
  const withFile = (problem: Problem): Problem => (options.file === undefined ? problem : { ...problem, file: options.file });
  if (typeof text !== 'string') return failed([withFile(refusal('logstash-parse', '', 'the pipeline is not text', 'pass the file contents as a string'))]);
  if (text.length > maxLength) {
    return failed([withFile(refusal('logstash-too-large', '', `the pipeline is ${text.length} characters long, more than the limit of ${maxLength}`, 'split the pipeline, or raise maxLength'))]);
  }
  try {
    return succeeded(new Parser(text, options.supportEscapes ?? false, options.comments ?? true, options.maxDepth ?? DEFAULT_READER_LIMITS.maxDepth).pipeline());
  } catch (stop) {
    if (stop instanceof ParseStop) return failed([withFile(stop.problem)]);
    throw stop;
  }
}

class Parser {
  private i = 0;
  private depth = 0;
  private readonly context: string[] = [];

  constructor(
    private readonly s: string,
    private readonly escapes: boolean,
    private readonly keepComments: boolean,
    private readonly maxDepth: number,
  ) {}

  private error(message: string, fix: string, at = this.i): never {
    throw new ParseStop(refusal('logstash-parse', this.context.join('.'), message, fix, positionAt(this.s, at)));
  }

  // Nesting of plugin values, arrays and hashes, bounded so that hostile input cannot exhaust the stack.
  private nested<T>(read: () => T): T {
    if (++this.depth > this.maxDepth) this.error(`values are nested more than ${this.maxDepth} deep`, 'flatten the pipeline, or raise maxDepth');
    try {
      return read();
    } finally {
      this.depth--;
    }
  }

  // Skips whitespace and comments; returns the comments met, when they are kept.
  private skip(): LogstashComment[] {
    const found: LogstashComment[] = [];
    for (;;) {
      const c = this.s[this.i];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
        this.i++;
      } else if (c === '#') {
        let end = this.s.indexOf('\n', this.i);
        if (end < 0) end = this.s.length;
        const raw = this.s.slice(this.i + 1, end).replace(/\r$/, '');
        if (this.keepComments) found.push({ kind: 'comment', text: raw.startsWith(' ') ? raw.slice(1) : raw });
        this.i = end;
      } else {
        return found;
      }
    }
  }

  private expect(token: string, fix: string): void {
    if (!this.s.startsWith(token, this.i)) this.error(`expected ${JSON.stringify(token)}`, fix);
    this.i += token.length;
  }

  private word(): string | undefined {
    const pattern = /[A-Za-z0-9_-]+/y;
    pattern.lastIndex = this.i;
    const m = pattern.exec(this.s);
    if (!m) return undefined;
    this.i += m[0].length;
    return m[0];
  }

  pipeline(): LogstashPipeline {
    const body: (LogstashSection | LogstashComment)[] = [];
    for (;;) {
      body.push(...this.skip());
      if (this.i >= this.s.length) return { kind: 'pipeline', body };
      const at = this.i;
      const type = this.word();
      if (type !== 'input' && type !== 'filter' && type !== 'output') this.error('expected input, filter or output', 'start each section with its type', at);
      this.context.push(type!);
      this.skip();
      this.expect('{', `open the ${type} section with {`);
      const sectionBody: (LogstashPlugin | LogstashComment)[] = [];
      for (;;) {
        sectionBody.push(...this.skip());
        if (this.s[this.i] === '}') {
          this.i++;
          break;
        }
        if (this.i >= this.s.length) this.error(`the ${type} section is not closed`, 'add }');
        const nameAt = this.i;
        const name = this.pluginName();
        if (name === 'if') this.error('conditionals (if/else) are not supported by the model', 'move the condition out of the generated pipeline', nameAt);
        this.context.push(name);
        this.skip();
        this.expect('{', `open the ${name} plugin with {`);
        sectionBody.push({ kind: 'plugin', name, body: this.pluginBody() });
        this.context.pop();
      }
      this.context.pop();
      body.push({ kind: 'section', type: type!, body: sectionBody });
    }
  }

  private pluginName(): string {
    if (this.s[this.i] === '"' || this.s[this.i] === "'") return this.plainString(this.s[this.i]!);
    const name = this.word();
    if (name === undefined) this.error('expected a plugin name', 'write name { settings }');
    return name!;
  }

  // Settings up to and including the closing brace.
  private pluginBody(): (LogstashSetting | LogstashComment)[] {
    const body: (LogstashSetting | LogstashComment)[] = [];
    for (;;) {
      body.push(...this.skip());
      if (this.s[this.i] === '}') {
        this.i++;
        return body;
      }
      if (this.i >= this.s.length) this.error('the plugin block is not closed', 'add }');
      const key = this.pluginName();
      this.context.push(key);
      this.skip();
      this.expect('=>', `write ${key} => value`);
      this.skip();
      body.push({ kind: 'setting', key, value: this.value(true) });
      this.context.pop();
    }
  }

  private value(pluginAllowed: boolean): LogstashValue {
    const c = this.s[this.i];
    if (c === '"' || c === "'") return this.stringValue(c);
    if (c === '[') return this.nested(() => this.arrayValue());
    if (c === '{') return this.nested(() => this.hashValue());
    if (c !== undefined && /[-0-9]/.test(c)) {
      const pattern = /-?[0-9]+(?:\.[0-9]*)?/y;
      pattern.lastIndex = this.i;
      const m = pattern.exec(this.s);
      if (!m) this.error('expected a number', 'write digits, optionally with a fraction');
      this.i += m![0].length;
      return { kind: 'number', value: Number(m![0]) || 0 };
    }
    const at = this.i;
    const word = this.word();
    if (word === undefined) this.error('expected a value', 'write a string, number, bareword, array or hash');
    if (pluginAllowed) {
      const save = this.i;
      this.skip();
      if (this.s[this.i] === '{') {
        this.i++;
        this.context.push(word!);
        const body = this.nested(() => this.pluginBody());
        this.context.pop();
        return { kind: 'plugin', name: word!, body };
      }
      this.i = save;
    }
    if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true' };
    if (!BAREWORD.test(word!)) this.error(`${JSON.stringify(word)} is not a bareword`, 'quote the value', at);
    return { kind: 'bareword', value: word! };
  }

  private arrayValue(): LogstashValue {
    this.i++;
    const items: LogstashValue[] = [];
    this.skip();
    if (this.s[this.i] === ']') {
      this.i++;
      return { kind: 'array', items };
    }
    for (;;) {
      this.skip();
      items.push(this.value(false));
      this.skip();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      this.expect(']', 'separate array items with , and close the array with ]');
      return { kind: 'array', items };
    }
  }

  private hashValue(): LogstashValue {
    this.i++;
    const entries: { key: HashKey; value: LogstashValue }[] = [];
    for (;;) {
      this.skip();
      if (this.s[this.i] === '}') {
        this.i++;
        return { kind: 'hash', entries };
      }
      if (this.i >= this.s.length) this.error('the hash is not closed', 'add }');
      const key = this.value(false);
      if (key.kind !== 'string' && key.kind !== 'bareword' && key.kind !== 'number') this.error('a hash key must be a string, a bareword or a number', 'use one of those');
      this.skip();
      this.expect('=>', 'write key => value');
      this.skip();
      entries.push({ key: key as HashKey, value: this.value(false) });
    }
  }

  // The raw text between the quotes: `\` followed by the quote never ends the string.
  private rawQuoted(quote: string): string {
    const start = this.i;
    this.i++;
    let raw = '';
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) this.error('the string is not closed', `close it with ${quote}`, start);
      if (c === '\\' && this.s[this.i + 1] === quote) {
        raw += c + quote;
        this.i += 2;
        continue;
      }
      this.i++;
      if (c === quote) return raw;
      raw += c;
    }
  }

  private plainString(quote: string): string {
    const raw = this.rawQuoted(quote);
    return this.escapes ? unescape(raw) : raw;
  }

  private stringValue(quote: string): StringValue | ScriptValue {
    const at = this.i;
    const content = this.plainString(quote);
    if (content.includes('\n')) return { kind: 'script', source: content };
    const read = readStringContent(content);
    if ('unsupported' in read) {
      this.error(`the substitution ${read.unsupported} is not one the model covers (a field %{[a][b]}, a date %{+yyyy.MM.dd} or a variable \${NAME})`, 'rewrite it in one of those forms', at);
    }
    return { kind: 'string', parts: read.parts };
  }
}

// logstash's escape processing with config.support_escapes.
function unescape(raw: string): string {
  return raw.replace(/\\./g, (pair) => {
    const c = pair[1]!;
    if (c === '"' || c === "'" || c === '\\') return c;
    if (c === 'n') return '\n';
    if (c === 'r') return '\r';
    if (c === 't') return '\t';
    if (c === '0') return '\0';
    return pair;
  });
}

// The logstash pipeline language as data. Builders below create the nodes; `writeLogstash`
// prints them and `parseLogstash` reads them back.
import { CollectorConfigError, hasLoneSurrogate } from '../errors.js';

/** A field reference such as `[event][user][username]`, as its path of field names. */
export interface FieldReference {
  readonly kind: 'field';
  readonly path: readonly string[];
}

/** Literal text inside a string. */
export interface TextPart {
  readonly kind: 'text';
  readonly text: string;
}

/** `%{[a][b]}`: the value of an event field, substituted per event (sprintf). */
export interface FieldPart {
  readonly kind: 'field';
  readonly path: readonly string[];
}

/** `%{+yyyy.MM.dd}`: the event's @timestamp in a Joda-time format, substituted per event. */
export interface DatePart {
  readonly kind: 'date';
  readonly format: string;
}

/** `${NAME}` or `${NAME:default}`: an environment variable (or keystore entry), read at load time. */
export interface EnvPart {
  readonly kind: 'env';
  readonly name: string;
  readonly default?: string;
}

/** One piece of a string value. */
export type StringPart = TextPart | FieldPart | DatePart | EnvPart;

/** A double-quoted string, as text and typed substitutions. */
export interface StringValue {
  readonly kind: 'string';
  readonly parts: readonly StringPart[];
}

/** A multi-line string meant as code (the `code` of the ruby filter); the only value with line breaks. */
export interface ScriptValue {
  readonly kind: 'script';
  readonly source: string;
}

/** A number, written in the `-?digits(.digits)?` form of the grammar. */
export interface NumberValue {
  readonly kind: 'number';
  readonly value: number;
}

/** `true` or `false` (barewords in the grammar). */
export interface BooleanValue {
  readonly kind: 'boolean';
  readonly value: boolean;
}

/** An unquoted word (`json`, `items`): a letter or _ then at least one letter, digit or _. */
export interface BarewordValue {
  readonly kind: 'bareword';
  readonly value: string;
}

/** `[a, "b", 1]`. */
export interface ArrayValue {
  readonly kind: 'array';
  readonly items: readonly LogstashValue[];
}

/** A key of a hash entry. */
export type HashKey = StringValue | BarewordValue | NumberValue;

/** `{ key => value ... }`. */
export interface HashValue {
  readonly kind: 'hash';
  readonly entries: readonly { readonly key: HashKey; readonly value: LogstashValue }[];
}

/** A plugin used as a setting value, e.g. `codec => json_lines { charset => "UTF-8" }`. */
export interface PluginValue {
  readonly kind: 'plugin';
  readonly name: string;
  readonly body: readonly (LogstashSetting | LogstashComment)[];
}

/** Any setting value. */
export type LogstashValue =
  | StringValue
  | ScriptValue
  | NumberValue
  | BooleanValue
  | BarewordValue
  | ArrayValue
  | HashValue
  | PluginValue;

/** `key => value` inside a plugin block. */
export interface LogstashSetting {
  readonly kind: 'setting';
  readonly key: string;
  readonly value: LogstashValue;
}

/** A `# text` line. The text excludes the `#` and one following space. */
export interface LogstashComment {
  readonly kind: 'comment';
  readonly text: string;
}

/** A plugin block inside a section: `file { path => "..." }`. */
export interface LogstashPlugin {
  readonly kind: 'plugin';
  readonly name: string;
  readonly body: readonly (LogstashSetting | LogstashComment)[];
}

/** The three sections of a pipeline. */
export type SectionType = 'input' | 'filter' | 'output';

/** `input { ... }`, `filter { ... }` or `output { ... }`. */
export interface LogstashSection {
  readonly kind: 'section';
  readonly type: SectionType;
  readonly body: readonly (LogstashPlugin | LogstashComment)[];
}

/** A whole pipeline config file. */
export interface LogstashPipeline {
  readonly kind: 'pipeline';
  readonly body: readonly (LogstashSection | LogstashComment)[];
}

/** Builds a pipeline from sections and comments. */
export function pipeline(...body: (LogstashSection | LogstashComment)[]): LogstashPipeline {
  return { kind: 'pipeline', body };
}

/** `input { ... }`. */
export function input(...body: (LogstashPlugin | LogstashComment)[]): LogstashSection {
  return { kind: 'section', type: 'input', body };
}

/** `filter { ... }`. */
export function filter(...body: (LogstashPlugin | LogstashComment)[]): LogstashSection {
  return { kind: 'section', type: 'filter', body };
}

/** `output { ... }`. */
export function output(...body: (LogstashPlugin | LogstashComment)[]): LogstashSection {
  return { kind: 'section', type: 'output', body };
}

/** A plugin block: `name { settings }`. */
export function plugin(name: string, ...body: (LogstashSetting | LogstashComment)[]): LogstashPlugin {
  return { kind: 'plugin', name, body };
}

/** A plugin as a setting value (`codec => json { ... }`). */
export function pluginValue(name: string, ...body: (LogstashSetting | LogstashComment)[]): PluginValue {
  return { kind: 'plugin', name, body };
}

/** A plain value accepted where a `LogstashValue` is expected: text, number or boolean. */
export type ValueInput = LogstashValue | string | number | boolean;

/** Turns text into a string value, numbers and booleans into their nodes; nodes pass through. */
export function toValue(value: ValueInput): LogstashValue {
  if (typeof value === 'string') return str(value);
  if (typeof value === 'number') return num(value);
  if (typeof value === 'boolean') return { kind: 'boolean', value };
  return value;
}

/** `key => value`. Plain strings become double-quoted literal text. */
export function setting(key: string, value: ValueInput): LogstashSetting {
  return { kind: 'setting', key, value: toValue(value) };
}

/** A `# text` comment line. */
export function comment(text: string): LogstashComment {
  return { kind: 'comment', text };
}

/**
 * A string from literal text and typed substitutions; adjacent text is merged and empty text
 * dropped, the form the parser produces. A `FieldReference` argument becomes a `%{[a][b]}`
 * substitution (use `fieldRefText` for the reference itself as text).
 */
export function str(...parts: (string | StringPart | FieldReference)[]): StringValue {
  const merged: StringPart[] = [];
  for (const part of parts) {
    const next: StringPart = typeof part === 'string' ? { kind: 'text', text: part } : part.kind === 'field' ? { kind: 'field', path: part.path } : part;
    const last = merged[merged.length - 1];
    if (next.kind === 'text' && next.text === '') continue;
    if (next.kind === 'text' && last?.kind === 'text') merged[merged.length - 1] = { kind: 'text', text: last.text + next.text };
    else merged.push(next);
  }
  return { kind: 'string', parts: merged };
}

/** A number value. Only finite numbers; `-0` is stored as 0. */
export function num(value: number): NumberValue {
  return { kind: 'number', value: Object.is(value, -0) ? 0 : value };
}

/** A bareword value (`json`). `true` and `false` are booleans, not barewords. */
export function bareword(value: string): BarewordValue {
  return { kind: 'bareword', value };
}

/** `[items...]`. */
export function array(...items: ValueInput[]): ArrayValue {
  return { kind: 'array', items: items.map(toValue) };
}

/** A bareword when the grammar allows one, a double-quoted string otherwise. */
export function wordOrString(text: string): BarewordValue | StringValue {
  return BAREWORD.test(text) && !RESERVED_BAREWORDS.has(text) ? bareword(text) : str(text);
}

/** `{ key => value ... }` from entries in the order given. Plain string keys become barewords when they can. */
export function hash(...entries: [string | HashKey, ValueInput][]): HashValue {
  return {
    kind: 'hash',
    entries: entries.map(([key, value]) => ({ key: typeof key === 'string' ? wordOrString(key) : key, value: toValue(value) })),
  };
}

/** A multi-line script from its lines (joined with line breaks, ending with one). */
export function script(...lines: string[]): ScriptValue {
  for (const [i, line] of lines.entries()) {
    if (/[\r\n]/.test(line)) {
      throw new CollectorConfigError({ code: 'logstash-script', path: `script[${i}]`, message: 'a script line contains a line break', fix: 'pass each line as its own argument' });
    }
  }
  return { kind: 'script', source: `${lines.join('\n')}\n` };
}

// Field names the helpers accept: enough for Kubernetes audit fields (`objectRef`, `@timestamp`,
// annotation keys such as `authorization.k8s.io/decision`), nothing that means something to
// logstash's field-reference or sprintf syntax (`[ ] { } % $ ,` and quotes).
const FIELD_NAME = /^[A-Za-z0-9_@.:/-]+$/;

/** Checks one field name; throws `CollectorConfigError` naming `path` otherwise. */
export function checkFieldName(name: string, path: string): string {
  if (typeof name !== 'string' || !FIELD_NAME.test(name)) {
    throw new CollectorConfigError({
      code: 'logstash-field-name',
      path,
      message: `${JSON.stringify(name)} is not a field name the model accepts`,
      fix: 'use letters, digits and _ @ . : / - (nested fields are separate path elements)',
    });
  }
  return name;
}

/** `[a][b][c]` from the path `a`, `b`, `c`. Validates every name. */
export function fieldRef(...path: string[]): FieldReference {
  if (path.length === 0) {
    throw new CollectorConfigError({ code: 'logstash-field-name', path: 'fieldRef', message: 'the field path is empty', fix: 'pass at least one field name' });
  }
  path.forEach((name, i) => checkFieldName(name, `fieldRef[${i}]`));
  return { kind: 'field', path };
}

/** The reference as logstash writes it, `[a][b]`. */
export function fieldRefText(ref: FieldReference): string {
  return ref.path.map((name) => `[${name}]`).join('');
}

/** A string value holding a field reference (`"[event][user]"`), for settings that name a field. */
export function fieldRefValue(ref: FieldReference): StringValue {
  return str(fieldRefText(ref));
}

/** `%{[a][b]}`: the field's value inside a string. */
export function sprintf(ref: FieldReference): FieldPart {
  return { kind: 'field', path: ref.path };
}

/** `%{+format}`: the event time in a Joda-time format such as `yyyy.MM.dd`. */
export function dateFormat(format: string): DatePart {
  if (!/^[A-Za-z0-9.:_ '/-]+$/.test(format)) {
    throw new CollectorConfigError({
      code: 'logstash-date-format',
      path: 'dateFormat',
      message: `${JSON.stringify(format)} is not a date format the model accepts`,
      fix: "use Joda-time letters with . : _ ' / - and spaces, e.g. yyyy.MM.dd",
    });
  }
  return { kind: 'date', format };
}

/**
 * `${NAME}`: an environment variable (or keystore key) that logstash substitutes when it loads
 * the config, the way to use a secret without writing it into the file.
 */
export function envRef(name: string, defaultValue?: string): EnvPart {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new CollectorConfigError({ code: 'logstash-env-name', path: 'envRef', message: `${JSON.stringify(name)} is not an environment variable name`, fix: 'use letters, digits and _, not starting with a digit' });
  }
  if (defaultValue !== undefined && (/[}"\\$%\u0000-\u001f\u007f]/.test(defaultValue) || hasLoneSurrogate(defaultValue))) {
    throw new CollectorConfigError({ code: 'logstash-env-default', path: 'envRef', message: 'the default contains } " \\ $ % or a control character', fix: 'pass a plain default value' });
  }
  return defaultValue === undefined ? { kind: 'env', name } : { kind: 'env', name, default: defaultValue };
}

/**
 * A field name as a value, the way logstash configs write them: a bareword when the grammar
 * allows one (`headers`), a double-quoted string otherwise (`"@timestamp"`).
 */
export function fieldName(name: string): BarewordValue | StringValue {
  return wordOrString(checkFieldName(name, 'fieldName'));
}

/** The bareword rule of the grammar: a letter or _, then one or more letters, digits or _. */
export const BAREWORD = /^[A-Za-z_][A-Za-z0-9_]+$/;

/** Barewords that read as something else: booleans. */
export const RESERVED_BAREWORDS: ReadonlySet<string> = new Set(['true', 'false']);

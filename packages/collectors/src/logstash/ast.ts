/**
 * The logstash pipeline language as data. The builder functions below create the nodes and refuse
 * a bad argument where it enters (throwing a `CollectorConfigError` naming it); `writeLogstash`
 * prints a tree and `parseLogstash` reads one back.
 */
import type { Problem } from '@k8s-gen/runtime';
import { refusal, throwIfRefused } from '../problems.js';
import { checkConfigText, quoted } from '../text.js';
import {
  dateFormatProblem,
  envPartProblem,
  fieldNameProblem,
  mergeText,
  stringPartsProblems,
  type DatePart,
  type EnvPart,
  type FieldPart,
  type StringPart,
} from './strings.js';

export type { DatePart, EnvPart, FieldPart, StringPart, TextPart } from './strings.js';

/** A field reference such as `[event][user][username]`, as its path of field names. */
export interface FieldReference {
  readonly kind: 'field';
  readonly path: readonly string[];
}

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

// ---------------------------------------------------------------------------------------------
// The rules, shared by the builders, the writer and the parser.

/** Plugin and setting names: the grammar's `[A-Za-z0-9_-]+` form of `name`. */
export const NAME = /^[A-Za-z0-9_-]+$/;

/** The bareword rule of the grammar: a letter or _, then one or more letters, digits or _. */
export const BAREWORD = /^[A-Za-z_][A-Za-z0-9_]+$/;

/** Barewords that read as something else: booleans. */
export const RESERVED_BAREWORDS: ReadonlySet<string> = new Set(['true', 'false']);

/** Numbers in the grammar's `-?[0-9]+(.[0-9]*)?` form (no exponent). */
const NUMBER = /^-?[0-9]+(?:\.[0-9]+)?$/;

// In a section a plugin named like this would read as a conditional (`branch / plugin`).
const CONDITIONAL_KEYWORDS: ReadonlySet<string> = new Set(['if', 'else']);

/** Problem of a plugin name, or undefined. */
export function pluginNameProblem(name: unknown, path: string): Problem | undefined {
  if (typeof name === 'string' && NAME.test(name) && !CONDITIONAL_KEYWORDS.has(name)) return undefined;
  return refusal('logstash-plugin-name', path, `${quoted(name)} is not a plugin name`, 'use letters, digits, _ and -, other than if and else (which start a conditional)');
}

/** Problem of a setting name, or undefined. */
export function settingKeyProblem(key: unknown, path: string): Problem | undefined {
  if (typeof key === 'string' && NAME.test(key)) return undefined;
  return refusal('logstash-setting-name', path, `${quoted(key)} is not a setting name`, 'use letters, digits, _ and -');
}

/** Problem of a number value, or undefined. */
export function numberProblem(value: unknown, path: string): Problem | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && NUMBER.test(String(value))) return undefined;
  return refusal('logstash-number', path, `${quoted(value)} cannot be written in logstash's number syntax`, 'use a finite number without an exponent');
}

/** Problem of a bareword value, or undefined. */
export function barewordProblem(word: unknown, path: string): Problem | undefined {
  if (typeof word === 'string' && BAREWORD.test(word) && !RESERVED_BAREWORDS.has(word)) return undefined;
  return refusal(
    'logstash-bareword',
    path,
    `${quoted(word)} cannot be written as a bareword`,
    'use a string (str()) instead; barewords are a letter or _ then letters, digits or _, at least two characters, not true/false',
  );
}

/** Problem of a script's source, or undefined: several lines without control characters or `${`. */
export function scriptProblem(source: unknown, path: string): Problem | undefined {
  const bad = checkConfigText(source, path, { allowLineFeeds: true, allowTabs: true });
  if (bad !== undefined) return { ...bad, code: 'logstash-unsafe-character' };
  if (!(source as string).includes('\n')) {
    return refusal('logstash-script', path, 'a script must span lines; a one-line value reads back as a string', 'use a string value, or build the script with script()');
  }
  if ((source as string).includes('${')) {
    return refusal('logstash-env-in-text', path, 'the script holds ${, which logstash replaces with an environment variable in every string setting, code included', 'read the variable in the code (ENV["NAME"]) instead');
  }
  return undefined;
}

/** Problem of a comment's text, or undefined: one line without control characters. */
export function commentProblem(text: unknown, path: string): Problem | undefined {
  const bad = checkConfigText(text, path);
  return bad === undefined ? undefined : { ...bad, code: 'logstash-comment', fix: 'split the text into several comment() nodes, one per line, without control characters' };
}

// ---------------------------------------------------------------------------------------------
// Builders.

/**
 * Builds a pipeline from sections and comments.
 *
 * @example
 * ```ts
 * pipeline(input(plugin('http', setting('port', 8888))), output(plugin('stdout')));
 * ```
 */
export function pipeline(...body: (LogstashSection | LogstashComment)[]): LogstashPipeline {
  return { kind: 'pipeline', body };
}

/**
 * `input { ... }`.
 *
 * @example
 * ```ts
 * input(plugin('http', setting('port', 8888)));
 * ```
 */
export function input(...body: (LogstashPlugin | LogstashComment)[]): LogstashSection {
  return { kind: 'section', type: 'input', body };
}

/**
 * `filter { ... }`.
 *
 * @example
 * ```ts
 * filter(plugin('split', setting('field', array(fieldName('items')))));
 * ```
 */
export function filter(...body: (LogstashPlugin | LogstashComment)[]): LogstashSection {
  return { kind: 'section', type: 'filter', body };
}

/**
 * `output { ... }`.
 *
 * @example
 * ```ts
 * output(plugin('file', setting('path', str('/var/log/audit-', sprintf(fieldRef('user'))))));
 * ```
 */
export function output(...body: (LogstashPlugin | LogstashComment)[]): LogstashSection {
  return { kind: 'section', type: 'output', body };
}

/**
 * A plugin block: `name { settings }`. Throws a `CollectorConfigError` for a name the grammar
 * reads differently (`if` and `else` start a conditional).
 *
 * @example
 * ```ts
 * plugin('stdout', setting('codec', pluginValue('json_lines')));
 * ```
 */
export function plugin(name: string, ...body: (LogstashSetting | LogstashComment)[]): LogstashPlugin {
  throwIfRefused(pluginNameProblem(name, 'plugin'));
  return { kind: 'plugin', name, body };
}

/**
 * A plugin as a setting value (`codec => json { ... }`).
 *
 * @example
 * ```ts
 * setting('codec', pluginValue('json_lines', setting('charset', 'UTF-8')));
 * ```
 */
export function pluginValue(name: string, ...body: (LogstashSetting | LogstashComment)[]): PluginValue {
  throwIfRefused(pluginNameProblem(name, 'pluginValue'));
  return { kind: 'plugin', name, body };
}

/** A plain value accepted where a `LogstashValue` is expected: text, number or boolean. */
export type ValueInput = LogstashValue | string | number | boolean;

/**
 * Turns text into a string value (checked with {@link str}), numbers and booleans into their
 * nodes; nodes pass through.
 *
 * @example
 * ```ts
 * toValue(8888); // { kind: 'number', value: 8888 }
 * ```
 */
export function toValue(value: ValueInput): LogstashValue {
  if (typeof value === 'string') return str(value);
  if (typeof value === 'number') return num(value);
  if (typeof value === 'boolean') return { kind: 'boolean', value };
  return value;
}

/**
 * `key => value`. Plain strings become literal text (see {@link str}). Throws a
 * `CollectorConfigError` for a key or value the grammar reads differently.
 *
 * @example
 * ```ts
 * setting('port', 8888);
 * setting('path', '/var/log/kube-audit');
 * ```
 */
export function setting(key: string, value: ValueInput): LogstashSetting {
  throwIfRefused(settingKeyProblem(key, 'setting'));
  return { kind: 'setting', key, value: toValue(value) };
}

/**
 * A `# text` comment line. Throws a `CollectorConfigError` for a line break or control character.
 *
 * @example
 * ```ts
 * comment('one file per user');
 * ```
 */
export function comment(text: string): LogstashComment {
  throwIfRefused(commentProblem(text, 'comment'));
  return { kind: 'comment', text };
}

/**
 * A string from literal text and typed substitutions; adjacent text is merged and empty text
 * dropped, the form the parser produces. A `FieldReference` argument becomes a `%{[a][b]}`
 * substitution (use `fieldRefText` for the reference itself as text). The joined string is
 * checked as logstash will read it: literal text may not hold `${` or `%{`, even split over
 * arguments (`str('/var/log/$', '{HOME}/')` is refused). Throws a `CollectorConfigError`.
 *
 * @example
 * ```ts
 * str('/var/log/kube-audit-', sprintf(fieldRef('event', 'user', 'username')), '/audit');
 * ```
 */
export function str(...parts: (string | StringPart | FieldReference)[]): StringValue {
  const typed = parts.map((part): StringPart => (typeof part === 'string' ? { kind: 'text', text: part } : part));
  const problems = stringPartsProblems(typed, 'str');
  throwIfRefused(problems[0]);
  return { kind: 'string', parts: mergeText(typed) };
}

/**
 * A number value. Only finite numbers the grammar can write (no exponent); `-0` is stored as 0.
 *
 * @example
 * ```ts
 * num(0.5);
 * ```
 */
export function num(value: number): NumberValue {
  throwIfRefused(numberProblem(value, 'num'));
  return { kind: 'number', value: Object.is(value, -0) ? 0 : value };
}

/**
 * A bareword value (`json`). `true` and `false` are booleans, not barewords.
 *
 * @example
 * ```ts
 * bareword('items');
 * ```
 */
export function bareword(value: string): BarewordValue {
  throwIfRefused(barewordProblem(value, 'bareword'));
  return { kind: 'bareword', value };
}

/**
 * `[items...]`.
 *
 * @example
 * ```ts
 * array('a', 1, bareword('items'));
 * ```
 */
export function array(...items: ValueInput[]): ArrayValue {
  return { kind: 'array', items: items.map(toValue) };
}

/**
 * A bareword when the grammar allows one, a double-quoted string otherwise.
 *
 * @example
 * ```ts
 * wordOrString('@timestamp'); // a string: barewords cannot start with @
 * ```
 */
export function wordOrString(text: string): BarewordValue | StringValue {
  return BAREWORD.test(text) && !RESERVED_BAREWORDS.has(text) ? bareword(text) : str(text);
}

/**
 * `{ key => value ... }` from entries in the order given. Plain string keys become barewords when
 * they can.
 *
 * @example
 * ```ts
 * hash(['items', fieldName('event')]);
 * ```
 */
export function hash(...entries: [string | HashKey, ValueInput][]): HashValue {
  return {
    kind: 'hash',
    entries: entries.map(([key, value]) => ({ key: typeof key === 'string' ? wordOrString(key) : key, value: toValue(value) })),
  };
}

/**
 * A multi-line script from its lines (joined with line breaks, ending with one). Throws a
 * `CollectorConfigError` for a line holding a line break, a control character or `${`.
 *
 * @example
 * ```ts
 * setting('code', script("event.set('n', 1)"));
 * ```
 */
export function script(...lines: string[]): ScriptValue {
  lines.forEach((line, i) => throwIfRefused(checkConfigText(line, `script[${i}]`, { allowTabs: true })));
  const source = `${lines.join('\n')}\n`;
  throwIfRefused(scriptProblem(source, 'script'));
  return { kind: 'script', source };
}

/**
 * `[a][b][c]` from the path `a`, `b`, `c`. Throws a `CollectorConfigError` for an empty path or a
 * name with field-reference or sprintf syntax in it.
 *
 * @example
 * ```ts
 * fieldRef('event', 'user', 'username');
 * ```
 */
export function fieldRef(...path: string[]): FieldReference {
  if (path.length === 0) throwIfRefused(refusal('logstash-field-name', 'fieldRef', 'the field path is empty', 'pass at least one field name'));
  path.forEach((name, i) => throwIfRefused(fieldNameProblem(name, `fieldRef[${i}]`)));
  return { kind: 'field', path };
}

/**
 * The reference as logstash writes it, `[a][b]`.
 *
 * @example
 * ```ts
 * fieldRefText(fieldRef('event', 'user')); // '[event][user]'
 * ```
 */
export function fieldRefText(ref: FieldReference): string {
  return ref.path.map((name) => `[${name}]`).join('');
}

/**
 * A string value holding a field reference (`"[event][user]"`), for settings that name a field.
 *
 * @example
 * ```ts
 * setting('source', fieldRefValue(fieldRef('event')));
 * ```
 */
export function fieldRefValue(ref: FieldReference): StringValue {
  return str(fieldRefText(ref));
}

/**
 * `%{[a][b]}`: the field's value inside a string.
 *
 * @example
 * ```ts
 * str('/var/log/audit-', sprintf(fieldRef('user')));
 * ```
 */
export function sprintf(ref: FieldReference): FieldPart {
  return { kind: 'field', path: ref.path };
}

/**
 * `%{+format}`: the event time in a Joda-time format such as `yyyy.MM.dd`. Throws a
 * `CollectorConfigError` for `{`, `}`, `%` and other characters that would end the reference.
 *
 * @example
 * ```ts
 * str('k8s-audit-', dateFormat('yyyy.MM.dd'));
 * ```
 */
export function dateFormat(format: string): DatePart {
  throwIfRefused(dateFormatProblem(format, 'dateFormat'));
  return { kind: 'date', format };
}

/**
 * `${NAME}`: an environment variable (or keystore key) that logstash substitutes when it loads
 * the config, the way to use a secret without writing it into the file.
 *
 * @example
 * ```ts
 * setting('password', str(envRef('ES_PASSWORD')));
 * ```
 */
export function envRef(name: string, defaultValue?: string): EnvPart {
  throwIfRefused(envPartProblem(name, defaultValue, 'envRef'));
  return defaultValue === undefined ? { kind: 'env', name } : { kind: 'env', name, default: defaultValue };
}

/**
 * A field name as a value, the way logstash configs write them: a bareword when the grammar
 * allows one (`headers`), a double-quoted string otherwise (`"@timestamp"`).
 *
 * @example
 * ```ts
 * fieldName('@timestamp');
 * ```
 */
export function fieldName(name: string): BarewordValue | StringValue {
  throwIfRefused(fieldNameProblem(name, 'fieldName'));
  return wordOrString(name);
}

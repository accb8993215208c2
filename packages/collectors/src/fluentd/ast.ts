/**
 * The fluentd config file as data. The builder functions below create the nodes and refuse a bad
 * argument where it enters (throwing a `CollectorConfigError` naming it); `writeFluentd` prints a
 * tree and `parseFluentd` reads one back, so a config never passes through a string template.
 *
 * Three kinds of value, because fluentd and its plugins read three kinds of text:
 * - plain text (user data): written so that fluentd reads exactly that text, never expanded;
 * - {@link PlaceholderText}: text with plugin placeholders (`${tag}`, `__TAG__`, rewrite_tag_filter's
 *   `$1`) that a plugin replaces per event;
 * - {@link RubyExpression}: Ruby code that a record plugin evaluates per event.
 */
import type { Problem } from '@k8s-gen/runtime';
import { refusal, throwIfRefused } from '../problems.js';
import { checkConfigText, quoted } from '../text.js';

/**
 * Ruby that a record plugin evaluates per event (`${...}` inside `<record>` of
 * `record_transformer` with `enable_ruby`, `record_reformer`, `record_modifier`). Only
 * {@link rubyExpression} (or the parser) creates one: user data is always plain text.
 */
export interface RubyExpression {
  readonly kind: 'ruby';
  /** The value exactly as fluentd reads it, e.g. `${record["verb"]}`. */
  readonly template: string;
}

/**
 * Text holding plugin placeholders, replaced by the plugin per event: `${tag}`,
 * `${tag_parts[1]}`, `${hostname}`, `${record["k"]}`, `__TAG__`, and in a rewrite_tag_filter
 * `<rule>`'s `tag` also `$1`. Only {@link placeholderText} (or the parser) creates one.
 */
export interface PlaceholderText {
  readonly kind: 'placeholders';
  /** The value exactly as fluentd reads it, e.g. `/var/log/audit-${tag}.*.log`. */
  readonly text: string;
}

/** A parameter value: plain text (user data), text with plugin placeholders, or Ruby code. */
export type FluentValue = string | PlaceholderText | RubyExpression;

/** `key value` inside a directive or section. An empty value is written as the bare key. */
export interface FluentParam {
  readonly kind: 'param';
  readonly key: string;
  readonly value: FluentValue;
}

/** A `# text` line. The text excludes the `#` and one following space. */
export interface FluentComment {
  readonly kind: 'comment';
  readonly text: string;
}

/** A directive (`<match audit.**>`) or a nested section (`<record>`, `<buffer tag,time>`). */
export interface FluentElement {
  readonly kind: 'element';
  /** `source`, `filter`, `match`, `label`, `system`, `record`, `parse`, ... */
  readonly name: string;
  /** Text after the name: a tag pattern, a label name, buffer chunk keys; '' for none. */
  readonly arg: string;
  readonly body: readonly FluentNode[];
}

/** Anything that may appear inside an element. */
export type FluentNode = FluentElement | FluentParam | FluentComment;

/** A whole config file: top-level directives and comments. */
export interface FluentConfig {
  readonly kind: 'config';
  readonly body: readonly (FluentElement | FluentComment)[];
}

// ---------------------------------------------------------------------------------------------
// The rules, shared by the builders, the writer and the parser.

/** Section names: fluentd's `ELEMENT_NAME` (letters, digits, _). */
export const ELEMENT_NAME = /^[A-Za-z0-9_]+$/;

// Tags, match patterns (`audit.**`, `{a,b}.*`), label names (`@NAME`), buffer chunk keys
// (`tag,time`, `$.kubernetes.namespace`); several patterns separated by single spaces. No `#`
// (after a space it starts a comment inside the tag), no `>`, `<`, quotes or other white space.
const ELEMENT_ARG = /^[A-Za-z0-9_.*{},@:/$[\]+-]+(?: [A-Za-z0-9_.*{},@:/$[\]+-]+)*$/;

// Reserved `@` parameters fluentd knows (`RESERVED_PARAMS`; any other `@` key is refused by
// fluentd in directives, and `@include` would include a file).
const PARAM_KEY = /^(?:@(?:type|id|label|log_level)|[A-Za-z0-9_][A-Za-z0-9_.\-/]*)$/;

/**
 * Placeholder syntax that plugins replace in values (and record_transformer in keys): `${...}`
 * (record_transformer, forest, out_file, rewrite_tag_filter) and `__UPPER__` (record_transformer,
 * forest, rewrite_tag_filter). Plain text may hold neither; {@link PlaceholderText} holds them.
 */
export const PLACEHOLDER_SYNTAX = /\$\{|__[A-Z_]+__/;

/** rewrite_tag_filter's regex-group placeholders in a `<rule>`'s `tag`: `$1`, `$2`, ... */
export const REWRITE_GROUP_PLACEHOLDER = /\$[0-9]/;

/**
 * Characters that make plain text unsafe where Ruby evaluates it: record_transformer wraps each
 * value in `%Q[...]` and turns `${` into `#{`, so `#{`, `#@`, `#$`, `${`, unbalanced brackets and
 * backslashes would run or change code.
 */
export const RUBY_UNSAFE_CHARACTERS = /[#${}[\]\\]/;

const fix = {
  placeholders: 'if you mean a plugin placeholder, build the value with placeholderText(); otherwise remove ${ and __NAME__ from the text',
  ruby: 'build Ruby with rubyExpression() inside <record> of record_transformer (enable_ruby) or record_modifier',
};

/** Problem of a section name, or undefined. */
export function elementNameProblem(name: unknown, path: string): Problem | undefined {
  if (typeof name === 'string' && ELEMENT_NAME.test(name)) return undefined;
  return refusal('fluentd-element-name', path, `the section name ${quoted(name)} is not letters, digits and _`, 'use a fluentd section name such as match, record or buffer');
}

/** Problem of a section argument (tag pattern, label, chunk keys), or undefined. */
export function elementArgProblem(arg: unknown, name: string, path: string): Problem | undefined {
  if (arg === '' || (typeof arg === 'string' && ELEMENT_ARG.test(arg))) return undefined;
  return refusal(
    'fluentd-element-arg',
    path,
    `the argument ${quoted(arg)} of <${name}> is not a tag pattern, label or chunk-key list: fluentd would read it differently (a # starts a comment, > ends the tag, white space separates patterns)`,
    'use letters, digits and . _ - * { } , @ : / $ [ ] +, with single spaces between several patterns',
  );
}

/** Problem of a parameter name, or undefined. */
export function paramKeyProblem(key: unknown, path: string): Problem | undefined {
  if (typeof key !== 'string' || !PARAM_KEY.test(key)) {
    return refusal('fluentd-param-key', path, `the parameter name ${quoted(key)} is not a fluentd parameter name`, 'use letters, digits, _ . - / (or one of @type, @id, @label, @log_level)');
  }
  if (PLACEHOLDER_SYNTAX.test(key)) {
    return refusal('fluentd-param-key', path, `the parameter name ${quoted(key)} holds a placeholder, which record_transformer replaces in keys too`, 'rename the parameter');
  }
  return undefined;
}

/**
 * Problem of plain text in a parameter value, or undefined: the characters no emitted value may
 * hold (tabs are allowed: the writer escapes them), and placeholder syntax, which a plugin would
 * replace.
 */
export function textValueProblem(text: unknown, path: string): Problem | undefined {
  const bad = checkConfigText(text, path, { allowTabs: true });
  if (bad !== undefined) return { ...bad, code: 'fluentd-unsafe-character', fix: `${bad.fix}; fluentd values are one line of text` };
  const found = PLACEHOLDER_SYNTAX.exec(text as string);
  if (found !== null) {
    return refusal('fluentd-placeholder-in-text', path, `the text holds ${quoted(found[0])} at position ${found.index + 1}, which record_transformer, forest and out_file replace with event data`, fix.placeholders);
  }
  return undefined;
}

/** Problem of placeholder text, or undefined: one line, at least one placeholder, every `${` closed. */
export function placeholderTextProblem(text: unknown, path: string): Problem | undefined {
  const bad = checkConfigText(text, path, { allowTabs: true, allowEmpty: false });
  if (bad !== undefined) return { ...bad, code: 'fluentd-unsafe-character' };
  const value = text as string;
  if (!PLACEHOLDER_SYNTAX.test(value) && !REWRITE_GROUP_PLACEHOLDER.test(value)) {
    return refusal('fluentd-placeholder-text', path, `${quoted(value)} holds no placeholder`, 'pass plain text as a string instead');
  }
  const open = value.split('${').slice(1);
  if (open.some((rest) => !/^[^}]+\}/.test(rest) || rest.slice(0, rest.indexOf('}')).includes('$'))) {
    return refusal('fluentd-placeholder-text', path, `${quoted(value)} has a \${ that is empty, not closed by } or holds another $`, 'write each placeholder as ${name}, e.g. ${tag}');
  }
  return undefined;
}

/** Problem of Ruby code given to {@link rubyExpression}, or undefined. */
export function rubyCodeProblem(code: unknown, path: string): Problem | undefined {
  const bad = checkConfigText(code, path, { allowEmpty: false });
  if (bad !== undefined) return { ...bad, code: 'fluentd-ruby-expression', fix: 'pass one line of Ruby, e.g. record["verb"]' };
  if ((code as string).trim() === '') return refusal('fluentd-ruby-expression', path, 'the Ruby code is blank', 'pass one line of Ruby, e.g. record["verb"]');
  if ((code as string).includes('${') || (code as string).includes('#{')) {
    return refusal('fluentd-ruby-expression', path, 'the Ruby code holds a nested ${ or #{', 'pass one line of Ruby without interpolation markers, e.g. record["verb"]');
  }
  return undefined;
}

/** Problem of a comment's text, or undefined: one line without control characters. */
export function commentProblem(text: unknown, path: string): Problem | undefined {
  const bad = checkConfigText(text, path);
  return bad === undefined ? undefined : { ...bad, code: 'fluentd-comment', fix: 'split the text into several comment() nodes, one per line, without control characters' };
}

// ---------------------------------------------------------------------------------------------
// Builders.

/**
 * Builds a config from directives and comments.
 *
 * @example
 * ```ts
 * fluentConfig(source(type('tail'), param('path', '/var/log/kube-audit')), match('**', type('stdout')));
 * ```
 */
export function fluentConfig(...body: (FluentElement | FluentComment)[]): FluentConfig {
  return { kind: 'config', body };
}

/**
 * Builds any element; prefer the named helpers (`source`, `match`, `record`, ...). Throws a
 * `CollectorConfigError` for a name or argument fluentd would read differently.
 *
 * @example
 * ```ts
 * element('buffer', 'tag,time', param('timekey', '1h'));
 * ```
 */
export function element(name: string, arg: string, ...body: FluentNode[]): FluentElement {
  throwIfRefused(elementNameProblem(name, 'element'));
  throwIfRefused(elementArgProblem(arg, name, `<${name}> argument`));
  return { kind: 'element', name, arg, body };
}

/**
 * `<source>`: an input plugin.
 *
 * @example
 * ```ts
 * source(type('tail'), param('path', '/var/log/kube-audit'), param('tag', 'audit'));
 * ```
 */
export function source(...body: FluentNode[]): FluentElement {
  return element('source', '', ...body);
}

/**
 * `<filter pattern>`: a filter applied to events whose tag matches the pattern.
 *
 * @example
 * ```ts
 * filter('audit.**', type('record_transformer'), param('remove_keys', 'namespace'));
 * ```
 */
export function filter(pattern: string, ...body: FluentNode[]): FluentElement {
  return element('filter', pattern, ...body);
}

/**
 * `<match pattern>`: an output (or re-emitting) plugin for events whose tag matches.
 *
 * @example
 * ```ts
 * match('audit.**', type('stdout'));
 * ```
 */
export function match(pattern: string, ...body: FluentNode[]): FluentElement {
  return element('match', pattern, ...body);
}

/**
 * `<label @NAME>`: a routing label grouping filters and matches.
 *
 * @example
 * ```ts
 * label('@AUDIT', match('**', type('stdout')));
 * ```
 */
export function label(name: string, ...body: FluentNode[]): FluentElement {
  return element('label', name, ...body);
}

/**
 * `<system>`: process-wide settings.
 *
 * @example
 * ```ts
 * system(param('log_level', 'warn'));
 * ```
 */
export function system(...body: FluentNode[]): FluentElement {
  return element('system', '', ...body);
}

/**
 * `<record>` of record_transformer: one param per field to set.
 *
 * @example
 * ```ts
 * record(param('cluster', 'prod'));
 * ```
 */
export function record(...body: FluentNode[]): FluentElement {
  return element('record', '', ...body);
}

/**
 * `<rule>` of rewrite_tag_filter.
 *
 * @example
 * ```ts
 * rule(param('key', 'namespace'), param('pattern', '/^(.+)/'), param('tag', placeholderText('${tag}.$1')));
 * ```
 */
export function rule(...body: FluentNode[]): FluentElement {
  return element('rule', '', ...body);
}

/**
 * `<template>` of forest: the config of each per-tag output.
 *
 * @example
 * ```ts
 * template(param('path', placeholderText('/var/log/audit-${tag}.*.log')));
 * ```
 */
export function template(...body: FluentNode[]): FluentElement {
  return element('template', '', ...body);
}

/**
 * `<parse>`: the parser of an input (fluentd v0.14 and later).
 *
 * @example
 * ```ts
 * parse(type('json'));
 * ```
 */
export function parse(...body: FluentNode[]): FluentElement {
  return element('parse', '', ...body);
}

/**
 * `<format>`: the formatter of an output (fluentd v0.14 and later).
 *
 * @example
 * ```ts
 * format(type('json'));
 * ```
 */
export function format(...body: FluentNode[]): FluentElement {
  return element('format', '', ...body);
}

/**
 * `<buffer chunkKeys>`: buffering of an output; `chunkKeys` such as `tag,time`, or ''.
 *
 * @example
 * ```ts
 * buffer('tag,time', param('timekey', '1h'));
 * ```
 */
export function buffer(chunkKeys: string, ...body: FluentNode[]): FluentElement {
  return element('buffer', chunkKeys, ...body);
}

/**
 * `key value`. Plain text is user data: fluentd reads back exactly this text, never expanded; text
 * holding placeholder syntax (`${`, `__NAME__`) is refused here (build it with
 * {@link placeholderText}). Throws a `CollectorConfigError` naming the parameter.
 *
 * @example
 * ```ts
 * param('path', '/var/log/kube-audit');
 * param('tag', placeholderText('${tag}.$1'));
 * ```
 */
export function param(key: string, value: FluentValue): FluentParam {
  throwIfRefused(paramKeyProblem(key, 'param'));
  throwIfRefused(valueProblem(value, `param(${key})`));
  return { kind: 'param', key, value };
}

/** Problem of any value node (plain, placeholders, Ruby) out of context, or undefined. */
export function valueProblem(value: unknown, path: string): Problem | undefined {
  if (typeof value === 'string') return textValueProblem(value, path);
  if (typeof value === 'object' && value !== null) {
    const node = value as { kind?: unknown; text?: unknown; template?: unknown };
    if (node.kind === 'placeholders') return placeholderTextProblem(node.text, path);
    if (node.kind === 'ruby') return rubyTemplateProblem(node.template, path);
  }
  return refusal('fluentd-value', path, `${quoted(value)} is not a fluentd value`, 'pass a string, placeholderText(...) or rubyExpression(...)');
}

/** Problem of a Ruby template as fluentd reads it (`${code}`, possibly with text around), or undefined. */
export function rubyTemplateProblem(template: unknown, path: string): Problem | undefined {
  const bad = checkConfigText(template, path, { allowEmpty: false });
  if (bad !== undefined) return { ...bad, code: 'fluentd-ruby-expression' };
  if (!RUBY_UNSAFE_CHARACTERS.test(template as string)) {
    return refusal('fluentd-ruby-expression', path, `${quoted(template)} holds no Ruby (no \${...})`, 'pass plain text as a string instead');
  }
  return undefined;
}

/**
 * `@type name`: the plugin of a directive or section.
 *
 * @example
 * ```ts
 * type('tail');
 * ```
 */
export function type(pluginName: string): FluentParam {
  return param('@type', pluginName);
}

/**
 * A parameter written without a value (`enable_ruby`); fluentd reads it as '' (true for bools).
 *
 * @example
 * ```ts
 * flag('enable_ruby');
 * ```
 */
export function flag(key: string): FluentParam {
  return param(key, '');
}

/**
 * A `# text` comment line. Throws a `CollectorConfigError` for a line break or control character.
 *
 * @example
 * ```ts
 * comment('reads the kube-apiserver audit log');
 * ```
 */
export function comment(text: string): FluentComment {
  throwIfRefused(commentProblem(text, 'comment'));
  return { kind: 'comment', text };
}

/**
 * Text with plugin placeholders (`${tag}`, `__TAG__`, `${record["k"]}`, `$1` in a rewrite rule's
 * `tag`), which the plugin replaces per event. Only for placeholders the program itself means:
 * user data belongs in plain strings. Throws a `CollectorConfigError` for text without a
 * placeholder or with an unclosed `${`.
 *
 * @example
 * ```ts
 * param('path', placeholderText('/var/log/audit-${tag}.*.log'));
 * ```
 */
export function placeholderText(text: string): PlaceholderText {
  throwIfRefused(placeholderTextProblem(text, 'placeholderText'));
  return { kind: 'placeholders', text };
}

/**
 * Wraps Ruby code as a record value, `${code}`. Only for code the program itself writes: user
 * input never belongs here. The code must be one line and hold no nested `${` or `#{`.
 *
 * @example
 * ```ts
 * record(param('namespace', rubyExpression('record["objectRef"]["namespace"]')));
 * ```
 */
export function rubyExpression(code: string): RubyExpression {
  throwIfRefused(rubyCodeProblem(code, 'rubyExpression'));
  return { kind: 'ruby', template: `\${${code}}` };
}

/**
 * Tells a Ruby expression from other values.
 *
 * @example
 * ```ts
 * isRubyExpression(rubyExpression('1')); // true
 * ```
 */
export function isRubyExpression(value: FluentValue): value is RubyExpression {
  return typeof value !== 'string' && value.kind === 'ruby';
}

/**
 * The text of a value as fluentd reads it from the file (before any plugin expands it).
 *
 * @example
 * ```ts
 * valueText(placeholderText('${tag}.$1')); // '${tag}.$1'
 * ```
 */
export function valueText(value: FluentValue): string {
  return typeof value === 'string' ? value : value.kind === 'ruby' ? value.template : value.text;
}

/**
 * The first param of `el` named `key`, if any.
 *
 * @example
 * ```ts
 * paramValue(source(type('tail')), '@type'); // 'tail'
 * ```
 */
export function paramValue(el: FluentElement, key: string): FluentValue | undefined {
  for (const node of el.body) if (node.kind === 'param' && node.key === key) return node.value;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Where plugins read values specially. Writer and parser share these rules.

function pluginOf(host: FluentElement): FluentValue | undefined {
  return paramValue(host, '@type') ?? paramValue(host, 'type');
}

/** The record plugins, whose `<record>` values are expanded (and parsed as JSON when they start with { or [). */
const RECORD_PLUGINS: ReadonlySet<string> = new Set(['record_transformer', 'record_reformer', 'record_modifier']);

/**
 * How fluentd's plugins read the values of `section`, a child of `host` (undefined for a
 * directive): `ruby` inside `<record>` of a record plugin that runs Ruby (record_transformer with
 * `enable_ruby`, record_reformer unless `enable_ruby false`, record_modifier always); `record`
 * inside `<record>` of a record plugin that only expands placeholders; `rewrite-rule` inside
 * `<rule>` of rewrite_tag_filter (its `tag` expands `$1`); `plain` elsewhere.
 */
export type ValueContext = 'ruby' | 'record' | 'rewrite-rule' | 'plain';

/** The {@link ValueContext} of the values of `section` inside `host`. */
export function valueContext(host: FluentElement | undefined, section: FluentElement): ValueContext {
  if (host === undefined) return 'plain';
  const plugin = pluginOf(host);
  if (section.name === 'rule' && plugin === 'rewrite_tag_filter') return 'rewrite-rule';
  if (section.name !== 'record' || typeof plugin !== 'string' || !RECORD_PLUGINS.has(plugin)) return 'plain';
  const enableRuby = paramValue(host, 'enable_ruby');
  const isFalse = (v: FluentValue | undefined) => v === 'false' || v === 'no';
  const ruby = plugin === 'record_modifier' || (plugin === 'record_reformer' ? !isFalse(enableRuby) : enableRuby !== undefined && !isFalse(enableRuby));
  return ruby ? 'ruby' : 'record';
}

/**
 * Problem of `value` where it is used (`context`, parameter `key`), or undefined: what
 * {@link valueProblem} cannot know when the node is built.
 */
export function contextProblem(value: FluentValue, context: ValueContext, key: string, path: string): Problem | undefined {
  if (typeof value === 'string') {
    if (context === 'ruby' && RUBY_UNSAFE_CHARACTERS.test(value)) {
      return refusal('fluentd-ruby-injection', path, 'this record value is evaluated as Ruby by the plugin (inside %Q[...]), and the text holds one of # $ { } [ ] \\', `remove those characters, or ${fix.ruby.replace('build', 'build the code')} if it is code the program writes itself`);
    }
    if ((context === 'ruby' || context === 'record') && /^[[{]/.test(value)) {
      return refusal('fluentd-record-json', path, 'record plugins read a record value starting with { or [ as JSON, not as this text', 'start the value with another character');
    }
    if (context === 'rewrite-rule' && key === 'tag' && REWRITE_GROUP_PLACEHOLDER.test(value)) {
      return refusal('fluentd-placeholder-in-text', path, "rewrite_tag_filter replaces $1, $2, ... in a rule's tag with the pattern's groups", fix.placeholders);
    }
    return undefined;
  }
  if (value.kind === 'ruby') {
    return context === 'ruby' ? undefined : refusal('fluentd-ruby-context', path, 'a Ruby expression is evaluated only inside <record> of record_transformer with enable_ruby, record_reformer or record_modifier', `${fix.ruby}, or pass plain text`);
  }
  if (context === 'ruby') {
    return refusal('fluentd-ruby-context', path, 'in a record section that runs Ruby, placeholders are Ruby code', fix.ruby);
  }
  if (!(context === 'rewrite-rule' && key === 'tag') && !PLACEHOLDER_SYNTAX.test(value.text)) {
    return refusal('fluentd-placeholder-context', path, "$1, $2, ... are placeholders only in a rewrite_tag_filter rule's tag; here they are plain text", 'pass the text as a plain string');
  }
  return undefined;
}

/**
 * How the parser types a value read in `context`: the inverse of the writer's rules, so that a
 * written tree reads back as the same tree.
 */
export function classifyValue(text: string, context: ValueContext, key: string): FluentValue {
  if (context === 'ruby') return RUBY_UNSAFE_CHARACTERS.test(text) ? { kind: 'ruby', template: text } : text;
  if (PLACEHOLDER_SYNTAX.test(text) || (context === 'rewrite-rule' && key === 'tag' && REWRITE_GROUP_PLACEHOLDER.test(text))) return { kind: 'placeholders', text };
  return text;
}

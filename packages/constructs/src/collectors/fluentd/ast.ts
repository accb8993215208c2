// The fluentd config file as data. Builders below create the nodes; `writeFluentd` prints them
// and `parseFluentd` reads them back, so a config never passes through a string template.
import { CollectorConfigError } from '../errors.js';

/**
 * A piece of Ruby that a record plugin evaluates per event (`${...}` inside `<record>` of
 * `record_transformer` with `enable_ruby`). Only `rubyExpression` creates one; user data is
 * always a plain string and the writer refuses plain strings that Ruby would evaluate.
 */
export interface RubyExpression {
  readonly kind: 'ruby';
  /** The value exactly as fluentd reads it, e.g. `${record["verb"]}`. */
  readonly template: string;
}

/** A parameter value: plain text (user data) or Ruby code built with `rubyExpression`. */
export type FluentValue = string | RubyExpression;

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

/** Builds a config from directives and comments. */
export function fluentConfig(...body: (FluentElement | FluentComment)[]): FluentConfig {
  return { kind: 'config', body };
}

/** Builds any element; prefer the named helpers (`source`, `match`, `record`, ...). */
export function element(name: string, arg: string, ...body: FluentNode[]): FluentElement {
  return { kind: 'element', name, arg, body };
}

/** `<source>`: an input plugin. */
export function source(...body: FluentNode[]): FluentElement {
  return element('source', '', ...body);
}

/** `<filter pattern>`: a filter applied to events whose tag matches the pattern. */
export function filter(pattern: string, ...body: FluentNode[]): FluentElement {
  return element('filter', pattern, ...body);
}

/** `<match pattern>`: an output (or re-emitting) plugin for events whose tag matches. */
export function match(pattern: string, ...body: FluentNode[]): FluentElement {
  return element('match', pattern, ...body);
}

/** `<label @NAME>`: a routing label grouping filters and matches. */
export function label(name: string, ...body: FluentNode[]): FluentElement {
  return element('label', name, ...body);
}

/** `<system>`: process-wide settings. */
export function system(...body: FluentNode[]): FluentElement {
  return element('system', '', ...body);
}

/** `<record>` of record_transformer: one param per field to set. */
export function record(...body: FluentNode[]): FluentElement {
  return element('record', '', ...body);
}

/** `<rule>` of rewrite_tag_filter. */
export function rule(...body: FluentNode[]): FluentElement {
  return element('rule', '', ...body);
}

/** `<template>` of forest: the config of each per-tag output. */
export function template(...body: FluentNode[]): FluentElement {
  return element('template', '', ...body);
}

/** `<parse>`: the parser of an input (fluentd v0.14 and later). */
export function parse(...body: FluentNode[]): FluentElement {
  return element('parse', '', ...body);
}

/** `<format>`: the formatter of an output (fluentd v0.14 and later). */
export function format(...body: FluentNode[]): FluentElement {
  return element('format', '', ...body);
}

/** `<buffer chunkKeys>`: buffering of an output; `chunkKeys` such as `tag,time`, or ''. */
export function buffer(chunkKeys: string, ...body: FluentNode[]): FluentElement {
  return element('buffer', chunkKeys, ...body);
}

/** `key value`. */
export function param(key: string, value: FluentValue): FluentParam {
  return { kind: 'param', key, value };
}

/** `@type name`: the plugin of a directive or section. */
export function type(pluginName: string): FluentParam {
  return param('@type', pluginName);
}

/** A parameter written without a value (`enable_ruby`); fluentd reads it as '' (true for bools). */
export function flag(key: string): FluentParam {
  return param(key, '');
}

/** A `# text` comment line. */
export function comment(text: string): FluentComment {
  return { kind: 'comment', text };
}

/**
 * Wraps Ruby code as a record value, `${code}`. Only for code the program itself writes: user
 * input never belongs here. The code must be one line and hold no nested `${` or `#{`.
 */
export function rubyExpression(code: string): RubyExpression {
  const problem =
    code.trim() === ''
      ? 'is empty'
      : /[\u0000-\u001f\u007f]/.test(code)
        ? 'contains a newline or a control character'
        : code.includes('${') || code.includes('#{')
          ? 'contains a nested ${ or #{'
          : undefined;
  if (problem) {
    throw new CollectorConfigError({
      code: 'fluentd-ruby-expression',
      path: 'rubyExpression',
      message: `the Ruby code ${problem}`,
      fix: 'pass one line of Ruby without interpolation markers, e.g. record["verb"]',
    });
  }
  return { kind: 'ruby', template: `\${${code}}` };
}

/** Tells a Ruby expression from plain text. */
export function isRubyExpression(value: FluentValue): value is RubyExpression {
  return typeof value !== 'string';
}

/** The first param of `element` named `key`, if any. */
export function paramValue(el: FluentElement, key: string): FluentValue | undefined {
  for (const node of el.body) if (node.kind === 'param' && node.key === key) return node.value;
  return undefined;
}

// Record plugins that evaluate `${...}` in their `<record>` values as Ruby, and when they do.
// record_transformer only with enable_ruby; record_reformer unless enable_ruby is false;
// record_modifier always.
function evaluatesRuby(host: FluentElement): boolean {
  const pluginName = paramValue(host, '@type') ?? paramValue(host, 'type');
  const enableRuby = paramValue(host, 'enable_ruby');
  const isFalse = (v: FluentValue | undefined) => v === 'false' || v === 'no';
  switch (pluginName) {
    case 'record_transformer':
      return enableRuby !== undefined && !isFalse(enableRuby);
    case 'record_reformer':
      return !isFalse(enableRuby);
    case 'record_modifier':
      return true;
    default:
      return false;
  }
}

/**
 * True when the values of `section` (a child of `host`) are evaluated as Ruby by fluentd:
 * `<record>` of a record plugin that runs Ruby. Writer and parser share this rule.
 */
export function isRubyRecordSection(host: FluentElement, section: FluentElement): boolean {
  return section.name === 'record' && evaluatesRuby(host);
}

/**
 * Characters that make plain text unsafe where Ruby evaluates it: record_transformer wraps each
 * value (and each key) in `%Q[...]`, so `#{`, `#@`, `#$`, `${`, unbalanced brackets and
 * backslashes would run or change code. Keys never hold these characters (the writer's key rule).
 */
export const RUBY_UNSAFE_CHARACTERS = /[#${}[\]\\]/;

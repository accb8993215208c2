/**
 * The Fluent Bit configuration as data, the same for both of its formats (classic `.conf` and
 * YAML): the `service` settings, parsers, and the pipeline's inputs, filters and outputs, each a
 * plugin name with `key value` properties. The builder functions refuse a bad argument where it
 * enters (a `CollectorConfigError` naming it); `writeFluentBitClassic` / `writeFluentBitYaml`
 * print a tree and the parsers read one back.
 *
 * The rules, from Fluent Bit's config readers (see README.md): every property value is one line,
 * trimmed of white space at both ends, must not be empty, and has every `${NAME}` replaced by an
 * environment variable when the config loads, with no way to escape it; classic keys are read
 * case-insensitively (lowercased), YAML keys in camelCase are turned into snake_case.
 */
import type { Problem } from '@k8s-gen/runtime';
import { refusal, throwIfRefused } from '../problems.js';
import { checkConfigText, quoted } from '../text.js';

/** `${NAME}`: an environment variable Fluent Bit puts in when the config loads (a secret, a host). */
export interface FluentBitEnvRef {
  readonly kind: 'env';
  /** The variable name, letters, digits and _. */
  readonly name: string;
}

/** A property value: text (user data, never expanded) or a whole-value environment reference. */
export type FluentBitValue = string | FluentBitEnvRef;

/** `key value` of a section. */
export interface FluentBitProperty {
  readonly key: string;
  readonly value: FluentBitValue;
}

/** The three kinds of pipeline plugin. */
export type FluentBitPluginKind = 'input' | 'filter' | 'output';

/** An input, filter or output: the plugin `name` and its properties, in order. */
export interface FluentBitPlugin {
  readonly kind: FluentBitPluginKind;
  /** The plugin, e.g. `tail`, `lua`, `es`. */
  readonly name: string;
  readonly properties: readonly FluentBitProperty[];
  /** A comment line written above the plugin. */
  readonly comment?: string;
}

/** A `[PARSER]` (classic, in the parsers file) or an entry of `parsers:` (YAML). */
export interface FluentBitParser {
  readonly kind: 'parser';
  /** The parser's name, which inputs and filters refer to. */
  readonly name: string;
  readonly properties: readonly FluentBitProperty[];
  readonly comment?: string;
}

/** A whole Fluent Bit configuration. */
export interface FluentBitConfig {
  readonly kind: 'fluent-bit';
  /** Comment lines at the top of the file. */
  readonly header?: readonly string[];
  readonly service: readonly FluentBitProperty[];
  readonly parsers: readonly FluentBitParser[];
  readonly inputs: readonly FluentBitPlugin[];
  readonly filters: readonly FluentBitPlugin[];
  readonly outputs: readonly FluentBitPlugin[];
}

/** What a builder takes for a value: text, a number or a boolean (written `on`/`off`), or `envRef(...)`. */
export type FluentBitValueInput = FluentBitValue | number | boolean;

/** Properties as a record (in insertion order) or as pairs (for keys that repeat, such as `rule`). */
export type FluentBitPropertiesInput = Readonly<Record<string, FluentBitValueInput>> | readonly (readonly [string, FluentBitValueInput])[];

// ---------------------------------------------------------------------------------------------
// The rules, shared by the builders, the writers and the parsers.

/** Plugin and parser-format names: lower-case words with `_`, as Fluent Bit registers them. */
export const PLUGIN_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * Property keys: lower-case words with `_`, dot-separated (`db.sync`, `storage.type`). Lower case
 * is what both formats read unchanged: classic lowercases keys, YAML turns `camelCase` into
 * `camel_case`; no key may start with `@` (meta commands), `[` (sections) or `#` (comments).
 */
export const PROPERTY_KEY = /^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*$/;

/** Environment variable names Fluent Bit looks up for `${NAME}`. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Section names of the classic format, by what they hold. */
export const CLASSIC_SECTIONS = { service: 'SERVICE', parser: 'PARSER', input: 'INPUT', filter: 'FILTER', output: 'OUTPUT' } as const;

/** Problem of a plugin or parser name, or undefined. */
export function pluginNameProblem(name: unknown, path: string): Problem | undefined {
  if (typeof name === 'string' && PLUGIN_NAME.test(name)) return undefined;
  return refusal('fluentbit-plugin-name', path, `${quoted(name)} is not a Fluent Bit plugin name`, 'use the lower-case name the plugin registers, such as tail, lua or es');
}

/** Problem of a property key, or undefined. */
export function propertyKeyProblem(key: unknown, path: string): Problem | undefined {
  if (typeof key === 'string' && PROPERTY_KEY.test(key)) {
    if (key === 'name') return refusal('fluentbit-property-key', path, 'name is the plugin itself, not a property', 'pass the plugin name as the first argument');
    return undefined;
  }
  return refusal('fluentbit-property-key', path, `${quoted(key)} is not a Fluent Bit property name: both formats read only lower-case words separated by _ and . unchanged`, 'use the property name in lower case, e.g. buffer_max_size or db.sync');
}

/**
 * Problem of a text value, or undefined: one line without control or format characters or tabs,
 * not empty, no white space at either end (Fluent Bit trims it), and no `${` (Fluent Bit replaces
 * `${NAME}` with an environment variable and has no escape for it).
 */
export function textValueProblem(text: unknown, path: string): Problem | undefined {
  const bad = checkConfigText(text, path, { allowEmpty: false });
  if (bad !== undefined) return { ...bad, code: 'fluentbit-unsafe-character', fix: `${bad.fix}; Fluent Bit values are one line of text` };
  const value = text as string;
  if (value.trim() !== value || /^\s|\s$/u.test(value)) {
    return refusal('fluentbit-white-space', path, `${quoted(value)} starts or ends with white space, which Fluent Bit trims`, 'remove the white space at the ends');
  }
  const at = value.indexOf('${');
  if (at >= 0) {
    return refusal('fluentbit-env-in-text', path, `the text holds \${ at position ${at + 1}; Fluent Bit replaces \${NAME} with an environment variable when the config loads, and cannot escape it`, 'remove ${ from the text, or pass envRef(NAME) as the whole value');
  }
  return undefined;
}

/** Problem of any value node, or undefined. */
export function valueProblem(value: unknown, path: string): Problem | undefined {
  if (typeof value === 'string') return textValueProblem(value, path);
  if (typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'env') {
    const name = (value as { name?: unknown }).name;
    if (typeof name === 'string' && ENV_NAME.test(name)) return undefined;
    return refusal('fluentbit-env-name', path, `${quoted(name)} is not an environment variable name`, 'use letters, digits and _, starting with a letter or _');
  }
  return refusal('fluentbit-value', path, `${quoted(value)} is not a Fluent Bit value`, 'pass text, a number, a boolean or envRef(NAME)');
}

/** Problem of a comment's text, or undefined: one line without control characters. */
export function commentProblem(text: unknown, path: string): Problem | undefined {
  const bad = checkConfigText(text, path);
  return bad === undefined ? undefined : { ...bad, code: 'fluentbit-comment', fix: 'write one line of text without control characters' };
}

// ---------------------------------------------------------------------------------------------
// Builders.

/**
 * `${NAME}` as a whole property value: Fluent Bit reads the environment variable when it loads
 * the config, so a secret (an HTTP password, a TLS key passphrase) never appears in the file.
 *
 * @example
 * ```ts
 * output('es', { host: 'es.example', http_passwd: envRef('ES_PASSWORD') });
 * ```
 */
export function envRef(name: string): FluentBitEnvRef {
  const node: FluentBitEnvRef = { kind: 'env', name };
  throwIfRefused(valueProblem(node, 'envRef'));
  return node;
}

/** The value a builder stores for an input value (numbers in decimal, booleans as on/off). */
function valueOf(input: FluentBitValueInput, path: string): FluentBitValue {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throwIfRefused(refusal('fluentbit-value', path, `${input} is not a finite number`, 'pass a finite number'));
    return String(input);
  }
  if (typeof input === 'boolean') return input ? 'on' : 'off';
  throwIfRefused(valueProblem(input, path));
  return input;
}

/**
 * One property, checked. Throws a `CollectorConfigError` for a key or value Fluent Bit would read
 * differently.
 *
 * @example
 * ```ts
 * property('buffer_max_size', 102402); // { key: 'buffer_max_size', value: '102402' }
 * ```
 */
export function property(key: string, value: FluentBitValueInput): FluentBitProperty {
  throwIfRefused(propertyKeyProblem(key, 'property'));
  return { key, value: valueOf(value, `property(${key})`) };
}

function properties(input: FluentBitPropertiesInput): FluentBitProperty[] {
  const pairs = Array.isArray(input) ? (input as readonly (readonly [string, FluentBitValueInput])[]) : Object.entries(input as Record<string, FluentBitValueInput>);
  return pairs.map(([key, value]) => property(key, value));
}

function plugin(kind: FluentBitPluginKind, name: string, input: FluentBitPropertiesInput, comment?: string): FluentBitPlugin {
  throwIfRefused(pluginNameProblem(name, kind));
  if (comment !== undefined) throwIfRefused(commentProblem(comment, `${kind}(${name}).comment`));
  const node: FluentBitPlugin = { kind, name, properties: properties(input) };
  return comment === undefined ? node : { ...node, comment };
}

/**
 * An input plugin.
 *
 * @example
 * ```ts
 * input('tail', { path: '/var/log/kube-audit/audit.log', tag: 'audit' });
 * ```
 */
export function input(name: string, props: FluentBitPropertiesInput = {}, comment?: string): FluentBitPlugin {
  return plugin('input', name, props, comment);
}

/**
 * A filter plugin.
 *
 * @example
 * ```ts
 * filter('lua', { match: 'audit', script: '/fluent-bit/etc/audit-policy.lua', call: 'k8s_gen_audit_policy' });
 * ```
 */
export function filter(name: string, props: FluentBitPropertiesInput = {}, comment?: string): FluentBitPlugin {
  return plugin('filter', name, props, comment);
}

/**
 * An output plugin.
 *
 * @example
 * ```ts
 * output('stdout', { match: 'audit', format: 'json_lines' });
 * ```
 */
export function output(name: string, props: FluentBitPropertiesInput = {}, comment?: string): FluentBitPlugin {
  return plugin('output', name, props, comment);
}

/**
 * A parser, which an input's `parser` property names.
 *
 * @example
 * ```ts
 * parser('k8s-audit', { format: 'json', time_key: 'stageTimestamp' });
 * ```
 */
export function parser(name: string, props: FluentBitPropertiesInput = {}, comment?: string): FluentBitParser {
  const bad = checkConfigText(name, 'parser', { allowEmpty: false });
  throwIfRefused(bad ?? (/^[A-Za-z0-9_.-]+$/.test(name) ? undefined : refusal('fluentbit-parser-name', 'parser', `${quoted(name)} is not a parser name`, 'use letters, digits, _, - and .')));
  if (comment !== undefined) throwIfRefused(commentProblem(comment, `parser(${name}).comment`));
  const node: FluentBitParser = { kind: 'parser', name, properties: properties(props) };
  return comment === undefined ? node : { ...node, comment };
}

/** The parts of a config, for {@link fluentBitConfig}. */
export interface FluentBitConfigParts {
  readonly header?: readonly string[];
  readonly service?: FluentBitPropertiesInput;
  readonly parsers?: readonly FluentBitParser[];
  readonly inputs?: readonly FluentBitPlugin[];
  readonly filters?: readonly FluentBitPlugin[];
  readonly outputs?: readonly FluentBitPlugin[];
}

/**
 * Builds a whole config.
 *
 * @example
 * ```ts
 * fluentBitConfig({ service: { flush: 1 }, inputs: [input('dummy')], outputs: [output('stdout', { match: '*' })] });
 * ```
 */
export function fluentBitConfig(parts: FluentBitConfigParts): FluentBitConfig {
  for (const [index, line] of (parts.header ?? []).entries()) throwIfRefused(commentProblem(line, `header[${index}]`));
  const config: FluentBitConfig = {
    kind: 'fluent-bit',
    service: properties(parts.service ?? {}),
    parsers: [...(parts.parsers ?? [])],
    inputs: [...(parts.inputs ?? [])],
    filters: [...(parts.filters ?? [])],
    outputs: [...(parts.outputs ?? [])],
  };
  return parts.header === undefined || parts.header.length === 0 ? config : { ...config, header: [...parts.header] };
}

/**
 * The value of the first property named `key`, if any.
 *
 * @example
 * ```ts
 * propertyValue(input('tail', { path: '/var/log/a.log' }), 'path'); // '/var/log/a.log'
 * ```
 */
export function propertyValue(section: { readonly properties: readonly FluentBitProperty[] }, key: string): FluentBitValue | undefined {
  return section.properties.find((p) => p.key === key)?.value;
}

/**
 * The text Fluent Bit reads for a value before it puts in environment variables.
 *
 * @example
 * ```ts
 * valueText(envRef('ES_PASSWORD')); // '${ES_PASSWORD}'
 * ```
 */
export function valueText(value: FluentBitValue): string {
  return typeof value === 'string' ? value : `\${${value.name}}`;
}

/**
 * Every problem of a tree that was maybe built without the builders: names, keys, values and
 * comments, each named by its place (`inputs[0](tail).path`).
 */
export function configProblems(config: FluentBitConfig): Problem[] {
  const problems: Problem[] = [];
  if (typeof config !== 'object' || config === null || config.kind !== 'fluent-bit') {
    return [refusal('fluentbit-node', '', 'the value is not a Fluent Bit config (kind: fluent-bit)', 'build it with fluentBitConfig(...)')];
  }
  const props = (list: unknown, path: string): void => {
    if (!Array.isArray(list)) {
      problems.push(refusal('fluentbit-node', path, 'the properties are not a list', 'build sections with the builders'));
      return;
    }
    for (const item of list as FluentBitProperty[]) {
      const at = `${path}.${String(item?.key)}`;
      const problem = propertyKeyProblem(item?.key, at) ?? valueProblem(item?.value, at);
      if (problem !== undefined) problems.push(problem);
    }
  };
  for (const [index, line] of (Array.isArray(config.header) ? config.header : []).entries()) {
    const problem = commentProblem(line, `header[${index}]`);
    if (problem !== undefined) problems.push(problem);
  }
  props(config.service, 'service');
  const sections = (list: unknown, field: 'parsers' | 'inputs' | 'filters' | 'outputs'): void => {
    if (!Array.isArray(list)) {
      problems.push(refusal('fluentbit-node', field, `${field} is not a list`, `give ${field} as a list`));
      return;
    }
    (list as (FluentBitPlugin | FluentBitParser)[]).forEach((section, index) => {
      const path = `${field}[${index}](${String(section?.name)})`;
      const expected = field === 'parsers' ? 'parser' : field.slice(0, -1);
      if (section?.kind !== expected) problems.push(refusal('fluentbit-node', path, `the entry is not a ${expected}`, `build it with ${expected}(...)`));
      const nameProblem =
        field === 'parsers'
          ? typeof section?.name === 'string' && /^[A-Za-z0-9_.-]+$/.test(section.name)
            ? undefined
            : refusal('fluentbit-parser-name', path, `${quoted(section?.name)} is not a parser name`, 'use letters, digits, _, - and .')
          : pluginNameProblem(section?.name, path);
      if (nameProblem !== undefined) problems.push(nameProblem);
      if (section?.comment !== undefined) {
        const problem = commentProblem(section.comment, `${path}.comment`);
        if (problem !== undefined) problems.push(problem);
      }
      props(section?.properties, path);
    });
  };
  sections(config.parsers, 'parsers');
  sections(config.inputs, 'inputs');
  sections(config.filters, 'filters');
  sections(config.outputs, 'outputs');
  return problems;
}

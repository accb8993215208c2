/**
 * Reads Fluent Bit configs into the AST, following Fluent Bit's own readers for what the model
 * covers (github.com/fluent/fluent-bit, `src/config_format/flb_cf_fluentbit.c` for the classic
 * format, `src/config_format/flb_cf_yaml.c` for YAML, `flb_config_format.c` for keys and values,
 * `src/flb_env.c` for `${...}`). The writers use these parsers to check their own output.
 *
 * Classic format, the rules followed (each has a test in test/fluentbit.test.ts):
 * - lines end at `\n`; one `\r` before it is dropped (a lone `\r` is an ordinary character);
 * - empty and blank lines are skipped, and so is a line whose first character is `#`; an indented
 *   line whose first character after the indentation is `#` is skipped too;
 * - a line starting with `@INCLUDE ` includes files, any other line starting with `@` is a meta
 *   command (`@SET`): both are refused here;
 * - a line starting with `[` opens a section named by the text up to the first `]` (anything after
 *   it is ignored); section names are matched without regard to case;
 * - the first indented line fixes the indentation; every property line must start with exactly it
 *   (more is a group line, refused here; less is an error);
 * - the key runs to the first space (a tab does not end it); the value is the rest of the line,
 *   trimmed of white space at both ends, and must not be empty; keys are lowercased;
 * - `${NAME}` in a value is replaced with an environment variable: a value that is exactly one
 *   reference is read as `envRef(NAME)`, any other use of `${...}` is refused.
 *
 * YAML format: libyaml reads every scalar as text (so `port: 9880` is the text `9880`); the file
 * holds `service` (a map), `parsers` (a list) and `pipeline` with `inputs`, `filters` and
 * `outputs` (lists of maps with `name`); keys in camelCase are turned into snake_case and values
 * are trimmed, as in the classic format. Anchors, aliases, tags, lists as values and the other
 * top-level sections (`env`, `includes`, `customs`, ...) are refused.
 */
import type { Problem } from '@k8s-gen/runtime';
import { DEFAULT_READER_LIMITS, failed, positionAt, refusal, succeeded, type CollectorResult, type ReaderLimits } from '../problems.js';
import { entryOf, readConfigYaml, type YamlMap, type YamlNode } from '../yaml-config.js';
import {
  CLASSIC_SECTIONS,
  configProblems,
  ENV_NAME,
  type FluentBitConfig,
  type FluentBitParser,
  type FluentBitPlugin,
  type FluentBitPluginKind,
  type FluentBitProperty,
  type FluentBitValue,
} from './ast.js';

/** Options of the Fluent Bit parsers. */
export interface ParseFluentBitOptions extends ReaderLimits {
  /** The file the text came from, copied into every problem. */
  readonly file?: string;
}

/** Options of {@link parseFluentBitClassic}. */
export interface ParseFluentBitClassicOptions extends ParseFluentBitOptions {
  /** The text of the parsers file the main file's `parsers_file` names, if any. */
  readonly parsers?: string;
}

class ParseStop {
  constructor(readonly problem: Problem) {}
}

/** The characters C's `isspace` trims: space, tab, line feed, vertical tab, form feed, carriage return. */
const C_SPACE = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g;

/**
 * Reads a value the way Fluent Bit does after trimming: a whole `${NAME}` is an environment
 * reference; text in which `flb_env_var_translate` would find a variable is refused; other text is
 * kept.
 */
function readValue(raw: string, fail: (message: string, fix: string) => never): FluentBitValue {
  const whole = /^\$\{([^}]*)\}$/.exec(raw);
  if (whole !== null && ENV_NAME.test(whole[1]!)) return { kind: 'env', name: whole[1]! };
  // flb_env_var_translate: a variable needs `${`, a later-or-earlier `}` found from the same
  // start, and a non-empty name between them.
  for (let i = 0; i < raw.length; ) {
    const start = raw.indexOf('${', i);
    if (start < 0) break;
    const end = raw.indexOf('}', i);
    if (end < 0 || end - (start + 2) <= 0) break;
    fail(`the value ${JSON.stringify(raw)} uses \${...}, which Fluent Bit replaces with an environment variable`, 'use a whole ${NAME} as the value, or remove ${ from the text');
    i = end + 1;
  }
  return raw;
}

/**
 * Parses a classic-format config (and, with `options.parsers`, its parsers file). Never throws:
 * text it cannot read gives a problem with the line and column.
 *
 * @example
 * ```ts
 * const parsed = parseFluentBitClassic('[INPUT]\n    name dummy\n[OUTPUT]\n    name stdout\n    match *\n');
 * parsed.ok && parsed.value.outputs[0]; // { kind: 'output', name: 'stdout', properties: [{ key: 'match', value: '*' }] }
 * ```
 */
export function parseFluentBitClassic(text: string, options: ParseFluentBitClassicOptions = {}): CollectorResult<FluentBitConfig> {
  const main = readClassic(text, 'main', options);
  if (!main.ok) return main;
  let parsers: FluentBitParser[] = [];
  if (options.parsers !== undefined) {
    const read = readClassic(options.parsers, 'parsers', options);
    if (!read.ok) return read;
    parsers = read.value.parsers;
  }
  const config: FluentBitConfig = { ...main.value.config, parsers };
  const problems = configProblems(config);
  return problems.length > 0 ? failed(problems.map((p) => (options.file === undefined ? p : { ...p, file: options.file }))) : succeeded(config);
}

interface ClassicRead {
  readonly config: FluentBitConfig;
  readonly parsers: FluentBitParser[];
}

function readClassic(text: string, role: 'main' | 'parsers', options: ParseFluentBitOptions): CollectorResult<ClassicRead> {
  const maxLength = options.maxLength ?? DEFAULT_READER_LIMITS.maxLength;
  const withFile = (problem: Problem): Problem => (options.file === undefined ? problem : { ...problem, file: options.file });
  if (typeof text !== 'string') return failed([withFile(refusal('fluentbit-parse', '', 'the config is not text', 'pass the file contents as a string'))]);
  if (text.length > maxLength) return failed([withFile(refusal('fluentbit-too-large', '', `the config is ${text.length} characters long, more than the limit of ${maxLength}`, 'split the config, or raise maxLength'))]);
  const header: string[] = [];
  const service: FluentBitProperty[] = [];
  const parsers: FluentBitParser[] = [];
  const plugins: Record<FluentBitPluginKind, FluentBitPlugin[]> = { input: [], filter: [], output: [] };
  interface Open {
    readonly section: 'service' | 'parser' | FluentBitPluginKind;
    readonly properties: FluentBitProperty[];
    readonly comment?: string;
  }
  let open: Open | undefined;
  let indent: string | undefined;
  let pendingComments: string[] = [];
  let headerOpen = true;
  const close = (at: number): void => {
    if (open === undefined || open.section === 'service') return;
    const name = open.properties.find((p) => p.key === 'name');
    if (name === undefined || typeof name.value !== 'string') fail(at, `the [${open.section.toUpperCase()}] section has no name`, 'add a name property');
    const rest = open.properties.filter((p) => p !== name);
    const node = { name: name!.value as string, properties: rest, ...(open.comment !== undefined ? { comment: open.comment } : {}) };
    if (open.section === 'parser') parsers.push({ kind: 'parser', ...node });
    else plugins[open.section].push({ kind: open.section, ...node });
  };
  const fail = (at: number, message: string, fix: string): never => {
    throw new ParseStop(withFile(refusal('fluentbit-parse', open === undefined ? '' : `[${open.section.toUpperCase()}]`, message, fix, positionAt(text, at))));
  };
  try {
    let lineStart = 0;
    while (lineStart <= text.length) {
      const newline = text.indexOf('\n', lineStart);
      const lineEnd = newline < 0 ? text.length : newline;
      let line = text.slice(lineStart, lineEnd);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      const at = lineStart;
      lineStart = lineEnd + 1;
      if (newline < 0 && line === '') break;
      if (line === '' || /^[ \t]+$/.test(line)) {
        // A blank line ends the header comments at the top of the file.
        if (headerOpen && pendingComments.length > 0) {
          header.push(...pendingComments);
          pendingComments = [];
        }
        headerOpen = headerOpen && open === undefined;
        continue;
      }
      if (line.startsWith('#')) {
        if (open === undefined || indent === undefined || !line.startsWith(indent)) pendingComments.push(line.slice(1).replace(/^ /, ''));
        continue;
      }
      if (line.startsWith('@')) fail(at, /^@include /i.test(line) ? '@INCLUDE is not supported' : `the meta command ${line.split(' ')[0]} is not supported`, 'write the config in one file without @ commands');
      if (line.startsWith('[')) {
        const end = line.indexOf(']');
        if (end <= 0) fail(at, 'bad section header: no closing ]', 'write the header as [NAME]');
        const name = line.slice(1, end).toUpperCase();
        close(at);
        headerOpen = false;
        const known: Readonly<Record<string, Open['section']>> =
          role === 'parsers'
            ? { [CLASSIC_SECTIONS.parser]: 'parser' }
            : { [CLASSIC_SECTIONS.service]: 'service', [CLASSIC_SECTIONS.input]: 'input', [CLASSIC_SECTIONS.filter]: 'filter', [CLASSIC_SECTIONS.output]: 'output' };
        const section = known[name];
        if (section === undefined) {
          fail(at, role === 'main' && name === 'PARSER' ? 'a [PARSER] section in the main file: Fluent Bit reads parsers only from the parsers_file' : `the section [${name}] is not supported here`, role === 'main' ? 'use SERVICE, INPUT, FILTER and OUTPUT; put parsers in the parsers file' : 'a parsers file holds [PARSER] sections');
        }
        const comment = pendingComments.length > 0 ? pendingComments.join(' ') : undefined;
        pendingComments = [];
        open = { section: section!, properties: section === 'service' ? service : [], ...(comment !== undefined ? { comment } : {}) };
        continue;
      }
      if (open === undefined) fail(at, 'a property outside any section', 'put properties inside a section such as [INPUT]');
      if (indent === undefined) {
        const lead = /^[ \t]+/.exec(line);
        // Fluent Bit counts the first character as indentation whatever it is: a key line without
        // indentation would lose its first letter.
        if (lead === null) fail(at, 'a property line without indentation', 'indent property lines, e.g. with four spaces');
        indent = lead![0];
      }
      if (!line.startsWith(indent!)) fail(at, 'the indentation is lower than, or mixes tabs and spaces with, the first indented line', `indent every property line with the same ${JSON.stringify(indent)}`);
      const rest = line.slice(indent!.length);
      if (/^[ \t]/.test(rest)) fail(at, 'a more deeply indented (group) line, which is not supported', `indent every property line with exactly ${JSON.stringify(indent)}`);
      if (rest.startsWith('#')) continue;
      if (rest.startsWith('[')) fail(at, 'a group ([.name]) inside a section is not supported', 'write the properties directly in the section');
      const space = rest.indexOf(' ');
      if (space < 0) fail(at, 'a key without a value', 'write key, a space and the value');
      const key = rest.slice(0, space).replace(C_SPACE, '').toLowerCase();
      const rawValue = rest.slice(space + 1);
      const value = rawValue.replace(C_SPACE, '');
      if (value === '') fail(at, `${key} has an empty value`, `give ${key} a value`);
      open!.properties.push({ key, value: readValue(value, (message, fix) => fail(at, message, fix)) });
    }
    close(text.length);
  } catch (stop) {
    if (stop instanceof ParseStop) return failed([stop.problem]);
    throw stop;
  }
  if (headerOpen && pendingComments.length > 0) header.push(...pendingComments);
  const config: FluentBitConfig = { kind: 'fluent-bit', service, parsers: [], inputs: plugins.input, filters: plugins.filter, outputs: plugins.output };
  return succeeded({ config: header.length > 0 ? { ...config, header } : config, parsers });
}

/**
 * Fluent Bit's key translation for YAML (`flb_cf_key_translate`): a key starting with a lower-case
 * letter and without `_` is camelCase and becomes snake_case; other keys are kept, and later
 * matched without regard to case.
 */
export function yamlKeyAsRead(key: string): string {
  if (!/^[a-z]/.test(key) || key.includes('_')) return key.toLowerCase();
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * Parses a YAML-format config. Never throws: problems carry the line and column where known.
 *
 * @example
 * ```ts
 * const parsed = parseFluentBitYaml('pipeline:\n  inputs:\n    - name: dummy\n  outputs:\n    - name: stdout\n      match: "*"\n');
 * parsed.ok && parsed.value.outputs[0]?.name; // 'stdout'
 * ```
 */
export function parseFluentBitYaml(text: string, options: ParseFluentBitOptions = {}): CollectorResult<FluentBitConfig> {
  const read = readConfigYaml(text, { ...options, scalars: 'strings', language: 'fluentbit' });
  if (!read.ok) return read;
  const problems: Problem[] = [];
  const problem = (path: string, message: string, fix: string): void => {
    problems.push({ ...refusal('fluentbit-yaml', path, message, fix), ...(options.file !== undefined ? { file: options.file } : {}) });
  };
  const scalarText = (node: YamlNode, path: string): FluentBitValue | undefined => {
    if (node.kind !== 'scalar') {
      problem(path, 'the value is a list or map, which these configs do not use', 'write a single value');
      return undefined;
    }
    const value = String(node.value).replace(C_SPACE, '');
    if (value === '') {
      problem(path, 'the value is empty', 'give a value');
      return undefined;
    }
    try {
      return readValue(value, (message, fix) => {
        throw new ParseStop(refusal('fluentbit-yaml', path, message, fix));
      });
    } catch (stop) {
      if (!(stop instanceof ParseStop)) throw stop;
      problems.push(stop.problem);
      return undefined;
    }
  };
  const propertiesOf = (node: YamlNode, path: string): FluentBitProperty[] => {
    if (node.kind !== 'map') {
      problem(path, 'expected a map of properties', 'write key: value lines');
      return [];
    }
    const list: FluentBitProperty[] = [];
    for (const entry of node.entries) {
      const value = scalarText(entry.value, `${path}.${entry.key}`);
      if (value !== undefined) list.push({ key: yamlKeyAsRead(entry.key), value });
    }
    return list;
  };
  const sections = <T extends FluentBitPlugin | FluentBitParser>(node: YamlNode | undefined, path: string, make: (name: string, properties: FluentBitProperty[]) => T): T[] => {
    if (node === undefined) return [];
    if (node.kind !== 'list') {
      problem(path, `${path} is not a list`, `write ${path} as a list of maps, each with a name`);
      return [];
    }
    const out: T[] = [];
    node.items.forEach((item, index) => {
      const properties = propertiesOf(item.value, `${path}[${index}]`);
      const name = properties.find((p) => p.key === 'name');
      if (name === undefined || typeof name.value !== 'string') problem(`${path}[${index}]`, 'the entry has no name', 'add a name');
      else out.push(make(name.value, properties.filter((p) => p !== name)));
    });
    return out;
  };
  const root: YamlMap = read.value;
  for (const entry of root.entries) {
    if (!['service', 'parsers', 'pipeline'].includes(entry.key)) problem(entry.key, `the top-level section ${entry.key} is not supported`, 'use service, parsers and pipeline');
  }
  const serviceNode = entryOf(root, 'service');
  const service = serviceNode === undefined ? [] : propertiesOf(serviceNode, 'service');
  const parsers = sections(entryOf(root, 'parsers'), 'parsers', (name, properties): FluentBitParser => ({ kind: 'parser', name, properties }));
  const pipeline = entryOf(root, 'pipeline');
  let inputs: FluentBitPlugin[] = [];
  let filters: FluentBitPlugin[] = [];
  let outputs: FluentBitPlugin[] = [];
  if (pipeline !== undefined) {
    if (pipeline.kind !== 'map') problem('pipeline', 'pipeline is not a map', 'write pipeline with inputs, filters and outputs');
    else {
      for (const entry of pipeline.entries) {
        if (!['inputs', 'filters', 'outputs'].includes(entry.key)) problem(`pipeline.${entry.key}`, `pipeline.${entry.key} is not supported`, 'use inputs, filters and outputs');
      }
      const make = (kind: FluentBitPluginKind) => (name: string, properties: FluentBitProperty[]): FluentBitPlugin => ({ kind, name, properties });
      inputs = sections(entryOf(pipeline, 'inputs'), 'pipeline.inputs', make('input'));
      filters = sections(entryOf(pipeline, 'filters'), 'pipeline.filters', make('filter'));
      outputs = sections(entryOf(pipeline, 'outputs'), 'pipeline.outputs', make('output'));
    }
  }
  if (problems.length > 0) return failed(problems);
  const config: FluentBitConfig = { kind: 'fluent-bit', service, parsers, inputs, filters, outputs };
  const invalid = configProblems(config);
  return invalid.length > 0 ? failed(invalid.map((p) => (options.file === undefined ? p : { ...p, file: options.file }))) : succeeded(config);
}

/**
 * Prints a Fluent Bit AST in either format. Every node is checked again (a tree may be built
 * without the builders), and the text is parsed back with the parsers written from Fluent Bit's
 * readers and compared with the tree before it is returned: the file can only mean what the tree
 * means.
 */
import type { Problem } from '@k8s-gen/runtime';
import { checkNodePath } from '@k8s-gen/runtime';
import { isPlainSafe } from '@k8s-gen/yaml';
import { failed, refusal, succeeded, type CollectorResult } from '../problems.js';
import { printYaml, yamlMap, yamlScalar, type YamlEntry, type YamlItem, type YamlMap } from '../yaml-config.js';
import { configProblems, valueText, type FluentBitConfig, type FluentBitParser, type FluentBitPlugin, type FluentBitProperty } from './ast.js';
import { parseFluentBitClassic, parseFluentBitYaml } from './parser.js';

/** The two files of a classic-format config. */
export interface FluentBitClassicFiles {
  /** The main file (`fluent-bit.conf`). */
  readonly main: string;
  /** The parsers file, when the config has parsers; `parsers_file` in `[SERVICE]` names it. */
  readonly parsers?: string;
}

/** Options of {@link writeFluentBitClassic}. */
export interface WriteFluentBitClassicOptions {
  /**
   * Where Fluent Bit finds the parsers file (written into `[SERVICE]` as `parsers_file`); needed
   * when the config has parsers, which the classic format cannot hold in the main file.
   */
  readonly parsersFile?: string;
}

const withoutComments = (config: FluentBitConfig): FluentBitConfig => {
  const strip = <T extends FluentBitPlugin | FluentBitParser>(section: T): T => {
    const { comment: _comment, ...rest } = section;
    return rest as T;
  };
  const { header: _header, ...rest } = config;
  return { ...rest, parsers: config.parsers.map(strip), inputs: config.inputs.map(strip), filters: config.filters.map(strip), outputs: config.outputs.map(strip) };
};

/** The tree as the parser gives it back: plain objects only, keys of a canonical order. */
function canonical(config: FluentBitConfig): FluentBitConfig {
  const props = (list: readonly FluentBitProperty[]): FluentBitProperty[] => list.map((p) => ({ key: p.key, value: typeof p.value === 'string' ? p.value : { kind: 'env', name: p.value.name } }));
  const section = <T extends FluentBitPlugin | FluentBitParser>(s: T): T => ({ kind: s.kind, name: s.name, properties: props(s.properties), ...(s.comment !== undefined ? { comment: s.comment } : {}) }) as unknown as T;
  const base: FluentBitConfig = {
    kind: 'fluent-bit',
    service: props(config.service),
    parsers: config.parsers.map(section),
    inputs: config.inputs.map(section),
    filters: config.filters.map(section),
    outputs: config.outputs.map(section),
  };
  return config.header !== undefined && config.header.length > 0 ? { ...base, header: [...config.header] } : base;
}

function sectionLines(title: string, name: string | undefined, properties: readonly FluentBitProperty[], comment: string | undefined): string[] {
  const lines = comment === undefined ? [] : [`# ${comment}`];
  lines.push(`[${title}]`);
  const rows: [string, string][] = [...(name === undefined ? [] : [['name', name] as [string, string]]), ...properties.map((p): [string, string] => [p.key, valueText(p.value)])];
  const width = Math.max(0, ...rows.map(([key]) => key.length));
  for (const [key, value] of rows) lines.push(`    ${key.padEnd(width)} ${value}`);
  return lines;
}

/**
 * Prints `config` in the classic format: the main file and, when there are parsers, the parsers
 * file that `parsers_file` (from `options.parsersFile`) names. Returns the problems of every node
 * Fluent Bit would read differently instead. Never throws.
 *
 * @example
 * ```ts
 * const written = writeFluentBitClassic(fluentBitConfig({ inputs: [input('dummy')], outputs: [output('stdout', { match: '*' })] }));
 * written.ok && written.value.main; // '[INPUT]\n    name dummy\n\n[OUTPUT]\n    name  stdout\n    match *\n'
 * ```
 */
export function writeFluentBitClassic(config: FluentBitConfig, options: WriteFluentBitClassicOptions = {}): CollectorResult<FluentBitClassicFiles> {
  const problems = configProblems(config);
  if (problems.length > 0) return failed(problems);
  let service = [...config.service];
  if (config.parsers.length > 0) {
    if (service.some((p) => p.key === 'parsers_file')) problems.push(refusal('fluentbit-parsers-file', 'service.parsers_file', 'the service sets parsers_file itself while the config has parsers', 'leave parsers_file out; the writer sets it from options.parsersFile'));
    const pathProblem = checkNodePath(options.parsersFile, 'parsersFile', { example: '/fluent-bit/etc/parsers.conf' });
    if (pathProblem !== undefined) problems.push({ ...pathProblem, message: `${pathProblem.message}; the classic format keeps parsers in a separate file that [SERVICE] parsers_file names` });
    else if (options.parsersFile!.includes('${')) problems.push(refusal('fluentbit-env-in-text', 'parsersFile', 'parsersFile holds ${', 'remove ${ from the path'));
    if (problems.length > 0) return failed(problems);
    service = [...service, { key: 'parsers_file', value: options.parsersFile! }];
  }
  const blocks: string[][] = [];
  if (config.header !== undefined && config.header.length > 0) blocks.push(config.header.map((line) => (line === '' ? '#' : `# ${line}`)));
  if (service.length > 0) blocks.push(sectionLines('SERVICE', undefined, service, undefined));
  for (const plugin of [...config.inputs, ...config.filters, ...config.outputs]) blocks.push(sectionLines(plugin.kind.toUpperCase(), plugin.name, plugin.properties, plugin.comment));
  const main = blocks.length === 0 ? '' : `${blocks.map((b) => b.join('\n')).join('\n\n')}\n`;
  const parsers = config.parsers.length === 0 ? undefined : `${config.parsers.map((p) => sectionLines('PARSER', p.name, p.properties, p.comment).join('\n')).join('\n\n')}\n`;
  // The parser, written from Fluent Bit's reader, checks the writer.
  const expected = canonical({ ...config, service });
  const reread = parseFluentBitClassic(main, parsers === undefined ? {} : { parsers });
  if (!reread.ok || JSON.stringify(canonical(reread.value)) !== JSON.stringify(expected)) {
    return failed([refusal('fluentbit-writer-check', '', 'the written config does not read back as the tree it was written from (a k8s-gen bug)', 'report the tree that caused it; meanwhile change the value named in the tree')]);
  }
  return succeeded(parsers === undefined ? { main } : { main, parsers });
}

/**
 * Fluent Bit reads every YAML scalar as its text, so besides what every YAML reader keeps plain,
 * numbers with a unit (`32k`, `5M`, `1`) and `on`/`off` are written plain too.
 */
function plainForFluentBit(text: string): boolean {
  return isPlainSafe(text) || /^(?:[0-9]+(?:\.[0-9]+)?[KkMmGg]?[Bb]?|on|off)$/.test(text);
}

function propertiesMap(name: string | undefined, properties: readonly FluentBitProperty[]): YamlMap {
  const entries: YamlEntry[] = [];
  if (name !== undefined) entries.push({ key: 'name', value: yamlScalar(name) });
  for (const p of properties) entries.push({ key: p.key, value: yamlScalar(valueText(p.value)) });
  return yamlMap(entries);
}

/**
 * Prints `config` in the YAML format (parsers in the same file). Returns the problems of every
 * node Fluent Bit would read differently instead. Never throws.
 *
 * @example
 * ```ts
 * const written = writeFluentBitYaml(fluentBitConfig({ inputs: [input('dummy')], outputs: [output('stdout', { match: '*' })] }));
 * written.ok && written.value; // 'pipeline:\n  inputs:\n    - name: dummy\n  outputs:\n    - name: stdout\n      match: "*"\n'
 * ```
 */
export function writeFluentBitYaml(config: FluentBitConfig): CollectorResult<string> {
  const problems: Problem[] = configProblems(config);
  if (problems.length > 0) return failed(problems);
  const entries: YamlEntry[] = [];
  if (config.service.length > 0) entries.push({ key: 'service', value: propertiesMap(undefined, config.service) });
  const list = (sections: readonly (FluentBitPlugin | FluentBitParser)[]): { kind: 'list'; items: YamlItem[] } => ({
    kind: 'list',
    items: sections.map((s) => ({ value: propertiesMap(s.name, s.properties), ...(s.comment !== undefined ? { comment: s.comment } : {}) })),
  });
  if (config.parsers.length > 0) entries.push({ key: 'parsers', value: list(config.parsers) });
  const pipeline: YamlEntry[] = [];
  if (config.inputs.length > 0) pipeline.push({ key: 'inputs', value: list(config.inputs) });
  if (config.filters.length > 0) pipeline.push({ key: 'filters', value: list(config.filters) });
  if (config.outputs.length > 0) pipeline.push({ key: 'outputs', value: list(config.outputs) });
  if (pipeline.length > 0) entries.push({ key: 'pipeline', value: yamlMap(pipeline) });
  const text = printYaml(yamlMap(entries), config.header, plainForFluentBit);
  const reread = parseFluentBitYaml(text);
  if (!reread.ok || JSON.stringify(canonical(reread.value)) !== JSON.stringify(canonical(withoutComments(config)))) {
    return failed([refusal('fluentbit-writer-check', '', 'the written config does not read back as the tree it was written from (a k8s-gen bug)', 'report the tree that caused it; meanwhile change the value named in the tree')]);
  }
  return succeeded(text);
}

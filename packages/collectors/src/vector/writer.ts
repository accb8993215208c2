/**
 * Prints a Vector AST as YAML. Every node is checked again (a tree may be built without the
 * builders); every `$` of text, templates, code and comments is doubled, since Vector interpolates
 * the whole text (comments included) before it reads the YAML; environment references are written
 * `${NAME}`. The text is parsed back and compared with the tree before it is returned.
 */
import { failed, refusal, succeeded, type CollectorResult } from '../problems.js';
import { settingToYaml, type SettingTable, type SettingValue, type SettingWriter } from '../settings.js';
import { printYaml, yamlMap, yamlScalar, type YamlEntry } from '../yaml-config.js';
import { configProblems, type VectorComponent, type VectorConfig } from './ast.js';
import { parseVector } from './parser.js';

const escape = (text: string): string => text.replace(/\$/g, '$$$$');

const WRITER: SettingWriter = { text: escape, env: (name) => `\${${name}}`, template: escape, code: escape };

function componentEntry(component: VectorComponent): YamlEntry {
  const entries: YamlEntry[] = [{ key: 'type', value: yamlScalar(component.type) }];
  if (component.kind !== 'source') entries.push({ key: 'inputs', value: { kind: 'list', items: component.inputs.map((input) => ({ value: yamlScalar(input) })) } });
  const options = settingToYaml(component.options, WRITER);
  if (options.kind === 'map') entries.push(...options.entries);
  return { key: component.id, value: yamlMap(entries), ...(component.comment !== undefined ? { comment: escape(component.comment) } : {}) };
}

/** A value as the parser gives it back: a template without `{{` reads back as its text. */
function readBack(value: SettingValue): SettingValue {
  if (typeof value !== 'object' || value === null) return value;
  if (value.$node === 'template') return value.text.includes('{{') ? value : value.text;
  if (value.$node === 'list') return { $node: 'list', items: value.items.map(readBack) };
  if (value.$node === 'table') return { $node: 'table', entries: value.entries.map((e) => ({ key: e.key, value: readBack(e.value) })) };
  return value;
}

/** The tree as the parser gives it back (no comments, plain objects). */
function canonical(config: VectorConfig): unknown {
  const component = (c: VectorComponent) => ({ kind: c.kind, id: c.id, type: c.type, inputs: [...c.inputs], options: readBack(c.options) });
  return JSON.parse(JSON.stringify({ kind: 'vector', global: readBack(config.global), sources: config.sources.map(component), transforms: config.transforms.map(component), sinks: config.sinks.map(component) }));
}

/**
 * Prints `config` as a Vector YAML config, or returns the problems of every node Vector would read
 * differently (each at its place, e.g. `sinks.es.auth.password`). Never throws.
 *
 * @example
 * ```ts
 * const written = writeVector(vectorConfig({ sources: [source('in', 'stdin')], sinks: [sink('out', 'console', ['in'], { encoding: { codec: 'json' } })] }));
 * written.ok && written.value; // 'sources:\n  in:\n    type: stdin\nsinks:\n  out:\n ...'
 * ```
 */
export function writeVector(config: VectorConfig): CollectorResult<string> {
  const problems = configProblems(config);
  if (problems.length > 0) return failed(problems);
  const entries: YamlEntry[] = [];
  const global = settingToYaml(config.global as SettingTable, WRITER);
  if (global.kind === 'map') entries.push(...global.entries);
  for (const [key, list] of [['sources', config.sources], ['transforms', config.transforms], ['sinks', config.sinks]] as const) {
    if (list.length > 0) entries.push({ key, value: yamlMap(list.map(componentEntry)) });
  }
  const text = printYaml(yamlMap(entries), config.header?.map(escape));
  const reread = parseVector(text);
  if (!reread.ok || JSON.stringify(canonical(reread.value)) !== JSON.stringify(canonical(config))) {
    return failed([refusal('vector-writer-check', '', 'the written config does not read back as the tree it was written from (a k8s-gen bug)', 'report the tree that caused it; meanwhile change the value named in the tree')]);
  }
  return succeeded(text);
}

/**
 * Reads a Vector YAML config into the AST, following Vector's loader (github.com/vectordotdev/vector
 * `src/config/vars.rs` for interpolation, `src/config/format.rs` and serde_yaml for YAML): the
 * whole text is interpolated before it is parsed, so this reader does the same, then reads the
 * YAML with YAML 1.2 scalar types (serde_yaml).
 *
 * The rules followed (each has a test in test/vector.test.ts):
 * - `$$` is a literal `$`; `${NAME}` and `$NAME` (names of word characters and `.`) are environment
 *   variables, `${NAME:-default}`, `${NAME-default}`, `${NAME:?error}` and `${NAME?error}` their
 *   default and required forms; a `$` before anything else is itself. A whole value `${NAME}` is
 *   read as `envRef(NAME)`; the other forms, and references inside text, are refused;
 * - the document is a map of global options plus `sources`, `transforms` and `sinks`, each a map
 *   from component id to its options, with `type` and (for transforms and sinks) `inputs`;
 * - a remap transform's `source` is a VRL program; text holding `{{ ... }}` is read as a template
 *   (a strftime-only template reads back as text: which fields expand it is the sink's business).
 */
import type { Problem } from '@k8s-gen/runtime';
import { failed, refusal, succeeded, type CollectorResult, type ReaderLimits } from '../problems.js';
import { settingFromYaml, settingTexts, type SettingTable, type SettingValue } from '../settings.js';
import { entryOf, readConfigYaml, type YamlMap } from '../yaml-config.js';
import { configProblems, ENV_NAME, VECTOR_RULES, type VectorComponent, type VectorComponentKind, type VectorConfig } from './ast.js';

/** Options of {@link parseVector}. */
export interface ParseVectorOptions extends ReaderLimits {
  readonly file?: string;
}

// Stand-ins for what interpolation produced, in the private use area, which configs never hold.
const DOLLAR = '\ue000';
const REFERENCE = '\ue001';

/** Vector's interpolation pattern (`src/config/vars.rs`). */
// [[:word:]] is ASCII in Rust's regex crate.
const INTERPOLATION = /\$\$|\$([A-Za-z0-9_.]+)|\$\{([A-Za-z0-9_.]+)(?:(:?-|:?\?)([^}]*))?\}/g;

/**
 * Parses a Vector YAML config. Never throws: text it cannot read gives problems with the line
 * and column where known.
 *
 * @example
 * ```ts
 * const parsed = parseVector('sources:\n  in:\n    type: stdin\nsinks:\n  out:\n    type: console\n    inputs: [in]\n    encoding:\n      codec: json\n');
 * parsed.ok && parsed.value.sinks[0]?.inputs; // ['in']
 * ```
 */
export function parseVector(text: string, options: ParseVectorOptions = {}): CollectorResult<VectorConfig> {
  const file = options.file === undefined ? {} : { file: options.file };
  if (typeof text !== 'string') return failed([{ ...refusal('vector-parse', '', 'the config is not text', 'pass the file contents as a string'), ...file }]);
  if (/[\ue000\ue001]/.test(text)) return failed([{ ...refusal('vector-parse', '', 'the config holds private-use characters U+E000 or U+E001', 'remove them'), ...file }]);
  const unsupported: string[] = [];
  const interpolated = text.replace(INTERPOLATION, (match, bare: string | undefined, braced: string | undefined, form: string | undefined) => {
    if (match === '$$') return DOLLAR;
    const name = bare ?? braced!;
    if (bare !== undefined || form !== undefined || !ENV_NAME.test(name)) {
      unsupported.push(match);
      return match;
    }
    return `${REFERENCE}${name}${REFERENCE}`;
  });
  if (unsupported.length > 0) {
    return failed([{ ...refusal('vector-env', '', `the config uses ${unsupported[0]}, which Vector replaces with an environment variable when it loads the config`, 'write a literal $ as $$, and a variable as a whole value ${NAME}'), ...file }]);
  }
  const read = readConfigYaml(interpolated, { ...options, scalars: 'typed', language: 'vector' });
  if (!read.ok) return read;
  const problems: Problem[] = [];
  const made = (interpolated.match(new RegExp(REFERENCE, 'g'))?.length ?? 0) / 2;
  let used = 0;
  const scalar = (value: string, path: string): SettingValue | Problem => {
    const whole = new RegExp(`^${REFERENCE}([^${REFERENCE}]+)${REFERENCE}$`).exec(value);
    if (whole !== null) {
      used++;
      return { $node: 'env', name: whole[1]! };
    }
    if (value.includes(REFERENCE)) return { ...refusal('vector-env', path, 'an environment variable inside text', 'use ${NAME} as a whole value'), ...file };
    const text = value.replaceAll(DOLLAR, '$');
    // Text with {{ ... }} is a template wherever it stands (the fields that expand it are the sink's).
    if (/\{\{|\}\}/.test(text)) {
      const bad = VECTOR_RULES.templateProblem!(text, path);
      return bad === undefined ? { $node: 'template', text } : { ...bad, ...file };
    }
    return text;
  };
  const root: YamlMap = read.value;
  const globalEntries = root.entries.filter((e) => !['sources', 'transforms', 'sinks'].includes(e.key));
  const global = settingFromYaml({ kind: 'map', entries: globalEntries }, '', scalar, () => false, problems) as SettingTable;
  const components = (kind: VectorComponentKind): VectorComponent[] => {
    const key = `${kind}s`;
    const node = entryOf(root, key);
    if (node === undefined) return [];
    if (node.kind !== 'map') {
      problems.push({ ...refusal('vector-yaml', key, `${key} is not a map of components`, `write ${key} as id: { type: ..., ... }`), ...file });
      return [];
    }
    return node.entries.flatMap((entry): VectorComponent[] => {
      const path = `${key}.${entry.key}`;
      if (entry.value.kind !== 'map') {
        problems.push({ ...refusal('vector-yaml', path, 'a component is not a map of options', 'write the component as a map with type'), ...file });
        return [];
      }
      const typeNode = entryOf(entry.value, 'type');
      const type = typeNode?.kind === 'scalar' && typeof typeNode.value === 'string' ? typeNode.value : undefined;
      if (type === undefined) {
        problems.push({ ...refusal('vector-yaml', `${path}.type`, 'the component has no type', 'add type'), ...file });
        return [];
      }
      const inputsNode = entryOf(entry.value, 'inputs');
      const inputs = inputsNode === undefined ? [] : settingTexts(settingFromYaml(inputsNode, `${path}.inputs`, scalar, () => false, problems));
      if (inputsNode !== undefined && (inputsNode.kind !== 'list' || inputsNode.items.length !== inputs.length)) {
        problems.push({ ...refusal('vector-yaml', `${path}.inputs`, 'inputs is not a list of component ids', 'write inputs as a list of ids'), ...file });
      }
      const rest = { kind: 'map' as const, entries: entry.value.entries.filter((e) => e.key !== 'type' && e.key !== 'inputs') };
      const isCode = (p: string): boolean => kind === 'transform' && type === 'remap' && p === 'source';
      const code = (value: string, at: string): SettingValue | Problem =>
        value.includes(REFERENCE) ? { ...refusal('vector-env', `${path}.${at}`, 'an environment variable inside a VRL program', 'write a literal $ as $$'), ...file } : { $node: 'code', text: value.replaceAll(DOLLAR, '$') };
      const opts = settingFromYaml(rest, '', scalar, isCode, problems, code) as SettingTable;
      return [{ kind, id: entry.key, type, inputs, options: opts }];
    });
  };
  const config: VectorConfig = { kind: 'vector', global, sources: components('source'), transforms: components('transform'), sinks: components('sink') };
  // A reference that reached no value sat in a comment or a key, where Vector expands it as well.
  if (problems.length === 0 && used !== made) problems.push({ ...refusal('vector-env', '', 'an environment variable outside any value (in a comment or a key), which Vector expands there too', 'write a literal $ as $$'), ...file });
  if (problems.length > 0) return failed(problems);
  const invalid = configProblems(config);
  return invalid.length > 0 ? failed(invalid.map((p) => ({ ...p, ...file }))) : succeeded(config);
}

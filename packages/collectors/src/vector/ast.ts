/**
 * The Vector configuration (YAML) as data: global options and the `sources`, `transforms` and
 * `sinks` of the topology, each a component id, a `type`, `inputs` and typed options. The builder
 * functions refuse a bad argument where it enters; `writeVector` prints a tree and `parseVector`
 * reads one back.
 *
 * The rules (see README.md): Vector replaces `$NAME`, `${NAME}` and their default forms in the
 * whole config text before it parses it, comments included, and reads `$$` as `$`; in template
 * fields `{{ field }}` and strftime codes are expanded per event. Plain text is therefore written
 * with every `$` doubled, and may not hold `{{` or `}}` (build a `template(...)` for that).
 */
import type { Problem } from '@k8s-gen/runtime';
import { refusal, throwIfRefused } from '../problems.js';
import { settingProblems, settingValue, type SettingCode, type SettingEnvRef, type SettingInput, type SettingRules, type SettingTable, type SettingTemplate } from '../settings.js';
import { checkConfigText, quoted } from '../text.js';

/** The three kinds of component. */
export type VectorComponentKind = 'source' | 'transform' | 'sink';

/** A source, transform or sink. */
export interface VectorComponent {
  readonly kind: VectorComponentKind;
  /** The component id, the key under `sources`, `transforms` or `sinks`. */
  readonly id: string;
  /** The component type, e.g. `file`, `remap`, `elasticsearch`. */
  readonly type: string;
  /** The ids this component reads from (none for a source). */
  readonly inputs: readonly string[];
  /** The other options, as a table. */
  readonly options: SettingTable;
  /** A comment line written above the component. */
  readonly comment?: string;
}

/** A whole Vector config. */
export interface VectorConfig {
  readonly kind: 'vector';
  readonly header?: readonly string[];
  /** Global options (`data_dir`, `acknowledgements`, ...). */
  readonly global: SettingTable;
  readonly sources: readonly VectorComponent[];
  readonly transforms: readonly VectorComponent[];
  readonly sinks: readonly VectorComponent[];
}

/** Component ids: letters, digits, `_` and `-` (a `.` names a component's extra output, as in `remap.dropped`). */
export const COMPONENT_ID = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

/** Component types: lower-case words joined by `_`. */
export const COMPONENT_TYPE = /^[a-z][a-z0-9_]*$/;

/**
 * Option keys: letters, digits, `_` and `-` (HTTP header names). No `.`: YAML reads `a.b` as one
 * key, not the table `a` with `b` (TOML's dotted keys), so Vector would refuse it.
 */
export const OPTION_KEY = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

/** Environment variable names Vector reads for `${NAME}`. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Problem of plain text, or undefined: no control characters, and no `{{`/`}}` template markers. */
export function textValueProblem(text: unknown, path: string): Problem | undefined {
  const bad = checkConfigText(text, path);
  if (bad !== undefined) return { ...bad, code: 'vector-unsafe-character' };
  const found = /\{\{|\}\}/.exec(text as string);
  if (found !== null) {
    return refusal('vector-template-in-text', path, `the text holds ${found[0]} at position ${found.index + 1}, which Vector's template fields expand with event data`, 'remove {{ and }} from the text, or build the value with template(...) if it is meant to be expanded');
  }
  return undefined;
}

/** Whether every `{{` of a template is closed by `}}` before the next `{{`, and no `}}` is stray. */
function templateBalanced(value: string): boolean {
  let open = false;
  for (let i = 0; i < value.length; i++) {
    if (value.startsWith('{{', i)) {
      if (open) return false;
      open = true;
      i++;
    } else if (value.startsWith('}}', i)) {
      if (!open) return false;
      open = false;
      i++;
    }
  }
  return !open;
}

/** The setting rules of Vector. */
export const VECTOR_RULES: SettingRules = {
  language: 'vector',
  keyProblem(key, path) {
    if (typeof key === 'string' && OPTION_KEY.test(key)) return undefined;
    return refusal('vector-option-key', path, `${quoted(key)} is not a Vector option name`, 'use letters, digits, _ and -; nest tables instead of dotted keys');
  },
  textProblem: textValueProblem,
  templateProblem(text, path) {
    const bad = checkConfigText(text, path, { allowEmpty: false });
    if (bad !== undefined) return { ...bad, code: 'vector-template' };
    const value = text as string;
    if (!/\{\{[^{}]+\}\}|%/.test(value)) return refusal('vector-template', path, `${quoted(value)} holds no {{ field }} or strftime code`, 'pass plain text as a string');
    if (!templateBalanced(value)) return refusal('vector-template', path, `${quoted(value)} has a {{ without its }}, or a }} without its {{`, 'write each field as {{ field }}');
    return undefined;
  },
  codeProblem(text, path) {
    const bad = checkConfigText(text, path, { allowEmpty: false, allowLineFeeds: true, allowTabs: true });
    return bad === undefined ? undefined : { ...bad, code: 'vector-code', fix: 'pass the program text without control characters other than line feeds and tabs' };
  },
  envNameProblem(name, path) {
    if (typeof name === 'string' && ENV_NAME.test(name)) return undefined;
    return refusal('vector-env-name', path, `${quoted(name)} is not an environment variable name`, 'use letters, digits and _, starting with a letter or _');
  },
};

/** Problem of a comment's text, or undefined. */
export function commentProblem(text: unknown, path: string): Problem | undefined {
  const bad = checkConfigText(text, path);
  return bad === undefined ? undefined : { ...bad, code: 'vector-comment' };
}

/** What the component builders take as options. */
export type VectorOptionsInput = { readonly [key: string]: SettingInput };

function options(input: VectorOptionsInput, path: string): SettingTable {
  for (const reserved of ['type', 'inputs']) {
    if (Object.hasOwn(input, reserved)) throwIfRefused(refusal('vector-option-key', `${path}.${reserved}`, `${reserved} is set by the builder`, `pass ${reserved} as its own argument`));
  }
  return settingValue(input, path, VECTOR_RULES) as SettingTable;
}

function component(kind: VectorComponentKind, id: string, type: string, inputs: readonly string[], opts: VectorOptionsInput, comment: string | undefined): VectorComponent {
  const path = `${kind}(${id})`;
  throwIfRefused(componentIdProblem(id, kind));
  throwIfRefused(COMPONENT_TYPE.test(type) ? undefined : refusal('vector-component-type', `${path}.type`, `${quoted(type)} is not a Vector component type`, 'use the lower-case type name, e.g. file, remap, elasticsearch'));
  inputs.forEach((input, i) => throwIfRefused(inputIdProblem(input, `${path}.inputs[${i}]`)));
  if (comment !== undefined) throwIfRefused(commentProblem(comment, `${path}.comment`));
  const node: VectorComponent = { kind, id, type, inputs: [...inputs], options: options(opts, path) };
  return comment === undefined ? node : { ...node, comment };
}

/** Problem of a component id, or undefined. */
export function componentIdProblem(id: unknown, path: string): Problem | undefined {
  if (typeof id === 'string' && COMPONENT_ID.test(id) && id.length <= 128) return undefined;
  return refusal('vector-component-id', path, `${quoted(id)} is not a Vector component id`, 'use letters, digits, _ and -');
}

/** Problem of an `inputs` entry (an id, or `id.output` for a named output), or undefined. */
export function inputIdProblem(input: unknown, path: string): Problem | undefined {
  if (typeof input === 'string' && /^[A-Za-z0-9_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)?$/.test(input)) return undefined;
  return refusal('vector-input', path, `${quoted(input)} is not a component id`, 'name a source or transform, or its named output as id.output');
}

/**
 * A source.
 *
 * @example
 * ```ts
 * source('audit_log', 'file', { include: ['/var/log/kubernetes/audit/audit.log'] });
 * ```
 */
export function source(id: string, type: string, opts: VectorOptionsInput = {}, comment?: string): VectorComponent {
  return component('source', id, type, [], opts, comment);
}

/**
 * A transform reading `inputs`.
 *
 * @example
 * ```ts
 * transform('parse', 'remap', ['audit_log'], { source: vrl('. = parse_json!(string!(.message))') });
 * ```
 */
export function transform(id: string, type: string, inputs: readonly string[], opts: VectorOptionsInput = {}, comment?: string): VectorComponent {
  return component('transform', id, type, inputs, opts, comment);
}

/**
 * A sink reading `inputs`.
 *
 * @example
 * ```ts
 * sink('out', 'console', ['parse'], { encoding: { codec: 'json' } });
 * ```
 */
export function sink(id: string, type: string, inputs: readonly string[], opts: VectorOptionsInput = {}, comment?: string): VectorComponent {
  return component('sink', id, type, inputs, opts, comment);
}

/**
 * `${NAME}` as a whole value: Vector reads the environment variable when it loads the config (a
 * password, an API key), so the secret never appears in the file.
 *
 * @example
 * ```ts
 * sink('es', 'elasticsearch', ['audit'], { auth: { strategy: 'basic', user: 'writer', password: envRef('ES_PASSWORD') } });
 * ```
 */
export function envRef(name: string): SettingEnvRef {
  throwIfRefused(VECTOR_RULES.envNameProblem(name, 'envRef'));
  return { $node: 'env', name };
}

/**
 * A template Vector expands per event (`{{ field }}`, strftime codes) in the fields that take one.
 * Only for templates the program means: user data is plain text.
 *
 * @example
 * ```ts
 * sink('files', 'file', ['audit'], { path: template('/var/log/audit/{{ .objectRef.namespace }}-%Y-%m-%d.log') });
 * ```
 */
export function template(text: string): SettingTemplate {
  throwIfRefused(VECTOR_RULES.templateProblem!(text, 'template'));
  return { $node: 'template', text };
}

/**
 * A VRL program, for a `remap` transform's `source`.
 *
 * @example
 * ```ts
 * transform('parse', 'remap', ['audit_log'], { source: vrl('. = object!(parse_json!(string!(.message)))') });
 * ```
 */
export function vrl(text: string): SettingCode {
  throwIfRefused(VECTOR_RULES.codeProblem!(text, 'vrl'));
  return { $node: 'code', text };
}

/** The parts of a config, for {@link vectorConfig}. */
export interface VectorConfigParts {
  readonly header?: readonly string[];
  readonly global?: VectorOptionsInput;
  readonly sources?: readonly VectorComponent[];
  readonly transforms?: readonly VectorComponent[];
  readonly sinks?: readonly VectorComponent[];
}

/**
 * Builds a whole config.
 *
 * @example
 * ```ts
 * vectorConfig({ global: { data_dir: '/var/lib/vector' }, sources: [source('in', 'stdin')], sinks: [sink('out', 'console', ['in'], { encoding: { codec: 'json' } })] });
 * ```
 */
export function vectorConfig(parts: VectorConfigParts): VectorConfig {
  for (const [i, line] of (parts.header ?? []).entries()) throwIfRefused(commentProblem(line, `header[${i}]`));
  const config: VectorConfig = {
    kind: 'vector',
    global: settingValue(parts.global ?? {}, 'global', VECTOR_RULES) as SettingTable,
    sources: [...(parts.sources ?? [])],
    transforms: [...(parts.transforms ?? [])],
    sinks: [...(parts.sinks ?? [])],
  };
  return parts.header !== undefined && parts.header.length > 0 ? { ...config, header: [...parts.header] } : config;
}

/** Every problem of a tree (maybe built without the builders), each at its place, and of the topology. */
export function configProblems(config: VectorConfig): Problem[] {
  if (typeof config !== 'object' || config === null || config.kind !== 'vector') return [refusal('vector-node', '', 'the value is not a Vector config (kind: vector)', 'build it with vectorConfig(...)')];
  const problems: Problem[] = [];
  (config.header ?? []).forEach((line, i) => {
    const problem = commentProblem(line, `header[${i}]`);
    if (problem !== undefined) problems.push(problem);
  });
  problems.push(...settingProblems(config.global, 'global', VECTOR_RULES));
  for (const key of ['sources', 'transforms', 'sinks']) {
    if ((config.global?.entries ?? []).some((e) => e.key === key)) problems.push(refusal('vector-option-key', `global.${key}`, `${key} is not a global option`, `pass the components as ${key}`));
  }
  const ids = new Map<string, VectorComponentKind>();
  const groups: [VectorComponentKind, readonly VectorComponent[]][] = [['source', config.sources], ['transform', config.transforms], ['sink', config.sinks]];
  for (const [kind, list] of groups) {
    if (!Array.isArray(list)) {
      problems.push(refusal('vector-node', `${kind}s`, `${kind}s is not a list`, `give ${kind}s as a list`));
      continue;
    }
    list.forEach((c) => {
      const path = `${kind}s.${String(c?.id)}`;
      if (c?.kind !== kind) problems.push(refusal('vector-node', path, `the entry is not a ${kind}`, `build it with ${kind}(...)`));
      const idProblem = componentIdProblem(c?.id, path);
      if (idProblem !== undefined) problems.push(idProblem);
      else if (ids.has(c.id)) problems.push(refusal('vector-component-id', path, `the id ${c.id} is used twice`, 'give every component its own id'));
      else ids.set(c.id, kind);
      if (typeof c?.type !== 'string' || !COMPONENT_TYPE.test(c.type)) problems.push(refusal('vector-component-type', `${path}.type`, `${quoted(c?.type)} is not a component type`, 'use the lower-case type name'));
      if (c?.comment !== undefined) {
        const problem = commentProblem(c.comment, `${path}.comment`);
        if (problem !== undefined) problems.push(problem);
      }
      if (kind === 'source' && (c?.inputs?.length ?? 0) > 0) problems.push(refusal('vector-input', `${path}.inputs`, 'a source reads no inputs', 'leave inputs empty'));
      if (kind !== 'source' && (!Array.isArray(c?.inputs) || c.inputs.length === 0)) problems.push(refusal('vector-input', `${path}.inputs`, `the ${kind} reads no inputs`, 'name the components it reads'));
      ((Array.isArray(c?.inputs) ? c.inputs : []) as readonly unknown[]).forEach((input, i) => {
        const problem = inputIdProblem(input, `${path}.inputs[${i}]`);
        if (problem !== undefined) problems.push(problem);
      });
      problems.push(...settingProblems(c?.options, path, VECTOR_RULES));
      for (const reserved of ['type', 'inputs']) {
        if (((c?.options?.entries ?? []) as readonly { key: string }[]).some((e) => e.key === reserved)) problems.push(refusal('vector-option-key', `${path}.${reserved}`, `${reserved} is set by the component itself`, `use the component's ${reserved}`));
      }
    });
  }
  // The topology: every input names a source or transform (or a named output of one).
  for (const [kind, list] of groups.slice(1)) {
    for (const c of Array.isArray(list) ? list : []) {
      ((Array.isArray(c?.inputs) ? c.inputs : []) as readonly unknown[]).forEach((input, i) => {
        const target = typeof input === 'string' ? ids.get(input.split('.')[0]!) : undefined;
        if (typeof input === 'string' && (target === undefined || target === 'sink')) {
          problems.push(refusal('vector-input', `${kind}s.${c.id}.inputs[${i}]`, `${input} is not a source or transform of this config`, 'name a source or transform that exists'));
        }
      });
    }
  }
  return problems;
}

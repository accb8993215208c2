/**
 * The OpenTelemetry Collector configuration (YAML) as data: the components (receivers,
 * processors, exporters, extensions), each an id `type[/name]` with typed settings, and the
 * `service` with its extensions and pipelines. The builder functions refuse a bad argument where
 * it enters; `writeOtelCollector` prints a tree and `parseOtelCollector` reads one back.
 *
 * The rules (see README.md): after reading the YAML the collector expands `${env:NAME}`, `${NAME}`
 * and the other providers' `${scheme:...}` in every string value, unless an odd number of `$`
 * precede the `${`, then turns `$$` into `$` (go.opentelemetry.io/collector/confmap). Plain text
 * is therefore written with every `$` doubled; map keys are not expanded, and `::` in a key is the
 * key path separator.
 */
import type { Problem } from '@k8s-gen/runtime';
import { refusal, throwIfRefused } from '../problems.js';
import { settingProblems, settingValue, type SettingEnvRef, type SettingInput, type SettingRules, type SettingTable } from '../settings.js';
import { checkConfigText, quoted } from '../text.js';

/** The kinds of component. */
export type OtelComponentKind = 'receiver' | 'processor' | 'exporter' | 'extension';

/** A component: id `type[/name]` and its settings. */
export interface OtelComponent {
  readonly kind: OtelComponentKind;
  readonly id: string;
  readonly settings: SettingTable;
  readonly comment?: string;
}

/** A pipeline of the service: `logs`, `logs/name`, `traces`, `metrics`. */
export interface OtelPipeline {
  readonly id: string;
  readonly receivers: readonly string[];
  readonly processors: readonly string[];
  readonly exporters: readonly string[];
}

/** A whole collector config. */
export interface OtelConfig {
  readonly kind: 'otel-collector';
  readonly header?: readonly string[];
  readonly receivers: readonly OtelComponent[];
  readonly processors: readonly OtelComponent[];
  readonly exporters: readonly OtelComponent[];
  readonly extensions: readonly OtelComponent[];
  /** The extensions the service starts, by id. */
  readonly serviceExtensions: readonly string[];
  readonly pipelines: readonly OtelPipeline[];
}

/** Component ids: a type of lower-case words with `_`, and optionally `/` and a name. */
export const COMPONENT_ID = /^[a-z][a-z0-9_]*(?:\/[A-Za-z0-9_.-]+)?$/;

/** Pipeline ids: a signal, and optionally `/` and a name. */
export const PIPELINE_ID = /^(?:logs|traces|metrics|profiles)(?:\/[A-Za-z0-9_.-]+)?$/;

/** Setting keys: letters, digits, `_`, `.` and `-`; no `:` (`::` separates key paths in confmap). */
export const SETTING_KEY = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Environment variable names of `${env:NAME}`. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The setting rules of the collector. */
export const OTEL_RULES: SettingRules = {
  language: 'otel',
  keyProblem(key, path) {
    if (typeof key === 'string' && SETTING_KEY.test(key)) return undefined;
    return refusal('otel-setting-key', path, `${quoted(key)} is not a setting name the collector reads unchanged`, 'use letters, digits, _, . and -; no : (confmap separates key paths with ::)');
  },
  textProblem(text, path) {
    const bad = checkConfigText(text, path);
    return bad === undefined ? undefined : { ...bad, code: 'otel-unsafe-character' };
  },
  envNameProblem(name, path) {
    if (typeof name === 'string' && ENV_NAME.test(name)) return undefined;
    return refusal('otel-env-name', path, `${quoted(name)} is not an environment variable name`, 'use letters, digits and _, starting with a letter or _');
  },
};

/** Problem of a comment's text, or undefined. */
export function commentProblem(text: unknown, path: string): Problem | undefined {
  const bad = checkConfigText(text, path);
  return bad === undefined ? undefined : { ...bad, code: 'otel-comment' };
}

/** Problem of a component id, or undefined. */
export function componentIdProblem(id: unknown, path: string): Problem | undefined {
  if (typeof id === 'string' && COMPONENT_ID.test(id) && id.length <= 128) return undefined;
  return refusal('otel-component-id', path, `${quoted(id)} is not a component id`, 'write type or type/name, e.g. filelog/k8s_audit');
}

/** What the component builders take as settings. */
export type OtelSettingsInput = { readonly [key: string]: SettingInput };

function component(kind: OtelComponentKind, id: string, settings: OtelSettingsInput, comment: string | undefined): OtelComponent {
  throwIfRefused(componentIdProblem(id, kind));
  if (comment !== undefined) throwIfRefused(commentProblem(comment, `${kind}(${id}).comment`));
  const node: OtelComponent = { kind, id, settings: settingValue(settings, `${kind}(${id})`, OTEL_RULES) as SettingTable };
  return comment === undefined ? node : { ...node, comment };
}

/**
 * A receiver.
 *
 * @example
 * ```ts
 * receiver('filelog/k8s_audit', { include: ['/var/log/kubernetes/audit/audit.log'], start_at: 'beginning' });
 * ```
 */
export function receiver(id: string, settings: OtelSettingsInput = {}, comment?: string): OtelComponent {
  return component('receiver', id, settings, comment);
}

/**
 * A processor.
 *
 * @example
 * ```ts
 * processor('batch');
 * ```
 */
export function processor(id: string, settings: OtelSettingsInput = {}, comment?: string): OtelComponent {
  return component('processor', id, settings, comment);
}

/**
 * An exporter.
 *
 * @example
 * ```ts
 * exporter('otlp/k8s_audit', { endpoint: 'collector.example:4317' });
 * ```
 */
export function exporter(id: string, settings: OtelSettingsInput = {}, comment?: string): OtelComponent {
  return component('exporter', id, settings, comment);
}

/**
 * An extension.
 *
 * @example
 * ```ts
 * extension('file_storage/k8s_audit', { directory: '/var/lib/otelcol/file_storage' });
 * ```
 */
export function extension(id: string, settings: OtelSettingsInput = {}, comment?: string): OtelComponent {
  return component('extension', id, settings, comment);
}

/**
 * `${env:NAME}` as a whole value: the collector reads the environment variable when it loads the
 * config (a token, a password), so the secret never appears in the file.
 *
 * @example
 * ```ts
 * exporter('otlphttp/k8s_audit', { endpoint: 'https://otlp.example', headers: { authorization: envRef('OTLP_AUTH') } });
 * ```
 */
export function envRef(name: string): SettingEnvRef {
  throwIfRefused(OTEL_RULES.envNameProblem(name, 'envRef'));
  return { $node: 'env', name };
}

/**
 * A pipeline of the service.
 *
 * @example
 * ```ts
 * pipeline('logs/k8s_audit', ['filelog/k8s_audit'], ['batch'], ['otlp/k8s_audit']);
 * ```
 */
export function pipeline(id: string, receivers: readonly string[], processors: readonly string[], exporters: readonly string[]): OtelPipeline {
  throwIfRefused(PIPELINE_ID.test(id) ? undefined : refusal('otel-pipeline-id', 'pipeline', `${quoted(id)} is not a pipeline id`, 'write logs or logs/name'));
  for (const [field, ids] of [['receivers', receivers], ['processors', processors], ['exporters', exporters]] as const) ids.forEach((x, i) => throwIfRefused(componentIdProblem(x, `pipeline(${id}).${field}[${i}]`)));
  return { id, receivers: [...receivers], processors: [...processors], exporters: [...exporters] };
}

/** The parts of a config, for {@link otelConfig}. */
export interface OtelConfigParts {
  readonly header?: readonly string[];
  readonly receivers?: readonly OtelComponent[];
  readonly processors?: readonly OtelComponent[];
  readonly exporters?: readonly OtelComponent[];
  readonly extensions?: readonly OtelComponent[];
  readonly pipelines?: readonly OtelPipeline[];
}

/**
 * Builds a whole config; the service starts every extension given.
 *
 * @example
 * ```ts
 * otelConfig({ receivers: [receiver('filelog', { include: ['/a.log'] })], exporters: [exporter('debug')], pipelines: [pipeline('logs', ['filelog'], [], ['debug'])] });
 * ```
 */
export function otelConfig(parts: OtelConfigParts): OtelConfig {
  for (const [i, line] of (parts.header ?? []).entries()) throwIfRefused(commentProblem(line, `header[${i}]`));
  const extensions = [...(parts.extensions ?? [])];
  const config: OtelConfig = {
    kind: 'otel-collector',
    receivers: [...(parts.receivers ?? [])],
    processors: [...(parts.processors ?? [])],
    exporters: [...(parts.exporters ?? [])],
    extensions,
    serviceExtensions: extensions.map((e) => e.id),
    pipelines: [...(parts.pipelines ?? [])],
  };
  return parts.header !== undefined && parts.header.length > 0 ? { ...config, header: [...parts.header] } : config;
}

/** Every problem of a tree (maybe built without the builders), and of its pipelines' references. */
export function configProblems(config: OtelConfig): Problem[] {
  if (typeof config !== 'object' || config === null || config.kind !== 'otel-collector') return [refusal('otel-node', '', 'the value is not a collector config (kind: otel-collector)', 'build it with otelConfig(...)')];
  const problems: Problem[] = [];
  (config.header ?? []).forEach((line, i) => {
    const problem = commentProblem(line, `header[${i}]`);
    if (problem !== undefined) problems.push(problem);
  });
  const ids: Record<OtelComponentKind, Set<string>> = { receiver: new Set(), processor: new Set(), exporter: new Set(), extension: new Set() };
  for (const kind of ['receiver', 'processor', 'exporter', 'extension'] as const) {
    const list = config[`${kind}s`];
    if (!Array.isArray(list)) {
      problems.push(refusal('otel-node', `${kind}s`, `${kind}s is not a list`, `give ${kind}s as a list`));
      continue;
    }
    for (const c of list) {
      const path = `${kind}s.${String(c?.id)}`;
      if (c?.kind !== kind) problems.push(refusal('otel-node', path, `the entry is not a ${kind}`, `build it with ${kind}(...)`));
      const idProblem = componentIdProblem(c?.id, path);
      if (idProblem !== undefined) problems.push(idProblem);
      else if (ids[kind].has(c.id)) problems.push(refusal('otel-component-id', path, `the id ${c.id} is used twice`, 'give each component its own id'));
      else ids[kind].add(c.id);
      if (c?.comment !== undefined) {
        const problem = commentProblem(c.comment, `${path}.comment`);
        if (problem !== undefined) problems.push(problem);
      }
      problems.push(...settingProblems(c?.settings, path, OTEL_RULES));
    }
  }
  (Array.isArray(config.serviceExtensions) ? config.serviceExtensions : []).forEach((id, i) => {
    if (!ids.extension.has(id)) problems.push(refusal('otel-reference', `service.extensions[${i}]`, `${quoted(id)} is not an extension of this config`, 'configure the extension, or leave it out'));
  });
  const pipelines = new Set<string>();
  for (const p of Array.isArray(config.pipelines) ? config.pipelines : []) {
    const path = `service.pipelines.${String(p?.id)}`;
    if (typeof p?.id !== 'string' || !PIPELINE_ID.test(p.id)) problems.push(refusal('otel-pipeline-id', path, `${quoted(p?.id)} is not a pipeline id`, 'write logs or logs/name'));
    else if (pipelines.has(p.id)) problems.push(refusal('otel-pipeline-id', path, `the pipeline ${p.id} is defined twice`, 'give each pipeline its own id'));
    else pipelines.add(p.id);
    for (const [field, kind] of [['receivers', 'receiver'], ['processors', 'processor'], ['exporters', 'exporter']] as const) {
      const list: readonly unknown[] = Array.isArray(p?.[field]) ? p[field] : [];
      list.forEach((id, i) => {
        if (typeof id !== 'string' || !ids[kind].has(id)) problems.push(refusal('otel-reference', `${path}.${field}[${i}]`, `${quoted(id)} is not a ${kind} of this config`, `configure the ${kind}, or leave it out of the pipeline`));
      });
      if (field !== 'processors' && list.length === 0) problems.push(refusal('otel-reference', `${path}.${field}`, `the pipeline has no ${field}`, `name at least one ${kind}`));
    }
  }
  return problems;
}

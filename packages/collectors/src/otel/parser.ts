/**
 * Reads an OpenTelemetry Collector YAML config into the AST, following the collector's config
 * resolution (github.com/open-telemetry/opentelemetry-collector `confmap/resolver.go`,
 * `confmap/expand.go`): the YAML is read first (go-yaml v3, YAML 1.2 scalar types), then each
 * string value is expanded, then `$$` becomes `$`.
 *
 * The rules followed (each has a test in test/otel.test.ts):
 * - a `${...}` is a reference unless an odd number of `$` stand right before it (`findURI`);
 *   `${env:NAME}` and `${NAME}` (the default scheme is env) read an environment variable, other
 *   schemes (`file:`, `http:`, `yaml:`) other sources. A whole value `${env:NAME}` is read as
 *   `envRef(NAME)`; references inside text and other schemes are refused;
 * - after expansion every `$$` is `$` (`escapeDollarSigns`); map keys are not expanded;
 * - the document holds `receivers`, `processors`, `exporters`, `extensions` (maps from id to
 *   settings) and `service` with `extensions` (a list) and `pipelines` (a map from id to lists of
 *   `receivers`, `processors` and `exporters`).
 */
import type { Problem } from '@k8s-gen/runtime';
import { failed, refusal, succeeded, type CollectorResult, type ReaderLimits } from '../problems.js';
import { settingFromYaml, settingTexts, type SettingTable, type SettingValue } from '../settings.js';
import { entryOf, readConfigYaml, type YamlMap, type YamlNode } from '../yaml-config.js';
import { configProblems, ENV_NAME, type OtelComponent, type OtelComponentKind, type OtelConfig, type OtelPipeline } from './ast.js';

/** Options of {@link parseOtelCollector}. */
export interface ParseOtelOptions extends ReaderLimits {
  readonly file?: string;
}

/** Reads one string value as the collector resolves it, or the problem of a reference it holds. */
export function expandedValue(value: string, path: string): SettingValue | Problem {
  for (let at = value.indexOf('${'); at >= 0; at = value.indexOf('${', at + 1)) {
    let dollars = 0;
    for (let i = at - 1; i >= 0 && value[i] === '$'; i--) dollars++;
    if (dollars % 2 === 1) continue;
    const close = value.indexOf('}', at);
    if (close < 0) break;
    const uri = value.slice(at + 2, close);
    const env = /^(?:env:)?([^:]*)$/.exec(uri);
    if (at === 0 && close === value.length - 1 && env !== null && ENV_NAME.test(env[1]!)) return { $node: 'env', name: env[1]! };
    return refusal('otel-env', path, `the value uses \${${uri}}, which the collector expands when it loads the config`, 'write a literal $ as $$, and an environment variable as a whole value ${env:NAME}');
  }
  return value.replaceAll('$$', '$');
}

/**
 * Parses a collector YAML config. Never throws: problems carry the line and column where known.
 *
 * @example
 * ```ts
 * parseOtelCollector('receivers:\n  otlp: {}\nexporters:\n  debug: {}\nservice:\n  pipelines:\n    logs:\n      receivers: [otlp]\n      exporters: [debug]\n').ok; // true
 * ```
 */
export function parseOtelCollector(text: string, options: ParseOtelOptions = {}): CollectorResult<OtelConfig> {
  const file = options.file === undefined ? {} : { file: options.file };
  const read = readConfigYaml(text, { ...options, scalars: 'typed', language: 'otel' });
  if (!read.ok) return read;
  const problems: Problem[] = [];
  const fail = (path: string, message: string, fix: string): void => {
    problems.push({ ...refusal('otel-yaml', path, message, fix), ...file });
  };
  const root: YamlMap = read.value;
  for (const entry of root.entries) {
    if (!['receivers', 'processors', 'exporters', 'extensions', 'service'].includes(entry.key)) fail(entry.key, `the top-level key ${entry.key} is not supported here`, 'use receivers, processors, exporters, extensions and service');
  }
  const scalar = (value: string, path: string) => {
    const read = expandedValue(value, path);
    return typeof read === 'object' && 'severity' in read ? { ...read, ...file } : read;
  };
  const components = (kind: OtelComponentKind): OtelComponent[] => {
    const node = entryOf(root, `${kind}s`);
    if (node === undefined) return [];
    if (node.kind !== 'map') {
      fail(`${kind}s`, `${kind}s is not a map of components`, `write ${kind}s as id: settings`);
      return [];
    }
    return node.entries.map((entry) => {
      const path = `${kind}s.${entry.key}`;
      const value: YamlNode = entry.value;
      // `id:` with nothing after it is read as null by go-yaml and means default settings; the
      // writer prints `{}`.
      if (value.kind !== 'map') fail(path, 'the settings are not a map', 'write {} for the default settings');
      const settings = value.kind === 'map' ? (settingFromYaml(value, path, scalar, () => false, problems) as SettingTable) : ({ $node: 'table', entries: [] } as SettingTable);
      return { kind, id: entry.key, settings };
    });
  };
  const receivers = components('receiver');
  const processors = components('processor');
  const exporters = components('exporter');
  const extensions = components('extension');
  let serviceExtensions: string[] = [];
  const pipelines: OtelPipeline[] = [];
  const service = entryOf(root, 'service');
  if (service !== undefined) {
    if (service.kind !== 'map') fail('service', 'service is not a map', 'write service with extensions and pipelines');
    else {
      for (const entry of service.entries) if (!['extensions', 'pipelines'].includes(entry.key)) fail(`service.${entry.key}`, `service.${entry.key} is not supported here`, 'use extensions and pipelines');
      const ext = entryOf(service, 'extensions');
      if (ext !== undefined) serviceExtensions = settingTexts(settingFromYaml(ext, 'service.extensions', scalar, () => false, problems));
      const pipes = entryOf(service, 'pipelines');
      if (pipes !== undefined && pipes.kind === 'map') {
        for (const entry of pipes.entries) {
          const path = `service.pipelines.${entry.key}`;
          if (entry.value.kind !== 'map') {
            fail(path, 'the pipeline is not a map', 'write receivers, processors and exporters');
            continue;
          }
          const list = (field: string): string[] => {
            const node = entryOf(entry.value as YamlMap, field);
            return node === undefined ? [] : settingTexts(settingFromYaml(node, `${path}.${field}`, scalar, () => false, problems));
          };
          for (const e of entry.value.entries) if (!['receivers', 'processors', 'exporters'].includes(e.key)) fail(`${path}.${e.key}`, `${e.key} is not a pipeline field`, 'use receivers, processors and exporters');
          pipelines.push({ id: entry.key, receivers: list('receivers'), processors: list('processors'), exporters: list('exporters') });
        }
      } else if (pipes !== undefined) fail('service.pipelines', 'pipelines is not a map', 'write pipelines as id: { receivers, processors, exporters }');
    }
  }
  if (problems.length > 0) return failed(problems);
  const config: OtelConfig = { kind: 'otel-collector', receivers, processors, exporters, extensions, serviceExtensions, pipelines };
  const invalid = configProblems(config);
  return invalid.length > 0 ? failed(invalid.map((p) => ({ ...p, ...file }))) : succeeded(config);
}

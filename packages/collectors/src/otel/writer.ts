/**
 * Prints an OpenTelemetry Collector AST as YAML. Every node is checked again; every `$` of text
 * is doubled (the collector turns `$$` into `$` after expanding `${...}`), and environment
 * references are written `${env:NAME}`. The text is parsed back and compared with the tree before
 * it is returned.
 */
import { failed, refusal, succeeded, type CollectorResult } from '../problems.js';
import { settingToYaml, type SettingWriter } from '../settings.js';
import { printYaml, yamlMap, yamlScalar, type YamlEntry, type YamlNode } from '../yaml-config.js';
import { configProblems, type OtelComponent, type OtelConfig } from './ast.js';
import { parseOtelCollector } from './parser.js';

const escape = (text: string): string => text.replace(/\$/g, '$$$$');

const WRITER: SettingWriter = { text: escape, env: (name) => `\${env:${name}}`, template: escape, code: escape };

const ids = (list: readonly string[]): YamlNode => ({ kind: 'list', items: list.map((id) => ({ value: yamlScalar(id) })) });

function canonical(config: OtelConfig): unknown {
  const component = (c: OtelComponent) => ({ kind: c.kind, id: c.id, settings: c.settings });
  return JSON.parse(
    JSON.stringify({
      kind: config.kind,
      receivers: config.receivers.map(component),
      processors: config.processors.map(component),
      exporters: config.exporters.map(component),
      extensions: config.extensions.map(component),
      serviceExtensions: config.serviceExtensions,
      pipelines: config.pipelines,
    }),
  );
}

/**
 * Prints `config` as a collector YAML config, or returns the problems of every node the collector
 * would read differently. Never throws.
 *
 * @example
 * ```ts
 * const written = writeOtelCollector(otelConfig({ receivers: [receiver('otlp')], exporters: [exporter('debug')], pipelines: [pipeline('logs', ['otlp'], [], ['debug'])] }));
 * written.ok && written.value;
 * ```
 */
export function writeOtelCollector(config: OtelConfig): CollectorResult<string> {
  const problems = configProblems(config);
  if (problems.length > 0) return failed(problems);
  const entries: YamlEntry[] = [];
  for (const key of ['extensions', 'receivers', 'processors', 'exporters'] as const) {
    const list = config[key];
    if (list.length === 0) continue;
    entries.push({ key, value: yamlMap(list.map((c) => ({ key: c.id, value: settingToYaml(c.settings, WRITER), ...(c.comment !== undefined ? { comment: c.comment } : {}) }))) });
  }
  const service: YamlEntry[] = [];
  if (config.serviceExtensions.length > 0) service.push({ key: 'extensions', value: ids(config.serviceExtensions) });
  service.push({
    key: 'pipelines',
    value: yamlMap(config.pipelines.map((p) => ({ key: p.id, value: yamlMap([{ key: 'receivers', value: ids(p.receivers) }, { key: 'processors', value: ids(p.processors) }, { key: 'exporters', value: ids(p.exporters) }]) }))),
  });
  entries.push({ key: 'service', value: yamlMap(service) });
  const text = printYaml(yamlMap(entries), config.header);
  const reread = parseOtelCollector(text);
  if (!reread.ok || JSON.stringify(canonical(reread.value)) !== JSON.stringify(canonical(config))) {
    return failed([refusal('otel-writer-check', '', 'the written config does not read back as the tree it was written from (a k8s-gen bug)', 'report the tree that caused it; meanwhile change the value named in the tree')]);
  }
  return succeeded(text);
}

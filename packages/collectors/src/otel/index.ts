// The OpenTelemetry Collector config language (YAML): AST and builders, writer, parser, presets.
export {
  configProblems,
  envRef,
  exporter,
  extension,
  otelConfig,
  OTEL_RULES,
  pipeline,
  processor,
  receiver,
  type OtelComponent,
  type OtelComponentKind,
  type OtelConfig,
  type OtelConfigParts,
  type OtelPipeline,
  type OtelSettingsInput,
} from './ast.js';
export { writeOtelCollector } from './writer.js';
export { expandedValue, parseOtelCollector, type ParseOtelOptions } from './parser.js';
export { AUDIT_TIME_LAYOUT, otelAuditLogFile, type OtelAuditExporter, type OtelAuditLogFileOptions, type OtelPreset } from './presets.js';
export { OTEL_CONFIG_KEY, otelInCluster, type OtelInClusterOptions } from './kubernetes.js';

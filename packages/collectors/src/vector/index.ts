// The Vector config language (YAML): AST and builders, writer, parser, presets.
export {
  configProblems,
  envRef,
  sink,
  source,
  template,
  transform,
  vectorConfig,
  vrl,
  VECTOR_RULES,
  type VectorComponent,
  type VectorComponentKind,
  type VectorConfig,
  type VectorConfigParts,
  type VectorOptionsInput,
} from './ast.js';
export { writeVector } from './writer.js';
export { parseVector, type ParseVectorOptions } from './parser.js';
export {
  PARSE_LINE_VRL,
  SPLIT_EVENT_LIST_VRL,
  vectorAuditLogFile,
  vectorAuditWebhook,
  type VectorAuditLogFileOptions,
  type VectorAuditOptions,
  type VectorAuditWebhookOptions,
  type VectorListener,
  type VectorPreset,
  type VectorSink,
} from './presets.js';
export { VECTOR_CONFIG_KEY, vectorInCluster, type VectorInClusterOptions } from './kubernetes.js';

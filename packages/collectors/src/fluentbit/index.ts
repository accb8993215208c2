// The Fluent Bit config language (classic and YAML): AST and builders, writers, parsers, presets, in-cluster packaging.
export {
  configProblems,
  envRef,
  filter,
  fluentBitConfig,
  input,
  output,
  parser,
  property,
  propertyValue,
  valueText,
  type FluentBitConfig,
  type FluentBitConfigParts,
  type FluentBitEnvRef,
  type FluentBitParser,
  type FluentBitPlugin,
  type FluentBitPluginKind,
  type FluentBitPropertiesInput,
  type FluentBitProperty,
  type FluentBitValue,
  type FluentBitValueInput,
} from './ast.js';
export { writeFluentBitClassic, writeFluentBitYaml, type FluentBitClassicFiles, type WriteFluentBitClassicOptions } from './writer.js';
export { parseFluentBitClassic, parseFluentBitYaml, yamlKeyAsRead, type ParseFluentBitClassicOptions, type ParseFluentBitOptions } from './parser.js';
export {
  AUDIT_PARSER_NAME,
  AUDIT_TIME_FORMAT,
  auditLogTail,
  auditWebhookHttp,
  httpInputTag,
  type AuditLogTailOptions,
  type AuditWebhookHttpOptions,
  type FluentBitAuditOptions,
  type FluentBitListener,
  type FluentBitPreset,
  type FluentBitScript,
  type FluentBitSink,
  type FluentBitTlsOptions,
} from './presets.js';
export { FLUENT_BIT_CONFIG_KEYS, fluentBitInCluster, type FluentBitInCluster, type FluentBitInClusterOptions } from './kubernetes.js';

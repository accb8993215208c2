/**
 * `@k8s-gen/collectors`: the configuration languages of the audit log shippers, one namespace per
 * language (they share short builder names such as `filter` and `comment`). Each language has an
 * AST with checked builders, a writer that escapes everything and checks its output with the
 * parser, a parser written from the tool's grammar, and presets as typed functions that return
 * problems as data.
 *
 * @packageDocumentation
 */
export * as fluentd from './fluentd/index.js';
export * as logstash from './logstash/index.js';
export * as fluentbit from './fluentbit/index.js';
export * as policyFilter from './policy-filter/index.js';
export * as vector from './vector/index.js';
export * as otel from './otel/index.js';
export { CollectorConfigError, type CollectorResult, type ReaderLimits, type TextPosition } from './problems.js';
export { settingAt, settingTexts, type SettingCode, type SettingEnvRef, type SettingEntry, type SettingInput, type SettingList, type SettingTable, type SettingTemplate, type SettingValue } from './settings.js';
export type { CollectorConfigMap, CollectorObjectMeta, CollectorVolume, CollectorVolumeMount } from './kubernetes-types.js';
export type { InClusterOptions, ShipperInCluster } from './in-cluster.js';
export {
  DEFAULT_TRUNCATE_MAX_BATCH_SIZE,
  DEFAULT_TRUNCATE_MAX_EVENT_SIZE,
  largestAuditEvent,
  largestWebhookBody,
  lineBufferBytes,
  METADATA_EVENT_BOUND,
  rotatedLogPatterns,
  type AuditEventBound,
  type AuditEventSizeLimits,
} from './audit-log-files.js';

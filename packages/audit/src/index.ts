/**
 * @k8s-gen/audit: typed builders, validation, YAML reading and writing for audit.k8s.io/v1
 * policies, and readers for audit events.
 *
 * @packageDocumentation
 */
export * from './generated/index.js';
export { policy, AuditPolicyBuilder, AuditRuleBuilder } from './policy-builder.js';
export { validate, POLICY_API_VERSION, LEGACY_POLICY_API_VERSIONS, type ValidateOptions } from './validate.js';
export { parsePolicy, type ParsePolicyOptions, type ParsePolicyResult } from './parse-policy.js';
export { toYaml, type ToYamlOptions } from './to-yaml.js';
export {
  parseAuditLogLine,
  parseWebhookBody,
  readAuditLog,
  AuditLogReader,
  type AuditLogEntry,
  type EventParseResult,
  type ReadAuditLogOptions,
} from './events.js';
export { docsExamplePolicy, gceProductionPolicy, minimalMetadataPolicy, KNOWN_APIS, POLICY_PRESETS, type PolicyPreset } from './presets.js';
export { DEFAULT_KUBERNETES_VERSION, kubernetesMinor, kubernetesVersionProblem } from './kubernetes-version.js';

/**
 * `@k8s-gen/auditregistration`: typed builders, validation, defaulting and YAML for
 * auditregistration.k8s.io/v1alpha1 AuditSink, the dynamic audit backend.
 *
 * **This API exists only in Kubernetes 1.13 to 1.18** (alpha, disabled unless the
 * `--audit-dynamic-configuration` flag, the `DynamicAuditing` feature gate and
 * `--runtime-config=auditregistration.k8s.io/v1alpha1=true` are all set). It was removed in 1.19;
 * newer clusters need the static webhook backend (`@k8s-gen/kubeconfig` and an audit policy).
 *
 * @packageDocumentation
 */
export * from './generated/index.js';
export { DEFAULT_SERVICE_PORT, DEFAULT_THROTTLE, withDefaults, type WithDefaultsOptions } from './defaults.js';
export { AUDIT_SINK_RELEASES, validateAuditSink, type ValidateAuditSinkOptions } from './validate.js';
export { parseAuditSinks, type ParseAuditSinksOptions, type ParsedAuditSinks, toYaml } from './yaml.js';

/**
 * `@k8s-gen/apiserver`: the one model of kube-apiserver's audit flags, 1.8 to 1.36. The flag
 * catalogue with each flag's releases and defaults, one settings shape for the log and webhook
 * backends, the one Go-duration codec, the apiserver's start-up checks and the traps it misses,
 * reading flags back from argument lists, writing them as arguments, and the forms they are
 * applied in (kubeadm, static Pod and Deployment JSON patches, kind). Every aggregated apiserver
 * built on k8s.io/apiserver takes the same flags.
 *
 * @packageDocumentation
 */
export {
  AUDIT_BACKENDS,
  AUDIT_MODES,
  LOG_FORMATS,
  SETTING_KEYS,
  settingAt,
  type AuditBackend,
  type AuditMode,
  type AuditSettings,
  type BackendSettings,
  type BatchSettings,
  type DeliverySettings,
  type LogFormat,
  type LogSettings,
  type SettingValue,
  type TruncateSettings,
  type WebhookSettings,
} from './settings.js';
export {
  AUDIT_FLAGS,
  AUDIT_FLAGS_RANGE,
  auditFlagSpec,
  defaultSetting,
  DYNAMIC_AUDIT,
  eventVersionsIn,
  flagExistsIn,
  flagForSetting,
  flagReleases,
  modesIn,
  NEWEST_AUDIT_FLAGS_MINOR,
  OLDEST_AUDIT_FLAGS_MINOR,
  type AuditFlagSpec,
  type FlagValueKind,
} from './catalogue.js';
export { checkGoDuration, formatGoDuration, goDurationFromSeconds, goDurationSeconds, NANOSECONDS_PER_SECOND, parseGoDuration } from './duration.js';
export { checkAuditSettings, checkSettings, type CheckedSettings } from './check.js';
export { effectiveBackendSettings, effectiveLogRotation, type EffectiveBackendSettings, type LogRotation } from './effective.js';
export { assertSafeArgumentValue, auditFlags, backendFlags, flagsToArgs, type AuditFlagsResult, type Flag } from './render.js';
export { parseGoInteger, readAuditFlags, type ReadAuditFlagsResult } from './read.js';
export {
  APISERVER_GO_DIRECTIVE,
  perIterationLoopVariables,
  UNION_COPY_BACKPORTS,
  UNION_COPY_FROM_MINOR,
  unionBackendProblems,
  unionStartsEveryBackend,
  type UnionMembers,
} from './union-backend.js';
export {
  describeRetries,
  RETRY_SLEEP_FACTOR,
  RETRY_SLEEP_MULTIPLES,
  retryWindow,
  WEBHOOK_ATTEMPT_TIMEOUT_SECONDS,
  WEBHOOK_ATTEMPTS,
  WEBHOOK_BACKOFF_FACTOR,
  WEBHOOK_BACKOFF_JITTER,
  WEBHOOK_RETRY_SLEEPS,
  type RetryWindow,
} from './webhook-retry.js';
export {
  DEPLOYMENT_TARGET,
  hostPathVolumes,
  kindClusterConfig,
  kindClusterConfigYaml,
  kubeadmApiVersionFor,
  kubeadmClusterConfiguration,
  kubeadmClusterConfigurationYaml,
  podJsonPatch,
  STATIC_POD_TARGET,
  volumeMounts,
  type HostMount,
  type HostPathVolume,
  type JsonPatchOperation,
  type KindClusterConfig,
  type KindNodeFile,
  type KubeadmApiVersion,
  type KubeadmClusterConfigurationPatch,
  type PodPatchTarget,
  type VolumeMount,
} from './apply.js';

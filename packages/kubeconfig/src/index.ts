/**
 * `@k8s-gen/kubeconfig`: typed kubeconfig builder, the validator kube-apiserver's loading rules
 * imply, kubectl-compatible YAML, and a writer that keeps credentials in 0600 files.
 *
 * @packageDocumentation
 */
export * from './generated/index.js';
export { kubeconfig, KubeconfigBuilder, webhookKubeconfig, type WebhookKubeconfigOptions } from './builder.js';
export { KubeconfigError } from './errors.js';
export { hasInlineSecrets, isSecretPath, REDACTED, SECRET_AUTH_FIELDS, secretFieldsOf } from './secrets.js';
export { closestName } from '@k8s-gen/runtime';
export { pathSegments, validateKubeconfig, type ValidateKubeconfigOptions } from './validate.js';
export { writeKubeconfig, type SecretFile, type WriteKubeconfigOptions, type WriteKubeconfigResult } from './write.js';
export {
  compareKubectlKeys,
  loadKubeconfig,
  type LoadKubeconfigOptions,
  parseKubeconfig,
  type ParseKubeconfigOptions,
  type ParsedKubeconfig,
  type SourcePosition,
  toYaml,
} from './yaml.js';

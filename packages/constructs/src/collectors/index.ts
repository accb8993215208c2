// Public API of the collector config models. Each language is a namespace, because both have
// builders with the same short names (`filter`, `comment`, ...).
export * as fluentd from './fluentd/index.js';
export * as logstash from './logstash/index.js';
export { CollectorConfigError, type TextPosition } from './errors.js';
export type { CollectorConfigMap, CollectorObjectMeta, CollectorVolume, CollectorVolumeMount } from './kubernetes-types.js';

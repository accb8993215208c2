/**
 * The core/v1 objects the collector helpers return, as the subset of fields they set. They are
 * written by hand because this package (and @k8s-gen/constructs) must build without a Kubernetes
 * spec, from which @k8s-gen/core is generated; `test/collector-core-shapes.test.ts` at the
 * repository root type-checks that each is assignable to the generated core/v1 type, so they can be
 * passed to `@k8s-gen/core` builders or written as YAML unchanged.
 */

/** core/v1 ObjectMeta, the fields the helpers set. */
export interface CollectorObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
}

/** core/v1 ConfigMap holding a collector's config file. */
export interface CollectorConfigMap {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: CollectorObjectMeta;
  data: Record<string, string>;
}

/** core/v1 Volume: a host directory or a ConfigMap. */
export interface CollectorVolume {
  name: string;
  hostPath?: { path: string; type?: 'Directory' | 'DirectoryOrCreate' | 'File' | 'FileOrCreate' };
  configMap?: { name: string; items?: { key: string; path: string }[] };
}

/** core/v1 VolumeMount of a container. */
export interface CollectorVolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}

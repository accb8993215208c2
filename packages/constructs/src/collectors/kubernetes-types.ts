// Plain shapes of the few core/v1 objects the collector helpers return. They are the wire shapes
// of core/v1 (a subset of fields), so they can be passed to `@k8s-gen/core` builders or written
// as YAML unchanged.

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

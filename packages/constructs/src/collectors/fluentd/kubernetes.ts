// Running the audit-log fluentd inside the cluster: the config as a ConfigMap and the volumes a
// DaemonSet (on the control-plane nodes) needs to read the log and keep its state.
import type { CollectorConfigMap, CollectorVolume, CollectorVolumeMount } from '../kubernetes-types.js';
import { checkAbsolutePath, checkObjectName, rejectOption } from '../options.js';
import { auditLogByNamespace, type AuditLogByNamespaceOptions, type FluentdPlugin } from './presets.js';
import { writeFluentd } from './writer.js';
import type { FluentConfig } from './ast.js';

/** The ConfigMap key of the config file; the fluentd images read `<config dir>/fluent.conf`. */
export const FLUENTD_CONFIG_KEY = 'fluent.conf';

/** Where the config ConfigMap is mounted by default (the official images' config directory). */
export const FLUENTD_CONFIG_DIR = '/fluentd/etc';

/** Builds a ConfigMap holding `config` under the key `fluent.conf`. */
export function fluentdConfigMap(name: string, config: FluentConfig, namespace?: string): CollectorConfigMap {
  checkObjectName('configMapName', name);
  if (namespace !== undefined) checkNamespace(namespace);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: namespace === undefined ? { name } : { name, namespace },
    data: { [FLUENTD_CONFIG_KEY]: writeFluentd(config) },
  };
}

/** Options of `auditLogByNamespaceInCluster`: the preset's options plus where things live. */
export interface AuditLogByNamespaceInClusterOptions extends AuditLogByNamespaceOptions {
  /** Name of the ConfigMap holding the config. */
  configMapName: string;
  /** Namespace of the ConfigMap (and of the DaemonSet that mounts it). */
  namespace?: string;
  /** Host directory holding the audit log, mounted read-only at the same path (default `/var/log`). */
  hostLogDir?: string;
  /**
   * Host directory for the position file and the per-namespace output files, mounted read-write
   * at the same path (default `/var/lib/fluentd-audit`). `posFile` and `outputPathPattern` must
   * be inside it, since the log directory is read-only.
   */
  stateDir?: string;
  /** Where the config is mounted in the container (default `/fluentd/etc`). */
  configDir?: string;
}

/** What a DaemonSet needs to run the preset: the ConfigMap, pod volumes and container mounts. */
export interface FluentdInCluster {
  readonly configMap: CollectorConfigMap;
  readonly volumes: readonly CollectorVolume[];
  readonly volumeMounts: readonly CollectorVolumeMount[];
  /** The config file path inside the container, for `fluentd -c`. */
  readonly configPath: string;
  /** Gems the image must contain. */
  readonly plugins: readonly FluentdPlugin[];
}

const inside = (dir: string, path: string) => path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);

/**
 * `auditLogByNamespace` packaged for a DaemonSet: the audit log's host directory is mounted
 * read-only, a state directory read-write for the position file and the outputs, and the config
 * from a ConfigMap. Host paths are mounted at the same path, so the config's paths hold in the
 * container. Throws `CollectorConfigError` naming the option when a path is outside its mount.
 */
export function auditLogByNamespaceInCluster(options: AuditLogByNamespaceInClusterOptions): FluentdInCluster {
  const hostLogDir = checkAbsolutePath('hostLogDir', options.hostLogDir ?? '/var/log');
  const stateDir = checkAbsolutePath('stateDir', options.stateDir ?? '/var/lib/fluentd-audit');
  const configDir = checkAbsolutePath('configDir', options.configDir ?? FLUENTD_CONFIG_DIR);
  if (inside(hostLogDir, stateDir) || inside(stateDir, hostLogDir) || hostLogDir === stateDir) {
    rejectOption('stateDir', 'overlaps the read-only log directory', 'use a separate host directory such as /var/lib/fluentd-audit');
  }
  const preset = auditLogByNamespace(options);
  if (!inside(hostLogDir, options.logPath)) {
    rejectOption('logPath', `is not inside hostLogDir ${hostLogDir}`, 'set hostLogDir to the directory holding the audit log');
  }
  for (const option of ['posFile', 'outputPathPattern'] as const) {
    if (!inside(stateDir, options[option])) {
      rejectOption(option, `is not inside stateDir ${stateDir}, the only writable mount`, `put it under ${stateDir}`);
    }
  }
  const configMap = fluentdConfigMap(options.configMapName, preset.config, options.namespace);
  return {
    configMap,
    volumes: [
      { name: 'audit-log', hostPath: { path: hostLogDir, type: 'Directory' } },
      { name: 'fluentd-state', hostPath: { path: stateDir, type: 'DirectoryOrCreate' } },
      { name: 'fluentd-config', configMap: { name: configMap.metadata.name, items: [{ key: FLUENTD_CONFIG_KEY, path: FLUENTD_CONFIG_KEY }] } },
    ],
    volumeMounts: [
      { name: 'audit-log', mountPath: hostLogDir, readOnly: true },
      { name: 'fluentd-state', mountPath: stateDir },
      { name: 'fluentd-config', mountPath: configDir, readOnly: true },
    ],
    configPath: `${configDir.replace(/\/$/, '')}/${FLUENTD_CONFIG_KEY}`,
    plugins: preset.plugins,
  };
}

function checkNamespace(namespace: string): void {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace) || namespace.length > 63) {
    rejectOption('namespace', `${JSON.stringify(namespace)} is not a valid namespace name`, 'use lower-case letters, digits and -, at most 63 characters');
  }
}

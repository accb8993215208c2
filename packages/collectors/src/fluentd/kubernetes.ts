/**
 * Running the audit-log fluentd inside the cluster: the config as a ConfigMap and the volumes a
 * DaemonSet (on the control-plane nodes) needs to read the log and keep its state.
 */
import type { Problem } from '@k8s-gen/runtime';
import type { CollectorConfigMap, CollectorVolume, CollectorVolumeMount } from '../kubernetes-types.js';
import { namespaceOption, objectNameOption, pathOption, refuseOption } from '../options.js';
import { collectProblems, type CollectorResult } from '../problems.js';
import { auditLogByNamespace, type AuditLogByNamespaceOptions, type FluentdPlugin } from './presets.js';
import { writeFluentd } from './writer.js';
import type { FluentConfig } from './ast.js';

/** The ConfigMap key of the config file; the fluentd images read `<config dir>/fluent.conf`. */
export const FLUENTD_CONFIG_KEY = 'fluent.conf';

/** Where the config ConfigMap is mounted by default (the official images' config directory). */
export const FLUENTD_CONFIG_DIR = '/fluentd/etc';

/**
 * A ConfigMap holding `config` under the key `fluent.conf`, or the problems of the name, the
 * namespace and the config. Never throws.
 *
 * @example
 * ```ts
 * const configMap = fluentdConfigMap('audit-fluentd', config, 'kube-system');
 * configMap.ok && configMap.value.data['fluent.conf'];
 * ```
 */
export function fluentdConfigMap(name: string, config: FluentConfig, namespace?: string): CollectorResult<CollectorConfigMap> {
  return collectProblems((problems) => buildConfigMap(problems, name, config, namespace));
}

function buildConfigMap(problems: Problem[], name: string, config: FluentConfig, namespace: string | undefined): CollectorConfigMap | undefined {
  objectNameOption(problems, 'configMapName', name);
  if (namespace !== undefined) namespaceOption(problems, 'namespace', namespace);
  const written = writeFluentd(config);
  problems.push(...written.problems);
  if (!written.ok || problems.length > 0) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: namespace === undefined ? { name } : { name, namespace },
    data: { [FLUENTD_CONFIG_KEY]: written.value },
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
 * container. Never throws: a path outside its mount, or any refused option, comes back as a
 * problem named after the option.
 *
 * @example
 * ```ts
 * const inCluster = auditLogByNamespaceInCluster({ ...options, configMapName: 'audit-fluentd', namespace: 'kube-system' });
 * if (inCluster.ok) inCluster.value.volumes; // hostPath and ConfigMap volumes for the DaemonSet
 * ```
 */
export function auditLogByNamespaceInCluster(options: AuditLogByNamespaceInClusterOptions): CollectorResult<FluentdInCluster> {
  return collectProblems((problems) => buildInCluster(options, problems));
}

function buildInCluster(options: AuditLogByNamespaceInClusterOptions, problems: Problem[]): FluentdInCluster | undefined {
  const hostLogDir = pathOption(problems, 'hostLogDir', options.hostLogDir ?? '/var/log', [], '/var/log');
  const stateDir = pathOption(problems, 'stateDir', options.stateDir ?? '/var/lib/fluentd-audit', [], '/var/lib/fluentd-audit');
  const configDir = pathOption(problems, 'configDir', options.configDir ?? FLUENTD_CONFIG_DIR, [], FLUENTD_CONFIG_DIR);
  if (hostLogDir !== undefined && stateDir !== undefined && (inside(hostLogDir, stateDir) || inside(stateDir, hostLogDir) || hostLogDir === stateDir)) {
    refuseOption(problems, 'stateDir', `stateDir ${stateDir} overlaps the read-only log directory ${hostLogDir}`, 'use a separate host directory such as /var/lib/fluentd-audit');
  }
  const preset = auditLogByNamespace(options);
  problems.push(...preset.problems);
  if (!preset.ok || hostLogDir === undefined || stateDir === undefined || configDir === undefined) return undefined;
  if (!inside(hostLogDir, options.logPath)) {
    refuseOption(problems, 'logPath', `logPath ${options.logPath} is not inside hostLogDir ${hostLogDir}`, 'set hostLogDir to the directory holding the audit log');
  }
  for (const option of ['posFile', 'outputPathPattern'] as const) {
    if (!inside(stateDir, options[option])) {
      refuseOption(problems, option, `${option} ${options[option]} is not inside stateDir ${stateDir}, the only writable mount`, `put ${option} under ${stateDir}`);
    }
  }
  const configMap = fluentdConfigMap(options.configMapName, preset.value.config, options.namespace);
  problems.push(...configMap.problems);
  if (!configMap.ok || problems.length > 0) return undefined;
  return {
    configMap: configMap.value,
    volumes: [
      { name: 'audit-log', hostPath: { path: hostLogDir, type: 'Directory' } },
      { name: 'fluentd-state', hostPath: { path: stateDir, type: 'DirectoryOrCreate' } },
      { name: 'fluentd-config', configMap: { name: configMap.value.metadata.name, items: [{ key: FLUENTD_CONFIG_KEY, path: FLUENTD_CONFIG_KEY }] } },
    ],
    volumeMounts: [
      { name: 'audit-log', mountPath: hostLogDir, readOnly: true },
      { name: 'fluentd-state', mountPath: stateDir },
      { name: 'fluentd-config', mountPath: configDir, readOnly: true },
    ],
    configPath: `${configDir.replace(/\/$/, '')}/${FLUENTD_CONFIG_KEY}`,
    plugins: preset.value.plugins,
  };
}

/**
 * Running a shipper inside the cluster, shared by every shipper that can: its files as one
 * ConfigMap mounted read-only at the config folder, its state folder (offsets, buffers) as a host
 * folder so a restarted pod resumes where it stopped, and for a log reader the audit log's folder
 * read-only at the same path, so the paths in the config hold inside the pod. Each shipper's
 * `...InCluster` function supplies its files, folders and command line.
 */
import type { Problem } from '@k8s-gen/runtime';
import type { CollectorConfigMap, CollectorVolume, CollectorVolumeMount } from './kubernetes-types.js';
import { namespaceOption, objectNameOption, pathOption, refuseOption } from './options.js';

/** Where the shipper's ConfigMap and DaemonSet go, as the user gives it. */
export interface InClusterOptions {
  /** Name of the ConfigMap holding the config (and the shipper's other files). */
  readonly configMapName: string;
  /** Namespace of the ConfigMap and the DaemonSet. */
  readonly namespace?: string;
  /** Host directory holding the audit log (log readers), mounted read-only at the same path. Default the log's folder. */
  readonly hostLogDir?: string;
}

/** What a DaemonSet's pod needs to run a shipper. */
export interface ShipperInCluster {
  readonly configMap: CollectorConfigMap;
  readonly volumes: readonly CollectorVolume[];
  readonly volumeMounts: readonly CollectorVolumeMount[];
  /** The container's arguments: where the config file is. */
  readonly args: readonly string[];
  /** The container port of the shipper's HTTP listener (webhook receivers only). */
  readonly containerPort?: number;
  /** The files as written, by ConfigMap key. */
  readonly files: Readonly<Record<string, string>>;
}

/** What one shipper contributes to its packaging. */
export interface ShipperPackaging {
  /** Prefix of the volume names (`fluent-bit`, `vector`, `otelcol`). */
  readonly volumePrefix: string;
  /** The files, by ConfigMap key. */
  readonly files: Readonly<Record<string, string>>;
  /** The folder the ConfigMap is mounted at. */
  readonly configDir: string;
  /** The container's arguments, given the config file's path inside the pod. */
  readonly args: readonly string[];
  /** The state folder and the option it came from (named in a refusal). */
  readonly state: { readonly option: string; readonly dir: string; readonly example: string };
  /** The audit log read (log readers). */
  readonly logPath?: string;
  /** The listener's port (webhook receivers). */
  readonly listenerPort?: number;
}

const inside = (dir: string, path: string): boolean => path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
const folderOf = (path: string): string => (path.lastIndexOf('/') > 0 ? path.slice(0, path.lastIndexOf('/')) : '/');

/**
 * The ConfigMap, volumes and mounts of a shipper's DaemonSet; problems (a bad name, a log folder
 * that does not hold the log or overlaps the state folder) are pushed to `problems`, and nothing is
 * returned then.
 */
export function packageForDaemonSet(problems: Problem[], shipper: ShipperPackaging, options: InClusterOptions): ShipperInCluster | undefined {
  const name = objectNameOption(problems, 'configMapName', options.configMapName);
  if (options.namespace !== undefined) namespaceOption(problems, 'namespace', options.namespace);
  const logDir = shipper.logPath === undefined ? undefined : (options.hostLogDir ?? folderOf(shipper.logPath));
  const hostLogDir = logDir === undefined ? undefined : pathOption(problems, 'hostLogDir', logDir, [], '/var/log/kubernetes/audit');
  if (hostLogDir !== undefined && shipper.logPath !== undefined && !inside(hostLogDir, shipper.logPath)) {
    refuseOption(problems, 'hostLogDir', `hostLogDir ${hostLogDir} does not hold the log ${shipper.logPath}`, 'set hostLogDir to the folder of the audit log');
  }
  const { option, dir: stateDir, example } = shipper.state;
  if (hostLogDir !== undefined && (inside(hostLogDir, stateDir) || inside(stateDir, hostLogDir) || hostLogDir === stateDir)) {
    refuseOption(problems, option, `the state folder ${stateDir} overlaps the read-only log folder ${hostLogDir}`, `use a separate state folder such as ${example}`);
  }
  if (inside(shipper.configDir, stateDir) || inside(stateDir, shipper.configDir) || stateDir === shipper.configDir) {
    refuseOption(problems, option, `the state folder ${stateDir} overlaps the read-only config folder ${shipper.configDir}`, `use a separate state folder such as ${example}`);
  }
  if (name === undefined || problems.length > 0) return undefined;
  const keys = Object.keys(shipper.files).sort();
  const config = `${shipper.volumePrefix}-config`;
  const state = `${shipper.volumePrefix}-state`;
  const volumes: CollectorVolume[] = [
    { name: config, configMap: { name, items: keys.map((key) => ({ key, path: key })) } },
    { name: state, hostPath: { path: stateDir, type: 'DirectoryOrCreate' } },
  ];
  const volumeMounts: CollectorVolumeMount[] = [
    { name: config, mountPath: shipper.configDir, readOnly: true },
    { name: state, mountPath: stateDir },
  ];
  if (hostLogDir !== undefined) {
    volumes.push({ name: 'audit-log', hostPath: { path: hostLogDir, type: 'Directory' } });
    volumeMounts.push({ name: 'audit-log', mountPath: hostLogDir, readOnly: true });
  }
  return {
    configMap: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: options.namespace === undefined ? { name } : { name, namespace: options.namespace },
      data: Object.fromEntries(keys.map((key) => [key, shipper.files[key]!])),
    },
    volumes,
    volumeMounts,
    args: shipper.args,
    ...(shipper.listenerPort !== undefined ? { containerPort: shipper.listenerPort } : {}),
    files: shipper.files,
  };
}

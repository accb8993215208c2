/**
 * The forms people use to hand audit flags and files to an apiserver: a kubeadm
 * ClusterConfiguration (v1beta1 to v1beta4), an RFC 6902 JSON patch of the static Pod manifest or
 * of an aggregated apiserver's Deployment, and a kind cluster config. Each renderer takes flags
 * and mounts that were checked where they entered, and refuses again (as a k8s-gen bug) any value
 * that could change the structure of what it writes.
 */
import { isDnsLabel, unsafeCharacterIn } from '@k8s-gen/runtime';
import { writeManifestYaml } from '@k8s-gen/yaml';
import { flagsToArgs, type Flag } from './render.js';

/** A node path the apiserver container needs: a file it reads or a directory it writes. */
export interface HostMount {
  /** Volume name, a DNS label such as `audit-policy`. */
  readonly name: string;
  /** Path on the node. */
  readonly hostPath: string;
  /** Path inside the container (the same as on the node, so flags read the same everywhere). */
  readonly mountPath: string;
  /** `File` for files that must already exist, `DirectoryOrCreate` for the log directory. */
  readonly type: 'File' | 'DirectoryOrCreate';
  readonly readOnly: boolean;
}

/** Refuses (as a k8s-gen bug) a path or name that could change the structure of a rendered file. */
function assertSafe(what: string, value: string, isName?: (value: string) => boolean): void {
  if (typeof value !== 'string') throw new Error(`k8s-gen bug: ${what} is not a string`);
  const bad = unsafeCharacterIn(value, { allowWhiteSpace: false });
  if (bad !== undefined) throw new Error(`k8s-gen bug: ${what} holds ${bad.description} at position ${bad.index + 1}; it should have been refused where it entered`);
  if (isName !== undefined && !isName(value)) throw new Error(`k8s-gen bug: ${what} ${JSON.stringify(value)} is not a DNS label`);
}

function checkedMounts(mounts: readonly HostMount[]): readonly HostMount[] {
  for (const mount of mounts) {
    assertSafe('a volume name', mount.name, isDnsLabel);
    assertSafe(`the host path of volume ${mount.name}`, mount.hostPath);
    assertSafe(`the mount path of volume ${mount.name}`, mount.mountPath);
  }
  return mounts;
}

/** kubeadm config API versions k8s-gen can write. */
export type KubeadmApiVersion = 'kubeadm.k8s.io/v1beta1' | 'kubeadm.k8s.io/v1beta2' | 'kubeadm.k8s.io/v1beta3' | 'kubeadm.k8s.io/v1beta4';

/**
 * The kubeadm config API version a kubeadm of the given minor release reads: v1beta1 (1.13-1.14),
 * v1beta2 (1.15-1.21), v1beta3 (1.22-1.30), v1beta4 (1.31+).
 *
 * @example
 * ```ts
 * kubeadmApiVersionFor(31); // 'kubeadm.k8s.io/v1beta4'
 * ```
 */
export function kubeadmApiVersionFor(minor: number): KubeadmApiVersion {
  if (minor >= 31) return 'kubeadm.k8s.io/v1beta4';
  if (minor >= 22) return 'kubeadm.k8s.io/v1beta3';
  if (minor >= 15) return 'kubeadm.k8s.io/v1beta2';
  return 'kubeadm.k8s.io/v1beta1';
}

/** A kubeadm `ClusterConfiguration` fragment holding only the apiserver's audit settings. */
export interface KubeadmClusterConfigurationPatch {
  apiVersion: KubeadmApiVersion;
  kind: 'ClusterConfiguration';
  apiServer: {
    extraArgs: Record<string, string> | Array<{ name: string; value: string }>;
    extraVolumes: Array<{ name: string; hostPath: string; mountPath: string; readOnly: boolean; pathType: string }>;
  };
}

/**
 * The flags and mounts as a kubeadm `ClusterConfiguration`: `apiServer.extraArgs` is a map up to
 * v1beta3 and a list of `{name, value}` from v1beta4 on (which allows repeated flags).
 *
 * @throws Error (a k8s-gen bug) when a flag or mount holds a value that could change the document.
 * @example
 * ```ts
 * kubeadmClusterConfiguration([{ name: 'audit-log-path', value: '-' }], [], 'kubeadm.k8s.io/v1beta4').apiServer.extraArgs;
 * // [{ name: 'audit-log-path', value: '-' }]
 * ```
 */
export function kubeadmClusterConfiguration(flags: readonly Flag[], mounts: readonly HostMount[], apiVersion: KubeadmApiVersion): KubeadmClusterConfigurationPatch {
  flagsToArgs(flags); // refuses names and values that could add an argument or a key
  const extraArgs =
    apiVersion === 'kubeadm.k8s.io/v1beta4'
      ? flags.map((flag) => ({ name: flag.name, value: flag.value }))
      : Object.fromEntries(flags.map((flag) => [flag.name, flag.value]));
  return {
    apiVersion,
    kind: 'ClusterConfiguration',
    apiServer: {
      extraArgs,
      extraVolumes: checkedMounts(mounts).map((mount) => ({ name: mount.name, hostPath: mount.hostPath, mountPath: mount.mountPath, readOnly: mount.readOnly, pathType: mount.type })),
    },
  };
}

/**
 * {@link kubeadmClusterConfiguration} as the YAML file kubeadm reads.
 *
 * @example
 * ```ts
 * kubeadmClusterConfigurationYaml([{ name: 'audit-log-path', value: '-' }], [], 'kubeadm.k8s.io/v1beta3');
 * ```
 */
export function kubeadmClusterConfigurationYaml(flags: readonly Flag[], mounts: readonly HostMount[], apiVersion: KubeadmApiVersion): string {
  return writeManifestYaml(kubeadmClusterConfiguration(flags, mounts, apiVersion));
}

/** One RFC 6902 JSON patch operation. */
export interface JsonPatchOperation {
  op: 'add';
  path: string;
  value: unknown;
}

/** core/v1 Volume with a hostPath source, as written into Pod specs. */
export interface HostPathVolume {
  name: string;
  hostPath: { path: string; type: 'File' | 'DirectoryOrCreate' };
}

/** core/v1 VolumeMount. */
export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly: boolean;
}

/**
 * The core/v1 volumes for a set of host mounts.
 *
 * @example
 * ```ts
 * hostPathVolumes([{ name: 'audit-log', hostPath: '/var/log/audit', mountPath: '/var/log/audit', type: 'DirectoryOrCreate', readOnly: false }]);
 * ```
 */
export function hostPathVolumes(mounts: readonly HostMount[]): HostPathVolume[] {
  return checkedMounts(mounts).map((mount) => ({ name: mount.name, hostPath: { path: mount.hostPath, type: mount.type } }));
}

/**
 * The core/v1 volume mounts for a set of host mounts.
 *
 * @example
 * ```ts
 * volumeMounts([{ name: 'audit-log', hostPath: '/var/log/audit', mountPath: '/var/log/audit', type: 'DirectoryOrCreate', readOnly: false }]);
 * ```
 */
export function volumeMounts(mounts: readonly HostMount[]): VolumeMount[] {
  return checkedMounts(mounts).map((mount) => ({ name: mount.name, mountPath: mount.mountPath, readOnly: mount.readOnly }));
}

/** Where the JSON patch adds things: a static Pod (`/spec`, `command`) or a Deployment (`/spec/template/spec`, `args`). */
export interface PodPatchTarget {
  /** JSON pointer of the PodSpec. */
  podSpecPointer: '/spec' | '/spec/template/spec';
  /** The container list field holding the apiserver's flags. */
  argsField: 'command' | 'args';
  /** Index of the apiserver container. */
  containerIndex: number;
}

/** The static Pod manifest kubeadm writes: flags are in `command` of the first container. */
export const STATIC_POD_TARGET: PodPatchTarget = { podSpecPointer: '/spec', argsField: 'command', containerIndex: 0 };
/** An aggregated apiserver run as a Deployment with flags in `args` of its first container. */
export const DEPLOYMENT_TARGET: PodPatchTarget = { podSpecPointer: '/spec/template/spec', argsField: 'args', containerIndex: 0 };

/**
 * A JSON patch (RFC 6902) that appends the flags, volumes and volume mounts to an apiserver Pod,
 * e.g. `kubectl patch --local -f /etc/kubernetes/manifests/kube-apiserver.yaml --type json
 * --patch-file kube-apiserver.patch.json -o yaml`. The manifest must already have `volumes` and
 * `volumeMounts` lists (kubeadm's always does).
 *
 * @throws Error (a k8s-gen bug) when a flag or mount holds a value that could change the arguments.
 * @example
 * ```ts
 * podJsonPatch([{ name: 'audit-log-path', value: '-' }], [], STATIC_POD_TARGET);
 * // [{ op: 'add', path: '/spec/containers/0/command/-', value: '--audit-log-path=-' }]
 * ```
 */
export function podJsonPatch(flags: readonly Flag[], mounts: readonly HostMount[], target: PodPatchTarget): JsonPatchOperation[] {
  if (!Number.isSafeInteger(target.containerIndex) || target.containerIndex < 0) throw new Error('k8s-gen bug: the container index is not a whole number');
  const container = `${target.podSpecPointer}/containers/${target.containerIndex}`;
  return [
    ...flagsToArgs(flags).map((arg) => ({ op: 'add' as const, path: `${container}/${target.argsField}/-`, value: arg })),
    ...volumeMounts(mounts).map((mount) => ({ op: 'add' as const, path: `${container}/volumeMounts/-`, value: mount })),
    ...hostPathVolumes(mounts).map((volume) => ({ op: 'add' as const, path: `${target.podSpecPointer}/volumes/-`, value: volume })),
  ];
}

/** kind's cluster config (kind.x-k8s.io/v1alpha4) with one control-plane node. */
export interface KindClusterConfig {
  kind: 'Cluster';
  apiVersion: 'kind.x-k8s.io/v1alpha4';
  nodes: Array<{
    role: 'control-plane';
    kubeadmConfigPatches: string[];
    extraMounts: Array<{ hostPath: string; containerPath: string; readOnly: boolean }>;
  }>;
}

/** A file the apiserver reads, and where kind finds it: a path relative to where `kind create cluster` runs. */
export interface KindNodeFile {
  readonly nodePath: string;
  readonly localPath: string;
}

/**
 * A kind cluster config whose control-plane node gets the audit files through `extraMounts` and
 * the flags and volumes through a kubeadm `ClusterConfiguration` patch (YAML inside the YAML).
 *
 * @throws Error (a k8s-gen bug) when a flag, mount or file path could change either document.
 * @example
 * ```ts
 * kindClusterConfig(flags, mounts, [{ nodePath: '/etc/kubernetes/audit-policy.yaml', localPath: './audit-policy.yaml' }], 'kubeadm.k8s.io/v1beta4');
 * ```
 */
export function kindClusterConfig(flags: readonly Flag[], mounts: readonly HostMount[], files: readonly KindNodeFile[], apiVersion: KubeadmApiVersion): KindClusterConfig {
  for (const file of files) {
    assertSafe('a node path', file.nodePath);
    assertSafe('a local path', file.localPath);
  }
  return {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    nodes: [
      {
        role: 'control-plane',
        kubeadmConfigPatches: [kubeadmClusterConfigurationYaml(flags, mounts, apiVersion)],
        extraMounts: files.map((file) => ({ hostPath: file.localPath, containerPath: file.nodePath, readOnly: true })),
      },
    ],
  };
}

/**
 * {@link kindClusterConfig} as the YAML file `kind create cluster --config` reads.
 *
 * @example
 * ```ts
 * kindClusterConfigYaml(flags, mounts, files, 'kubeadm.k8s.io/v1beta4');
 * ```
 */
export function kindClusterConfigYaml(flags: readonly Flag[], mounts: readonly HostMount[], files: readonly KindNodeFile[], apiVersion: KubeadmApiVersion): string {
  return writeManifestYaml(kindClusterConfig(flags, mounts, files, apiVersion));
}

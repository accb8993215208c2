// The forms people use to hand audit flags and files to an apiserver: a kubeadm
// ClusterConfiguration, a JSON patch of the static Pod manifest (or of an aggregated apiserver's
// Deployment), and a kind cluster config. All of them are plain data; synth serializes them.
import type { Flag } from './flags.js';
import { flagsToArgs } from './flags.js';

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

/** kubeadm config API versions k8s-gen can write. */
export type KubeadmApiVersion = 'kubeadm.k8s.io/v1beta1' | 'kubeadm.k8s.io/v1beta2' | 'kubeadm.k8s.io/v1beta3' | 'kubeadm.k8s.io/v1beta4';

/**
 * The kubeadm config API version that a kubeadm of the given minor version reads:
 * v1beta1 (1.13-1.14), v1beta2 (1.15-1.21), v1beta3 (1.22-1.30), v1beta4 (1.31+).
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
 * Renders the flags and mounts as a kubeadm `ClusterConfiguration`: `apiServer.extraArgs` is a map
 * up to v1beta3 and a list of `{name, value}` from v1beta4 on (which allows repeated flags).
 *
 * @example
 * kubeadmClusterConfiguration(flags, mounts, 'kubeadm.k8s.io/v1beta4')
 */
export function kubeadmClusterConfiguration(
  flags: readonly Flag[],
  mounts: readonly HostMount[],
  apiVersion: KubeadmApiVersion,
): KubeadmClusterConfigurationPatch {
  const extraArgs =
    apiVersion === 'kubeadm.k8s.io/v1beta4'
      ? flags.map((flag) => ({ name: flag.name, value: flag.value }))
      : Object.fromEntries(flags.map((flag) => [flag.name, flag.value]));
  return {
    apiVersion,
    kind: 'ClusterConfiguration',
    apiServer: {
      extraArgs,
      extraVolumes: mounts.map((mount) => ({
        name: mount.name,
        hostPath: mount.hostPath,
        mountPath: mount.mountPath,
        readOnly: mount.readOnly,
        pathType: mount.type,
      })),
    },
  };
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

/** The core/v1 volumes for a set of host mounts. */
export function hostPathVolumes(mounts: readonly HostMount[]): HostPathVolume[] {
  return mounts.map((mount) => ({ name: mount.name, hostPath: { path: mount.hostPath, type: mount.type } }));
}

/** The core/v1 volume mounts for a set of host mounts. */
export function volumeMounts(mounts: readonly HostMount[]): VolumeMount[] {
  return mounts.map((mount) => ({ name: mount.name, mountPath: mount.mountPath, readOnly: mount.readOnly }));
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
 * @example
 * podJsonPatch(flags, mounts, STATIC_POD_TARGET)
 */
export function podJsonPatch(flags: readonly Flag[], mounts: readonly HostMount[], target: PodPatchTarget): JsonPatchOperation[] {
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

/**
 * A kind cluster config whose control-plane node gets the audit files through `extraMounts` (from
 * the synthesized folder, paths relative to where `kind create cluster` runs) and the flags and
 * volumes through a kubeadm `ClusterConfiguration` patch.
 *
 * @param files - for each node path the apiserver reads, the synthesized file that provides it.
 * @param serializeYaml - turns the kubeadm patch into the YAML text kind expects.
 */
export function kindClusterConfig(
  flags: readonly Flag[],
  mounts: readonly HostMount[],
  files: ReadonlyArray<{ nodePath: string; localPath: string }>,
  apiVersion: KubeadmApiVersion,
  serializeYaml: (value: unknown) => string,
): KindClusterConfig {
  return {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    nodes: [
      {
        role: 'control-plane',
        kubeadmConfigPatches: [serializeYaml(kubeadmClusterConfiguration(flags, mounts, apiVersion))],
        extraMounts: files.map((file) => ({ hostPath: file.localPath, containerPath: file.nodePath, readOnly: true })),
      },
    ],
  };
}

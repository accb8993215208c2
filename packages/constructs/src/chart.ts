// One apiserver target: its policy, backends and collectors, and every file that configures it.
import { posix } from 'node:path';
import {
  AUDIT_FLAGS_RANGE,
  auditFlags,
  DEPLOYMENT_TARGET,
  flagsToArgs,
  kindClusterConfigYaml,
  kubeadmApiVersionFor,
  kubeadmClusterConfigurationYaml,
  podJsonPatch,
  STATIC_POD_TARGET,
  type AuditFlagsResult,
  type AuditSettings,
  type Flag,
  type HostMount,
  type KubeadmApiVersion,
} from '@k8s-gen/apiserver';
import { checkNodePath, isDnsLabel, NEWEST_KUBERNETES_MINOR, parseKubernetesVersion, type KubernetesVersion } from '@k8s-gen/runtime';
import { Construct } from 'constructs';
import { contributorsOf, type TargetContribution, type TargetContributor } from './contribution.js';
import type { Problem } from './problems.js';
import { toJson, toYamlDocuments } from './serialize.js';
import { brandTarget, type ApiServerKind, type AuditTargetInfo } from './target.js';
import { addCheck, type KubeObject, type SynthFile } from './tree.js';

export type { ApiServerKind } from './target.js';

/** Options of {@link AuditChart}. */
export interface AuditChartProps {
  /** Kubernetes version of the apiserver, e.g. `1.30` or `v1.20.2` (1.8 to 1.36). */
  readonly kubernetesVersion: string;
  /**
   * `kube-apiserver` (default): output for kubeadm, the static Pod manifest and kind.
   * `aggregated`: an aggregated apiserver (built on k8s.io/apiserver, same audit flags, its own
   * policy) running as a Deployment; output is the flags and a JSON patch of its Deployment.
   */
  readonly apiserver?: ApiServerKind;
  /** Output folder name (a DNS label). Default: the construct id. */
  readonly name?: string;
  /** kubeadm config version to write. Default: the one the target's kubeadm reads. */
  readonly kubeadmApiVersion?: KubeadmApiVersion;
}

/**
 * One apiserver target: a kube-apiserver or an aggregated apiserver at a given Kubernetes version.
 * The constructs below it (an `AuditPolicy`, a `LogBackend`, a `WebhookBackend`, a
 * `DynamicBackend`, collectors, anything that registers as a contributor) add files, objects,
 * their part of the audit settings and the volumes they need; synth writes the flags, in every form
 * people apply them, into one folder named after the target.
 *
 * @example
 * const app = new App();
 * const cluster = new AuditChart(app, 'prod', { kubernetesVersion: '1.30' });
 * new AuditPolicy(cluster, 'Policy', { policy: minimalPolicy });
 * new LogBackend(cluster, 'Log', { path: '/var/log/kubernetes/audit/audit.log', maxAge: 7 });
 * app.synth(); // dist/prod/...
 */
export class AuditChart extends Construct implements AuditTargetInfo {
  /** Output folder name. */
  readonly name: string;
  /** Which kind of apiserver this is. */
  readonly apiserver: ApiServerKind;
  /** The parsed Kubernetes version (1.36 when the given one was invalid; the error is reported at synth). */
  readonly version: KubernetesVersion;
  private readonly versionError?: { message: string; fix: string };
  private readonly kubeadmApiVersionOverride?: KubeadmApiVersion;

  constructor(scope: Construct, id: string, props: AuditChartProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.apiserver = props.apiserver ?? 'kube-apiserver';
    this.kubeadmApiVersionOverride = props.kubeadmApiVersion;
    const parsed = parseKubernetesVersion(props.kubernetesVersion, AUDIT_FLAGS_RANGE);
    if (parsed.ok) {
      this.version = parsed.version;
    } else {
      this.version = { text: String(props.kubernetesVersion), minor: NEWEST_KUBERNETES_MINOR };
      this.versionError = { message: parsed.message, fix: parsed.fix };
    }
    brandTarget(this);
    addCheck(this, () => this.check());
  }

  /** Every construct's contribution to this target, in tree order. */
  private contributions(): Array<{ construct: TargetContributor; contribution: TargetContribution }> {
    return contributorsOf(this).map((construct) => ({ construct, contribution: construct.contribute(this) }));
  }

  /**
   * The audit settings the target's constructs contributed, merged (each key from one construct;
   * a second one is reported as `duplicate-construct` at synth and ignored here).
   */
  settings(): AuditSettings {
    const settings: AuditSettings = {};
    for (const { contribution } of this.contributions()) {
      for (const [key, value] of Object.entries(contribution.settings ?? {}) as Array<[keyof AuditSettings, unknown]>) {
        if (value !== undefined && settings[key] === undefined) (settings as Record<string, unknown>)[key] = value;
      }
    }
    return settings;
  }

  /** Where the webhook backend posts, when the target has one. */
  webhookServer(): string | undefined {
    return this.contributions().find(({ contribution }) => contribution.webhookServer !== undefined)?.contribution.webhookServer;
  }

  /** The audit flags and the problems of the settings behind them. */
  auditFlags(): AuditFlagsResult {
    return auditFlags(this.settings(), this.version);
  }

  /** The node paths the apiserver container needs, as volumes. */
  hostMounts(): HostMount[] {
    return this.contributions().flatMap(({ contribution }) => [...(contribution.mounts ?? [])]);
  }

  /** Kubernetes objects of every construct in the target. */
  get objects(): KubeObject[] {
    return this.contributions().flatMap(({ contribution }) => [...(contribution.objects ?? [])]);
  }

  private check(): Problem[] {
    const problems: Problem[] = [];
    if (this.versionError) {
      problems.push({ severity: 'error', code: 'kubernetes-version', path: 'kubernetesVersion', ...this.versionError });
      return problems;
    }
    if (!isDnsLabel(this.name)) {
      problems.push({ severity: 'error', code: 'target-name', path: 'name', message: `target name "${this.name}" is not a DNS label, and it names the output folder`, fix: 'use lower-case letters, digits and -' });
    }
    const paths = this.files(false).map((file) => file.path);
    for (const path of new Set(paths.filter((path, index) => paths.indexOf(path) !== index))) {
      problems.push({ severity: 'error', code: 'duplicate-file', path: '', file: path, message: `two constructs of this target write ${path}`, fix: 'keep one collector of each kind per target, or put the other in another AuditChart' });
    }
    const setBy = new Map<string, string>();
    for (const { construct, contribution } of this.contributions()) {
      for (const [key, value] of Object.entries(contribution.settings ?? {})) {
        if (value === undefined) continue;
        const earlier = setBy.get(key);
        if (earlier === undefined) setBy.set(key, construct.node.path);
        else problems.push({ severity: 'error', code: 'duplicate-construct', path: '', message: `${earlier} and ${construct.node.path} both set the apiserver's ${SETTING_NAMES[key] ?? key}, and an apiserver has one`, fix: `keep one of them, or put the other in another AuditChart` });
      }
    }
    const settings = this.settings();
    if (settings.policyFile === undefined && (settings.log !== undefined || settings.webhook !== undefined)) {
      problems.push({ severity: 'error', code: 'no-policy', path: '', message: 'backends are configured but there is no AuditPolicy, so the apiserver would audit nothing', fix: 'add an AuditPolicy to this target' });
    }
    if (this.apiserver === 'aggregated' && settings.dynamic === true) {
      problems.push({ severity: 'error', code: 'dynamic-aggregated', path: '', message: 'AuditSinks are served by kube-apiserver, not by aggregated apiservers', fix: 'move the DynamicBackend to the kube-apiserver target' });
    }
    // Node paths of other files (collectors' configs); the settings' own paths are checked by the
    // constructs that set them, under their option names.
    const ownPaths = new Set([settings.policyFile, settings.webhook?.kubeconfigPath, settings.log?.path]);
    for (const file of this.files(false)) {
      const problem = file.nodePath === undefined || ownPaths.has(file.nodePath) ? undefined : checkNodePath(file.nodePath, 'nodePath');
      if (problem !== undefined) problems.push({ ...problem, file: file.path });
    }
    // Flag problems are reported here unless they belong to a construct, which reports its own
    // (the policy path is the AuditPolicy's `nodePath`).
    const { flags, problems: flagProblems } = this.auditFlags();
    problems.push(...flagProblems.filter((problem) => !/^(log|webhook|dynamic)\b/.test(problem.path) && problem.path !== 'policyFile').map((problem) => ({ ...problem, file: 'apiserver-flags.txt' })));
    // Paths that failed their checks are not written as flags; the mount checks need all of them.
    const pathsWritten = [settings.policyFile !== undefined && 'audit-policy-file', settings.log !== undefined && 'audit-log-path', settings.webhook !== undefined && 'audit-webhook-config-file']
      .filter(Boolean)
      .every((name) => flags.some((flag) => flag.name === name));
    if (pathsWritten) problems.push(...checkFlagPaths(flags, this.files(false), this.hostMounts()));
    return problems;
  }

  /** The files of this target except `manifest.json` and `README.md`, sorted by path. */
  files(includeGenerated = true): SynthFile[] {
    const files: SynthFile[] = this.contributions().flatMap(({ contribution }) => [...(contribution.files ?? [])]);
    const objects = this.objects;
    if (objects.length > 0) {
      files.push({ path: 'kubernetes/objects.yaml', contents: toYamlDocuments(objects), purpose: 'Kubernetes objects to apply with kubectl apply -f' });
    }
    if (includeGenerated) files.push(...this.applyFiles());
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** The flags in every form people apply them. */
  private applyFiles(): SynthFile[] {
    const { flags, problems } = this.auditFlags();
    if (problems.some((problem) => problem.severity === 'error')) throw new Error('k8s-gen bug: the flags of a target with errors were about to be written');
    const mounts = this.hostMounts();
    const files: SynthFile[] = [
      { path: 'apiserver-flags.txt', contents: `${flagsToArgs(flags).join('\n')}\n`, purpose: 'the apiserver audit flags, one per line' },
    ];
    if (this.apiserver === 'aggregated') {
      files.push({ path: 'deployment.patch.json', contents: toJson(podJsonPatch(flags, mounts, DEPLOYMENT_TARGET)), purpose: "JSON patch adding the flags and volumes to the aggregated apiserver's Deployment" });
      return files;
    }
    const kubeadmVersion = this.kubeadmApiVersionOverride ?? kubeadmApiVersionFor(this.version.minor);
    files.push(
      { path: 'kubeadm-cluster-configuration.yaml', contents: kubeadmClusterConfigurationYaml(flags, mounts, kubeadmVersion), purpose: 'kubeadm ClusterConfiguration with the audit extraArgs and extraVolumes' },
      { path: 'kube-apiserver.patch.json', contents: toJson(podJsonPatch(flags, mounts, STATIC_POD_TARGET)), purpose: 'JSON patch for /etc/kubernetes/manifests/kube-apiserver.yaml' },
    );
    const nodeFiles = this.files(false)
      .filter((file) => file.nodePath !== undefined)
      .map((file) => ({ nodePath: file.nodePath as string, localPath: `./${file.path}` }));
    files.push({ path: 'kind-cluster.yaml', contents: kindClusterConfigYaml(flags, mounts, nodeFiles, kubeadmVersion), purpose: 'kind cluster config (run kind from this folder)' });
    return files;
  }
}

/** What each settings key is, for messages. */
const SETTING_NAMES: Readonly<Record<string, string>> = { policyFile: 'policy file', log: 'log backend', webhook: 'webhook backend', dynamic: 'dynamic audit' };

const PATH_FLAGS = ['audit-policy-file', 'audit-webhook-config-file'];

/**
 * Checks that every path a flag names reaches the apiserver: files it reads must be written by the
 * synth (with that node path) and mounted into the Pod; the log directory must be mounted writable.
 */
export function checkFlagPaths(flags: readonly Flag[], files: readonly SynthFile[], mounts: readonly HostMount[]): Problem[] {
  const problems: Problem[] = [];
  const mounted = (path: string, writable: boolean) =>
    mounts.some((mount) => (path === mount.mountPath || path.startsWith(`${mount.mountPath.replace(/\/$/, '')}/`)) && (!writable || !mount.readOnly));
  for (const flag of flags) {
    if (PATH_FLAGS.includes(flag.name)) {
      if (!files.some((file) => file.nodePath === flag.value)) {
        problems.push({ severity: 'error', code: 'flag-path-not-written', path: flag.name, file: 'apiserver-flags.txt', message: `--${flag.name}=${flag.value} names a file that nothing in this target writes`, fix: `write the file with that node path, or change --${flag.name}` });
      }
      if (!mounted(flag.value, false)) {
        problems.push({ severity: 'error', code: 'flag-path-not-mounted', path: flag.name, file: 'kube-apiserver.patch.json', message: `--${flag.name}=${flag.value} is not inside any volume the apiserver Pod mounts`, fix: `add a hostPath mount for ${flag.value}` });
      }
    }
    if (flag.name === 'audit-log-path' && flag.value !== '-' && !mounted(flag.value, true)) {
      problems.push({ severity: 'error', code: 'flag-path-not-mounted', path: flag.name, file: 'kube-apiserver.patch.json', message: `the log directory of --audit-log-path=${flag.value} is not mounted writable into the apiserver Pod`, fix: `mount ${posix.dirname(flag.value)} with readOnly false` });
    }
  }
  return problems;
}

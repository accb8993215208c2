// One apiserver target: its policy, backends and collectors, and every file that configures it.
import { posix } from 'node:path';
import { Construct } from 'constructs';
import { auditFlags, flagsToArgs, type AuditFlagsResult, type Flag } from './apiserver/flags.js';
import {
  DEPLOYMENT_TARGET,
  kindClusterConfig,
  kubeadmApiVersionFor,
  kubeadmClusterConfiguration,
  podJsonPatch,
  STATIC_POD_TARGET,
  type HostMount,
  type KubeadmApiVersion,
} from './apiserver/render.js';
import { parseKubernetesVersion, type KubernetesVersion } from './apiserver/versions.js';
import { LogBackend, WebhookBackend } from './backends.js';
import { DynamicBackend } from './dynamic.js';
import { AuditPolicy } from './policy.js';
import type { Problem } from './problems.js';
import { toJson, toYaml, toYamlDocuments } from './serialize.js';
import { brandTarget, findTarget, type AuditTargetInfo } from './target.js';
import { addCheck, DNS_LABEL, type KubeObject, type SynthFile } from './tree.js';

/** Which apiserver a target configures. */
export type ApiServerKind = 'kube-apiserver' | 'aggregated';

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

/** A collector or other construct that reads audit output and must agree with the flags. */
export interface AuditConsumer {
  /** Files the consumer writes into the target. */
  readonly files: readonly SynthFile[];
  /** Kubernetes objects the consumer adds. */
  readonly objects: readonly KubeObject[];
  /** Problems when the consumer disagrees with the target's backends. */
  consistencyProblems(target: AuditChart): Problem[];
}

const CONSUMER_BRAND = Symbol.for('@k8s-gen/constructs.AuditConsumer');

/**
 * Marks a construct as an {@link AuditConsumer}: its target writes its files and objects, and its
 * consistency check runs at synth under the consumer's own construct path.
 */
export function brandConsumer(construct: Construct & AuditConsumer): void {
  Object.defineProperty(construct, CONSUMER_BRAND, { value: true });
  addCheck(construct, () => {
    const target = findTarget(construct);
    return target instanceof AuditChart ? construct.consistencyProblems(target) : [];
  });
}

/** Whether a construct is an {@link AuditConsumer}. */
export function isConsumer(construct: unknown): construct is Construct & AuditConsumer {
  return (construct as Record<symbol, unknown>)[CONSUMER_BRAND] === true;
}

/**
 * One apiserver target: a kube-apiserver or an aggregated apiserver at a given Kubernetes version.
 * Its children (an {@link AuditPolicy}, a {@link LogBackend}, a {@link WebhookBackend}, a
 * {@link DynamicBackend}, collectors) decide the audit flags; synth writes them, in every form
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
  private readonly versionError?: string;
  private readonly kubeadmApiVersionOverride?: KubeadmApiVersion;

  constructor(scope: Construct, id: string, props: AuditChartProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.apiserver = props.apiserver ?? 'kube-apiserver';
    this.kubeadmApiVersionOverride = props.kubeadmApiVersion;
    const parsed = parseKubernetesVersion(props.kubernetesVersion);
    if (parsed.ok) {
      this.version = parsed.version;
    } else {
      this.version = { text: props.kubernetesVersion, minor: 36 };
      this.versionError = parsed.message;
    }
    brandTarget(this);
    addCheck(this, () => this.check());
  }

  private children<T>(type: abstract new (...args: never[]) => T): T[] {
    return this.node.findAll().filter((construct) => construct !== this && construct instanceof type && findTarget(construct) === this) as T[];
  }

  /** The target's policy, if it has one. */
  get policy(): AuditPolicy | undefined {
    return this.children(AuditPolicy)[0];
  }

  /** The log backend, if any. */
  get logBackend(): LogBackend | undefined {
    return this.children(LogBackend)[0];
  }

  /** The webhook backend, if any. */
  get webhookBackend(): WebhookBackend | undefined {
    return this.children(WebhookBackend)[0];
  }

  /** The dynamic backend, if any. */
  get dynamicBackend(): DynamicBackend | undefined {
    return this.children(DynamicBackend)[0];
  }

  /** Collectors and other consumers of the audit output. */
  get consumers(): Array<Construct & AuditConsumer> {
    return this.node.findAll().filter((construct): construct is Construct & AuditConsumer => isConsumer(construct) && findTarget(construct) === this);
  }

  /** The audit flags and the problems of the options behind them. */
  auditFlags(): AuditFlagsResult {
    return auditFlags(
      {
        policyFile: this.policy?.nodePath,
        log: this.logBackend?.options,
        webhook: this.webhookBackend?.options,
        dynamic: this.dynamicBackend !== undefined,
      },
      this.version,
    );
  }

  /** The node paths the apiserver container needs, as volumes. */
  hostMounts(): HostMount[] {
    const mounts: HostMount[] = [];
    const policy = this.policy;
    if (policy) mounts.push({ name: 'audit-policy', hostPath: policy.nodePath, mountPath: policy.nodePath, type: 'File', readOnly: true });
    const webhook = this.webhookBackend;
    if (webhook) {
      const file = webhook.options.configFile;
      mounts.push({ name: 'audit-webhook-kubeconfig', hostPath: file, mountPath: file, type: 'File', readOnly: true });
    }
    const log = this.logBackend;
    if (log && log.path !== '-') {
      const dir = posix.dirname(log.path);
      mounts.push({ name: 'audit-log', hostPath: dir, mountPath: dir, type: 'DirectoryOrCreate', readOnly: false });
    }
    return mounts;
  }

  /** Kubernetes objects of every construct in the target. */
  get objects(): KubeObject[] {
    return [...(this.dynamicBackend?.objects ?? []), ...this.consumers.flatMap((consumer) => consumer.objects)];
  }

  private check(): Problem[] {
    const problems: Problem[] = [];
    if (this.versionError) {
      problems.push({ severity: 'error', code: 'kubernetes-version', path: 'kubernetesVersion', message: this.versionError, fix: 'set kubernetesVersion to a version such as 1.30' });
      return problems;
    }
    if (!DNS_LABEL.test(this.name)) {
      problems.push({ severity: 'error', code: 'target-name', path: 'name', message: `target name "${this.name}" is not a DNS label, and it names the output folder`, fix: 'use lower-case letters, digits and -' });
    }
    const paths = this.files(false).map((file) => file.path);
    for (const path of new Set(paths.filter((path, index) => paths.indexOf(path) !== index))) {
      problems.push({ severity: 'error', code: 'duplicate-file', path: '', file: path, message: `two constructs of this target write ${path}`, fix: 'keep one collector of each kind per target, or put the other in another AuditChart' });
    }
    for (const [what, count] of [
      ['AuditPolicy', this.children(AuditPolicy).length],
      ['LogBackend', this.children(LogBackend).length],
      ['WebhookBackend', this.children(WebhookBackend).length],
      ['DynamicBackend', this.children(DynamicBackend).length],
    ] as const) {
      if (count > 1) problems.push({ severity: 'error', code: 'duplicate-construct', path: '', message: `an apiserver has one ${what}, this target has ${count}`, fix: `keep one ${what}, or put the others in another AuditChart` });
    }
    if (!this.policy && (this.logBackend || this.webhookBackend)) {
      problems.push({ severity: 'error', code: 'no-policy', path: '', message: 'backends are configured but there is no AuditPolicy, so the apiserver would audit nothing', fix: 'add an AuditPolicy to this target' });
    }
    if (this.apiserver === 'aggregated' && this.dynamicBackend) {
      problems.push({ severity: 'error', code: 'dynamic-aggregated', path: '', message: 'AuditSinks are served by kube-apiserver, not by aggregated apiservers', fix: 'move the DynamicBackend to the kube-apiserver target' });
    }
    // Flag problems are reported here unless they belong to a backend construct, which reports its own.
    const flagProblems = this.auditFlags().problems.filter((problem) => !/^(log|webhook|dynamic)\b/.test(problem.path) && problem.path !== 'policyFile');
    problems.push(...flagProblems.map((problem) => ({ ...problem, file: 'apiserver-flags.txt' })));
    const relative = [this.policy?.nodePath, this.webhookBackend?.options.configFile, this.logBackend?.path].filter((path): path is string => path !== undefined && path !== '-' && !path.startsWith('/'));
    for (const path of relative) {
      problems.push({ severity: 'error', code: 'relative-node-path', path: '', file: 'apiserver-flags.txt', message: `${path} is a relative path; the apiserver would resolve it against its own working directory and no volume can be mounted for it`, fix: `use an absolute path such as /etc/kubernetes/${path}` });
    }
    if (relative.length === 0) problems.push(...checkFlagPaths(this.auditFlags().flags, this.files(false), this.hostMounts()));
    return problems;
  }

  /** The files of this target except `manifest.json` and `README.md`, sorted by path. */
  files(includeGenerated = true): SynthFile[] {
    const files: SynthFile[] = [];
    const policy = this.policy;
    if (policy) files.push(policy.file);
    const webhook = this.webhookBackend;
    if (webhook) files.push(webhook.file);
    for (const consumer of this.consumers) files.push(...consumer.files);
    const objects = this.objects;
    if (objects.length > 0) {
      files.push({ path: 'kubernetes/objects.yaml', contents: toYamlDocuments(objects), purpose: 'Kubernetes objects to apply with kubectl apply -f' });
    }
    if (includeGenerated) files.push(...this.applyFiles());
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** The flags in every form people apply them. */
  private applyFiles(): SynthFile[] {
    const flags = this.auditFlags().flags;
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
      { path: 'kubeadm-cluster-configuration.yaml', contents: toYaml(kubeadmClusterConfiguration(flags, mounts, kubeadmVersion)), purpose: 'kubeadm ClusterConfiguration with the audit extraArgs and extraVolumes' },
      { path: 'kube-apiserver.patch.json', contents: toJson(podJsonPatch(flags, mounts, STATIC_POD_TARGET)), purpose: 'JSON patch for /etc/kubernetes/manifests/kube-apiserver.yaml' },
    );
    const nodeFiles = this.files(false)
      .filter((file) => file.nodePath !== undefined)
      .map((file) => ({ nodePath: file.nodePath as string, localPath: `./${file.path}` }));
    files.push({ path: 'kind-cluster.yaml', contents: toYaml(kindClusterConfig(flags, mounts, nodeFiles, kubeadmVersion, toYaml)), purpose: 'kind cluster config (run kind from this folder)' });
    return files;
  }
}

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

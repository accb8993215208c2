// fluentd reading the apiserver's audit log file, as a construct that checks it reads what the
// apiserver writes.
import { posix } from 'node:path';
import { Construct, type IConstruct } from 'constructs';
import { registerContributor, type TargetContribution, type TargetContributor } from './contribution.js';
import { fluentd } from '@k8s-gen/collectors';
import { findTarget, type AuditTargetInfo } from './target.js';
import type { Problem } from './problems.js';
import { toYaml } from './serialize.js';
import { addCheck, type KubeObject, type SynthFile } from './tree.js';

const { auditLogByNamespace, auditLogByNamespaceInCluster, paramValue, valueText, writeFluentd } = fluentd;
type AuditTimeField = fluentd.AuditTimeField;
type FluentConfig = fluentd.FluentConfig;
type FluentElement = fluentd.FluentElement;
type FluentdInCluster = fluentd.FluentdInCluster;

/** Running fluentd in the cluster (a DaemonSet on the control-plane nodes) instead of on the host. */
export interface FluentdInClusterProps {
  /** Name of the ConfigMap holding `fluent.conf`. */
  readonly configMapName: string;
  /** Namespace of the ConfigMap and the DaemonSet. Default `kube-system`. */
  readonly namespace?: string;
  /** Host directory for the position file and outputs, mounted writable. Default `/var/lib/fluentd-audit`. */
  readonly stateDir?: string;
}

/** Options of {@link FluentdCollector}. */
export interface FluentdCollectorProps {
  /**
   * The file fluentd tails. Default: the path of the target's {@link LogBackend} (one created before
   * this collector), else `/var/log/kubernetes/audit/audit.log`; a mismatch is reported at synth.
   */
  readonly logPath?: string;
  /** in_tail's position file. Default `/var/log/audit.pos` (in cluster: `<stateDir>/audit.pos`). */
  readonly posFile?: string;
  /** Tag of the events read. Default `audit`. */
  readonly tag?: string;
  /** Per-namespace outputs; `${tag}` becomes the namespace. Default `/var/log/audit-${tag}.*.log`. */
  readonly outputPathPattern?: string;
  /** Event field holding the time. Default `stageTimestamp`. */
  readonly timeField?: AuditTimeField;
  /** `section` (fluentd v1 `<parse>`, default) or `legacy` (`format json` as in the old docs). */
  readonly parseStyle?: 'section' | 'legacy';
  /** Also emit a ConfigMap and DaemonSet-ready volumes. */
  readonly inCluster?: FluentdInClusterProps;
  /** A config of your own instead of the by-namespace preset; it is still checked against the flags. */
  readonly config?: FluentConfig;
}

/**
 * fluentd on the apiserver's node reading the JSON audit log and splitting it into one file per
 * namespace (the by-namespace preset: tail, record_transformer, rewrite_tag_filter, forest/file).
 * At synth it checks that the file it tails is the `--audit-log-path` of the target and that it
 * parses the `--audit-log-format` the apiserver writes. With `inCluster` it also emits the config
 * as a ConfigMap plus the volumes and mounts a DaemonSet needs.
 *
 * @example
 * const target = new AuditChart(app, 'cluster', { kubernetesVersion: '1.20' });
 * new LogBackend(target, 'Log', { path: '/var/log/kube-audit', format: 'json' });
 * new FluentdCollector(target, 'Fluentd'); // tails /var/log/kube-audit
 */
export class FluentdCollector extends Construct implements TargetContributor {
  /** The fluentd config as data (undefined when the options were refused; see the synth errors). */
  readonly config?: FluentConfig;
  /** The in-cluster objects and volumes, when `inCluster` is set. */
  readonly inCluster?: FluentdInCluster;
  private readonly refusals: Problem[] = [];
  private readonly text?: string;

  constructor(scope: Construct, id: string, props: FluentdCollectorProps = {}) {
    super(scope, id);
    const logPath = props.logPath ?? targetLogPath(this);
    const stateDir = props.inCluster?.stateDir ?? '/var/lib/fluentd-audit';
    const options = {
      logPath,
      posFile: props.posFile ?? (props.inCluster ? `${stateDir}/audit.pos` : '/var/log/audit.pos'),
      tag: props.tag ?? 'audit',
      outputPathPattern: props.outputPathPattern ?? (props.inCluster ? `${stateDir}/audit-\${tag}.*.log` : '/var/log/audit-${tag}.*.log'),
      format: 'json' as const,
      ...(props.timeField ? { timeField: props.timeField } : {}),
      ...(props.parseStyle ? { parseStyle: props.parseStyle } : {}),
    };
    // The collector language checks every option where it enters and returns what it refuses as
    // problems; they are reported at synth, named after the prop and the file.
    const inFile = (problems: readonly Problem[]): Problem[] => problems.map((problem) => ({ ...problem, file: 'fluentd/fluent.conf' }));
    if (props.inCluster) {
      const inCluster = auditLogByNamespaceInCluster({
        ...options,
        configMapName: props.inCluster.configMapName,
        namespace: props.inCluster.namespace ?? 'kube-system',
        hostLogDir: posix.dirname(logPath),
        stateDir,
      });
      if (inCluster.ok) this.inCluster = inCluster.value;
      else this.refusals.push(...inFile(inCluster.problems));
    }
    if (props.config !== undefined) this.config = props.config;
    else if (this.refusals.length === 0) {
      const preset = auditLogByNamespace(options);
      if (preset.ok) this.config = preset.value.config;
      else this.refusals.push(...inFile(preset.problems));
    }
    if (this.config !== undefined && this.refusals.length === 0) {
      // Written now, so that a config given as a prop is refused here, not halfway through synth.
      const written = writeFluentd(this.config);
      if (written.ok) this.text = written.value;
      else this.refusals.push(...inFile(written.problems));
    }
    addCheck(this, () => this.refusals);
    registerContributor(this);
    addCheck(this, () => {
      const target = findTarget(this);
      return target === undefined ? [] : this.consistencyProblems(target);
    });
  }

  /** The files fluentd reads on its own: paths of every tail source. */
  get tailedPaths(): string[] {
    return tailSources(this.config).map((source) => {
      const path = paramValue(source, 'path');
      return path === undefined ? '' : valueText(path);
    });
  }

  /** The format each tail source parses (`json`, `none`, ...). */
  get parsedFormats(): string[] {
    return tailSources(this.config).map((source) => {
      const section = source.body.find((node): node is FluentElement => node.kind === 'element' && node.name === 'parse');
      const value = section ? paramValue(section, '@type') : paramValue(source, 'format');
      return value === undefined ? '' : valueText(value);
    });
  }

  /** `fluentd/fluent.conf`, and the DaemonSet volumes when running in the cluster. */
  get files(): SynthFile[] {
    if (this.text === undefined) return [];
    const files: SynthFile[] = [{ path: 'fluentd/fluent.conf', contents: this.text, purpose: 'fluentd config: tails the audit log, one file per namespace (fluentd -c fluent.conf)' }];
    if (this.inCluster) {
      files.push({
        path: 'fluentd/daemonset-volumes.yaml',
        contents: toYaml({ volumes: this.inCluster.volumes, volumeMounts: this.inCluster.volumeMounts, configPath: this.inCluster.configPath }),
        purpose: 'volumes and volumeMounts for a fluentd DaemonSet on the control-plane nodes',
      });
    }
    return files;
  }

  /** The ConfigMap, when running in the cluster. */
  get objects(): KubeObject[] {
    return this.inCluster && this.text !== undefined ? [this.inCluster.configMap as unknown as KubeObject] : [];
  }

  /** The config file, and the ConfigMap when fluentd runs in the cluster. */
  contribute(): TargetContribution {
    return { files: this.files, objects: this.objects };
  }

  /** Checks that fluentd reads the file and format the apiserver writes. */
  consistencyProblems(target: AuditTargetInfo & IConstruct): Problem[] {
    if (!this.config) return [];
    const settings = target.settings().log;
    const log = settings === undefined ? undefined : { path: settings.path, format: settings.format ?? 'json' };
    const problems: Problem[] = [];
    const at = `[${target.node.path}] --audit-log-path`;
    for (const path of this.tailedPaths) {
      if (!log) {
        problems.push({ severity: 'error', code: 'fluentd-no-log-backend', path: '<source>.path', file: 'fluentd/fluent.conf', message: `fluentd tails ${path} but the apiserver has no log backend, so nothing writes it`, fix: `add a LogBackend with path ${path} to ${target.node.path}` });
      } else if (path !== log.path) {
        problems.push({ severity: 'error', code: 'fluentd-log-path', path: '<source>.path', file: 'fluentd/fluent.conf', message: `fluentd tails ${path} but ${at} is ${log.path}`, fix: `use one path for both: set the LogBackend path or FluentdCollector logPath to the same file` });
      }
    }
    if (log) {
      for (const format of this.parsedFormats) {
        if (format !== log.format) {
          problems.push({ severity: 'error', code: 'fluentd-log-format', path: '<source>.<parse>.@type', file: 'fluentd/fluent.conf', message: `fluentd parses ${format} but the apiserver writes --audit-log-format=${log.format}`, fix: `set the LogBackend format to '${format}' (the fluentd preset reads JSON only)` });
        }
      }
    }
    return problems;
  }
}

function tailSources(config: FluentConfig | undefined): FluentElement[] {
  if (!config) return [];
  return config.body.filter((node): node is FluentElement => node.kind === 'element' && node.name === 'source' && (paramValue(node, '@type') ?? paramValue(node, 'type')) === 'tail');
}

/** The log path the enclosing target's log backend writes, or the kubeadm default. */
function targetLogPath(construct: Construct): string {
  return findTarget(construct)?.settings().log?.path ?? '/var/log/kubernetes/audit/audit.log';
}

// Vector shipping the apiserver's audit events (the file source on the log, or the http_server
// source receiving the webhook), as a construct whose config follows its target: `max_line_bytes`
// from the truncate flags and the policy, the file and format it reads, where the webhook posts.
import { vector } from '@k8s-gen/collectors';
import type { IConstruct } from 'constructs';
import { inClusterProblems, logFileProblems, ShipperCollector, targetLogFile, webhookReceiverProblems, type CollectorIdentity, type ShipperBuild } from './collector-target.js';
import { DEFAULT_LOG_PATH } from './backends.js';
import { policyOf, type PolicySource } from './policy.js';
import type { Problem } from './problems.js';
import { toYaml } from './serialize.js';
import type { AuditTargetInfo } from './target.js';
import type { KubeObject, SynthFile } from './tree.js';

type VectorPreset = vector.VectorPreset;

/** One Vector sink, optionally with its own audit policy. */
export interface VectorCollectorSink {
  /** The sink's component id (not starting with `k8s_audit`). */
  readonly name: string;
  /** The sink type, e.g. `elasticsearch`, `loki`, `aws_s3`, `console`. */
  readonly type: string;
  /** The sink's options; the collector sets `inputs`. */
  readonly options: vector.VectorOptionsInput;
  /** An audit policy for this sink only, compiled to a VRL remap transform (drop, or lower the level). */
  readonly policy?: PolicySource;
}

/** Options of {@link VectorCollector}. */
export interface VectorCollectorProps {
  /** `file` (default): read the log backend's file; `http`: receive the webhook backend's POSTs. */
  readonly input?: 'file' | 'http';
  /** Where the events go; at least one. */
  readonly sinks: readonly VectorCollectorSink[];
  /** file: the file read. Default the target's `--audit-log-path` (a mismatch is reported at synth). */
  readonly logPath?: string;
  /** file: where to start without a checkpoint. Default `beginning`. */
  readonly readFrom?: 'beginning' | 'end';
  /** http: the port. Default 9000. */
  readonly port?: number;
  /** http: the address bound. Default `0.0.0.0`. */
  readonly listen?: string;
  /** http: serve TLS with these PEM files. */
  readonly tls?: { readonly certificate: string; readonly key: string };
  /** Vector's `data_dir`. Default `/var/lib/vector`. */
  readonly dataDir?: string;
  /** Also emit the config as a ConfigMap, and the volumes, mounts and args of a DaemonSet. */
  readonly inCluster?: vector.VectorInClusterOptions;
}

const FILE = 'vector/vector.yaml';
const IDENTITY: CollectorIdentity = { product: 'Vector', code: 'vector', file: FILE, construct: 'VectorCollector' };

/**
 * Vector shipping the target's audit events to its sinks, each optionally through its own audit
 * policy (a VRL remap). With `input: 'file'` it reads the log backend's file with `max_line_bytes`
 * sized from the target's truncate flags and policy (Vector discards longer lines), rotated files
 * excluded; with `input: 'http'` it receives the webhook's EventLists and splits them. At synth it
 * checks the log path and format, or that the webhook kubeconfig posts to its port and scheme.
 *
 * @example
 * const target = new AuditChart(app, 'cluster', { kubernetesVersion: '1.30' });
 * new LogBackend(target, 'Log', { path: '/var/log/kubernetes/audit/audit.log', truncate: { enabled: true } });
 * new VectorCollector(target, 'Vector', { sinks: [{ name: 'console', type: 'console', options: { encoding: { codec: 'json' } } }] });
 */
export class VectorCollector extends ShipperCollector<VectorPreset, VectorCollectorProps> {
  /** The URL the webhook backend posts to, given the address the apiserver reaches Vector at. */
  serverUrl(address: string): string {
    const preset = vector.vectorAuditWebhook({ ...this.commonOptions(undefined), ...this.httpOptions() });
    const url = preset.ok ? preset.value.listener?.serverUrl(address) : undefined;
    // A refused option or address is reported at synth; a URL of the same shape lets construction go on.
    return url?.ok ? url.value : `http://${address}:${this.props.port ?? 9000}/`;
  }

  private commonOptions(target: (AuditTargetInfo & IConstruct) | undefined) {
    const p = this.props;
    return {
      sinks: (Array.isArray(p.sinks) ? p.sinks : []).map((sink) => ({ name: sink.name, type: sink.type, options: sink.options, ...(sink.policy !== undefined ? { policy: policyOf(sink.policy) } : {}) })),
      ...(p.dataDir !== undefined ? { dataDir: p.dataDir } : {}),
      ...(target !== undefined ? { kubernetesVersion: target.version.text } : {}),
    };
  }

  private httpOptions() {
    const p = this.props;
    return { ...(p.port !== undefined ? { port: p.port } : {}), ...(p.listen !== undefined ? { listen: p.listen } : {}), ...(p.tls !== undefined ? { tls: p.tls } : {}) };
  }

  protected buildFor(target: (AuditTargetInfo & IConstruct) | undefined): ShipperBuild<VectorPreset> {
    const inFile = (problems: readonly Problem[]): Problem[] => problems.map((problem) => ({ ...problem, file: FILE }));
    const log = target === undefined ? undefined : targetLogFile(target);
    const preset =
      (this.props.input ?? 'file') === 'file'
        ? vector.vectorAuditLogFile({
            ...this.commonOptions(target),
            logPath: this.props.logPath ?? log?.path ?? DEFAULT_LOG_PATH,
            eventSize: log?.eventSize ?? { maxLevel: 'RequestResponse' },
            ...(this.props.readFrom !== undefined ? { readFrom: this.props.readFrom } : {}),
          })
        : vector.vectorAuditWebhook({ ...this.commonOptions(target), ...this.httpOptions() });
    const written = preset.ok ? vector.writeVector(preset.value.config) : preset;
    if (!preset.ok || !written.ok) return { files: [], objects: [], problems: inFile(written.problems) };
    const built = preset.value;
    const files: SynthFile[] = [{ path: FILE, contents: written.value, purpose: 'Vector config: ships the audit events to the sinks (vector --config vector.yaml)' }];
    const objects: KubeObject[] = [];
    if (this.props.inCluster !== undefined) {
      const packaged = vector.vectorInCluster(built, this.props.inCluster);
      if (!packaged.ok) return { files: [], objects: [], problems: inFile(inClusterProblems(packaged.problems)) };
      const { volumes, volumeMounts, args, containerPort } = packaged.value;
      files.push({ path: 'vector/daemonset-volumes.yaml', contents: toYaml({ volumes, volumeMounts, args, ...(containerPort !== undefined ? { containerPort } : {}) }), purpose: 'volumes, volumeMounts and args for a Vector DaemonSet on the control-plane nodes' });
      objects.push(packaged.value.configMap as unknown as KubeObject);
    }
    return {
      preset: built,
      files,
      objects,
      problems: inFile(built.warnings),
      consistency: (to) => (built.logPath !== undefined ? logFileProblems(IDENTITY, to, built.logPath, 'sources.k8s_audit_log.include[0]') : built.listener === undefined ? [] : webhookReceiverProblems(IDENTITY, to, built.listener, 'sources.k8s_audit_webhook.address')),
    };
  }
}

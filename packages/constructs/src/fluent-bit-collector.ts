// Fluent Bit shipping the apiserver's audit events (tailing the log, or receiving the webhook), as
// a construct whose config follows its target: the file and format it reads, the buffer that holds
// the largest event the target's truncate flags and policy allow, and the listener the webhook
// kubeconfig posts to are all checked at synth.
import { fluentbit } from '@k8s-gen/collectors';
import type { IConstruct } from 'constructs';
import { inClusterProblems, logFileProblems, ShipperCollector, targetLogFile, targetWebhookBody, webhookReceiverProblems, type CollectorIdentity, type ShipperBuild, type TargetEventSize } from './collector-target.js';
import { DEFAULT_LOG_PATH } from './backends.js';
import { policyOf, type PolicySource } from './policy.js';
import type { Problem } from './problems.js';
import { toYaml } from './serialize.js';
import type { AuditTargetInfo } from './target.js';
import type { KubeObject, SynthFile } from './tree.js';

type FluentBitPlugin = fluentbit.FluentBitPlugin;
type FluentBitPreset = fluentbit.FluentBitPreset;

/** The folder of the Fluent Bit files in the target's output. */
const FOLDER = 'fluent-bit';

/** One destination of the events, optionally with its own audit policy. */
export interface FluentBitCollectorSink {
  /** A short name (lower-case letters, digits and _), used in tags and script names. */
  readonly name: string;
  /** The output plugin, built with `fluentbit.output(...)`; the collector sets its `match`. */
  readonly output: FluentBitPlugin;
  /**
   * An audit policy for this sink only, compiled to a Lua filter that drops the events it does not
   * log and lowers the others to its level. The apiserver allows one policy; this gives each sink
   * its own (stricter) one downstream.
   */
  readonly policy?: PolicySource;
}

/** Options of {@link FluentBitCollector}. */
export interface FluentBitCollectorProps {
  /** `tail` (default): read the log backend's file; `http`: receive the webhook backend's POSTs. */
  readonly input?: 'tail' | 'http';
  /** Where the events go; at least one. */
  readonly sinks: readonly FluentBitCollectorSink[];
  /** The config format: `yaml` (Fluent Bit 2.0 and later, default) or `classic` (`.conf` and `parsers.conf`). */
  readonly format?: 'yaml' | 'classic';
  /** tail: the file read. Default the target's `--audit-log-path` (a mismatch is reported at synth). */
  readonly logPath?: string;
  /**
   * tail: the file is not written by this target's apiserver but landed by an export from a managed
   * control plane, e.g. the EKS audit events of CloudWatch Logs, one Event per line (EKS keeps the
   * apiserver's Event; GKE and AKS records are not Events). There are no flags to check it
   * against, so say what bounds its events.
   */
  readonly externalLog?: { readonly eventSize: TargetEventSize };
  /** tail: read a new file from its start. Default false. */
  readonly readFromHead?: boolean;
  /** http: the port. Default 9880. */
  readonly port?: number;
  /** http: the address bound. Default `0.0.0.0`. */
  readonly listen?: string;
  /** http: serve TLS with these PEM files. */
  readonly tls?: fluentbit.FluentBitTlsOptions;
  /** The tag of the events. Default `kube.audit`. */
  readonly tag?: string;
  /** `filesystem` (default, survives restarts) or `memory` chunk buffering. */
  readonly buffering?: 'filesystem' | 'memory';
  /** Where Fluent Bit keeps offsets and chunks. Default `/var/lib/fluent-bit`. */
  readonly stateDir?: string;
  /** Where the config, parsers and scripts are installed. Default `/fluent-bit/etc`. */
  readonly configDir?: string;
  /** Also emit the files as a ConfigMap, and the volumes and mounts of a DaemonSet. */
  readonly inCluster?: { readonly configMapName: string; readonly namespace?: string };
}

const IDENTITY: CollectorIdentity = { product: 'Fluent Bit', code: 'fluentbit', file: `${FOLDER}/fluent-bit.yaml`, construct: 'FluentBitCollector' };

/**
 * Fluent Bit shipping the target's audit events to one or more sinks, each optionally through its
 * own audit policy (a Lua filter). With `input: 'tail'` it reads the log backend's file, with a
 * line buffer (`buffer_max_size`) sized from the target's `--audit-log-truncate-*` flags and the
 * most detailed level of its policy, rotated files excluded, offsets in a database; with
 * `input: 'http'` it receives the webhook backend's EventLists and splits them into events. At
 * synth it checks that it reads the target's `--audit-log-path` in JSON, or that the webhook
 * kubeconfig posts to its port, scheme and path.
 *
 * @example
 * const target = new AuditChart(app, 'cluster', { kubernetesVersion: '1.30' });
 * new AuditPolicy(target, 'Policy', { policy: docsExamplePolicy() });
 * new LogBackend(target, 'Log', { path: '/var/log/kubernetes/audit/audit.log', truncate: { enabled: true } });
 * new FluentBitCollector(target, 'FluentBit', { sinks: [{ name: 'stdout', output: fluentbit.output('stdout', { format: 'json_lines' }) }] });
 */
export class FluentBitCollector extends ShipperCollector<FluentBitPreset, FluentBitCollectorProps> {
  /** Which input reads the events. */
  get input(): 'tail' | 'http' {
    return this.props.input ?? 'tail';
  }

  /**
   * The URL the webhook backend posts to, given the address the apiserver reaches Fluent Bit at:
   * scheme, port and the path that becomes the tag. Use it as the WebhookBackend's `server`.
   */
  serverUrl(address: string): string {
    // The listener does not depend on the body size, so the defaults stand in for the target's.
    const preset = fluentbit.auditWebhookHttp({ ...this.commonOptions(undefined), ...this.httpOptions(), bodySize: { eventSize: { maxLevel: 'RequestResponse' } } });
    const url = preset.ok ? preset.value.listener?.serverUrl(address) : undefined;
    // A refused option or address is reported at synth; a URL of the same shape lets construction go on.
    return url?.ok ? url.value : `http://${address}:${this.props.port ?? 9880}/${this.props.tag ?? 'kube.audit'}`;
  }

  private commonOptions(target: (AuditTargetInfo & IConstruct) | undefined) {
    const p = this.props;
    return {
      sinks: (Array.isArray(p.sinks) ? p.sinks : []).map((sink) => ({ name: sink.name, output: sink.output, ...(sink.policy !== undefined ? { policy: policyOf(sink.policy) } : {}) })),
      ...(p.tag !== undefined ? { tag: p.tag } : {}),
      ...(p.buffering !== undefined ? { buffering: p.buffering } : {}),
      ...(p.stateDir !== undefined ? { stateDir: p.stateDir } : {}),
      ...(p.configDir !== undefined ? { configDir: p.configDir } : {}),
      ...(target !== undefined ? { kubernetesVersion: target.version.text } : {}),
    };
  }

  private httpOptions() {
    const p = this.props;
    return { ...(p.port !== undefined ? { port: p.port } : {}), ...(p.listen !== undefined ? { listen: p.listen } : {}), ...(p.tls !== undefined ? { tls: p.tls } : {}) };
  }

  protected buildFor(target: (AuditTargetInfo & IConstruct) | undefined): ShipperBuild<FluentBitPreset> {
    const format = this.props.format ?? 'yaml';
    const file = format === 'yaml' ? `${FOLDER}/${fluentbit.FLUENT_BIT_CONFIG_KEYS.yaml}` : `${FOLDER}/${fluentbit.FLUENT_BIT_CONFIG_KEYS.classic}`;
    const inFile = (problems: readonly Problem[]): Problem[] => problems.map((problem) => ({ ...problem, file }));
    const external = this.props.externalLog;
    const log = target === undefined || this.input !== 'tail' || external !== undefined ? undefined : targetLogFile(target);
    const preset =
      this.input === 'tail'
        ? fluentbit.auditLogTail({
            ...this.commonOptions(target),
            logPath: this.props.logPath ?? log?.path ?? DEFAULT_LOG_PATH,
            eventSize: external?.eventSize ?? log?.eventSize ?? { maxLevel: 'RequestResponse' },
            ...(this.props.readFromHead !== undefined ? { readFromHead: this.props.readFromHead } : {}),
          })
        : fluentbit.auditWebhookHttp({ ...this.commonOptions(target), ...this.httpOptions(), bodySize: target === undefined ? { eventSize: { maxLevel: 'RequestResponse' } } : targetWebhookBody(target) });
    if (!preset.ok) return { files: [], objects: [], problems: inFile(preset.problems) };
    // Packaged for the cluster, or written as files for the host: one writer either way.
    const packaged = fluentbit.fluentBitInCluster(preset.value, { format, configMapName: this.props.inCluster?.configMapName ?? 'fluent-bit-audit', ...(this.props.inCluster?.namespace !== undefined ? { namespace: this.props.inCluster.namespace } : {}) });
    if (!packaged.ok) return { files: [], objects: [], problems: inFile(inClusterProblems(packaged.problems)) };
    const purposes: Record<string, string> = {
      [fluentbit.FLUENT_BIT_CONFIG_KEYS.yaml]: `Fluent Bit config (fluent-bit -c ${preset.value.configDir}/${fluentbit.FLUENT_BIT_CONFIG_KEYS.yaml})`,
      [fluentbit.FLUENT_BIT_CONFIG_KEYS.classic]: `Fluent Bit config (fluent-bit -c ${preset.value.configDir}/${fluentbit.FLUENT_BIT_CONFIG_KEYS.classic})`,
      [fluentbit.FLUENT_BIT_CONFIG_KEYS.parsers]: 'Fluent Bit parsers: the audit event JSON parser',
    };
    const files: SynthFile[] = Object.entries(packaged.value.files).map(([name, contents]) => ({ path: `${FOLDER}/${name}`, contents, purpose: purposes[name] ?? `Lua filter loaded by Fluent Bit from ${preset.value.configDir}/${name}` }));
    if (this.props.inCluster !== undefined) {
      const { volumes, volumeMounts, args, containerPort } = packaged.value;
      files.push({ path: `${FOLDER}/daemonset-volumes.yaml`, contents: toYaml({ volumes, volumeMounts, args, ...(containerPort !== undefined ? { containerPort } : {}) }), purpose: 'volumes, volumeMounts and args for a Fluent Bit DaemonSet on the control-plane nodes' });
    }
    const built = preset.value;
    return {
      preset: built,
      files,
      objects: this.props.inCluster !== undefined ? [packaged.value.configMap as unknown as KubeObject] : [],
      problems: inFile(built.warnings),
      consistency: (to) => this.consistencyProblems(to, built),
    };
  }

  /** Checks that Fluent Bit reads what the target's apiserver writes, or receives what it posts. */
  private consistencyProblems(target: AuditTargetInfo & IConstruct, preset: FluentBitPreset): Problem[] {
    const who = { ...IDENTITY, file: `${FOLDER}/${this.props.format === 'classic' ? fluentbit.FLUENT_BIT_CONFIG_KEYS.classic : fluentbit.FLUENT_BIT_CONFIG_KEYS.yaml}` };
    if (preset.logPath !== undefined) return this.props.externalLog !== undefined ? [] : logFileProblems(who, target, preset.logPath, 'pipeline.inputs[0].path');
    return preset.listener === undefined ? [] : webhookReceiverProblems(who, target, preset.listener, 'pipeline.inputs[0].port');
  }
}

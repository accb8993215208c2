// The OpenTelemetry Collector reading the apiserver's audit log (the filelog receiver with a JSON
// parser) and exporting it over OTLP, as a construct whose config follows its target:
// `max_log_size` from the truncate flags and the policy, the file and format it reads.
import { otel } from '@k8s-gen/collectors';
import type { IConstruct } from 'constructs';
import { inClusterProblems, logFileProblems, ShipperCollector, targetLogFile, type CollectorIdentity, type ShipperBuild } from './collector-target.js';
import { DEFAULT_LOG_PATH } from './backends.js';
import type { Problem } from './problems.js';
import { toYaml } from './serialize.js';
import type { AuditTargetInfo } from './target.js';
import type { KubeObject, SynthFile } from './tree.js';

type OtelPreset = otel.OtelPreset;

/** Options of {@link OtelCollector}. */
export interface OtelCollectorProps {
  /** Where the events go: OTLP over gRPC (`otlp`) or HTTP (`otlphttp`). */
  readonly exporter: otel.OtelAuditExporter;
  /** The file read. Default the target's `--audit-log-path` (a mismatch is reported at synth). */
  readonly logPath?: string;
  /** The file_storage folder keeping the offsets. Default `/var/lib/otelcol/file_storage`. */
  readonly storageDir?: string;
  /** Where to start without a stored offset. Default `beginning`. */
  readonly startAt?: 'beginning' | 'end';
  /** The memory limiter's limit in MiB. Default 512. */
  readonly memoryLimitMiB?: number;
  /** Also emit the config as a ConfigMap, and the volumes, mounts and args of a DaemonSet. */
  readonly inCluster?: otel.OtelInClusterOptions;
}

const FILE = 'otel/collector.yaml';
const IDENTITY: CollectorIdentity = { product: 'the OpenTelemetry Collector', code: 'otel', file: FILE, construct: 'OtelCollector' };

/**
 * The OpenTelemetry Collector (contrib) tailing the target's audit log with the filelog receiver,
 * parsing each line as JSON (timed by `stageTimestamp`) and exporting over OTLP; `max_log_size` is
 * sized from the target's truncate flags and policy, rotated files are excluded, offsets are kept
 * by the file_storage extension. At synth it checks the log path and format against the target.
 *
 * @example
 * const target = new AuditChart(app, 'cluster', { kubernetesVersion: '1.30' });
 * new LogBackend(target, 'Log', { path: '/var/log/kubernetes/audit/audit.log' });
 * new OtelCollector(target, 'Otel', { exporter: { protocol: 'otlp', endpoint: 'otel-gateway:4317' } });
 */
export class OtelCollector extends ShipperCollector<OtelPreset, OtelCollectorProps> {
  protected buildFor(target: (AuditTargetInfo & IConstruct) | undefined): ShipperBuild<OtelPreset> {
    const inFile = (problems: readonly Problem[]): Problem[] => problems.map((problem) => ({ ...problem, file: FILE }));
    const p = this.props;
    const log = target === undefined ? undefined : targetLogFile(target);
    const preset = otel.otelAuditLogFile({
      exporter: p.exporter,
      logPath: p.logPath ?? log?.path ?? DEFAULT_LOG_PATH,
      eventSize: log?.eventSize ?? { maxLevel: 'RequestResponse' },
      ...(p.storageDir !== undefined ? { storageDir: p.storageDir } : {}),
      ...(p.startAt !== undefined ? { startAt: p.startAt } : {}),
      ...(p.memoryLimitMiB !== undefined ? { memoryLimitMiB: p.memoryLimitMiB } : {}),
    });
    const written = preset.ok ? otel.writeOtelCollector(preset.value.config) : preset;
    if (!preset.ok || !written.ok) return { files: [], objects: [], problems: inFile(written.problems) };
    const built = preset.value;
    const files: SynthFile[] = [{ path: FILE, contents: written.value, purpose: 'OpenTelemetry Collector (contrib) config: the audit log to OTLP (otelcol-contrib --config collector.yaml)' }];
    const objects: KubeObject[] = [];
    if (p.inCluster !== undefined) {
      const packaged = otel.otelInCluster(built, p.inCluster);
      if (!packaged.ok) return { files: [], objects: [], problems: inFile(inClusterProblems(packaged.problems)) };
      const { volumes, volumeMounts, args } = packaged.value;
      files.push({ path: 'otel/daemonset-volumes.yaml', contents: toYaml({ volumes, volumeMounts, args }), purpose: 'volumes, volumeMounts and args for an OpenTelemetry Collector DaemonSet on the control-plane nodes' });
      objects.push(packaged.value.configMap as unknown as KubeObject);
    }
    return {
      preset: built,
      files,
      objects,
      problems: inFile(built.warnings),
      consistency: (to) => logFileProblems(IDENTITY, to, built.logPath, 'receivers.filelog/k8s_audit.include[0]'),
    };
  }
}

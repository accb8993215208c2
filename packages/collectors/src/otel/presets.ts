/**
 * A ready-made OpenTelemetry Collector pipeline for the apiserver's audit log: the filelog
 * receiver with a JSON parser, offsets in a file_storage extension, and an OTLP (gRPC) or OTLP/HTTP
 * exporter, as a typed function.
 */
import type { Problem } from '@k8s-gen/runtime';
import { largestAuditEvent, lineBufferBytes, rotatedLogPatterns, type AuditEventSizeLimits } from '../audit-log-files.js';
import { choiceOption, pathOption, refuseOption, type PathRule } from '../options.js';
import { collectProblems, type CollectorResult } from '../problems.js';
import type { SettingEnvRef } from '../settings.js';
import { quoted } from '../text.js';
import { exporter, extension, otelConfig, pipeline, processor, receiver, type OtelConfig, type OtelSettingsInput } from './ast.js';

/** Where the events go. */
export interface OtelAuditExporter {
  /** `otlp` (gRPC, `host:port`) or `otlphttp` (an `http(s)://` URL). */
  readonly protocol: 'otlp' | 'otlphttp';
  readonly endpoint: string;
  /** Send without TLS (`tls.insecure`); only for a collector on the same host or network. Default false. */
  readonly insecure?: boolean;
  /** A CA file the server certificate must chain to. */
  readonly caFile?: string;
  /** Request headers, e.g. `{ authorization: envRef('OTLP_AUTH') }`; secrets as environment references. */
  readonly headers?: Readonly<Record<string, string | SettingEnvRef>>;
}

/** Options of {@link otelAuditLogFile}. */
export interface OtelAuditLogFileOptions {
  /** The audit log file; must equal kube-apiserver's `--audit-log-path` (JSON format). */
  readonly logPath: string;
  /** What bounds the apiserver's events (truncation, the policy's highest level); decides `max_log_size`. */
  readonly eventSize: AuditEventSizeLimits;
  /** `max_log_size` when events are unbounded (a longer entry is cut, and then is not JSON). Default 16 MiB. */
  readonly unboundedLineBuffer?: number;
  readonly exporter: OtelAuditExporter;
  /** The file_storage folder keeping the read offsets. Default `/var/lib/otelcol/file_storage`. */
  readonly storageDir?: string;
  /** Where to start in a log without a stored offset. Default `beginning`. */
  readonly startAt?: 'beginning' | 'end';
  /** The memory limiter's limit in MiB. Default 512. */
  readonly memoryLimitMiB?: number;
  readonly comments?: boolean;
}

/** What the OpenTelemetry preset gives. */
export interface OtelPreset {
  readonly config: OtelConfig;
  /** `max_log_size` in bytes. */
  readonly maxLogSize: number;
  readonly warnings: readonly Problem[];
  readonly logPath: string;
  readonly storageDir: string;
}

/**
 * The Go time layout of audit.k8s.io/v1 timestamps (RFC 3339 with fractional seconds): `Z` is
 * read as the UTC zone, which the strptime layouts only match literally.
 */
export const AUDIT_TIME_LAYOUT = '2006-01-02T15:04:05.999999999Z07:00';

const FILE_PATH_RULES: readonly PathRule[] = [{ pattern: /[*?[\]{}]/, reason: 'filelog globs include (doublestar), so it would read other files than the apiserver writes (rotated ones among them)', fix: 'give the one file kube-apiserver writes (--audit-log-path)' }];
const OTLP_ENDPOINT = /^[A-Za-z0-9.-]+:[0-9]{1,5}$|^\[[0-9A-Fa-f:.]+\]:[0-9]{1,5}$/;
const HTTP_ENDPOINT = /^https?:\/\/(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?(?:\/[A-Za-z0-9._~/-]*)?$/;
const HEADER = /^[A-Za-z0-9-]+$/;

/**
 * The collector reading the apiserver's JSON audit log with the filelog receiver: `max_log_size`
 * (1 MiB by default: a longer entry is cut, and the cut JSON fails to parse) is set to the largest
 * event the apiserver can write with the given truncation and level; the rotated files are
 * excluded; offsets are kept in a file_storage extension so a restart resumes; each line is parsed
 * into the log body, timed by `stageTimestamp`; a memory limiter and a batch processor stand
 * before the exporter. Never throws.
 *
 * @example
 * ```ts
 * const preset = otelAuditLogFile({ logPath: '/var/log/kubernetes/audit/audit.log', eventSize: { truncateMaxEventSize: 102400, maxLevel: 'RequestResponse' }, exporter: { protocol: 'otlp', endpoint: 'collector.observability:4317' } });
 * if (preset.ok) writeOtelCollector(preset.value.config);
 * ```
 */
export function otelAuditLogFile(options: OtelAuditLogFileOptions): CollectorResult<OtelPreset> {
  return collectProblems((problems) => {
    const logPath = pathOption(problems, 'logPath', options.logPath, FILE_PATH_RULES, '/var/log/kubernetes/audit/audit.log');
    const storageDir = pathOption(problems, 'storageDir', options.storageDir ?? '/var/lib/otelcol/file_storage', [], '/var/lib/otelcol/file_storage')?.replace(/\/$/, '');
    const startAt = choiceOption(problems, 'startAt', options.startAt ?? 'beginning', ['beginning', 'end']);
    const level = choiceOption(problems, 'eventSize.maxLevel', options.eventSize?.maxLevel, ['None', 'Metadata', 'Request', 'RequestResponse']);
    const max = options.eventSize?.truncateMaxEventSize;
    if (max !== undefined && (!Number.isInteger(max) || max < 1)) refuseOption(problems, 'eventSize.truncateMaxEventSize', `eventSize.truncateMaxEventSize ${quoted(max)} is not a positive number of bytes`, 'give --audit-log-truncate-max-event-size in bytes');
    const unbounded = options.unboundedLineBuffer ?? 16 * 1_048_576;
    if (!Number.isInteger(unbounded) || unbounded < 1_048_576) refuseOption(problems, 'unboundedLineBuffer', `unboundedLineBuffer ${quoted(unbounded)} is not a number of bytes of at least 1 MiB`, 'give the size in bytes');
    const memory = options.memoryLimitMiB ?? 512;
    if (!Number.isInteger(memory) || memory < 32) refuseOption(problems, 'memoryLimitMiB', `memoryLimitMiB ${quoted(memory)} is not a whole number of MiB of at least 32`, 'give the limit in MiB, e.g. 512');
    const out = options.exporter;
    const protocol = choiceOption(problems, 'exporter.protocol', out?.protocol, ['otlp', 'otlphttp']);
    if (protocol === 'otlp' && (typeof out.endpoint !== 'string' || !OTLP_ENDPOINT.test(out.endpoint))) refuseOption(problems, 'exporter.endpoint', `exporter.endpoint ${quoted(out.endpoint)} is not host:port`, 'give the gRPC endpoint as host:port, e.g. collector:4317');
    if (protocol === 'otlphttp' && (typeof out.endpoint !== 'string' || !HTTP_ENDPOINT.test(out.endpoint))) refuseOption(problems, 'exporter.endpoint', `exporter.endpoint ${quoted(out.endpoint)} is not an http(s) URL`, 'give the URL, e.g. https://otlp.example:4318');
    const caFile = out?.caFile === undefined ? undefined : pathOption(problems, 'exporter.caFile', out.caFile, [], '/etc/otelcol/ca.crt');
    for (const name of Object.keys(out?.headers ?? {})) if (!HEADER.test(name)) refuseOption(problems, `exporter.headers.${name}`, `${quoted(name)} is not an HTTP header name`, 'use letters, digits and -');
    if (logPath === undefined || storageDir === undefined || startAt === undefined || level === undefined || protocol === undefined || problems.length > 0) return undefined;
    const bound = largestAuditEvent(max === undefined ? { maxLevel: level } : { maxLevel: level, truncateMaxEventSize: max });
    const maxLogSize = lineBufferBytes(bound, unbounded);
    const warnings: Problem[] = bound.kind === 'unbounded' ? [{ severity: 'warning', code: 'otel-unbounded-events', path: 'eventSize', message: `${bound.reason}; entries longer than ${maxLogSize} bytes are cut and fail to parse`, fix: 'enable --audit-log-truncate-enabled, or raise unboundedLineBuffer' }] : [];
    const comments = options.comments ?? true;
    const note = (text: string): string | undefined => (comments ? text : undefined);
    const tls: OtelSettingsInput = { insecure: out.insecure === true, ...(caFile !== undefined ? { ca_file: caFile } : {}) };
    const exporterId = `${protocol}/k8s_audit`;
    const config = otelConfig({
      ...(comments ? { header: ['k8s-gen: the OpenTelemetry Collector reading the kube-apiserver audit log; generated, do not edit'] } : {}),
      extensions: [extension('file_storage/k8s_audit', { directory: storageDir, create_directory: true }, note('keeps how far the audit log was read, so a restart resumes there'))],
      receivers: [
        receiver(
          'filelog/k8s_audit',
          {
            include: [logPath],
            exclude: rotatedLogPatterns(logPath),
            start_at: startAt,
            max_log_size: maxLogSize,
            storage: 'file_storage/k8s_audit',
            operators: [{ type: 'json_parser', parse_to: 'body', timestamp: { parse_from: 'body.stageTimestamp', layout_type: 'gotime', layout: AUDIT_TIME_LAYOUT } }],
          },
          note(`the file kube-apiserver writes with --audit-log-path; entries up to ${maxLogSize} bytes (${bound.reason})`),
        ),
      ],
      processors: [processor('memory_limiter/k8s_audit', { check_interval: '1s', limit_mib: memory, spike_limit_mib: Math.floor(memory / 5) }), processor('batch/k8s_audit')],
      exporters: [exporter(exporterId, { endpoint: out.endpoint, tls, ...(out.headers !== undefined ? { headers: { ...out.headers } } : {}) })],
      pipelines: [pipeline('logs/k8s_audit', ['filelog/k8s_audit'], ['memory_limiter/k8s_audit', 'batch/k8s_audit'], [exporterId])],
    });
    return { config, maxLogSize, warnings, logPath, storageDir };
  });
}

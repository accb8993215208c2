/**
 * Ready-made Vector topologies for kube-apiserver audit events, as typed functions: the file
 * source on the log backend and the http_server source for the webhook backend, each shipping to
 * any number of sinks, each sink optionally through its own audit policy compiled to VRL.
 */
import type { Policy } from '@k8s-gen/audit';
import type { Problem } from '@k8s-gen/runtime';
import { largestAuditEvent, lineBufferBytes, rotatedLogPatterns, type AuditEventSizeLimits } from '../audit-log-files.js';
import { choiceOption, pathOption, portOption, refuseOption, type PathRule } from '../options.js';
import { collectProblems, failed, succeeded, type CollectorResult } from '../problems.js';
import { quoted } from '../text.js';
import { policyToVrlFilter } from '../policy-filter/compile.js';
import { componentIdProblem, sink, source, transform, vectorConfig, vrl, type VectorComponent, type VectorConfig, type VectorOptionsInput } from './ast.js';

/** Where a sink's events go, and which of them. */
export interface VectorSink {
  /** The sink's component id (not starting with `k8s_audit`, which the presets use). */
  readonly name: string;
  /** The sink type, e.g. `elasticsearch`, `loki`, `aws_s3`, `console`. */
  readonly type: string;
  /** The sink's options; the preset sets `inputs`. */
  readonly options: VectorOptionsInput;
  /** An audit policy applied to this sink's events only, compiled to a VRL remap transform. */
  readonly policy?: Policy;
}

/** Options both presets share. */
export interface VectorAuditOptions {
  readonly sinks: readonly VectorSink[];
  /** Vector's `data_dir` (file checkpoints, disk buffers). Default `/var/lib/vector`. */
  readonly dataDir?: string;
  /** The Kubernetes release whose policy semantics the sinks' policies follow. Default the newest. */
  readonly kubernetesVersion?: string;
  /** Add explanatory comments (default true). */
  readonly comments?: boolean;
}

/** Options of {@link vectorAuditLogFile}. */
export interface VectorAuditLogFileOptions extends VectorAuditOptions {
  /** The audit log file; must equal kube-apiserver's `--audit-log-path` (JSON format). */
  readonly logPath: string;
  /** What bounds the apiserver's events (truncation, the policy's highest level); decides `max_line_bytes`. */
  readonly eventSize: AuditEventSizeLimits;
  /** `max_line_bytes` when events are unbounded; longer lines are discarded. Default 16 MiB. */
  readonly unboundedLineBuffer?: number;
  /** Where to start in a log without a checkpoint. Default `beginning`. */
  readonly readFrom?: 'beginning' | 'end';
}

/** Options of {@link vectorAuditWebhook}. */
export interface VectorAuditWebhookOptions extends VectorAuditOptions {
  /** Port of the http_server source. Default 9000. */
  readonly port?: number;
  /** Address it binds. Default `0.0.0.0`. */
  readonly listen?: string;
  /** Serve over TLS. */
  readonly tls?: { readonly certificate: string; readonly key: string };
}

/** Where the http_server source listens; the source of truth for the webhook kubeconfig. */
export interface VectorListener {
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly port: number;
  readonly path: string;
  serverUrl(address: string): CollectorResult<string>;
}

/** What a Vector preset gives. */
export interface VectorPreset {
  readonly config: VectorConfig;
  /** `max_line_bytes` (file preset). */
  readonly maxLineBytes?: number;
  readonly warnings: readonly Problem[];
  readonly listener?: VectorListener;
  readonly logPath?: string;
  readonly dataDir: string;
}

/** The VRL that turns a log line into the audit event it holds. */
export const PARSE_LINE_VRL = '. = object!(parse_json!(string!(.message)))\n';

/**
 * The VRL that turns one posted `EventList` into its events (remap emits each element of an array
 * assigned to `.`), giving items the list's `apiVersion` and `kind: Event` when they lack them and
 * dropping items that are not objects; anything else is aborted (dropped).
 */
export const SPLIT_EVENT_LIST_VRL = `if .kind != "EventList" || !is_array(.items) {
  abort
}
k8s_version = .apiVersion
k8s_events = filter(array!(.items)) -> |_k8s_index, k8s_value| {
  is_object(k8s_value)
}
. = map_values(k8s_events) -> |k8s_item| {
  if k8s_item.kind == null {
    k8s_item.kind = "Event"
  }
  if k8s_item.apiVersion == null && is_string(k8s_version) {
    k8s_item.apiVersion = k8s_version
  }
  k8s_item
}
`;

const PLAIN_PATH_RULES: readonly PathRule[] = [{ pattern: /\{\{|\}\}/, reason: 'Vector expands {{ ... }} in template fields', fix: 'remove {{ and }} from the path' }];
const FILE_PATH_RULES: readonly PathRule[] = [
  { pattern: /[*?[\]{}]/, reason: 'the file source globs include, so it would read other files than the apiserver writes (rotated ones among them)', fix: 'give the one file kube-apiserver writes (--audit-log-path)' },
];
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)$/;

/** The transforms and sinks routing `from` to every sink, each through its policy. */
function sinkStages(options: VectorAuditOptions, from: string, problems: Problem[], comments: boolean): { transforms: VectorComponent[]; sinks: VectorComponent[] } | undefined {
  if (!Array.isArray(options.sinks) || options.sinks.length === 0) {
    refuseOption(problems, 'sinks', 'sinks is empty, so the events would go nowhere', 'give at least one sink');
    return undefined;
  }
  const transforms: VectorComponent[] = [];
  const sinks: VectorComponent[] = [];
  const names = new Set<string>();
  const note = (text: string): string | undefined => (comments ? text : undefined);
  for (const [i, entry] of options.sinks.entries()) {
    if (componentIdProblem(entry?.name, 'name') !== undefined || entry.name.startsWith('k8s_audit')) {
      refuseOption(problems, `sinks[${i}].name`, `sinks[${i}].name ${quoted(entry?.name)} is not a sink id this preset can use`, 'use letters, digits, _ and -, not starting with k8s_audit');
      continue;
    }
    if (names.has(entry.name)) {
      refuseOption(problems, `sinks[${i}].name`, `two sinks are named ${entry.name}`, 'give each sink its own name');
      continue;
    }
    names.add(entry.name);
    let input = from;
    if (entry.policy !== undefined) {
      const compiled = policyToVrlFilter(entry.policy, {
        ...(options.kubernetesVersion !== undefined ? { kubernetesVersion: options.kubernetesVersion } : {}),
        header: [`k8s-gen: the audit policy of the sink ${entry.name}, applied by Vector (remap); generated, do not edit`],
      });
      if (!compiled.ok) {
        problems.push(...compiled.problems.map((p) => ({ ...p, path: p.path === '' ? `sinks[${i}].policy` : `sinks[${i}].policy.${p.path}` })));
        continue;
      }
      input = `k8s_audit_policy_${entry.name}`;
      transforms.push(transform(input, 'remap', [from], { source: vrl(compiled.value.source), drop_on_abort: true, drop_on_error: true }, note(`the audit policy of the sink ${entry.name}: drops or lowers each event`)));
    }
    try {
      sinks.push(sink(entry.name, entry.type, [input], entry.options ?? {}));
    } catch (error) {
      const problem = (error as { problem?: Problem }).problem;
      if (problem === undefined) throw error;
      problems.push({ ...problem, path: problem.path.replace(/^sink\([^)]*\)/, `sinks[${i}].options`) });
    }
  }
  return problems.length > 0 ? undefined : { transforms, sinks };
}

function dataDirOption(options: VectorAuditOptions, problems: Problem[]): string | undefined {
  const dir = pathOption(problems, 'dataDir', options.dataDir ?? '/var/lib/vector', PLAIN_PATH_RULES, '/var/lib/vector');
  return dir?.replace(/\/$/, '');
}

function eventSizeOption(problems: Problem[], value: AuditEventSizeLimits | undefined): AuditEventSizeLimits | undefined {
  if (typeof value !== 'object' || value === null) return refuseOption(problems, 'eventSize', 'eventSize is missing', "give eventSize: { truncateMaxEventSize?, maxLevel } from the apiserver's flags and policy");
  const level = choiceOption(problems, 'eventSize.maxLevel', value.maxLevel, ['None', 'Metadata', 'Request', 'RequestResponse']);
  const max = value.truncateMaxEventSize;
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) return refuseOption(problems, 'eventSize.truncateMaxEventSize', `eventSize.truncateMaxEventSize ${quoted(max)} is not a positive number of bytes`, 'give --audit-log-truncate-max-event-size in bytes');
  if (level === undefined) return undefined;
  return max === undefined ? { maxLevel: level } : { maxLevel: level, truncateMaxEventSize: max };
}

/**
 * Vector reading the apiserver's JSON audit log (the file source) and shipping it to the sinks.
 * `max_line_bytes` (102,400 by default: longer lines are discarded) is set to the largest event the
 * apiserver can write with the given truncation and level; the rotated files are excluded;
 * checkpoints are kept in `data_dir`; each line is parsed as JSON into the event itself (lines
 * that are not JSON are dropped). Never throws.
 *
 * @example
 * ```ts
 * const preset = vectorAuditLogFile({ logPath: '/var/log/kubernetes/audit/audit.log', eventSize: { truncateMaxEventSize: 102400, maxLevel: 'RequestResponse' }, sinks: [{ name: 'console', type: 'console', options: { encoding: { codec: 'json' } } }] });
 * if (preset.ok) writeVector(preset.value.config);
 * ```
 */
export function vectorAuditLogFile(options: VectorAuditLogFileOptions): CollectorResult<VectorPreset> {
  return collectProblems((problems) => {
    const logPath = pathOption(problems, 'logPath', options.logPath, [...FILE_PATH_RULES, ...PLAIN_PATH_RULES], '/var/log/kubernetes/audit/audit.log');
    const dataDir = dataDirOption(options, problems);
    const size = eventSizeOption(problems, options.eventSize);
    const readFrom = choiceOption(problems, 'readFrom', options.readFrom ?? 'beginning', ['beginning', 'end']);
    const unbounded = options.unboundedLineBuffer ?? 16 * 1_048_576;
    if (!Number.isInteger(unbounded) || unbounded < 102_400) refuseOption(problems, 'unboundedLineBuffer', `unboundedLineBuffer ${quoted(unbounded)} is not a number of bytes of at least 102400`, 'give the size in bytes');
    const comments = options.comments ?? true;
    const stages = sinkStages(options, 'k8s_audit_parse', problems, comments);
    if (logPath === undefined || dataDir === undefined || size === undefined || readFrom === undefined || stages === undefined || problems.length > 0) return undefined;
    const bound = largestAuditEvent(size);
    const maxLineBytes = lineBufferBytes(bound, unbounded);
    const warnings: Problem[] = bound.kind === 'unbounded' ? [{ severity: 'warning', code: 'vector-unbounded-events', path: 'eventSize', message: `${bound.reason}; lines longer than ${maxLineBytes} bytes are discarded`, fix: 'enable --audit-log-truncate-enabled, or raise unboundedLineBuffer' }] : [];
    const note = (text: string): string | undefined => (comments ? text : undefined);
    const config = vectorConfig({
      ...(comments ? { header: ['k8s-gen: Vector reading the kube-apiserver audit log; generated, do not edit'] } : {}),
      global: { data_dir: dataDir },
      sources: [
        source('k8s_audit_log', 'file', { include: [logPath], exclude: rotatedLogPatterns(logPath), max_line_bytes: maxLineBytes, read_from: readFrom }, note(`the file kube-apiserver writes with --audit-log-path; lines up to ${maxLineBytes} bytes (${bound.reason})`)),
      ],
      transforms: [transform('k8s_audit_parse', 'remap', ['k8s_audit_log'], { source: vrl(PARSE_LINE_VRL), drop_on_error: true, drop_on_abort: true }, note('each line is one JSON audit event; the event replaces the line')), ...stages.transforms],
      sinks: stages.sinks,
    });
    return { config, maxLineBytes, warnings, logPath, dataDir };
  });
}

/**
 * Vector receiving the apiserver's audit webhook (the http_server source, JSON bodies) and shipping
 * each event to the sinks: a remap transform splits each posted `EventList` into its events. The
 * listener's `serverUrl` is what the webhook kubeconfig must post to. Never throws.
 *
 * @example
 * ```ts
 * const preset = vectorAuditWebhook({ port: 9000, sinks: [{ name: 'console', type: 'console', options: { encoding: { codec: 'json' } } }] });
 * if (preset.ok) preset.value.listener?.serverUrl('10.0.0.5'); // http://10.0.0.5:9000/
 * ```
 */
export function vectorAuditWebhook(options: VectorAuditWebhookOptions): CollectorResult<VectorPreset> {
  return collectProblems((problems) => {
    const port = portOption(problems, 'port', options.port ?? 9000);
    const listen = options.listen ?? '0.0.0.0';
    if (typeof listen !== 'string' || !HOST.test(listen)) refuseOption(problems, 'listen', `listen ${quoted(listen)} is not a host name or IP address`, 'set listen to an address such as 0.0.0.0');
    const dataDir = dataDirOption(options, problems);
    const certificate = options.tls === undefined ? undefined : pathOption(problems, 'tls.certificate', options.tls.certificate, PLAIN_PATH_RULES, '/etc/vector/tls.crt');
    const key = options.tls === undefined ? undefined : pathOption(problems, 'tls.key', options.tls.key, PLAIN_PATH_RULES, '/etc/vector/tls.key');
    const comments = options.comments ?? true;
    const stages = sinkStages(options, 'k8s_audit_split', problems, comments);
    if (port === undefined || dataDir === undefined || stages === undefined || problems.length > 0) return undefined;
    const note = (text: string): string | undefined => (comments ? text : undefined);
    const address = listen.includes(':') ? `[${listen}]:${port}` : `${listen}:${port}`;
    const tls: VectorOptionsInput = certificate !== undefined && key !== undefined ? { tls: { enabled: true, crt_file: certificate, key_file: key } } : {};
    const config = vectorConfig({
      ...(comments ? { header: ['k8s-gen: Vector receiving the kube-apiserver audit webhook; generated, do not edit'] } : {}),
      global: { data_dir: dataDir },
      sources: [source('k8s_audit_webhook', 'http_server', { address, path: '/', decoding: { codec: 'json' }, ...tls }, note('the audit webhook backend posts EventLists here'))],
      transforms: [transform('k8s_audit_split', 'remap', ['k8s_audit_webhook'], { source: vrl(SPLIT_EVENT_LIST_VRL), drop_on_abort: true, drop_on_error: true }, note('one event per item of each posted EventList')), ...stages.transforms],
      sinks: stages.sinks,
    });
    const scheme = certificate !== undefined ? 'https' : 'http';
    const listener: VectorListener = {
      scheme,
      host: listen,
      port,
      path: '/',
      serverUrl(to: string) {
        if (typeof to !== 'string' || !HOST.test(to)) return failed([{ severity: 'error', code: 'invalid-option', path: 'address', message: `address ${quoted(to)} is not a host name or IP address`, fix: 'pass the address the apiserver reaches Vector at' }]);
        return succeeded(`${scheme}://${to.includes(':') ? `[${to}]` : to}:${port}/`);
      },
    };
    return { config, warnings: [], listener, dataDir };
  });
}

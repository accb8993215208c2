/**
 * Ready-made Fluent Bit pipelines for kube-apiserver audit events, as typed functions: options in,
 * a config tree and the script files it needs (or the problems of the options, each named after
 * its option) out. One for the log backend (tail) and one for the webhook backend (http), both
 * with any number of sinks, each optionally with its own audit policy compiled to a Lua filter.
 */
import type { Policy } from '@k8s-gen/audit';
import type { Problem } from '@k8s-gen/runtime';
import { largestAuditEvent, largestWebhookBody, lineBufferBytes, rotatedLogPatterns, type AuditEventSizeLimits } from '../audit-log-files.js';
import { choiceOption, pathOption, portOption, refuseOption, type PathRule } from '../options.js';
import { collectProblems, failed, succeeded, type CollectorResult } from '../problems.js';
import { quoted } from '../text.js';
import { policyToLuaFilter } from '../policy-filter/compile.js';
import { eventListSplitScript } from '../policy-filter/lua.js';
import { configProblems, filter, fluentBitConfig, input, parser, propertyValue, type FluentBitConfig, type FluentBitPlugin, type FluentBitValueInput } from './ast.js';

/** Where a sink's events go, and which of them. */
export interface FluentBitSink {
  /** A short name, used in tags, script names and emitter names: lower-case letters, digits and _. */
  readonly name: string;
  /** The output plugin, built with `output(...)`; the preset sets its `match`. */
  readonly output: FluentBitPlugin;
  /**
   * An audit policy applied to this sink's events only, compiled to a Lua filter: events it does
   * not log are dropped, others lowered to its level. Without one the sink gets every event.
   */
  readonly policy?: Policy;
}

/** Options both presets share. */
export interface FluentBitAuditOptions {
  /** The sinks; at least one. */
  readonly sinks: readonly FluentBitSink[];
  /** The tag of the events read. Default `kube.audit` (letters, digits and _, dot-separated). */
  readonly tag?: string;
  /**
   * `filesystem` (default): chunks are kept under `stateDir` and survive a restart; `memory`:
   * chunks in memory up to `memBufLimit`, lost on a restart.
   */
  readonly buffering?: 'filesystem' | 'memory';
  /** The memory buffer limit of the input with `buffering: 'memory'`, in bytes. Default 64 MiB. */
  readonly memBufLimit?: number;
  /** Where Fluent Bit keeps its state (offsets database, filesystem chunks). Default `/var/lib/fluent-bit`. */
  readonly stateDir?: string;
  /** Where the config, parsers and scripts are mounted. Default `/fluent-bit/etc`. */
  readonly configDir?: string;
  /** The Kubernetes release whose policy semantics the sinks' policies follow. Default the newest. */
  readonly kubernetesVersion?: string;
  /** Add explanatory comments (default true). */
  readonly comments?: boolean;
}

/** Options of {@link auditLogTail}. */
export interface AuditLogTailOptions extends FluentBitAuditOptions {
  /** The audit log file; must equal kube-apiserver's `--audit-log-path` (JSON format). */
  readonly logPath: string;
  /**
   * What bounds the apiserver's events in this log: `--audit-log-truncate-max-event-size` when
   * `--audit-log-truncate-enabled`, and the most detailed level of the policy. Decides
   * `buffer_max_size`.
   */
  readonly eventSize: AuditEventSizeLimits;
  /**
   * `buffer_max_size` when events are unbounded (bodies logged, truncation off): the longest line
   * read; longer ones are skipped with a warning. Default 16 MiB.
   */
  readonly unboundedLineBuffer?: number;
  /** Read a newly found log from its start instead of its end (only without an offset in the database). Default false. */
  readonly readFromHead?: boolean;
}

/** TLS of the http input. */
export interface FluentBitTlsOptions {
  /** PEM certificate file the input presents. */
  readonly certificate: string;
  /** PEM private key file. */
  readonly key: string;
}

/** Options of {@link auditWebhookHttp}. */
export interface AuditWebhookHttpOptions extends FluentBitAuditOptions {
  /** Port of the http input. Default 9880 (Fluent Bit's). */
  readonly port?: number;
  /** Address the input binds. Default `0.0.0.0`. */
  readonly listen?: string;
  /** Serve the input over TLS. */
  readonly tls?: FluentBitTlsOptions;
  /**
   * What bounds one POST: `--audit-webhook-truncate-max-batch-size` when
   * `--audit-webhook-truncate-enabled`, else `--audit-webhook-batch-max-size` events of the largest
   * event. Decides `buffer_max_size`.
   */
  readonly bodySize: { readonly truncateMaxBatchSize?: number; readonly batchMaxSize?: number; readonly eventSize: AuditEventSizeLimits };
  /** `buffer_max_size` when POSTs are unbounded. Default 64 MiB. */
  readonly unboundedBodyBuffer?: number;
}

/** A file the config refers to (a Lua script), to put beside it. */
export interface FluentBitScript {
  /** The file name, also its key in a ConfigMap. */
  readonly fileName: string;
  /** Where the config expects it (`<configDir>/<fileName>`). */
  readonly path: string;
  readonly text: string;
}

/** Where the http input listens; the source of truth for the webhook kubeconfig. */
export interface FluentBitListener {
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly port: number;
  /** The URL path the apiserver posts to: `/<tag>` (the http input takes the tag from the path). */
  readonly path: string;
  /** The URL to post to, given the address the apiserver reaches Fluent Bit at. */
  serverUrl(address: string): CollectorResult<string>;
}

/** What a Fluent Bit preset gives. */
export interface FluentBitPreset {
  readonly config: FluentBitConfig;
  /** The Lua scripts the filters load. */
  readonly scripts: readonly FluentBitScript[];
  /** The tag of the events read. */
  readonly tag: string;
  /** The line or body buffer set, in bytes. */
  readonly bufferMaxSize: number;
  /** Things that work but deserve attention (events without a size bound), as warnings. */
  readonly warnings: readonly Problem[];
  /** The listener (webhook preset only). */
  readonly listener?: FluentBitListener;
  /** The log file read (tail preset only). */
  readonly logPath?: string;
  /** Where Fluent Bit keeps its state. */
  readonly stateDir: string;
  /** Where the config, parsers and scripts are expected. */
  readonly configDir: string;
}

/** Fluent Bit tags these presets use: words of letters, digits and _, joined by dots. */
const TAG = /^[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*$/;
const SINK_NAME = /^[a-z0-9_]{1,32}$/;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)$/;

/** What tail makes of its `path` (plugins/in_tail): a comma-separated list of glob patterns. */
const TAIL_PATH_RULES: readonly PathRule[] = [
  {
    pattern: /[,*?[\]{}]/,
    reason: 'in_tail reads path as a comma-separated list of glob patterns, so it would read other files than the apiserver writes (rotated ones among them)',
    fix: 'give the one file kube-apiserver writes (--audit-log-path), e.g. /var/log/kubernetes/audit/audit.log',
  },
  { pattern: /\$\{/, reason: 'Fluent Bit replaces ${NAME} with an environment variable when the config loads', fix: 'remove ${ from the path' },
];
const PLAIN_PATH_RULES: readonly PathRule[] = [{ pattern: /\$\{|,/, reason: 'Fluent Bit replaces ${NAME} with an environment variable, and some options read , as a list separator', fix: 'remove ${ and , from the path' }];

/** The JSON parser both presets' events go through (tail) or are checked against. */
export const AUDIT_PARSER_NAME = 'k8s_gen_audit';

/** The time format of audit.k8s.io/v1 timestamps for Fluent Bit's parser: `%L` reads the fraction. */
export const AUDIT_TIME_FORMAT = '%Y-%m-%dT%H:%M:%S.%LZ';

interface CommonChecked {
  readonly tag: string;
  readonly buffering: 'filesystem' | 'memory';
  readonly stateDir: string;
  readonly configDir: string;
  readonly memBufLimit: number;
  readonly comments: boolean;
}

function commonOptions(options: FluentBitAuditOptions, problems: Problem[]): CommonChecked | undefined {
  const tag = options.tag ?? 'kube.audit';
  if (typeof tag !== 'string' || !TAG.test(tag)) refuseOption(problems, 'tag', `tag ${quoted(tag)} is not a plain Fluent Bit tag`, 'use dot-separated words of letters, digits and _, e.g. kube.audit (the http input turns - and other characters of a URL path into _)');
  const buffering = choiceOption(problems, 'buffering', options.buffering ?? 'filesystem', ['filesystem', 'memory']);
  const stateDir = pathOption(problems, 'stateDir', options.stateDir ?? '/var/lib/fluent-bit', PLAIN_PATH_RULES, '/var/lib/fluent-bit');
  const configDir = pathOption(problems, 'configDir', options.configDir ?? '/fluent-bit/etc', PLAIN_PATH_RULES, '/fluent-bit/etc');
  const memBufLimit = options.memBufLimit ?? 64 * 1_048_576;
  if (!Number.isInteger(memBufLimit) || memBufLimit < 1_048_576) refuseOption(problems, 'memBufLimit', `memBufLimit ${quoted(memBufLimit)} is not a number of bytes of at least 1 MiB`, 'give the limit in bytes, e.g. 67108864');
  if (!Array.isArray(options.sinks) || options.sinks.length === 0) refuseOption(problems, 'sinks', 'sinks is empty, so the events would go nowhere', 'give at least one sink with an output');
  else {
    const names = new Set<string>();
    options.sinks.forEach((sink, i) => {
      if (typeof sink?.name !== 'string' || !SINK_NAME.test(sink.name)) refuseOption(problems, `sinks[${i}].name`, `sinks[${i}].name ${quoted(sink?.name)} is not a sink name`, 'use up to 32 lower-case letters, digits and _');
      else if (names.has(sink.name)) refuseOption(problems, `sinks[${i}].name`, `two sinks are named ${sink.name}`, 'give each sink its own name');
      else names.add(sink.name);
      const out = sink?.output;
      if (out?.kind !== 'output') refuseOption(problems, `sinks[${i}].output`, `sinks[${i}].output is not an output plugin`, "build it with output('es', { ... })");
      else {
        for (const problem of configProblems(fluentBitConfig({ outputs: [out] }))) problems.push({ ...problem, path: `sinks[${i}].output${problem.path.replace(/^outputs\[0\]/, '')}` });
        if (propertyValue(out, 'match') !== undefined || propertyValue(out, 'match_regex') !== undefined) refuseOption(problems, `sinks[${i}].output.match`, `sinks[${i}].output sets match itself`, 'leave match out; the preset routes each sink');
      }
    });
  }
  if (problems.length > 0 || buffering === undefined || stateDir === undefined || configDir === undefined) return undefined;
  return { tag, buffering, stateDir: stateDir.replace(/\/$/, ''), configDir: configDir.replace(/\/$/, ''), memBufLimit, comments: options.comments ?? true };
}

/** The filters and outputs routing the events of `tag` to the sinks, each through its policy. */
function sinkStages(options: FluentBitAuditOptions, common: CommonChecked, problems: Problem[]): { filters: FluentBitPlugin[]; outputs: FluentBitPlugin[]; scripts: FluentBitScript[] } | undefined {
  const filters: FluentBitPlugin[] = [];
  const outputs: FluentBitPlugin[] = [];
  const scripts: FluentBitScript[] = [];
  const single = options.sinks.length === 1;
  const note = (text: string): string | undefined => (common.comments ? text : undefined);
  for (const [i, sink] of options.sinks.entries()) {
    // One sink reads the events as they are; with several, each sink with a policy gets its own
    // copy of every event (rewrite_tag keeps the original), so its filter changes only its copy.
    const tag = single || sink.policy === undefined ? common.tag : `${common.tag}.${sink.name}`;
    if (tag !== common.tag) {
      filters.push(
        filter(
          'rewrite_tag',
          [
            ['match', common.tag],
            ['rule', `$auditID .+ ${tag} true`],
            ['emitter_name', `k8s_gen_copy_${sink.name}`],
            ['emitter_storage.type', common.buffering],
            ['emitter_mem_buf_limit', common.memBufLimit],
          ],
          note(`a copy of every event for the sink ${sink.name}, which has its own policy`),
        ),
      );
    }
    if (sink.policy !== undefined) {
      const call = `k8s_gen_policy_${sink.name}`;
      const compiled = policyToLuaFilter(sink.policy, {
        call,
        ...(options.kubernetesVersion !== undefined ? { kubernetesVersion: options.kubernetesVersion } : {}),
        header: [`k8s-gen: the audit policy of the sink ${sink.name}, applied by Fluent Bit (filter lua, call ${call}); generated, do not edit`],
      });
      if (!compiled.ok) {
        problems.push(...compiled.problems.map((p) => ({ ...p, path: p.path === '' ? `sinks[${i}].policy` : `sinks[${i}].policy.${p.path}` })));
        continue;
      }
      const fileName = `audit-policy-${sink.name}.lua`;
      scripts.push({ fileName, path: `${common.configDir}/${fileName}`, text: compiled.value.script });
      filters.push(
        filter('lua', { match: tag, script: `${common.configDir}/${fileName}`, call, enable_flb_null: true }, note(`the audit policy of the sink ${sink.name}: drops or lowers each event`)),
      );
    }
    const { properties, comment } = sink.output;
    outputs.push({ kind: 'output', name: sink.output.name, properties: [{ key: 'match', value: tag }, ...properties], ...(comment !== undefined ? { comment } : {}) });
  }
  return problems.length > 0 ? undefined : { filters, outputs, scripts };
}

function serviceOf(common: CommonChecked): Record<string, FluentBitValueInput> {
  const service: Record<string, FluentBitValueInput> = { flush: 1, log_level: 'info' };
  if (common.buffering === 'filesystem') {
    Object.assign(service, { 'storage.path': `${common.stateDir}/storage/`, 'storage.sync': 'normal', 'storage.checksum': 'off', 'storage.backlog.mem_limit': '5M' });
  }
  return service;
}

function bufferingOf(common: CommonChecked): [string, FluentBitValueInput][] {
  return common.buffering === 'filesystem' ? [['storage.type', 'filesystem']] : [['storage.type', 'memory'], ['mem_buf_limit', common.memBufLimit]];
}

/**
 * Fluent Bit tailing the apiserver's JSON audit log and shipping it to the sinks. Handles the
 * traps of the tail input: `buffer_max_size` (32 KiB by default, where a longer line makes tail
 * stop reading the file) is set to the largest event the apiserver can write with the given
 * truncation and level, and `skip_long_lines` is on in case the bound is exceeded; the files the
 * log is rotated to (`audit-2024-05-16T17-03-59.994.log`, `.gz` with compression) are excluded, so
 * no event is read twice; offsets are kept in a database (`db`) and chunks on the filesystem, so a
 * restart resumes where it stopped. Never throws.
 *
 * @example
 * ```ts
 * const preset = auditLogTail({ logPath: '/var/log/kubernetes/audit/audit.log', eventSize: { truncateMaxEventSize: 102400, maxLevel: 'RequestResponse' }, sinks: [{ name: 'stdout', output: output('stdout', { format: 'json_lines' }) }] });
 * if (preset.ok) writeFluentBitYaml(preset.value.config);
 * ```
 */
export function auditLogTail(options: AuditLogTailOptions): CollectorResult<FluentBitPreset> {
  return collectProblems((problems) => {
    const logPath = pathOption(problems, 'logPath', options.logPath, TAIL_PATH_RULES, '/var/log/kubernetes/audit/audit.log');
    const common = commonOptions(options, problems);
    const unbounded = options.unboundedLineBuffer ?? 16 * 1_048_576;
    if (!Number.isInteger(unbounded) || unbounded < 32_768) refuseOption(problems, 'unboundedLineBuffer', `unboundedLineBuffer ${quoted(unbounded)} is not a number of bytes of at least 32768`, 'give the size in bytes, e.g. 16777216');
    const size = eventSizeOption(problems, 'eventSize', options.eventSize);
    if (logPath === undefined || common === undefined || size === undefined || problems.length > 0) return undefined;
    const bound = largestAuditEvent(size);
    const bufferMaxSize = lineBufferBytes(bound, unbounded);
    const warnings: Problem[] = [];
    if (bound.kind === 'unbounded') {
      warnings.push({ severity: 'warning', code: 'fluentbit-unbounded-events', path: 'eventSize', message: `${bound.reason}; events longer than ${bufferMaxSize} bytes are skipped (skip_long_lines)`, fix: 'enable --audit-log-truncate-enabled, or raise unboundedLineBuffer' });
    }
    const stages = sinkStages(options, common, problems);
    if (stages === undefined) return undefined;
    const [rotated, compressed] = rotatedLogPatterns(logPath);
    const note = (text: string): string | undefined => (common.comments ? text : undefined);
    const tail = input(
      'tail',
      [
        ['tag', common.tag],
        ['path', logPath],
        ['exclude_path', `${rotated},${compressed}`],
        ['parser', AUDIT_PARSER_NAME],
        ['db', `${common.stateDir}/kube-audit-tail.db`],
        ['db.sync', 'normal'],
        ['db.locking', true],
        ['buffer_chunk_size', Math.min(32_768, bufferMaxSize)],
        ['buffer_max_size', bufferMaxSize],
        ['skip_long_lines', true],
        ['read_from_head', options.readFromHead === true],
        ...bufferingOf(common),
      ],
      note(`the file kube-apiserver writes with --audit-log-path; lines up to ${bufferMaxSize} bytes (${bound.reason})`),
    );
    const config = fluentBitConfig({
      ...(common.comments ? { header: ['k8s-gen: Fluent Bit reading the kube-apiserver audit log; generated, do not edit'] } : {}),
      service: serviceOf(common),
      parsers: [parser(AUDIT_PARSER_NAME, { format: 'json', time_key: 'stageTimestamp', time_format: AUDIT_TIME_FORMAT, time_keep: true }, note('audit.k8s.io/v1 events: one JSON object per line, timed by stageTimestamp (UTC)'))],
      inputs: [tail],
      filters: stages.filters,
      outputs: stages.outputs,
    });
    return { config, scripts: stages.scripts, tag: common.tag, bufferMaxSize, warnings, logPath, stateDir: common.stateDir, configDir: common.configDir };
  });
}

function eventSizeOption(problems: Problem[], option: string, value: AuditEventSizeLimits | undefined): AuditEventSizeLimits | undefined {
  if (typeof value !== 'object' || value === null) return refuseOption(problems, option, `${option} is missing`, `give ${option}: { truncateMaxEventSize?, maxLevel } from the apiserver's flags and policy`);
  const level = choiceOption(problems, `${option}.maxLevel`, value.maxLevel, ['None', 'Metadata', 'Request', 'RequestResponse']);
  const max = value.truncateMaxEventSize;
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) return refuseOption(problems, `${option}.truncateMaxEventSize`, `${option}.truncateMaxEventSize ${quoted(max)} is not a positive number of bytes`, 'give --audit-log-truncate-max-event-size in bytes, e.g. 102400');
  if (level === undefined) return undefined;
  return max === undefined ? { maxLevel: level } : { maxLevel: level, truncateMaxEventSize: max };
}

/**
 * Fluent Bit receiving the apiserver's audit webhook (the http input, port 9880 by default) and
 * shipping each event to the sinks. The http input makes one record of a JSON object body, so a
 * Lua filter splits each posted `EventList` into its events (giving them the `kind` and
 * `apiVersion` log lines carry); `buffer_max_size` is set to the largest POST the apiserver sends
 * with the given truncation; the input takes its tag from the URL path, so the listener's
 * `serverUrl` posts to `/<tag>`. Never throws.
 *
 * @example
 * ```ts
 * const preset = auditWebhookHttp({ bodySize: { truncateMaxBatchSize: 10485760, eventSize: { truncateMaxEventSize: 102400, maxLevel: 'RequestResponse' } }, sinks: [{ name: 'stdout', output: output('stdout') }] });
 * if (preset.ok) preset.value.listener?.serverUrl('10.0.0.5'); // http://10.0.0.5:9880/kube.audit
 * ```
 */
export function auditWebhookHttp(options: AuditWebhookHttpOptions): CollectorResult<FluentBitPreset> {
  return collectProblems((problems) => {
    const port = portOption(problems, 'port', options.port ?? 9880);
    const listen = options.listen ?? '0.0.0.0';
    if (typeof listen !== 'string' || !HOST.test(listen)) refuseOption(problems, 'listen', `listen ${quoted(listen)} is not a host name or IP address`, 'set listen to an address such as 0.0.0.0');
    const common = commonOptions(options, problems);
    const tls =
      options.tls === undefined
        ? undefined
        : { certificate: pathOption(problems, 'tls.certificate', options.tls.certificate, PLAIN_PATH_RULES, '/fluent-bit/tls/tls.crt'), key: pathOption(problems, 'tls.key', options.tls.key, PLAIN_PATH_RULES, '/fluent-bit/tls/tls.key') };
    const body = options.bodySize;
    const eventSize = eventSizeOption(problems, 'bodySize.eventSize', body?.eventSize);
    const maxBatch = body?.truncateMaxBatchSize;
    if (maxBatch !== undefined && (!Number.isInteger(maxBatch) || maxBatch < 1)) refuseOption(problems, 'bodySize.truncateMaxBatchSize', `bodySize.truncateMaxBatchSize ${quoted(maxBatch)} is not a positive number of bytes`, 'give --audit-webhook-truncate-max-batch-size in bytes');
    const batchMaxSize = body?.batchMaxSize ?? 400;
    if (!Number.isInteger(batchMaxSize) || batchMaxSize < 1) refuseOption(problems, 'bodySize.batchMaxSize', `bodySize.batchMaxSize ${quoted(batchMaxSize)} is not a positive number of events`, 'give --audit-webhook-batch-max-size');
    const unbounded = options.unboundedBodyBuffer ?? 64 * 1_048_576;
    if (!Number.isInteger(unbounded) || unbounded < 1_048_576) refuseOption(problems, 'unboundedBodyBuffer', `unboundedBodyBuffer ${quoted(unbounded)} is not a number of bytes of at least 1 MiB`, 'give the size in bytes');
    if (port === undefined || common === undefined || eventSize === undefined || problems.length > 0 || (tls !== undefined && (tls.certificate === undefined || tls.key === undefined))) return undefined;
    const largest = largestWebhookBody(maxBatch === undefined ? {} : { truncateMaxBatchSize: maxBatch }, largestAuditEvent(eventSize), batchMaxSize);
    const bufferMaxSize = largest ?? unbounded;
    const warnings: Problem[] = [];
    if (largest === undefined) {
      warnings.push({ severity: 'warning', code: 'fluentbit-unbounded-events', path: 'bodySize', message: `the apiserver's POSTs have no size bound (bodies logged, truncation off); bodies over ${bufferMaxSize} bytes are refused and retried by the apiserver until it drops them`, fix: 'enable --audit-webhook-truncate-enabled, or raise unboundedBodyBuffer' });
    }
    const stages = sinkStages(options, common, problems);
    if (stages === undefined) return undefined;
    const note = (text: string): string | undefined => (common.comments ? text : undefined);
    const split = 'k8s_gen_split_event_list';
    const splitFile = 'audit-eventlist.lua';
    const scripts: FluentBitScript[] = [
      { fileName: splitFile, path: `${common.configDir}/${splitFile}`, text: eventListSplitScript(split, ['k8s-gen: one record per event of each EventList the audit webhook posts; generated, do not edit']) },
      ...stages.scripts,
    ];
    const http = input(
      'http',
      [
        ['tag', common.tag],
        ['listen', listen],
        ['port', port],
        ['buffer_max_size', bufferMaxSize],
        ['buffer_chunk_size', Math.min(524_288, bufferMaxSize)],
        ...(tls === undefined ? [] : ([['tls', true], ['tls.crt_file', tls.certificate!], ['tls.key_file', tls.key!]] as [string, FluentBitValueInput][])),
        ...bufferingOf(common),
      ],
      note(`the audit webhook backend posts EventLists here (POST /${common.tag}); bodies up to ${bufferMaxSize} bytes`),
    );
    const config = fluentBitConfig({
      ...(common.comments ? { header: ['k8s-gen: Fluent Bit receiving the kube-apiserver audit webhook; generated, do not edit'] } : {}),
      service: serviceOf(common),
      inputs: [http],
      filters: [filter('lua', { match: common.tag, script: `${common.configDir}/${splitFile}`, call: split, enable_flb_null: true }, note('one record per event of each posted EventList')), ...stages.filters],
      outputs: stages.outputs,
    });
    const scheme = tls === undefined ? 'http' : 'https';
    const path = `/${common.tag}`;
    const listener: FluentBitListener = {
      scheme,
      host: listen,
      port,
      path,
      serverUrl(address: string) {
        if (typeof address !== 'string' || !HOST.test(address)) {
          return failed([{ severity: 'error', code: 'invalid-option', path: 'address', message: `address ${quoted(address)} is not a host name or IP address`, fix: 'pass the address the apiserver reaches Fluent Bit at, such as 10.0.0.5' }]);
        }
        return succeeded(`${scheme}://${address.includes(':') ? `[${address}]` : address}:${port}${path}`);
      },
    };
    return { config, scripts, tag: common.tag, bufferMaxSize, warnings, listener, stateDir: common.stateDir, configDir: common.configDir };
  });
}

/**
 * The tag Fluent Bit's http input gives the records of a POST to `path` (plugins/in_http
 * `http_prot.c`): the path without its leading `/`, with every character other than letters,
 * digits, `_` and `.` replaced by `_`; `/` alone gives the input's own tag (undefined here).
 *
 * @example
 * ```ts
 * httpInputTag('/kube-audit'); // 'kube_audit'
 * ```
 */
export function httpInputTag(path: string): string | undefined {
  if (path === '/' || path === '') return undefined;
  return path.replace(/^\//, '').replace(/[^A-Za-z0-9_.]/g, '_');
}

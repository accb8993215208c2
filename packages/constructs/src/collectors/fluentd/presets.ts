// Ready-made fluentd set-ups for API-server audit logs.
import { checkAbsolutePath, rejectOption } from '../options.js';
import {
  comment,
  filter,
  flag,
  fluentConfig,
  match,
  param,
  parse,
  record,
  rubyExpression,
  rule,
  source,
  template,
  type,
  type FluentConfig,
  type FluentNode,
} from './ast.js';

/** A fluentd plugin gem a config needs, with what it provides and the versions that fit. */
export interface FluentdPlugin {
  /** The RubyGems name. */
  readonly gem: string;
  /** The `@type` names the gem provides to the config. */
  readonly provides: readonly string[];
  /** A RubyGems version requirement that matches the syntax the config uses. */
  readonly version: string;
  /** Why this version, and what to know when installing it. */
  readonly note: string;
  /** The install command as an argument vector (`td-agent-gem` replaces `fluent-gem` on td-agent). */
  readonly installCommand: readonly string[];
}

/** fluent-plugin-forest: one output instance per tag, from a `<template>`. */
export const FOREST_PLUGIN: FluentdPlugin = {
  gem: 'fluent-plugin-forest',
  provides: ['forest'],
  version: '~> 0.3',
  note: 'written for the fluentd v0.12 plugin API; fluentd v1 runs it through its compatibility layer, and the gem is no longer maintained',
  installCommand: ['fluent-gem', 'install', 'fluent-plugin-forest', '--version', '~> 0.3'],
};

/** fluent-plugin-rewrite-tag-filter: re-tags events from a record field. */
export const REWRITE_TAG_FILTER_PLUGIN: FluentdPlugin = {
  gem: 'fluent-plugin-rewrite-tag-filter',
  provides: ['rewrite_tag_filter'],
  version: '>= 2.0',
  note: 'the <rule> section form needs 2.0 or later (fluentd v0.14.2 or later); 1.x used rewriteruleN parameters',
  installCommand: ['fluent-gem', 'install', 'fluent-plugin-rewrite-tag-filter', '--version', '>= 2.0'],
};

/** Event fields that carry a time in audit.k8s.io/v1 events (there is no `time` field). */
export type AuditTimeField = 'stageTimestamp' | 'requestReceivedTimestamp';

/** Options of `auditLogByNamespace`. */
export interface AuditLogByNamespaceOptions {
  /** The audit log file; must equal kube-apiserver's `--audit-log-path`. */
  logPath: string;
  /** Where in_tail records how far it has read. */
  posFile: string;
  /** The tag of the events read, e.g. `audit`; per-namespace events get `<tag>.<namespace>`. */
  tag: string;
  /**
   * The per-namespace output files, e.g. `/var/log/audit-${tag}.*.log`. Must contain `${tag}`,
   * which forest replaces with the namespace (`none` for cluster-scoped requests).
   */
  outputPathPattern: string;
  /** The log format; kube-apiserver must run with `--audit-log-format=json`. */
  format: 'json';
  /** The event field that gives the event time (default `stageTimestamp`). */
  timeField?: AuditTimeField;
  /**
   * `section` (default): `<parse> @type json </parse>` inside `<source>`, fluentd v0.14/v1.
   * `legacy`: flat `format json` and time parameters in `<source>`, the v0.12 form the Kubernetes
   * docs used; fluentd v1 still accepts it through its compatibility layer.
   */
  parseStyle?: 'section' | 'legacy';
  /** Add explanatory comments to the config (default true). */
  comments?: boolean;
}

/** The result of a fluentd preset: the config and the plugins it needs. */
export interface FluentdPreset {
  readonly config: FluentConfig;
  /** Gems to install besides fluentd itself. */
  readonly plugins: readonly FluentdPlugin[];
}

/**
 * The strptime format of audit.k8s.io/v1 timestamps (`2021-01-02T03:04:05.123456Z`): the
 * API server always writes UTC with six fractional digits. The trailing `Z` is matched
 * literally, so the parser must be told the time is UTC (`utc true`); fluentd's strptime
 * helper does not read `Z` as a zone in every version, so `%z` is avoided.
 */
export const AUDIT_TIME_FORMAT = '%Y-%m-%dT%H:%M:%S.%NZ';

// record_transformer sets `namespace` to objectRef.namespace, or "none" when the request has no
// object or the object is cluster-scoped (the expression of the Kubernetes docs).
const NAMESPACE_EXPRESSION =
  'record["objectRef"].nil? ? "none":(record["objectRef"]["namespace"].nil? ? "none":record["objectRef"]["namespace"])';

const TAG = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;
const FOREST_PLACEHOLDER = /\$\{(?:tag|hostname|escaped_tag|tag_parts\[-?\d+\])\}/g;

/**
 * Splits the API server's JSON audit log into one file per namespace, like the fluentd example
 * of the Kubernetes auditing docs: in_tail reads the log, record_transformer adds a `namespace`
 * field, rewrite_tag_filter re-tags each event `<tag>.<namespace>`, a second record_transformer
 * drops the helper field and forest + file write `outputPathPattern` per namespace.
 *
 * Deliberate differences from the docs' example:
 * - the docs parse the time from `time_key time`, a field audit.k8s.io/v1 events do not have, so
 *   fluentd stamped events with the time it read them. Here the time comes from `timeField`
 *   (default `stageTimestamp`) with `AUDIT_TIME_FORMAT` and `utc true`, and `keep_time_key true`
 *   keeps that field in the stored event;
 * - parsing uses a `<parse>` section unless `parseStyle: 'legacy'`.
 *
 * Needs fluent-plugin-forest and fluent-plugin-rewrite-tag-filter (see `plugins`).
 * Throws `CollectorConfigError` naming the option for a refused value.
 */
export function auditLogByNamespace(options: AuditLogByNamespaceOptions): FluentdPreset {
  const logPath = checkAbsolutePath('logPath', options.logPath, (p) => (p.includes('${') ? 'contains ${' : undefined));
  const posFile = checkAbsolutePath('posFile', options.posFile, (p) => (p.includes('${') ? 'contains ${' : undefined));
  const outputPathPattern = checkAbsolutePath('outputPathPattern', options.outputPathPattern, (p) => {
    if (!p.includes('${tag}')) return 'does not contain ${tag}, so every namespace would write to the same file';
    if (p.replace(FOREST_PLACEHOLDER, '').includes('${')) return 'contains a ${...} other than ${tag}, ${hostname}, ${escaped_tag} or ${tag_parts[N]}';
    return undefined;
  });
  if (typeof options.tag !== 'string' || !TAG.test(options.tag)) {
    rejectOption('tag', `${JSON.stringify(options.tag)} is not a fluentd tag`, 'use dot-separated words of letters, digits, _ and -, e.g. audit');
  }
  if (options.format !== 'json') {
    rejectOption('format', `${JSON.stringify(options.format)} is not supported`, "use 'json' and run kube-apiserver with --audit-log-format=json");
  }
  const timeField = options.timeField ?? 'stageTimestamp';
  if (timeField !== 'stageTimestamp' && timeField !== 'requestReceivedTimestamp') {
    rejectOption('timeField', `${JSON.stringify(timeField)} is not an audit event time field`, "use 'stageTimestamp' or 'requestReceivedTimestamp'");
  }
  const parseStyle = options.parseStyle ?? 'section';
  if (parseStyle !== 'section' && parseStyle !== 'legacy') {
    rejectOption('parseStyle', `${JSON.stringify(parseStyle)} is not a parse style`, "use 'section' or 'legacy'");
  }
  const tag = options.tag;
  const withComments = options.comments ?? true;
  const note = (text: string): FluentNode[] => (withComments ? [comment(text)] : []);

  const timeParams = [
    param('time_key', timeField),
    param('time_format', AUDIT_TIME_FORMAT),
    param('utc', 'true'),
    param('keep_time_key', 'true'),
  ];
  const input =
    parseStyle === 'section'
      ? source(
          type('tail'),
          ...note('the file kube-apiserver writes with --audit-log-path'),
          param('path', logPath),
          param('pos_file', posFile),
          param('tag', tag),
          parse(type('json'), ...timeParams),
        )
      : source(
          type('tail'),
          ...note('the file kube-apiserver writes with --audit-log-path'),
          param('path', logPath),
          param('pos_file', posFile),
          param('format', 'json'),
          ...timeParams,
          param('tag', tag),
        );

  const config = fluentConfig(
    ...(withComments ? [comment('reads the kube-apiserver audit log on the same host and writes one file per namespace')] : []),
    input,
    filter(
      tag,
      ...note('a helper field to route on; rewrite_tag_filter can only match record fields'),
      type('record_transformer'),
      flag('enable_ruby'),
      record(param('namespace', rubyExpression(NAMESPACE_EXPRESSION))),
    ),
    match(
      tag,
      ...note('re-emit each event tagged <tag>.<namespace>'),
      type('rewrite_tag_filter'),
      rule(param('key', 'namespace'), param('pattern', '/^(.+)/'), param('tag', '${tag}.$1')),
    ),
    filter(`${tag}.**`, type('record_transformer'), param('remove_keys', 'namespace')),
    match(
      `${tag}.**`,
      type('forest'),
      param('subtype', 'file'),
      param('remove_prefix', tag),
      template(
        param('time_slice_format', '%Y%m%d%H'),
        param('compress', 'gz'),
        param('path', outputPathPattern),
        param('format', 'json'),
        param('include_time_key', 'true'),
      ),
    ),
  );
  return { config, plugins: [FOREST_PLUGIN, REWRITE_TAG_FILTER_PLUGIN] };
}

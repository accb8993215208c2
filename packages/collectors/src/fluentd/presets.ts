/**
 * Ready-made fluentd set-ups for API-server audit logs, as typed functions: options in, a config
 * tree (or the problems of the options, each named after its option) out.
 */
import type { Problem } from '@k8s-gen/runtime';
import { collectProblems, type CollectorResult } from '../problems.js';
import { choiceOption, pathOption, refuseOption, type PathRule } from '../options.js';
import { quoted } from '../text.js';
import {
  comment,
  filter,
  flag,
  fluentConfig,
  match,
  param,
  parse,
  placeholderText,
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

// forest replaces these in every parameter of its <template> (out_forest.rb, `parameter`).
const FOREST_PLACEHOLDER = /\$\{(?:tag|hostname|escaped_tag|tag_parts\[-?\d+(?:\.\.\.?-?\d+)?\])\}|__(?:TAG|HOSTNAME|ESCAPED_TAG|TAG_PARTS\[-?\d+(?:\.\.\.?-?\d+)?\])__/g;
const FOREST_TAG_PLACEHOLDER = /\$\{(?:tag|escaped_tag|tag_parts\[[^\]]+\])\}|__(?:TAG|ESCAPED_TAG|TAG_PARTS\[[^\]]+\])__/;

/** What in_tail makes of its `path` (in_tail.rb): a list split at `,`, strftime codes, and globs. */
const IN_TAIL_PATH_RULES: readonly PathRule[] = [
  {
    pattern: /[,*?[\]{}%]/,
    reason: 'in_tail reads path as a comma-separated list of glob patterns (* ? [ ] { }) with strftime codes (%), so it would tail other files than the apiserver writes',
    fix: 'give the one file kube-apiserver writes (--audit-log-path), e.g. /var/log/kube-audit',
  },
  { pattern: /\$\{|__[A-Z_]+__/, reason: 'plugins read ${...} and __NAME__ as placeholders', fix: 'remove the placeholder from the path' },
];

/** What a plain path parameter must avoid (placeholders, which plugins replace). */
const PLAIN_PATH_RULES: readonly PathRule[] = [{ pattern: /\$\{|__[A-Z_]+__/, reason: 'plugins read ${...} and __NAME__ as placeholders', fix: 'remove the placeholder from the path' }];

/** What forest and out_file make of the output path: forest's placeholders, then out_file's strftime codes. */
const OUTPUT_PATH_RULES: readonly PathRule[] = [
  { pattern: /%/, reason: 'out_file replaces strftime codes (%Y, %d, ...) in path, and the preset puts the time where * is', fix: 'remove the % (the time slice goes where the * is)' },
  {
    pattern: /\$\{|__[A-Z_]+__/,
    reason: 'the only placeholders forest replaces are ${tag}, ${escaped_tag}, ${tag_parts[N]}, ${hostname} and their __TAG__ forms; out_file would read any other ${...} as a chunk key',
    fix: 'use ${tag} (the namespace) and ${hostname} only',
  },
];

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
 * Never throws: refused options come back as problems, each with `path` set to the option's name.
 *
 * @example
 * ```ts
 * const preset = auditLogByNamespace({ logPath: '/var/log/kube-audit', posFile: '/var/log/audit.pos', tag: 'audit', outputPathPattern: '/var/log/audit-${tag}.*.log', format: 'json' });
 * if (preset.ok) writeFluentd(preset.value.config);
 * ```
 */
export function auditLogByNamespace(options: AuditLogByNamespaceOptions): CollectorResult<FluentdPreset> {
  return collectProblems((problems) => buildAuditLogByNamespace(options, problems));
}

/** Checks every option, then builds the preset; undefined when an option was refused. */
function buildAuditLogByNamespace(options: AuditLogByNamespaceOptions, problems: Problem[]): FluentdPreset | undefined {
  const logPath = pathOption(problems, 'logPath', options.logPath, IN_TAIL_PATH_RULES);
  const posFile = pathOption(problems, 'posFile', options.posFile, PLAIN_PATH_RULES, '/var/log/audit.pos');
  const outputPathPattern = outputPathOption(problems, options.outputPathPattern);
  if (typeof options.tag !== 'string' || !TAG.test(options.tag) || /__[A-Z_]+__/.test(options.tag)) {
    // The tag goes into <match tag> and <filter tag.**> patterns, where * { } , and spaces are
    // pattern syntax, into in_tail's tag, where * stands for the file path, and into parameters,
    // where __NAME__ is a placeholder.
    refuseOption(problems, 'tag', `tag ${quoted(options.tag)} is not a plain fluentd tag: match patterns read * { } , and spaces as pattern syntax, and plugins __NAME__ as a placeholder`, 'use dot-separated words of letters, digits, _ and -, e.g. audit');
  }
  choiceOption(problems, 'format', options.format, ['json']);
  const timeField = choiceOption(problems, 'timeField', options.timeField ?? 'stageTimestamp', ['stageTimestamp', 'requestReceivedTimestamp']);
  const parseStyle = choiceOption(problems, 'parseStyle', options.parseStyle ?? 'section', ['section', 'legacy']);
  if (problems.length > 0 || logPath === undefined || posFile === undefined || outputPathPattern === undefined || timeField === undefined) return undefined;
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
      rule(param('key', 'namespace'), param('pattern', '/^(.+)/'), param('tag', placeholderText('${tag}.$1'))),
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
        param('path', placeholderText(outputPathPattern)),
        param('format', 'json'),
        param('include_time_key', 'true'),
      ),
    ),
  );
  return { config, plugins: [FOREST_PLUGIN, REWRITE_TAG_FILTER_PLUGIN] };
}

/** The per-namespace output path: absolute, only forest's placeholders, at least one naming the tag. */
function outputPathOption(problems: Problem[], value: unknown): string | undefined {
  // forest's own placeholders are set aside, so that the rules see the rest of the text.
  const path = pathOption(problems, 'outputPathPattern', value, OUTPUT_PATH_RULES, '/var/log/audit-${tag}.*.log', FOREST_PLACEHOLDER);
  if (path === undefined) return undefined;
  if (!FOREST_TAG_PLACEHOLDER.test(path)) {
    return refuseOption(problems, 'outputPathPattern', 'outputPathPattern has no ${tag}, so every namespace would write to the same file', 'put ${tag} where the namespace goes, e.g. /var/log/audit-${tag}.*.log');
  }
  return path;
}

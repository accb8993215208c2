// The fluentd injection corpus: named hostile values, each refused with a problem naming the
// option (or builder argument) and the fix, or written so that our parser (written from fluentd's
// grammar, lib/fluent/config/{basic,literal,v1}_parser.rb) reads back exactly the intended tree
// and value. Then fast-check: any string a setter accepts round-trips through writer and parser.
import { describe, expect, it } from 'vitest';
import { CollectorConfigError, fluentd } from '@k8s-gen/collectors';
import { viaUtf8 } from '../../../packages/collectors/test/helpers.js';
import { describeCorpus, expectRoundTrips, type Attempt, type HostileCase } from './corpus.js';

const { filter, flag, fluentConfig, label, match, param, placeholderText, record, rule, template, type } = fluentd;
type FluentConfig = fluentd.FluentConfig;
type FluentElement = fluentd.FluentElement;

const OPTIONS = ['logPath', 'posFile', 'tag', 'outputPathPattern'] as const;
const SETTERS = ['param', 'ruby-record', 'record', 'rewrite-tag', 'placeholders', 'match', 'label', 'key', 'comment'] as const;
/** Where a value goes: a preset option, a builder argument, or (`raw-param`) a tree built without the builders. */
type Where = (typeof OPTIONS)[number] | (typeof SETTERS)[number] | 'raw-param';
type Case = HostileCase<Where, string>;

const base = { logPath: '/var/log/kube-audit', posFile: '/var/log/audit.pos', tag: 'audit', outputPathPattern: '/var/log/audit-${tag}.*.log', format: 'json' } as const;

function elements(body: readonly fluentd.FluentNode[]): FluentElement[] {
  return body.filter((node): node is FluentElement => node.kind === 'element');
}

function paramText(el: FluentElement, key: string): string {
  const value = fluentd.paramValue(el, key);
  expect(value, `${el.name} has ${key}`).toBeDefined();
  return fluentd.valueText(value!);
}

/** Builds the config the value goes into (builders may throw), and says where to read it back. */
function build(where: Exclude<Where, (typeof OPTIONS)[number]>, value: string): { config: FluentConfig; read: (config: FluentConfig) => string } {
  const first = (config: FluentConfig) => elements(config.body)[0]!;
  const inner = (config: FluentConfig) => elements(first(config).body)[0]!;
  switch (where) {
    case 'param':
      return { config: fluentConfig(match('a', type('null'), param('field', value))), read: (c) => paramText(first(c), 'field') };
    case 'raw-param':
      return { config: fluentConfig(match('a', type('null'), { kind: 'param', key: 'field', value })), read: (c) => paramText(first(c), 'field') };
    case 'ruby-record':
      return { config: fluentConfig(filter('audit', type('record_transformer'), flag('enable_ruby'), record(param('field', value)))), read: (c) => paramText(inner(c), 'field') };
    case 'record':
      return { config: fluentConfig(filter('audit', type('record_transformer'), record(param('field', value)))), read: (c) => paramText(inner(c), 'field') };
    case 'rewrite-tag':
      return { config: fluentConfig(match('audit', type('rewrite_tag_filter'), rule(param('key', 'namespace'), param('pattern', '/^(.+)/'), param('tag', value)))), read: (c) => paramText(inner(c), 'tag') };
    case 'placeholders':
      return { config: fluentConfig(match('audit.**', type('forest'), param('subtype', 'file'), template(param('path', placeholderText(value))))), read: (c) => paramText(inner(c), 'path') };
    case 'match':
      return { config: fluentConfig(match(value, type('null'))), read: (c) => first(c).arg };
    case 'label':
      return { config: fluentConfig(label(value, match('**', type('null')))), read: (c) => first(c).arg };
    case 'key':
      return { config: fluentConfig(match('a', type('null'), param(value, 'x'))), read: (c) => (first(c).body[1] as fluentd.FluentParam).key };
    case 'comment':
      return { config: fluentConfig(match('a', type('null'), fluentd.comment(value))), read: (c) => (first(c).body[1] as fluentd.FluentComment).text };
  }
}

function attempt(where: Where, value: string): Attempt {
  let config: FluentConfig;
  let read: (config: FluentConfig) => string;
  if ((OPTIONS as readonly string[]).includes(where)) {
    const preset = fluentd.auditLogByNamespace({ ...base, [where]: value });
    if (!preset.ok) {
      // A refused option is reported under its own name, and only that option is refused.
      expect(preset.problems.map((p) => p.path)).toEqual([where]);
      return { problem: preset.problems[0]! };
    }
    config = preset.value.config;
    const source = elements(config.body)[0]!;
    read = {
      logPath: (c: FluentConfig) => paramText(elements(c.body)[0]!, 'path'),
      posFile: (c: FluentConfig) => paramText(elements(c.body)[0]!, 'pos_file'),
      tag: (c: FluentConfig) => paramText(elements(c.body)[0]!, 'tag'),
      outputPathPattern: (c: FluentConfig) => paramText(elements(elements(c.body)[4]!.body)[0]!, 'path'),
    }[where as (typeof OPTIONS)[number]];
    expect(source.name).toBe('source');
  } else {
    try {
      ({ config, read } = build(where as Exclude<Where, (typeof OPTIONS)[number]>, value));
    } catch (error) {
      if (!(error instanceof CollectorConfigError)) throw error;
      return { problem: error.problem };
    }
  }
  const written = fluentd.writeFluentd(config);
  if (!written.ok) return { problem: written.problems[0]! };
  const reread = fluentd.parseFluentd(viaUtf8(written.value));
  expect(reread.problems).toEqual([]);
  // The structure is the intended one: the same tree, so no directive, section or parameter was added.
  expect(reread.value).toEqual(config);
  return { text: written.value, read: read(reread.value!) };
}

// Where a refusal of each kind of input is reported: the option, or the builder argument (or, for
// values that are only wrong where they are used, the place in the tree).
const REFUSED_AT: Record<Where, RegExp> = {
  logPath: /^logPath$/,
  posFile: /^posFile$/,
  tag: /^tag$/,
  outputPathPattern: /^outputPathPattern$/,
  param: /^param\(field\)$/,
  'raw-param': /^<match a> > field$/,
  'ruby-record': /^(param\(field\)|<filter audit> > <record> > field)$/,
  record: /^(param\(field\)|<filter audit> > <record> > field)$/,
  'rewrite-tag': /^(param\(tag\)|<match audit> > <rule> > tag)$/,
  placeholders: /^(placeholderText|<match audit\.\*\*> > <template> > path)$/,
  match: /^<match> argument$/,
  label: /^<label> argument$/,
  key: /^param$/,
  comment: /^comment$/,
};

const refusedAs = (path: string, code: string) => ({ refused: { path, code } });
const T = '/var/log/audit-${tag}';

const cases: Case[] = [
  // line breaks: LINE_END is `[\r\n]`, so any of them ends a value, a tag or a comment
  { name: 'LF then a new directive in logPath', category: 'line-break', rule: 'LINE_END', where: 'logPath', value: '/var/log/a.log\n</source>\n<source>\n@type exec', expect: refusedAs('logPath', 'unsafe-value') },
  { name: 'lone CR in posFile', category: 'line-break', rule: 'LINE_END matches a lone \\r', where: 'posFile', value: '/var/log/a.pos\r@type exec', expect: refusedAs('posFile', 'unsafe-value') },
  { name: 'CRLF in a param', category: 'line-break', rule: 'LINE_END', where: 'param', value: 'a\r\n</match>', expect: refusedAs('param(field)', 'fluentd-unsafe-character') },
  { name: 'LF in a comment', category: 'line-break', rule: 'a comment runs to the line end', where: 'comment', value: 'note\n</match>', expect: refusedAs('comment', 'fluentd-comment') },
  { name: 'LF in a match pattern', category: 'line-break', rule: 'the tag argument ends at the line end', where: 'match', value: 'a\n<match **>', expect: refusedAs('<match> argument', 'fluentd-element-arg') },
  { name: 'LF in a tree built without builders is escaped', category: 'line-break', rule: 'double-quoted \\n escape (eval_escape_char)', where: 'raw-param', value: 'a\n</match>', expect: { reads: 'a\n</match>' } },
  { name: 'CR in a tree built without builders is escaped', category: 'line-break', rule: 'double-quoted \\r escape', where: 'raw-param', value: '\r<source>', expect: { reads: '\r<source>' } },
  // Unicode line breaks: Go's YAML (a ConfigMap holding fluent.conf) reads them as breaks
  { name: 'U+2028 in logPath', category: 'unicode-line-break', rule: 'checkNodePath', where: 'logPath', value: '/var/log/a.log\u2028--x', expect: refusedAs('logPath', 'unsafe-value') },
  { name: 'U+2029 in outputPathPattern', category: 'unicode-line-break', rule: 'checkNodePath', where: 'outputPathPattern', value: `${T}\u2029.log`, expect: refusedAs('outputPathPattern', 'unsafe-value') },
  { name: 'U+0085 in tag', category: 'unicode-line-break', rule: 'fluentd tag syntax', where: 'tag', value: 'audit\u0085x', expect: refusedAs('tag', 'invalid-option') },
  { name: 'U+2028 in a param', category: 'unicode-line-break', rule: 'checkEmittedText', where: 'param', value: 'a\u2028b', expect: refusedAs('param(field)', 'fluentd-unsafe-character') },
  { name: 'U+2028 in a tree built without builders cannot be escaped', category: 'unicode-line-break', rule: 'no escape for it in double quotes', where: 'raw-param', value: 'a\u2028b', expect: refusedAs('<match a> > field', 'fluentd-unsafe-character') },
  // NUL and other control characters
  { name: 'NUL in logPath', category: 'nul', rule: 'checkNodePath', where: 'logPath', value: '/var/log/a\u0000.log', expect: refusedAs('logPath', 'unsafe-value') },
  { name: 'NUL in a param', category: 'nul', rule: 'checkEmittedText', where: 'param', value: 'a\u0000b', expect: refusedAs('param(field)', 'fluentd-unsafe-character') },
  { name: 'NUL in a tree built without builders is escaped', category: 'nul', rule: 'double-quoted \\0 escape', where: 'raw-param', value: 'a\u0000b', expect: { reads: 'a\u0000b' } },
  { name: 'ESC in a param', category: 'control', rule: 'checkEmittedText', where: 'param', value: '\u001b[31m', expect: refusedAs('param(field)', 'fluentd-unsafe-character') },
  { name: 'DEL in a tree built without builders', category: 'control', rule: 'no escape for it', where: 'raw-param', value: 'a\u007f', expect: refusedAs('<match a> > field', 'fluentd-unsafe-character') },
  { name: 'tab in a param is data, escaped', category: 'control', rule: 'double-quoted \\t escape', where: 'param', value: 'a\tb', expect: { reads: 'a\tb' } },
  // invisible format characters
  { name: 'right-to-left override in posFile', category: 'format-character', rule: 'checkNodePath', where: 'posFile', value: '/var/log/\u202egol.pos', expect: refusedAs('posFile', 'unsafe-value') },
  { name: 'zero-width space in tag', category: 'format-character', rule: 'fluentd tag syntax', where: 'tag', value: 'au\u200bdit', expect: refusedAs('tag', 'invalid-option') },
  { name: 'byte-order mark in a param', category: 'format-character', rule: 'checkEmittedText', where: 'param', value: '\ufeffx', expect: refusedAs('param(field)', 'fluentd-unsafe-character') },
  // lone surrogates cannot be written as UTF-8
  { name: 'lone surrogate in a param', category: 'surrogate', rule: 'checkEmittedText', where: 'param', value: 'a\ud800b', expect: refusedAs('param(field)', 'fluentd-unsafe-character') },
  { name: 'lone surrogate in a tree built without builders', category: 'surrogate', rule: 'UTF-8', where: 'raw-param', value: '\udc00', expect: refusedAs('<match a> > field', 'fluentd-unsafe-character') },
  // quotes: a leading quote changes how the value is read; inside bare text it is text
  { name: 'a double-quoted-looking value', category: 'quote', rule: 'a leading " starts a double-quoted string', where: 'param', value: '"quoted"', expect: { reads: '"quoted"' } },
  { name: 'a single-quoted-looking value', category: 'quote', rule: "a leading ' starts a single-quoted string", where: 'param', value: "'single'", expect: { reads: "'single'" } },
  { name: 'a quote inside bare text', category: 'quote', rule: 'scan_nonquoted_string', where: 'param', value: 'a"b\'c', expect: { reads: 'a"b\'c' } },
  { name: 'quotes in logPath', category: 'quote', rule: 'written double-quoted with \\" escapes', where: 'logPath', value: '/var/log/"a".log', expect: { reads: '/var/log/"a".log' } },
  // backslashes
  { name: 'a trailing backslash', category: 'backslash', rule: 'nonquoted strings keep backslashes', where: 'param', value: 'C:\\dir\\', expect: { reads: 'C:\\dir\\' } },
  { name: 'a backslash and a quote', category: 'backslash', rule: 'nonquoted \\" is two characters', where: 'param', value: '\\"', expect: { reads: '\\"' } },
  { name: 'a backslash in a quoted value', category: 'backslash', rule: 'double-quoted \\\\ escape', where: 'param', value: ' \\n', expect: { reads: ' \\n' } },
  { name: 'a backslash where Ruby runs', category: 'backslash', rule: 'record_transformer wraps values in %Q[...]', where: 'ruby-record', value: 'a\\', expect: refusedAs('<filter audit> > <record> > field', 'fluentd-ruby-injection') },
  // interpolation: #{...} runs Ruby in double quotes; ${...} and __NAME__ are plugin placeholders
  { name: 'Ruby embedded in a value', category: 'interpolation', rule: 'double-quoted #{...} runs at load; \\# reads as #', where: 'param', value: '#{`id`}', expect: { reads: '#{`id`}' } },
  { name: 'Ruby embedded after a space', category: 'interpolation', rule: 'double-quoted #{...} runs at load', where: 'posFile', value: '/var/log/#{`id`}.pos', expect: { reads: '/var/log/#{`id`}.pos' } },
  { name: '${hostname} in plain text', category: 'interpolation', rule: 'record_transformer and forest replace ${...}', where: 'param', value: 'host-${hostname}', expect: refusedAs('param(field)', 'fluentd-placeholder-in-text') },
  { name: '__HOSTNAME__ in plain text', category: 'interpolation', rule: 'record_transformer and forest replace __NAME__', where: 'param', value: '__HOSTNAME__', expect: refusedAs('param(field)', 'fluentd-placeholder-in-text') },
  { name: '${...} in posFile', category: 'interpolation', rule: 'plugins replace ${...}', where: 'posFile', value: '/var/log/${tag}.pos', expect: refusedAs('posFile', 'invalid-option') },
  { name: 'a record field in the output path', category: 'interpolation', rule: "forest replaces only tag and hostname; out_file reads ${...} as chunk keys", where: 'outputPathPattern', value: `/var/log/\${record["user"]}/${T}.log`, expect: refusedAs('outputPathPattern', 'invalid-option') },
  { name: "forest's __TAG__ form", category: 'interpolation', rule: 'out_forest.rb replaces __TAG__', where: 'outputPathPattern', value: '/var/log/audit-__TAG__.*.log', expect: { reads: '/var/log/audit-__TAG__.*.log' } },
  { name: "forest's tag_parts range", category: 'interpolation', rule: 'out_forest.rb replaces ${tag_parts[a..b]}', where: 'outputPathPattern', value: '/var/log/audit-${tag_parts[0..1]}.log', expect: { reads: '/var/log/audit-${tag_parts[0..1]}.log' } },
  { name: 'Ruby that closes %Q[', category: 'interpolation', rule: 'record_transformer with enable_ruby evaluates %Q[...]', where: 'ruby-record', value: 'a]; system("id"); %Q[', expect: refusedAs('<filter audit> > <record> > field', 'fluentd-ruby-injection') },
  { name: '#{...} where Ruby runs', category: 'interpolation', rule: '%Q[...] runs #{...}', where: 'ruby-record', value: 'x#{`id`}', expect: refusedAs('<filter audit> > <record> > field', 'fluentd-ruby-injection') },
  { name: 'plain text where Ruby runs', category: 'interpolation', rule: '%Q[...] of plain text is the text', where: 'ruby-record', value: 'plain text, no markers', expect: { reads: 'plain text, no markers' } },
  { name: 'placeholders in a forest template', category: 'interpolation', rule: 'out_forest.rb replaces ${tag} and ${hostname}', where: 'placeholders', value: '${tag}-${hostname}', expect: { reads: '${tag}-${hostname}' } },
  { name: 'a placeholder that is not closed', category: 'interpolation', rule: 'PlaceholderExpander matches ${[^}]+}', where: 'placeholders', value: '${tag', expect: refusedAs('placeholderText', 'fluentd-placeholder-text') },
  { name: 'placeholder text without a placeholder', category: 'interpolation', rule: 'the parser reads it as plain text', where: 'placeholders', value: '/var/log/plain', expect: refusedAs('placeholderText', 'fluentd-placeholder-text') },
  { name: '$1 in a rewrite rule tag as plain text', category: 'interpolation', rule: 'rewrite_tag_filter replaces $1 in a rule tag', where: 'rewrite-tag', value: 'audit.$1', expect: refusedAs('<match audit> > <rule> > tag', 'fluentd-placeholder-in-text') },
  // JSON: record plugins parse a record value starting with { or [
  { name: 'JSON where a record plugin reads it', category: 'brace', rule: 'record_transformer parse_value', where: 'record', value: '{"admin":true}', expect: refusedAs('<filter audit> > <record> > field', 'fluentd-record-json') },
  { name: 'JSON-looking text elsewhere', category: 'brace', rule: 'a leading { starts JSON; quoted it is text', where: 'param', value: '{"a":1}', expect: { reads: '{"a":1}' } },
  { name: 'an array-looking value', category: 'brace', rule: 'a leading [ starts JSON', where: 'param', value: '[1, 2]', expect: { reads: '[1, 2]' } },
  { name: 'glob braces in logPath', category: 'brace', rule: 'in_tail globs', where: 'logPath', value: '/var/log/{a,b}.log', expect: refusedAs('logPath', 'invalid-option') },
  { name: 'alternation in a match pattern', category: 'brace', rule: 'match pattern syntax', where: 'match', value: '{a,b}.**', expect: { reads: '{a,b}.**' } },
  // comment characters
  { name: 'white space and # in a value', category: 'comment', rule: 'LINE_END: white space then # starts a comment', where: 'param', value: 'value # not a comment', expect: { reads: 'value # not a comment' } },
  { name: 'a leading #', category: 'comment', rule: 'scan_nonquoted_string keeps #', where: 'param', value: '#start', expect: { reads: '#start' } },
  { name: '# inside a path', category: 'comment', rule: 'a # after text is text', where: 'logPath', value: '/var/log/a#b', expect: { reads: '/var/log/a#b' } },
  { name: '# in a tag', category: 'comment', rule: 'fluentd tag syntax', where: 'tag', value: 'audit#x', expect: refusedAs('tag', 'invalid-option') },
  { name: '# in a match pattern', category: 'comment', rule: 'spacing before the argument skips comments', where: 'match', value: 'a #b', expect: refusedAs('<match> argument', 'fluentd-element-arg') },
  { name: 'a comment holding #', category: 'comment', rule: 'a comment runs to the line end', where: 'comment', value: '# nested #{x}', expect: { reads: '# nested #{x}' } },
  // section tags and labels
  { name: 'an end tag as a value', category: 'tag-label', rule: 'a value is read after its key, on the key line', where: 'param', value: '</match>', expect: { reads: '</match>' } },
  { name: 'a start tag as a value', category: 'tag-label', rule: 'a value is read after its key', where: 'param', value: '<match **>', expect: { reads: '<match **>' } },
  { name: '> in a match pattern', category: 'tag-label', rule: '> ends the tag', where: 'match', value: 'a>', expect: refusedAs('<match> argument', 'fluentd-element-arg') },
  { name: 'two patterns', category: 'tag-label', rule: 'white space separates patterns', where: 'match', value: 'a.** b.**', expect: { reads: 'a.** b.**' } },
  { name: 'a label', category: 'tag-label', rule: '<label @NAME>', where: 'label', value: '@AUDIT', expect: { reads: '@AUDIT' } },
  { name: 'a label closing the tag', category: 'tag-label', rule: '> ends the tag', where: 'label', value: '@A>\n<match **>', expect: refusedAs('<label> argument', 'fluentd-element-arg') },
  { name: 'a match pattern as the tag', category: 'tag-label', rule: '<match tag> pattern syntax', where: 'tag', value: 'audit.**', expect: refusedAs('tag', 'invalid-option') },
  { name: 'alternation as the tag', category: 'tag-label', rule: '<match tag> pattern syntax', where: 'tag', value: '{audit,x}', expect: refusedAs('tag', 'invalid-option') },
  { name: '* in the tag', category: 'tag-label', rule: "in_tail's tag expands * to the path", where: 'tag', value: 'audit.*', expect: refusedAs('tag', 'invalid-option') },
  { name: '@include as a key', category: 'reserved-word', rule: 'V1Parser includes a file for @include', where: 'key', value: '@include', expect: refusedAs('param', 'fluentd-param-key') },
  { name: 'a placeholder as a key', category: 'reserved-word', rule: 'record_transformer expands keys', where: 'key', value: '__TAG__', expect: refusedAs('param', 'fluentd-param-key') },
  { name: 'a tag as a key', category: 'reserved-word', rule: 'a line starting with < is a tag', where: 'key', value: '</match>', expect: refusedAs('param', 'fluentd-param-key') },
  // white space
  { name: 'leading spaces', category: 'white-space', rule: 'spacing before a value is skipped', where: 'param', value: '  leading', expect: { reads: '  leading' } },
  { name: 'trailing spaces', category: 'white-space', rule: 'LINE_END drops trailing spaces', where: 'param', value: 'trailing  ', expect: { reads: 'trailing  ' } },
  { name: 'a space in logPath', category: 'white-space', rule: 'checkNodePath', where: 'logPath', value: '/var/log/a b', expect: refusedAs('logPath', 'unsafe-value') },
  { name: 'a space in the tag', category: 'white-space', rule: 'white space separates patterns', where: 'tag', value: 'a b', expect: refusedAs('tag', 'invalid-option') },
  { name: 'a double space in a match pattern', category: 'white-space', rule: 'one space between patterns', where: 'match', value: 'a  b', expect: refusedAs('<match> argument', 'fluentd-element-arg') },
  // in_tail's path is a list of globs
  { name: 'a second file after a comma', category: 'glob-list', rule: 'in_tail splits path at ,', where: 'logPath', value: '/var/log/a.log,/etc/shadow', expect: refusedAs('logPath', 'invalid-option') },
  { name: 'a glob in logPath', category: 'glob-list', rule: 'in_tail globs *', where: 'logPath', value: '/var/log/*.log', expect: refusedAs('logPath', 'invalid-option') },
  { name: 'a ? glob in logPath', category: 'glob-list', rule: 'in_tail extended globs', where: 'logPath', value: '/var/log/a?.log', expect: refusedAs('logPath', 'invalid-option') },
  { name: 'a comma in posFile is a file name', category: 'glob-list', rule: 'pos_file is one path', where: 'posFile', value: '/var/log/a,b.pos', expect: { reads: '/var/log/a,b.pos' } },
  // strftime
  { name: 'a date code in logPath', category: 'strftime', rule: 'in_tail strftime-expands path', where: 'logPath', value: '/var/log/%Y.log', expect: refusedAs('logPath', 'invalid-option') },
  { name: 'a date code in the output path', category: 'strftime', rule: 'out_file strftime-expands path', where: 'outputPathPattern', value: `${T}-%d.log`, expect: refusedAs('outputPathPattern', 'invalid-option') },
  // paths
  { name: 'a relative path', category: 'path', rule: 'checkNodePath', where: 'logPath', value: 'audit.log', expect: refusedAs('logPath', 'unsafe-value') },
  { name: 'a flag as a path', category: 'path', rule: 'checkNodePath', where: 'posFile', value: '--authorization-mode=AlwaysAllow', expect: refusedAs('posFile', 'unsafe-value') },
  { name: 'stdout as a path', category: 'path', rule: 'checkNodePath', where: 'logPath', value: '-', expect: refusedAs('logPath', 'unsafe-value') },
  { name: 'a .. segment', category: 'path', rule: 'a path must be inside the folder it names', where: 'posFile', value: '/var/log/../../etc/shadow', expect: refusedAs('posFile', 'invalid-option') },
  { name: 'an empty path', category: 'path', rule: 'checkNodePath', where: 'logPath', value: '', expect: refusedAs('logPath', 'unsafe-value') },
  { name: 'no tag placeholder', category: 'path', rule: 'every namespace would share one file', where: 'outputPathPattern', value: '/var/log/audit.log', expect: refusedAs('outputPathPattern', 'invalid-option') },
  { name: 'a path longer than Linux allows', category: 'length', rule: 'checkNodePath', where: 'logPath', value: `/${'a'.repeat(5000)}`, expect: refusedAs('logPath', 'unsafe-value') },
];

describeCorpus('fluentd injection corpus', cases, attempt, { minCategories: 18, places: [...OPTIONS, ...SETTERS, 'raw-param'] });

describe('fluentd injection (property)', () => {
  // For every setter and option: any string it accepts round-trips through writer and parser
  // unchanged (`attempt` checks the whole tree reads back), and any it refuses is refused with a
  // problem at its own name.
  it.each([...OPTIONS, ...SETTERS, 'raw-param'] as const)('%s', (where) => {
    expectRoundTrips({ attempt: (value) => attempt(where, value), refusedAt: REFUSED_AT[where], prefixes: ['', '/var/log/', T, 'audit.'], numRuns: 400 });
  });
});

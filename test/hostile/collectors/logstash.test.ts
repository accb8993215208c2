// The logstash injection corpus: named hostile values, each refused with a problem naming the
// option (or builder argument) and the fix, or written so that our parser (written from logstash's
// grammar, logstash-core/lib/logstash/compiler/lscl/lscl_grammar.treetop, and its substitution
// code, ConfigVariableExpander and StringInterpolation) reads back exactly the intended tree and
// string. Interpolation checks run on the whole string as logstash reads it, so text split over
// parts cannot form `${...}` or `%{...}`. Then fast-check: any string a setter accepts round-trips.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CollectorConfigError, logstash } from '@k8s-gen/collectors';
import { expectActionable, viaUtf8 } from '../../../packages/collectors/test/helpers.js';
import { describeCorpus, expectRoundTrips, hostileString, type Attempt, type HostileCase } from './corpus.js';

const { AUDIT_EVENT_USERNAME, bareword, dateFormat, envRef, fieldRef, hash, output, pipeline, plugin, script, setting, sprintf, str } = logstash;
type LogstashPipeline = logstash.LogstashPipeline;
type StringPart = logstash.StringPart;

const OPTIONS = ['outputPathPattern', 'outputPathParts', 'host', 'port', 'tls.certificate', 'elasticsearch.index', 'elasticsearch.user', 'elasticsearch.passwordEnv'] as const;
const SETTERS = ['str', 'str-parts', 'str-escapes', 'script', 'setting-key', 'plugin-name', 'comment', 'bareword', 'field', 'env', 'env-default', 'date', 'hash-key'] as const;
/** Where a value goes: a preset option, a builder argument, or (`raw-*`) a tree built without the builders. */
type Where = (typeof OPTIONS)[number] | (typeof SETTERS)[number] | 'raw-string' | 'raw-escapes';
type Case = HostileCase<Where, string>;

/** Splits a case's value into adjacent parts (for the interpolation-split cases). */
const SPLIT = '¦';
const textParts = (value: string): StringPart[] => value.split(SPLIT).map((text) => ({ kind: 'text', text }));

/** Adjacent text parts joined and empty ones dropped, as the parser reads them. */
function joinText(parts: readonly StringPart[]): StringPart[] {
  const out: StringPart[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (part.kind === 'text' && part.text === '') continue;
    if (part.kind === 'text' && last?.kind === 'text') out[out.length - 1] = { kind: 'text', text: last.text + part.text };
    else out.push(part);
  }
  return out;
}

const perUser = () => str('/var/log/kube-audit-', sprintf(AUDIT_EVENT_USERNAME), '/audit');

/** The content of a string node as logstash reads it (parts joined in their syntax). */
function content(value: logstash.LogstashValue): string {
  if (value.kind === 'string') return value.parts.map((p) => (p.kind === 'text' ? p.text : p.kind === 'field' ? `%{${p.path.map((n) => `[${n}]`).join('')}}` : p.kind === 'date' ? `%{+${p.format}}` : `\${${p.name}${p.default === undefined ? '' : `:${p.default}`}}`)).join('');
  if (value.kind === 'script') return value.source;
  if (value.kind === 'bareword') return value.value;
  throw new Error(`no content for ${value.kind}`);
}

function plugins(config: LogstashPipeline, type: logstash.SectionType): logstash.LogstashPlugin[] {
  const section = config.body.find((s): s is logstash.LogstashSection => s.kind === 'section' && s.type === type)!;
  return section.body.filter((p): p is logstash.LogstashPlugin => p.kind === 'plugin');
}

function settingOf(p: logstash.LogstashPlugin, key: string): logstash.LogstashValue {
  const found = p.body.find((s): s is logstash.LogstashSetting => s.kind === 'setting' && s.key === key);
  expect(found, `${p.name} has ${key}`).toBeDefined();
  return found!.value;
}

function presetOptions(where: (typeof OPTIONS)[number], value: string): logstash.AuditWebhookByUserOptions {
  const es = (extra: Partial<logstash.ElasticsearchOutputOptions>): logstash.AuditWebhookByUserOptions => ({ port: 8888, outputPathPattern: perUser(), elasticsearch: { hosts: ['https://es:9200'], index: 'audit', ...extra } });
  switch (where) {
    case 'outputPathPattern':
      return { port: 8888, outputPathPattern: { kind: 'string', parts: [{ kind: 'text', text: value }, sprintf(AUDIT_EVENT_USERNAME)] } };
    case 'outputPathParts':
      return { port: 8888, outputPathPattern: { kind: 'string', parts: [...textParts(value), sprintf(AUDIT_EVENT_USERNAME)] } };
    case 'host':
      return { port: 8888, host: value, outputPathPattern: perUser() };
    case 'port':
      return { port: value, outputPathPattern: perUser() };
    case 'tls.certificate':
      return { port: 8888, outputPathPattern: perUser(), tls: { certificate: value, key: '/etc/logstash/tls.key' } };
    case 'elasticsearch.index':
      return es({ index: value });
    case 'elasticsearch.user':
      return es({ user: value });
    case 'elasticsearch.passwordEnv':
      return es({ passwordEnv: value });
  }
}

function readOption(where: (typeof OPTIONS)[number], config: LogstashPipeline): string {
  const http = plugins(config, 'input')[0]!;
  const [file, es] = plugins(config, 'output');
  switch (where) {
    case 'outputPathPattern':
    case 'outputPathParts':
      return content(settingOf(file!, 'path')).replace(/%\{\[event\]\[user\]\[username\]\}$/, '');
    case 'host':
      return content(settingOf(http, 'host'));
    case 'port':
      return String((settingOf(http, 'port') as logstash.NumberValue).value);
    case 'tls.certificate':
      return content(settingOf(http, 'ssl_certificate'));
    case 'elasticsearch.index':
      return content(settingOf(es!, 'index'));
    case 'elasticsearch.user':
      return content(settingOf(es!, 'user'));
    case 'elasticsearch.passwordEnv':
      return content(settingOf(es!, 'password')).slice(2, -1);
  }
}

/** A setting `x` of plugin `p` in an output section holding the value; builders may throw. */
function build(where: Exclude<Where, (typeof OPTIONS)[number]>, value: string): { config: LogstashPipeline; read: (c: LogstashPipeline) => string } {
  const one = (v: logstash.ValueInput) => pipeline(output(plugin('p', setting('x', v))));
  const x = (c: LogstashPipeline) => settingOf(plugins(c, 'output')[0]!, 'x');
  switch (where) {
    case 'str':
    case 'str-escapes':
      return { config: one(str(value)), read: (c) => content(x(c)) };
    case 'str-parts':
      return { config: one(str(...value.split(SPLIT))), read: (c) => content(x(c)) };
    case 'raw-string':
    case 'raw-escapes':
      return { config: one({ kind: 'string', parts: textParts(value) }), read: (c) => content(x(c)) };
    case 'script':
      return { config: one(script(value, 'end')), read: (c) => content(x(c)).replace(/\nend\n$/, '') };
    case 'setting-key':
      return { config: pipeline(output(plugin('p', setting(value, 1)))), read: (c) => (plugins(c, 'output')[0]!.body[0] as logstash.LogstashSetting).key };
    case 'plugin-name':
      return { config: pipeline(output(plugin(value, setting('x', 1)))), read: (c) => plugins(c, 'output')[0]!.name };
    case 'comment':
      return { config: pipeline(output(plugin('p', logstash.comment(value), setting('x', 1)))), read: (c) => (plugins(c, 'output')[0]!.body[0] as logstash.LogstashComment).text };
    case 'bareword':
      return { config: one(bareword(value)), read: (c) => content(x(c)) };
    case 'field':
      return { config: one(str('/var/log/', sprintf(fieldRef('event', value)))), read: (c) => ((x(c) as logstash.StringValue).parts[1] as logstash.FieldPart).path[1]! };
    case 'env':
      return { config: one(str(envRef(value))), read: (c) => ((x(c) as logstash.StringValue).parts[0] as logstash.EnvPart).name };
    case 'env-default':
      return { config: one(str(envRef('NAME', value))), read: (c) => ((x(c) as logstash.StringValue).parts[0] as logstash.EnvPart).default ?? '' };
    case 'date':
      return { config: one(str('audit-', dateFormat(value))), read: (c) => ((x(c) as logstash.StringValue).parts[1] as logstash.DatePart).format };
    case 'hash-key':
      return { config: one(hash([value, 1])), read: (c) => content((x(c) as logstash.HashValue).entries[0]!.key) };
  }
}

function attempt(where: Where, value: string): Attempt {
  let config: LogstashPipeline;
  let read: (c: LogstashPipeline) => string;
  if ((OPTIONS as readonly string[]).includes(where)) {
    const option = where as (typeof OPTIONS)[number];
    const preset = logstash.auditWebhookByUser(presetOptions(option, value));
    if (!preset.ok) {
      // A refused option is reported under its own name, and only that option is refused.
      const name = option === 'outputPathParts' ? 'outputPathPattern' : option;
      expect(preset.problems.map((p) => p.path)).toEqual([name]);
      return { problem: preset.problems[0]! };
    }
    config = preset.value.pipeline;
    read = (c) => readOption(option, c);
  } else {
    try {
      ({ config, read } = build(where as Exclude<Where, (typeof OPTIONS)[number]>, value));
    } catch (error) {
      if (!(error instanceof CollectorConfigError)) throw error;
      return { problem: error.problem };
    }
  }
  const supportEscapes = where === 'str-escapes' || where === 'raw-escapes';
  const written = logstash.writeLogstash(config, { supportEscapes });
  if (!written.ok) return { problem: written.problems[0]! };
  const reread = logstash.parseLogstash(viaUtf8(written.value), { supportEscapes });
  expect(reread.problems).toEqual([]);
  // The structure is the intended one: the same tree once adjacent text is joined.
  expect(reread.value).toEqual(JSON.parse(JSON.stringify(config, (key, v: unknown) => (key === 'parts' ? joinText(v as StringPart[]) : v))));
  return { text: written.value, read: read(reread.value!) };
}

const X = 'output.p[0].x';
const REFUSED_AT: Record<Where, RegExp> = {
  outputPathPattern: /^outputPathPattern$/,
  outputPathParts: /^outputPathPattern$/,
  host: /^host$/,
  port: /^port$/,
  'tls.certificate': /^tls\.certificate$/,
  'elasticsearch.index': /^elasticsearch\.index$/,
  'elasticsearch.user': /^elasticsearch\.user$/,
  'elasticsearch.passwordEnv': /^elasticsearch\.passwordEnv$/,
  // Without support_escapes a string with both kinds of quote cannot be written: the builder
  // accepts it (it may be written with support_escapes), the writer refuses it at the setting.
  str: /^(str|output\.p\[0\]\.x)$/,
  'str-parts': /^(str|output\.p\[0\]\.x)$/,
  'str-escapes': /^str$/,
  'raw-string': /^output\.p\[0\]\.x$/,
  'raw-escapes': /^output\.p\[0\]\.x$/,
  script: /^(script(\[0\])?|output\.p\[0\]\.x)$/,
  'setting-key': /^setting$/,
  'plugin-name': /^plugin$/,
  comment: /^comment$/,
  bareword: /^bareword$/,
  field: /^fieldRef\[1\]$/,
  env: /^envRef$/,
  'env-default': /^envRef$/,
  date: /^dateFormat$/,
  'hash-key': /^(str|bareword|output\.p\[0\]\.x\{0\})$/,
};

const refusedAs = (path: string, code: string) => ({ refused: { path, code } });
const DIR = '/var/log/kube-audit-';

const cases: Case[] = [
  // line breaks: inside quotes a line break is text, but only scripts may span lines
  { name: 'LF in the output path', category: 'line-break', rule: 'checkNodePath', where: 'outputPathPattern', value: `${DIR}\n} } output { exec { command => "id" } }`, expect: refusedAs('outputPathPattern', 'unsafe-value') },
  { name: 'CR in a string', category: 'line-break', rule: 'checkEmittedText', where: 'str', value: 'a\rb', expect: refusedAs('str', 'logstash-unsafe-character') },
  { name: 'LF in a comment', category: 'line-break', rule: 'comment: "#" [^\\r\\n]*', where: 'comment', value: 'x\n} output { exec {', expect: refusedAs('comment', 'logstash-comment') },
  { name: 'LF in a tree built without builders', category: 'line-break', rule: 'a string with a line feed reads back as a script', where: 'raw-string', value: 'a\nb', expect: refusedAs(X, 'logstash-unsafe-character') },
  { name: 'LF escaped with support_escapes', category: 'line-break', rule: 'StringEscape: \\n', where: 'raw-escapes', value: 'a\rb', expect: { reads: 'a\rb' } },
  { name: 'LF in the user name', category: 'line-break', rule: 'checkEmittedText', where: 'elasticsearch.user', value: 'writer\npassword => "x"', expect: refusedAs('elasticsearch.user', 'unsafe-value') },
  // Unicode line breaks
  { name: 'U+2028 in the index', category: 'unicode-line-break', rule: 'checkEmittedText', where: 'elasticsearch.index', value: 'audit\u2028x', expect: refusedAs('elasticsearch.index', 'unsafe-value') },
  { name: 'U+2029 in a string', category: 'unicode-line-break', rule: 'checkEmittedText', where: 'str', value: 'a\u2029b', expect: refusedAs('str', 'logstash-unsafe-character') },
  { name: 'U+0085 in a tree built without builders', category: 'unicode-line-break', rule: 'no escape for it', where: 'raw-escapes', value: 'a\u0085b', expect: refusedAs(X, 'logstash-unsafe-character') },
  // NUL and control characters
  { name: 'NUL in the certificate path', category: 'nul', rule: 'checkNodePath', where: 'tls.certificate', value: '/etc/logstash/tls.crt\u0000', expect: refusedAs('tls.certificate', 'unsafe-value') },
  { name: 'NUL escaped with support_escapes', category: 'nul', rule: 'StringEscape: \\0', where: 'raw-escapes', value: 'a\u0000b', expect: { reads: 'a\u0000b' } },
  { name: 'NUL without support_escapes', category: 'nul', rule: 'nothing is unescaped', where: 'raw-string', value: 'a\u0000b', expect: refusedAs(X, 'logstash-unsafe-character') },
  { name: 'ESC in a comment', category: 'control', rule: 'checkEmittedText', where: 'comment', value: '\u001b[2J', expect: refusedAs('comment', 'logstash-comment') },
  { name: 'a tab in a string', category: 'control', rule: 'checkEmittedText', where: 'str', value: 'a\tb', expect: refusedAs('str', 'logstash-unsafe-character') },
  { name: 'a tab in a script', category: 'control', rule: 'raw tab inside quotes', where: 'script', value: '\tevent.cancel', expect: { reads: '\tevent.cancel' } },
  // format characters, surrogates
  { name: 'right-to-left override in the user', category: 'format-character', rule: 'checkEmittedText', where: 'elasticsearch.user', value: 'admin\u202e', expect: refusedAs('elasticsearch.user', 'unsafe-value') },
  { name: 'zero-width space in a string', category: 'format-character', rule: 'checkEmittedText', where: 'str', value: 'a\u200bb', expect: refusedAs('str', 'logstash-unsafe-character') },
  { name: 'lone surrogate in a string', category: 'surrogate', rule: 'UTF-8', where: 'str', value: 'a\ud800', expect: refusedAs('str', 'logstash-unsafe-character') },
  { name: 'lone surrogate in a tree built without builders', category: 'surrogate', rule: 'UTF-8', where: 'raw-string', value: '\udfff', expect: refusedAs(X, 'logstash-unsafe-character') },
  // quotes
  { name: 'a double quote', category: 'quote', rule: "single_quoted_string: ( \"'\" ( \"\\\\'\" / !\"'\" . )* \"'\" )", where: 'str', value: 'say "hi"', expect: { reads: 'say "hi"' } },
  { name: 'a single quote', category: 'quote', rule: 'double_quoted_string', where: 'str', value: "it's", expect: { reads: "it's" } },
  { name: 'both quotes without support_escapes', category: 'quote', rule: 'neither quoted form can hold both', where: 'str', value: `"it's"`, expect: refusedAs(X, 'logstash-quote') },
  { name: 'both quotes with support_escapes', category: 'quote', rule: 'StringEscape: \\"', where: 'str-escapes', value: `"it's" done`, expect: { reads: `"it's" done` } },
  { name: 'a quote in the user name', category: 'quote', rule: 'single-quoted', where: 'elasticsearch.user', value: 'o"brien', expect: { reads: 'o"brien' } },
  { name: 'a quote closing the string early', category: 'quote', rule: 'single-quoted', where: 'str', value: '" } exec { command => "id', expect: { reads: '" } exec { command => "id' } },
  // backslashes
  { name: 'a trailing backslash', category: 'backslash', rule: "'\\\"' does not end a double-quoted string", where: 'str', value: 'C:\\', expect: refusedAs('str', 'logstash-trailing-backslash') },
  { name: 'a backslash before a quote', category: 'backslash', rule: 'without support_escapes backslashes stay', where: 'str', value: 'a\\"b', expect: { reads: 'a\\"b' } },
  { name: 'a backslash-n without support_escapes', category: 'backslash', rule: 'nothing is unescaped', where: 'str', value: 'a\\nb', expect: { reads: 'a\\nb' } },
  { name: 'backslashes with support_escapes', category: 'backslash', rule: 'StringEscape: \\\\', where: 'str-escapes', value: 'C:\\new\\"x', expect: { reads: 'C:\\new\\"x' } },
  // interpolation: ${...} at load (ConfigVariableExpander), %{...} per event (StringInterpolation)
  { name: 'an environment reference in text', category: 'interpolation', rule: 'SUBSTITUTION_PLACEHOLDER_REGEX', where: 'str', value: '${HOME}', expect: refusedAs('str', 'logstash-env-in-text') },
  { name: 'a field reference in text', category: 'interpolation', rule: 'StringInterpolation.evaluate', where: 'str', value: '%{[user][username]}', expect: refusedAs('str', 'logstash-sprintf-in-text') },
  { name: 'an unclosed field reference', category: 'interpolation', rule: 'a later } would close it', where: 'str', value: '100%{ done', expect: refusedAs('str', 'logstash-sprintf-in-text') },
  { name: 'a secret read into the index', category: 'interpolation', rule: 'SUBSTITUTION_PLACEHOLDER_REGEX', where: 'elasticsearch.index', value: '${ES_PASSWORD}', expect: refusedAs('elasticsearch.index', 'logstash-env-in-text') },
  { name: 'a field in the output directory', category: 'interpolation', rule: 'StringInterpolation.evaluate', where: 'outputPathPattern', value: '/var/log/%{[user][groups]}/', expect: refusedAs('outputPathPattern', 'logstash-sprintf-in-text') },
  { name: 'an environment reference in a script', category: 'interpolation', rule: 'every string setting is substituted, code too', where: 'script', value: 'x = "${SECRET}"', expect: refusedAs('script', 'logstash-env-in-text') },
  { name: '%{ in a script is Ruby', category: 'interpolation', rule: 'the ruby filter does not sprintf its code', where: 'script', value: 'x = %{literal}', expect: { reads: 'x = %{literal}' } },
  { name: 'a } in an environment default', category: 'interpolation', rule: 'the default is [^}]*', where: 'env-default', value: 'a}b', expect: refusedAs('envRef', 'logstash-env-default') },
  { name: 'a dotted environment name', category: 'interpolation', rule: 'KEY_PATTERN [a-zA-Z_.][a-zA-Z0-9_.]*', where: 'env', value: 'es.password', expect: { reads: 'es.password' } },
  { name: 'an environment name with -', category: 'interpolation', rule: 'KEY_PATTERN', where: 'env', value: 'ES-PASSWORD', expect: refusedAs('envRef', 'logstash-env-name') },
  { name: 'a password variable with }', category: 'interpolation', rule: 'KEY_PATTERN', where: 'elasticsearch.passwordEnv', value: 'ES_PASSWORD}', expect: refusedAs('elasticsearch.passwordEnv', 'invalid-option') },
  // interpolation split over adjacent parts: the check runs on the joined string
  { name: "'/var/log/$' + '{HOME}/' in the output path", category: 'interpolation-split', rule: 'checked after the parts are joined', where: 'outputPathParts', value: `/var/log/$${SPLIT}{HOME}/`, expect: refusedAs('outputPathPattern', 'logstash-env-in-text') },
  { name: "'%' + '{[a]}' in the output path", category: 'interpolation-split', rule: 'checked after the parts are joined', where: 'outputPathParts', value: `/var/log/%${SPLIT}{[a]}/`, expect: refusedAs('outputPathPattern', 'logstash-sprintf-in-text') },
  { name: "'$' + '{HOME}' through str()", category: 'interpolation-split', rule: 'str() joins its arguments first', where: 'str-parts', value: `/var/log/$${SPLIT}{HOME}/`, expect: refusedAs('str', 'logstash-env-in-text') },
  { name: "'$' + '{HOME}' in a tree built without builders", category: 'interpolation-split', rule: 'the writer joins the parts first', where: 'raw-string', value: `/var/log/$${SPLIT}{HOME}/`, expect: refusedAs(X, 'logstash-env-in-text') },
  { name: "'%{' + '[a]}' in a tree built without builders", category: 'interpolation-split', rule: 'the writer joins the parts first', where: 'raw-escapes', value: `%{${SPLIT}[a]}`, expect: refusedAs(X, 'logstash-sprintf-in-text') },
  { name: "'$' + '$' + '{' + 'X}'", category: 'interpolation-split', rule: 'the writer joins the parts first', where: 'raw-string', value: `$${SPLIT}$${SPLIT}{${SPLIT}X}`, expect: refusedAs(X, 'logstash-env-in-text') },
  { name: 'split text without a reference', category: 'interpolation-split', rule: 'joined text reads back as one part', where: 'raw-string', value: `/var/${SPLIT}log/$${SPLIT}x`, expect: { reads: '/var/log/$x' } },
  // comment characters
  { name: '# in a string', category: 'comment', rule: 'a comment starts only outside strings', where: 'str', value: 'a # b', expect: { reads: 'a # b' } },
  { name: '# in a comment', category: 'comment', rule: 'comment: "#" [^\\r\\n]*', where: 'comment', value: '# nested', expect: { reads: '# nested' } },
  { name: '# in a plugin name', category: 'comment', rule: 'name: [A-Za-z0-9_-]+', where: 'plugin-name', value: 'file#x', expect: refusedAs('plugin', 'logstash-plugin-name') },
  // braces
  { name: 'a closing brace', category: 'brace', rule: 'braces inside strings are text', where: 'str', value: '} } output { exec { command => id } }', expect: { reads: '} } output { exec { command => id } }' } },
  { name: 'a brace after a field reference', category: 'brace', rule: 'the first } closes %{', where: 'field', value: 'user}', expect: refusedAs('fieldRef[1]', 'logstash-field-name') },
  { name: 'a brace in a date format', category: 'brace', rule: 'the first } closes %{+', where: 'date', value: 'yyyy}x', expect: refusedAs('dateFormat', 'logstash-date-format') },
  { name: 'epoch seconds', category: 'brace', rule: '%{+%s} is epoch seconds', where: 'date', value: '%s', expect: refusedAs('dateFormat', 'logstash-date-format') },
  { name: 'a brace as a hash key', category: 'brace', rule: 'hashentry name: number / bareword / string', where: 'hash-key', value: '{', expect: { reads: '{' } },
  { name: 'a bracket in a field name', category: 'brace', rule: 'selector_element: "[" [^\\]\\[,]+ "]"', where: 'field', value: 'a][b', expect: refusedAs('fieldRef[1]', 'logstash-field-name') },
  { name: 'a comma in a field name', category: 'brace', rule: 'selector_element excludes ,', where: 'field', value: 'a,b', expect: refusedAs('fieldRef[1]', 'logstash-field-name') },
  { name: 'an annotation key as a field', category: 'brace', rule: 'a plain field name', where: 'field', value: 'authorization.k8s.io/decision', expect: { reads: 'authorization.k8s.io/decision' } },
  // environment references next to text: variables are replaced before events are formatted
  { name: "'%' right before a field reference", category: 'interpolation-split', rule: 'StringInterpolation finds the %{ after the %', where: 'outputPathParts', value: '/var/log/%', expect: { reads: '/var/log/%' } },
  { name: 'quotes around plain text are kept', category: 'quote', rule: 'refine strips quotes only after a variable was replaced', where: 'elasticsearch.index', value: "'audit'", expect: { reads: "'audit'" } },
  // reserved words
  { name: 'a plugin named if', category: 'reserved-word', rule: 'branch_or_plugin: branch / plugin', where: 'plugin-name', value: 'if', expect: refusedAs('plugin', 'logstash-plugin-name') },
  { name: 'a plugin named else', category: 'reserved-word', rule: 'else starts a branch', where: 'plugin-name', value: 'else', expect: refusedAs('plugin', 'logstash-plugin-name') },
  { name: 'true as a bareword', category: 'reserved-word', rule: 'true reads as a boolean', where: 'bareword', value: 'true', expect: refusedAs('bareword', 'logstash-bareword') },
  { name: 'a one-letter bareword', category: 'reserved-word', rule: 'bareword: [A-Za-z_] [A-Za-z0-9_]+', where: 'bareword', value: 'x', expect: refusedAs('bareword', 'logstash-bareword') },
  { name: 'an arrow in a setting name', category: 'reserved-word', rule: 'attribute: name cs "=>" cs value', where: 'setting-key', value: 'a => 1 b', expect: refusedAs('setting', 'logstash-setting-name') },
  { name: 'a one-letter hash key', category: 'reserved-word', rule: 'a one-letter word is no bareword, so it is quoted', where: 'hash-key', value: 'k', expect: { reads: 'k' } },
  // white space
  { name: 'a space in the host', category: 'white-space', rule: 'a host name or address', where: 'host', value: '0.0.0.0 port', expect: refusedAs('host', 'invalid-option') },
  { name: 'a space in the index', category: 'white-space', rule: 'checkEmittedText without spaces', where: 'elasticsearch.index', value: 'audit x', expect: refusedAs('elasticsearch.index', 'unsafe-value') },
  { name: 'spaces in a string', category: 'white-space', rule: 'text', where: 'str', value: '  padded  ', expect: { reads: '  padded  ' } },
  { name: 'a port with a line feed', category: 'white-space', rule: 'a TCP port', where: 'port', value: '8888\n', expect: refusedAs('port', 'invalid-option') },
  // paths
  { name: 'a relative certificate', category: 'path', rule: 'checkNodePath', where: 'tls.certificate', value: 'tls.crt', expect: refusedAs('tls.certificate', 'unsafe-value') },
  { name: 'a flag as the certificate', category: 'path', rule: 'checkNodePath', where: 'tls.certificate', value: '--path.settings=/tmp', expect: refusedAs('tls.certificate', 'unsafe-value') },
  { name: 'a .. in the output path', category: 'path', rule: 'a path must be inside the folder it names', where: 'outputPathPattern', value: '/var/log/../../etc/', expect: refusedAs('outputPathPattern', 'invalid-option') },
  { name: 'a relative output path', category: 'path', rule: 'the file output resolves it against its cwd', where: 'outputPathPattern', value: 'audit-', expect: refusedAs('outputPathPattern', 'unsafe-value') },
  { name: 'an output path', category: 'path', rule: 'text then the user field', where: 'outputPathPattern', value: DIR, expect: { reads: DIR } },
  { name: 'a very long string', category: 'length', rule: 'no limit below the reader limit', where: 'str', value: 'a'.repeat(10_000), expect: { reads: 'a'.repeat(10_000) } },
];

describeCorpus('logstash injection corpus', cases, attempt, { minCategories: 16, places: [...OPTIONS, ...SETTERS, 'raw-string', 'raw-escapes'] }, () => {
  it('refuses an environment reference that would join its neighbours', () => {
    // replace_placeholders runs before sprintf, so `%` + a variable whose value starts with `{`
    // would become a field reference; refine strips quotes and turns [...] into a list.
    const refusedCode = (parts: StringPart[]) => {
      const problems = logstash.checkLogstashValue({ kind: 'string', parts }, 'x');
      expect(problems).toHaveLength(1);
      expectActionable(problems[0]!);
      return problems[0]!.code;
    };
    expect(refusedCode([{ kind: 'text', text: '%' }, envRef('X')])).toBe('logstash-env-joins');
    expect(refusedCode([envRef('X'), { kind: 'text', text: '{[a]}' }])).toBe('logstash-env-joins');
    expect(refusedCode([{ kind: 'text', text: '[' }, envRef('X'), { kind: 'text', text: ']' }])).toBe('logstash-env-refine');
    expect(refusedCode([{ kind: 'text', text: "'" }, envRef('X')])).toBe('logstash-env-refine');
    expect(logstash.checkLogstashValue(str('$', envRef('X'), '%', sprintf(fieldRef('a'))), 'x')).toEqual([]);
  });
});

describe('logstash injection (property)', () => {
  // For every setter and option: any string it accepts round-trips through writer and parser
  // unchanged (`attempt` checks the whole tree reads back), and any it refuses is refused with a
  // problem at its own name.
  it.each([...OPTIONS, ...SETTERS, 'raw-string', 'raw-escapes'] as const)('%s', (where) => {
    const joined = where === 'outputPathParts' || where === 'str-parts' || where.startsWith('raw-');
    expectRoundTrips({
      attempt: (value) => attempt(where, value),
      refusedAt: REFUSED_AT[where],
      prefixes: ['', '/var/log/', 'https://es:9200/', 'ES_'],
      reads: (value) => (joined ? value.split(SPLIT).join('') : where === 'port' ? String(Number(value)) : value),
      // The only refusal of a string the builder accepted: both quotes, without support_escapes.
      onRefusal: (problem) => {
        if (problem.path === X && (where === 'str' || where === 'str-parts')) expect(problem.code).toBe('logstash-quote');
      },
      // A port or host name is a narrow syntax that generated text seldom hits; the corpus has accepted cases.
      expectAccepted: where !== 'port' && where !== 'host',
      numRuns: 300,
    });
  });

  it('splitting accepted text over parts never changes what logstash reads', () => {
    fc.assert(
      fc.property(hostileString, hostileString, fc.boolean(), (a, b, supportEscapes) => {
        const config = pipeline(output(plugin('p', setting('x', { kind: 'string', parts: [{ kind: 'text', text: a }, { kind: 'text', text: b }] }))));
        const joined = pipeline(output(plugin('p', setting('x', { kind: 'string', parts: [{ kind: 'text', text: a + b }] }))));
        const split = logstash.writeLogstash(config, { supportEscapes });
        const whole = logstash.writeLogstash(joined, { supportEscapes });
        expect(split.ok).toBe(whole.ok);
        if (split.ok) expect(split.value).toBe(whole.value);
        else expect(split.problems.map((p) => p.code)).toEqual(whole.problems.map((p) => p.code));
      }),
      { numRuns: 500 },
    );
  });
});

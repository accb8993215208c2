// The Fluent Bit injection corpus, for both formats: named hostile values, each refused with a
// problem naming the option (or builder argument) and the fix, or written so that our parsers
// (written from Fluent Bit's readers, src/config_format/flb_cf_fluentbit.c and flb_cf_yaml.c) read
// back exactly the intended tree and value. Then fast-check: any string a setter accepts
// round-trips through writer and parser, in the classic and the YAML format.
import { describe, expect, it } from 'vitest';
import { CollectorConfigError, fluentbit } from '@k8s-gen/collectors';
import { viaUtf8 } from '../../../packages/collectors/test/helpers.js';
import { describeCorpus, expectRoundTrips, type Attempt, type HostileCase } from './corpus.js';

const { fluentBitConfig, input, output, propertyValue, valueText } = fluentbit;
type FluentBitConfig = fluentbit.FluentBitConfig;

const OPTIONS = ['logPath', 'tag', 'stateDir', 'sinkName'] as const;
const SETTERS = ['value', 'value-yaml', 'key', 'comment', 'comment-yaml', 'plugin', 'env'] as const;
type Where = (typeof OPTIONS)[number] | (typeof SETTERS)[number] | 'raw-value';
type Case = HostileCase<Where, string>;

const base = { logPath: '/var/log/kubernetes/audit/audit.log', eventSize: { truncateMaxEventSize: 102_400, maxLevel: 'RequestResponse' as const }, sinks: [{ name: 'out', output: output('stdout') }] };

/** Writes in one format and parses back; the parsed tree must be the written one. */
function roundTrip(config: FluentBitConfig, format: 'classic' | 'yaml'): { problem: NonNullable<Attempt> } | { reread: FluentBitConfig; text: string } {
  if (format === 'yaml') {
    const written = fluentbit.writeFluentBitYaml(config);
    if (!written.ok) return { problem: { problem: written.problems[0]! } };
    const reread = fluentbit.parseFluentBitYaml(viaUtf8(written.value));
    expect(reread.problems).toEqual([]);
    return { reread: reread.value!, text: written.value };
  }
  const written = fluentbit.writeFluentBitClassic(config, { parsersFile: '/fluent-bit/etc/parsers.conf' });
  if (!written.ok) return { problem: { problem: written.problems[0]! } };
  const reread = fluentbit.parseFluentBitClassic(viaUtf8(written.value.main), written.value.parsers === undefined ? {} : { parsers: viaUtf8(written.value.parsers) });
  expect(reread.problems).toEqual([]);
  // The structure is the intended one: same sections, properties and comments.
  expect(reread.value!.outputs.length + reread.value!.inputs.length).toBe(config.outputs.length + config.inputs.length);
  return { reread: reread.value!, text: written.value.main };
}

function attempt(where: Where, value: string): Attempt {
  let config: FluentBitConfig;
  let read: (config: FluentBitConfig) => string;
  let format: 'classic' | 'yaml' = 'classic';
  try {
    switch (where) {
      case 'logPath':
      case 'tag':
      case 'stateDir':
      case 'sinkName': {
        const options = where === 'sinkName' ? { ...base, sinks: [{ name: value, output: output('stdout') }] } : { ...base, [where]: value };
        const preset = fluentbit.auditLogTail(options);
        if (!preset.ok) {
          expect(preset.problems.map((p) => p.path)).toEqual([where === 'sinkName' ? 'sinks[0].name' : where]);
          return { problem: preset.problems[0]! };
        }
        config = preset.value.config;
        read = (c) => {
          const tail = c.inputs[0]!;
          if (where === 'logPath') return valueText(propertyValue(tail, 'path')!);
          if (where === 'tag') return valueText(propertyValue(tail, 'tag')!);
          if (where === 'stateDir') return valueText(propertyValue(tail, 'db')!).replace(/\/kube-audit-tail\.db$/, '');
          return valueText(propertyValue(c.outputs[0]!, 'match')!) === 'kube.audit' ? value : '';
        };
        break;
      }
      case 'value':
      case 'value-yaml':
        format = where === 'value' ? 'classic' : 'yaml';
        config = fluentBitConfig({ inputs: [input('dummy', { dummy: value })] });
        read = (c) => valueText(propertyValue(c.inputs[0]!, 'dummy')!);
        break;
      case 'raw-value':
        config = fluentBitConfig({ inputs: [{ kind: 'input', name: 'dummy', properties: [{ key: 'dummy', value }] }] });
        read = (c) => valueText(propertyValue(c.inputs[0]!, 'dummy')!);
        break;
      case 'key':
        config = fluentBitConfig({ inputs: [input('dummy', [[value, 'x']])] });
        read = (c) => c.inputs[0]!.properties[0]!.key;
        break;
      case 'comment':
      case 'comment-yaml':
        format = where === 'comment' ? 'classic' : 'yaml';
        config = fluentBitConfig({ inputs: [input('dummy', {}, value)] });
        // YAML comments are not part of the tree read back; the structure is checked instead.
        read = (c) => (format === 'classic' ? (c.inputs[0]!.comment ?? '') : value);
        break;
      case 'plugin':
        config = fluentBitConfig({ outputs: [output(value, { match: '*' })] });
        read = (c) => c.outputs[0]!.name;
        break;
      case 'env':
        config = fluentBitConfig({ outputs: [output('es', { http_passwd: fluentbit.envRef(value) })] });
        read = (c) => {
          const v = propertyValue(c.outputs[0]!, 'http_passwd')!;
          return typeof v === 'string' ? `text:${v}` : v.name;
        };
        break;
    }
  } catch (error) {
    if (!(error instanceof CollectorConfigError)) throw error;
    return { problem: error.problem };
  }
  const result = roundTrip(config!, format);
  if ('problem' in result) return result.problem;
  return format === 'yaml' ? { text: result.text, read: read!(result.reread), yaml: true } : { text: result.text, read: read!(result.reread) };
}

const REFUSED_AT: Record<Where, RegExp> = {
  logPath: /^logPath$/,
  tag: /^tag$/,
  stateDir: /^stateDir$/,
  sinkName: /^sinks\[0\]\.name$/,
  value: /^property\(dummy\)$/,
  'value-yaml': /^property\(dummy\)$/,
  'raw-value': /^inputs\[0\]\(dummy\)\.dummy$/,
  key: /^property$/,
  comment: /^input\(dummy\)\.comment$/,
  'comment-yaml': /^input\(dummy\)\.comment$/,
  plugin: /^output$/,
  env: /^envRef$/,
};

const refusedAs = (path: string, code: string) => ({ refused: { path, code } });
const LOG = '/var/log/kubernetes/audit';

const cases: Case[] = [
  // line breaks: a classic line ends at \n (fgets); YAML is printed quoted with escapes
  { name: 'LF then a new section', category: 'line-break', rule: 'read_config: a line starting with [ opens a section', where: 'value', value: 'x\n[OUTPUT]\n    name exec', expect: refusedAs('property(dummy)', 'fluentbit-unsafe-character') },
  { name: 'LF then @INCLUDE in YAML', category: 'line-break', rule: 'a value is one line (both formats trim it)', where: 'value-yaml', value: 'x\n@INCLUDE /etc/shadow', expect: refusedAs('property(dummy)', 'fluentbit-unsafe-character') },
  { name: 'CR in a tree built without builders', category: 'line-break', rule: 'a lone \\r stays in the value; the writer refuses it', where: 'raw-value', value: 'a\rb', expect: refusedAs('inputs[0](dummy).dummy', 'fluentbit-unsafe-character') },
  { name: 'LF in logPath', category: 'line-break', rule: 'checkNodePath', where: 'logPath', value: `${LOG}/a.log\n[INPUT]`, expect: refusedAs('logPath', 'unsafe-value') },
  { name: 'LF in a comment', category: 'line-break', rule: 'a comment is one line starting with #', where: 'comment', value: 'note\n[OUTPUT]', expect: refusedAs('input(dummy).comment', 'fluentbit-comment') },
  { name: 'LF in a YAML comment', category: 'line-break', rule: 'a YAML comment ends at the line end', where: 'comment-yaml', value: 'note\npipeline: {}', expect: refusedAs('input(dummy).comment', 'fluentbit-comment') },
  // Unicode line breaks: Go's YAML (a ConfigMap holding the config) reads them as breaks
  { name: 'U+2028 in a value', category: 'unicode-line-break', rule: 'checkEmittedText', where: 'value', value: 'a\u2028b', expect: refusedAs('property(dummy)', 'fluentbit-unsafe-character') },
  { name: 'U+0085 in a YAML value', category: 'unicode-line-break', rule: 'YAML 1.1 reads NEL as a break', where: 'value-yaml', value: 'a\u0085b', expect: refusedAs('property(dummy)', 'fluentbit-unsafe-character') },
  { name: 'U+2029 in a tree built without builders', category: 'unicode-line-break', rule: 'checkEmittedText', where: 'raw-value', value: 'a\u2029b', expect: refusedAs('inputs[0](dummy).dummy', 'fluentbit-unsafe-character') },
  // NUL and other control characters: no escape exists in the classic format
  { name: 'NUL in a value', category: 'nul', rule: 'C strings end at NUL', where: 'value', value: 'a\u0000b', expect: refusedAs('property(dummy)', 'fluentbit-unsafe-character') },
  { name: 'NUL in logPath', category: 'nul', rule: 'checkNodePath', where: 'logPath', value: `${LOG}/a\u0000.log`, expect: refusedAs('logPath', 'unsafe-value') },
  { name: 'a tab in a value', category: 'control', rule: 'a tab does not separate key and value, and is trimmed at the ends', where: 'value', value: 'a\tb', expect: refusedAs('property(dummy)', 'fluentbit-unsafe-character') },
  { name: 'ESC in a YAML value', category: 'control', rule: 'checkEmittedText', where: 'value-yaml', value: '\u001b[31m', expect: refusedAs('property(dummy)', 'fluentbit-unsafe-character') },
  { name: 'DEL in a tree built without builders', category: 'control', rule: 'checkEmittedText', where: 'raw-value', value: 'a\u007f', expect: refusedAs('inputs[0](dummy).dummy', 'fluentbit-unsafe-character') },
  // format characters and surrogates
  { name: 'right-to-left override', category: 'format-character', rule: 'checkEmittedText', where: 'value', value: 'a\u202eb', expect: refusedAs('property(dummy)', 'fluentbit-unsafe-character') },
  { name: 'zero-width space in the tag', category: 'format-character', rule: 'Fluent Bit tag syntax', where: 'tag', value: 'kube\u200b.audit', expect: refusedAs('tag', 'invalid-option') },
  { name: 'byte-order mark in a YAML value', category: 'format-character', rule: 'checkEmittedText', where: 'value-yaml', value: '\ufeffx', expect: refusedAs('property(dummy)', 'fluentbit-unsafe-character') },
  { name: 'a lone surrogate', category: 'surrogate', rule: 'UTF-8 cannot hold it', where: 'value', value: 'a\ud800', expect: refusedAs('property(dummy)', 'fluentbit-unsafe-character') },
  { name: 'a lone surrogate in YAML', category: 'surrogate', rule: 'UTF-8 cannot hold it', where: 'value-yaml', value: '\udc00x', expect: refusedAs('property(dummy)', 'fluentbit-unsafe-character') },
  // quotes: classic values are raw text (quotes stay); YAML quotes them
  { name: 'quotes in a classic value', category: 'quote', rule: 'the classic format has no quoting: the value is the rest of the line', where: 'value', value: '"a" \'b\'', expect: { reads: '"a" \'b\'' } },
  { name: 'quotes in a YAML value', category: 'quote', rule: 'written double-quoted with \\" escapes', where: 'value-yaml', value: '"a": \'b\'', expect: { reads: '"a": \'b\'' } },
  { name: 'a quote in logPath', category: 'quote', rule: 'a path is text', where: 'logPath', value: `${LOG}/"a".log`, expect: { reads: `${LOG}/"a".log` } },
  // backslashes are plain text in the classic format, escaped in YAML
  { name: 'a trailing backslash', category: 'backslash', rule: 'the classic value keeps backslashes', where: 'value', value: 'C:\\dir\\', expect: { reads: 'C:\\dir\\' } },
  { name: 'a backslash escape in YAML', category: 'backslash', rule: 'written as \\\\ in double quotes', where: 'value-yaml', value: '\\n\\"', expect: { reads: '\\n\\"' } },
  // interpolation: ${NAME} is replaced in every value (flb_env_var_translate), with no escape
  { name: '${HOME} in a value', category: 'interpolation', rule: 'flb_env_var_translate replaces ${NAME}', where: 'value', value: 'a-${HOME}', expect: refusedAs('property(dummy)', 'fluentbit-env-in-text') },
  { name: '${VAR:-default} in YAML', category: 'interpolation', rule: 'flb_env_var_translate knows ${NAME:-default}', where: 'value-yaml', value: '${VAR:-x}', expect: refusedAs('property(dummy)', 'fluentbit-env-in-text') },
  { name: '${ in a tree built without builders', category: 'interpolation', rule: 'the writer checks every value again', where: 'raw-value', value: '${SECRET}', expect: refusedAs('inputs[0](dummy).dummy', 'fluentbit-env-in-text') },
  { name: '${ in logPath', category: 'interpolation', rule: 'flb_env_var_translate', where: 'logPath', value: `${LOG}/\${USER}.log`, expect: refusedAs('logPath', 'invalid-option') },
  { name: 'a lone $ and { are text', category: 'interpolation', rule: 'only ${ starts a variable', where: 'value', value: '$ {a} $a', expect: { reads: '$ {a} $a' } },
  { name: 'an environment reference by name', category: 'interpolation', rule: 'envRef(NAME) is written ${NAME}', where: 'env', value: 'ES_PASSWORD', expect: { reads: 'ES_PASSWORD' } },
  { name: 'a default in an environment reference', category: 'interpolation', rule: 'the name is letters, digits and _', where: 'env', value: 'A:-x', expect: refusedAs('envRef', 'fluentbit-env-name') },
  { name: 'a closing brace in an environment reference', category: 'interpolation-split', rule: 'the variable ends at the first }', where: 'env', value: 'A}${B', expect: refusedAs('envRef', 'fluentbit-env-name') },
  { name: '$ then { split by text', category: 'interpolation-split', rule: 'flb_env_var_translate searches the whole value for ${', where: 'value', value: 'a$x{b}', expect: { reads: 'a$x{b}' } },
  // comments: classic comments start a line with #; a # after a value is text
  { name: '# inside a classic value', category: 'comment', rule: 'read_config skips only lines starting with #', where: 'value', value: 'a # b', expect: { reads: 'a # b' } },
  { name: 'a leading # in a classic value', category: 'comment', rule: 'the value follows the key on its line', where: 'value', value: '#x', expect: { reads: '#x' } },
  { name: '# in a YAML value', category: 'comment', rule: 'written double-quoted', where: 'value-yaml', value: 'a #b', expect: { reads: 'a #b' } },
  { name: '# in a comment', category: 'comment', rule: 'a comment runs to the end of its line', where: 'comment', value: '# nested', expect: { reads: '# nested' } },
  { name: 'YAML syntax in a YAML comment', category: 'comment', rule: 'a comment line cannot hold YAML', where: 'comment-yaml', value: 'a: b', expect: { reads: 'a: b' } },
  // braces and brackets: [ starts a section only at the start of a line
  { name: 'a section header as a value', category: 'brace', rule: 'the value is after the key on its line', where: 'value', value: '[OUTPUT]', expect: { reads: '[OUTPUT]' } },
  { name: 'flow YAML as a value', category: 'brace', rule: 'written double-quoted', where: 'value-yaml', value: '{a: [1]}', expect: { reads: '{a: [1]}' } },
  { name: 'a glob in logPath', category: 'brace', rule: 'tail globs its path', where: 'logPath', value: `${LOG}/{a,b}.log`, expect: refusedAs('logPath', 'invalid-option') },
  // tags
  { name: 'a wildcard tag', category: 'tag-label', rule: 'match patterns read *', where: 'tag', value: 'kube.*', expect: refusedAs('tag', 'invalid-option') },
  { name: 'a tag with -', category: 'tag-label', rule: 'the http input turns - of a URL path into _', where: 'tag', value: 'kube-audit', expect: refusedAs('tag', 'invalid-option') },
  { name: 'a dotted tag', category: 'tag-label', rule: 'dot-separated words', where: 'tag', value: 'k8s.audit.prod', expect: { reads: 'k8s.audit.prod' } },
  { name: 'a sink name with a dot', category: 'tag-label', rule: 'the sink name becomes a tag suffix and emitter name', where: 'sinkName', value: 'a.b', expect: refusedAs('sinks[0].name', 'invalid-option') },
  // reserved words: meta commands, sections, the name key
  { name: '@INCLUDE as a key', category: 'reserved-word', rule: 'a line starting with @INCLUDE includes files', where: 'key', value: '@INCLUDE', expect: refusedAs('property', 'fluentbit-property-key') },
  { name: 'a section as a key', category: 'reserved-word', rule: 'a line starting with [ opens a section', where: 'key', value: '[OUTPUT]', expect: refusedAs('property', 'fluentbit-property-key') },
  { name: 'name as a key', category: 'reserved-word', rule: 'name is the plugin', where: 'key', value: 'name', expect: refusedAs('property', 'fluentbit-property-key') },
  { name: 'a camelCase key', category: 'reserved-word', rule: 'flb_cf_key_translate turns camelCase into snake_case in YAML', where: 'key', value: 'bufferMaxSize', expect: refusedAs('property', 'fluentbit-property-key') },
  { name: 'a dotted key', category: 'reserved-word', rule: 'dotted keys are plain in both formats', where: 'key', value: 'db.sync', expect: { reads: 'db.sync' } },
  { name: 'a plugin name with a space', category: 'reserved-word', rule: 'plugin names are single words', where: 'plugin', value: 'es match', expect: refusedAs('output', 'fluentbit-plugin-name') },
  // white space: trimmed at both ends, a space ends the key
  { name: 'leading spaces', category: 'white-space', rule: 'flb_sds_trim', where: 'value', value: '  x', expect: refusedAs('property(dummy)', 'fluentbit-white-space') },
  { name: 'trailing spaces in YAML', category: 'white-space', rule: 'flb_sds_trim in the YAML reader too', where: 'value-yaml', value: 'x  ', expect: refusedAs('property(dummy)', 'fluentbit-white-space') },
  { name: 'inner spaces', category: 'white-space', rule: 'the value is the rest of the line', where: 'value', value: 'a  b', expect: { reads: 'a  b' } },
  { name: 'a space in a key', category: 'white-space', rule: 'the key ends at the first space', where: 'key', value: 'a b', expect: refusedAs('property', 'fluentbit-property-key') },
  { name: 'a space in logPath', category: 'white-space', rule: 'checkNodePath', where: 'logPath', value: `${LOG}/a b.log`, expect: refusedAs('logPath', 'unsafe-value') },
  // tail's path is a comma-separated list of globs
  { name: 'a second file after a comma', category: 'glob-list', rule: 'path is FLB_CONFIG_MAP_CLIST', where: 'logPath', value: `${LOG}/audit.log,/etc/shadow`, expect: refusedAs('logPath', 'invalid-option') },
  { name: 'the rotated files by glob', category: 'glob-list', rule: 'tail globs its path', where: 'logPath', value: `${LOG}/audit*.log`, expect: refusedAs('logPath', 'invalid-option') },
  { name: 'a comma in the state folder', category: 'glob-list', rule: 'plain paths refuse , too', where: 'stateDir', value: '/var/lib/a,b', expect: refusedAs('stateDir', 'invalid-option') },
  // strftime: Fluent Bit does not expand % in these options
  { name: 'a % in logPath', category: 'strftime', rule: 'tail does not expand strftime codes', where: 'logPath', value: `${LOG}/audit-%Y.log`, expect: { reads: `${LOG}/audit-%Y.log` } },
  // paths
  { name: 'a relative path', category: 'path', rule: 'checkNodePath', where: 'logPath', value: 'audit.log', expect: refusedAs('logPath', 'unsafe-value') },
  { name: 'a flag as the state folder', category: 'path', rule: 'checkNodePath', where: 'stateDir', value: '--storage.path=/', expect: refusedAs('stateDir', 'unsafe-value') },
  { name: 'a .. segment', category: 'path', rule: 'a path must be inside the folder it names', where: 'stateDir', value: '/var/lib/../../etc', expect: refusedAs('stateDir', 'invalid-option') },
  { name: 'an empty value', category: 'path', rule: 'val_len == 0 is an error', where: 'value', value: '', expect: refusedAs('property(dummy)', 'fluentbit-unsafe-character') },
  { name: 'a path longer than Linux allows', category: 'length', rule: 'checkNodePath', where: 'logPath', value: `/${'a'.repeat(5000)}`, expect: refusedAs('logPath', 'unsafe-value') },
  { name: 'a sink name longer than 32', category: 'length', rule: 'sink names become tag and emitter names', where: 'sinkName', value: 'a'.repeat(33), expect: refusedAs('sinks[0].name', 'invalid-option') },
];

describeCorpus('Fluent Bit injection corpus', cases, attempt, { minCategories: 19, places: [...OPTIONS, ...SETTERS, 'raw-value'] });

describe('Fluent Bit injection (property)', () => {
  it.each([...OPTIONS, ...SETTERS, 'raw-value'] as const)('%s', (where) => {
    const narrow = where === 'tag' || where === 'sinkName' || where === 'key' || where === 'plugin' || where === 'env';
    expectRoundTrips({
      attempt: (value) => attempt(where, value),
      refusedAt: REFUSED_AT[where],
      prefixes: where === 'logPath' || where === 'stateDir' ? ['/var/log/', '/var/lib/'] : narrow ? ['', 'a', 'kube.'] : ['', 'x', '/var/log/'],
      expectAccepted: !narrow,
      // The preset drops a final / of the state folder.
      ...(where === 'stateDir' ? { reads: (value: string) => value.replace(/\/$/, '') } : {}),
      numRuns: 300,
    });
  });
});

// The Vector injection corpus: named hostile values, each refused with a problem naming the option
// (or builder argument), or written so that our parser (written from Vector's loader: the whole
// text interpolated by src/config/vars.rs, then serde_yaml) reads back exactly the intended value
// and tree. Then fast-check: any string a setter accepts round-trips through writer and parser.
import { describe, expect, it } from 'vitest';
import { CollectorConfigError, settingAt, vector } from '@k8s-gen/collectors';
import { viaUtf8 } from '../../../packages/collectors/test/helpers.js';
import { describeCorpus, expectRoundTrips, type Attempt, type HostileCase } from './corpus.js';

const { envRef, sink, source, template, transform, vectorConfig, vrl } = vector;
type VectorConfig = vector.VectorConfig;

const OPTIONS = ['logPath', 'dataDir', 'sinkName'] as const;
const SETTERS = ['value', 'key', 'comment', 'env', 'template', 'code', 'id'] as const;
type Where = (typeof OPTIONS)[number] | (typeof SETTERS)[number] | 'raw-value';

const logBase = { logPath: '/var/log/kubernetes/audit/audit.log', eventSize: { truncateMaxEventSize: 102_400, maxLevel: 'RequestResponse' as const }, sinks: [{ name: 'out', type: 'console', options: {} }] };

function written(config: VectorConfig): { problem: Attempt } | { reread: VectorConfig; text: string } {
  const text = vector.writeVector(config);
  if (!text.ok) return { problem: { problem: text.problems[0]! } };
  const reread = vector.parseVector(viaUtf8(text.value));
  expect(reread.problems).toEqual([]);
  // The same components: no component, option or input was added.
  expect(reread.value!.sinks.map((s) => s.id)).toEqual(config.sinks.map((s) => s.id));
  expect(reread.value!.sources.map((s) => s.id)).toEqual(config.sources.map((s) => s.id));
  return { reread: reread.value!, text: text.value };
}

const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'object' && value !== null && '$node' in value ? `${(value as { $node: string }).$node}:${JSON.stringify(value)}` : String(value));

function attempt(where: Where, value: string): Attempt {
  let config: VectorConfig;
  let read: (c: VectorConfig) => string;
  try {
    if ((OPTIONS as readonly string[]).includes(where)) {
      const options = where === 'sinkName' ? { ...logBase, sinks: [{ name: value, type: 'console', options: {} }] } : { ...logBase, [where]: value };
      const preset = vector.vectorAuditLogFile(options);
      if (!preset.ok) {
        expect(preset.problems.map((p) => p.path)).toEqual([where === 'sinkName' ? 'sinks[0].name' : where]);
        return { problem: preset.problems[0]! };
      }
      config = preset.value.config;
      read = (c) => (where === 'logPath' ? text((settingAt(c.sources[0]!.options, 'include') as unknown as { items: unknown[] }).items[0]) : where === 'dataDir' ? text(settingAt(c.global, 'data_dir')) : c.sinks[0]!.id);
    } else {
      const base = (options: vector.VectorOptionsInput, comment?: string) => vectorConfig({ sources: [source('in', 'stdin')], sinks: [sink('out', 'blackhole', ['in'], options, comment)] });
      switch (where) {
        case 'value':
          config = base({ field: value });
          read = (c) => text(settingAt(c.sinks[0]!.options, 'field'));
          break;
        case 'raw-value':
          config = { ...base({}), sinks: [{ kind: 'sink', id: 'out', type: 'blackhole', inputs: ['in'], options: { $node: 'table', entries: [{ key: 'field', value }] } }] };
          read = (c) => text(settingAt(c.sinks[0]!.options, 'field'));
          break;
        case 'key':
          config = base({ [value]: 'x' });
          read = (c) => c.sinks[0]!.options.entries[0]!.key;
          break;
        case 'comment':
          config = base({}, value);
          read = () => value;
          break;
        case 'env':
          config = base({ password: envRef(value) });
          read = (c) => (settingAt(c.sinks[0]!.options, 'password') as { name: string }).name;
          break;
        case 'template':
          config = base({ path: template(value) });
          read = (c) => {
            const v = settingAt(c.sinks[0]!.options, 'path');
            return typeof v === 'string' ? v : (v as { text: string }).text;
          };
          break;
        case 'code':
          config = vectorConfig({ sources: [source('in', 'stdin')], transforms: [transform('t', 'remap', ['in'], { source: vrl(value) })], sinks: [sink('out', 'blackhole', ['t'])] });
          read = (c) => (settingAt(c.transforms[0]!.options, 'source') as { text: string }).text;
          break;
        case 'id':
          config = vectorConfig({ sources: [source(value, 'stdin')], sinks: [sink('out', 'blackhole', [value])] });
          read = (c) => c.sources[0]!.id;
          break;
        default:
          throw new Error(where);
      }
    }
  } catch (error) {
    if (!(error instanceof CollectorConfigError)) throw error;
    return { problem: error.problem };
  }
  const result = written(config!);
  if ('problem' in result) return result.problem;
  return { text: result.text, read: read!(result.reread), yaml: true };
}

const REFUSED_AT: Record<Where, RegExp> = {
  logPath: /^logPath$/,
  dataDir: /^dataDir$/,
  sinkName: /^sinks\[0\]\.name$/,
  value: /^sink\(out\)\.field$/,
  'raw-value': /^sinks\.out\.field$/,
  key: /^sink\(out\)\./,
  comment: /^sink\(out\)\.comment$/,
  env: /^envRef$/,
  template: /^template$/,
  code: /^vrl$/,
  id: /^source$/,
};

const refusedAs = (path: string, code: string) => ({ refused: { path, code } });
const LOG = '/var/log/kubernetes/audit';

const cases: HostileCase<Where, string>[] = [
  { name: 'LF then a new sink', category: 'line-break', rule: 'written double-quoted with \\n escapes; builders refuse it as text', where: 'value', value: 'x\nsinks:\n  evil:\n    type: exec', expect: refusedAs('sink(out).field', 'vector-unsafe-character') },
  { name: 'LF in a tree built without builders', category: 'line-break', rule: 'the writer checks every value again', where: 'raw-value', value: 'a\nb', expect: refusedAs('sinks.out.field', 'vector-unsafe-character') },
  { name: 'LF in a comment', category: 'line-break', rule: 'a comment ends at the line end', where: 'comment', value: 'a\nsources: {}', expect: refusedAs('sink(out).comment', 'vector-comment') },
  { name: 'a VRL program over lines', category: 'line-break', rule: 'a block literal keeps its lines', where: 'code', value: '.a = 1\n.b = 2\n', expect: { reads: '.a = 1\n.b = 2\n' } },
  { name: 'CR in a VRL program', category: 'line-break', rule: 'YAML folds CR LF in a block literal', where: 'code', value: '.a = 1\r\n', expect: refusedAs('vrl', 'vector-code') },
  { name: 'U+2028 in a value', category: 'unicode-line-break', rule: 'checkEmittedText', where: 'value', value: 'a\u2028b', expect: refusedAs('sink(out).field', 'vector-unsafe-character') },
  { name: 'U+0085 in logPath', category: 'unicode-line-break', rule: 'checkNodePath', where: 'logPath', value: `${LOG}/a\u0085.log`, expect: refusedAs('logPath', 'unsafe-value') },
  { name: 'NUL in a value', category: 'nul', rule: 'checkEmittedText', where: 'value', value: 'a\u0000', expect: refusedAs('sink(out).field', 'vector-unsafe-character') },
  { name: 'ESC in a template', category: 'control', rule: 'checkEmittedText', where: 'template', value: '{{ .a }}\u001b', expect: refusedAs('template', 'vector-template') },
  { name: 'a tab in a value', category: 'control', rule: 'checkEmittedText', where: 'value', value: 'a\tb', expect: refusedAs('sink(out).field', 'vector-unsafe-character') },
  { name: 'a VRL program of one line feed', category: 'line-break', rule: 'a block literal with nothing to clip keeps its line feed (|+)', where: 'code', value: '\n', expect: { reads: '\n' } },
  { name: 'a VRL program whose only line is spaces', category: 'white-space', rule: 'readers disagree on lines of spaces in a block literal: quoted instead', where: 'code', value: ' \n', expect: { reads: ' \n' } },
  { name: 'a VRL program starting with an indented line after an empty one', category: 'white-space', rule: 'an indentation indicator keeps the leading spaces', where: 'code', value: '\n  .a = 1\n', expect: { reads: '\n  .a = 1\n' } },
  { name: 'a tab in a VRL program', category: 'control', rule: 'VRL reads tabs as white space', where: 'code', value: '.a\t= 1\n', expect: { reads: '.a\t= 1\n' } },
  { name: 'right-to-left override in a key', category: 'format-character', rule: 'option keys are words', where: 'key', value: 'a\u202eb', expect: refusedAs('sink(out).a\u202eb', 'vector-option-key') },
  { name: 'a byte-order mark in a value', category: 'format-character', rule: 'checkEmittedText', where: 'value', value: '\ufeffx', expect: refusedAs('sink(out).field', 'vector-unsafe-character') },
  { name: 'a lone surrogate in a value', category: 'surrogate', rule: 'UTF-8 cannot hold it', where: 'value', value: '\ud800', expect: refusedAs('sink(out).field', 'vector-unsafe-character') },
  { name: 'quotes in a value', category: 'quote', rule: 'written double-quoted with \\" escapes', where: 'value', value: '"a": \'b\'', expect: { reads: '"a": \'b\'' } },
  { name: 'a backslash in a value', category: 'backslash', rule: 'written as \\\\', where: 'value', value: 'C:\\\\x\\', expect: { reads: 'C:\\\\x\\' } },
  { name: '${HOME} in a value', category: 'interpolation', rule: 'vars.rs replaces ${NAME}; the writer doubles $', where: 'value', value: '${HOME}', expect: { reads: '${HOME}' } },
  { name: '$HOME in a value', category: 'interpolation', rule: 'vars.rs replaces $NAME', where: 'value', value: 'cost $HOME', expect: { reads: 'cost $HOME' } },
  { name: '$$ in a value', category: 'interpolation', rule: '$$ is a literal $; doubled again it stays $$', where: 'value', value: 'a$$b', expect: { reads: 'a$$b' } },
  { name: 'a default form in a comment', category: 'interpolation', rule: 'vars.rs interpolates comments too', where: 'comment', value: '${SECRET:-x}', expect: { reads: '${SECRET:-x}' } },
  { name: '${...} in VRL', category: 'interpolation', rule: 'the program text is interpolated too', where: 'code', value: '.a = "${HOME}"\n', expect: { reads: '.a = "${HOME}"\n' } },
  { name: 'a template marker in plain text', category: 'interpolation', rule: 'template fields expand {{ }}', where: 'value', value: '{{ .user.username }}', expect: refusedAs('sink(out).field', 'vector-template-in-text') },
  { name: 'a template that is meant', category: 'interpolation', rule: 'template(...) keeps {{ }}', where: 'template', value: '/var/log/{{ .objectRef.namespace }}.log', expect: { reads: '/var/log/{{ .objectRef.namespace }}.log' } },
  { name: 'a strftime template', category: 'strftime', rule: 'template fields expand strftime codes', where: 'template', value: '/var/log/audit-%Y-%m-%d.log', expect: { reads: '/var/log/audit-%Y-%m-%d.log' } },
  { name: 'an environment reference by name', category: 'interpolation', rule: 'envRef is written ${NAME}', where: 'env', value: 'ES_PASSWORD', expect: { reads: 'ES_PASSWORD' } },
  { name: 'a default in an environment name', category: 'interpolation', rule: 'names are word characters', where: 'env', value: 'A:-b', expect: refusedAs('envRef', 'vector-env-name') },
  { name: 'a $ then { split', category: 'interpolation-split', rule: 'each $ is doubled, so no split can form ${', where: 'value', value: 'a$', expect: { reads: 'a$' } },
  { name: 'an open template split', category: 'interpolation-split', rule: 'a {{ needs its }}', where: 'template', value: '{{ .a', expect: refusedAs('template', 'vector-template') },
  { name: '# in a value', category: 'comment', rule: 'written double-quoted', where: 'value', value: 'a # b', expect: { reads: 'a # b' } },
  { name: 'a VRL comment', category: 'comment', rule: 'a block literal keeps #', where: 'code', value: '# note\n.a = 1\n', expect: { reads: '# note\n.a = 1\n' } },
  { name: 'flow YAML in a value', category: 'brace', rule: 'written double-quoted', where: 'value', value: '{a: [1]}', expect: { reads: '{a: [1]}' } },
  { name: 'a glob in logPath', category: 'brace', rule: 'the file source globs include', where: 'logPath', value: `${LOG}/{a,b}.log`, expect: refusedAs('logPath', 'invalid-option') },
  { name: 'a named output as an id', category: 'tag-label', rule: 'a . names an extra output', where: 'id', value: 'a.dropped', expect: refusedAs('source', 'vector-component-id') },
  { name: 'a reserved sink name', category: 'tag-label', rule: 'the presets use k8s_audit ids', where: 'sinkName', value: 'k8s_audit_parse', expect: refusedAs('sinks[0].name', 'invalid-option') },
  { name: 'type as an option', category: 'reserved-word', rule: 'type is the component itself', where: 'key', value: 'type', expect: refusedAs('sink(out).type', 'vector-option-key') },
  { name: 'a dotted key', category: 'reserved-word', rule: 'YAML reads a.b as one key', where: 'key', value: 'encoding.codec', expect: refusedAs('sink(out).encoding.codec', 'vector-option-key') },
  { name: 'a YAML boolean word as text', category: 'reserved-word', rule: 'written quoted, read as text', where: 'value', value: 'yes', expect: { reads: 'yes' } },
  { name: 'a number as text', category: 'reserved-word', rule: 'written quoted, read as text', where: 'value', value: '0777', expect: { reads: '0777' } },
  { name: 'leading and trailing spaces', category: 'white-space', rule: 'double quotes keep them', where: 'value', value: '  a  ', expect: { reads: '  a  ' } },
  { name: 'a space in dataDir', category: 'white-space', rule: 'checkNodePath', where: 'dataDir', value: '/var/lib/a b', expect: refusedAs('dataDir', 'unsafe-value') },
  { name: 'a second file in include', category: 'glob-list', rule: 'include is a list of globs', where: 'logPath', value: `${LOG}/audit*.log`, expect: refusedAs('logPath', 'invalid-option') },
  { name: 'a relative logPath', category: 'path', rule: 'checkNodePath', where: 'logPath', value: 'audit.log', expect: refusedAs('logPath', 'unsafe-value') },
  { name: 'a .. segment in dataDir', category: 'path', rule: 'a path must be inside the folder it names', where: 'dataDir', value: '/var/lib/../../etc', expect: refusedAs('dataDir', 'invalid-option') },
  { name: 'a template in dataDir', category: 'path', rule: 'Vector expands {{ }} in templates', where: 'dataDir', value: '/var/lib/{{x}}', expect: refusedAs('dataDir', 'invalid-option') },
  { name: 'a path longer than Linux allows', category: 'length', rule: 'checkNodePath', where: 'logPath', value: `/${'a'.repeat(5000)}`, expect: refusedAs('logPath', 'unsafe-value') },
];

describeCorpus('Vector injection corpus', cases, attempt, { minCategories: 18, places: [...OPTIONS, ...SETTERS, 'raw-value'] });

describe('Vector injection (property)', () => {
  it.each([...OPTIONS, ...SETTERS, 'raw-value'] as const)('%s', (where) => {
    const narrow = where === 'sinkName' || where === 'key' || where === 'env' || where === 'id' || where === 'template';
    expectRoundTrips({
      attempt: (value) => attempt(where, value),
      refusedAt: REFUSED_AT[where],
      prefixes: where === 'logPath' || where === 'dataDir' ? ['/var/log/', '/var/lib/'] : where === 'template' ? ['{{ .a }}', '%Y'] : ['', 'x'],
      expectAccepted: !narrow,
      ...(where === 'dataDir' ? { reads: (value: string) => value.replace(/\/$/, '') } : {}),
      numRuns: 300,
    });
  });
});

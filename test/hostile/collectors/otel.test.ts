// The OpenTelemetry Collector injection corpus: named hostile values, each refused with a problem
// naming the option (or builder argument), or written so that our parser (written from the
// collector's confmap: YAML first, then ${...} expansion and $$ unescaping on string values) reads
// back exactly the intended value and tree. Then fast-check: any string a setter accepts
// round-trips through writer and parser.
import { describe, expect, it } from 'vitest';
import { CollectorConfigError, otel, settingAt } from '@k8s-gen/collectors';
import { viaUtf8 } from '../../../packages/collectors/test/helpers.js';
import { describeCorpus, expectRoundTrips, type Attempt, type HostileCase } from './corpus.js';

const { envRef, exporter, otelConfig, pipeline, receiver } = otel;
type OtelConfig = otel.OtelConfig;

const OPTIONS = ['logPath', 'storageDir', 'endpoint'] as const;
const SETTERS = ['value', 'key', 'comment', 'env', 'id'] as const;
type Where = (typeof OPTIONS)[number] | (typeof SETTERS)[number] | 'raw-value';

const base = { logPath: '/var/log/kubernetes/audit/audit.log', eventSize: { truncateMaxEventSize: 102_400, maxLevel: 'RequestResponse' as const }, exporter: { protocol: 'otlphttp' as const, endpoint: 'https://otlp.example:4318' } };

function attempt(where: Where, value: string): Attempt {
  let config: OtelConfig;
  let read: (c: OtelConfig) => string;
  try {
    if ((OPTIONS as readonly string[]).includes(where)) {
      const options = where === 'endpoint' ? { ...base, exporter: { ...base.exporter, endpoint: value } } : { ...base, [where]: value };
      const preset = otel.otelAuditLogFile(options);
      if (!preset.ok) {
        expect(preset.problems.map((p) => p.path)).toEqual([where === 'endpoint' ? 'exporter.endpoint' : where]);
        return { problem: preset.problems[0]! };
      }
      config = preset.value.config;
      read = (c) => String(where === 'logPath' ? (settingAt(c.receivers[0]!.settings, 'include') as unknown as { items: unknown[] }).items[0] : where === 'storageDir' ? settingAt(c.extensions[0]!.settings, 'directory') : settingAt(c.exporters[0]!.settings, 'endpoint'));
    } else {
      const make = (settings: otel.OtelSettingsInput, comment?: string) =>
        otelConfig({ receivers: [receiver('otlp', settings, comment)], exporters: [exporter('debug')], pipelines: [pipeline('logs', ['otlp'], [], ['debug'])] });
      switch (where) {
        case 'value':
          config = make({ field: value });
          read = (c) => String(settingAt(c.receivers[0]!.settings, 'field'));
          break;
        case 'raw-value':
          config = { ...make({}), receivers: [{ kind: 'receiver', id: 'otlp', settings: { $node: 'table', entries: [{ key: 'field', value }] } }] };
          read = (c) => String(settingAt(c.receivers[0]!.settings, 'field'));
          break;
        case 'key':
          config = make({ [value]: 'x' });
          read = (c) => c.receivers[0]!.settings.entries[0]!.key;
          break;
        case 'comment':
          config = make({}, value);
          read = () => value;
          break;
        case 'env':
          config = make({ token: envRef(value) });
          read = (c) => (settingAt(c.receivers[0]!.settings, 'token') as { name: string }).name;
          break;
        case 'id':
          config = otelConfig({ receivers: [receiver(value)], exporters: [exporter('debug')], pipelines: [pipeline('logs', [value], [], ['debug'])] });
          read = (c) => c.receivers[0]!.id;
          break;
        default:
          throw new Error(where);
      }
    }
  } catch (error) {
    if (!(error instanceof CollectorConfigError)) throw error;
    return { problem: error.problem };
  }
  const written = otel.writeOtelCollector(config!);
  if (!written.ok) return { problem: written.problems[0]! };
  const reread = otel.parseOtelCollector(viaUtf8(written.value));
  expect(reread.problems).toEqual([]);
  // The same components and pipelines: nothing was added.
  expect(reread.value!.receivers.map((r) => r.id)).toEqual(config!.receivers.map((r) => r.id));
  expect(reread.value!.pipelines).toEqual(config!.pipelines);
  return { text: written.value, read: read!(reread.value!), yaml: true };
}

const REFUSED_AT: Record<Where, RegExp> = {
  logPath: /^logPath$/,
  storageDir: /^storageDir$/,
  endpoint: /^exporter\.endpoint$/,
  value: /^receiver\(otlp\)\.field$/,
  'raw-value': /^receivers\.otlp\.field$/,
  key: /^receiver\(otlp\)\./,
  comment: /^receiver\(otlp\)\.comment$/,
  env: /^envRef$/,
  id: /^receiver$/,
};

const refusedAs = (path: string, code: string) => ({ refused: { path, code } });
const LOG = '/var/log/kubernetes/audit';

const cases: HostileCase<Where, string>[] = [
  { name: 'LF then a new pipeline', category: 'line-break', rule: 'checkEmittedText; written double-quoted', where: 'value', value: 'x\nservice:\n  pipelines: {}', expect: refusedAs('receiver(otlp).field', 'otel-unsafe-character') },
  { name: 'CR in a tree built without builders', category: 'line-break', rule: 'the writer checks every value again', where: 'raw-value', value: 'a\rb', expect: refusedAs('receivers.otlp.field', 'otel-unsafe-character') },
  { name: 'LF in a comment', category: 'line-break', rule: 'a comment ends at the line end', where: 'comment', value: 'a\nexporters: {}', expect: refusedAs('receiver(otlp).comment', 'otel-comment') },
  { name: 'U+2029 in a value', category: 'unicode-line-break', rule: 'checkEmittedText', where: 'value', value: 'a\u2029', expect: refusedAs('receiver(otlp).field', 'otel-unsafe-character') },
  { name: 'NUL in storageDir', category: 'nul', rule: 'checkNodePath', where: 'storageDir', value: '/var/lib/a\u0000', expect: refusedAs('storageDir', 'unsafe-value') },
  { name: 'BEL in a value', category: 'control', rule: 'checkEmittedText', where: 'value', value: '\u0007', expect: refusedAs('receiver(otlp).field', 'otel-unsafe-character') },
  { name: 'zero-width joiner', category: 'format-character', rule: 'checkEmittedText', where: 'value', value: 'a\u200db', expect: refusedAs('receiver(otlp).field', 'otel-unsafe-character') },
  { name: 'a lone surrogate', category: 'surrogate', rule: 'UTF-8 cannot hold it', where: 'value', value: 'a\udfff', expect: refusedAs('receiver(otlp).field', 'otel-unsafe-character') },
  { name: 'quotes', category: 'quote', rule: 'written double-quoted with \\" escapes', where: 'value', value: '"x": \'y\'', expect: { reads: '"x": \'y\'' } },
  { name: 'backslashes', category: 'backslash', rule: 'written as \\\\', where: 'value', value: '\\u0024{env:HOME}\\', expect: { reads: '\\u0024{env:HOME}\\' } },
  { name: '${env:HOME} as text', category: 'interpolation', rule: 'findURI skips ${ after an odd run of $: the writer doubles every $', where: 'value', value: '${env:HOME}', expect: { reads: '${env:HOME}' } },
  { name: '${file:...} as text', category: 'interpolation', rule: 'other providers read files and URLs', where: 'value', value: '${file:/etc/shadow}', expect: { reads: '${file:/etc/shadow}' } },
  { name: '$$ as text', category: 'interpolation', rule: 'escapeDollarSigns turns $$ into $; doubled, $$ stays', where: 'value', value: 'a$$b', expect: { reads: 'a$$b' } },
  { name: 'a bare $NAME', category: 'interpolation', rule: 'older collectors expanded $NAME; doubled, it is text in every release since escaping', where: 'value', value: '$HOME', expect: { reads: '$HOME' } },
  { name: 'an environment reference', category: 'interpolation', rule: 'envRef is written ${env:NAME}', where: 'env', value: 'OTLP_TOKEN', expect: { reads: 'OTLP_TOKEN' } },
  { name: 'a scheme in an environment name', category: 'interpolation', rule: 'names are letters, digits and _', where: 'env', value: 'file:/etc/shadow', expect: refusedAs('envRef', 'otel-env-name') },
  { name: '$ then {', category: 'interpolation-split', rule: 'each $ is doubled, so no split can form ${', where: 'value', value: '$', expect: { reads: '$' } },
  { name: '# in a value', category: 'comment', rule: 'written double-quoted', where: 'value', value: '# x', expect: { reads: '# x' } },
  { name: 'flow YAML as text', category: 'brace', rule: 'written double-quoted', where: 'value', value: '[a, {b: c}]', expect: { reads: '[a, {b: c}]' } },
  { name: 'a glob in logPath', category: 'brace', rule: 'filelog globs include', where: 'logPath', value: `${LOG}/{a,b}.log`, expect: refusedAs('logPath', 'invalid-option') },
  { name: 'a key path separator', category: 'tag-label', rule: 'confmap splits keys at ::', where: 'key', value: 'a::b', expect: refusedAs('receiver(otlp).a::b', 'otel-setting-key') },
  { name: 'a dotted key', category: 'tag-label', rule: 'a dot is part of a key in confmap', where: 'key', value: 'k8s.cluster.name', expect: { reads: 'k8s.cluster.name' } },
  { name: 'a component id with a space', category: 'tag-label', rule: 'ids are type[/name]', where: 'id', value: 'otlp/a b', expect: refusedAs('receiver', 'otel-component-id') },
  { name: 'a boolean word as text', category: 'reserved-word', rule: 'written quoted, read as text', where: 'value', value: 'on', expect: { reads: 'on' } },
  { name: 'null as text', category: 'reserved-word', rule: 'written quoted, read as text', where: 'value', value: 'null', expect: { reads: 'null' } },
  { name: 'spaces at the ends', category: 'white-space', rule: 'double quotes keep them', where: 'value', value: ' a ', expect: { reads: ' a ' } },
  { name: 'a second file', category: 'glob-list', rule: 'include is a list of globs', where: 'logPath', value: `${LOG}/audit?.log`, expect: refusedAs('logPath', 'invalid-option') },
  { name: 'a strftime code in a value', category: 'strftime', rule: 'the collector expands none', where: 'value', value: '%Y-%m', expect: { reads: '%Y-%m' } },
  { name: 'a relative storage folder', category: 'path', rule: 'checkNodePath', where: 'storageDir', value: 'storage', expect: refusedAs('storageDir', 'unsafe-value') },
  { name: 'an endpoint with a path injection', category: 'path', rule: 'an http(s) URL of plain characters', where: 'endpoint', value: 'https://x/"a', expect: refusedAs('exporter.endpoint', 'invalid-option') },
  { name: 'a path longer than Linux allows', category: 'length', rule: 'checkNodePath', where: 'logPath', value: `/${'a'.repeat(5000)}`, expect: refusedAs('logPath', 'unsafe-value') },
];

describeCorpus('OpenTelemetry Collector injection corpus', cases, attempt, { minCategories: 18, places: [...OPTIONS, ...SETTERS, 'raw-value'] });

describe('OpenTelemetry Collector injection (property)', () => {
  it.each([...OPTIONS, ...SETTERS, 'raw-value'] as const)('%s', (where) => {
    const narrow = where === 'key' || where === 'env' || where === 'id' || where === 'endpoint';
    expectRoundTrips({
      attempt: (value) => attempt(where, value),
      refusedAt: REFUSED_AT[where],
      prefixes: where === 'logPath' || where === 'storageDir' ? ['/var/log/', '/var/lib/'] : where === 'endpoint' ? ['https://', 'http://otlp/'] : ['', 'x'],
      expectAccepted: !narrow,
      ...(where === 'storageDir' ? { reads: (value: string) => value.replace(/\/$/, '') } : {}),
      numRuns: 300,
    });
  });
});

// The logstash language against the seed's example and logstash's grammar and escape rules. The
// injection corpus and properties are in hostile/logstash.test.ts.
import { describe, expect, it } from 'vitest';
import { logstash } from '../src/index.js';
import { ok, refused, thrown } from './helpers.js';
import { describeWithShared } from '../../../test/support/shared-data.js';
import { SEED, seedLogstash } from './seed-blocks.js';

const {
  AUDIT_EVENT_USERNAME,
  array,
  bareword,
  comment,
  dateFormat,
  envRef,
  fieldRef,
  filter,
  hash,
  input,
  num,
  output,
  pipeline,
  plugin,
  script,
  setting,
  sprintf,
  str,
} = logstash;
type LogstashPipeline = logstash.LogstashPipeline;
const parseLogstash = (text: string, options?: logstash.ParseLogstashOptions) => ok(logstash.parseLogstash(text, options));
const writeLogstash = (config: LogstashPipeline, options?: logstash.LogstashSyntaxOptions) => ok(logstash.writeLogstash(config, options));
const auditWebhookByUser = (options: logstash.AuditWebhookByUserOptions) => ok(logstash.auditWebhookByUser(options));

const perUserPath = () => str('/var/log/kube-audit-', sprintf(AUDIT_EVENT_USERNAME), '/audit');


describeWithShared('logstash preset against the seed example', [SEED], () => {
  it('parses the seed to exactly the preset pipeline (comments aside)', () => {
    const seed = parseLogstash(seedLogstash(), { comments: false });
    const preset = auditWebhookByUser({ port: 8888, outputPathPattern: perUserPath(), comments: false });
    expect(preset.pipeline).toEqual(seed);
  });

  it('reads the seed values with their grammar kinds', () => {
    const seed = parseLogstash(seedLogstash(), { comments: false });
    const split = (seed.body[1] as logstash.LogstashSection).body[0] as logstash.LogstashPlugin;
    expect(split.body[0]).toEqual(setting('field', array(bareword('items'))));
    expect(split.body[1]).toEqual(
      setting('remove_field', array(bareword('headers'), bareword('metadata'), bareword('apiVersion'), '@timestamp', bareword('kind'), '@version', bareword('host'))),
    );
    const file = (seed.body[2] as logstash.LogstashSection).body[0] as logstash.LogstashPlugin;
    expect(file.body[0]).toEqual(setting('path', str('/var/log/kube-audit-', { kind: 'field', path: ['event', 'user', 'username'] }, '/audit')));
  });

  it('round-trips the seed with its comments through the writer', () => {
    const seed = parseLogstash(seedLogstash());
    expect(seed.body[0]).toMatchObject({ body: [{ body: [{ kind: 'comment' }, { kind: 'comment' }, { kind: 'setting' }] }] });
    expect(parseLogstash(writeLogstash(seed))).toEqual(seed);
  });

  it('writes the same bytes for the same input', () => {
    const a = writeLogstash(auditWebhookByUser({ port: 8888, outputPathPattern: perUserPath() }).pipeline);
    const b = writeLogstash(auditWebhookByUser({ port: '8888', outputPathPattern: perUserPath() }).pipeline);
    expect(a).toBe(b);
    expect(a).not.toMatch(/\t| +\n|\n\n\n/);
  });
});

describe('logstash preset options', () => {
  it('adds TLS and an Elasticsearch output whose password is an environment reference', () => {
    const preset = auditWebhookByUser({
      port: 8443,
      host: '127.0.0.1',
      outputPathPattern: perUserPath(),
      tls: { certificate: '/etc/logstash/tls.crt', key: '/etc/logstash/tls.key', certificateAuthorities: ['/etc/kubernetes/pki/ca.crt'], clientAuthentication: 'required' },
      elasticsearch: { hosts: ['https://es.example:9200'], index: str('k8s-audit-', dateFormat('yyyy.MM.dd')), user: 'logstash_writer', passwordEnv: 'ES_PASSWORD' },
    });
    const text = writeLogstash(preset.pipeline);
    expect(parseLogstash(text)).toEqual(preset.pipeline);
    expect(text).toContain('password => "${ES_PASSWORD}"');
    expect(text).toContain('index => "k8s-audit-%{+yyyy.MM.dd}"');
    expect(text).toContain('ssl_client_authentication => "required"');
    expect(text).toContain('ssl_certificate_authorities => ["/etc/kubernetes/pki/ca.crt"]');
    expect(preset.listener.scheme).toBe('https');
    expect(ok(preset.listener.serverUrl())).toBe('https://127.0.0.1:8443');
  });

  it('exposes where the input listens for the webhook kubeconfig', () => {
    const plain = auditWebhookByUser({ port: 8888, outputPathPattern: perUserPath() }).listener;
    expect([plain.scheme, plain.host, plain.port]).toEqual(['http', '0.0.0.0', 8888]);
    expect(ok(plain.serverUrl('10.0.0.5'))).toBe('http://10.0.0.5:8888');
    expect(ok(plain.serverUrl('fd00::5'))).toBe('http://[fd00::5]:8888');
    expect(refused(plain.serverUrl('evil/host?x'))[0]!.path).toBe('address');
  });

  it('refuses a path that would put every user in one file, and secrets written inline', () => {
    expect(refused(logstash.auditWebhookByUser({ port: 8888, outputPathPattern: '/var/log/audit' }))[0]!.path).toBe('outputPathPattern');
    expect(
      refused(logstash.auditWebhookByUser({ port: 8888, outputPathPattern: perUserPath(), elasticsearch: { hosts: ['https://es:9200'], index: 'a', passwordEnv: 'hunter2!' } }))[0]!.path,
    ).toBe('elasticsearch.passwordEnv');
    // A plain string is literal text: a `${...}` inside it is refused rather than expanded.
    expect(refused(logstash.auditWebhookByUser({ port: 8888, outputPathPattern: perUserPath(), elasticsearch: { hosts: ['https://es:9200'], index: '${ES_PASSWORD}' } }))[0]).toMatchObject({
      code: 'logstash-env-in-text',
      path: 'elasticsearch.index',
    });
  });

  it('reports every refused option at once', () => {
    const problems = refused(logstash.auditWebhookByUser({ port: '80; rm', host: 'a b', outputPathPattern: perUserPath(), tls: { certificate: 'tls.crt', key: '/k' } }));
    expect(problems.map((p) => p.path)).toEqual(['port', 'host', 'tls.certificate']);
    expect(refused(logstash.auditWebhookByUser({ port: 70000, outputPathPattern: perUserPath() }))[0]!.path).toBe('port');
  });
});

describe('logstash strings and escapes', () => {
  const one = (value: logstash.ValueInput) => pipeline(output(plugin('stdout', setting('x', value))));

  it('single-quotes a double quote without support_escapes, escapes it with', () => {
    // lscl_grammar.treetop: single_quoted_string is ( "'" ( "\\'" / !"'" . )* "'" )
    expect(writeLogstash(one('say "hi"'))).toContain(`x => 'say "hi"'`);
    expect(refused(logstash.writeLogstash(one(`say "it's"`)))[0]).toMatchObject({ code: 'logstash-quote', path: 'output.stdout[0].x' });
    const config = one('say "hi" C:\\dir');
    const text = writeLogstash(config, { supportEscapes: true });
    expect(text).toContain('x => "say \\"hi\\" C:\\\\dir"');
    expect(parseLogstash(text, { supportEscapes: true })).toEqual(config);
  });

  it('keeps backslashes literally without support_escapes, as logstash does', () => {
    expect(parseLogstash('output { stdout { x => "a\\"b\\n" } }')).toEqual(one(str('a\\"b\\n')));
    expect(parseLogstash('output { stdout { x => "a\\"b\\n" } }', { supportEscapes: true })).toEqual(pipeline(output(plugin('stdout', setting('x', script('a"b'))))));
  });

  it('refuses a final backslash, which the grammar pairs with the closing quote', () => {
    expect(thrown(() => one('C:\\')).code).toBe('logstash-trailing-backslash');
    const raw: LogstashPipeline = pipeline(output(plugin('stdout', setting('x', { kind: 'string', parts: [{ kind: 'text', text: 'C:' }, { kind: 'text', text: '\\' }] }))));
    expect(refused(logstash.writeLogstash(raw, { supportEscapes: true }))[0]!.code).toBe('logstash-trailing-backslash');
  });

  it('writes multi-line code only as a typed script', () => {
    expect(thrown(() => one('a\nb')).code).toBe('logstash-unsafe-character');
    const config = pipeline(filter(plugin('ruby', setting('code', script("event.set('n', 1)", "event.set('m', %w[a b])")))));
    expect(parseLogstash(writeLogstash(config))).toEqual(config);
  });

  it('types field references, dates and environment references', () => {
    expect(thrown(() => fieldRef('event', 'user]', 'x')).code).toBe('logstash-field-name');
    expect(thrown(() => envRef('ES-PASSWORD')).code).toBe('logstash-env-name');
    const config = one(str('a-', sprintf(fieldRef('objectRef', 'namespace')), '-', dateFormat('yyyy.MM'), '-', envRef('SUFFIX', 'x')));
    const text = writeLogstash(config);
    expect(text).toContain('"a-%{[objectRef][namespace]}-%{+yyyy.MM}-${SUFFIX:x}"');
    expect(parseLogstash(text)).toEqual(config);
  });

  it('round-trips numbers, booleans, nested arrays and hashes', () => {
    const config = pipeline(
      comment('top'),
      input(plugin('generator', setting('count', 3), setting('ratio', 0.5), setting('neg', num(-2)), setting('on', true))),
      filter(plugin('mutate', setting('add_field', hash(['a', 'b'], ['@x', array(1, 'two', hash(['k', false]))])))),
      output(plugin('stdout', setting('codec', logstash.pluginValue('json_lines', setting('charset', 'UTF-8'))))),
    );
    expect(parseLogstash(writeLogstash(config))).toEqual(config);
  });

  it('refuses conditionals in the parser with a position', () => {
    expect(refused(logstash.parseLogstash('filter {\n  if [a] { drop {} }\n}\n', { file: 'pipeline.conf' }))[0]).toMatchObject({ code: 'logstash-parse', line: 2, column: 3, file: 'pipeline.conf' });
  });

  it('reads substitutions the way logstash performs them (StringInterpolation, ConfigVariableExpander)', () => {
    const read = (content: string) => logstash.readStringContent(content);
    expect(read('%{[a][b]}-%{c}-%{+yyyy}-${X.y:d}')).toEqual({
      parts: [
        { kind: 'field', path: ['a', 'b'] },
        { kind: 'text', text: '-' },
        { kind: 'field', path: ['c'] },
        { kind: 'text', text: '-' },
        { kind: 'date', format: 'yyyy' },
        { kind: 'text', text: '-' },
        { kind: 'env', name: 'X.y', default: 'd' },
      ],
    });
    // %{ without a closing brace is left as it is; the first } closes a reference.
    expect(read('100%{ done')).toEqual({ parts: [{ kind: 'text', text: '100%{ done' }] });
    expect(read('%{[a]}}')).toEqual({ parts: [{ kind: 'field', path: ['a'] }, { kind: 'text', text: '}' }] });
    // Forms the model has no part for: epoch seconds (also %{} and %{+}), java.time formats.
    expect(read('%{+%s}')).toMatchObject({ unsupported: '%{+%s}' });
    expect(read('%{}')).toMatchObject({ unsupported: '%{}' });
    expect(read('%{{yyyy}}')).toMatchObject({ unsupported: '%{{yyyy}' });
    expect(refused(logstash.parseLogstash('output { file { path => "%{{yyyy}}" } }'))[0]!.message).toMatch(/not one the model covers/);
  });

  it('has size and depth limits', () => {
    expect(refused(logstash.parseLogstash(' '.repeat(20), { maxLength: 10 }))[0]!.code).toBe('logstash-too-large');
    const deep = `output { p { a => ${'['.repeat(100)}${']'.repeat(100)} } }`;
    expect(refused(logstash.parseLogstash(deep))[0]!.message).toMatch(/nested more than 64/);
    expect(parseLogstash(deep, { maxDepth: 200 }).body).toHaveLength(1);
  });
});

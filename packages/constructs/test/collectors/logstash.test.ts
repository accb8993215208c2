import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { CollectorConfigError, logstash } from '../../src/collectors/index.js';
import { outcomes, viaUtf8, writeOrTypedError } from './injection.js';
import { seedLogstash } from './seed-blocks.js';

const {
  AUDIT_EVENT_USERNAME,
  array,
  auditWebhookByUser,
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
  parseLogstash,
  pipeline,
  plugin,
  script,
  setting,
  sprintf,
  str,
  writeLogstash,
} = logstash;
type LogstashPipeline = logstash.LogstashPipeline;

const perUserPath = () => str('/var/log/kube-audit-', sprintf(AUDIT_EVENT_USERNAME), '/audit');


describe('logstash preset against the seed example', () => {
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
    expect(preset.listener.serverUrl()).toBe('https://127.0.0.1:8443');
  });

  it('exposes where the input listens for the webhook kubeconfig', () => {
    const plain = auditWebhookByUser({ port: 8888, outputPathPattern: perUserPath() }).listener;
    expect([plain.scheme, plain.host, plain.port]).toEqual(['http', '0.0.0.0', 8888]);
    expect(plain.serverUrl('10.0.0.5')).toBe('http://10.0.0.5:8888');
    expect(plain.serverUrl('fd00::5')).toBe('http://[fd00::5]:8888');
    expect(() => plain.serverUrl('evil/host?x')).toThrow(CollectorConfigError);
  });

  it('refuses a path that would put every user in one file, and secrets written inline', () => {
    expect(() => auditWebhookByUser({ port: 8888, outputPathPattern: '/var/log/audit' })).toThrow(expect.objectContaining({ path: 'outputPathPattern' }));
    expect(() =>
      auditWebhookByUser({ port: 8888, outputPathPattern: perUserPath(), elasticsearch: { hosts: ['https://es:9200'], index: 'a', passwordEnv: 'hunter2!' } }),
    ).toThrow(expect.objectContaining({ path: 'elasticsearch.passwordEnv' }));
    // A plain string is literal text: a `${...}` inside it is refused rather than expanded.
    expect(() => auditWebhookByUser({ port: 8888, outputPathPattern: perUserPath(), elasticsearch: { hosts: ['https://es:9200'], index: '${ES_PASSWORD}' } })).toThrow(
      expect.objectContaining({ code: 'logstash-env-in-text', path: 'elasticsearch.index' }),
    );
  });

  it('refuses a port that is not a TCP port', () => {
    expect(() => auditWebhookByUser({ port: '80; rm', outputPathPattern: perUserPath() })).toThrow(expect.objectContaining({ path: 'port' }));
    expect(() => auditWebhookByUser({ port: 70000, outputPathPattern: perUserPath() })).toThrow(expect.objectContaining({ path: 'port' }));
  });
});

describe('logstash strings and escapes', () => {
  const one = (value: logstash.ValueInput) => pipeline(output(plugin('stdout', setting('x', value))));

  it('refuses double quotes unless support_escapes is on, then escapes them', () => {
    expect(() => writeLogstash(one('say "hi"'))).toThrow(expect.objectContaining({ code: 'logstash-quote', path: 'output.stdout[0].x' }));
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
    expect(() => writeLogstash(one('C:\\'), { supportEscapes: true })).toThrow(expect.objectContaining({ code: 'logstash-trailing-backslash' }));
  });

  it('writes multi-line code only as a typed script', () => {
    expect(() => writeLogstash(one('a\nb'))).toThrow(expect.objectContaining({ code: 'logstash-control-character' }));
    const config = pipeline(filter(plugin('ruby', setting('code', script("event.set('n', 1)", "event.set('m', %w[a b])")))));
    expect(parseLogstash(writeLogstash(config))).toEqual(config);
  });

  it('types field references, dates and environment references', () => {
    expect(() => fieldRef('event', 'user]', 'x')).toThrow(expect.objectContaining({ code: 'logstash-field-name' }));
    expect(() => envRef('ES-PASSWORD')).toThrow(CollectorConfigError);
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
    expect(() => parseLogstash('filter {\n  if [a] { drop {} }\n}\n')).toThrow(expect.objectContaining({ code: 'logstash-parse', position: { line: 2, column: 3 } }));
  });
});

describe('logstash injection (property)', () => {
  afterEach(() => {
    expect(outcomes.written).toBeGreaterThan(50);
    expect(outcomes.refused).toBeGreaterThan(50);
    outcomes.written = 0;
    outcomes.refused = 0;
  });

  const dangerous = ['\n', '\r', '"', "'", '\\', '}', '{', '[', ']', '=>', '#', '%{', '${', '%{[a]}', '${HOME}', ' ', '\t', 'if', 'true', ',', '\u0000'];
  const nasty = fc
    .array(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(...dangerous), fc.string({ unit: 'grapheme', maxLength: 4 }), fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 8 })
    .map((parts) => parts.join(''));

  it('string values either round-trip exactly or are refused by name, in both escape modes', () => {
    fc.assert(
      fc.property(nasty, fc.boolean(), (value, supportEscapes) => {
        const config = pipeline(output(plugin('file', setting('path', value))));
        const text = writeOrTypedError(() => writeLogstash(config, { supportEscapes }), 'output.file[0].path');
        if (text !== undefined) expect(parseLogstash(viaUtf8(text), { supportEscapes })).toEqual(config);
      }),
      { numRuns: 1500 },
    );
  });

  it('names, barewords, hash keys, field names and comments either round-trip or are refused', () => {
    const where = ['plugin', 'key', 'bareword', 'hashKey', 'field', 'env', 'comment', 'date'] as const;
    fc.assert(
      fc.property(nasty, fc.constantFrom(...where), (value, at) => {
        let config: LogstashPipeline | undefined;
        const text = writeOrTypedError(() => {
          const node =
            at === 'plugin'
              ? plugin(value, setting('a', 1))
              : at === 'key'
                ? plugin('p', setting(value, 1))
                : at === 'bareword'
                  ? plugin('p', setting('a', bareword(value)))
                  : at === 'hashKey'
                    ? plugin('p', setting('a', hash([value, 1])))
                    : at === 'field'
                      ? plugin('p', setting('a', str('x', sprintf(fieldRef('a', value)))))
                      : at === 'env'
                        ? plugin('p', setting('a', str(envRef(value))))
                        : at === 'date'
                          ? plugin('p', setting('a', str(dateFormat(value))))
                          : plugin('p', comment(value), setting('a', 1));
          config = pipeline(filter(node));
          return writeLogstash(config);
        }, /.*/);
        if (text !== undefined) expect(parseLogstash(viaUtf8(text))).toEqual(config);
      }),
      { numRuns: 2000 },
    );
  });

  it('every preset option either round-trips or is refused under its own name', () => {
    const options = ['port', 'host', 'outputPathPattern', 'esHost', 'esIndex', 'esUser', 'passwordEnv', 'tlsCert', 'tlsKey'] as const;
    const fieldOf: Record<(typeof options)[number], string> = {
      port: 'port',
      host: 'host',
      outputPathPattern: 'outputPathPattern',
      esHost: 'elasticsearch.hosts',
      esIndex: 'index',
      esUser: 'user',
      passwordEnv: 'elasticsearch.passwordEnv',
      tlsCert: 'tls.certificate',
      tlsKey: 'tls.key',
    };
    fc.assert(
      fc.property(fc.constantFrom(...options), nasty, fc.constantFrom('', '/var/log/', 'https://es:9200/'), (option, raw, prefix) => {
        const value = prefix + raw;
        let config: LogstashPipeline | undefined;
        const text = writeOrTypedError(() => {
          config = auditWebhookByUser({
            port: option === 'port' ? value : 8888,
            ...(option === 'host' ? { host: value } : {}),
            outputPathPattern: option === 'outputPathPattern' ? str(value, sprintf(AUDIT_EVENT_USERNAME)) : perUserPath(),
            elasticsearch: {
              hosts: [option === 'esHost' ? value : 'https://es:9200'],
              index: option === 'esIndex' ? value : 'audit',
              ...(option === 'esUser' ? { user: value } : {}),
              ...(option === 'passwordEnv' ? { passwordEnv: value } : {}),
            },
            tls: { certificate: option === 'tlsCert' ? value : '/tls/crt.pem', key: option === 'tlsKey' ? value : '/tls/key.pem' },
          }).pipeline;
          return writeLogstash(config);
        }, fieldOf[option]);
        if (text !== undefined) {
          const parsed = parseLogstash(viaUtf8(text));
          expect(parsed).toEqual(config);
          expect(parsed.body.map((s) => (s.kind === 'section' ? `${s.type}:${s.body.length}` : 'comment'))).toEqual(['input:1', 'filter:2', 'output:2']);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

const hasLogstash = (() => {
  try {
    execFileSync('which', ['logstash'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasLogstash)('real logstash', () => {
  it('accepts the preset with -t', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-gen-logstash-'));
    const file = join(dir, 'pipeline.conf');
    writeFileSync(file, writeLogstash(auditWebhookByUser({ port: 8888, outputPathPattern: perUserPath() }).pipeline));
    execFileSync('logstash', ['-t', '-f', file], { stdio: 'pipe' });
  });
});

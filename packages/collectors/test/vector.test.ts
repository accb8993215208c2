// The Vector language: interpolation and YAML rules (each case names the rule of Vector's loader it
// follows), the writer, and the presets; the webhook split program runs in the VRL subset
// interpreter. The injection corpus is in hostile/vector.test.ts.
import { docsExamplePolicy } from '@k8s-gen/audit';
import { describe, expect, it } from 'vitest';
import { policyFilter, settingAt, settingTexts, vector } from '../src/index.js';
import { ok, refused, thrown } from './helpers.js';

const { envRef, sink, source, template, transform, vectorConfig, vrl } = vector;
const parse = (text: string) => ok(vector.parseVector(text));
const problem = (text: string) => refused(vector.parseVector(text))[0]!;
const minimal = (value: string) => `sources:\n  in:\n    type: stdin\nsinks:\n  out:\n    type: console\n    inputs: [in]\n    encoding:\n      codec: ${value}\n`;

describe('Vector reader (src/config/vars.rs interpolation, then serde_yaml)', () => {
  it('reads $$ as a literal $, anywhere in the text', () => {
    expect(settingAt(parse(minimal('"a$$b"')).sinks[0]!.options, 'encoding', 'codec')).toBe('a$b');
  });

  it('reads a whole ${NAME} as an environment reference, and refuses $NAME, defaults and references inside text', () => {
    expect(settingAt(parse(minimal('"${CODEC}"')).sinks[0]!.options, 'encoding', 'codec')).toEqual({ $node: 'env', name: 'CODEC' });
    expect(problem(minimal('$CODEC')).message).toContain('$CODEC');
    expect(problem(minimal('"${CODEC:-json}"')).code).toBe('vector-env');
    expect(problem(minimal('"json-${X}"')).code).toBe('vector-env');
    // A $ before anything else is itself.
    expect(settingAt(parse(minimal('"a$ b"')).sinks[0]!.options, 'encoding', 'codec')).toBe('a$ b');
  });

  it('interpolates comments too, so a reference in a comment is refused like any other', () => {
    expect(problem(`# \${SECRET}\n${minimal('json')}`).code).toBe('vector-env');
  });

  it('reads YAML 1.2 types and refuses plain values YAML 1.1 reads differently', () => {
    expect(settingAt(parse('sources:\n  in:\n    type: file\n    include: [/a]\n    max_line_bytes: 1000\nsinks:\n  out:\n    type: blackhole\n    inputs: [in]\n').sources[0]!.options, 'max_line_bytes')).toBe(1000);
    expect(problem(minimal('yes')).message).toContain('YAML 1.1');
  });

  it('reads a remap transform\'s source as VRL, and checks the topology', () => {
    const config = parse('sources:\n  in:\n    type: stdin\ntransforms:\n  t:\n    type: remap\n    inputs: [in]\n    source: |\n      .a = 1\nsinks:\n  out:\n    type: blackhole\n    inputs: [t]\n');
    expect(settingAt(config.transforms[0]!.options, 'source')).toEqual({ $node: 'code', text: '.a = 1\n' });
    expect(problem('sources:\n  in:\n    type: stdin\nsinks:\n  out:\n    type: blackhole\n    inputs: [nothing]\n').code).toBe('vector-input');
  });
});

describe('Vector writer and builders', () => {
  it('doubles every $, writes envRef as ${NAME}, and reads back the same tree', () => {
    const config = vectorConfig({
      header: ['costs $5'],
      global: { data_dir: '/var/lib/vector' },
      sources: [source('in', 'stdin')],
      transforms: [transform('t', 'remap', ['in'], { source: vrl('.price = "$5"\n') })],
      sinks: [sink('out', 'http', ['t'], { uri: 'https://x/$path', auth: { strategy: 'bearer', token: envRef('TOKEN') } }), sink('files', 'file', ['t'], { path: template('/var/log/{{ .verb }}-%Y.log') })],
    });
    const text = ok(vector.writeVector(config));
    expect(text).toContain('# costs $$5');
    expect(text).toContain('.price = "$$5"');
    expect(text).toContain('uri: "https://x/$$path"');
    expect(text).toContain('token: "${TOKEN}"');
    // Text with {{ ... }} reads back as a template, wherever it stands.
    expect(settingAt(parse(text).sinks[1]!.options, 'path')).toEqual({ $node: 'template', text: '/var/log/{{ .verb }}-%Y.log' });
    expect(parse(text).sinks[0]!.options).toEqual(config.sinks[0]!.options);
  });

  it('refuse template markers in plain text, dotted keys and reserved options', () => {
    expect(thrown(() => sink('out', 'file', ['in'], { path: '/var/log/{{ .user }}.log' })).code).toBe('vector-template-in-text');
    expect(thrown(() => sink('out', 'console', ['in'], { 'encoding.codec': 'json' })).code).toBe('vector-option-key');
    expect(thrown(() => sink('out', 'console', ['in'], { inputs: ['x'] })).code).toBe('vector-option-key');
    expect(thrown(() => template('/var/log/{{ .user.log')).code).toBe('vector-template');
    expect(refused(vector.writeVector(vectorConfig({ sources: [source('a', 'stdin'), source('a', 'stdin')] })))[0]!.code).toBe('vector-component-id');
  });
});

const logOptions = { logPath: '/var/log/kubernetes/audit/audit.log', eventSize: { truncateMaxEventSize: 102_400, maxLevel: 'RequestResponse' as const }, sinks: [{ name: 'console', type: 'console', options: { encoding: { codec: 'json' } } }] };

describe('vectorAuditLogFile', () => {
  it('sets max_line_bytes from truncation, excludes the rotated files and parses each line into the event', () => {
    const preset = ok(vector.vectorAuditLogFile(logOptions));
    const file = preset.config.sources[0]!;
    expect(settingAt(file.options, 'max_line_bytes')).toBe(102_402);
    expect(settingTexts(settingAt(file.options, 'exclude'))).toEqual(['/var/log/kubernetes/audit/audit-*.log', '/var/log/kubernetes/audit/audit-*.log.gz']);
    // object! and parse_json! are outside the interpreter's functions; the program is checked for its syntax.
    expect(ok(policyFilter.parseVrl(vector.PARSE_LINE_VRL)).body).toHaveLength(1);
    expect(ok(vector.vectorAuditLogFile({ ...logOptions, eventSize: { maxLevel: 'Request' } })).warnings.map((w) => w.code)).toEqual(['vector-unbounded-events']);
  });

  it('routes a sink with a policy through its own remap, and others straight from the parser', () => {
    const preset = ok(vector.vectorAuditLogFile({ ...logOptions, sinks: [...logOptions.sinks, { name: 'cheap', type: 'blackhole', options: {}, policy: docsExamplePolicy().build() }] }));
    expect(preset.config.sinks.map((s) => `${s.id} <- ${s.inputs.join(',')}`)).toEqual(['console <- k8s_audit_parse', 'cheap <- k8s_audit_policy_cheap']);
    const policy = preset.config.transforms[1]!;
    expect(settingAt(policy.options, 'drop_on_abort')).toBe(true);
    const source = settingAt(policy.options, 'source') as { text: string };
    expect(ok(policyFilter.parseVrl(source.text)).body.length).toBeGreaterThan(10);
    expect(ok(vector.writeVector(preset.config))).toContain('k8s_audit_policy_cheap:');
  });

  it('refuses options by their own names', () => {
    const paths = (options: Partial<vector.VectorAuditLogFileOptions>) => refused(vector.vectorAuditLogFile({ ...logOptions, ...options })).map((p) => p.path);
    expect(paths({ logPath: '/var/log/audit/*.log' })).toEqual(['logPath']);
    expect(paths({ sinks: [{ name: 'k8s_audit_x', type: 'console', options: {} }] })).toEqual(['sinks[0].name']);
    expect(paths({ sinks: [{ name: 'a', type: 'console', options: { path: '{{ x }}' } }] })).toEqual(['sinks[0].options.path']);
    expect(paths({ readFrom: 'middle' as never })).toEqual(['readFrom']);
  });
});

describe('vectorAuditWebhook', () => {
  it('splits a posted EventList into its events, giving items kind and apiVersion (run in the VRL subset interpreter)', () => {
    const program = ok(policyFilter.parseVrl(vector.SPLIT_EVENT_LIST_VRL));
    const list: policyFilter.VrlValue = { kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items: [{ auditID: 'a', verb: 'get' }, 'not an event', { auditID: 'b', kind: 'Event', apiVersion: 'audit.k8s.io/v1beta1' }], path: '/', source_type: 'http_server' };
    expect(policyFilter.runVrl(program, list)).toEqual({ aborted: false, event: [{ auditID: 'a', verb: 'get', kind: 'Event', apiVersion: 'audit.k8s.io/v1' }, { auditID: 'b', kind: 'Event', apiVersion: 'audit.k8s.io/v1beta1' }] });
    expect(policyFilter.runVrl(program, { kind: 'Event' })).toEqual({ aborted: true });
  });

  it('listens where the listener says, over TLS when given', () => {
    const preset = ok(vector.vectorAuditWebhook({ port: 9443, tls: { certificate: '/tls/tls.crt', key: '/tls/tls.key' }, sinks: logOptions.sinks }));
    expect(settingAt(preset.config.sources[0]!.options, 'address')).toBe('0.0.0.0:9443');
    expect(settingAt(preset.config.sources[0]!.options, 'tls', 'enabled')).toBe(true);
    expect(ok(preset.listener!.serverUrl('10.0.0.5'))).toBe('https://10.0.0.5:9443/');
    expect(refused(vector.vectorAuditWebhook({ port: 70_000, sinks: logOptions.sinks }))[0]!.path).toBe('port');
  });
});

describe('vectorInCluster', () => {
  it('puts the config in one ConfigMap, mounts the log read-only and data_dir writable, and runs vector --config', () => {
    const preset = ok(vector.vectorAuditLogFile(logOptions));
    const packaged = ok(vector.vectorInCluster(preset, { configMapName: 'audit-vector', namespace: 'kube-system' }));
    expect(packaged.configMap.metadata).toEqual({ name: 'audit-vector', namespace: 'kube-system' });
    expect(Object.keys(packaged.configMap.data)).toEqual(['vector.yaml']);
    // The ConfigMap holds exactly what the writer writes, which reads back without a problem.
    expect(packaged.configMap.data['vector.yaml']).toBe(ok(vector.writeVector(preset.config)));
    expect(vector.parseVector(packaged.configMap.data['vector.yaml']!).problems).toEqual([]);
    expect(packaged.volumes).toEqual([
      { name: 'vector-config', configMap: { name: 'audit-vector', items: [{ key: 'vector.yaml', path: 'vector.yaml' }] } },
      { name: 'vector-state', hostPath: { path: '/var/lib/vector', type: 'DirectoryOrCreate' } },
      { name: 'audit-log', hostPath: { path: '/var/log/kubernetes/audit', type: 'Directory' } },
    ]);
    expect(packaged.volumeMounts).toEqual([
      { name: 'vector-config', mountPath: '/etc/vector', readOnly: true },
      { name: 'vector-state', mountPath: '/var/lib/vector' },
      { name: 'audit-log', mountPath: '/var/log/kubernetes/audit', readOnly: true },
    ]);
    expect(packaged.args).toEqual(['--config', '/etc/vector/vector.yaml']);
    expect(packaged.containerPort).toBeUndefined();
  });

  it('exposes the webhook listener port and mounts no log folder', () => {
    const packaged = ok(vector.vectorInCluster(ok(vector.vectorAuditWebhook({ port: 9443, sinks: logOptions.sinks })), { configMapName: 'audit-vector' }));
    expect(packaged.containerPort).toBe(9443);
    expect(packaged.volumeMounts.map((mount) => mount.name)).toEqual(['vector-config', 'vector-state']);
  });

  it('refuses a data_dir inside the read-only log or config folder, a log folder that does not hold the log, and bad names', () => {
    const paths = (preset: vector.VectorPreset, options: Partial<vector.VectorInClusterOptions>) => refused(vector.vectorInCluster(preset, { configMapName: 'a', ...options })).map((p) => p.path);
    expect(paths(ok(vector.vectorAuditLogFile({ ...logOptions, dataDir: '/var/log/kubernetes/audit/vector' })), {})).toEqual(['dataDir']);
    expect(paths(ok(vector.vectorAuditLogFile({ ...logOptions, dataDir: '/etc/vector/data' })), {})).toEqual(['dataDir']);
    expect(paths(ok(vector.vectorAuditLogFile(logOptions)), { hostLogDir: '/var/log/other' })).toEqual(['hostLogDir']);
    expect(paths(ok(vector.vectorAuditLogFile(logOptions)), { configMapName: 'A_B', namespace: 'Kube System' })).toEqual(['configMapName', 'namespace']);
    expect(paths(ok(vector.vectorAuditLogFile(logOptions)), { configDir: 'etc/vector' })).toEqual(['configDir']);
  });
});

// The Fluent Bit language: its two readers' rules (each case names the rule of Fluent Bit's source
// it follows), the writers, the presets against the real audit log and the apiserver's file names,
// and the in-cluster packaging. The injection corpus is in hostile/fluentbit.test.ts.
import { readFileSync } from 'node:fs';
import { docsExamplePolicy } from '@k8s-gen/audit';
import { describe, expect, it } from 'vitest';
import { fluentbit } from '../src/index.js';
import { itWithShared, SHARED_FILES, sharedPath } from '../../../test/support/shared-data.js';
import { ok, refused, thrown } from './helpers.js';

const { envRef, filter, fluentBitConfig, input, output, parser, propertyValue, valueText } = fluentbit;
type FluentBitConfig = fluentbit.FluentBitConfig;
const classic = (text: string, parsers?: string) => ok(fluentbit.parseFluentBitClassic(text, parsers === undefined ? {} : { parsers }));
const classicProblem = (text: string) => refused(fluentbit.parseFluentBitClassic(text))[0]!;
const yaml = (text: string) => ok(fluentbit.parseFluentBitYaml(text));

const sampleLog = sharedPath(SHARED_FILES.sampleLog);

describe('classic format reader (src/config_format/flb_cf_fluentbit.c, read_config)', () => {
  it('reads sections, lowercases keys and trims values (flb_cf_section_property_add: key translate, flb_sds_trim)', () => {
    const config = classic('[SERVICE]\n    Flush     1\n[INPUT]\n    Name   tail\n    Path   /var/log/a.log   \n');
    expect(config.service).toEqual([{ key: 'flush', value: '1' }]);
    expect(config.inputs).toEqual([{ kind: 'input', name: 'tail', properties: [{ key: 'path', value: '/var/log/a.log' }] }]);
  });

  it('ends lines at LF and drops one CR before it; a lone CR stays in the value (fgets, then the trailing \\r is cut)', () => {
    expect(classic('[INPUT]\r\n    name dummy\r\n').inputs[0]!.name).toBe('dummy');
    // The lone CR is read as part of the value, which the AST refuses as a control character.
    expect(classicProblem('[INPUT]\n    name dummy\n    tag a\rb\n').code).toBe('fluentbit-unsafe-character');
  });

  it('skips a line starting with #, and an indented # line after the indentation (buf[0] == #, buf[indent_len] == #)', () => {
    const config = classic('# top\n\n[INPUT]\n    # inside\n    name dummy\n');
    expect(config.header).toEqual(['top']);
    expect(config.inputs).toHaveLength(1);
  });

  it('refuses @INCLUDE and the other @ meta commands (they include files and set variables)', () => {
    expect(classicProblem('@INCLUDE other.conf\n').message).toContain('@INCLUDE');
    expect(classicProblem('@SET a=b\n').message).toContain('@SET');
  });

  it('names a section by the text up to the first ], ignoring the rest of the line, without regard to case (char_search, get_section_type)', () => {
    expect(classic('[input] trailing\n    name dummy\n').inputs[0]!.name).toBe('dummy');
    expect(classicProblem('[INPUT\n    name dummy\n').message).toContain('no closing ]');
  });

  it('lets the first indented line fix the indentation; less is an error, more is a group line (check_indent)', () => {
    expect(classicProblem('[INPUT]\n    name dummy\n  tag a\n').message).toContain('indentation');
    expect(classicProblem('[INPUT]\n    name dummy\n        tag a\n').message).toContain('group');
    // Fluent Bit counts the first character as indentation whatever it is, so a key at column 0 would lose a letter.
    expect(classicProblem('[INPUT]\nname dummy\n').message).toContain('without indentation');
  });

  it('splits key and value at the first space, not a tab, and refuses an empty value (char_search(buf, " "), val_len == 0)', () => {
    expect(classicProblem('[INPUT]\n    name\n').message).toContain('without a value');
    expect(classicProblem('[INPUT]\n    name\tdummy\n').message).toContain('without a value');
    expect(classicProblem('[INPUT]\n    name dummy\n    tag    \n').message).toContain('empty value');
  });

  it('reads a whole ${NAME} as an environment reference and refuses ${...} inside text (src/flb_env.c flb_env_var_translate)', () => {
    expect(classic('[OUTPUT]\n    name es\n    http_passwd ${ES_PASSWORD}\n').outputs[0]!.properties[0]!.value).toEqual({ kind: 'env', name: 'ES_PASSWORD' });
    expect(classicProblem('[OUTPUT]\n    name es\n    host es-${ENV}.example\n').message).toContain('environment variable');
  });

  it('refuses [PARSER] in the main file: classic configs read parsers only from parsers_file (flb_config.c, "not valid in the main configuration file")', () => {
    expect(classicProblem('[PARSER]\n    name a\n    format json\n').message).toContain('parsers_file');
    expect(classic('[SERVICE]\n    parsers_file /p.conf\n', '[PARSER]\n    name a\n    format json\n').parsers).toEqual([{ kind: 'parser', name: 'a', properties: [{ key: 'format', value: 'json' }] }]);
  });

  it('refuses text over the size limit', () => {
    expect(refused(fluentbit.parseFluentBitClassic('#'.repeat(20), { maxLength: 10 }))[0]!.code).toBe('fluentbit-too-large');
  });
});

describe('YAML format reader (src/config_format/flb_cf_yaml.c)', () => {
  it('reads service, parsers and pipeline, every scalar as text (libyaml scalar events)', () => {
    const config = yaml('service:\n  flush: 1\nparsers:\n  - name: p\n    format: json\npipeline:\n  inputs:\n    - name: http\n      port: 9880\n  outputs:\n    - name: stdout\n      match: "*"\n');
    expect(config.service).toEqual([{ key: 'flush', value: '1' }]);
    expect(config.parsers[0]).toEqual({ kind: 'parser', name: 'p', properties: [{ key: 'format', value: 'json' }] });
    expect(config.inputs[0]!.properties).toEqual([{ key: 'port', value: '9880' }]);
  });

  it('turns camelCase keys into snake_case and keeps other keys, matched without regard to case (flb_cf_key_translate)', () => {
    expect(fluentbit.yamlKeyAsRead('bufferMaxSize')).toBe('buffer_max_size');
    expect(fluentbit.yamlKeyAsRead('buffer_max_size')).toBe('buffer_max_size');
    expect(fluentbit.yamlKeyAsRead('Mem_Buf_Limit')).toBe('mem_buf_limit');
    expect(yaml('pipeline:\n  inputs:\n    - name: tail\n      bufferMaxSize: 1M\n').inputs[0]!.properties[0]!.key).toBe('buffer_max_size');
  });

  it('trims values as the classic format does (flb_cf_section_property_add)', () => {
    expect(yaml('pipeline:\n  inputs:\n    - name: tail\n      tag: "  audit  "\n').inputs[0]!.properties[0]!.value).toBe('audit');
  });

  it('refuses anchors, aliases, unknown sections and lists as values', () => {
    expect(refused(fluentbit.parseFluentBitYaml('service: &s\n  flush: 1\n'))[0]!.message).toContain('anchor');
    expect(refused(fluentbit.parseFluentBitYaml('env:\n  A: b\n'))[0]!.message).toContain('not supported');
    expect(refused(fluentbit.parseFluentBitYaml('pipeline:\n  inputs:\n    - name: tail\n      path: [a, b]\n'))[0]!.message).toContain('list or map');
  });
});

function sampleConfig(): FluentBitConfig {
  return fluentBitConfig({
    header: ['written by a test'],
    service: { flush: 1, 'storage.path': '/var/lib/fluent-bit/storage/' },
    parsers: [parser('k8s_gen_audit', { format: 'json', time_key: 'stageTimestamp', time_format: '%Y-%m-%dT%H:%M:%S.%LZ' })],
    inputs: [input('tail', { tag: 'kube.audit', path: '/var/log/kubernetes/audit/audit.log', skip_long_lines: true }, 'the audit log')],
    filters: [filter('lua', { match: 'kube.audit', script: '/fluent-bit/etc/a.lua', call: 'f', enable_flb_null: true })],
    outputs: [output('es', { match: 'kube.audit', host: 'a: b #c [x]', http_passwd: envRef('ES_PASSWORD') })],
  });
}

describe('writers', () => {
  it('write the classic format and read it back as the same tree, parsers in the parsers file', () => {
    const files = ok(fluentbit.writeFluentBitClassic(sampleConfig(), { parsersFile: '/fluent-bit/etc/parsers.conf' }));
    expect(files.main).toContain('[SERVICE]\n    flush        1\n    storage.path /var/lib/fluent-bit/storage/\n    parsers_file /fluent-bit/etc/parsers.conf\n');
    expect(files.main).toContain('    http_passwd ${ES_PASSWORD}\n');
    expect(files.parsers).toContain('[PARSER]\n    name        k8s_gen_audit\n');
    const reread = classic(files.main, files.parsers);
    expect(reread.outputs).toEqual(sampleConfig().outputs);
    expect(reread.inputs).toEqual(sampleConfig().inputs);
  });

  it('write the YAML format and read it back as the same tree (comments left out)', () => {
    const text = ok(fluentbit.writeFluentBitYaml(sampleConfig()));
    expect(text).toContain('    - name: es\n      match: kube.audit\n      host: "a: b #c [x]"\n      http_passwd: "${ES_PASSWORD}"\n');
    expect(text).toContain('    # the audit log\n    - name: tail\n');
    const reread = yaml(text);
    expect(reread.inputs.map(({ kind, name, properties }) => ({ kind, name, properties }))).toEqual(sampleConfig().inputs.map(({ kind, name, properties }) => ({ kind, name, properties })));
  });

  it('refuse a classic config with parsers but no parsers file, and a tree built without the builders', () => {
    expect(refused(fluentbit.writeFluentBitClassic(sampleConfig()))[0]!.path).toBe('parsersFile');
    const raw = { ...sampleConfig(), outputs: [{ kind: 'output' as const, name: 'es', properties: [{ key: 'host', value: 'a\n[INPUT]' }] }] };
    expect(refused(fluentbit.writeFluentBitYaml(raw))[0]).toMatchObject({ code: 'fluentbit-unsafe-character', path: 'outputs[0](es).host' });
    expect(refused(fluentbit.writeFluentBitClassic(raw, { parsersFile: '/p.conf' }))[0]!.path).toBe('outputs[0](es).host');
  });

  it('builders refuse what Fluent Bit would read differently', () => {
    expect(thrown(() => input('tail', { path: ' /a' })).code).toBe('fluentbit-white-space');
    expect(thrown(() => input('tail', { name: 'x' })).code).toBe('fluentbit-property-key');
    expect(thrown(() => input('tail', { Path: '/a' })).code).toBe('fluentbit-property-key');
    expect(thrown(() => input('Tail')).code).toBe('fluentbit-plugin-name');
    expect(thrown(() => envRef('A-B')).code).toBe('fluentbit-env-name');
  });
});

const sink = (name = 'stdout', policy?: ReturnType<ReturnType<typeof docsExamplePolicy>['build']>): fluentbit.FluentBitSink => ({ name, output: output('stdout', { format: 'json_lines' }), ...(policy ? { policy } : {}) });
const tailOptions = { logPath: '/var/log/kubernetes/audit/audit.log', eventSize: { truncateMaxEventSize: 102_400, maxLevel: 'RequestResponse' as const }, sinks: [sink()] };

describe('auditLogTail', () => {
  it('sizes the line buffer to the largest event truncation lets through, plus the line feed and NUL (tail_file.c: buf_size - 1 holds data)', () => {
    const preset = ok(fluentbit.auditLogTail(tailOptions));
    const tail = preset.config.inputs[0]!;
    expect(propertyValue(tail, 'buffer_max_size')).toBe('102402');
    expect(propertyValue(tail, 'skip_long_lines')).toBe('on');
    expect(preset.warnings).toEqual([]);
  });

  itWithShared('needs more than the 32 KiB default on the real RequestResponse log: 55 of its lines are longer (tail stops reading the file on the first)', [SHARED_FILES.sampleLog], () => {
    const lengths = readFileSync(sampleLog).toString('latin1').split('\n').map((line) => line.length);
    const longest = Math.max(...lengths);
    expect(lengths.filter((n) => n > 32_768).length).toBeGreaterThan(0);
    // Unbounded (bodies, no truncation): the fallback buffer holds the longest real line, and the preset warns.
    const preset = ok(fluentbit.auditLogTail({ ...tailOptions, eventSize: { maxLevel: 'RequestResponse' } }));
    expect(preset.bufferMaxSize).toBeGreaterThan(longest + 1);
    expect(preset.warnings.map((w) => w.code)).toEqual(['fluentbit-unbounded-events']);
    // Metadata without truncation: the header-bound.
    expect(ok(fluentbit.auditLogTail({ ...tailOptions, eventSize: { maxLevel: 'Metadata' } })).bufferMaxSize).toBe(8 * 1_048_576 + 2);
  });

  it('excludes exactly the files the log backend rotates to, compressed or not (lumberjack backupName; tail_scan_glob.c fnmatch(pattern, path, 0))', () => {
    const tail = ok(fluentbit.auditLogTail(tailOptions)).config.inputs[0]!;
    const patterns = valueText(propertyValue(tail, 'exclude_path')!).split(',');
    expect(patterns).toEqual(['/var/log/kubernetes/audit/audit-*.log', '/var/log/kubernetes/audit/audit-*.log.gz']);
    // fnmatch without flags: * matches any characters, / included.
    const matches = (name: string) => patterns.some((p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(name));
    expect(matches('/var/log/kubernetes/audit/audit-2024-05-16T17-03-59.994.log')).toBe(true);
    expect(matches('/var/log/kubernetes/audit/audit-2024-05-16T17-03-59.994.log.gz')).toBe(true);
    expect(matches('/var/log/kubernetes/audit/audit.log')).toBe(false);
  });

  itWithShared('keeps offsets in a database and chunks on the filesystem, and parses stageTimestamp as every event of the real log writes it', [SHARED_FILES.sampleLog], () => {
    const preset = ok(fluentbit.auditLogTail(tailOptions));
    const tail = preset.config.inputs[0]!;
    expect(valueText(propertyValue(tail, 'db')!)).toBe('/var/lib/fluent-bit/kube-audit-tail.db');
    expect(propertyValue(tail, 'storage.type')).toBe('filesystem');
    expect(propertyValue({ properties: preset.config.service }, 'storage.path')).toBe('/var/lib/fluent-bit/storage/');
    const memory = ok(fluentbit.auditLogTail({ ...tailOptions, buffering: 'memory' })).config.inputs[0]!;
    expect(propertyValue(memory, 'mem_buf_limit')).toBe(String(64 * 1_048_576));
    // %Y-%m-%dT%H:%M:%S.%LZ: %L reads the fraction, the Z is literal (flb_parser.c marks %S.%LZ as UTC).
    const format = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+Z$/;
    const stamps = readFileSync(sampleLog, 'utf8').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { stageTimestamp: string }).stageTimestamp);
    expect(stamps.every((s) => format.test(s))).toBe(true);
    expect(preset.config.parsers[0]!.properties).toContainEqual({ key: 'time_format', value: fluentbit.AUDIT_TIME_FORMAT });
  });

  it('routes one sink per policy: a rewrite_tag copy, the sink\'s Lua filter, and an output matching the copy', () => {
    const preset = ok(fluentbit.auditLogTail({ ...tailOptions, sinks: [sink('everything'), sink('cheap', docsExamplePolicy().build())] }));
    expect(preset.config.filters.map((f) => `${f.name} ${valueText(propertyValue(f, 'match')!)}`)).toEqual(['rewrite_tag kube.audit', 'lua kube.audit.cheap']);
    expect(propertyValue(preset.config.filters[0]!, 'rule')).toBe('$auditID .+ kube.audit.cheap true');
    expect(preset.config.outputs.map((o) => valueText(propertyValue(o, 'match')!))).toEqual(['kube.audit', 'kube.audit.cheap']);
    expect(preset.scripts.map((s) => s.path)).toEqual(['/fluent-bit/etc/audit-policy-cheap.lua']);
    expect(preset.scripts[0]!.text).toContain('function k8s_gen_policy_cheap(tag, timestamp, record)');
    // One sink with a policy filters the events in place.
    const single = ok(fluentbit.auditLogTail({ ...tailOptions, sinks: [sink('cheap', docsExamplePolicy().build())] }));
    expect(single.config.filters.map((f) => f.name)).toEqual(['lua']);
  });

  it('refuses options by their own names', () => {
    const paths = (options: Partial<fluentbit.AuditLogTailOptions>) => refused(fluentbit.auditLogTail({ ...tailOptions, ...options })).map((p) => p.path);
    expect(paths({ logPath: '/var/log/audit/*.log' })).toEqual(['logPath']);
    expect(paths({ tag: 'kube-audit' })).toEqual(['tag']);
    expect(paths({ sinks: [] })).toEqual(['sinks']);
    expect(paths({ sinks: [sink('a'), sink('a')] })).toEqual(['sinks[1].name']);
    expect(paths({ sinks: [{ name: 'a', output: output('stdout', { match: '*' }) }] })).toEqual(['sinks[0].output.match']);
    expect(paths({ eventSize: { maxLevel: 'Everything' as never } })).toEqual(['eventSize.maxLevel']);
    // A policy the apiserver refuses is reported with @k8s-gen/audit's own codes, under the sink.
    const badPolicy = { ...docsExamplePolicy().build(), rules: [{ level: 'Loud' }] } as never;
    const policyProblems = fluentbit.auditLogTail({ ...tailOptions, sinks: [sink('a', badPolicy)] }).problems;
    expect(policyProblems[0]).toMatchObject({ severity: 'error', path: 'sinks[0].policy.rules[0].level' });
  });
});

describe('auditWebhookHttp', () => {
  const webhookOptions = { bodySize: { truncateMaxBatchSize: 10_485_760, eventSize: { truncateMaxEventSize: 102_400, maxLevel: 'RequestResponse' as const } }, sinks: [sink()] };

  it('listens on 9880, sizes the body buffer to the largest POST, and splits EventLists before the sinks', () => {
    const preset = ok(fluentbit.auditWebhookHttp(webhookOptions));
    const http = preset.config.inputs[0]!;
    expect(propertyValue(http, 'port')).toBe('9880');
    expect(propertyValue(http, 'buffer_max_size')).toBe('10485760');
    expect(preset.config.filters[0]).toMatchObject({ name: 'lua', properties: expect.arrayContaining([{ key: 'call', value: 'k8s_gen_split_event_list' }]) });
    expect(preset.scripts[0]!.text).toContain('record["kind"] ~= "EventList"');
  });

  it('posts to /<tag>, the path the http input makes the records\' tag of (in_http http_prot.c)', () => {
    const preset = ok(fluentbit.auditWebhookHttp({ ...webhookOptions, tls: { certificate: '/tls/tls.crt', key: '/tls/tls.key' } }));
    const url = ok(preset.listener!.serverUrl('10.0.0.5'));
    expect(url).toBe('https://10.0.0.5:9880/kube.audit');
    expect(fluentbit.httpInputTag(new URL(url).pathname)).toBe(preset.tag);
    expect(fluentbit.httpInputTag('/kube-audit')).toBe('kube_audit');
    expect(fluentbit.httpInputTag('/')).toBeUndefined();
    expect(refused(preset.listener!.serverUrl('a b'))[0]!.path).toBe('address');
  });

  it('warns when nothing bounds the POSTs', () => {
    const preset = ok(fluentbit.auditWebhookHttp({ ...webhookOptions, bodySize: { eventSize: { maxLevel: 'RequestResponse' } } }));
    expect(preset.warnings.map((w) => w.code)).toEqual(['fluentbit-unbounded-events']);
    expect(ok(fluentbit.auditWebhookHttp({ ...webhookOptions, bodySize: { batchMaxSize: 10, eventSize: { truncateMaxEventSize: 1000, maxLevel: 'Request' } } })).bufferMaxSize).toBe(10 * 1000 + 1024);
  });
});

describe('fluentBitInCluster', () => {
  it('puts the config, parsers and scripts in one ConfigMap, and mounts the log read-only and the state writable', () => {
    const preset = ok(fluentbit.auditLogTail({ ...tailOptions, sinks: [sink('cheap', docsExamplePolicy().build())] }));
    const packaged = ok(fluentbit.fluentBitInCluster(preset, { format: 'classic', configMapName: 'audit-fluent-bit', namespace: 'kube-system' }));
    expect(Object.keys(packaged.configMap.data)).toEqual(['audit-policy-cheap.lua', 'fluent-bit.conf', 'parsers.conf']);
    expect(packaged.configMap.data['fluent-bit.conf']).toMatch(/\n {4}parsers_file +\/fluent-bit\/etc\/parsers\.conf\n/);
    expect(packaged.volumeMounts).toEqual([
      { name: 'fluent-bit-config', mountPath: '/fluent-bit/etc', readOnly: true },
      { name: 'fluent-bit-state', mountPath: '/var/lib/fluent-bit' },
      { name: 'audit-log', mountPath: '/var/log/kubernetes/audit', readOnly: true },
    ]);
    expect(packaged.args).toEqual(['-c', '/fluent-bit/etc/fluent-bit.conf']);
    const asYaml = ok(fluentbit.fluentBitInCluster(preset, { format: 'yaml', configMapName: 'audit-fluent-bit' }));
    expect(Object.keys(asYaml.configMap.data)).toEqual(['audit-policy-cheap.lua', 'fluent-bit.yaml']);
  });

  it('refuses a state folder inside the read-only log folder, and bad names', () => {
    const preset = ok(fluentbit.auditLogTail({ ...tailOptions, stateDir: '/var/log/kubernetes/audit/state' }));
    expect(refused(fluentbit.fluentBitInCluster(preset, { format: 'yaml', configMapName: 'a' })).map((p) => p.path)).toEqual(['stateDir']);
    expect(refused(fluentbit.fluentBitInCluster(ok(fluentbit.auditLogTail(tailOptions)), { format: 'yaml', configMapName: 'A_B' })).map((p) => p.path)).toEqual(['configMapName']);
  });
});

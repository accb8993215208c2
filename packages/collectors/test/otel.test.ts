// The OpenTelemetry Collector language: confmap's expansion rules (each case names the function of
// confmap it follows), the writer, and the filelog preset against the real audit log's timestamps.
// The injection corpus is in hostile/otel.test.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { otel, settingAt, settingTexts } from '../src/index.js';
import { itWithShared, SHARED_FILES, sharedPath } from '../../../test/support/shared-data.js';
import { ok, refused, thrown } from './helpers.js';

const { envRef, exporter, otelConfig, pipeline, receiver } = otel;
const sampleLog = sharedPath(SHARED_FILES.sampleLog);

describe('collector config reader (confmap/expand.go, confmap/resolver.go)', () => {
  it('expands ${...} unless an odd number of $ stand before it (findURI), then turns $$ into $ (escapeDollarSigns)', () => {
    expect(otel.expandedValue('a$$b', 'x')).toBe('a$b');
    expect(otel.expandedValue('$${env:HOME}', 'x')).toBe('${env:HOME}');
    expect(otel.expandedValue('$$$${env:HOME}', 'x')).toBe('$${env:HOME}');
    expect(otel.expandedValue('${env:TOKEN}', 'x')).toEqual({ $node: 'env', name: 'TOKEN' });
    // The default scheme is env.
    expect(otel.expandedValue('${TOKEN}', 'x')).toEqual({ $node: 'env', name: 'TOKEN' });
    expect((otel.expandedValue('$$${env:HOME}', 'x') as { code: string }).code).toBe('otel-env');
    expect((otel.expandedValue('Bearer ${env:TOKEN}', 'x') as { code: string }).code).toBe('otel-env');
    expect((otel.expandedValue('${file:/etc/shadow}', 'x') as { code: string }).code).toBe('otel-env');
  });

  it('does not expand map keys, and refuses what the writer never writes', () => {
    const config = ok(otel.parseOtelCollector('receivers:\n  otlp: {}\nexporters:\n  debug: {}\nservice:\n  pipelines:\n    logs:\n      receivers: [otlp]\n      exporters: [debug]\n'));
    expect(config.pipelines).toEqual([{ id: 'logs', receivers: ['otlp'], processors: [], exporters: ['debug'] }]);
    // A key is never expanded, so ${env:X} would be a literal key: the builders refuse it.
    expect(refused(otel.parseOtelCollector('receivers:\n  otlp:\n    "${env:X}": 1\nexporters:\n  debug: {}\nservice:\n  pipelines:\n    logs:\n      receivers: [otlp]\n      exporters: [debug]\n'))[0]!.code).toBe('otel-setting-key');
    expect(refused(otel.parseOtelCollector('connectors:\n  count: {}\n'))[0]!.message).toContain('connectors');
    expect(refused(otel.parseOtelCollector('receivers:\n  otlp: {}\nservice:\n  pipelines:\n    logs:\n      receivers: [otlp]\n      exporters: [missing]\n'))[0]!.code).toBe('otel-reference');
  });
});

describe('collector writer and builders', () => {
  it('doubles every $ of text, writes ${env:NAME}, and reads back the same tree', () => {
    const config = otelConfig({
      receivers: [receiver('otlp', { protocols: { grpc: { endpoint: '0.0.0.0:4317' } } })],
      exporters: [exporter('otlphttp', { endpoint: 'https://x', headers: { authorization: envRef('AUTH'), note: 'costs $5 ${x}' } })],
      pipelines: [pipeline('logs', ['otlp'], [], ['otlphttp'])],
    });
    const text = ok(otel.writeOtelCollector(config));
    expect(text).toContain('authorization: "${env:AUTH}"');
    expect(text).toContain('note: "costs $$5 $${x}"');
    expect(ok(otel.parseOtelCollector(text)).exporters).toEqual(config.exporters);
  });

  it('refuse keys with :, bad ids and pipelines naming missing components', () => {
    expect(thrown(() => receiver('otlp', { 'a::b': 1 })).code).toBe('otel-setting-key');
    expect(thrown(() => receiver('File Log')).code).toBe('otel-component-id');
    expect(thrown(() => envRef('A:B')).code).toBe('otel-env-name');
    expect(refused(otel.writeOtelCollector(otelConfig({ receivers: [receiver('otlp')], pipelines: [pipeline('logs', ['otlp'], [], ['debug'])] })))[0]!.code).toBe('otel-reference');
  });
});

const options = { logPath: '/var/log/kubernetes/audit/audit.log', eventSize: { truncateMaxEventSize: 102_400, maxLevel: 'RequestResponse' as const }, exporter: { protocol: 'otlp' as const, endpoint: 'collector.observability:4317' } };

describe('otelAuditLogFile', () => {
  it('sets max_log_size from truncation (the 1 MiB default cuts larger events), excludes the rotated files and keeps offsets in file_storage', () => {
    const preset = ok(otel.otelAuditLogFile(options));
    const filelog = preset.config.receivers[0]!.settings;
    expect(settingAt(filelog, 'max_log_size')).toBe(102_402);
    expect(settingTexts(settingAt(filelog, 'exclude'))).toEqual(['/var/log/kubernetes/audit/audit-*.log', '/var/log/kubernetes/audit/audit-*.log.gz']);
    expect(settingAt(filelog, 'storage')).toBe('file_storage/k8s_audit');
    expect(preset.config.serviceExtensions).toEqual(['file_storage/k8s_audit']);
    expect(ok(otel.otelAuditLogFile({ ...options, eventSize: { maxLevel: 'RequestResponse' } })).warnings.map((w) => w.code)).toEqual(['otel-unbounded-events']);
  });

  itWithShared('parses stageTimestamp with a Go layout that reads every timestamp of the real log as UTC', [SHARED_FILES.sampleLog], () => {
    // The layout 2006-01-02T15:04:05.999999999Z07:00 is RFC 3339 with optional fractions; Z07:00 reads Z as UTC.
    expect(otel.AUDIT_TIME_LAYOUT).toBe('2006-01-02T15:04:05.999999999Z07:00');
    const rfc3339Utc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
    const stamps = readFileSync(sampleLog, 'utf8').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { stageTimestamp: string }).stageTimestamp);
    expect(stamps.every((s) => rfc3339Utc.test(s))).toBe(true);
    const parser = settingAt(ok(otel.otelAuditLogFile(options)).config.receivers[0]!.settings, 'operators');
    expect(JSON.stringify(parser)).toContain('"body.stageTimestamp"');
  });

  it('writes an OTLP/HTTP exporter with secrets as environment references, and refuses options by name', () => {
    const preset = ok(otel.otelAuditLogFile({ ...options, exporter: { protocol: 'otlphttp', endpoint: 'https://otlp.example:4318', headers: { authorization: envRef('OTLP_AUTH') } } }));
    const text = ok(otel.writeOtelCollector(preset.config));
    expect(text).toContain('otlphttp/k8s_audit:');
    expect(text).toContain('authorization: "${env:OTLP_AUTH}"');
    const paths = (o: Partial<otel.OtelAuditLogFileOptions>) => refused(otel.otelAuditLogFile({ ...options, ...o })).map((p) => p.path);
    expect(paths({ exporter: { protocol: 'otlp', endpoint: 'https://x' } })).toEqual(['exporter.endpoint']);
    expect(paths({ logPath: '/var/log/*.log' })).toEqual(['logPath']);
    expect(paths({ startAt: 'middle' as never })).toEqual(['startAt']);
  });
});

describe('otelInCluster', () => {
  it('puts the config in one ConfigMap, mounts the log read-only and the offsets writable, and runs otelcol-contrib --config', () => {
    const preset = ok(otel.otelAuditLogFile(options));
    const packaged = ok(otel.otelInCluster(preset, { configMapName: 'audit-otelcol', namespace: 'observability' }));
    expect(Object.keys(packaged.configMap.data)).toEqual(['config.yaml']);
    expect(packaged.configMap.data['config.yaml']).toBe(ok(otel.writeOtelCollector(preset.config)));
    expect(otel.parseOtelCollector(packaged.configMap.data['config.yaml']!).problems).toEqual([]);
    expect(packaged.volumeMounts).toEqual([
      { name: 'otelcol-config', mountPath: '/etc/otelcol-contrib', readOnly: true },
      { name: 'otelcol-state', mountPath: preset.storageDir },
      { name: 'audit-log', mountPath: '/var/log/kubernetes/audit', readOnly: true },
    ]);
    expect(packaged.volumes[1]).toEqual({ name: 'otelcol-state', hostPath: { path: preset.storageDir, type: 'DirectoryOrCreate' } });
    expect(packaged.args).toEqual(['--config', '/etc/otelcol-contrib/config.yaml']);
  });

  it('refuses offsets kept inside the read-only log folder, and bad names', () => {
    expect(refused(otel.otelInCluster(ok(otel.otelAuditLogFile({ ...options, storageDir: '/var/log/kubernetes/audit/offsets' })), { configMapName: 'a' })).map((p) => p.path)).toEqual(['storageDir']);
    expect(refused(otel.otelInCluster(ok(otel.otelAuditLogFile(options)), { configMapName: '-a' })).map((p) => p.path)).toEqual(['configMapName']);
  });
});

// The Fluent Bit, Vector and OpenTelemetry constructs: their config follows the target (the log
// path, the line or body buffer from the truncate flags and the policy's most detailed level, the
// webhook listener), what disagrees with the apiserver's flags is an error at synth, and each sink
// can have its own policy.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docsExamplePolicy, minimalMetadataPolicy, policy } from '@k8s-gen/audit';
import { fluentbit, otel, settingAt, settingTexts, vector } from '@k8s-gen/collectors';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { App, AuditChart, AuditPolicy, FluentBitCollector, LogBackend, OtelCollector, VectorCollector, WebhookBackend } from '../src/index.js';

const outdir = () => join(mkdtempSync(join(tmpdir(), 'k8s-gen-shippers-')), 'dist');
const errors = (app: App) => app.validate().filter((p) => p.severity === 'error');
const stdout = [{ name: 'stdout', output: fluentbit.output('stdout', { format: 'json_lines' }) }];
const LOG = '/var/log/kubernetes/audit/audit.log';

function target(app: App, name = 'cluster', level: 'Metadata' | 'RequestResponse' = 'RequestResponse'): AuditChart {
  const chart = new AuditChart(app, name, { kubernetesVersion: '1.30' });
  new AuditPolicy(chart, 'Policy', { policy: level === 'Metadata' ? minimalMetadataPolicy() : docsExamplePolicy() });
  return chart;
}

function file(app: App, path: string): string {
  const found = app.synth().files.find((f) => f.path === path);
  expect(found, path).toBeDefined();
  return found!.contents;
}

function tailInput(text: string): fluentbit.FluentBitPlugin {
  const parsed = fluentbit.parseFluentBitYaml(text);
  expect(parsed.problems).toEqual([]);
  return parsed.value!.inputs[0]!;
}

describe('FluentBitCollector reading the log backend', () => {
  it('tails the target\'s --audit-log-path with a line buffer of the truncated event size (+ line feed and NUL)', () => {
    const app = new App({ outdir: outdir() });
    const chart = target(app);
    new LogBackend(chart, 'Log', { path: LOG, truncate: { enabled: true, maxEventSize: 50_000 } });
    new FluentBitCollector(chart, 'FluentBit', { sinks: stdout });
    expect(errors(app)).toEqual([]);
    const tail = tailInput(file(app, 'cluster/fluent-bit/fluent-bit.yaml'));
    expect(fluentbit.valueText(fluentbit.propertyValue(tail, 'path')!)).toBe(LOG);
    expect(fluentbit.propertyValue(tail, 'buffer_max_size')).toBe('50002');
    expect(fluentbit.valueText(fluentbit.propertyValue(tail, 'exclude_path')!)).toBe('/var/log/kubernetes/audit/audit-*.log,/var/log/kubernetes/audit/audit-*.log.gz');
  });

  it('sizes the buffer from the policy when truncation is off: the Metadata bound, or a warning when bodies are logged', () => {
    const metadata = new App({ outdir: outdir() });
    const m = target(metadata, 'cluster', 'Metadata');
    new LogBackend(m, 'Log', { path: LOG });
    new FluentBitCollector(m, 'FluentBit', { sinks: stdout });
    expect(metadata.validate()).toEqual([]);
    expect(fluentbit.propertyValue(tailInput(file(metadata, 'cluster/fluent-bit/fluent-bit.yaml')), 'buffer_max_size')).toBe(String(8 * 1_048_576 + 2));
    const bodies = new App({ outdir: outdir() });
    const b = target(bodies);
    new LogBackend(b, 'Log', { path: LOG });
    new FluentBitCollector(b, 'FluentBit', { sinks: stdout });
    expect(bodies.validate().map((p) => `${p.severity}:${p.code}:${p.file}`)).toEqual(['warning:fluentbit-unbounded-events:fluent-bit/fluent-bit.yaml']);
  });

  it('is refused when it tails another file, the log is not JSON, or nothing writes it', () => {
    const app = new App({ outdir: outdir() });
    const a = target(app, 'a');
    new LogBackend(a, 'Log', { path: LOG, truncate: { enabled: true } });
    new FluentBitCollector(a, 'FluentBit', { sinks: stdout, logPath: '/var/log/other.log' });
    const b = target(app, 'b');
    new LogBackend(b, 'Log', { path: LOG, format: 'legacy', truncate: { enabled: true } });
    new FluentBitCollector(b, 'FluentBit', { sinks: stdout, format: 'classic' });
    const c = target(app, 'c');
    new FluentBitCollector(c, 'FluentBit', { sinks: stdout });
    expect(errors(app).map((p) => `${p.constructPath}:${p.code}:${p.file}`)).toEqual([
      'a/FluentBit:fluentbit-log-path:fluent-bit/fluent-bit.yaml',
      'b/FluentBit:fluentbit-log-format:fluent-bit/fluent-bit.conf',
      'c/FluentBit:fluentbit-no-log-backend:fluent-bit/fluent-bit.yaml',
    ]);
  });

  it('reads a managed control plane\'s export (externalLog) without a log backend, sized from what it is told', () => {
    const app = new App({ outdir: outdir() });
    const chart = new AuditChart(app, 'eks', { kubernetesVersion: '1.31' });
    new FluentBitCollector(chart, 'FluentBit', { logPath: '/var/log/eks-audit/audit.log', externalLog: { eventSize: { maxLevel: 'Metadata' } }, sinks: stdout });
    expect(app.validate()).toEqual([]);
    expect(fluentbit.propertyValue(tailInput(file(app, 'eks/fluent-bit/fluent-bit.yaml')), 'buffer_max_size')).toBe(String(8 * 1_048_576 + 2));
  });

  it('gives a sink its own policy as a Lua filter on its own copy of the events', () => {
    const app = new App({ outdir: outdir() });
    const chart = target(app);
    new LogBackend(chart, 'Log', { path: LOG, truncate: { enabled: true } });
    new FluentBitCollector(chart, 'FluentBit', {
      sinks: [
        { name: 'archive', output: fluentbit.output('file', { path: '/var/log/archive' }) },
        { name: 'siem', output: fluentbit.output('stdout'), policy: policy().rule({ level: 'None', users: ['system:kube-proxy'] }).rule({ level: 'Metadata' }) },
      ],
    });
    expect(errors(app)).toEqual([]);
    const config = fluentbit.parseFluentBitYaml(file(app, 'cluster/fluent-bit/fluent-bit.yaml')).value!;
    const lua = config.filters.find((f) => f.name === 'lua')!;
    expect(fluentbit.valueText(fluentbit.propertyValue(lua, 'script')!)).toBe('/fluent-bit/etc/audit-policy-siem.lua');
    expect(config.outputs.map((o) => `${o.name}:${fluentbit.valueText(fluentbit.propertyValue(o, 'match')!)}`)).toEqual(['file:kube.audit', 'stdout:kube.audit.siem']);
    expect(file(app, 'cluster/fluent-bit/audit-policy-siem.lua')).toContain('"system:kube-proxy"');
  });

  it('in the cluster: one ConfigMap with the config, parsers and scripts, and the DaemonSet volumes', () => {
    const app = new App({ outdir: outdir() });
    const chart = target(app);
    new LogBackend(chart, 'Log', { path: LOG, truncate: { enabled: true } });
    new FluentBitCollector(chart, 'FluentBit', { sinks: stdout, format: 'classic', inCluster: { configMapName: 'audit-fluent-bit', namespace: 'logging' } });
    expect(errors(app)).toEqual([]);
    const objects = parseAllDocuments(file(app, 'cluster/kubernetes/objects.yaml')).map((d) => d.toJS());
    const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'audit-fluent-bit');
    expect(configMap.metadata.namespace).toBe('logging');
    expect(Object.keys(configMap.data)).toEqual(['fluent-bit.conf', 'parsers.conf']);
    expect(configMap.data['fluent-bit.conf']).toBe(file(app, 'cluster/fluent-bit/fluent-bit.conf'));
    const volumes = parse(file(app, 'cluster/fluent-bit/daemonset-volumes.yaml'));
    expect(volumes.args).toEqual(['-c', '/fluent-bit/etc/fluent-bit.conf']);
    expect(volumes.volumeMounts).toContainEqual({ name: 'audit-log', mountPath: '/var/log/kubernetes/audit', readOnly: true });
  });

  it('refuses a hostile option under the collector, with its file, and writes nothing for it', () => {
    const app = new App({ outdir: outdir() });
    const chart = target(app);
    new LogBackend(chart, 'Log', { path: LOG, truncate: { enabled: true } });
    new FluentBitCollector(chart, 'FluentBit', { sinks: stdout, tag: 'audit\n[OUTPUT]' });
    expect(errors(app).map((p) => `${p.constructPath}:${p.code}:${p.path}:${p.file}`)).toEqual(['cluster/FluentBit:invalid-option:tag:fluent-bit/fluent-bit.yaml']);
  });
});

describe('FluentBitCollector receiving the webhook', () => {
  it('builds the webhook URL from its listener, and sizes the body buffer from the webhook truncate flags', () => {
    const app = new App({ outdir: outdir() });
    const chart = target(app);
    const collector = new FluentBitCollector(chart, 'FluentBit', { input: 'http', port: 9881, sinks: stdout });
    new WebhookBackend(chart, 'Webhook', { server: collector.serverUrl('10.0.0.5'), truncate: { enabled: true, maxBatchSize: 4_000_000 } });
    expect(collector.serverUrl('10.0.0.5')).toBe('http://10.0.0.5:9881/kube.audit');
    expect(errors(app)).toEqual([]);
    const http = tailInput(file(app, 'cluster/fluent-bit/fluent-bit.yaml'));
    expect(http.name).toBe('http');
    expect(fluentbit.propertyValue(http, 'buffer_max_size')).toBe('4000000');
    expect(file(app, 'cluster/fluent-bit/audit-eventlist.lua')).toContain('EventList');
  });

  it('is refused when the webhook posts to another port or path (the path is the tag), or nothing posts', () => {
    const app = new App({ outdir: outdir() });
    const a = target(app, 'a');
    new FluentBitCollector(a, 'FluentBit', { input: 'http', sinks: stdout });
    new WebhookBackend(a, 'Webhook', { server: 'http://10.0.0.5:9000/audit' });
    const b = target(app, 'b');
    new FluentBitCollector(b, 'FluentBit', { input: 'http', sinks: stdout });
    expect(errors(app).map((p) => `${p.constructPath}:${p.code}`)).toEqual(['a/FluentBit:fluentbit-port', 'a/FluentBit:fluentbit-path', 'b/FluentBit:fluentbit-no-webhook']);
  });
});

describe('VectorCollector', () => {
  it('reads the log with max_line_bytes of the truncated event size, and gives a sink its policy as VRL', () => {
    const app = new App({ outdir: outdir() });
    const chart = target(app);
    new LogBackend(chart, 'Log', { path: LOG, truncate: { enabled: true } });
    new VectorCollector(chart, 'Vector', {
      sinks: [
        { name: 'console', type: 'console', options: { encoding: { codec: 'json' } } },
        { name: 'siem', type: 'console', options: { encoding: { codec: 'json' } }, policy: minimalMetadataPolicy() },
      ],
    });
    expect(errors(app)).toEqual([]);
    const parsed = vector.parseVector(file(app, 'cluster/vector/vector.yaml'));
    expect(parsed.problems).toEqual([]);
    const source = parsed.value!.sources[0]!;
    expect(settingTexts(settingAt(source.options, 'include'))).toEqual([LOG]);
    expect(settingAt(source.options, 'max_line_bytes')).toBe(102_402);
    expect(parsed.value!.transforms.map((t) => t.id)).toContain('k8s_audit_policy_siem');
  });

  it('is refused when the webhook posts elsewhere than the http_server source listens, or the log path differs', () => {
    const app = new App({ outdir: outdir() });
    const a = target(app, 'a');
    const collector = new VectorCollector(a, 'Vector', { input: 'http', sinks: [{ name: 'console', type: 'console', options: { encoding: { codec: 'json' } } }] });
    new WebhookBackend(a, 'Webhook', { server: collector.serverUrl('vector.logging.svc').replace(':9000', ':9001') });
    const b = target(app, 'b');
    new LogBackend(b, 'Log', { path: LOG, truncate: { enabled: true } });
    new VectorCollector(b, 'Vector', { logPath: '/var/log/audit.log', sinks: [{ name: 'console', type: 'console', options: {} }] });
    expect(errors(app).map((p) => `${p.constructPath}:${p.code}:${p.file}`)).toEqual(['a/Vector:vector-port:audit-webhook-kubeconfig.yaml', 'b/Vector:vector-log-path:vector/vector.yaml']);
  });
});

describe('VectorCollector and OtelCollector in the cluster', () => {
  it('emit one ConfigMap each holding the config they write, and the DaemonSet volumes, mounts and args', () => {
    const app = new App({ outdir: outdir() });
    const chart = target(app);
    new LogBackend(chart, 'Log', { path: LOG, truncate: { enabled: true } });
    new VectorCollector(chart, 'Vector', { sinks: [{ name: 'console', type: 'console', options: { encoding: { codec: 'json' } } }], inCluster: { configMapName: 'audit-vector', namespace: 'logging' } });
    new OtelCollector(chart, 'Otel', { exporter: { protocol: 'otlp', endpoint: 'otel-gateway:4317' }, inCluster: { configMapName: 'audit-otelcol', namespace: 'logging' } });
    expect(errors(app)).toEqual([]);
    const objects = parseAllDocuments(file(app, 'cluster/kubernetes/objects.yaml')).map((d) => d.toJS());
    const vectorMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'audit-vector');
    expect(vectorMap.metadata.namespace).toBe('logging');
    expect(vectorMap.data).toEqual({ 'vector.yaml': file(app, 'cluster/vector/vector.yaml') });
    const otelMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'audit-otelcol');
    expect(otelMap.data).toEqual({ 'config.yaml': file(app, 'cluster/otel/collector.yaml') });
    const vectorPod = parse(file(app, 'cluster/vector/daemonset-volumes.yaml'));
    expect(vectorPod.args).toEqual(['--config', '/etc/vector/vector.yaml']);
    expect(vectorPod.volumeMounts).toContainEqual({ name: 'audit-log', mountPath: '/var/log/kubernetes/audit', readOnly: true });
    const otelPod = parse(file(app, 'cluster/otel/daemonset-volumes.yaml'));
    expect(otelPod.args).toEqual(['--config', '/etc/otelcol-contrib/config.yaml']);
    expect(otelPod.volumeMounts).toContainEqual({ name: 'otelcol-config', mountPath: '/etc/otelcol-contrib', readOnly: true });
  });

  it('refuse a bad ConfigMap name under inCluster, with their file, and write nothing for it', () => {
    const app = new App({ outdir: outdir() });
    const chart = target(app);
    new LogBackend(chart, 'Log', { path: LOG, truncate: { enabled: true } });
    new VectorCollector(chart, 'Vector', { sinks: [{ name: 'console', type: 'console', options: {} }], inCluster: { configMapName: 'Audit Vector' } });
    new OtelCollector(chart, 'Otel', { exporter: { protocol: 'otlp', endpoint: 'otel-gateway:4317' }, inCluster: { configMapName: 'audit-otelcol', hostLogDir: '/var/log/elsewhere' } });
    expect(errors(app).map((p) => `${p.constructPath}:${p.path}:${p.file}`)).toEqual(['cluster/Vector:inCluster.configMapName:vector/vector.yaml', 'cluster/Otel:inCluster.hostLogDir:otel/collector.yaml']);
  });

  it('name the prop the user set: inCluster options under inCluster, the state folder as the collector prop it is', () => {
    const app = new App({ outdir: outdir() });
    const chart = target(app);
    new LogBackend(chart, 'Log', { path: LOG, truncate: { enabled: true } });
    new VectorCollector(chart, 'Vector', { dataDir: '/var/log/kubernetes/audit/vector', sinks: [{ name: 'console', type: 'console', options: {} }], inCluster: { configMapName: 'audit-vector' } });
    new FluentBitCollector(chart, 'FluentBit', { sinks: stdout, inCluster: { configMapName: 'Audit_Fluent_Bit' } });
    expect(errors(app).map((p) => `${p.constructPath}:${p.path}`)).toEqual(['cluster/Vector:dataDir', 'cluster/FluentBit:inCluster.configMapName']);
  });
});

describe('OtelCollector', () => {
  it('reads the log with max_log_size of the truncated event size', () => {
    const app = new App({ outdir: outdir() });
    const chart = target(app);
    new LogBackend(chart, 'Log', { path: LOG, truncate: { enabled: true, maxEventSize: 200_000 } });
    new OtelCollector(chart, 'Otel', { exporter: { protocol: 'otlp', endpoint: 'otel-gateway:4317' } });
    expect(errors(app)).toEqual([]);
    const parsed = otel.parseOtelCollector(file(app, 'cluster/otel/collector.yaml'));
    expect(parsed.problems).toEqual([]);
    const receiver = parsed.value!.receivers[0]!;
    expect(settingTexts(settingAt(receiver.settings, 'include'))).toEqual([LOG]);
    expect(settingAt(receiver.settings, 'max_log_size')).toBe(200_002);
  });

  it('is refused when it reads another file than the apiserver writes', () => {
    const app = new App({ outdir: outdir() });
    const chart = target(app);
    new LogBackend(chart, 'Log', { path: LOG, truncate: { enabled: true } });
    new OtelCollector(chart, 'Otel', { logPath: '/var/log/audit.log', exporter: { protocol: 'otlp', endpoint: 'otel-gateway:4317' } });
    expect(errors(app).map((p) => `${p.constructPath}:${p.code}:${p.path}`)).toEqual(['cluster/Otel:otel-log-path:receivers.filelog/k8s_audit.include[0]']);
  });
});

describe('shipper output', () => {
  it('is byte-identical across synths', () => {
    const build = () => {
      const app = new App({ outdir: outdir() });
      const chart = target(app);
      new LogBackend(chart, 'Log', { path: LOG, truncate: { enabled: true } });
      new FluentBitCollector(chart, 'FluentBit', { sinks: [...stdout, { name: 'siem', output: fluentbit.output('stdout'), policy: minimalMetadataPolicy() }] });
      new VectorCollector(chart, 'Vector', { sinks: [{ name: 'console', type: 'console', options: {} }] });
      new OtelCollector(chart, 'Otel', { exporter: { protocol: 'otlp', endpoint: 'otel-gateway:4317' } });
      return app.synth().files.map((f) => [f.path, f.contents]);
    };
    expect(build()).toEqual(build());
  });
});

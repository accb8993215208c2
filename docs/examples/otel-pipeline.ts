// The OpenTelemetry Collector: the filelog receiver parsing each line as JSON, exported over OTLP.
import { docsExamplePolicy } from '@k8s-gen/audit';
import { App, AuditChart, AuditPolicy, LogBackend, OtelCollector } from '@k8s-gen/constructs';

const app = new App({ outdir: 'dist/otel' });
const cluster = new AuditChart(app, 'cluster', { kubernetesVersion: '1.31' });
new AuditPolicy(cluster, 'Policy', { policy: docsExamplePolicy() });
new LogBackend(cluster, 'Log', { path: '/var/log/kubernetes/audit/audit.log', truncate: { enabled: true } });
new OtelCollector(cluster, 'Otel', { exporter: { protocol: 'otlp', endpoint: 'otel-gateway.observability.svc:4317', caFile: '/etc/otel/ca.crt' } });

const result = app.synth();
for (const file of result.files) {
  if (file.path.endsWith('collector.yaml')) console.log(`--- ${file.path}\n${file.contents}`);
}

// Fluent Bit shipping the log backend's events from inside the cluster: kube-apiserver writes JSON
// events to /var/log/kubernetes/audit/audit.log (truncated at 100 KiB, rotated and compressed), a
// Fluent Bit DaemonSet on the control-plane nodes tails it (rotated .log and .gz files excluded,
// offsets and chunks kept on the host) and sends every event to Elasticsearch, and a smaller,
// Metadata-only stream to a SIEM through its own policy, compiled to a Lua filter.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docsExamplePolicy, minimalMetadataPolicy } from '@k8s-gen/audit';
import { fluentbit } from '@k8s-gen/collectors';
import { App, AuditChart, AuditPolicy, FluentBitCollector, LogBackend } from '@k8s-gen/constructs';

const app = new App({ outdir: join(dirname(fileURLToPath(import.meta.url)), 'dist') });

const cluster = new AuditChart(app, 'cluster', { kubernetesVersion: '1.31' });
new AuditPolicy(cluster, 'Policy', { policy: docsExamplePolicy() });
new LogBackend(cluster, 'Log', {
  path: '/var/log/kubernetes/audit/audit.log',
  maxAge: 7,
  maxBackup: 10,
  maxSize: 100,
  compress: true,
  truncate: { enabled: true, maxEventSize: 102400 },
});
new FluentBitCollector(cluster, 'FluentBit', {
  sinks: [
    { name: 'archive', output: fluentbit.output('es', { host: 'elasticsearch.logging.svc', port: 9200, index: 'kube-audit', suppress_type_name: true }) },
    { name: 'siem', output: fluentbit.output('http', { host: 'siem.example.com', port: 443, uri: '/ingest', format: 'json_lines', tls: true }), policy: minimalMetadataPolicy() },
  ],
  inCluster: { configMapName: 'audit-fluent-bit', namespace: 'logging' },
});

app.synth();

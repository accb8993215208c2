// A kubeadm cluster (1.31, kubeadm config v1beta4) with both static backends: a rotated JSON log
// that an in-cluster fluentd DaemonSet reads, and an https webhook authenticated with a client
// certificate kept in kubeadm's pki folder. A metrics aggregated apiserver gets its own policy.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gceProductionPolicy, minimalMetadataPolicy } from '@k8s-gen/audit';
import { App, AuditChart, AuditPolicy, FluentdCollector, LogBackend, WebhookBackend } from '@k8s-gen/constructs';

const app = new App({ outdir: join(dirname(fileURLToPath(import.meta.url)), 'dist') });

const cluster = new AuditChart(app, 'kube-apiserver', { kubernetesVersion: '1.31' });
new AuditPolicy(cluster, 'Policy', { policy: gceProductionPolicy() });
new LogBackend(cluster, 'Log', {
  path: '/var/log/kubernetes/audit/audit.log',
  format: 'json',
  maxAge: 7,
  maxBackup: 10,
  maxSize: 100,
  compress: true,
  // Batching keeps the log writes off the request path; a positive max wait is required
  // whenever a batch holds more than one event.
  mode: 'batch',
  batch: { maxSize: 100, maxWait: '5s', bufferSize: 10000 },
  truncate: { enabled: true, maxEventSize: 102400, maxBatchSize: 10485760 },
});
new WebhookBackend(cluster, 'Webhook', {
  server: 'https://audit-sink.example.com:8443/k8s-audit',
  credentials: {
    caFile: '/etc/kubernetes/pki/audit-webhook-ca.crt',
    clientCertificateFile: '/etc/kubernetes/pki/audit-webhook-client.crt',
    clientKeyFile: '/etc/kubernetes/pki/audit-webhook-client.key',
  },
  initialBackoff: '5s',
  batch: { maxSize: 200, maxWait: '10s', throttleQps: 20, throttleBurst: 30 },
});
new FluentdCollector(cluster, 'Fluentd', { inCluster: { configMapName: 'fluentd-audit', namespace: 'kube-system' } });

// An aggregated apiserver takes the same audit flags with a policy of its own.
const metrics = new AuditChart(app, 'metrics-apiserver', { kubernetesVersion: '1.31', apiserver: 'aggregated' });
new AuditPolicy(metrics, 'Policy', { policy: minimalMetadataPolicy(), nodePath: '/etc/metrics-apiserver/audit-policy.yaml' });
new LogBackend(metrics, 'Log', { path: '-' });

app.synth();

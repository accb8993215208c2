// Vector: receiving the webhook backend's EventLists, one event per record, to a console sink.
import { minimalMetadataPolicy } from '@k8s-gen/audit';
import { App, AuditChart, AuditPolicy, VectorCollector, WebhookBackend } from '@k8s-gen/constructs';

const app = new App({ outdir: 'dist/vector' });
const cluster = new AuditChart(app, 'cluster', { kubernetesVersion: '1.31' });
new AuditPolicy(cluster, 'Policy', { policy: minimalMetadataPolicy() });
const vector = new VectorCollector(cluster, 'Vector', {
  input: 'http',
  port: 9000,
  sinks: [{ name: 'console', type: 'console', options: { encoding: { codec: 'json' } } }],
});
// The kubeconfig's server comes from Vector's own listener, so port and scheme cannot drift.
new WebhookBackend(cluster, 'Webhook', { server: vector.serverUrl('vector.logging.svc') });

const result = app.synth();
for (const file of result.files) {
  if (file.path.endsWith('vector.yaml') || file.path.endsWith('audit-webhook-kubeconfig.yaml')) console.log(`--- ${file.path}\n${file.contents}`);
}

// The logstash scenario of the Kubernetes auditing docs: kube-apiserver posts batches of events
// to logstash's http input (port 8888), logstash writes one file per user. The webhook
// kubeconfig's server URL is built from the collector's own port, so the two cannot drift.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docsExamplePolicy } from '@k8s-gen/audit';
import { App, LogstashAuditPipeline } from '@k8s-gen/constructs';

const app = new App({ outdir: join(dirname(fileURLToPath(import.meta.url)), 'dist') });

new LogstashAuditPipeline(app, 'audit', {
  kubernetesVersion: '1.20',
  policy: docsExamplePolicy(),
  // The address kube-apiserver reaches logstash at.
  logstashAddress: '10.0.0.5',
  logstash: { port: 8888 },
});

app.synth();

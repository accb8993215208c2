// Fluentd and Logstash pipelines: the webhook backend and Logstash, agreeing on host and port.
import { docsExamplePolicy } from '@k8s-gen/audit';
import { App, LogstashAuditPipeline } from '@k8s-gen/constructs';

const app = new App({ outdir: 'dist/logstash' });

new LogstashAuditPipeline(app, 'audit', {
  kubernetesVersion: '1.30',
  policy: docsExamplePolicy(),
  // Where kube-apiserver reaches Logstash; the kubeconfig's server URL is derived from it.
  logstashAddress: '10.0.0.5',
  logstash: { port: 8888 },
  webhook: { batch: { maxSize: 400, maxWait: '30s' } },
});

const result = app.synth();
for (const file of result.files) {
  if (file.path.endsWith('.conf') || file.path.includes('kubeconfig')) {
    console.log(`--- ${file.path}${file.secret ? ' (mode 0600)' : ''}\n${file.contents}`);
  }
}

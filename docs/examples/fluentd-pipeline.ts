// Fluentd and Logstash pipelines: the log backend and Fluentd, agreeing on one path and format.
import { docsExamplePolicy } from '@k8s-gen/audit';
import { App, FluentdAuditPipeline } from '@k8s-gen/constructs';

const app = new App({ outdir: 'dist/fluentd' });

new FluentdAuditPipeline(app, 'audit', {
  kubernetesVersion: '1.30',
  policy: docsExamplePolicy(),
  // Shared by --audit-log-path and Fluentd's tail source; the format is always json.
  logPath: '/var/log/kube-audit',
  log: { maxAge: 7, maxBackup: 10, maxSize: 100 },
  // The event time comes from stageTimestamp, which v1 events really have.
  fluentd: { timeField: 'stageTimestamp' },
});

const result = app.synth();
for (const file of result.files) {
  if (file.path.endsWith('.conf') || file.path.endsWith('apiserver-flags.txt')) {
    console.log(`--- ${file.path}\n${file.contents}`);
  }
}

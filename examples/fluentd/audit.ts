// The fluentd scenario of the Kubernetes auditing docs: kube-apiserver writes JSON events to
// /var/log/kube-audit, fluentd on the same host tails that file and splits it into one file per
// namespace. The log path and format are given once and shared by the flags and fluentd.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docsExamplePolicy } from '@k8s-gen/audit';
import { App, FluentdAuditPipeline } from '@k8s-gen/constructs';

const app = new App({ outdir: join(dirname(fileURLToPath(import.meta.url)), 'dist') });

new FluentdAuditPipeline(app, 'audit', {
  kubernetesVersion: '1.20',
  policy: docsExamplePolicy(),
  logPath: '/var/log/kube-audit',
  // `format json` directly in <source>, the form the docs' example uses.
  fluentd: { parseStyle: 'legacy', posFile: '/var/log/audit.pos', outputPathPattern: '/var/log/audit-${tag}.*.log' },
});

app.synth();

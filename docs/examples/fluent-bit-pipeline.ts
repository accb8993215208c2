// Fluent Bit: tailing the log backend's file, every event to one sink and a Metadata-only stream,
// through its own policy, to another.
import { docsExamplePolicy, minimalMetadataPolicy } from '@k8s-gen/audit';
import { fluentbit } from '@k8s-gen/collectors';
import { App, AuditChart, AuditPolicy, FluentBitCollector, LogBackend } from '@k8s-gen/constructs';

const app = new App({ outdir: 'dist/fluent-bit' });
const cluster = new AuditChart(app, 'cluster', { kubernetesVersion: '1.31' });
new AuditPolicy(cluster, 'Policy', { policy: docsExamplePolicy() });
// Truncation bounds every event at 100 KiB: Fluent Bit's line buffer is sized from it.
new LogBackend(cluster, 'Log', { path: '/var/log/kubernetes/audit/audit.log', compress: true, truncate: { enabled: true, maxEventSize: 102400 } });
new FluentBitCollector(cluster, 'FluentBit', {
  sinks: [
    { name: 'archive', output: fluentbit.output('es', { host: 'elasticsearch.logging.svc', port: 9200, index: 'kube-audit' }) },
    { name: 'siem', output: fluentbit.output('stdout', { format: 'json_lines' }), policy: minimalMetadataPolicy() },
  ],
});

const result = app.synth();
for (const file of result.files) {
  if (file.path.endsWith('fluent-bit.yaml') || file.path.endsWith('apiserver-flags.txt')) console.log(`--- ${file.path}\n${file.contents}`);
}

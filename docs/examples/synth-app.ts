// Getting started: one description of the audit set-up, every file written from it.
import { policy } from '@k8s-gen/audit';
import { App, AuditChart, AuditPolicy, LogBackend } from '@k8s-gen/constructs';

const app = new App({ outdir: 'dist/audit' });

// One kube-apiserver target; the version decides which flags and fields exist.
const cluster = new AuditChart(app, 'cluster', { kubernetesVersion: '1.30' });

new AuditPolicy(cluster, 'Policy', {
  policy: policy()
    .omitStages('RequestReceived')
    .rule().level('None').nonResourceURLs('/healthz*', '/readyz*', '/livez*')
    .rule().level('Metadata').resources({ group: '', resources: ['secrets', 'configmaps'] })
    .rule().level('Metadata')
    .end(),
});

new LogBackend(cluster, 'Log', {
  path: '/var/log/kubernetes/audit/audit.log',
  maxAge: 7,
  maxBackup: 10,
  maxSize: 100,
});

// Checks everything, then writes dist/audit/cluster/ atomically (nothing on error).
const result = app.synth();
for (const file of result.files) console.log(file.path);

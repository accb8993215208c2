// Aggregated API servers: the same audit options for a server behind an APIService.
import { policy } from '@k8s-gen/audit';
import { App, AuditChart, AuditPolicy, LogBackend } from '@k8s-gen/constructs';

const app = new App({ outdir: 'dist/aggregated' });

// An aggregated server built on k8s.io/apiserver, running as a Deployment.
const metrics = new AuditChart(app, 'metrics-server', { kubernetesVersion: '1.30', apiserver: 'aggregated' });

new AuditPolicy(metrics, 'Policy', {
  // Its own policy: this server only serves its own group, so record its reads and writes.
  policy: policy()
    .omitStages('RequestReceived')
    .rule().level('None').nonResourceURLs('/healthz*', '/readyz*', '/livez*')
    .rule().level('Request').resources({ group: 'metrics.k8s.io' })
    .rule().level('Metadata')
    .end(),
  nodePath: '/etc/audit/policy.yaml',
});

// Events to the container's standard output, where the cluster's log collection picks them up.
new LogBackend(metrics, 'Log', { path: '-' });

const result = app.synth();
for (const file of result.files) console.log(file.path);
const flags = result.files.find((file) => file.path.endsWith('apiserver-flags.txt'));
console.log(flags?.contents ?? '');

// Dynamic audit on a legacy 1.13 cluster: the AuditSink of the Kubernetes docs, the three
// apiserver switches it needs, and RBAC that leaves writing AuditSinks to cluster admins. A
// minimal static policy and log keep an audit trail of the AuditSink changes themselves.
// (AuditSink was removed in Kubernetes 1.19; synth refuses newer versions.)
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minimalMetadataPolicy } from '@k8s-gen/audit';
import { App, AuditChart, AuditPolicy, DynamicBackend, LogBackend } from '@k8s-gen/constructs';

const app = new App({ outdir: join(dirname(fileURLToPath(import.meta.url)), 'dist') });

const cluster = new AuditChart(app, 'legacy', { kubernetesVersion: '1.13' });
new AuditPolicy(cluster, 'Policy', { policy: minimalMetadataPolicy() });
new LogBackend(cluster, 'Log', { path: '/var/log/kubernetes/audit.log', maxAge: 30 });
new DynamicBackend(cluster, 'Dynamic', {
  sinks: [
    {
      name: 'mysink',
      level: 'Metadata',
      stages: ['ResponseComplete'],
      url: 'https://audit.app',
      throttle: { qps: 10, burst: 15 },
    },
  ],
});

app.synth();

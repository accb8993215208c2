// Compliance: the CIS audit items on the flags of one apiserver, judged per Kubernetes release.
import { auditFlags, flagsToArgs } from '@k8s-gen/apiserver';
import { policy } from '@k8s-gen/audit';
import { checkCompliance } from '@k8s-gen/engine';

const { flags } = auditFlags(
  {
    policyFile: '/etc/kubernetes/audit-policy.yaml',
    log: { path: '/var/log/kubernetes/audit/audit.log', maxAge: 7, maxSize: 0 },
  },
  { text: '1.30', minor: 30 },
);
const auditPolicy = policy()
  .omitStages('RequestReceived')
  .rule().level('Metadata').resources({ group: '', resources: ['secrets', 'configmaps'] })
  .rule().level('Metadata').resources({ group: 'authentication.k8s.io', resources: ['tokenreviews'] })
  .rule().level('Request').verbs('create', 'update', 'patch', 'delete')
  .rule().level('Metadata')
  .build();

// The same flags on two releases: maxsize 0 rotates at 100 MiB up to 1.35, never from 1.36.
for (const kubernetesVersion of ['1.30', '1.36']) {
  const report = checkCompliance({ args: flagsToArgs(flags), policy: auditPolicy, kubernetesVersion, benchmark: 'cis-1.9' });
  console.log(`Kubernetes ${kubernetesVersion}, ${report.title}:`);
  for (const finding of report.findings) console.log(`  ${finding.status.padEnd(6)} ${finding.control.padEnd(7)} ${finding.code}`);
}

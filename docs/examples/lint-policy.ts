// Explain, lint and cost: a policy that loads fine but does not do what it says.
import { policy, validate } from '@k8s-gen/audit';
import { lint } from '@k8s-gen/engine';

const risky = policy()
  .omitStages('RequestReceived', 'ResponseStarted')
  .rule().level('RequestResponse').resources({ group: '', resources: ['secrets'] })
  .rule().level('None').verbs('GET').resources({ group: '', resources: ['Pods'] })
  .rule().level('Metadata')
  .rule().level('Request').resources({ group: 'apps', resources: ['deployments'] })
  .build();

// kube-apiserver would load this policy: validate() finds nothing...
console.log(`validate: ${validate(risky, { kubernetesVersion: '1.30' }).length} problem(s)`);

// ...but lint finds what it gets wrong.
for (const finding of lint(risky, { kubernetesVersion: '1.30' })) {
  console.log(`${finding.severity.padEnd(7)} ${finding.code.padEnd(28)} ${finding.path || '(policy)'}: ${finding.message}`);
}

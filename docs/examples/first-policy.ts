// Getting started: a first audit policy, checked and printed as YAML.
import { policy } from '@k8s-gen/audit';

const auditPolicy = policy()
  .omitStages('RequestReceived')
  .rule()
  .level('Metadata')
  .resources({ group: '', resources: ['secrets'] })
  .comment('Secrets: who touched which one, never the contents.')
  .rule()
  .level('RequestResponse')
  .verbs('create', 'update', 'patch', 'delete')
  .resources({ group: 'apps', resources: ['deployments'] })
  .comment('Deployment changes with both bodies.')
  .rule()
  .level('Metadata')
  .comment('Everything else: metadata only.')
  .end();

// validate() reports what kube-apiserver would refuse at start-up;
// an empty list means the policy loads.
const problems = auditPolicy.validate({ kubernetesVersion: '1.30' });
if (problems.length > 0) {
  throw new Error(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
}

process.stdout.write(auditPolicy.toYaml());

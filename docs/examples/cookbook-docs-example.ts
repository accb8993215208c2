// Cookbook: the example policy of the Kubernetes auditing documentation, rule by rule.
// The same policy is available ready-made as docsExamplePolicy().
import { policy } from '@k8s-gen/audit';

const docsExample = policy()
  .omitStages('RequestReceived')
  // 1. Pods in full. "pods" alone does not cover pods/log or pods/status.
  .rule()
  .level('RequestResponse')
  .resources({ group: '', resources: ['pods'] })
  // 2. Pod logs and status: who and when.
  .rule()
  .level('Metadata')
  .resources({ group: '', resources: ['pods/log', 'pods/status'] })
  // 3. The leader-election ConfigMap, rewritten every few seconds: not audited.
  .rule()
  .level('None')
  .resources({ group: '', resources: ['configmaps'], resourceNames: ['controller-leader'] })
  // 4. kube-proxy's long-lived watches: not audited.
  .rule()
  .level('None')
  .users('system:kube-proxy')
  .verbs('watch')
  .resources({ group: '', resources: ['endpoints', 'services'] })
  // 5. Discovery calls by authenticated clients: not audited. "/api*" is a prefix match.
  .rule()
  .level('None')
  .userGroups('system:authenticated')
  .nonResourceURLs('/api*', '/version')
  // 6. ConfigMap changes in kube-system, with the request body.
  .rule()
  .level('Request')
  .resources({ group: '', resources: ['configmaps'] })
  .namespaces('kube-system')
  // 7. Secrets and ConfigMaps anywhere else: metadata only. Must follow rule 6.
  .rule()
  .level('Metadata')
  .resources({ group: '', resources: ['secrets', 'configmaps'] })
  // 8. The rest of the core and extensions groups, with the request body. No version in a group.
  .rule()
  .level('Request')
  .resources({ group: '' }, { group: 'extensions' })
  // 9. Catch-all.
  .rule()
  .level('Metadata')
  .omitStages('RequestReceived')
  .end();

const problems = docsExample.validate();
if (problems.length > 0) throw new Error(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));

process.stdout.write(docsExample.toYaml());

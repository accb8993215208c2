// Cookbook: a production profile modelled on the policy of the GCE cluster scripts.
// The same policy is available ready-made as gceProductionPolicy().
import { KNOWN_APIS, policy } from '@k8s-gen/audit';

// Every group that ships with Kubernetes, each as a whole group (no resource list).
const builtInGroups = KNOWN_APIS.map((group) => ({ group }));

const production = policy()
  // Noise that is not audited.
  .rule().level('None').users('system:kube-proxy').verbs('watch')
  .resources({ group: '', resources: ['endpoints', 'services', 'services/status'] })
  .rule().level('None').users('system:unsecured').namespaces('kube-system').verbs('get')
  .resources({ group: '', resources: ['configmaps'] })
  .rule().level('None').users('kubelet').verbs('get')
  .resources({ group: '', resources: ['nodes', 'nodes/status'] })
  .rule().level('None').userGroups('system:nodes').verbs('get')
  .resources({ group: '', resources: ['nodes', 'nodes/status'] })
  .rule().level('None')
  .users('system:kube-controller-manager', 'system:cloud-controller-manager', 'system:kube-scheduler', 'system:serviceaccount:kube-system:endpoint-controller')
  .verbs('get', 'update').namespaces('kube-system')
  .resources({ group: '', resources: ['endpoints'] })
  .rule().level('None').users('system:apiserver').verbs('get')
  .resources({ group: '', resources: ['namespaces', 'namespaces/status', 'namespaces/finalize'] })
  .rule().level('None').users('cluster-autoscaler').verbs('get', 'update').namespaces('kube-system')
  .resources({ group: '', resources: ['configmaps', 'endpoints'] })
  .rule().level('None').users('system:kube-controller-manager', 'system:cloud-controller-manager').verbs('get', 'list')
  .resources({ group: 'metrics.k8s.io' })
  .rule().level('None').nonResourceURLs('/healthz*', '/version', '/swagger*')
  .rule().level('None').resources({ group: '', resources: ['events'] })
  // Status updates and bulk deletes: keep the request body.
  .rule().level('Request')
  .users('kubelet', 'system:node-problem-detector', 'system:serviceaccount:kube-system:node-problem-detector')
  .verbs('update', 'patch')
  .resources({ group: '', resources: ['nodes/status', 'pods/status'] })
  .omitStages('RequestReceived')
  .rule().level('Request').userGroups('system:nodes').verbs('update', 'patch')
  .resources({ group: '', resources: ['nodes/status', 'pods/status'] })
  .omitStages('RequestReceived')
  .rule().level('Request').users('system:serviceaccount:kube-system:namespace-controller')
  .verbs('deletecollection')
  .omitStages('RequestReceived')
  // Objects that hold credentials (issued tokens too): metadata only.
  .rule().level('Metadata')
  .resources({ group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] }, { group: 'authentication.k8s.io', resources: ['tokenreviews'] })
  .omitStages('RequestReceived')
  // Built-in groups: reads with the request, writes with both bodies.
  .rule().level('Request').verbs('get', 'list', 'watch').resources(...builtInGroups)
  .omitStages('RequestReceived')
  .rule().level('RequestResponse').resources(...builtInGroups)
  .omitStages('RequestReceived')
  // Everything else, such as leases and custom resources.
  .rule().level('Metadata')
  .omitStages('RequestReceived')
  .end();

const problems = production.validate();
if (problems.length > 0) throw new Error(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));

process.stdout.write(production.toYaml());

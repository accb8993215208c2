/**
 * Ready-made policies as builders, to use as they are or to extend with more calls.
 */
import { NEWEST_KUBERNETES_MINOR } from '@k8s-gen/runtime';
import { policy, type AuditPolicyBuilder } from './policy-builder.js';

/**
 * The API groups the GCE reference policy audits in detail: the groups that ship with
 * Kubernetes, as listed by `KNOWN_APIS` in the 1.20 GCE setup script (`""` is the core group).
 */
export const KNOWN_APIS: readonly string[] = [
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'extensions',
  'metrics.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
];

/**
 * The smallest useful policy: one rule that records every request at Metadata level (who did
 * what, when, to which object, and the response code, but no bodies).
 */
export function minimalMetadataPolicy(): AuditPolicyBuilder {
  return policy().rule().level('Metadata').end();
}

/**
 * The example policy of the Kubernetes auditing documentation: nine rules that keep pod changes
 * in full, quiet down noisy system traffic, and fall back to Metadata for everything else. Request
 * receipt is never logged (`omitStages: [RequestReceived]`).
 */
export function docsExamplePolicy(): AuditPolicyBuilder {
  return policy()
    .omitStages('RequestReceived')
    .rule()
    .level('RequestResponse')
    .resources({ group: '', resources: ['pods'] })
    .comment('Pod changes in full, request and response bodies. "pods" does not cover subresources such as pods/log,\nthe same convention RBAC uses.')
    .rule()
    .level('Metadata')
    .resources({ group: '', resources: ['pods/log', 'pods/status'] })
    .comment('Pod logs and pod status: who and when only.')
    .rule()
    .level('None')
    .resources({ group: '', resources: ['configmaps'], resourceNames: ['controller-leader'] })
    .comment('Skip the "controller-leader" configmap, which leader election rewrites constantly.')
    .rule()
    .level('None')
    .users('system:kube-proxy')
    .verbs('watch')
    .resources({ group: '', resources: ['endpoints', 'services'] })
    .comment('Skip the watches kube-proxy keeps open on endpoints and services.')
    .rule()
    .level('None')
    .userGroups('system:authenticated')
    .nonResourceURLs('/api*', '/version')
    .comment('Skip authenticated discovery calls to /api... and /version.')
    .rule()
    .level('Request')
    .resources({ group: '', resources: ['configmaps'] })
    .namespaces('kube-system')
    .comment('Configmap changes in kube-system, with the request body.')
    .rule()
    .level('Metadata')
    .resources({ group: '', resources: ['secrets', 'configmaps'] })
    .comment('Secrets and configmaps in every other namespace: metadata only, so their data never reaches the log.')
    .rule()
    .level('Request')
    .resources({ group: '' }, { group: 'extensions' })
    .comment('Everything else in the core and extensions groups, with the request body.')
    .rule()
    .level('Metadata')
    .omitStages('RequestReceived')
    .comment('Catch-all: every remaining request at Metadata level.')
    .end();
}

/**
 * The production profile Google's GCE cluster scripts install (`create-master-audit-policy` in
 * `cluster/gce/gci/configure-helper.sh`, current form), 17 rules: high-volume, low-value system
 * traffic is dropped; node and pod status updates keep the request; secrets, configmaps, issued
 * service-account tokens (TokenRequest) and token reviews stay at Metadata so no credential reaches the log;
 * reads of the built-in groups ({@link KNOWN_APIS}) keep the request and writes keep both bodies;
 * everything else (custom resources, leases, ...) gets Metadata. Except for the dropped rules,
 * request receipt is not logged.
 */
export function gceProductionPolicy(): AuditPolicyBuilder {
  const knownGroups = KNOWN_APIS.map((group) => ({ group }));
  return policy()
    .rule()
    .level('None')
    .users('system:kube-proxy')
    .verbs('watch')
    .resources({ group: '', resources: ['endpoints', 'services', 'services/status'] })
    .comment('kube-proxy watching endpoints and services: constant and uninteresting.')
    .rule()
    .level('None')
    .users('system:unsecured')
    .namespaces('kube-system')
    .verbs('get')
    .resources({ group: '', resources: ['configmaps'] })
    .comment('Configmap reads in kube-system over the unsecured port.')
    .rule()
    .level('None')
    .users('kubelet')
    .verbs('get')
    .resources({ group: '', resources: ['nodes', 'nodes/status'] })
    .comment('Kubelets reading their node (legacy kubelet user).')
    .rule()
    .level('None')
    .userGroups('system:nodes')
    .verbs('get')
    .resources({ group: '', resources: ['nodes', 'nodes/status'] })
    .comment('Kubelets reading their node (node group).')
    .rule()
    .level('None')
    .users('system:kube-controller-manager', 'system:cloud-controller-manager', 'system:kube-scheduler', 'system:serviceaccount:kube-system:endpoint-controller')
    .verbs('get', 'update')
    .namespaces('kube-system')
    .resources({ group: '', resources: ['endpoints'] })
    .comment('Leader-election traffic of the control-plane components on kube-system endpoints.')
    .rule()
    .level('None')
    .users('system:apiserver')
    .verbs('get')
    .resources({ group: '', resources: ['namespaces', 'namespaces/status', 'namespaces/finalize'] })
    .comment('The apiserver reading namespaces for its own bookkeeping.')
    .rule()
    .level('None')
    .users('cluster-autoscaler')
    .verbs('get', 'update')
    .namespaces('kube-system')
    .resources({ group: '', resources: ['configmaps', 'endpoints'] })
    .comment('The cluster autoscaler polling and updating its status objects.')
    .rule()
    .level('None')
    .users('system:kube-controller-manager', 'system:cloud-controller-manager')
    .verbs('get', 'list')
    .resources({ group: 'metrics.k8s.io' })
    .comment('Metric reads by the controller managers (horizontal pod autoscaling).')
    .rule()
    .level('None')
    .nonResourceURLs('/healthz*', '/version', '/swagger*')
    .comment('Health checks, version probes and API document downloads.')
    .rule()
    .level('None')
    .resources({ group: '', resources: ['events'] })
    .comment('Event objects: their volume is high and they are a log of their own.')
    .rule()
    .level('Request')
    .users('kubelet', 'system:node-problem-detector', 'system:serviceaccount:kube-system:node-problem-detector')
    .verbs('update', 'patch')
    .resources({ group: '', resources: ['nodes/status', 'pods/status'] })
    .omitStages('RequestReceived')
    .comment('Status updates from kubelets and the node problem detector: keep the request, the response would repeat it.')
    .rule()
    .level('Request')
    .userGroups('system:nodes')
    .verbs('update', 'patch')
    .resources({ group: '', resources: ['nodes/status', 'pods/status'] })
    .omitStages('RequestReceived')
    .comment('The same for kubelets identified by the node group.')
    .rule()
    .level('Request')
    .users('system:serviceaccount:kube-system:namespace-controller')
    .verbs('deletecollection')
    .omitStages('RequestReceived')
    .comment('Bulk deletes by the namespace controller, without the potentially huge responses.')
    .rule()
    .level('Metadata')
    .resources({ group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] }, { group: 'authentication.k8s.io', resources: ['tokenreviews'] })
    .omitStages('RequestReceived')
    .comment('Secrets, configmaps, issued tokens (TokenRequest) and token reviews carry credentials: metadata only.')
    .rule()
    .level('Request')
    .verbs('get', 'list', 'watch')
    .resources(...knownGroups)
    .omitStages('RequestReceived')
    .comment('Reads of built-in groups: keep the request, responses can be very large.')
    .rule()
    .level('RequestResponse')
    .resources(...knownGroups)
    .omitStages('RequestReceived')
    .comment('Writes to built-in groups: keep both bodies.')
    .rule()
    .level('Metadata')
    .omitStages('RequestReceived')
    .comment('Catch-all for everything else, such as custom resources and leases.')
    .end();
}

/** A ready-made policy, as `k8s-gen init --preset` and the docs list them. */
export interface PolicyPreset {
  /** The name `--preset` takes. */
  readonly name: 'example' | 'minimal' | 'gce';
  /** One line saying what the policy does. */
  readonly summary: string;
  /** The exported function that builds it, for generated code that imports it. */
  readonly builder: 'docsExamplePolicy' | 'minimalMetadataPolicy' | 'gceProductionPolicy';
  /** Builds the policy. */
  readonly build: () => AuditPolicyBuilder;
  /** The Kubernetes minor releases the policy is meant for; it validates and lints clean on each. */
  readonly kubernetesMinors: { readonly oldest: number; readonly newest: number };
}

/**
 * Every preset of this package, in the order the CLI lists them.
 *
 * @example
 * ```ts
 * POLICY_PRESETS.find((preset) => preset.name === 'gce')!.build().build();
 * ```
 */
export const POLICY_PRESETS: readonly PolicyPreset[] = [
  { name: 'example', summary: 'the example policy of the Kubernetes auditing docs', builder: 'docsExamplePolicy', build: docsExamplePolicy, kubernetesMinors: { oldest: 12, newest: NEWEST_KUBERNETES_MINOR } },
  { name: 'minimal', summary: 'every request at Metadata level', builder: 'minimalMetadataPolicy', build: minimalMetadataPolicy, kubernetesMinors: { oldest: 12, newest: NEWEST_KUBERNETES_MINOR } },
  { name: 'gce', summary: 'the production profile GCE clusters use', builder: 'gceProductionPolicy', build: gceProductionPolicy, kubernetesMinors: { oldest: 12, newest: NEWEST_KUBERNETES_MINOR } },
];

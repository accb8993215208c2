/**
 * The resources kube-apiserver itself serves, by API group: what a policy's `resources` entry can
 * name in those groups. The apiserver never checks the names a policy gives (any string loads),
 * so a misspelt or singular name (`secret`) or a resource put in the wrong group (`deployments`
 * without `group: apps`) silently matches nothing; lint's `unknown-resource` finds them here.
 *
 * Only groups whose resources are stable across Kubernetes 1.18 to 1.36 are listed; groups that
 * still gain resources often (`resource.k8s.io`, `scheduling.k8s.io`, ...) and every other group
 * (custom resources, aggregated APIs) are not checked. Names removed in that span stay listed
 * (`podsecuritypolicies`), since a policy may target an older cluster. The test checks the list
 * against the official API definitions of 1.18, 1.20 and 1.36.
 */
import { closestName } from '@k8s-gen/runtime';

/** The plural resource names each checked group serves (`""` is the core group). */
export const BUILTIN_RESOURCES: Readonly<Record<string, readonly string[]>> = {
  '': [
    'bindings',
    'componentstatuses',
    'configmaps',
    'endpoints',
    'events',
    'limitranges',
    'namespaces',
    'nodes',
    'persistentvolumeclaims',
    'persistentvolumes',
    'pods',
    'podtemplates',
    'replicationcontrollers',
    'resourcequotas',
    'secrets',
    'serviceaccounts',
    'services',
  ],
  'admissionregistration.k8s.io': ['mutatingadmissionpolicies', 'mutatingadmissionpolicybindings', 'mutatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'validatingwebhookconfigurations'],
  'apiextensions.k8s.io': ['customresourcedefinitions'],
  'apiregistration.k8s.io': ['apiservices'],
  apps: ['controllerrevisions', 'daemonsets', 'deployments', 'replicasets', 'statefulsets'],
  'authentication.k8s.io': ['selfsubjectreviews', 'tokenreviews'],
  'authorization.k8s.io': ['localsubjectaccessreviews', 'selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'subjectaccessreviews'],
  autoscaling: ['horizontalpodautoscalers'],
  batch: ['cronjobs', 'jobs'],
  'certificates.k8s.io': ['certificatesigningrequests', 'clustertrustbundles', 'podcertificaterequests'],
  'coordination.k8s.io': ['leasecandidates', 'leases'],
  'discovery.k8s.io': ['endpointslices'],
  'events.k8s.io': ['events'],
  'flowcontrol.apiserver.k8s.io': ['flowschemas', 'prioritylevelconfigurations'],
  'networking.k8s.io': ['ingressclasses', 'ingresses', 'ipaddresses', 'networkpolicies', 'servicecidrs'],
  'node.k8s.io': ['runtimeclasses'],
  policy: ['poddisruptionbudgets', 'podsecuritypolicies'],
  'rbac.authorization.k8s.io': ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
  'storage.k8s.io': ['csidrivers', 'csinodes', 'csistoragecapacities', 'storageclasses', 'volumeattachments', 'volumeattributesclasses'],
};

const groupLabel = (group: string): string => (group === '' ? 'the core group ("")' : `group "${group}"`);

/**
 * Why `resource` (a resource name, without subresource) matches nothing in `group`, with the fix;
 * undefined when it is served there, or the group is not one this list checks.
 */
export function unknownBuiltinResource(group: string, resource: string): { message: string; fix: string } | undefined {
  const served = BUILTIN_RESOURCES[group];
  if (served === undefined || resource === '' || resource === '*' || served.includes(resource)) return undefined;
  const message = `resource "${resource}" is not served in ${groupLabel(group)} (Kubernetes 1.18 to 1.36), so it matches no request; the apiserver loads it without a word`;
  const elsewhere = Object.keys(BUILTIN_RESOURCES).filter((other) => other !== group && BUILTIN_RESOURCES[other]!.includes(resource));
  if (elsewhere.length > 0) return { message, fix: `"${resource}" is served in ${elsewhere.map(groupLabel).join(' and ')}: put it in an entry with that group` };
  const suggestion = closestName(resource, served);
  if (suggestion !== undefined) return { message, fix: `did you mean "${suggestion}"? resources are named in the plural, in lower case` };
  return { message, fix: `check the name with kubectl api-resources --api-group=${group === '' ? "''" : group}; a resource added after Kubernetes 1.36 is not known to k8s-gen yet` };
}

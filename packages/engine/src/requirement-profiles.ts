/**
 * Named sets of requirements: what the CIS Kubernetes Benchmark recommends an audit policy covers,
 * what Falco's Kubernetes audit rules read, and the credential bodies no suggested policy logs.
 */
import type { GroupResources } from '@k8s-gen/audit';
import { kubernetesMinor, LATEST_KUBERNETES_VERSION, type EvaluateOptions } from './evaluate.js';
import { CREDENTIAL_RESOURCES } from './lint.js';
import type { Requirement } from './requirement.js';

/** The profiles `suggest --profile` and {@link profileRequirements} know. */
export const REQUIREMENT_PROFILES = {
  cis: 'the CIS Kubernetes Benchmark audit policy recommendation (item 3.2.2)',
  falco: "what the rules of Falco's k8saudit plugin read",
} as const;

/** A profile name. */
export type RequirementProfile = keyof typeof REQUIREMENT_PROFILES;

const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/**
 * The cap every suggested policy carries: secrets, configmaps, token reviews and token requests
 * (the resources lint's `sensitive-body-logged` looks for) at most at Metadata, so no credential
 * reaches the log.
 */
export function credentialRequirements(): Requirement[] {
  const byGroup = new Map<string, string[]>();
  for (const target of CREDENTIAL_RESOURCES) {
    const pattern = target.subresource === '' ? target.resource : `${target.resource}/${target.subresource}`;
    byGroup.set(target.apiGroup, [...(byGroup.get(target.apiGroup) ?? []), pattern]);
  }
  return [
    {
      id: 'credentials',
      source: 'credentials',
      description: 'secrets, configmaps, token reviews and token requests carry credentials in their bodies: at most Metadata',
      selector: { resources: [...byGroup].map(([group, resources]) => ({ group, resources })) },
      atMost: 'Metadata',
    },
  ];
}

/**
 * The CIS Kubernetes Benchmark's recommendation for the policy's content (item 3.2.2 in every
 * release from 1.5 to 1.12, a manual check there): requests to secrets, configmaps and token
 * reviews at Metadata only; use of pods/exec, pods/attach, pods/portforward, pods/proxy and
 * services/proxy recorded; changes to pods and deployments recorded; and "for most requests" at
 * least Metadata, which this profile takes as every request (exempt what you must with
 * `--keep 'SELECTOR:<=None'`).
 */
function cisRequirements(minor: number): Requirement[] {
  const deploymentGroups = minor < 16 ? ['apps', 'extensions'] : ['apps'];
  return [
    { id: 'cis.secrets', source: 'cis', description: 'requests to secrets at Metadata only, so their data never reaches the log', selector: { resources: [{ group: '', resources: ['secrets'] }] }, atLeast: 'Metadata', atMost: 'Metadata' },
    { id: 'cis.configmaps', source: 'cis', description: 'requests to configmaps at Metadata only', selector: { resources: [{ group: '', resources: ['configmaps'] }] }, atLeast: 'Metadata', atMost: 'Metadata' },
    { id: 'cis.tokenreviews', source: 'cis', description: 'token reviews at Metadata only: their bodies hold bearer tokens', selector: { resources: [{ group: 'authentication.k8s.io', resources: ['tokenreviews'] }] }, atLeast: 'Metadata', atMost: 'Metadata' },
    {
      id: 'cis.pod-access',
      source: 'cis',
      description: 'use of pods/exec, pods/attach, pods/portforward, pods/proxy and services/proxy recorded',
      selector: { resources: [{ group: '', resources: ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'services/proxy'] }] },
      atLeast: 'Metadata',
    },
    { id: 'cis.pod-changes', source: 'cis', description: 'changes to pods recorded', selector: { verbs: WRITE_VERBS, resources: [{ group: '', resources: ['pods', 'pods/*'] }] }, atLeast: 'Metadata' },
    {
      id: 'cis.deployment-changes',
      source: 'cis',
      description: 'changes to deployments recorded',
      selector: { verbs: WRITE_VERBS, resources: deploymentGroups.map((group): GroupResources => ({ group, resources: ['deployments', 'deployments/*'] })) },
      atLeast: 'Metadata',
    },
    { id: 'cis.floor', source: 'cis', description: 'every request at least at Metadata ("for most requests, minimally logging at the Metadata level")', selector: {}, atLeast: 'Metadata', floor: true },
  ];
}

/**
 * What the rules of Falco's `k8saudit` plugin (`plugins/k8saudit/rules/k8s_audit_rules.yaml`)
 * read, from the fields of their conditions and outputs:
 * - `ka.req.*` fields and `jevt.value[/requestObject/...]` come from the request body, so those
 *   rules need Request: pod creation (privileged, host network/PID/IPC, sensitive mounts, images,
 *   pods in kube namespaces), ephemeral containers, services (NodePort type, ports), configmaps
 *   with private credentials, roles and cluster roles (rules), cluster role bindings (role and
 *   subjects), ingresses (TLS).
 * - Every other field (user, verb, objectRef, response code, authorization annotations) is in
 *   every event from Metadata up.
 * - Most rules read only ResponseComplete events; "Attach/Exec Pod" reads ResponseStarted.
 * - "Disallowed K8s User" reads every request of users whose names do not start with `system:`;
 *   no policy rule can select users by a prefix, so the profile keeps every request at Metadata.
 * - `ka.resp.name` (the response body) is only printed in outputs, never tested; it is not
 *   required, so those outputs print `<NA>` below RequestResponse.
 * Configmap bodies conflict with the credential cap: suggest keeps configmaps at Metadata and says so.
 */
function falcoRequirements(minor: number): Requirement[] {
  const completed = ['ResponseComplete'] as const;
  const ingressGroups = minor <= 21 ? ['extensions', 'networking.k8s.io'] : ['networking.k8s.io'];
  const deploymentGroup = minor < 16 ? ['apps', 'extensions'] : ['apps'];
  const rbac = 'rbac.authorization.k8s.io';
  const request = (id: string, description: string, selector: Requirement['selector']): Requirement => ({ id: `falco.${id}`, source: 'falco', description, selector, atLeast: 'Request', stages: completed });
  const metadata = (id: string, description: string, selector: Requirement['selector']): Requirement => ({ id: `falco.${id}`, source: 'falco', description, selector, atLeast: 'Metadata', stages: completed });
  return [
    request('pod-create', 'pod creation with its request body: the privileged, host network/PID/IPC, sensitive mount and image rules read the pod spec', { verbs: ['create'], resources: [{ group: '', resources: ['pods'] }] }),
    request('ephemeral-containers', 'ephemeral containers with their request body (the rule prints their name and image)', { verbs: ['create', 'update', 'patch'], resources: [{ group: '', resources: ['pods/ephemeralcontainers'] }] }),
    request('service-create', 'service creation with its request body (NodePort type and ports)', { verbs: ['create'], resources: [{ group: '', resources: ['services'] }] }),
    request('configmap-change', 'configmap changes with their request body (the private-credentials rule reads the data)', { verbs: ['create', 'update', 'patch'], resources: [{ group: '', resources: ['configmaps'] }] }),
    request('role-create', 'role and cluster role creation with their request body (wildcard, write and exec rules)', { verbs: ['create'], resources: [{ group: rbac, resources: ['clusterroles', 'roles'] }] }),
    request('clusterrolebinding-create', 'cluster role binding creation with its request body (the cluster-admin rule reads the role and subjects)', { verbs: ['create'], resources: [{ group: rbac, resources: ['clusterrolebindings'] }] }),
    request('ingress-create', 'ingress creation with its request body (the TLS rule)', { verbs: ['create'], resources: ingressGroups.map((group) => ({ group, resources: ['ingresses'] })) }),
    { id: 'falco.pod-exec', source: 'falco', description: 'exec and attach recorded with their ResponseStarted event, which "Attach/Exec Pod" reads', selector: { verbs: ['create', 'get'], resources: [{ group: '', resources: ['pods/attach', 'pods/exec'] }] }, atLeast: 'Metadata', stages: ['ResponseStarted'] },
    { id: 'falco.port-forward', source: 'falco', description: 'port forwarding recorded', selector: { resources: [{ group: '', resources: ['pods/portforward'] }] }, atLeast: 'Metadata' },
    metadata('created-deleted', 'creation and deletion of the objects the activity rules report', {
      verbs: ['create', 'delete'],
      resources: [
        { group: '', resources: ['configmaps', 'namespaces', 'secrets', 'serviceaccounts', 'services'] },
        ...deploymentGroup.map((group) => ({ group, resources: ['deployments'] })),
        { group: rbac, resources: ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'] },
      ],
    }),
    metadata('role-changes', 'changes to roles and cluster roles (system roles modified)', { verbs: ['update', 'patch'], resources: [{ group: rbac, resources: ['clusterroles', 'roles'] }] }),
    metadata('secret-get', 'secret reads, successful or not', { verbs: ['get'], resources: [{ group: '', resources: ['secrets'] }] }),
    metadata('node-create', 'nodes joining the cluster', { verbs: ['create'], resources: [{ group: '', resources: ['nodes'] }] }),
    metadata('anonymous', 'requests of the anonymous user (anonymous request allowed)', { users: ['system:anonymous'] }),
    { ...metadata('floor', 'every request at least at Metadata: "Disallowed K8s User" reads every request of users not named system:*, which no rule can select', {}), floor: true },
  ];
}

/**
 * The requirements of a named profile for a Kubernetes release.
 *
 * @example
 * ```ts
 * profileRequirements('cis').map((requirement) => requirement.id);
 * // ['cis.secrets', 'cis.configmaps', 'cis.tokenreviews', 'cis.pod-access', 'cis.pod-changes', 'cis.deployment-changes', 'cis.floor']
 * ```
 */
export function profileRequirements(profile: RequirementProfile, options: EvaluateOptions = {}): Requirement[] {
  const minor = kubernetesMinor(options.kubernetesVersion ?? LATEST_KUBERNETES_VERSION);
  return profile === 'cis' ? cisRequirements(minor) : falcoRequirements(minor);
}

// What the SIEM keeps of the EKS audit events: no kube-proxy watches or health checks, no
// RequestReceived stage, Secrets and ConfigMaps at Metadata (never their bodies), writes with
// their request (without managedFields), everything else at Metadata.
import { policy } from '@k8s-gen/audit';

export const siemPolicy = policy()
  .omitStages('RequestReceived')
  .rule()
  .level('None')
  .users('system:kube-proxy')
  .verbs('watch')
  .rule()
  .level('None')
  .nonResourceURLs('/healthz*', '/livez*', '/readyz*', '/version')
  .rule()
  .level('Metadata')
  .resources({ group: '', resources: ['secrets', 'configmaps'] })
  .rule()
  .level('Request')
  .verbs('create', 'update', 'patch', 'delete')
  .omitManagedFields(true)
  .rule()
  .level('Metadata')
  .end();

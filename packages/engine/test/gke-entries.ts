// GKE's Cloud Audit Logs entry for an apiserver event, as Cloud Logging writes one (Google's
// LogEntry, AuditLog and GKE audit logging documentation): the fixture the GKE reader's tests and
// the BigQuery export's tests build their logs from.
/** The entry for `event`, undefined for an event that is not a resource request (GKE keeps none). */
export function gkeEntry(event: Record<string, unknown>): Record<string, unknown> | undefined {
  const ref = event.objectRef as Record<string, string> | undefined;
  if (ref?.resource === undefined) return undefined;
  const group = ref.apiGroup ?? '';
  const words = group === '' ? ['core'] : group.replace(/\.k8s\.io$/, '').split('.').reverse();
  const method = ['io', 'k8s', ...words, ref.apiVersion ?? 'v1', ref.resource, ...(ref.subresource ? [ref.subresource] : []), event.verb as string].join('.');
  const isNamespaceObject = ref.resource === 'namespaces';
  const namespaced = !isNamespaceObject && ref.namespace ? `namespaces/${ref.namespace}/` : '';
  const resourceName = `${group === '' ? 'core' : group}/${ref.apiVersion ?? 'v1'}/${namespaced}${ref.resource}${ref.name ? `/${ref.name}` : ''}${ref.subresource ? `/${ref.subresource}` : ''}`;
  const user = event.user as { username?: string } | undefined;
  const code = (event.responseStatus as { code?: number } | undefined)?.code ?? 200;
  return {
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      authenticationInfo: user?.username ? { principalEmail: user.username } : {},
      authorizationInfo: [{ granted: code < 400, permission: method, resource: resourceName }],
      methodName: method,
      requestMetadata: { callerIp: (event.sourceIPs as string[] | undefined)?.[0] ?? '10.0.0.1', callerSuppliedUserAgent: event.userAgent ?? '' },
      resourceName,
      serviceName: 'k8s.io',
      status: { code: code < 300 ? 0 : code === 404 ? 5 : code === 409 ? 6 : code === 403 ? 7 : 2 },
      ...(event.requestObject !== undefined ? { request: { '@type': 'core.k8s.io/v1.Object', ...(event.requestObject as object) } } : {}),
    },
    insertId: `gke-${event.auditID as string}`,
    resource: { type: 'k8s_cluster', labels: { project_id: 'prod-project', location: 'europe-west1', cluster_name: 'prod' } },
    timestamp: event.stageTimestamp,
    severity: 'NOTICE',
    logName: 'projects/prod-project/logs/cloudaudit.googleapis.com%2Factivity',
    operation: { id: event.auditID, producer: 'k8s.io', first: true, last: true },
    receiveTimestamp: event.stageTimestamp,
    labels: (event.annotations as object | undefined) ?? {},
  };
}


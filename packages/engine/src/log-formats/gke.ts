/**
 * Google Kubernetes Engine: the apiserver's audit events become Cloud Audit Logs entries, a
 * `LogEntry` (Cloud Logging) whose `protoPayload` is an `AuditLog`
 * (`type.googleapis.com/google.cloud.audit.AuditLog`, `serviceName: "k8s.io"`), in the logs
 * `cloudaudit.googleapis.com%2Factivity` (writes) and `%2Fdata_access` (reads, opt-in). The
 * original Event is not kept; what the entry holds is mapped back:
 *
 * | Event | LogEntry |
 * |---|---|
 * | `auditID` | `operation.id` (else `insertId`) |
 * | `verb` | the last word of `protoPayload.methodName` (`io.k8s.core.v1.pods.create`) |
 * | `objectRef` | `protoPayload.resourceName` (`core/v1/namespaces/default/pods/nginx[/exec]`) |
 * | `requestURI` | rebuilt from `resourceName` (`/api/v1/...`, `/apis/<group>/<version>/...`), without the query |
 * | `user.username` | `protoPayload.authenticationInfo.principalEmail` |
 * | `sourceIPs`, `userAgent` | `protoPayload.requestMetadata.callerIp`, `.callerSuppliedUserAgent` |
 * | `responseStatus.code` | `protoPayload.status.code`, a google.rpc code, mapped to its HTTP status |
 * | `requestObject`, `responseObject` | `protoPayload.request`, `.response` (their `@type` removed) |
 * | `annotations` | `labels` (`authorization.k8s.io/decision`, ...) |
 * | `requestReceivedTimestamp`, `stageTimestamp` | `timestamp` |
 * | `level` | inferred: RequestResponse with a response, Request with a request, else Metadata |
 * | `stage` | not kept: ResponseComplete |
 *
 * Lost: the user's groups, uid and extra (so `userGroups` rules cannot match), impersonation, the
 * stage, the level (inferred), the query string, `objectRef.uid`/`resourceVersion`, and requests
 * that are not resource requests; reads are missing unless Data Access logs are enabled.
 */
import type { FormatReader } from './format.js';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const isAuditLog = (payload: unknown): boolean =>
  isObject(payload) && ((typeof payload['@type'] === 'string' && payload['@type'].endsWith('google.cloud.audit.AuditLog')) || payload.serviceName === 'k8s.io');

/** google.rpc.Code to the HTTP status the apiserver answered with (the mapping of google.rpc's `code.proto`). */
export const RPC_TO_HTTP: Readonly<Record<number, number>> = { 0: 200, 1: 499, 2: 500, 3: 400, 4: 504, 5: 404, 6: 409, 7: 403, 8: 429, 9: 400, 10: 409, 11: 400, 12: 501, 13: 500, 14: 503, 15: 500, 16: 401 };

/** The namespace subresources of the apiserver's RequestInfoFactory (`/namespaces/<name>/status`). */
export const NAMESPACE_SUBRESOURCES: ReadonlySet<string> = new Set(['status', 'finalize']);

/** The objectRef and URL path of a `resourceName`, as RequestInfoFactory would have read the URL. */
export function resourceNameToRequest(resourceName: string): { objectRef: Record<string, string>; requestURI: string } | undefined {
  const parts = resourceName.split('/');
  if (parts.length < 3 || parts.some((p) => p === '')) return undefined;
  const [group, version, ...rest] = parts as [string, string, ...string[]];
  const apiGroup = group === 'core' ? '' : group;
  let namespace = '';
  let tail = rest;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1]!;
    // `namespaces/<name>` and `namespaces/<name>/status` are the Namespace object itself.
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2]!)) tail = rest.slice(2);
  }
  const [resource, name, subresource, ...extra] = tail;
  if (resource === undefined || extra.length > 0) return undefined;
  const objectRef: Record<string, string> = { resource, apiVersion: version };
  if (apiGroup !== '') objectRef.apiGroup = apiGroup;
  if (namespace !== '') objectRef.namespace = namespace;
  if (name !== undefined) objectRef.name = name;
  if (subresource !== undefined) objectRef.subresource = subresource;
  const prefix = apiGroup === '' ? `/api/${version}` : `/apis/${apiGroup}/${version}`;
  return { objectRef, requestURI: `${prefix}/${rest.join('/')}` };
}

const withoutType = (body: unknown): unknown => {
  if (!isObject(body)) return body;
  const { '@type': _type, ...rest } = body;
  return rest;
};

/** The GKE reader. */
export const GKE_FORMAT: FormatReader = {
  format: 'gke',
  name: 'Google Kubernetes Engine (Cloud Audit Logs)',
  lost: ['user.groups', 'user.uid', 'user.extra', 'impersonatedUser', 'stage (taken as ResponseComplete)', 'level (inferred from the bodies kept)', 'the query string of requestURI', 'objectRef.uid and resourceVersion', 'non-resource requests', 'reads, unless Data Access logs are enabled'],
  detect(value) {
    if (isObject(value) && isAuditLog(value.protoPayload)) return 'a Cloud Logging LogEntry with an AuditLog payload';
    return undefined;
  },
  events(value) {
    if (!isObject(value) || !isObject(value.protoPayload)) return { skip: 'not a LogEntry with a protoPayload' };
    const payload = value.protoPayload;
    if (!isAuditLog(payload)) return { skip: 'the protoPayload is not an AuditLog' };
    const method = typeof payload.methodName === 'string' ? payload.methodName : '';
    const resourceName = typeof payload.resourceName === 'string' ? payload.resourceName : '';
    const request = resourceNameToRequest(resourceName);
    if (!method.startsWith('io.k8s.') || request === undefined) return { skip: `not a Kubernetes resource request the reader can map (methodName ${JSON.stringify(method)}, resourceName ${JSON.stringify(resourceName)})` };
    const verb = method.slice(method.lastIndexOf('.') + 1);
    const authentication = isObject(payload.authenticationInfo) ? payload.authenticationInfo : {};
    const metadata = isObject(payload.requestMetadata) ? payload.requestMetadata : {};
    const status = isObject(payload.status) ? payload.status : {};
    const operation = isObject(value.operation) ? value.operation : {};
    const timestamp = typeof value.timestamp === 'string' ? value.timestamp : undefined;
    const event: Record<string, unknown> = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: payload.response !== undefined ? 'RequestResponse' : payload.request !== undefined ? 'Request' : 'Metadata',
      auditID: typeof operation.id === 'string' ? operation.id : typeof value.insertId === 'string' ? value.insertId : '',
      stage: 'ResponseComplete',
      requestURI: request.requestURI,
      verb,
      user: typeof authentication.principalEmail === 'string' ? { username: authentication.principalEmail } : {},
      ...(typeof metadata.callerIp === 'string' ? { sourceIPs: [metadata.callerIp] } : {}),
      ...(typeof metadata.callerSuppliedUserAgent === 'string' ? { userAgent: metadata.callerSuppliedUserAgent } : {}),
      objectRef: request.objectRef,
      responseStatus: { metadata: {}, code: RPC_TO_HTTP[typeof status.code === 'number' ? status.code : 0] ?? 500, ...(typeof status.message === 'string' && status.message !== '' ? { message: status.message } : {}) },
      ...(payload.request !== undefined ? { requestObject: withoutType(payload.request) } : {}),
      ...(payload.response !== undefined ? { responseObject: withoutType(payload.response) } : {}),
      ...(timestamp !== undefined ? { requestReceivedTimestamp: timestamp, stageTimestamp: timestamp } : {}),
      ...(isObject(value.labels) ? { annotations: value.labels } : {}),
    };
    return [{ event }];
  },
};

// GKE's audit logs exported to BigQuery, as the lines the cost query reads. A Cloud Logging sink
// writes each LogEntry as a row (the `cloudaudit_googleapis_com_activity` and `_data_access`
// tables), its AuditLog payload in the record `protopayload_auditlog` and the payload's request and
// response as JSON text (`requestJson`, `responseJson`). This select turns each row back into the
// Kubernetes Event the JavaScript GKE reader (log-formats/gke.ts) makes of the same entry, as JSON
// text: the same members in the same order, so the rest of the query reads it as any log line.
//
// The export keeps LogEntry `labels` under names rewritten for BigQuery, so the events carry no
// annotations (the JavaScript reader copies the labels into them); everything else is mapped as
// gke.ts maps it, and entries gke.ts skips (not a Kubernetes resource request) are left out.
import { NAMESPACE_SUBRESOURCES, RPC_TO_HTTP } from './log-formats/gke.js';
import type { GkeExportDialect, SqlDialect } from './sql-dialect.js';

/** The columns of the export the select reads (BigQuery's names for the LogEntry fields). */
export const GKE_EXPORT_COLUMNS = [
  'protopayload_auditlog.methodName',
  'protopayload_auditlog.resourceName',
  'protopayload_auditlog.authenticationInfo.principalEmail',
  'protopayload_auditlog.requestMetadata.callerIp',
  'protopayload_auditlog.requestMetadata.callerSuppliedUserAgent',
  'protopayload_auditlog.status.code',
  'protopayload_auditlog.status.message',
  'protopayload_auditlog.requestJson',
  'protopayload_auditlog.responseJson',
  'operation.id',
  'insertId',
  'timestamp',
] as const;

/**
 * A select over the export table `from` (already quoted) with one column, `line`: the Event JSON
 * of each row that records a Kubernetes resource request.
 */
export function gkeExportLines(d: SqlDialect, g: GkeExportDialect, from: string): string {
  const q = d.string;
  const payload = (field: string): string => `protopayload_auditlog.${field}`;
  // A resourceName is GROUP/VERSION/REST with no empty part (resourceNameToRequest).
  const entries = [
    `${payload('methodName')} AS method_name`,
    `${payload('resourceName')} AS resource_name`,
    `${payload('authenticationInfo.principalEmail')} AS principal`,
    `${payload('requestMetadata.callerIp')} AS caller_ip`,
    `${payload('requestMetadata.callerSuppliedUserAgent')} AS user_agent`,
    `${payload('status.code')} AS rpc_code`,
    `${payload('status.message')} AS status_message`,
    `${payload('requestJson')} AS request_json`,
    `${payload('responseJson')} AS response_json`,
    `coalesce(operation.id, insertId, '') AS audit_id`,
    `${g.timestampText(d.table(['timestamp']))} AS logged_at`,
  ];
  const parsed = [
    'e.*',
    `${g.regexpGroup('method_name', q('[.]([^.]+)$'))} AS verb`,
    `${g.regexpGroup('resource_name', q('^([^/]+)/'))} AS api_group_word`,
    `${g.regexpGroup('resource_name', q('^[^/]+/([^/]+)/'))} AS api_version`,
    `${g.regexpGroup('resource_name', q('^[^/]+/[^/]+/(.+)$'))} AS rest`,
  ];
  const subresources = [...NAMESPACE_SUBRESOURCES].join('|');
  // namespaces/NAME and namespaces/NAME/status are the Namespace object; namespaces/NAME/R... is R in NAME.
  const inNamespace = `${g.matches('rest', q('^namespaces/[^/]+/[^/]+'))} AND NOT ${g.matches('rest', q(`^namespaces/[^/]+/(${subresources})(/|$)`))}`;
  const located = [
    'p.*',
    `CASE WHEN api_group_word = 'core' THEN '' ELSE api_group_word END AS api_group`,
    `coalesce(${g.regexpGroup('rest', q('^namespaces/([^/]+)'))}, '') AS namespace_name`,
    `CASE WHEN ${inNamespace} THEN ${g.regexpGroup('rest', q('^namespaces/[^/]+/(.+)$'))} ELSE rest END AS tail`,
  ];
  const named = [
    'l.*',
    `${g.regexpGroup('tail', q('^([^/]+)'))} AS resource`,
    `${g.regexpGroup('tail', q('^[^/]+/([^/]+)'))} AS object_name`,
    `${g.regexpGroup('tail', q('^[^/]+/[^/]+/([^/]+)$'))} AS subresource`,
  ];
  const mapped = [
    `${d.startsWith('method_name', q('io.k8s.'))}`,
    'verb IS NOT NULL',
    g.matches('resource_name', q('^[^/]+/[^/]+/[^/]+(/[^/]+)*$')),
    g.matches('tail', q('^[^/]+(/[^/]+)?(/[^/]+)?$')),
  ].join(' AND ');
  const member = (key: string, value: string): string => `${q(`,"${key}":`)} || ${value}`;
  const optional = (test: string, key: string, value: string): string => `CASE WHEN ${test} THEN ${member(key, value)} ELSE '' END`;
  const httpCode = `CASE coalesce(rpc_code, 0) ${Object.entries(RPC_TO_HTTP).map(([rpc, http]) => `WHEN ${rpc} THEN ${q(String(http))}`).join(' ')} ELSE '500' END`;
  const level = `CASE WHEN response_json IS NOT NULL THEN 'RequestResponse' WHEN request_json IS NOT NULL THEN 'Request' ELSE 'Metadata' END`;
  const requestURI = `CASE WHEN api_group = '' THEN '/api/' || api_version ELSE '/apis/' || api_group || '/' || api_version END || '/' || rest`;
  const objectRef = [
    `'{"resource":' || ${d.quote('resource')}`,
    member('apiVersion', d.quote('api_version')),
    optional("api_group <> ''", 'apiGroup', d.quote('api_group')),
    optional("namespace_name <> ''", 'namespace', d.quote('namespace_name')),
    optional('object_name IS NOT NULL', 'name', d.quote('object_name')),
    optional('subresource IS NOT NULL', 'subresource', d.quote('subresource')),
    `'}'`,
  ].join(' || ');
  const event = [
    `'{"kind":"Event","apiVersion":"audit.k8s.io/v1"'`,
    member('level', `'"' || ${level} || '"'`),
    member('auditID', d.quote('audit_id')),
    `',"stage":"ResponseComplete"'`,
    member('requestURI', d.quote(requestURI)),
    member('verb', d.quote('verb')),
    member('user', `CASE WHEN principal IS NOT NULL THEN '{"username":' || ${d.quote('principal')} || '}' ELSE '{}' END`),
    optional('caller_ip IS NOT NULL', 'sourceIPs', `'[' || ${d.quote('caller_ip')} || ']'`),
    optional('user_agent IS NOT NULL', 'userAgent', d.quote('user_agent')),
    member('objectRef', `(${objectRef})`),
    member('responseStatus', `'{"metadata":{},"code":' || ${httpCode} || ${`CASE WHEN coalesce(status_message, '') <> '' THEN ${member('message', d.quote('status_message'))} ELSE '' END`} || '}'`),
    optional('request_json IS NOT NULL', 'requestObject', g.withoutTypeMember('request_json')),
    optional('response_json IS NOT NULL', 'responseObject', g.withoutTypeMember('response_json')),
    optional('logged_at IS NOT NULL', 'requestReceivedTimestamp', d.quote('logged_at')),
    optional('logged_at IS NOT NULL', 'stageTimestamp', d.quote('logged_at')),
    `'}'`,
  ].join('\n      || ');
  return [
    `SELECT ${event} AS line`,
    `FROM (SELECT ${named.join(', ')} FROM (SELECT ${located.join(', ')} FROM (SELECT ${parsed.join(', ')} FROM (SELECT ${entries.join(', ')} FROM ${from}) AS e) AS p) AS l) AS n`,
    `WHERE ${mapped}`,
  ].join('\n    ');
}

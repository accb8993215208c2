/**
 * Azure Kubernetes Service: diagnostic settings route the categories `kube-audit` (every event) and
 * `kube-audit-admin` (every event except those with the verbs get and list) to a storage account,
 * an event hub or a Log Analytics workspace. The shapes, as Azure Monitor documents them:
 * - storage account and event hub: resource-log records
 *   `{ time, resourceId, category: 'kube-audit', operationName, properties: { log: '<the Event as JSON>', stream, pod } }`,
 *   one per line in a storage blob, wrapped in `{ records: [...] }` in an event hub message;
 * - a Log Analytics export of the `AzureDiagnostics` table: rows with `Category` and `log_s` (the Event as JSON);
 * - a Log Analytics export of the resource-specific tables `AKSAudit` / `AKSAuditAdmin`: rows with
 *   the Event's fields as columns (`AuditId`, `Verb`, `RequestUri`, `User`, `ObjectRef`, `Level`,
 *   `Stage`, ...), where a body too large to keep is the string `skipped-too-big-size-object`.
 * The first two keep the Event as the apiserver wrote it; the table rows are rebuilt, without
 * the bodies Azure skipped. `kube-audit-admin` has no get and list events.
 */
import type { FormatReader, FoundEvent } from './format.js';

const CATEGORIES = new Set(['kube-audit', 'kube-audit-admin']);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const resourceLog = (value: unknown): value is { category: string; properties: { log: string } } =>
  isObject(value) && typeof value.category === 'string' && CATEGORIES.has(value.category.toLowerCase()) && isObject(value.properties) && typeof value.properties.log === 'string';

const diagnosticsRow = (value: unknown): value is { Category: string; log_s: string } => isObject(value) && typeof value.Category === 'string' && CATEGORIES.has(value.Category.toLowerCase()) && typeof value.log_s === 'string';

const tableRow = (value: unknown): value is Record<string, unknown> => isObject(value) && typeof value.AuditId === 'string' && typeof value.Verb === 'string' && 'RequestUri' in value;

/** What Azure writes in place of a body it did not keep. */
export const AKS_SKIPPED_BODY = 'skipped-too-big-size-object';

/** The Event of an `AKSAudit` / `AKSAuditAdmin` row (the columns are the Event's fields, capitalised). */
function eventOfRow(row: Record<string, unknown>): Record<string, unknown> {
  const body = (value: unknown) => (value === undefined || value === null || value === '' || value === AKS_SKIPPED_BODY ? undefined : value);
  const event: Record<string, unknown> = { kind: 'Event', apiVersion: 'audit.k8s.io/v1' };
  const fields: [string, string][] = [
    ['Level', 'level'],
    ['AuditId', 'auditID'],
    ['Stage', 'stage'],
    ['RequestUri', 'requestURI'],
    ['Verb', 'verb'],
    ['User', 'user'],
    ['ImpersonatedUser', 'impersonatedUser'],
    ['SourceIps', 'sourceIPs'],
    ['UserAgent', 'userAgent'],
    ['ObjectRef', 'objectRef'],
    ['ResponseStatus', 'responseStatus'],
    ['RequestReceivedTime', 'requestReceivedTimestamp'],
    ['StageReceivedTime', 'stageTimestamp'],
    ['Annotations', 'annotations'],
  ];
  for (const [column, field] of fields) if (row[column] !== undefined && row[column] !== null && row[column] !== '') event[field] = row[column];
  const request = body(row.RequestObject);
  const response = body(row.ResponseObject);
  if (request !== undefined) event.requestObject = request;
  if (response !== undefined) event.responseObject = response;
  return event;
}

/** The AKS reader. */
export const AKS_FORMAT: FormatReader = {
  format: 'aks',
  name: 'Azure Kubernetes Service (diagnostic settings)',
  lost: ['get and list events, with the kube-audit-admin category', `bodies Azure did not keep (${AKS_SKIPPED_BODY}), in the AKSAudit tables`],
  detect(value) {
    if (resourceLog(value)) return `a resource-log record of the ${value.category} category`;
    if (isObject(value) && Array.isArray(value.records) && value.records.some(resourceLog)) return 'an event hub message of resource-log records';
    if (diagnosticsRow(value)) return 'a row of the AzureDiagnostics table';
    if (tableRow(value)) return `a row of the ${typeof value.Type === 'string' ? value.Type : 'AKSAudit'} table`;
    return undefined;
  },
  events(value) {
    if (isObject(value) && Array.isArray(value.records)) {
      const out: FoundEvent[] = [];
      for (const record of value.records) {
        // Other categories (kube-apiserver, guard, ...) share the hub; they hold no audit events.
        if (resourceLog(record)) out.push({ text: record.properties.log });
      }
      return out;
    }
    if (resourceLog(value)) return [{ text: value.properties.log }];
    if (diagnosticsRow(value)) return [{ text: value.log_s }];
    if (tableRow(value)) return [{ event: eventOfRow(value) }];
    if (isObject(value) && typeof value.category === 'string') return [];
    return { skip: 'not a kube-audit record, AzureDiagnostics row or AKSAudit row' };
  },
};

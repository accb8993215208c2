/**
 * What a reader of one log format gives: how to recognise the format from its first record, and
 * the audit events a record holds, either as the apiserver wrote them (exact text) or rebuilt
 * from what the provider kept.
 */

/** The audit log formats the engine reads. */
export type AuditLogFormat = 'kubernetes' | 'eks' | 'gke' | 'aks';

/** Every format, in the order detection tries them. */
export const AUDIT_LOG_FORMATS: readonly AuditLogFormat[] = ['kubernetes', 'eks', 'gke', 'aks'];

/** An event found in a record: the apiserver's own JSON text, or an event rebuilt from the record. */
export type FoundEvent = { readonly text: string } | { readonly event: Record<string, unknown> };

/** One format's reader. */
export interface FormatReader {
  readonly format: AuditLogFormat;
  /** The format for people, e.g. `Amazon EKS (CloudWatch Logs)`. */
  readonly name: string;
  /** What the events of this format lack compared with the apiserver's log (for reports and the guide). */
  readonly lost: readonly string[];
  /** The shape `value` (a decoded JSON record) has in this format, or undefined when it is not one. */
  detect(value: unknown): string | undefined;
  /** The shape of a line that is not JSON (an S3 export line), or undefined. */
  detectLine?(line: string): string | undefined;
  /** The events of a line that is not JSON, or undefined when it is not one of this format's. */
  fromLine?(line: string): FoundEvent[] | undefined;
  /** The events a decoded record holds, or why it holds none this reader can read. */
  events(value: unknown): FoundEvent[] | { readonly skip: string };
}

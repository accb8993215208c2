/**
 * Audit logs as kube-apiserver writes them and as managed clusters hand them out (EKS, GKE, AKS),
 * behind one function: `auditEventLines` reads a log, recognises its format from the first record
 * (or takes the one given) and yields audit events as JSON lines, which the cost replay, explain
 * and lint read as they read the apiserver's own log. One module per format (`kubernetes.ts`,
 * `eks.ts`, `gke.ts`, `aks.ts`), each with what its events lack (`lost`).
 */
import { readLogLines, type LogLine, type LogSource, type OverlongLine, type ReadLogOptions } from '../cost-input.js';
import { AKS_FORMAT } from './aks.js';
import { EKS_FORMAT } from './eks.js';
import { AUDIT_LOG_FORMATS, type AuditLogFormat, type FormatReader, type FoundEvent } from './format.js';
import { GKE_FORMAT } from './gke.js';
import { KUBERNETES_FORMAT } from './kubernetes.js';

export { AUDIT_LOG_FORMATS, type AuditLogFormat, type FormatReader, type FoundEvent } from './format.js';
export { AKS_SKIPPED_BODY } from './aks.js';
export { resourceNameToRequest } from './gke.js';

/** The reader of each format. */
export const FORMAT_READERS: Readonly<Record<AuditLogFormat, FormatReader>> = { kubernetes: KUBERNETES_FORMAT, eks: EKS_FORMAT, gke: GKE_FORMAT, aks: AKS_FORMAT };

/** What was read, filled in while {@link auditEventLines} runs. */
export interface AuditLogFormatStatus {
  /** The format read (given or recognised). */
  format?: AuditLogFormat;
  /** The shape the first record had, e.g. `a CloudWatch Logs subscription payload`. */
  shape?: string;
  /** Records read (lines, or items of a JSON document). */
  records: number;
  /** Events found in them. */
  events: number;
  /** Records that held no event this format's reader can read. */
  skipped: number;
  /** The first few skipped records (1-based) and why. */
  skippedSamples: { record: number; message: string }[];
  /** What the events of this format lack compared with the apiserver's own log. */
  lost: readonly string[];
}

/** Options of {@link auditEventLines}. */
export interface ReadAuditEventsOptions extends ReadLogOptions {
  /** The format of the log; `auto` (default) recognises it from the first record. */
  format?: AuditLogFormat | 'auto';
  /** Receives what was read. */
  formatStatus?: AuditLogFormatStatus;
  /** The largest JSON document (a pretty-printed CLI export) read whole. Default 256 MiB. */
  maxDocumentBytes?: number;
}

/** The log is in no format the engine reads, or not in the one given. */
export class AuditLogFormatError extends Error {
  /** What to do instead. */
  readonly fix: string;

  /** @param message - what is wrong; @param fix - what to do instead. */
  constructor(message: string, fix: string) {
    super(message);
    this.name = 'AuditLogFormatError';
    this.fix = fix;
  }
}

/** A new, empty {@link AuditLogFormatStatus}. */
export function newFormatStatus(): AuditLogFormatStatus {
  return { records: 0, events: 0, skipped: 0, skippedSamples: [], lost: [] };
}

/**
 * The format of a decoded record (or of a line that is not JSON), and its shape; undefined when
 * no reader knows it.
 *
 * @example
 * ```ts
 * detectAuditLogFormat({ logGroup: '/aws/eks/prod/cluster', messageType: 'DATA_MESSAGE', logEvents: [] }); // { format: 'eks', shape: 'a CloudWatch Logs subscription payload' }
 * ```
 */
export function detectAuditLogFormat(record: unknown, line?: string): { format: AuditLogFormat; shape: string } | undefined {
  for (const format of AUDIT_LOG_FORMATS) {
    const reader = FORMAT_READERS[format];
    const shape = record !== undefined ? reader.detect(record) : line !== undefined ? reader.detectLine?.(line) : undefined;
    if (shape !== undefined) return { format, shape };
  }
  return undefined;
}

const parse = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
};

const describe = (value: unknown): string => {
  if (Array.isArray(value)) return 'a JSON list';
  if (typeof value !== 'object' || value === null) return `a JSON ${value === null ? 'null' : typeof value}`;
  const keys = Object.keys(value).slice(0, 8);
  return keys.length === 0 ? 'an empty JSON object' : `a JSON object with the keys ${keys.join(', ')}`;
};

/** Lines looked at to recognise a format before giving up. */
const DETECTION_LINES = 64;

/** Whether a decoded record has the kind or fields of an audit event, if not their right shape. */
function looksLikeEvent(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return record.kind === 'Event' || record.kind === 'EventList' || ['auditID', 'stage', 'requestURI', 'stageTimestamp'].some((key) => key in record);
}

function unknownFormat(line: LogLine): AuditLogFormatError {
  const parsed = parse(line.text);
  return new AuditLogFormatError(`the first record of the log is ${parsed.ok ? describe(parsed.value) : 'not JSON'}, which is in no audit log format the engine reads`, UNKNOWN_FIX);
}

const UNKNOWN_FIX = 'give a log of kube-apiserver (JSON lines or EventLists), EKS (CloudWatch Logs), GKE (Cloud Audit Logs) or AKS (diagnostic records), or name the format with --input-format kubernetes|eks|gke|aks';

function lineOf(found: FoundEvent): LogLine {
  const text = 'text' in found ? found.text : JSON.stringify(found.event);
  return { text, bytes: Buffer.byteLength(text) };
}

/**
 * Reads an audit log in any format the engine knows and yields its audit events as JSON lines
 * (an EventList stays one line, as the cost replay reads it). The apiserver's own lines pass
 * unchanged; provider records give their events' own text where the provider kept it (EKS, AKS)
 * and rebuilt events otherwise (GKE, AKSAudit rows). A pretty-printed JSON document (a CLI export)
 * is read whole, up to `maxDocumentBytes`. Throws {@link AuditLogFormatError} when the first record
 * is in no known format; records of the format that hold no event are counted in `formatStatus`.
 *
 * @example
 * ```ts
 * const formatStatus = newFormatStatus();
 * for await (const line of auditEventLines('eks-audit.json', { formatStatus })) if (line.text !== undefined) JSON.parse(line.text);
 * formatStatus.format; // 'eks'
 * ```
 */
export async function* auditEventLines(source: LogSource, options: ReadAuditEventsOptions = {}): AsyncGenerator<LogLine | OverlongLine> {
  const status = options.formatStatus ?? newFormatStatus();
  const given = options.format === undefined || options.format === 'auto' ? undefined : options.format;
  const maxDocumentBytes = options.maxDocumentBytes ?? 256 * 1_048_576;
  let reader: FormatReader | undefined = given === undefined ? undefined : FORMAT_READERS[given];
  const choose = (format: AuditLogFormat, shape: string): void => {
    reader = FORMAT_READERS[format];
    status.format = format;
    status.shape = shape;
    status.lost = reader.lost;
  };
  if (reader !== undefined) choose(reader.format, `given as ${reader.format}`);
  const skip = (message: string): void => {
    status.skipped += 1;
    if (status.skippedSamples.length < 10) status.skippedSamples.push({ record: status.records, message });
  };
  /** The events of one decoded record, through the chosen reader. */
  function* recordEvents(value: unknown): Generator<LogLine> {
    status.records += 1;
    const found = reader!.events(value);
    if ('skip' in found) return skip(found.skip);
    status.events += found.length;
    for (const event of found) yield lineOf(event);
  }
  const lines = readLogLines(source, options);
  let document: string[] | undefined;
  let documentBytes = 0;
  // Lines read before the format is known (at most DETECTION_LINES), replayed once it is.
  let pending: LogLine[] = [];
  let eventLike = false;
  /** The lines of `line` once the format is known. */
  function* emit(line: LogLine): Generator<LogLine> {
    const current = reader as FormatReader;
    if (current.format === 'kubernetes') {
      // The apiserver's own lines go through unchanged: their byte counts are exact.
      status.records += 1;
      status.events += 1;
      yield line;
      return;
    }
    const fromLine = current.fromLine?.(line.text);
    if (fromLine !== undefined) {
      status.records += 1;
      status.events += fromLine.length;
      for (const event of fromLine) yield lineOf(event);
      return;
    }
    const parsed = parse(line.text);
    if (!parsed.ok) {
      status.records += 1;
      skip('not JSON');
      return;
    }
    yield* recordEvents(parsed.value);
  }
  for await (const line of lines) {
    if (document !== undefined) {
      if (line.text === undefined || (documentBytes += line.bytes + 1) > maxDocumentBytes) {
        throw new AuditLogFormatError(`the log is one JSON document larger than ${maxDocumentBytes} bytes`, 'write it as JSON lines (jq -c ".[]" or ".events[]"), which are read one at a time');
      }
      document.push(line.text);
      continue;
    }
    if (line.text === undefined) {
      // An overlong line: the replay counts it; it says nothing about the format.
      status.records += 1;
      yield line;
      continue;
    }
    const first = status.records === 0 && pending.length === 0;
    // A pretty-printed JSON document (a CLI export) starts with a line that is `{`, `[` or `[...`.
    if (first && /^\s*(?:\{\s*|\[.*)$/.test(line.text) && !parse(line.text).ok && (reader === undefined || reader.fromLine?.(line.text) === undefined)) {
      document = [line.text];
      documentBytes = line.bytes + 1;
      continue;
    }
    if (reader === undefined) {
      const parsed = parse(line.text);
      const found = parsed.ok ? detectAuditLogFormat(parsed.value) : detectAuditLogFormat(undefined, line.text);
      if (found === undefined) {
        // Only a JSON object of another shape says "another format"; anything else (text, a
        // string, a cut line) is a bad line of the apiserver's log, which the replay counts.
        eventLike ||= !parsed.ok || typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value) || looksLikeEvent(parsed.value);
        pending.push(line);
        if (pending.length < DETECTION_LINES) continue;
        if (!eventLike) throw unknownFormat(pending[0]!);
        // Events of the wrong shape: the apiserver's format, whose replay counts them as bad lines.
        choose('kubernetes', 'audit events (none of the first lines well-formed)');
      } else choose(found.format, found.shape);
      const held = pending;
      pending = [];
      for (const earlier of held) yield* emit(earlier);
      if (found === undefined) continue;
    }
    yield* emit(line);
  }
  if (pending.length > 0) {
    if (!eventLike) throw unknownFormat(pending[0]!);
    choose('kubernetes', 'audit events (none well-formed)');
    for (const earlier of pending) yield* emit(earlier);
  }
  if (document !== undefined) {
    const parsed = parse(document.join('\n'));
    if (!parsed.ok) throw new AuditLogFormatError('the log is neither JSON lines nor one JSON document', UNKNOWN_FIX);
    const records = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
    if (reader === undefined) {
      const found = records.length === 0 ? undefined : detectAuditLogFormat(records[0]);
      if (found === undefined) throw new AuditLogFormatError(`the log is a JSON document whose first record is ${records.length === 0 ? 'missing' : describe(records[0])}, which is in no audit log format the engine reads`, UNKNOWN_FIX);
      choose(found.format, `${found.shape}, in one JSON document`);
    }
    for (const record of records) yield* recordEvents(record);
  }
}

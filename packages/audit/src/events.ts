/**
 * Reading audit events: single log lines, webhook request bodies and whole log streams.
 */
import type { Problem } from '@k8s-gen/runtime';
import { EventSchema } from './generated/audit.k8s.io/v1/schemas/Event.js';
import { EventListSchema } from './generated/audit.k8s.io/v1/schemas/EventList.js';
import type { Event } from './generated/audit.k8s.io/v1/types/Event.js';
import type { EventList } from './generated/audit.k8s.io/v1/types/EventList.js';
import { schemaFindings } from './schema-findings.js';
import { describeValue, toProblem } from './findings.js';

/** The outcome of reading one piece of event input; `problems` explains a failure. */
export type EventParseResult<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

const EVENT_API_VERSION = 'audit.k8s.io/v1';
const LEGACY_EVENT_API_VERSIONS: readonly string[] = ['audit.k8s.io/v1beta1', 'audit.k8s.io/v1alpha1'];

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Brings an event to the v1 shape. v1beta1 and v1alpha1 events carry `metadata` and a
 * second-precision `timestamp` that v1 dropped; v1alpha1 object references hold "group/version"
 * in `apiVersion` instead of separate `apiGroup` and `apiVersion`. Go writes an unset MicroTime as
 * null, which v1 readers treat as absent.
 */
function toV1Event(input: Fields, listApiVersion: string | undefined): Fields {
  let event: Fields = { ...input };
  // Items inside a list may leave out their own type fields; they share the list's version.
  if (listApiVersion !== undefined) {
    event.apiVersion ??= listApiVersion;
    event.kind ??= 'Event';
  }
  const declared = event.apiVersion;
  if (typeof declared === 'string' && LEGACY_EVENT_API_VERSIONS.includes(declared)) {
    const { metadata: _metadata, timestamp, ...rest } = event;
    event = { ...rest, apiVersion: EVENT_API_VERSION };
    if (event.requestReceivedTimestamp === undefined && typeof timestamp === 'string') event.requestReceivedTimestamp = timestamp;
    const ref = event.objectRef;
    if (declared === 'audit.k8s.io/v1alpha1' && isFields(ref) && typeof ref.apiVersion === 'string' && ref.apiGroup === undefined) {
      const slash = ref.apiVersion.lastIndexOf('/');
      if (slash >= 0) event.objectRef = { ...ref, apiGroup: ref.apiVersion.slice(0, slash), apiVersion: ref.apiVersion.slice(slash + 1) };
    }
  }
  if (event.requestReceivedTimestamp === null) delete event.requestReceivedTimestamp;
  if (event.stageTimestamp === null) delete event.stageTimestamp;
  return event;
}

function parseJson(text: string): EventParseResult<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (cause) {
    return {
      ok: false,
      problems: [{ severity: 'error', code: 'invalid-json', path: '', message: `Not valid JSON: ${(cause as Error).message}.`, fix: 'Give one complete JSON object per line.' }],
    };
  }
}

/**
 * Checks and converts one decoded event. Fields this package does not know are accepted (newer
 * apiservers add fields, like `authenticationMetadata` in 1.35); known fields must have the right
 * types.
 */
function checkEvent(value: unknown, listApiVersion?: string): EventParseResult<Event> {
  if (!isFields(value)) {
    return { ok: false, problems: [{ severity: 'error', code: 'not-an-event', path: '', message: `Expected an audit Event object, found ${describeValue(value)}.`, fix: 'Give one JSON object per event.' }] };
  }
  const event = toV1Event(value, listApiVersion);
  const problems = schemaFindings(EventSchema, event, { allowUnknownFields: true }).map(toProblem);
  return problems.length === 0 ? { ok: true, value: event as unknown as Event } : { ok: false, problems };
}

/**
 * Parses one line of a JSON audit log (`--audit-log-format=json`, the default) into a v1 Event.
 * v1beta1 and v1alpha1 events (`--audit-log-version`) are converted to v1. Never throws.
 */
export function parseAuditLogLine(line: string): EventParseResult<Event> {
  const parsed = parseJson(line);
  return parsed.ok ? checkEvent(parsed.value) : parsed;
}

/**
 * Parses the body of an audit webhook request: an EventList, as `audit.k8s.io/v1` or (from older
 * apiservers or `--audit-webhook-version`) v1beta1 or v1alpha1, converted to v1. A problem in any
 * item fails the whole body, with item paths like `items[3].stage`. Never throws.
 *
 * @param body - the raw request body, or a value already decoded from JSON
 */
export function parseWebhookBody(body: string | Uint8Array | unknown): EventParseResult<EventList> {
  let value = body;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const parsed = parseJson(typeof body === 'string' ? body : new TextDecoder().decode(body));
    if (!parsed.ok) return parsed;
    value = parsed.value;
  }
  if (!isFields(value) || !Array.isArray(value.items)) {
    return { ok: false, problems: [{ severity: 'error', code: 'not-an-event-list', path: '', message: `Expected an audit EventList with items, found ${describeValue(value)}.`, fix: 'Send the EventList body that kube-apiserver POSTs to audit webhooks.' }] };
  }
  const listApiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : undefined;
  const legacy = listApiVersion !== undefined && LEGACY_EVENT_API_VERSIONS.includes(listApiVersion);
  const problems: Problem[] = [];
  const items: Event[] = [];
  value.items.forEach((item, i) => {
    const checked = checkEvent(item, listApiVersion);
    if (checked.ok) items.push(checked.value);
    else problems.push(...checked.problems.map((problem) => ({ ...problem, path: problem.path === '' ? `items[${i}]` : `items[${i}].${problem.path}` })));
  });
  const { metadata, ...rest } = value;
  const list = { ...rest, apiVersion: legacy ? EVENT_API_VERSION : listApiVersion, kind: value.kind ?? 'EventList', metadata: metadata ?? {}, items };
  problems.push(...schemaFindings(EventListSchema, { ...list, items: [] }, { allowUnknownFields: true }).map(toProblem));
  return problems.length === 0 ? { ok: true, value: list as unknown as EventList } : { ok: false, problems };
}

/** One event read from a log, with the (1-based) line it came from. */
export interface AuditLogEntry {
  /** 1-based line number in the log. */
  line: number;
  /** The event on that line, converted to v1. */
  event: Event;
}

/** Options for {@link readAuditLog}. */
export interface ReadAuditLogOptions {
  /** File name put on problems. */
  file?: string;
  /** How many bad lines keep their problems in {@link AuditLogReader.problems}; the rest are only counted. Default 100. */
  maxProblems?: number;
}

/**
 * Reads a JSON audit log line by line. Iterate it once with `for await`; lines that are not valid
 * events are skipped and counted, never thrown. After (or during) iteration, the counters tell how
 * the read went.
 */
export class AuditLogReader implements AsyncIterable<AuditLogEntry> {
  /** Lines read so far, blank lines included. */
  lines = 0;
  /** Events yielded so far. */
  events = 0;
  /** Lines that were neither blank nor a valid event. */
  badLines = 0;
  /** The problems of the first bad lines (see {@link ReadAuditLogOptions.maxProblems}), each with its line. */
  readonly problems: Problem[] = [];

  /**
   * @param source - the log: a readable stream or any async iterable of text or byte chunks
   * @param options - file name for problems and how many problems to keep
   */
  constructor(
    private readonly source: AsyncIterable<string | Uint8Array>,
    private readonly options: ReadAuditLogOptions = {},
  ) {}

  /** Yields each valid event with its line number, counting the lines that are not. */
  async *[Symbol.asyncIterator](): AsyncIterator<AuditLogEntry> {
    const maxProblems = this.options.maxProblems ?? 100;
    // Loaded here rather than imported at the top, so that a browser bundle of this package (the
    // builders, validate, parsePolicy) has no static import of a Node built-in: Rollup and Vite refuse those.
    const [{ createInterface }, { Readable }] = await Promise.all([import('node:readline'), import('node:stream')]);
    const lines = createInterface({ input: Readable.from(this.source), crlfDelay: Infinity });
    for await (const text of lines) {
      const line = ++this.lines;
      if (text.trim() === '') continue;
      const parsed = parseAuditLogLine(text);
      if (parsed.ok) {
        this.events++;
        yield { line, event: parsed.value };
        continue;
      }
      this.badLines++;
      if (this.badLines <= maxProblems) {
        const file = this.options.file === undefined ? {} : { file: this.options.file };
        this.problems.push(...parsed.problems.map((problem) => ({ ...problem, ...file, line })));
      }
    }
  }
}

/**
 * Reads audit events from a stream (a file stream, stdin, or any async iterable of text chunks).
 *
 * @example
 * const log = readAuditLog(fs.createReadStream('audit.log'));
 * for await (const { line, event } of log) console.log(line, event.verb, event.requestURI);
 * console.log(`${log.badLines} bad lines`);
 */
export function readAuditLog(stream: AsyncIterable<string | Uint8Array>, options: ReadAuditLogOptions = {}): AuditLogReader {
  return new AuditLogReader(stream, options);
}

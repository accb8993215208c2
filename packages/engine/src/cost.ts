// Replays a real audit log through a candidate policy and reports what the candidate would log:
// events and bytes per level, rule, user, resource and verb, against what the log itself holds.
// Streaming with bounded state: per-request state is evicted when a request completes, breakdown
// tables stop growing at a key limit, and bad lines (too long, not JSON, not an event of the
// right shape) are counted with a sample, never fatal; a log that ends early (a truncated gzip
// file) gives the report of what was read and says where it stopped.
import type { Level, Policy } from '@k8s-gen/audit';
import { evaluate, LEVEL_ORDER, levelRank, type EvaluateOptions, type Evaluation } from './evaluate.js';
import { isLongRunning, type RequestAttributes } from './request.js';
import { DEFAULT_MAX_LINE_BYTES, type LogReadStatus, type LogSource, type ProgressCallback } from './cost-input.js';
import { auditEventLines, newFormatStatus, type AuditLogFormat, type AuditLogFormatStatus } from './log-formats/index.js';
import { policyFilter } from '@k8s-gen/collectors';

const { requestFieldsFromEvent } = policyFilter;

/** Options of {@link costReplay}. */
export interface CostReplayOptions extends EvaluateOptions {
  /** The candidate policy every request of the log is evaluated against. */
  policy: Policy;
  /**
   * The audit log: a file path (JSON lines, `.gz` or gzip content decompressed), or an async
   * iterable of lines. Each line is one Event, or one EventList as a webhook receives it, or a
   * record of a managed cluster's log (EKS, GKE, AKS; see `format`).
   */
  log: LogSource;
  /**
   * The log's format: `kubernetes` (the apiserver's own), `eks`, `gke`, `aks`, or `auto` (default),
   * recognised from the first record.
   */
  format?: AuditLogFormat | 'auto';
  /** Progress as the input is read (drives the CLI's progress bar). */
  onProgress?: ProgressCallback;
  /** Rows kept per breakdown, largest first (default 20). */
  top?: number;
  /** Requests whose completion is awaited at once before the oldest is forgotten (default 100000). */
  maxOpenRequests?: number;
  /** Distinct keys per breakdown before further keys are pooled as `(other)` (default 10000). */
  maxKeys?: number;
  /**
   * Lines longer than this many bytes are counted as bad lines without being read whole, so
   * memory stays bounded (default {@link DEFAULT_MAX_LINE_BYTES}, 16 MiB).
   */
  maxLineBytes?: number;
}

/** An amount of audit output. Per-second figures use the log's time span. */
export interface Volume {
  events: number;
  bytes: number;
  eventsPerSecond?: number;
  bytesPerSecond?: number;
}

/** The candidate's output; parts of it may be estimates rather than measurements. */
export interface CandidateVolume extends Volume {
  /** True when any part of the figures is estimated (bodies the log does not carry, stages it omitted). */
  estimated: boolean;
  estimatedEvents: number;
  estimatedBytes: number;
}

/** One key of a breakdown (a user, a rule...) with the log's and the candidate's output for it. */
export interface CostRow {
  key: string;
  log: Volume;
  candidate: CandidateVolume;
  /** candidate bytes − log bytes (negative: the candidate logs less). */
  deltaBytes: number;
}

/** A breakdown of the output by one dimension. */
export interface CostBreakdown {
  /** The largest rows by bytes (the larger of log and candidate), then by key. */
  rows: CostRow[];
  /** Keys left out of `rows` because of `top`. */
  omittedRows: number;
  /** True when the key limit was reached and later keys were pooled as `(other)`. */
  pooled: boolean;
}

/** A breakdown key that contributes most to the candidate's output or to its change. */
export interface Contributor {
  dimension: CostDimension;
  key: string;
  bytes: number;
  events: number;
}

/** The dimensions of the breakdowns. */
export type CostDimension = 'logLevel' | 'stage' | 'level' | 'rule' | 'user' | 'resource' | 'verb';

/** The result of a replay. */
export interface CostReport {
  input: {
    lines: number;
    bytesRead: number;
    /** Lines that are too long, not JSON, or not an audit Event or EventList of the right shape. */
    badLines: number;
    /** The first few bad lines (1-based line numbers) and why; they never quote the line, which may hold secrets. */
    badLineSamples: Array<{ line: number; message: string }>;
    /**
     * Set when the log ended early (a truncated or corrupt gzip file, a read error): everything
     * else in the report is what was read before that point.
     */
    stopped?: {
      /** What went wrong. */
      message: string;
      /** Bytes of the file consumed when reading stopped (compressed bytes for gzip input). */
      inputOffset: number;
      /** Bytes of log text read before it stopped. */
      textOffset: number;
      /** True when the file is gzip-compressed. */
      gzip: boolean;
      /** Lines read before it stopped; the last one, cut short, is usually a bad line. */
      line: number;
    };
    events: number;
    /**
     * Requests (audit IDs). A request still open when `maxOpenRequests` newer ones are open is
     * forgotten, and counted again if more of its events follow.
     */
    requests: number;
    eventLists: number;
    /** The log's format and what was read of it (records, skipped records, what the format lacks). */
    format: AuditLogFormatStatus;
  };
  /** First and last stageTimestamp seen, and the seconds between them. */
  window: { start?: string; end?: string; seconds?: number };
  log: Volume;
  candidate: CandidateVolume;
  /** What the candidate would stop logging and what it would add, relative to the log. */
  change: { droppedEvents: number; droppedBytes: number; addedEvents: number; addedBytes: number };
  breakdowns: Record<CostDimension, CostBreakdown>;
  largest: { candidate: Contributor[]; dropped: Contributor[]; added: Contributor[] };
  /** Events whose candidate bodies had nothing similar in the log to be estimated from (counted as 0 bytes). */
  unknownBodies: number;
}

/** The fields of a logged audit event (audit.k8s.io/v1 Event) that the replay reads; the rest are ignored. */
export interface LoggedAuditEvent {
  kind?: unknown;
  level?: unknown;
  auditID?: unknown;
  stage?: unknown;
  requestURI?: unknown;
  verb?: unknown;
  user?: { username?: string; groups?: string[] };
  objectRef?: { resource?: string; namespace?: string; name?: string; apiGroup?: string; apiVersion?: string; subresource?: string };
  responseStatus?: unknown;
  requestObject?: unknown;
  responseObject?: unknown;
  annotations?: unknown;
  stageTimestamp?: unknown;
  items?: unknown;
}

/** The breakdown dimensions, in the order reports list them. */
export const DIMENSIONS: readonly CostDimension[] = ['logLevel', 'stage', 'level', 'rule', 'user', 'resource', 'verb'];
const OTHER = '(other)';
/** Distinct `resource|verb` keys remembered for estimates; kinds of request, so far below this in practice. */
const SIMILAR_KEY_LIMIT = 50000;
const STAGE_BIT: Record<string, number> = { RequestReceived: 1, ResponseStarted: 2, ResponseComplete: 4, Panic: 8 };
const REQUEST_RANK = levelRank('Request');
const RESPONSE_RANK = levelRank('RequestResponse');

/** Running totals of one breakdown key. */
export class Tally {
  logEvents = 0;
  logBytes = 0;
  events = 0;
  bytes = 0;
  estimatedEvents = 0;
  estimatedBytes = 0;
  droppedEvents = 0;
  droppedBytes = 0;
  addedEvents = 0;
  addedBytes = 0;
  constructor(readonly key: string) {}

  add(logBytes: number, bytes: number, emitted: boolean, estimated: boolean): void {
    if (logBytes > 0) {
      this.logEvents += 1;
      this.logBytes += logBytes;
    }
    if (!emitted) {
      if (logBytes > 0) {
        this.droppedEvents += 1;
        this.droppedBytes += logBytes;
      }
      return;
    }
    this.events += 1;
    this.bytes += bytes;
    if (estimated) {
      this.estimatedEvents += 1;
      this.estimatedBytes += bytes;
    }
    if (logBytes === 0) {
      this.addedEvents += 1;
      this.addedBytes += bytes;
    } else if (bytes > logBytes) this.addedBytes += bytes - logBytes;
    else this.droppedBytes += logBytes - bytes;
  }
}

/** A bounded table of tallies for one dimension. */
class Table {
  readonly tallies = new Map<string, Tally>();
  pooled = false;
  constructor(private readonly maxKeys: number) {}
  get(key: string): Tally {
    let tally = this.tallies.get(key);
    if (tally) return tally;
    if (this.tallies.size >= this.maxKeys) {
      this.pooled = true;
      key = OTHER;
      tally = this.tallies.get(key);
      if (tally) return tally;
    }
    tally = new Tally(key);
    this.tallies.set(key, tally);
    return tally;
  }
}

/** What the replay remembers about a request until its last stage has been seen. */
interface OpenRequest {
  level: Level;
  omitted: number;
  omitManagedFields: boolean;
  /** Tallies of the request, one per dimension except logLevel and stage (those vary per event). */
  tallies: Tally[];
  seenStages: number;
  /** Keys of similar events for body estimates: `resource|verb`, then the verb alone. */
  similarByResource: string;
  similarByVerb: string;
}

/** Body sizes learned from events that carried them, for estimating bodies the log lacks. */
class BodySizes {
  private readonly sums = new Map<string, { bytes: number; count: number }>();
  constructor(private readonly maxKeys: number) {}

  learn(kind: 'req' | 'resp', request: OpenRequest, stage: string, bytes: number): void {
    this.add(`${kind}|${stage}|${request.similarByResource}`, bytes);
    this.add(`${kind}|${stage}|*|${request.similarByVerb}`, bytes);
  }

  /** The average body of similar events (same resource and verb, else same verb), or undefined. */
  estimate(kind: 'req' | 'resp', request: OpenRequest, stage: string): number | undefined {
    const entry = this.sums.get(`${kind}|${stage}|${request.similarByResource}`) ?? this.sums.get(`${kind}|${stage}|*|${request.similarByVerb}`);
    return entry ? entry.bytes / entry.count : undefined;
  }

  private add(key: string, bytes: number): void {
    let entry = this.sums.get(key);
    if (!entry) {
      if (this.sums.size >= this.maxKeys) return;
      entry = { bytes: 0, count: 0 };
      this.sums.set(key, entry);
    }
    entry.bytes += bytes;
    entry.count += 1;
  }
}

/**
 * Remembers the candidate's decision per distinct combination of the attributes a policy rule can
 * look at (user, groups, verb, namespace, group, resource, subresource, name; path for
 * non-resource requests). Real logs repeat these combinations constantly, so most requests skip
 * rule matching. Cleared when full, so memory stays bounded.
 */
class EvaluationCache {
  private readonly decisions = new Map<string, Evaluation>();
  constructor(
    private readonly policy: Policy,
    private readonly options: EvaluateOptions,
    private readonly limit = 20000,
  ) {}

  evaluate(attributes: RequestAttributes): Evaluation {
    const user = attributes.user;
    const key = [
      user === undefined ? '\u0001' : user.name,
      user === undefined ? '' : user.groups.join('\u0000'),
      attributes.verb,
      attributes.isResourceRequest
        ? `r\u0000${attributes.namespace}\u0000${attributes.apiGroup}\u0000${attributes.resource}\u0000${attributes.subresource}\u0000${attributes.name}`
        : `n\u0000${attributes.path}`,
    ].join('\u0002');
    let decision = this.decisions.get(key);
    if (decision === undefined) {
      if (this.decisions.size >= this.limit) this.decisions.clear();
      decision = evaluate(this.policy, attributes, this.options);
      this.decisions.set(key, decision);
    }
    return decision;
  }
}

/**
 * Streams an audit log through a candidate policy. For each request (one audit ID) the attributes
 * are rebuilt from its events (verb, objectRef, user, request URI), the candidate decides the level
 * and omitted stages, and each logged event is costed at the candidate's level: measured from the
 * line when the log carries at least that much, estimated from similar events when it does not.
 */
export async function costReplay(options: CostReplayOptions): Promise<CostReport> {
  const replay = new Replay(options);
  const status: LogReadStatus = { peakLineBufferBytes: 0 };
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const formatStatus = newFormatStatus();
  const reading = { maxLineBytes, status, formatStatus, ...(options.format !== undefined ? { format: options.format } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) };
  for await (const line of auditEventLines(options.log, reading)) {
    if (line.text === undefined) replay.overlong(line.bytes, line.head, maxLineBytes);
    else replay.line(line.text, line.bytes);
  }
  const report = replay.report(formatStatus);
  if (status.stopped) report.input.stopped = { ...status.stopped, line: report.input.lines };
  return report;
}

class Replay {
  private readonly tables: Record<CostDimension, Table>;
  private readonly open = new Map<string, OpenRequest>();
  private readonly evaluations: EvaluationCache;
  private readonly bodies: BodySizes;
  private readonly maxOpen: number;
  private lines = 0;
  private bytesRead = 0;
  private badLines = 0;
  private readonly badLineSamples: Array<{ line: number; message: string }> = [];
  private events = 0;
  private requests = 0;
  private eventLists = 0;
  private unknownBodies = 0;
  /** `resource|verb` keys for which the log holds RequestReceived events (bounded like the tables). */
  private readonly logsRequestReceived = new Set<string>();
  /** Set while costing an event when part of its size had to be estimated. */
  private estimatedBodies = false;
  private start: string | undefined;
  private end: string | undefined;
  private readonly total = new Tally('');

  constructor(private readonly options: CostReplayOptions) {
    const maxKeys = options.maxKeys ?? 10000;
    this.tables = Object.fromEntries(DIMENSIONS.map((d) => [d, new Table(maxKeys)])) as Record<CostDimension, Table>;
    this.bodies = new BodySizes(SIMILAR_KEY_LIMIT);
    this.maxOpen = options.maxOpenRequests ?? 100000;
    this.evaluations = new EvaluationCache(options.policy, options.kubernetesVersion !== undefined ? { kubernetesVersion: options.kubernetesVersion } : {});
  }

  line(text: string, bytes: number): void {
    this.lines += 1;
    this.bytesRead += bytes + 1;
    // Fast path: cut the body members out of the line before parsing, so JSON.parse only reads
    // the event's metadata. Their sizes come from the cut itself.
    const layout = findBodies(text);
    if (layout !== undefined && layout.endAt >= 0) {
      const first = layout.requestAt >= 0 ? layout.requestAt : layout.responseAt;
      const head = parseOrUndefined(text.slice(0, first) + text.slice(layout.endAt)) as LoggedAuditEvent | undefined;
      if (head !== undefined && head !== null && typeof head === 'object' && head.kind !== 'EventList' && head.requestObject === undefined && head.responseObject === undefined) {
        const problem = this.event(head, text, bytes + 1, layout);
        if (problem) this.bad(problem);
        return;
      }
    }
    const parsed = parseOrUndefined(text);
    // The parser's message would quote the line, which may hold secrets from request bodies.
    if (parsed === undefined) return this.bad('not JSON (cut short or corrupted)');
    if (typeof parsed !== 'object' || parsed === null) return this.bad('not a JSON object');
    const document = parsed as LoggedAuditEvent;
    if (document.kind === 'EventList') {
      if (!Array.isArray(document.items)) return this.bad('EventList without an items array');
      this.eventLists += 1;
      for (const item of document.items as unknown[]) {
        // EventList items have no line of their own: their size is measured by encoding them
        // (without their text when they are nested too deeply for JSON.stringify).
        const itemText = encodeOrUndefined(item);
        const problem =
          itemText === undefined
            ? this.event(item as LoggedAuditEvent, '', jsonBytes(item) + 1, undefined)
            : this.event(item as LoggedAuditEvent, itemText, Buffer.byteLength(itemText) + 1, findBodies(itemText));
        if (problem) this.bad(`EventList item: ${problem}`);
      }
      return;
    }
    const problem = this.event(document, text, bytes + 1, layout);
    if (problem) this.bad(problem);
  }

  /** A line over the size limit: counted as bad, identified by its audit ID when its first bytes show one. */
  overlong(bytes: number, head: string, limit: number): void {
    this.lines += 1;
    this.bytesRead += bytes + 1;
    // Audit IDs are UUIDs; nothing else of the line is quoted (it may hold secrets).
    const id = /"auditID":"([0-9a-fA-F-]{1,64})"/.exec(head)?.[1];
    this.bad(`the line is ${bytes} bytes, over the limit of ${limit} (maxLineBytes, --max-line-bytes), and was skipped without being read${id ? `; auditID ${id}` : ''}`);
  }

  private bad(message: string): void {
    this.badLines += 1;
    if (this.badLineSamples.length < 10) this.badLineSamples.push({ line: this.lines, message });
  }

  /**
   * Costs one event; `bytes` includes the newline, `layout` locates its bodies in `text`
   * (undefined when the layout is not the apiserver's). Returns why the event was rejected, if it was.
   */
  private event(event: LoggedAuditEvent, text: string, bytes: number, layout: BodyLayout | undefined): string | undefined {
    const problem = shapeProblem(event);
    if (problem !== undefined) return problem;
    const { auditID, stage, verb, level } = event as LoggedAuditEvent & { auditID: string; stage: string; verb: string; level: string };
    const bit = STAGE_BIT[stage] as number;
    this.events += 1;
    const timestamp = event.stageTimestamp;
    if (typeof timestamp === 'string') {
      // RFC 3339 UTC timestamps with fixed digits order as strings.
      if (this.start === undefined || timestamp < this.start) this.start = timestamp;
      if (this.end === undefined || timestamp > this.end) this.end = timestamp;
    }

    let request = this.open.get(auditID);
    if (!request) {
      request = this.openRequest(event, verb);
      this.requests += 1;
      if (this.open.size >= this.maxOpen) this.open.delete(this.open.keys().next().value as string);
      this.open.set(auditID, request);
    }
    const bodies: EventBodies = { event, text, layout, ...bodySpans(event, text, bytes, layout) };
    if (bodies.request > 0) this.bodies.learn('req', request, stage, bodies.request);
    if (bodies.response > 0) this.bodies.learn('resp', request, stage, bodies.response);
    const perEvent = [this.tables.logLevel.get(level), this.tables.stage.get(stage)] as const;
    if (request.level !== 'None' && (request.omitted & bit) === 0) {
      const cost = this.costAtCandidateLevel(bodies, bytes, level, request, stage);
      this.record(request.tallies, perEvent, bytes, cost, true);
    } else {
      this.record(request.tallies, perEvent, bytes, 0, false);
    }

    // A request whose ResponseComplete (or Panic) arrives without its RequestReceived was logged by
    // a policy that omits that stage; the candidate may log it. Its size is estimated as this
    // event's at the candidate level, without the response body.
    const final = bit === 4 || bit === 8;
    if (bit === 1 && this.logsRequestReceived.size < SIMILAR_KEY_LIMIT) this.logsRequestReceived.add(request.similarByResource);
    if (
      final &&
      (request.seenStages & 1) === 0 &&
      request.level !== 'None' &&
      (request.omitted & 1) === 0 &&
      // A request evicted while open (a long watch) also arrives without its RequestReceived; only
      // infer the stage for kinds of request the log never showed it for.
      !this.logsRequestReceived.has(request.similarByResource)
    ) {
      const atLevel = this.costAtCandidateLevel(bodies, bytes, level, request, 'RequestReceived');
      // RequestReceived carries no response body, no responseStatus and no annotations yet.
      const responseParts = (levelRank(request.level) >= RESPONSE_RANK ? bodies.response : 0) + memberBytes('responseStatus', event.responseStatus) + memberBytes('annotations', event.annotations);
      this.estimatedBodies = true;
      this.record(request.tallies, [this.tables.stage.get('RequestReceived')], 0, Math.max(0, atLevel - responseParts), true);
    }
    request.seenStages |= bit;
    // A failed authentication emits a lone ResponseStarted without a user: nothing else will follow.
    if (final || (bit === 2 && !event.user?.username)) this.open.delete(auditID);
    return undefined;
  }

  private openRequest(event: LoggedAuditEvent, verb: string): OpenRequest {
    const attributes = attributesFromEvent(event);
    const evaluation = this.evaluations.evaluate(attributes);
    let omitted = 0;
    for (const stage of evaluation.omitStages) omitted |= STAGE_BIT[stage] ?? 0;
    const resource = resourceKey(attributes);
    const keys: Record<Exclude<CostDimension, 'logLevel' | 'stage'>, string> = {
      level: evaluation.level,
      rule: evaluation.ruleIndex === undefined ? '(no rule: None)' : `rules[${evaluation.ruleIndex}]`,
      user: attributes.user?.name ?? '(unauthenticated)',
      resource,
      verb,
    };
    return {
      level: evaluation.level,
      omitted,
      omitManagedFields: evaluation.omitManagedFields,
      tallies: [this.total, this.tables.level.get(keys.level), this.tables.rule.get(keys.rule), this.tables.user.get(keys.user), this.tables.resource.get(keys.resource), this.tables.verb.get(keys.verb)],
      seenStages: 0,
      similarByResource: `${resource}|${verb}`,
      similarByVerb: verb,
    };
  }

  /**
   * Adds one logged event (logBytes > 0) or one event only the candidate has (logBytes 0) to the
   * request's tallies and to the per-event ones (log level, stage).
   */
  private record(tallies: readonly Tally[], perEvent: readonly Tally[], logBytes: number, bytes: number, emitted: boolean): void {
    const estimated = this.estimatedBodies;
    this.estimatedBodies = false;
    for (const tally of tallies) tally.add(logBytes, bytes, emitted, estimated);
    for (const tally of perEvent) tally.add(logBytes, bytes, emitted, estimated);
  }

  /**
   * The size the event would have at the candidate's level. Lower level: the body members are cut
   * out of the line by their exact span, so nothing is re-serialised. Higher level: bodies the log
   * lacks are estimated from events of the same resource and verb (then the same verb) that carried
   * them, and the result is marked estimated.
   */
  private costAtCandidateLevel(bodies: EventBodies, bytes: number, logLevel: string, request: OpenRequest, stage: string): number {
    const candidateRank = levelRank(request.level);
    const logRank = levelRank(logLevel);
    let size = bytes + request.level.length - logLevel.length;
    if (candidateRank < RESPONSE_RANK) size -= bodies.response;
    if (candidateRank < REQUEST_RANK) size -= bodies.request;
    if (candidateRank > logRank) {
      // Non-resource requests never carry bodies, so only resource requests need a guess.
      if (bodies.event.objectRef) {
        if (candidateRank >= REQUEST_RANK && logRank < REQUEST_RANK) size += this.guess('req', request, stage);
        if (candidateRank >= RESPONSE_RANK && logRank < RESPONSE_RANK && stage !== 'RequestReceived') size += this.guess('resp', request, stage);
        this.estimatedBodies = true;
      }
    } else if (request.omitManagedFields && candidateRank >= REQUEST_RANK) {
      size -= managedFieldsBytes(bodyValue(bodies, 'request')) + (candidateRank >= RESPONSE_RANK ? managedFieldsBytes(bodyValue(bodies, 'response')) : 0);
    }
    return size;
  }

  private guess(kind: 'req' | 'resp', request: OpenRequest, stage: string): number {
    const average = this.bodies.estimate(kind, request, stage);
    if (average === undefined) this.unknownBodies += 1;
    return average ?? 0;
  }

  report(format: AuditLogFormatStatus): CostReport {
    return assembleReport({
      tables: this.tables,
      total: this.total,
      input: { lines: this.lines, bytesRead: this.bytesRead, badLines: this.badLines, badLineSamples: this.badLineSamples, events: this.events, requests: this.requests, eventLists: this.eventLists, format },
      start: this.start,
      end: this.end,
      top: this.options.top ?? 20,
      unknownBodies: this.unknownBodies,
    });
  }
}

/** What a report is made of, however the tallies were counted (this replay, or a SQL engine's rows). */
export interface ReportParts {
  tables: Record<CostDimension, { tallies: ReadonlyMap<string, Tally>; pooled: boolean }>;
  total: Tally;
  input: CostReport['input'];
  start: string | undefined;
  end: string | undefined;
  top: number;
  unknownBodies: number;
}

/** Sorts the breakdowns, picks the largest contributors and computes per-second figures. */
export function assembleReport(parts: ReportParts): CostReport {
  const seconds = parts.start !== undefined && parts.end !== undefined ? (Date.parse(parts.end) - Date.parse(parts.start)) / 1000 : undefined;
  const perSecond = seconds !== undefined && seconds > 0 ? seconds : undefined;
  const top = parts.top;
  const toRow = (tally: Tally): CostRow => ({
    key: tally.key,
    log: volume(tally.logEvents, tally.logBytes, perSecond),
    candidate: { ...volume(tally.events, tally.bytes, perSecond), estimated: tally.estimatedEvents > 0, estimatedEvents: tally.estimatedEvents, estimatedBytes: tally.estimatedBytes },
    deltaBytes: tally.bytes - tally.logBytes,
  });
  const breakdowns = {} as Record<CostDimension, CostBreakdown>;
  const contributors: Record<'candidate' | 'dropped' | 'added', Contributor[]> = { candidate: [], dropped: [], added: [] };
  for (const dimension of DIMENSIONS) {
    const table = parts.tables[dimension];
    const sorted = [...table.tallies.values()].sort((a, b) => Math.max(b.bytes, b.logBytes) - Math.max(a.bytes, a.logBytes) || compareKeys(a.key, b.key));
    breakdowns[dimension] = { rows: sorted.slice(0, top).map(toRow), omittedRows: Math.max(0, sorted.length - top), pooled: table.pooled };
    if (dimension === 'logLevel' || dimension === 'stage') continue;
    for (const tally of table.tallies.values()) {
      contributors.candidate.push({ dimension, key: tally.key, bytes: tally.bytes, events: tally.events });
      contributors.dropped.push({ dimension, key: tally.key, bytes: tally.droppedBytes, events: tally.droppedEvents });
      contributors.added.push({ dimension, key: tally.key, bytes: tally.addedBytes, events: tally.addedEvents });
    }
  }
  const largest = (list: Contributor[]): Contributor[] =>
    list
      .filter((c) => c.bytes > 0)
      .sort((a, b) => b.bytes - a.bytes || compareKeys(a.dimension, b.dimension) || compareKeys(a.key, b.key))
      .slice(0, top);
  const total = parts.total;
  return {
    input: parts.input,
    window: { ...(parts.start !== undefined ? { start: parts.start } : {}), ...(parts.end !== undefined ? { end: parts.end } : {}), ...(seconds !== undefined ? { seconds } : {}) },
    log: volume(total.logEvents, total.logBytes, perSecond),
    candidate: { ...volume(total.events, total.bytes, perSecond), estimated: total.estimatedEvents > 0, estimatedEvents: total.estimatedEvents, estimatedBytes: total.estimatedBytes },
    change: { droppedEvents: total.droppedEvents, droppedBytes: total.droppedBytes, addedEvents: total.addedEvents, addedBytes: total.addedBytes },
    breakdowns,
    largest: { candidate: largest(contributors.candidate), dropped: largest(contributors.dropped), added: largest(contributors.added) },
    unknownBodies: parts.unknownBodies,
  };
}

function volume(events: number, bytes: number, seconds: number | undefined): Volume {
  return seconds === undefined ? { events, bytes } : { events, bytes, eventsPerSecond: events / seconds, bytesPerSecond: bytes / seconds };
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Request attributes as the policy checker saw them, rebuilt from a logged event: the user
 * (absent for failed authentication, whose events carry no user name), the verb, the objectRef of
 * resource requests and the URL path of non-resource requests. The fields come from
 * `requestFieldsFromEvent` of @k8s-gen/collectors, the one home of that derivation, which the
 * compiled Fluent Bit and Vector policy filters follow too; this adds the long-running flag.
 *
 * @example
 * ```ts
 * attributesFromEvent({ verb: 'watch', requestURI: '/api/v1/pods?watch=1', objectRef: { resource: 'pods' }, user: { username: 'a' } }).longRunning; // true
 * ```
 */
export function attributesFromEvent(event: LoggedAuditEvent): RequestAttributes {
  const attributes = requestFieldsFromEvent(event) as RequestAttributes;
  attributes.longRunning = isLongRunning(attributes);
  attributes.panicked = false;
  return attributes;
}

/** The path of a Namespace object and of its subresources, before the namespace's name (the SQL compiler's copy of the rule needs it). */
export const { NAMESPACE_OBJECT_PREFIX } = policyFilter;

/** Stages an event can have, for messages. */
const STAGES = Object.keys(STAGE_BIT);

/**
 * Why an event is not one the replay can read: a required field missing, or a field it reads of
 * the wrong type (`"objectRef": null`, `"groups": "x"`, a string where an object belongs).
 * Undefined when it is fine. Values are quoted only when short and expected to be names.
 */
function shapeProblem(event: unknown): string | undefined {
  if (!isRecord(event)) return `the event is ${kindOf(event)}, not an object`;
  for (const key of ['auditID', 'stage', 'verb', 'level'] as const) {
    const value = event[key];
    if (typeof value !== 'string') return value === undefined ? `${key} is missing` : `${key} is ${kindOf(value)}, not a string`;
  }
  if (event.kind !== undefined && event.kind !== 'Event') return typeof event.kind === 'string' ? `kind is ${short(event.kind)}, not Event` : `kind is ${kindOf(event.kind)}, not a string`;
  if (STAGE_BIT[event.stage as string] === undefined) return `unknown stage ${short(event.stage as string)} (one of ${STAGES.join(', ')})`;
  if (!LEVEL_ORDER.includes(event.level as Level)) return `unknown level ${short(event.level as string)} (one of ${LEVEL_ORDER.join(', ')})`;
  for (const key of ['requestURI', 'stageTimestamp'] as const) {
    if (event[key] !== undefined && typeof event[key] !== 'string') return `${key} is ${kindOf(event[key])}, not a string`;
  }
  const user = event.user;
  if (user !== undefined) {
    if (!isRecord(user)) return `user is ${kindOf(user)}, not an object`;
    if (user.username !== undefined && typeof user.username !== 'string') return `user.username is ${kindOf(user.username)}, not a string`;
    if (user.groups !== undefined) {
      if (!Array.isArray(user.groups)) return `user.groups is ${kindOf(user.groups)}, not a list of strings`;
      const at = user.groups.findIndex((group) => typeof group !== 'string');
      if (at >= 0) return `user.groups[${at}] is ${kindOf(user.groups[at])}, not a string`;
    }
  }
  const ref = event.objectRef;
  if (ref !== undefined) {
    if (!isRecord(ref)) return `objectRef is ${kindOf(ref)}, not an object`;
    for (const key of ['resource', 'namespace', 'name', 'apiGroup', 'apiVersion', 'subresource'] as const) {
      if (ref[key] !== undefined && typeof ref[key] !== 'string') return `objectRef.${key} is ${kindOf(ref[key])}, not a string`;
    }
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `null`, `a list`, `a number`...: what a JSON value is, for messages. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A name from the log in quotes, cut to 40 characters. */
function short(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
}

function resourceKey(attributes: RequestAttributes): string {
  if (!attributes.isResourceRequest) return attributes.path || '(no path)';
  const resource = attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : attributes.resource;
  return attributes.apiGroup ? `${attributes.apiGroup}/${resource}` : resource;
}

/** Bytes of the requestObject and responseObject members of an event line (0 when absent). */
interface BodySpans {
  request: number;
  response: number;
}

/**
 * Where the body members sit in an event's text: offsets of `,"requestObject":` and
 * `,"responseObject":` (-1 when absent) and of the member after them (-1 when there are no bodies).
 */
interface BodyLayout {
  requestAt: number;
  responseAt: number;
  endAt: number;
}

/** An event's bodies: their sizes, and where to read them from when their content is needed. */
interface EventBodies extends BodySpans {
  event: LoggedAuditEvent;
  text: string;
  layout: BodyLayout | undefined;
}

const REQUEST_KEY = ',"requestObject":';
const RESPONSE_KEY = ',"responseObject":';
const AFTER_BODIES = [',"requestReceivedTimestamp":', ',"stageTimestamp":', ',"annotations":'];
const NO_BODIES: BodyLayout = { requestAt: -1, responseAt: -1, endAt: -1 };

/**
 * Finds the body members by their keys, in the apiserver's field order (bodies come right before
 * requestReceivedTimestamp). A `"` inside a JSON string is always escaped, so the key text can
 * only be a real key. Undefined when a body key is there but the member after the bodies is not.
 */
function findBodies(text: string): BodyLayout | undefined {
  const requestAt = text.indexOf(REQUEST_KEY);
  const responseAt = text.indexOf(RESPONSE_KEY, requestAt < 0 ? 0 : requestAt);
  if (requestAt < 0 && responseAt < 0) return NO_BODIES;
  const last = Math.max(requestAt, responseAt);
  for (const key of AFTER_BODIES) {
    const endAt = text.lastIndexOf(key);
    if (endAt > last) return { requestAt, responseAt, endAt };
  }
  return undefined;
}

/**
 * Bytes the body members take in the line, key included: from the layout when the event's
 * bodies are where the layout says, otherwise by encoding the parsed bodies.
 */
function bodySpans(event: LoggedAuditEvent, text: string, bytes: number, layout: BodyLayout | undefined): BodySpans {
  const parsedBodies = event.requestObject !== undefined || event.responseObject !== undefined;
  const layoutAgrees = layout !== undefined && (!parsedBodies || ((event.requestObject !== undefined) === layout.requestAt >= 0 && (event.responseObject !== undefined) === layout.responseAt >= 0));
  if (!layoutAgrees) {
    return {
      request: event.requestObject !== undefined ? REQUEST_KEY.length + jsonBytes(event.requestObject) : 0,
      response: event.responseObject !== undefined ? RESPONSE_KEY.length + jsonBytes(event.responseObject) : 0,
    };
  }
  if (layout.endAt < 0) return { request: 0, response: 0 };
  const ascii = bytes - 1 === text.length;
  const size = (from: number, to: number): number => (ascii ? to - from : Buffer.byteLength(text.slice(from, to)));
  return {
    request: layout.requestAt >= 0 ? size(layout.requestAt, layout.responseAt >= 0 ? layout.responseAt : layout.endAt) : 0,
    response: layout.responseAt >= 0 ? size(layout.responseAt, layout.endAt) : 0,
  };
}

/** A body's content: the parsed value, or parsed from its span when the fast path cut it out. */
function bodyValue(bodies: EventBodies, which: 'request' | 'response'): unknown {
  const parsed = which === 'request' ? bodies.event.requestObject : bodies.event.responseObject;
  const layout = bodies.layout;
  if (parsed !== undefined || layout === undefined || layout.endAt < 0) return parsed;
  const start = which === 'request' ? layout.requestAt : layout.responseAt;
  if (start < 0) return undefined;
  const end = which === 'request' && layout.responseAt >= 0 ? layout.responseAt : layout.endAt;
  return parseOrUndefined(bodies.text.slice(start + (which === 'request' ? REQUEST_KEY : RESPONSE_KEY).length, end));
}

/** JSON.parse that returns undefined instead of throwing. */
function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Bytes a member `,"name":value` takes when encoded (0 when absent). */
function memberBytes(name: string, value: unknown): number {
  return value === undefined ? 0 : name.length + 4 + jsonBytes(value);
}

/**
 * Bytes `metadata.managedFields` takes in a body and in the items of lists in it (lists of lists
 * too), key and comma included. Walks the items with a stack: nesting depth is the log's choice.
 */
function managedFieldsBytes(body: unknown): number {
  let total = 0;
  const pending: unknown[] = [body];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== 'object' || value === null) continue;
    const record = value as { metadata?: { managedFields?: unknown }; items?: unknown };
    const managed = typeof record.metadata === 'object' && record.metadata !== null ? record.metadata.managedFields : undefined;
    if (managed !== undefined) total += ',"managedFields":'.length + jsonBytes(managed);
    if (Array.isArray(record.items)) for (const item of record.items) pending.push(item);
  }
  return total;
}

/** JSON.stringify, or undefined when the value is nested too deeply for it (it recurses). */
function encodeOrUndefined(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/**
 * The UTF-8 length of `JSON.stringify(value)` for a value JSON.parse made. JSON.stringify itself
 * when it can; for values nested more deeply than its recursion allows (JSON.parse has no such
 * limit), the same count over an explicit stack.
 */
function jsonBytes(value: unknown): number {
  const text = encodeOrUndefined(value);
  if (text !== undefined) return Buffer.byteLength(text);
  let total = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next !== 'object' || next === null) {
      total += Buffer.byteLength(JSON.stringify(next) ?? 'null');
    } else if (Array.isArray(next)) {
      total += 2 + Math.max(0, next.length - 1);
      for (const item of next) pending.push(item === undefined ? null : item);
    } else {
      const entries = Object.entries(next).filter(([, item]) => item !== undefined);
      total += 2 + Math.max(0, entries.length - 1);
      for (const [key, item] of entries) {
        total += Buffer.byteLength(JSON.stringify(key)) + 1;
        pending.push(item);
      }
    }
  }
  return total;
}


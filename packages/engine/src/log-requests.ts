/**
 * The requests of an audit log, in any format the engine reads, for the questions that look at
 * requests rather than bytes: which rule decides each kind of request of the log (`explainLog`),
 * and which rules the log's traffic reaches (`lintLog`). A request is its first event (one per
 * audit ID); requests with the same attributes are counted together.
 */
import type { Policy } from '@k8s-gen/audit';
import { attributesFromEvent, type LoggedAuditEvent } from './cost.js';
import { evaluate, type EvaluateOptions } from './evaluate.js';
import { explain, type Explanation } from './explain.js';
import { lint, sortFindings, type LintFinding, type LintOptions } from './lint.js';
import type { LogSource } from './cost-input.js';
import { auditEventLines, newFormatStatus, type AuditLogFormat, type AuditLogFormatStatus } from './log-formats/index.js';
import type { RequestAttributes } from './request.js';

/** Options of {@link loggedRequests}. */
export interface LoggedRequestsOptions {
  /** The log's format, or `auto` (default). */
  format?: AuditLogFormat | 'auto';
  /** Only the request with this audit ID. */
  auditID?: string;
  /** Receives what was read of the log. */
  formatStatus?: AuditLogFormatStatus;
  /** Audit IDs remembered to count each request once (default 200,000; older ones are forgotten). */
  maxOpenRequests?: number;
}

/** One request of a log. */
export interface LoggedRequest {
  auditID: string;
  attributes: RequestAttributes;
}

/**
 * The requests of a log: the attributes of the first event of each audit ID. Lines that are not
 * events are skipped (the cost replay is the place that counts them).
 *
 * @example
 * ```ts
 * for await (const request of loggedRequests('audit.log')) console.log(request.attributes.verb);
 * ```
 */
export async function* loggedRequests(log: LogSource, options: LoggedRequestsOptions = {}): AsyncGenerator<LoggedRequest> {
  const seen = new Set<string>();
  const limit = options.maxOpenRequests ?? 200_000;
  const events = function* (text: string): Generator<LoggedAuditEvent> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof parsed !== 'object' || parsed === null) return;
    const record = parsed as LoggedAuditEvent;
    if (record.kind === 'EventList' && Array.isArray(record.items)) {
      for (const item of record.items as unknown[]) if (typeof item === 'object' && item !== null) yield item as LoggedAuditEvent;
    } else yield record;
  };
  const reading = { ...(options.format !== undefined ? { format: options.format } : {}), ...(options.formatStatus !== undefined ? { formatStatus: options.formatStatus } : {}) };
  for await (const line of auditEventLines(log, reading)) {
    if (line.text === undefined) continue;
    for (const event of events(line.text)) {
      if (typeof event.auditID !== 'string' || typeof event.verb !== 'string') continue;
      if (options.auditID !== undefined && event.auditID !== options.auditID) continue;
      if (seen.has(event.auditID)) continue;
      if (seen.size >= limit) seen.clear();
      seen.add(event.auditID);
      yield { auditID: event.auditID, attributes: attributesFromEvent(event) };
    }
  }
}

/** The attributes a policy rule can look at, as one key. */
function attributeKey(a: RequestAttributes): string {
  const user = a.user === undefined ? '\u0001' : `${a.user.name}\u0000${a.user.groups.join('\u0000')}`;
  const target = a.isResourceRequest ? `r\u0000${a.namespace}\u0000${a.apiGroup}\u0000${a.resource}\u0000${a.subresource}\u0000${a.name}` : `n\u0000${a.path}`;
  return [user, a.verb, target].join('\u0002');
}

/** Options of {@link explainLog}. */
export interface ExplainLogOptions extends EvaluateOptions, LoggedRequestsOptions {
  /** How many kinds of request to explain, most frequent first (default 20). */
  limit?: number;
  /** Kinds of request remembered (default 100,000); later new kinds are counted in `otherRequests`. */
  maxKinds?: number;
}

/** One kind of request of the log, with the explanation of its decision. */
export interface LoggedRequestExplanation {
  /** Requests of the log with these attributes. */
  count: number;
  /** The audit ID of the first of them. */
  auditID: string;
  attributes: RequestAttributes;
  explanation: Explanation;
}

/** What {@link explainLog} found. */
export interface LogExplanation {
  format: AuditLogFormatStatus;
  /** Requests read. */
  requests: number;
  /** Kinds of request (distinct attributes) found. */
  kinds: number;
  /** The most frequent kinds, each explained. */
  explained: LoggedRequestExplanation[];
  /** Requests of kinds beyond `maxKinds`, not explained. */
  otherRequests: number;
}

/**
 * Explains which rule of `policy` decides each kind of request in a log (the apiserver's own, or
 * a managed cluster's), the most frequent first.
 *
 * @example
 * ```ts
 * const report = await explainLog(policy, 'eks-audit.json', { limit: 5 });
 * for (const kind of report.explained) console.log(kind.count, formatExplanation(kind.explanation));
 * ```
 */
export async function explainLog(policy: Policy, log: LogSource, options: ExplainLogOptions = {}): Promise<LogExplanation> {
  const format = options.formatStatus ?? newFormatStatus();
  const kinds = new Map<string, { count: number; auditID: string; attributes: RequestAttributes }>();
  const maxKinds = options.maxKinds ?? 100_000;
  let requests = 0;
  let otherRequests = 0;
  for await (const request of loggedRequests(log, { ...options, formatStatus: format })) {
    requests++;
    const key = attributeKey(request.attributes);
    const kind = kinds.get(key);
    if (kind !== undefined) kind.count++;
    else if (kinds.size >= maxKinds) otherRequests++;
    else kinds.set(key, { count: 1, auditID: request.auditID, attributes: request.attributes });
  }
  const evaluateOptions = options.kubernetesVersion !== undefined ? { kubernetesVersion: options.kubernetesVersion } : {};
  const explained = [...kinds.values()]
    .sort((a, b) => b.count - a.count || (a.auditID < b.auditID ? -1 : a.auditID > b.auditID ? 1 : 0))
    .slice(0, options.limit ?? 20)
    .map((kind) => ({ ...kind, explanation: explain(policy, kind.attributes, evaluateOptions) }));
  return { format, requests, kinds: kinds.size, explained, otherRequests };
}

/** Options of {@link lintLog}. */
export interface LintLogOptions extends LintOptions, LoggedRequestsOptions {}

/** What {@link lintLog} found. */
export interface LogLint {
  /** The policy's own findings, then those about the log's traffic, sorted by path. */
  findings: LintFinding[];
  /** Per rule, the requests of the log it decides. */
  ruleHits: number[];
  /** Requests no rule matches (not audited). */
  unmatched: number;
  requests: number;
  format: AuditLogFormatStatus;
}

/**
 * Lints a policy, then checks it against the requests of a log: rules no request of the log
 * reaches first (`rule-unused-in-log`), and `userGroups` rules on a log that does not record groups
 * (`log-lacks-groups`: GKE), which such a log can never show matching.
 *
 * @example
 * ```ts
 * const { findings, ruleHits } = await lintLog(policy, 'gke-audit.json');
 * ```
 */
export async function lintLog(policy: Policy, log: LogSource, options: LintLogOptions = {}): Promise<LogLint> {
  const format = options.formatStatus ?? newFormatStatus();
  const ruleHits = policy.rules.map(() => 0);
  let unmatched = 0;
  let requests = 0;
  const evaluateOptions = options.kubernetesVersion !== undefined ? { kubernetesVersion: options.kubernetesVersion } : {};
  for await (const request of loggedRequests(log, { ...options, formatStatus: format })) {
    requests++;
    const { ruleIndex } = evaluate(policy, request.attributes, evaluateOptions);
    if (ruleIndex === undefined) unmatched++;
    else ruleHits[ruleIndex]! += 1;
  }
  const findings = lint(policy, options);
  const where = format.format === undefined ? 'the log' : `this ${format.format} log`;
  if (requests > 0) {
    ruleHits.forEach((hits, index) => {
      if (hits > 0) return;
      findings.push({ code: 'rule-unused-in-log', severity: 'info', path: `rules[${index}]`, message: `no request of ${where} (${requests} requests) is decided by rules[${index}]`, fix: 'check that the rule matches the traffic it is meant for, or remove it' });
    });
  }
  if (format.lost.includes('user.groups')) {
    policy.rules.forEach((rule, index) => {
      if ((rule.userGroups?.length ?? 0) === 0) return;
      findings.push({
        code: 'log-lacks-groups',
        severity: 'warning',
        path: `rules[${index}].userGroups`,
        message: `${where} does not record the users' groups, so rules[${index}] (userGroups) matches none of its requests here, though it would match some on the apiserver`,
        fix: 'read the counts of this rule with care, or match the users by name in a copy of the policy used for this log',
      });
    });
  }
  return { findings: sortFindings(findings), ruleHits, unmatched, requests, format };
}

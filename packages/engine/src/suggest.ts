/**
 * `suggest`: the policy that keeps what the requirements ask for and nothing more, with the proof
 * that it does. Each request gets the lowest level its requirements allow (the highest `atLeast`
 * covering it, lowered to the lowest `atMost` covering it), which is the fewest bytes any policy
 * meeting them can write, for every log. The audit log measures what each rule decides and
 * writes, offers real requests as probes, and shows the cost before and after.
 */
import type { Level, Policy, PolicyRule } from '@k8s-gen/audit';
import { commentOf, setComment, toYaml, validate } from '@k8s-gen/audit';
import { unsafeCharacterIn, type Problem } from '@k8s-gen/runtime';
import { costReplay, attributesFromEvent, type CostReport, type LoggedAuditEvent } from './cost.js';
import { readLogLines, type LogReadStatus, type ProgressCallback } from './cost-input.js';
import { evaluate, kubernetesMinor, LATEST_KUBERNETES_VERSION, levelRank, type EvaluateOptions } from './evaluate.js';
import { formatBytes } from './format.js';
import { lint, reachability, type LintFinding } from './lint.js';
import { RequestSpace, type SearchLimits } from './lint-space.js';
import type { RequestAttributes } from './request.js';
import { checkRequirements, requestLabel, requirementConflicts, type RequirementVerdict } from './requirement-check.js';
import { credentialRequirements } from './requirement-profiles.js';
import {
  describeBounds,
  describeSelector,
  intersectSelectors,
  isCatchAll,
  lowerLevel,
  normalizeSelector,
  selectorMatches,
  selectorOf,
  selectorRule,
  unionSelectors,
  type RequestSelector,
  type Requirement,
} from './requirement.js';

/** Where `suggest` reads the log: a file path (plain or gzip), or a function giving its lines afresh (it is read more than once). */
export type SuggestLogSource = string | (() => AsyncIterable<string>);

/** Options of {@link policyForRequirements}. */
export interface PolicyForRequirementsOptions extends EvaluateOptions, SearchLimits {
  /** Keep `managedFields` in logged bodies (default: dropped from 1.23 on, where `omitManagedFields` exists). */
  keepManagedFields?: boolean;
}

/** Options of {@link suggestPolicy}. */
export interface SuggestOptions extends PolicyForRequirementsOptions {
  log: SuggestLogSource;
  requirements: readonly Requirement[];
  /** The policy in use: "before" is what it writes for the log; default the log as recorded. */
  current?: Policy;
  maxLineBytes?: number;
  onProgress?: ProgressCallback;
}

/** A rule of a suggested policy, with what it is for and what it decides in the log. */
export interface SuggestedRule {
  index: number;
  /** The requirements whose bound this rule's level is, by id. */
  requirements: string[];
  /** Input events and bytes of the requests it decides, and what it writes for them. */
  input: { events: number; bytes: number; eventShare: number; byteShare: number };
  writes: { events: number; bytes: number; estimated: boolean };
}

/** A kind of request that only a floor keeps, and the `--keep` that would drop it. */
export interface FloorTraffic {
  /** `list services by system:kube-proxy`, `get /version by alice`. */
  label: string;
  /** Events the policy writes for it, and their share of everything it writes. */
  events: number;
  share: number;
  /** A `--keep` rule dropping it, when its names can be written in the keep syntax. */
  keep?: string;
}

/** The proof shipped with a suggested policy. */
export interface SuggestProof {
  /** What the log holds (or `current` writes for it) and what the suggested policy writes. */
  before: { events: number; bytes: number; estimated: boolean; label: string };
  after: { events: number; bytes: number; estimated: boolean };
  cost: CostReport;
  /** Lint findings of the suggested policy: none, by construction. */
  lint: LintFinding[];
  /** One per requirement, each decided exactly and shown with a probe. */
  verdicts: RequirementVerdict[];
}

/** What the log was written at, and what that limits. */
export interface SuggestInput {
  events: number;
  requests: number;
  badLines: number;
  levels: Record<Level, number>;
  /** Plain sentences on what the log cannot measure (none for a RequestResponse log). */
  limits: string[];
}

/** The result of {@link suggestPolicy}. */
export interface SuggestResult {
  /** False when the requirements have errors; then there is no policy. */
  ok: boolean;
  problems: Problem[];
  policy?: Policy;
  /** The policy as YAML, each rule with a comment of its requirements and measured shares. */
  yaml?: string;
  rules: SuggestedRule[];
  proof?: SuggestProof;
  input?: SuggestInput;
  /** The largest kinds of request only a floor keeps (candidates for `:<=None`). */
  floorTraffic: FloorTraffic[];
}

const rank = levelRank;
/** Lint findings about a selector's own fields: parts of it that never match, or that the release lacks. */
const SELECTOR_FINDINGS: ReadonlySet<string> = new Set(['case-never-matches', 'unknown-resource', 'star-slash-star', 'group-with-version', 'unsupported-in-version']);
const asPolicy = (rules: PolicyRule[]): Policy => ({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules });

/** A rule being built, with notes for its comment. */
interface DraftRule {
  selector: RequestSelector;
  level: Level;
  note?: string;
}

/**
 * "Keep at least what this policy keeps" as requirements, within the given requirements'
 * requests: for each rule of `policy` above None and each requirement of `within`, the requests
 * both cover, at least at the rule's level, when some of them reach that rule first. A rule's
 * level is required over the whole of that intersection, even where an earlier rule of the
 * policy decides part of it lower, so these requirements can ask more than the policy keeps,
 * never less. Ids are `SOURCE.rules[K]:WITHIN-ID`.
 *
 * @example
 * ```ts
 * requirementsFromPolicy(gceProductionPolicy().build(), profileRequirements('cis'), 'gce').map((requirement) => requirement.id);
 * ```
 */
export function requirementsFromPolicy(policy: Policy, within: readonly Requirement[], source: string, options: EvaluateOptions & SearchLimits = {}): Requirement[] {
  const out: Requirement[] = [];
  const space = new RequestSpace(asPolicy([...policy.rules, ...within.map((requirement) => selectorRule(requirement.selector, 'None'))]), options, { groupsPerUser: 2 }, options);
  policy.rules.forEach((rule, index) => {
    if (rule.level === 'None') return;
    within.forEach((requirement, at) => {
      if (space.firstMatch(index, undefined, false, [policy.rules.length + at]).outcome === 'none') return;
      const both = intersectSelectors(selectorOf(rule), requirement.selector, options);
      if (both === undefined) return;
      out.push({
        id: `${source}.rules[${index}]:${requirement.id}`,
        source,
        description: `${source} keeps ${describeSelector(both.selector)} at ${rule.level} (rules[${index}])`,
        selector: both.selector,
        atLeast: rule.level,
      });
    });
  });
  return out;
}

/**
 * The requirement problems `suggest` reports: errors for requirements no request can meet (every
 * request they cover is capped below them), warnings where a cap lowers a requirement. Never throws.
 */
export function requirementProblems(requirements: readonly Requirement[], options: EvaluateOptions & SearchLimits = {}): Problem[] {
  const problems: Problem[] = [];
  const ids = new Set<string>();
  for (const requirement of requirements) {
    // A selector the apiserver refuses, or one with parts that never match, cannot be kept.
    const alone = asPolicy([selectorRule(requirement.selector, requirement.atLeast ?? requirement.atMost ?? 'None')]);
    const refused = [
      ...validate(alone, options.kubernetesVersion === undefined ? {} : { kubernetesVersion: options.kubernetesVersion }).filter((problem) => problem.severity === 'error'),
      ...lint(alone, options).filter((finding) => SELECTOR_FINDINGS.has(finding.code)),
    ];
    for (const problem of refused) {
      problems.push({ severity: 'error', code: 'requirement-selector', path: `${requirement.id}${problem.path.replace(/^rules\[0\]/, '')}`, message: problem.message, fix: problem.fix });
    }
    if (ids.has(requirement.id)) problems.push({ severity: 'error', code: 'requirement-repeated', path: requirement.id, message: `two requirements are named ${requirement.id}`, fix: 'give each requirement its own id' });
    ids.add(requirement.id);
    if (requirement.atLeast !== undefined && requirement.atMost !== undefined && rank(requirement.atLeast) > rank(requirement.atMost)) {
      problems.push({ severity: 'error', code: 'requirement-bounds', path: requirement.id, message: `${requirement.id} asks for at least ${requirement.atLeast} and at most ${requirement.atMost}`, fix: 'make the lower bound at most the upper one' });
      continue;
    }
    const { cappedBy, entirelyCapped } = requirementConflicts(requirement, requirements, options);
    // Floors are there to be lowered where something asks less (`url=/healthz*:<=None`).
    if (cappedBy.length === 0 || (requirement.floor && !entirelyCapped)) continue;
    // A --keep the caps make meaningless is a mistake to fix; a profile's requirement the caps
    // override (Falco's configmap bodies) is a fact to know.
    problems.push(
      entirelyCapped
        ? {
            severity: requirement.source === 'keep' ? 'error' : 'warning',
            code: 'requirement-unsatisfiable',
            path: requirement.id,
            message: `${requirement.id} (${requirement.description}) can never be met: ${cappedBy.join(', ')} hold every request it covers below ${requirement.atLeast}`,
            fix:
              requirement.source !== 'keep'
                ? `nothing to do unless you need it: its requests are logged at the capped level${cappedBy.includes('credentials') ? ' (suggest never logs the bodies of credentials; lint: sensitive-body-logged)' : ''}`
                : cappedBy.includes('credentials')
                  ? 'remove it: suggest never logs the bodies of credentials (lint: sensitive-body-logged)'
                  : `remove it, or the ${cappedBy.join(', ')} bound`,
          }
        : {
            severity: 'warning',
            code: 'requirement-capped',
            path: requirement.id,
            message: `${requirement.id} asks for ${describeBounds(requirement)}, but ${cappedBy.join(', ')} hold some of its requests lower (a lower upper bound wins)`,
            fix: 'nothing to do if that is intended; the proof shows the level each request gets',
          },
    );
  }
  return problems;
}

/**
 * The policy that gives every request the lowest level the requirements allow, without a log:
 * caps first (inside each cap, what the requirements ask lowered to the cap), then the
 * requirements from the highest level down, then a catch-all at None; dead and redundant rules
 * removed and neighbours joined, all decided exactly, so the result is lint-clean and meets
 * every requirement. Requests only a floor covers get the floor's level.
 *
 * @example
 * ```ts
 * policyForRequirements([...profileRequirements('cis'), ...credentialRequirements()]).rules;
 * // [{ level: 'Metadata' }]
 * ```
 */
export function policyForRequirements(given: readonly Requirement[], options: PolicyForRequirementsOptions = {}): Policy {
  const requirements = withCredentialCap(given);
  const evaluateOptions: EvaluateOptions = options.kubernetesVersion === undefined ? {} : { kubernetesVersion: options.kubernetesVersion };
  const caps = requirements.filter((requirement) => requirement.atMost !== undefined).sort((a, b) => rank(a.atMost!) - rank(b.atMost!));
  const mins = requirements.filter((requirement) => requirement.atLeast !== undefined && requirement.atLeast !== 'None').sort((a, b) => rank(b.atLeast!) - rank(a.atLeast!));
  const drafts: DraftRule[] = [];
  for (const cap of caps) {
    for (const min of mins) {
      const level = lowerLevel(cap.atMost!, min.atLeast!);
      if (level === 'None') continue;
      const inside = intersectSelectors(cap.selector, min.selector, evaluateOptions);
      if (inside !== undefined) drafts.push({ selector: inside.selector, level });
    }
    drafts.push({ selector: normalizeSelector(cap.selector), level: 'None' });
  }
  for (const min of mins) drafts.push({ selector: normalizeSelector(min.selector), level: min.atLeast! });
  drafts.push({ selector: {}, level: 'None' });

  let rules = simplify(drafts, options);
  rules = equivalentLevels(rules, options);
  rules = simplify(rules, options);
  const minor = kubernetesMinor(options.kubernetesVersion ?? LATEST_KUBERNETES_VERSION);
  const keepsBodies = rules.some((rule) => rank(rule.level) >= rank('Request'));
  return {
    apiVersion: 'audit.k8s.io/v1',
    kind: 'Policy',
    omitStages: ['RequestReceived'],
    ...(minor >= 23 && keepsBodies && options.keepManagedFields !== true ? { omitManagedFields: true } : {}),
    rules: rules.map((rule) => {
      const built: PolicyRule = selectorRule(rule.selector, rule.level);
      if (rule.note !== undefined) setComment(built, rule.note);
      return built;
    }),
  };
}

/** The requirements with the credential cap of {@link credentialRequirements}, which every suggested policy has. */
export function withCredentialCap(requirements: readonly Requirement[]): Requirement[] {
  return requirements.some((requirement) => requirement.id === 'credentials') ? [...requirements] : [...requirements, ...credentialRequirements()];
}

/**
 * Dead rules out, redundant rules out (a rule is redundant when every request it decides would be
 * decided at the same level without it), neighbours of one level joined when one selector says
 * both; repeated until nothing changes. The last catch-all stays, so every request is decided on
 * purpose.
 */
function simplify(input: readonly DraftRule[], options: PolicyForRequirementsOptions): DraftRule[] {
  let rules = [...input];
  for (let changed = true; changed; ) {
    changed = false;
    const live = reachability(asPolicy(rules.map((rule) => selectorRule(rule.selector, rule.level))), options);
    const alive = rules.filter((_, index) => !live[index]!.dead || live[index]!.cutShort);
    if (alive.length !== rules.length) {
      rules = alive;
      changed = true;
      continue;
    }
    for (let index = 0; index < rules.length; index++) {
      const last = index === rules.length - 1;
      if (last && isCatchAll(rules[index]!.selector)) continue;
      if (redundant(rules, index, options)) {
        const removed = rules[index]!;
        rules = rules.filter((_, at) => at !== index);
        // A note (why watches or URLs have their level) stays with the rule that now decides them.
        if (removed.note !== undefined && rules[index] !== undefined && rules[index]!.note === undefined) rules[index] = { ...rules[index]!, note: removed.note };
        changed = true;
        break;
      }
    }
    if (changed) continue;
    for (let index = 0; index + 1 < rules.length; index++) {
      const a = rules[index]!;
      const b = rules[index + 1]!;
      if (a.level !== b.level) continue;
      const union = unionSelectors(a.selector, b.selector);
      if (union === undefined) continue;
      rules = [...rules.slice(0, index), { selector: union, level: a.level, ...(a.note ?? b.note ? { note: (a.note ?? b.note)! } : {}) }, ...rules.slice(index + 2)];
      changed = true;
      break;
    }
  }
  return rules;
}

/** Whether removing rule `index` leaves the level of every request unchanged. */
function redundant(rules: readonly DraftRule[], index: number, options: EvaluateOptions & SearchLimits): boolean {
  const level = rules[index]!.level;
  const rest = rules.filter((_, at) => at !== index).map((rule) => selectorRule(rule.selector, rule.level));
  // Without the rule its requests fall to a later rule, or to no rule at all (level None).
  const space = new RequestSpace(asPolicy([...rest, { level: 'None' }, selectorRule(rules[index]!.selector, level)]), options, { groupsPerUser: 2 }, options);
  for (let later = index; later <= rest.length; later++) {
    const laterLevel = later < rest.length ? rest[later]!.level : 'None';
    if (laterLevel === level) continue;
    if (space.firstMatch(later, undefined, false, [rest.length + 1]).outcome !== 'none') return false;
  }
  return true;
}

/**
 * Levels that log the same thing, chosen so lint has nothing to say: a watch never has a response
 * body, so watches a RequestResponse rule decides get a rule of their own at Request; a rule of
 * only non-resource URLs has no bodies, so Request and RequestResponse there are Metadata.
 */
function equivalentLevels(rules: readonly DraftRule[], options: EvaluateOptions & SearchLimits): DraftRule[] {
  const out: DraftRule[] = [];
  const policy = asPolicy(rules.map((rule) => selectorRule(rule.selector, rule.level)));
  const findings = lint(policy, options);
  const watched = new Set(findings.filter((finding) => finding.code === 'watch-at-request-response').map((finding) => finding.path));
  rules.forEach((rule, index) => {
    const urlsOnly = (rule.selector.nonResourceURLs ?? []).length > 0;
    if (urlsOnly && rank(rule.level) > rank('Metadata')) {
      out.push({ ...rule, level: 'Metadata', note: 'non-resource requests have no bodies, so Metadata logs what Request and RequestResponse would' });
      return;
    }
    if (watched.has(`rules[${index}].level`)) {
      const watches = intersectSelectors(rule.selector, { verbs: ['watch'] }, options);
      if (watches !== undefined) out.push({ selector: watches.selector, level: 'Request', note: 'a watch has no response body, so Request logs what RequestResponse would' });
    }
    out.push(rule);
  });
  return out;
}

/** A log read once for what suggest needs besides the cost: request kinds with samples, and levels. */
interface LogSurvey {
  samples: SurveyedKind[];
  events: number;
  requests: number;
  badLines: number;
  levels: Record<Level, number>;
  receivedStages: number;
  stopped?: LogReadStatus['stopped'];
}

/** A kind of request of the log: a sample request and how often it came. */
interface SurveyedKind {
  readonly request: RequestAttributes;
  readonly label: string;
  requests: number;
  events: number;
  /** Events of the stages the suggested policy keeps. */
  writtenEvents: number;
}

const SAMPLE_LIMIT = 20000;

async function surveyLog(log: SuggestLogSource, omitted: ReadonlySet<string>, maxLineBytes: number | undefined): Promise<LogSurvey> {
  const status: LogReadStatus = { peakLineBufferBytes: 0 };
  const source = typeof log === 'string' ? log : log();
  const kinds = new Map<string, SurveyedKind>();
  const open = new Map<string, string>();
  const survey: LogSurvey = { samples: [], events: 0, requests: 0, badLines: 0, levels: { None: 0, Metadata: 0, Request: 0, RequestResponse: 0 }, receivedStages: 0 };
  const take = (event: LoggedAuditEvent): void => {
    if (typeof event !== 'object' || event === null || typeof event.auditID !== 'string' || typeof event.stage !== 'string') {
      survey.badLines += 1;
      return;
    }
    survey.events += 1;
    if (typeof event.level === 'string' && event.level in survey.levels) survey.levels[event.level as Level] += 1;
    if (event.stage === 'RequestReceived') survey.receivedStages += 1;
    let key = open.get(event.auditID);
    if (key === undefined) {
      const request = attributesFromEvent(event);
      key = JSON.stringify([request.user?.name ?? null, request.user?.groups ?? [], request.verb, request.isResourceRequest, request.apiGroup, request.resource, request.subresource, request.namespace, request.name, request.isResourceRequest ? '' : request.path]);
      survey.requests += 1;
      let kind = kinds.get(key);
      if (kind === undefined && kinds.size < SAMPLE_LIMIT) {
        kind = { request, requests: 0, label: requestLabel(request), events: 0, writtenEvents: 0 };
        kinds.set(key, kind);
      }
      if (kind !== undefined) kind.requests += 1;
      // Bounded like the replay's own table of open requests.
      if (open.size >= 100000) open.delete(open.keys().next().value as string);
      open.set(event.auditID, key);
    }
    const kind = kinds.get(key);
    if (kind !== undefined) {
      kind.events += 1;
      if (!omitted.has(event.stage)) kind.writtenEvents += 1;
    }
    if (event.stage === 'ResponseComplete' || event.stage === 'Panic') open.delete(event.auditID);
  };
  for await (const line of readLogLines(source, { status, ...(maxLineBytes !== undefined ? { maxLineBytes } : {}) })) {
    if (line.text === undefined) {
      survey.badLines += 1;
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(line.text);
    } catch {
      survey.badLines += 1;
      continue;
    }
    const document = parsed as LoggedAuditEvent;
    if (document !== null && typeof document === 'object' && document.kind === 'EventList' && Array.isArray(document.items)) for (const item of document.items as unknown[]) take(item as LoggedAuditEvent);
    else take(document);
  }
  survey.samples = [...kinds.values()];
  if (status.stopped) survey.stopped = status.stopped;
  return survey;
}

/** Plain sentences on what a log written at these levels cannot measure. */
function inputLimits(survey: LogSurvey): string[] {
  const limits: string[] = [];
  const total = survey.events;
  if (total === 0) return ['the log holds no events, so nothing is measured; the policy follows from the requirements alone'];
  const below = survey.levels.Metadata + survey.levels.Request;
  const percent = (count: number): string => `${((100 * count) / total).toFixed(1)}%`;
  if (survey.levels.Metadata === total) {
    limits.push('the log was written at Metadata, which cannot measure body sizes: the bytes of rules at Request or RequestResponse are estimates (marked ~), 0 where no similar body was seen; the levels themselves follow from the requirements, not from the log');
  } else if (below > 0) {
    limits.push(`${percent(below)} of the events were written below RequestResponse: bodies they lack are estimated from similar events (marked ~); write the sample at RequestResponse to measure them`);
  }
  if (survey.receivedStages === 0) limits.push('the log has no RequestReceived events (its policy omitted them); the suggested policy omits them too');
  limits.push('requests the recording policy did not audit are not in the log: their share is unknown, and the requirements still hold for them');
  if (survey.stopped) limits.push(`reading stopped early (${survey.stopped.message}): only the part read is measured`);
  return limits;
}

/**
 * Suggests the policy that meets the requirements with the fewest bytes, measured on an audit log,
 * and proves it: the cost before and after, lint (clean), and every requirement decided exactly
 * with an explained probe. Requirement errors (a requirement no request can meet, repeated ids)
 * give `ok: false` and no policy. A log file that cannot be opened throws; a log that is cut short
 * is measured as far as it goes (`input.limits` says so).
 *
 * @example
 * ```ts
 * const result = await suggestPolicy({
 *   log: 'audit.log',
 *   requirements: [...profileRequirements('cis'), ...credentialRequirements(), parseKeep('user=system:admin:RequestResponse', 0).requirement!],
 * });
 * if (result.ok) writeFileSync('audit-policy.yaml', result.yaml!);
 * ```
 */
export async function suggestPolicy(given: SuggestOptions): Promise<SuggestResult> {
  const options = { ...given, requirements: withCredentialCap(given.requirements) };
  const evaluateOptions: EvaluateOptions = options.kubernetesVersion === undefined ? {} : { kubernetesVersion: options.kubernetesVersion };
  const limits: SearchLimits = { ...(options.questionSteps !== undefined ? { questionSteps: options.questionSteps } : {}), ...(options.totalSteps !== undefined ? { totalSteps: options.totalSteps } : {}) };
  const problems = requirementProblems(options.requirements, { ...evaluateOptions, ...limits });
  if (problems.some((problem) => problem.severity === 'error')) return { ok: false, problems, rules: [], floorTraffic: [] };

  const policy = policyForRequirements(options.requirements, options);
  const source = (): string | AsyncIterable<string> => (typeof options.log === 'string' ? options.log : options.log());
  const survey = await surveyLog(options.log, new Set(policy.omitStages ?? []), options.maxLineBytes);
  const replay = (candidate: Policy) =>
    costReplay({
      policy: candidate,
      log: source(),
      top: candidate.rules.length + 1,
      ...evaluateOptions,
      ...(options.maxLineBytes !== undefined ? { maxLineBytes: options.maxLineBytes } : {}),
      ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
    });
  const cost = await replay(policy);
  const before = options.current === undefined ? { ...cost.log, estimated: false, label: 'the log as recorded' } : { ...(await replay(options.current)).candidate, label: 'the current policy' };

  const verdicts = checkRequirements(policy, options.requirements, { ...evaluateOptions, ...limits, samples: survey.samples });
  const findings = lint(policy, { ...evaluateOptions, ...limits });
  if (findings.length > 0) {
    problems.push({ severity: 'error', code: 'suggest-not-clean', path: findings[0]!.path, message: `k8s-gen bug: the suggested policy has lint findings (${findings.map((finding) => finding.code).join(', ')})`, fix: 'report it; the policy was not written' });
  }
  for (const verdict of verdicts.filter((verdict) => !verdict.met)) {
    problems.push({
      severity: 'error',
      code: verdict.cutShort ? 'requirement-undecided' : 'requirement-not-met',
      path: verdict.requirement.id,
      message: verdict.cutShort ? `the check of ${verdict.requirement.id} ran out of steps` : `k8s-gen bug: the suggested policy does not meet ${verdict.requirement.id}`,
      fix: verdict.cutShort ? 'raise questionSteps / totalSteps' : 'report it; the policy was not written',
    });
  }

  const rules = describeRules(policy, options.requirements, cost, { ...evaluateOptions, ...limits });
  const floorTraffic = floorOnlyTraffic(policy, options.requirements, survey, cost, evaluateOptions);
  const input: SuggestInput = { events: survey.events, requests: survey.requests, badLines: survey.badLines, levels: survey.levels, limits: inputLimits(survey) };
  const proof: SuggestProof = {
    before: { events: before.events, bytes: before.bytes, estimated: before.estimated, label: before.label },
    after: { events: cost.candidate.events, bytes: cost.candidate.bytes, estimated: cost.candidate.estimated },
    cost,
    lint: findings,
    verdicts,
  };
  if (problems.some((problem) => problem.severity === 'error')) return { ok: false, problems, rules, proof, input, floorTraffic };
  return { ok: true, problems, policy, yaml: toYaml(policy, { header: policyHeader(options.requirements, evaluateOptions, proof) }), rules, proof, input, floorTraffic };
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(1)}%`;
}

/** Each rule's tight requirements and measured shares; sets each rule's comment. */
function describeRules(policy: Policy, requirements: readonly Requirement[], cost: CostReport, options: EvaluateOptions & SearchLimits): SuggestedRule[] {
  const rows = new Map(cost.breakdowns.rule.rows.map((row) => [row.key, row]));
  const space = new RequestSpace(asPolicy([...policy.rules, ...requirements.map((requirement) => selectorRule(requirement.selector, 'None'))]), options, { groupsPerUser: 2 }, options);
  return policy.rules.map((rule, index): SuggestedRule => {
    // The requirements some of whose requests this rule decides at exactly their bound.
    const tight = requirements.filter((requirement, at) => {
      const bound = requirement.atLeast === rule.level || requirement.atMost === rule.level;
      return bound && space.firstMatch(index, undefined, false, [policy.rules.length + at]).outcome !== 'none';
    });
    const row = rows.get(`rules[${index}]`);
    const logEvents = row?.log.events ?? 0;
    const logBytes = row?.log.bytes ?? 0;
    const described: SuggestedRule = {
      index,
      requirements: tight.map((requirement) => requirement.id),
      input: { events: logEvents, bytes: logBytes, eventShare: cost.log.events === 0 ? 0 : logEvents / cost.log.events, byteShare: cost.log.bytes === 0 ? 0 : logBytes / cost.log.bytes },
      writes: { events: row?.candidate.events ?? 0, bytes: row?.candidate.bytes ?? 0, estimated: row?.candidate.estimated ?? false },
    };
    const lines: string[] = [];
    // A floor describes a catch-all best; otherwise the first requirement says what the rule is for.
    const ordered = isCatchAll(selectorOf(rule)) ? [...tight.filter((requirement) => requirement.floor), ...tight.filter((requirement) => !requirement.floor)] : tight;
    const ids = ordered.slice(0, 6).map((requirement) => requirement.id);
    const more = ordered.length > 6 ? ` (+${ordered.length - 6} more)` : '';
    if (ordered.length > 0) lines.push(`${ids.join(', ')}${more}: ${ordered[0]!.description}.`);
    else if (isCatchAll(selectorOf(rule)) && rule.level === 'None') lines.push('Every other request: no requirement asks for it.');
    // The note the rule was built with (why watches or URLs have their level), if any.
    const note = commentOf(rule);
    if (note !== undefined) lines.push(`${note[0]!.toUpperCase()}${note.slice(1)}.`);
    lines.push(
      logEvents === 0
        ? 'Input: no requests of this log.'
        : `Input: ${percent(logEvents, cost.log.events)} of events (${logEvents}), ${percent(logBytes, cost.log.bytes)} of bytes (${formatBytes(logBytes)}); writes ${described.writes.events} events, ${described.writes.estimated ? '~' : ''}${formatBytes(described.writes.bytes)}.`,
    );
    setComment(rule, lines.join('\n'));
    return described;
  });
}

/** The kinds of request of the log that only a floor keeps at their level, largest first. */
function floorOnlyTraffic(policy: Policy, requirements: readonly Requirement[], survey: LogSurvey, cost: CostReport, options: EvaluateOptions): FloorTraffic[] {
  const groups = new Map<string, FloorTraffic>();
  for (const sample of survey.samples) {
    const decision = evaluate(policy, sample.request, options);
    if (decision.level === 'None') continue;
    // The requirements that hold this request at its level (or above it).
    const holding = requirements.filter((requirement) => requirement.atLeast !== undefined && rank(requirement.atLeast) >= rank(decision.level) && selectorMatches(requirement.selector, sample.request, options));
    if (holding.length === 0 || !holding.every((requirement) => requirement.floor)) continue;
    const known = groups.get(sample.label);
    if (known !== undefined) known.events += sample.writtenEvents;
    else {
      const keep = dropKeep(sample.request);
      groups.set(sample.label, { label: sample.label, events: sample.writtenEvents, share: 0, ...(keep !== undefined ? { keep } : {}) });
    }
  }
  const written = cost.candidate.events;
  return [...groups.values()]
    .map((group) => ({ ...group, share: written === 0 ? 0 : group.events / written }))
    .sort((a, b) => b.events - a.events || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
    .slice(0, 5);
}

/** The `--keep ...:<=None` that drops requests like this one, when its names fit the keep syntax. */
function dropKeep(request: RequestAttributes): string | undefined {
  const terms: string[] = [];
  if (request.isResourceRequest) {
    const resource = request.subresource === '' ? request.resource : `${request.resource}/${request.subresource}`;
    terms.push(request.apiGroup === '' ? resource : `${resource}.${request.apiGroup}`);
  } else terms.push(`url=${request.path}`);
  terms.push(`verb=${request.verb}`);
  if (request.user !== undefined) terms.push(`user=${request.user.name}`);
  const text = `${terms.join(',')}:<=None`;
  // Values holding the syntax's own separators, quotes or unusual characters are not offered.
  const values = text.slice(0, -':<=None'.length);
  if (/[|'"\\]/.test(values) || unsafeCharacterIn(text, { allowWhiteSpace: false }) !== undefined || terms.some((term) => term.slice(term.indexOf('=') + 1).includes(','))) return undefined;
  return text;
}

function policyHeader(requirements: readonly Requirement[], options: EvaluateOptions, proof: SuggestProof): string {
  const sources = new Map<string, number>();
  for (const requirement of requirements) sources.set(requirement.source, (sources.get(requirement.source) ?? 0) + 1);
  const keeps = requirements.filter((requirement) => requirement.source === 'keep').map((requirement) => requirement.description.slice('--keep '.length).split(': ')[0]!);
  const listed = [...sources].filter(([source]) => source !== 'keep').map(([source, count]) => `${source} (${count})`);
  if (keeps.length > 0) listed.push(`--keep ${keeps.join(' ')}`);
  const met = proof.verdicts.filter((verdict) => verdict.met).length;
  return [
    `Suggested by k8s-gen suggest for Kubernetes ${options.kubernetesVersion ?? LATEST_KUBERNETES_VERSION}: each request at the lowest level its requirements allow.`,
    `Requirements: ${listed.join(', ')}; ${met} of ${proof.verdicts.length} met, each checked exactly. Lint: no findings.`,
    `On the input log: ${proof.before.events} events, ${formatBytes(proof.before.bytes)} (${proof.before.label}) -> ${proof.after.events} events, ${proof.after.estimated ? '~' : ''}${formatBytes(proof.after.bytes)}.`,
  ].join('\n');
}


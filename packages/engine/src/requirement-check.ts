/**
 * Proving that a policy meets requirements. Each requirement is decided exactly with the request
 * space lint uses (no request it covers is logged below its lower bound, above its upper bound,
 * or without a stage it needs; a counterexample when one is), and shown with one probe: a request
 * it covers, preferably one seen in a log, explained against the policy.
 *
 * Two pairs of levels log the same thing and count as equal: a watch never gets a response body,
 * so Request logs what RequestResponse would; a non-resource request has no bodies at all, so
 * Metadata logs what Request and RequestResponse would.
 */
import type { Level, Policy, PolicyRule, Stage } from '@k8s-gen/audit';
import { unsafeCharacterIn } from '@k8s-gen/runtime';
import { effectiveOmitStages, levelRank, type EvaluateOptions } from './evaluate.js';
import { explain, type Explanation } from './explain.js';
import { RequestSpace, type Restriction, type SearchLimits } from './lint-space.js';
import type { RequestAttributes } from './request.js';
import { describeBounds, lowerLevel, selectorMatches, selectorRule, type Requirement } from './requirement.js';

/** A request seen in a log, offered as a probe. */
export interface RequirementSample {
  readonly request: RequestAttributes;
  /** Requests like it in the log. */
  readonly requests: number;
  /** How to show it, e.g. `GET /api/v1/namespaces/a/secrets/x by bob`. */
  readonly label: string;
}

/** One request a requirement covers, explained against the policy. */
export interface RequirementProbe {
  readonly request: RequestAttributes;
  /** The log sample it is, when it came from the log; absent for a request made up from the requirement. */
  readonly sample?: { readonly label: string; readonly requests: number };
  readonly explanation: Explanation;
  /** The bounds that apply to this request: the requirement's, lowered by the caps covering it. */
  readonly expected: { readonly atLeast?: Level; readonly atMost?: Level };
  readonly met: boolean;
  /** Why it is met or not, in a few words. */
  readonly reason: string;
}

/** A request that breaks a requirement. */
export interface RequirementViolation {
  readonly request: RequestAttributes;
  /** The rule that decides it; undefined when no rule matches (level None). */
  readonly ruleIndex: number | undefined;
  readonly level: Level;
  /** What it should have been: `at least Request`, `at most Metadata`, `with stage ResponseStarted`. */
  readonly expected: string;
}

/** Whether a policy meets one requirement. */
export interface RequirementVerdict {
  readonly requirement: Requirement;
  /** True when no covered request breaks it (decided exactly; false when {@link cutShort}). */
  readonly met: boolean;
  /** The search ran out of steps before deciding. */
  readonly cutShort?: true;
  readonly violation?: RequirementViolation;
  /** Ids of requirements whose `atMost` lowers this one for some of its requests. */
  readonly cappedBy: readonly string[];
  /** True when those caps lower it for every request it covers, so its own bound never applies. */
  readonly entirelyCapped: boolean;
  readonly probe?: RequirementProbe;
}

/** Options of {@link checkRequirements}. */
export interface CheckRequirementsOptions extends EvaluateOptions, SearchLimits {
  /** Requests seen in a log, to probe with (the one with most requests a requirement covers is used). */
  readonly samples?: readonly RequirementSample[];
}

const rank = levelRank;

/** The level a request logs as much at: watches gain nothing above Request, non-resource requests nothing above Metadata. */
export function equivalentLevel(level: Level, request: RequestAttributes): Level {
  if (!request.isResourceRequest) return lowerLevel(level, 'Metadata');
  return request.verb === 'watch' ? lowerLevel(level, 'Request') : level;
}

/**
 * The requests of a rule at `level` that log less than `bound` (undefined: none do), as a
 * restriction of the search.
 */
function belowRestriction(level: Level, bound: Level): Restriction | undefined | 'all' {
  if (rank(level) >= rank(bound)) return undefined;
  if (level === 'None') return 'all';
  if (level === 'Metadata') return bound === 'Metadata' ? 'all' : { resourceRequest: true };
  // level Request, bound RequestResponse.
  return { resourceRequest: true, exceptVerbs: ['watch'] };
}

/** The requests of a rule at `level` that log more than `bound`. */
function aboveRestriction(level: Level, bound: Level): Restriction | undefined | 'all' {
  if (rank(level) <= rank(bound)) return undefined;
  if (bound === 'None') return 'all';
  if (bound === 'Metadata') return { resourceRequest: true };
  return { resourceRequest: true, exceptVerbs: ['watch'] };
}

const asPolicy = (rules: PolicyRule[]): Policy => ({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules });

/**
 * Decides, for each requirement, whether the policy meets it for every request it covers, and
 * explains one probe request. A request that a lower `atMost` of another requirement covers is
 * held to that lower bound instead (caps win). Never throws.
 *
 * @example
 * ```ts
 * checkRequirements(policy, profileRequirements('cis')).filter((verdict) => !verdict.met).map((verdict) => verdict.violation);
 * ```
 */
export function checkRequirements(policy: Policy, requirements: readonly Requirement[], options: CheckRequirementsOptions = {}): RequirementVerdict[] {
  const evaluateOptions: EvaluateOptions = options.kubernetesVersion === undefined ? {} : { kubernetesVersion: options.kubernetesVersion };
  const limits: SearchLimits = { ...(options.questionSteps !== undefined ? { questionSteps: options.questionSteps } : {}), ...(options.totalSteps !== undefined ? { totalSteps: options.totalSteps } : {}) };
  const rules = policy.rules;
  // Up to two rules are intersected with the one asked about, so a user may need three listed groups.
  const space = (extra: PolicyRule[]): RequestSpace => new RequestSpace(asPolicy(extra), evaluateOptions, { groupsPerUser: 3 }, limits);

  return requirements.map((requirement): RequirementVerdict => {
    const caps = capsOf(requirement, requirements);
    const own = selectorRule(requirement.selector, 'None');
    let violation: RequirementViolation | undefined;
    let cutShort = false;
    /** Looks for a request of rule `at` (offset into the space) that is also in `within`. */
    const search = (target: RequestSpace, at: number, ruleIndex: number | undefined, level: Level, restriction: Restriction | 'all', within: number[], expected: string): void => {
      if (violation !== undefined) return;
      const answer = target.firstMatch(at, restriction === 'all' ? undefined : restriction, true, within);
      if (answer.outcome === 'cut-short') cutShort = true;
      else if (answer.outcome === 'found') violation = { request: answer.request, ruleIndex, level, expected };
    };

    // Lower bounds: the requirement's own, and inside each cap below it, the cap's level.
    if (requirement.atLeast !== undefined && requirement.atLeast !== 'None') {
      const bands = [...new Set([requirement.atLeast, ...caps.map((cap) => cap.atMost!)])].filter((level) => level !== 'None').sort((a, b) => rank(b) - rank(a));
      for (const bound of bands) {
        const excusers = caps.filter((cap) => rank(cap.atMost!) < rank(bound));
        const regions = bound === requirement.atLeast ? [undefined] : caps.filter((cap) => cap.atMost === bound);
        for (const region of regions) {
          // Excusing caps first (their requests are held to lower bounds), then the policy, then
          // "no rule matched", then the requirement and the region to intersect with.
          const extra = [...excusers.map((cap) => selectorRule(cap.selector, 'None')), ...rules, { level: 'None' as Level }, own, ...(region ? [selectorRule(region.selector, 'None')] : [])];
          const target = space(extra);
          const ownAt = excusers.length + rules.length + 1;
          const within = region ? [ownAt, ownAt + 1] : [ownAt];
          for (let k = 0; k <= rules.length; k++) {
            const level = k < rules.length ? rules[k]!.level : 'None';
            const restriction = belowRestriction(level, bound);
            if (restriction !== undefined) search(target, excusers.length + k, k < rules.length ? k : undefined, level, restriction, within, `at least ${bound}${region ? ` (capped by ${region.id})` : ''}`);
          }
        }
      }
    }
    // Upper bound.
    if (requirement.atMost !== undefined && violation === undefined) {
      const target = space([...rules, own]);
      rules.forEach((rule, k) => {
        const restriction = aboveRestriction(rule.level, requirement.atMost!);
        if (restriction !== undefined) search(target, k, k, rule.level, restriction, [rules.length], `at most ${requirement.atMost}`);
      });
    }
    // Stages: no covered request logged by a rule that omits a stage it needs.
    const needed = requirement.stages ?? [];
    if (needed.length > 0 && violation === undefined) {
      const silent = caps.filter((cap) => cap.atMost === 'None');
      const target = space([...silent.map((cap) => selectorRule(cap.selector, 'None')), ...rules, own]);
      rules.forEach((rule, k) => {
        const missing = effectiveOmitStages(policy, rule).filter((stage) => needed.includes(stage));
        if (rule.level !== 'None' && missing.length > 0) search(target, silent.length + k, k, rule.level, 'all', [silent.length + rules.length], `with stage ${missing.join(', ')}`);
      });
    }

    const { cappedBy, entirelyCapped, uncapped } = conflicts(requirement, caps, evaluateOptions, limits);
    const probe = probeFor(policy, requirement, requirements, caps, uncapped, options, evaluateOptions, limits);
    const met = violation === undefined && !cutShort;
    return {
      requirement,
      met,
      ...(cutShort && violation === undefined ? { cutShort: true as const } : {}),
      ...(violation !== undefined ? { violation } : {}),
      cappedBy,
      entirelyCapped,
      ...(probe !== undefined ? { probe } : {}),
    };
  });
}

/** Caps below a requirement's lower bound: those that lower it somewhere, whether they lower it everywhere, and a request outside them. */
function conflicts(requirement: Requirement, caps: readonly Requirement[], options: EvaluateOptions, limits: SearchLimits): { cappedBy: string[]; entirelyCapped: boolean; uncapped?: RequestAttributes } {
  const own = selectorRule(requirement.selector, 'None');
  const cappedBy = caps.filter((cap) => new RequestSpace(asPolicy([own, selectorRule(cap.selector, 'None')]), options, { groupsPerUser: 2 }, limits).firstMatch(0, undefined, false, [1]).outcome !== 'none').map((cap) => cap.id);
  const outside = new RequestSpace(asPolicy([...caps.map((cap) => selectorRule(cap.selector, 'None')), own]), options, {}, limits).firstMatch(caps.length);
  return { cappedBy, entirelyCapped: caps.length > 0 && outside.outcome === 'none', ...(outside.outcome === 'found' ? { uncapped: outside.request } : {}) };
}

/** The caps of a requirement: other requirements whose `atMost` is below its `atLeast`. */
function capsOf(requirement: Requirement, requirements: readonly Requirement[]): Requirement[] {
  return requirement.atLeast === undefined ? [] : requirements.filter((other) => other !== requirement && other.atMost !== undefined && rank(other.atMost) < rank(requirement.atLeast!));
}

/**
 * The caps of other requirements that lower a requirement somewhere (`cappedBy`, by id) and
 * whether they lower it everywhere (`entirelyCapped`), decided exactly.
 *
 * @example
 * ```ts
 * requirementConflicts(parseKeep('secrets:Request', 0).requirement!, credentialRequirements()); // { cappedBy: ['credentials'], entirelyCapped: true }
 * ```
 */
export function requirementConflicts(requirement: Requirement, requirements: readonly Requirement[], options: EvaluateOptions & SearchLimits = {}): { cappedBy: string[]; entirelyCapped: boolean } {
  const { cappedBy, entirelyCapped } = conflicts(requirement, capsOf(requirement, requirements), options, options);
  return { cappedBy, entirelyCapped };
}

/** The bounds that apply to one request under a requirement: its own, lowered by every cap covering the request. */
export function boundsFor(requirement: Requirement, requirements: readonly Requirement[], request: RequestAttributes, options: EvaluateOptions = {}): { atLeast?: Level; atMost?: Level } {
  let atLeast = requirement.atLeast;
  if (atLeast !== undefined) {
    for (const other of requirements) {
      if (other.atMost !== undefined && selectorMatches(other.selector, request, options)) atLeast = lowerLevel(atLeast, other.atMost);
    }
  }
  return { ...(atLeast !== undefined ? { atLeast } : {}), ...(requirement.atMost !== undefined ? { atMost: requirement.atMost } : {}) };
}

function probeFor(
  policy: Policy,
  requirement: Requirement,
  requirements: readonly Requirement[],
  caps: readonly Requirement[],
  uncappedWitness: RequestAttributes | undefined,
  options: CheckRequirementsOptions,
  evaluateOptions: EvaluateOptions,
  limits: SearchLimits,
): RequirementProbe | undefined {
  // A log sample no lower cap covers shows the requirement's own bound; then a made-up request
  // outside the caps; then a capped sample; then any request the requirement covers.
  const candidates = (options.samples ?? []).filter((sample) => selectorMatches(requirement.selector, sample.request, evaluateOptions));
  const capped = (sample: RequirementSample): boolean => caps.some((cap) => selectorMatches(cap.selector, sample.request, evaluateOptions));
  const mostRequests = (list: RequirementSample[]): RequirementSample | undefined => list.reduce<RequirementSample | undefined>((top, sample) => (top === undefined || sample.requests > top.requests ? sample : top), undefined);
  let best = mostRequests(candidates.filter((sample) => !capped(sample)));
  let request = best?.request ?? uncappedWitness;
  if (request === undefined) {
    best = mostRequests(candidates);
    request = best?.request;
  }
  if (request === undefined) {
    const answer = new RequestSpace(asPolicy([selectorRule(requirement.selector, 'None')]), evaluateOptions, {}, limits).firstMatch(0);
    if (answer.outcome !== 'found') return undefined;
    request = answer.request;
  }
  const explanation = explain(policy, request, evaluateOptions);
  const expected = boundsFor(requirement, requirements, request, evaluateOptions);
  const result = explanation.result;
  const logged = equivalentLevel(result.level, request);
  const problems: string[] = [];
  if (expected.atLeast !== undefined && rank(logged) < rank(equivalentLevel(expected.atLeast, request))) problems.push(`below ${expected.atLeast}`);
  if (expected.atMost !== undefined && rank(logged) > rank(expected.atMost)) problems.push(`above ${expected.atMost}`);
  const missing = result.level === 'None' ? [] : (requirement.stages ?? []).filter((stage: Stage) => !result.stages.includes(stage));
  if (missing.length > 0) problems.push(`without ${missing.join(', ')}`);
  const wanted = expected.atLeast;
  const same =
    wanted !== undefined && rank(result.level) < rank(wanted) && problems.length === 0
      ? request.isResourceRequest
        ? `; a watch has no response body, so ${result.level} logs what ${wanted} would`
        : `; a non-resource request has no bodies, so ${result.level} logs what ${wanted} would`
      : '';
  return {
    request,
    ...(best !== undefined ? { sample: { label: best.label, requests: best.requests } } : {}),
    explanation,
    expected,
    met: problems.length === 0,
    reason: problems.length === 0 ? `level ${result.level}, ${describeBounds(expected)}${same}` : `level ${result.level} is ${problems.join(', ')} (${describeBounds(expected)})`,
  };
}

/** A path or name from the log, safe to print: quoted when it holds anything unusual, cut to 120 characters. */
function shown(value: string): string {
  const cut = value.length > 120 ? `${value.slice(0, 117)}...` : value;
  return unsafeCharacterIn(cut, { allowWhiteSpace: false }) === undefined ? cut : JSON.stringify(cut);
}

/**
 * A request in a few words, e.g. `get secrets in team-a by alice` or `get /healthz by bob`; names
 * holding anything unusual are quoted, long ones cut.
 *
 * @example
 * ```ts
 * requestLabel(resourceRequest({ verb: 'get', resource: 'secrets', namespace: 'a', user: { name: 'bob', groups: [] } })); // 'get secrets in a by bob'
 * ```
 */
export function requestLabel(request: RequestAttributes): string {
  const who = request.user === undefined ? 'an unauthenticated client' : shown(request.user.name);
  if (!request.isResourceRequest) return `${request.verb} ${shown(request.path)} by ${who}`;
  const resource = request.subresource === '' ? request.resource : `${request.resource}/${request.subresource}`;
  const where = request.namespace === '' ? '' : ` in ${shown(request.namespace)}`;
  return `${request.verb} ${shown(resource)}${request.apiGroup === '' ? '' : `.${shown(request.apiGroup)}`}${where} by ${who}`;
}


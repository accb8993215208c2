/**
 * Explanations: for every rule up to the one that matches, which fields held and which did not,
 * then the outcome. Structured data for programs and a text rendering for people.
 */
import type { Policy, PolicyRule } from '@k8s-gen/audit';
import {
  evaluate,
  groupMatches,
  groupWildcardSupported,
  pathPatternMatches,
  resourcePatternMatches,
  type EvaluateOptions,
  type Evaluation,
} from './evaluate.js';
import type { RequestAttributes } from './request.js';
import { ruleLabel, type LocatePath } from './rule-label.js';

/** The rule fields the checker tests, in its order. */
export type CheckedField = 'users' | 'userGroups' | 'verbs' | 'scope' | 'namespaces' | 'resources' | 'nonResourceURLs';

/** The outcome of one field of one rule. */
export interface FieldCheck {
  field: CheckedField;
  /** `any`: the field is empty, so it matches everything. */
  outcome: 'match' | 'mismatch' | 'any';
  /** One sentence: `verbs [watch] does not include get`. */
  detail: string;
}

/** How one rule fared against the request. */
export interface RuleExplanation {
  index: number;
  /** `rules[3]`. */
  path: string;
  level: string;
  matched: boolean;
  /** Every field the checker looks at; a rule matches when none is a mismatch. */
  checks: FieldCheck[];
}

/** The whole story for one request. */
export interface Explanation {
  request: RequestAttributes;
  /** The rules tried, up to and including the matching one (all rules when none matches). */
  rules: RuleExplanation[];
  result: Evaluation;
}

const list = (values: readonly string[]): string => `[${values.map((value) => JSON.stringify(value)).join(', ')}]`;
const quote = (value: string): string => JSON.stringify(value);

/** Checks every field of one rule against the request, in the checker's order. */
export function checkRule(rule: PolicyRule, request: RequestAttributes, options: EvaluateOptions = {}): FieldCheck[] {
  const checks: FieldCheck[] = [];
  const user = request.user;
  const users = rule.users ?? [];
  if (users.length === 0) checks.push({ field: 'users', outcome: 'any', detail: 'users is empty (any user)' });
  else if (user === undefined)
    checks.push({ field: 'users', outcome: 'mismatch', detail: `users ${list(users)} cannot match a request that failed authentication (no user)` });
  else
    checks.push(
      users.includes(user.name)
        ? { field: 'users', outcome: 'match', detail: `users ${list(users)} includes ${quote(user.name)}` }
        : { field: 'users', outcome: 'mismatch', detail: `users ${list(users)} does not include ${quote(user.name)}` },
    );

  const userGroups = rule.userGroups ?? [];
  if (userGroups.length === 0) checks.push({ field: 'userGroups', outcome: 'any', detail: 'userGroups is empty (any group)' });
  else if (user === undefined)
    checks.push({ field: 'userGroups', outcome: 'mismatch', detail: `userGroups ${list(userGroups)} cannot match a request that failed authentication (no user)` });
  else {
    const shared = user.groups.filter((group) => userGroups.includes(group));
    checks.push(
      shared.length > 0
        ? { field: 'userGroups', outcome: 'match', detail: `userGroups ${list(userGroups)} includes the user's group ${quote(shared[0] as string)}` }
        : { field: 'userGroups', outcome: 'mismatch', detail: `userGroups ${list(userGroups)} shares no group with the user's ${list(user.groups)}` },
    );
  }

  const verbs = rule.verbs ?? [];
  if (verbs.length === 0) checks.push({ field: 'verbs', outcome: 'any', detail: 'verbs is empty (any verb)' });
  else
    checks.push(
      verbs.includes(request.verb)
        ? { field: 'verbs', outcome: 'match', detail: `verbs ${list(verbs)} includes ${quote(request.verb)}` }
        : { field: 'verbs', outcome: 'mismatch', detail: `verbs ${list(verbs)} does not include ${quote(request.verb)}` },
    );

  const namespaces = rule.namespaces ?? [];
  const resources = rule.resources ?? [];
  const urls = rule.nonResourceURLs ?? [];
  if (namespaces.length > 0 || resources.length > 0) {
    checks.push(
      request.isResourceRequest
        ? { field: 'scope', outcome: 'match', detail: 'the rule names resources or namespaces and this is a resource request' }
        : { field: 'scope', outcome: 'mismatch', detail: `the rule names resources or namespaces, so it never matches the non-resource path ${quote(request.path)}` },
    );
    if (namespaces.length === 0) checks.push({ field: 'namespaces', outcome: 'any', detail: 'namespaces is empty (any namespace)' });
    else
      checks.push(
        namespaces.includes(request.namespace)
          ? { field: 'namespaces', outcome: 'match', detail: `namespaces ${list(namespaces)} includes ${describeNamespace(request)}` }
          : { field: 'namespaces', outcome: 'mismatch', detail: `namespaces ${list(namespaces)} does not include ${describeNamespace(request)}` },
      );
    if (resources.length === 0) checks.push({ field: 'resources', outcome: 'any', detail: 'resources is empty (any resource)' });
    else checks.push(checkResources(rule, request, groupWildcardSupported(options)));
  } else if (urls.length > 0) {
    checks.push(
      request.isResourceRequest
        ? { field: 'scope', outcome: 'mismatch', detail: 'the rule names only nonResourceURLs, so it never matches a resource request' }
        : { field: 'scope', outcome: 'match', detail: 'the rule names nonResourceURLs and this is a non-resource request' },
    );
    if (!request.isResourceRequest) {
      const hit = urls.find((pattern) => pathPatternMatches(pattern, request.path));
      checks.push(
        hit !== undefined
          ? { field: 'nonResourceURLs', outcome: 'match', detail: `nonResourceURLs entry ${quote(hit)} matches the path ${quote(request.path)}` }
          : { field: 'nonResourceURLs', outcome: 'mismatch', detail: `no nonResourceURLs entry of ${list(urls)} matches the path ${quote(request.path)}` },
      );
    }
  } else {
    checks.push({ field: 'scope', outcome: 'any', detail: 'the rule names no resources, namespaces or URLs, so it applies to every request' });
  }
  return checks;
}

function describeNamespace(request: RequestAttributes): string {
  if (request.namespace !== '') {
    return request.resource === 'namespaces' && request.name === request.namespace
      ? `${quote(request.namespace)} (a Namespace object's namespace is its own name)`
      : quote(request.namespace);
  }
  return '"" (cluster-scoped)';
}

/** Why the resources list did or did not select the request. */
function checkResources(rule: PolicyRule, request: RequestAttributes, wildcardGroups: boolean): FieldCheck {
  const combined = request.subresource === '' ? request.resource : `${request.resource}/${request.subresource}`;
  const reasons: string[] = [];
  for (const [index, entry] of (rule.resources ?? []).entries()) {
    const group = entry.group ?? '';
    const where = `resources[${index}]`;
    if (!groupMatches(group, request.apiGroup, wildcardGroups)) {
      reasons.push(`${where} is for group ${quote(group)}, the request's group is ${quote(request.apiGroup)}`);
      continue;
    }
    const patterns = entry.resources ?? [];
    if (patterns.length === 0) {
      return { field: 'resources', outcome: 'match', detail: `${where} selects every resource of group ${quote(group)}` };
    }
    const names = entry.resourceNames ?? [];
    if (names.length > 0 && !names.includes(request.name)) {
      reasons.push(
        request.name === ''
          ? `${where} needs resourceNames ${list(names)} but the ${request.verb} request names no object (create, list and watch have none unless a metadata.name field selector sets it)`
          : `${where} resourceNames ${list(names)} does not include ${quote(request.name)}`,
      );
      continue;
    }
    const hit = patterns.find((pattern) => resourcePatternMatches(pattern, request.resource, request.subresource));
    if (hit !== undefined) {
      return { field: 'resources', outcome: 'match', detail: `${where} entry ${quote(hit)} matches ${quote(combined)} in group ${quote(request.apiGroup)}` };
    }
    reasons.push(`${where} resources ${list(patterns)} do not match ${quote(combined)}`);
  }
  return { field: 'resources', outcome: 'mismatch', detail: reasons.join('; ') };
}

/**
 * Explains how a policy treats one request: each rule up to the match with the fields that held
 * or failed, then the evaluation result (the same one {@link evaluate} returns).
 */
export function explain(policy: Policy, request: RequestAttributes, options: EvaluateOptions = {}): Explanation {
  const result = evaluate(policy, request, options);
  const last = result.ruleIndex ?? policy.rules.length - 1;
  const rules = policy.rules.slice(0, last + 1).map((rule, index) => {
    const checks = checkRule(rule, request, options);
    return { index, path: `rules[${index}]`, level: rule.level, matched: checks.every((check) => check.outcome !== 'mismatch'), checks };
  });
  return { request, rules, result };
}

/** One line describing the request as the checker sees it. */
export function describeRequest(request: RequestAttributes): string {
  const who =
    request.user === undefined
      ? 'no user (authentication failed)'
      : `user ${quote(request.user.name)} in groups ${list(request.user.groups)}`;
  const as = request.impersonatedUser ? `, impersonating ${quote(request.impersonatedUser.name)} (policies match the impersonator)` : '';
  const what = request.isResourceRequest
    ? `resource request: verb ${quote(request.verb)}, group ${quote(request.apiGroup)}, version ${quote(request.apiVersion)}, resource ${quote(
        request.subresource === '' ? request.resource : `${request.resource}/${request.subresource}`,
      )}, namespace ${quote(request.namespace)}, name ${quote(request.name)}`
    : `non-resource request: verb ${quote(request.verb)}, path ${quote(request.path)}`;
  const flags = [request.longRunning ? 'long-running' : '', request.panicked ? 'panicked' : ''].filter(Boolean);
  return `${what}; ${who}${as}${flags.length > 0 ? `; ${flags.join(', ')}` : ''}`;
}

/**
 * Renders an explanation as text: the request, each rule tried with its reasons, the result. With
 * `policy` (and `locate` for a policy read from a file) rules are named by index, line and comment.
 */
export function formatExplanation(explanation: Explanation, options: { policy?: Policy; locate?: LocatePath } = {}): string {
  const label = (index: number, path: string) => (options.policy === undefined ? path : ruleLabel(options.policy, index, options.locate));
  const lines = [`request: ${describeRequest(explanation.request)}`];
  for (const rule of explanation.rules) {
    lines.push(`${label(rule.index, rule.path)} (level ${rule.level}): ${rule.matched ? 'MATCHES' : 'does not match'}`);
    for (const check of rule.checks) {
      if (rule.matched ? check.outcome !== 'any' : check.outcome === 'mismatch') lines.push(`  - ${check.detail}`);
    }
  }
  const result = explanation.result;
  lines.push(
    result.ruleIndex === undefined
      ? 'result: no rule matches, so the request is not audited (level None)'
      : `result: ${label(result.ruleIndex, `rules[${result.ruleIndex}]`)} decides level ${result.level}`,
  );
  lines.push(`  stages emitted: ${result.stages.length > 0 ? result.stages.join(', ') : 'none'}`);
  lines.push(`  omitted stages: ${result.omitStages.length > 0 ? result.omitStages.join(', ') : 'none'}`);
  if (result.level === 'Request' || result.level === 'RequestResponse') {
    lines.push(`  managed fields: ${result.omitManagedFields ? 'omitted from logged bodies' : 'kept in logged bodies'}`);
  }
  return `${lines.join('\n')}\n`;
}

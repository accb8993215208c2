/**
 * Exact evaluation of an audit policy for one request, as kube-apiserver's policy checker
 * (`k8s.io/apiserver/pkg/audit/policy/checker.go`) and audit filters do it.
 */
import type { Level, Policy, PolicyRule, Stage } from '@k8s-gen/audit';
import { kubernetesMinor as runtimeKubernetesMinor, NEWEST_KUBERNETES_VERSION } from '@k8s-gen/runtime';
import type { RequestAttributes } from './request.js';

/** The newest Kubernetes release whose audit behaviour this package models. */
export const LATEST_KUBERNETES_VERSION = NEWEST_KUBERNETES_VERSION;

/** Options shared by evaluation, explanation and lint. */
export interface EvaluateOptions {
  /**
   * The kube-apiserver release to model (`1.36`, `v1.23.4`). Decides whether `group: "*"` matches
   * every API group (1.36 and later). Default {@link LATEST_KUBERNETES_VERSION}.
   */
  kubernetesVersion?: string;
}

/** What the apiserver does with one request under a policy. */
export interface Evaluation {
  /** Index of the first matching rule; undefined when no rule matches (level None). */
  ruleIndex: number | undefined;
  /** The matching rule. */
  rule?: PolicyRule;
  /** The audit level chosen: the rule's level, or `None` when no rule matches. */
  level: Level;
  /** The stages whose events reach the backends, in the order they are emitted. */
  stages: Stage[];
  /** The stages the rule omits: policy and rule lists joined, in canonical stage order. */
  omitStages: Stage[];
  /**
   * Whether managed fields are dropped from logged bodies: the rule's setting when it has one,
   * otherwise the policy's. Only has an effect at Request level and above.
   */
  omitManagedFields: boolean;
}

/** The four audit stages in the order the apiserver can emit them. */
export const STAGE_ORDER: readonly Stage[] = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'];

/** The four audit levels, least to most detailed. */
export const LEVEL_ORDER: readonly Level[] = ['None', 'Metadata', 'Request', 'RequestResponse'];

/** Rank of a level (None 0 ... RequestResponse 3); unknown levels rank like None, as in the apiserver. */
export function levelRank(level: string): number {
  const rank = LEVEL_ORDER.indexOf(level as Level);
  return rank < 0 ? 0 : rank;
}

/**
 * Reads a Kubernetes version (`1.36`, `v1.36`, `1.36.2`) and returns its minor number; every
 * audit behaviour change happened at a minor release.
 *
 * @throws RangeError when the text is not a 1.x version.
 */
export function kubernetesMinor(version: string): number {
  return runtimeKubernetesMinor(version, { oldest: 12, subject: 'audit.k8s.io/v1 policies' });
}

/** Whether `group: "*"` means "every API group" for the given release. */
export function groupWildcardSupported(options: EvaluateOptions = {}): boolean {
  return kubernetesMinor(options.kubernetesVersion ?? LATEST_KUBERNETES_VERSION) >= 36;
}

/**
 * The stages a request produces before omitStages filtering: failed authentication only
 * ResponseStarted; a panic RequestReceived + Panic; a long-running request RequestReceived +
 * ResponseStarted + ResponseComplete; any other request RequestReceived + ResponseComplete.
 */
export function producedStages(request: RequestAttributes): Stage[] {
  if (request.user === undefined) return ['ResponseStarted'];
  if (request.panicked) return ['RequestReceived', 'Panic'];
  if (request.longRunning) return ['RequestReceived', 'ResponseStarted', 'ResponseComplete'];
  return ['RequestReceived', 'ResponseComplete'];
}

/** Go's `strings.TrimLeft(s, cutset)`. */
export function trimLeftSet(value: string, cutset: string): string {
  let start = 0;
  while (start < value.length && cutset.includes(value[start] as string)) start++;
  return value.slice(start);
}

/** Go's `strings.TrimRight(s, cutset)`. */
export function trimRightSet(value: string, cutset: string): string {
  let end = value.length;
  while (end > 0 && cutset.includes(value[end - 1] as string)) end--;
  return value.slice(0, end);
}

/**
 * Whether a resource entry of a rule (`pods`, `pods/log`, `*`, `pods/*`, or a star followed by
 * `/status`) matches a request's resource and subresource, with the checker's own string tests:
 * `pods/*` matches `pods` itself, and a star, a slash and a star matches only an empty resource name.
 */
export function resourcePatternMatches(pattern: string, resource: string, subresource: string): boolean {
  const combined = subresource === '' ? resource : `${resource}/${subresource}`;
  if (pattern === combined || pattern === '*') return true;
  if (subresource !== '' && pattern.startsWith('*/') && subresource === trimLeftSet(pattern, '*/')) return true;
  return pattern.endsWith('/*') && resource === trimRightSet(pattern, '/*');
}

/** Whether a `nonResourceURLs` entry matches a path: `*`, exact, or `prefix*`. */
export function pathPatternMatches(pattern: string, path: string): boolean {
  if (pattern === '*' || pattern === path) return true;
  return pattern.endsWith('*') && path.startsWith(trimRightSet(pattern, '*'));
}

/** Whether a rule's `group` selects the request's API group. */
export function groupMatches(group: string, apiGroup: string, wildcardGroups: boolean): boolean {
  return group === apiGroup || (wildcardGroups && group === '*');
}

/** True when the field is set to a non-empty list (empty lists match everything). */
function has(list: readonly unknown[] | undefined): list is readonly unknown[] {
  return list !== undefined && list.length > 0;
}

/**
 * The checker's `ruleMatches`: every non-empty field must match. Users and groups never match a
 * request without a user; rules with resources or namespaces only match resource requests, rules
 * with non-resource URLs only non-resource requests.
 */
export function ruleMatches(rule: PolicyRule, request: RequestAttributes, wildcardGroups: boolean): boolean {
  const user = request.user;
  if (has(rule.users) && (user === undefined || !rule.users.includes(user.name))) return false;
  if (has(rule.userGroups)) {
    if (user === undefined) return false;
    const groups = rule.userGroups;
    if (!user.groups.some((group) => groups.includes(group))) return false;
  }
  if (has(rule.verbs) && !rule.verbs.includes(request.verb)) return false;
  if (has(rule.namespaces) || has(rule.resources)) {
    if (!request.isResourceRequest) return false;
    if (has(rule.namespaces) && !rule.namespaces.includes(request.namespace)) return false;
    if (!has(rule.resources)) return true;
    return rule.resources.some((entry) => {
      if (!groupMatches(entry.group ?? '', request.apiGroup, wildcardGroups)) return false;
      if (!has(entry.resources)) return true;
      if (has(entry.resourceNames) && !entry.resourceNames.includes(request.name)) return false;
      return entry.resources.some((pattern) => resourcePatternMatches(pattern, request.resource, request.subresource));
    });
  }
  if (has(rule.nonResourceURLs)) {
    if (request.isResourceRequest) return false;
    return rule.nonResourceURLs.some((pattern) => pathPatternMatches(pattern, request.path));
  }
  return true;
}

/** Joins the policy's and the rule's omitted stages, in canonical order. */
export function effectiveOmitStages(policy: Policy, rule: PolicyRule | undefined): Stage[] {
  const omitted = new Set<string>([...(policy.omitStages ?? []), ...(rule?.omitStages ?? [])]);
  return STAGE_ORDER.filter((stage) => omitted.has(stage));
}

/** The rule's `omitManagedFields` when set, otherwise the policy's (false when unset). */
export function effectiveOmitManagedFields(policy: Policy, rule: PolicyRule | undefined): boolean {
  return rule?.omitManagedFields ?? policy.omitManagedFields ?? false;
}

/** The result for a request matched by `ruleIndex` (or by no rule). */
export function evaluationFor(policy: Policy, ruleIndex: number | undefined, request: RequestAttributes): Evaluation {
  const rule = ruleIndex === undefined ? undefined : policy.rules[ruleIndex];
  const level: Level = rule?.level ?? 'None';
  const omitStages = effectiveOmitStages(policy, rule);
  // The filter skips auditing only for exactly None (an unknown level still emits events).
  const stages = level === 'None' ? [] : producedStages(request).filter((stage) => !omitStages.includes(stage));
  return {
    ruleIndex,
    ...(rule !== undefined ? { rule } : {}),
    level,
    stages,
    omitStages,
    omitManagedFields: effectiveOmitManagedFields(policy, rule),
  };
}

/** Index of the first rule that matches, or undefined. */
export function firstMatchingRule(policy: Policy, request: RequestAttributes, options: EvaluateOptions = {}): number | undefined {
  const wildcardGroups = groupWildcardSupported(options);
  const index = policy.rules.findIndex((rule) => ruleMatches(rule, request, wildcardGroups));
  return index < 0 ? undefined : index;
}

/**
 * Evaluates a policy for one request the way kube-apiserver does: the first matching rule decides
 * the level; its omitStages are joined with the policy's; the stages emitted depend on the kind
 * of request (normal, long-running, panicked, failed authentication).
 *
 * @example
 * evaluate(policy, requestFromHttp({ method: 'GET', url: '/api/v1/namespaces/a/secrets/x', user: 'alice' }))
 */
export function evaluate(policy: Policy, request: RequestAttributes, options: EvaluateOptions = {}): Evaluation {
  return evaluationFor(policy, firstMatchingRule(policy, request, options), request);
}

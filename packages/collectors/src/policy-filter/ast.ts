/**
 * An audit Policy compiled into a decision program both filter targets print: per rule a
 * condition over the request fields of `event-attributes.ts`, and the outcome (level, omitted
 * stages, managed fields). The conditions follow kube-apiserver's policy checker
 * (k8s.io/apiserver `audit/policy/checker.go`, as @k8s-gen/engine's `ruleMatches` models it)
 * test by test, with the string functions (`strings.TrimLeft`/`TrimRight` of the patterns)
 * applied when compiling, so the printed programs only compare strings.
 */
import type { Policy, PolicyRule } from '@k8s-gen/audit';

/** A test of the request fields. */
export type Condition =
  | { readonly kind: 'true' }
  | { readonly kind: 'false' }
  | { readonly kind: 'and'; readonly items: readonly Condition[] }
  | { readonly kind: 'or'; readonly items: readonly Condition[] }
  /** The event has a user name (authentication succeeded). */
  | { readonly kind: 'has-user' }
  /** The user name is one of `values`. */
  | { readonly kind: 'user-in'; readonly values: readonly string[] }
  /** One of the user's groups is one of `values`. */
  | { readonly kind: 'group-in'; readonly values: readonly string[] }
  | { readonly kind: 'verb-in'; readonly values: readonly string[] }
  /** The request is (`true`) or is not (`false`) a resource request. */
  | { readonly kind: 'resource-request'; readonly value: boolean }
  | { readonly kind: 'namespace-in'; readonly values: readonly string[] }
  | { readonly kind: 'api-group-is'; readonly value: string }
  | { readonly kind: 'name-in'; readonly values: readonly string[] }
  /** `resource/subresource` (or `resource` alone) equals `value`. */
  | { readonly kind: 'combined-is'; readonly value: string }
  | { readonly kind: 'resource-is'; readonly value: string }
  /** The subresource is not empty and equals `value`. */
  | { readonly kind: 'subresource-is'; readonly value: string }
  | { readonly kind: 'path-is'; readonly value: string }
  | { readonly kind: 'path-prefix'; readonly value: string };

/** What the first matching rule decides. */
export interface RuleOutcome {
  readonly level: string;
  readonly omitStages: readonly string[];
  readonly omitManagedFields: boolean;
}

/** One compiled rule. */
export interface CompiledRule {
  /** Index of the rule in the policy. */
  readonly index: number;
  readonly condition: Condition;
  readonly outcome: RuleOutcome;
}

/** A compiled policy: rules in order, and what applies when none matches (level None). */
export interface DecisionProgram {
  readonly rules: readonly CompiledRule[];
  /** The outcome of a request no rule matches. */
  readonly fallback: RuleOutcome;
}

const TRUE: Condition = { kind: 'true' };
const FALSE: Condition = { kind: 'false' };

/** `and` with constant folding. */
export function and(...items: Condition[]): Condition {
  const kept = items.filter((c) => c.kind !== 'true');
  if (kept.some((c) => c.kind === 'false')) return FALSE;
  if (kept.length === 0) return TRUE;
  return kept.length === 1 ? kept[0]! : { kind: 'and', items: kept };
}

/** `or` with constant folding. */
export function or(...items: Condition[]): Condition {
  const kept = items.filter((c) => c.kind !== 'false');
  if (kept.some((c) => c.kind === 'true')) return TRUE;
  if (kept.length === 0) return FALSE;
  return kept.length === 1 ? kept[0]! : { kind: 'or', items: kept };
}

/** Go's `strings.TrimLeft(s, cutset)`. */
function trimLeftSet(value: string, cutset: string): string {
  let start = 0;
  while (start < value.length && cutset.includes(value[start]!)) start++;
  return value.slice(start);
}

/** Go's `strings.TrimRight(s, cutset)`. */
function trimRightSet(value: string, cutset: string): string {
  let end = value.length;
  while (end > 0 && cutset.includes(value[end - 1]!)) end--;
  return value.slice(0, end);
}

const has = (list: readonly unknown[] | undefined): list is readonly unknown[] => list !== undefined && list.length > 0;

/** A resource pattern: `*`, exact `res` or `res/sub`, a star-slash prefix before `sub` (that subresource of any resource), `res/*` (also `res` itself). */
function resourcePattern(pattern: string): Condition {
  if (pattern === '*') return TRUE;
  return or(
    { kind: 'combined-is', value: pattern },
    pattern.startsWith('*/') ? { kind: 'subresource-is', value: trimLeftSet(pattern, '*/') } : FALSE,
    pattern.endsWith('/*') ? { kind: 'resource-is', value: trimRightSet(pattern, '/*') } : FALSE,
  );
}

/** A `nonResourceURLs` entry: `*`, exact, or `prefix*`. */
function urlPattern(pattern: string): Condition {
  if (pattern === '*') return TRUE;
  return or({ kind: 'path-is', value: pattern }, pattern.endsWith('*') ? { kind: 'path-prefix', value: trimRightSet(pattern, '*') } : FALSE);
}

/** The condition of one rule, test by test as the checker's `ruleMatches`. */
export function ruleCondition(rule: PolicyRule, wildcardGroups: boolean): Condition {
  const tests: Condition[] = [];
  if (has(rule.users)) tests.push({ kind: 'has-user' }, { kind: 'user-in', values: rule.users });
  if (has(rule.userGroups)) tests.push({ kind: 'has-user' }, { kind: 'group-in', values: rule.userGroups });
  if (has(rule.verbs)) tests.push({ kind: 'verb-in', values: rule.verbs });
  if (has(rule.namespaces) || has(rule.resources)) {
    tests.push({ kind: 'resource-request', value: true });
    if (has(rule.namespaces)) tests.push({ kind: 'namespace-in', values: rule.namespaces });
    if (has(rule.resources)) {
      tests.push(
        or(
          ...rule.resources.map((entry) => {
            const group = entry.group ?? '';
            const groupTest: Condition = wildcardGroups && group === '*' ? TRUE : { kind: 'api-group-is', value: group };
            if (!has(entry.resources)) return groupTest;
            return and(groupTest, has(entry.resourceNames) ? { kind: 'name-in', values: entry.resourceNames } : TRUE, or(...entry.resources.map(resourcePattern)));
          }),
        ),
      );
    }
  } else if (has(rule.nonResourceURLs)) {
    tests.push({ kind: 'resource-request', value: false }, or(...rule.nonResourceURLs.map(urlPattern)));
  }
  return and(...tests);
}

const STAGE_ORDER = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'];

/** The policy's and the rule's omitted stages joined, in the order the apiserver emits them. */
function omittedStages(policy: Policy, rule: PolicyRule | undefined): string[] {
  const omitted = new Set<string>([...(policy.omitStages ?? []), ...(rule?.omitStages ?? [])]);
  return STAGE_ORDER.filter((stage) => omitted.has(stage));
}

/**
 * Compiles a (valid) policy: one condition and outcome per rule, `wildcardGroups` deciding whether
 * `group: "*"` matches every API group (Kubernetes 1.36 and later).
 *
 * @example
 * ```ts
 * compileDecisions(policy().rule().level('None').verbs('watch').end().build(), true).rules[0]?.condition; // { kind: 'verb-in', values: ['watch'] }
 * ```
 */
export function compileDecisions(policy: Policy, wildcardGroups: boolean): DecisionProgram {
  return {
    rules: policy.rules.map((rule, index) => ({
      index,
      condition: ruleCondition(rule, wildcardGroups),
      outcome: { level: rule.level, omitStages: omittedStages(policy, rule), omitManagedFields: rule.omitManagedFields ?? policy.omitManagedFields ?? false },
    })),
    fallback: { level: 'None', omitStages: omittedStages(policy, undefined), omitManagedFields: policy.omitManagedFields ?? false },
  };
}

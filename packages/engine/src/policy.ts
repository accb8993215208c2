/**
 * The policy semantics of `@k8s-gen/engine` on their own: evaluation, explanation, lint and
 * request attributes, without the log readers, cost replay or anything else that needs Node.js.
 * Import `@k8s-gen/engine/policy` in browsers and other runtimes without Node built-ins (the docs
 * site's policy playground does); the functions are the very ones `@k8s-gen/engine` exports.
 *
 * @example
 * ```ts
 * import { parsePolicy } from '@k8s-gen/audit';
 * import { explain, lint, resourceRequest } from '@k8s-gen/engine/policy';
 *
 * const read = parsePolicy('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n');
 * if (read.ok) {
 *   console.log(lint(read.policy));
 *   const request = resourceRequest({ user: { name: 'alice', groups: ['system:authenticated'] }, verb: 'get', resource: 'secrets', namespace: 'a', name: 'x' });
 *   console.log(explain(read.policy, request).result.level); // Metadata
 * }
 * ```
 *
 * @packageDocumentation
 */
export {
  evaluate,
  firstMatchingRule,
  ruleMatches,
  resourcePatternMatches,
  pathPatternMatches,
  effectiveOmitStages,
  effectiveOmitManagedFields,
  producedStages,
  levelRank,
  kubernetesMinor,
  LATEST_KUBERNETES_VERSION,
  LEVEL_ORDER,
  STAGE_ORDER,
} from './evaluate.js';
export type { EvaluateOptions, Evaluation } from './evaluate.js';
export { isLongRunning, nonResourceRequest, requestFromHttp, RequestParseError, resourceRequest } from './request.js';
export type { HttpRequest, NonResourceRequestInit, RequestAttributes, ResourceRequestInit, UserInfo } from './request.js';
export { checkRule, describeRequest, explain, formatExplanation } from './explain.js';
export { ruleLabel, type LocatePath } from './rule-label.js';
export type { CheckedField, Explanation, FieldCheck, RuleExplanation } from './explain.js';
export { CREDENTIAL_RESOURCES, lint, LINT_RULES, reachability, sortFindings } from './lint.js';
export type { LintCode, LintFinding, LintOptions, LintSeverity, RuleReachability } from './lint.js';
export { DEFAULT_QUESTION_STEPS, DEFAULT_TOTAL_STEPS } from './lint-space.js';
export type { SearchLimits } from './lint-space.js';
export { formatLint, formatLintFiles, positionOf } from './lint-format.js';
export type { LintedFile, LintFormat, LintFormatOptions, SourcePosition } from './lint-format.js';

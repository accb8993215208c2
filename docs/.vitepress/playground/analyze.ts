// What the policy playground shows for one state of its form: the policy's problems (parsePolicy,
// which validates it as `validate` does), its lint findings and the explanation of one request.
// Every answer comes from the library functions the CLI calls (`k8s-gen validate`, `lint`,
// `explain`); this module only builds the request from the form and lays the answers out as data.
// It runs in the playground's web worker (playground.worker.ts), and in the docs tests under Node.
import { parsePolicy, type Problem, type Stage } from '@k8s-gen/audit';
import { explain, formatExplanation, lint, nonResourceRequest, resourceRequest, ruleLabel, type FieldCheck, type LintSeverity, type RequestAttributes } from '@k8s-gen/engine/policy';
import { summarizeProblems } from '@k8s-gen/runtime';

/** The request as the form holds it: plain strings, as typed. */
export interface PlaygroundRequest {
  /** `resource`: a request for an API object; `non-resource`: a URL such as `/healthz`. */
  kind: 'resource' | 'non-resource';
  /** The authenticated user; ignored when `authenticationFailed`. */
  user: string;
  /** The user's groups, separated by commas or new lines. */
  groups: string;
  /** The credentials were rejected: the policy sees no user. */
  authenticationFailed: boolean;
  verb: string;
  /** API group, `""` for the core group. */
  apiGroup: string;
  /** `pods` or `pods/log`. */
  resource: string;
  namespace: string;
  name: string;
  /** Path of a non-resource request, e.g. `/healthz`. */
  path: string;
  /** The stage whose event the reader asks about. */
  stage: Stage;
}

/** Everything the playground analyses at once. */
export interface PlaygroundInput {
  /** The policy file's text, YAML or JSON. */
  policy: string;
  /** The kube-apiserver release to check against, e.g. `1.36`. */
  kubernetesVersion: string;
  request: PlaygroundRequest;
}

/** A lint finding with the place in the text its path starts at. */
export interface PlacedFinding {
  code: string;
  severity: LintSeverity;
  path: string;
  message: string;
  fix: string;
  line?: number;
  column?: number;
}

/** One rule the explanation went through. */
export interface TriedRule {
  index: number;
  /** `rules[3], line 12 "comment"`, as the CLI names it. */
  label: string;
  level: string;
  matched: boolean;
  /** Every field the checker tested, with its outcome, in the checker's order. */
  checks: FieldCheck[];
}

/** Whether the event of the asked stage reaches the backends, and why. */
export interface StageVerdict {
  stage: Stage;
  logged: boolean;
  reason: string;
}

/** How the policy treats the request. */
export interface PlaygroundExplanation {
  /** The rule that decides, or undefined when none matches. */
  deciding?: { index: number; label: string };
  level: string;
  stages: Stage[];
  omitStages: Stage[];
  stage: StageVerdict;
  rules: TriedRule[];
  /** The text `k8s-gen explain` prints for the same policy and request. */
  text: string;
}

/** What the playground shows. Plain data: it crosses from the worker to the page. */
export interface PlaygroundReport {
  /** The policy's problems (reading, schema, the apiserver's checks), with line and column. */
  problems: Problem[];
  /** "1 error, 2 warnings" for `problems`. */
  problemSummary: string;
  /** Lint findings; empty while the policy has errors (lint needs a valid policy). */
  findings: PlacedFinding[];
  findingSummary: string;
  /** Problems of the request form, with paths such as `request.verb`. */
  requestProblems: Problem[];
  /** Undefined while the policy or the request has errors. */
  explanation?: PlaygroundExplanation;
}

const requestProblem = (field: string, message: string, fix: string): Problem => ({ severity: 'error', code: 'invalid-request', path: `request.${field}`, message, fix });

/** The request attributes of the form, or the problems that stop building them. */
export function requestOf(form: PlaygroundRequest): { request?: RequestAttributes; problems: Problem[] } {
  const problems: Problem[] = [];
  const verb = form.verb.trim();
  if (verb === '') problems.push(requestProblem('verb', 'The request has no verb.', 'Type a verb such as get, list, watch or create (for a URL: the lower-case HTTP method, e.g. get).'));
  let user: RequestAttributes['user'];
  if (!form.authenticationFailed) {
    const name = form.user.trim();
    if (name === '') problems.push(requestProblem('user', 'The request has no user.', 'Type a user name such as alice or system:anonymous, or tick "authentication failed".'));
    const groups = form.groups
      .split(/[,\n]/)
      .map((group) => group.trim())
      .filter((group) => group !== '');
    user = { name, groups };
  }
  const who = user === undefined ? {} : { user };
  if (form.kind === 'non-resource') {
    const path = form.path.trim();
    if (!path.startsWith('/')) problems.push(requestProblem('path', `The URL path "${path}" does not start with "/".`, 'Write the path from the root, e.g. /healthz or /version.'));
    return problems.length > 0 ? { problems } : { request: nonResourceRequest({ ...who, verb, path }), problems };
  }
  const [resource = '', subresource = '', ...extra] = form.resource.trim().split('/');
  if (resource === '') problems.push(requestProblem('resource', 'The resource request names no resource.', 'Type a resource such as pods, or pods/log for a subresource.'));
  if (extra.length > 0) problems.push(requestProblem('resource', `"${form.resource.trim()}" has more than one "/".`, 'Write resource/subresource, e.g. pods/log.'));
  if (problems.length > 0) return { problems };
  const request = resourceRequest({ ...who, verb, apiGroup: form.apiGroup.trim(), resource, subresource, namespace: form.namespace.trim(), name: form.name.trim() });
  return { request, problems };
}

/** Why the event of `stage` is logged or not, from the evaluation's own stage lists. */
function stageVerdict(stage: Stage, level: string, stages: readonly Stage[], omitStages: readonly Stage[]): StageVerdict {
  if (stages.includes(stage)) return { stage, logged: true, reason: `logged at level ${level}` };
  if (level === 'None') return { stage, logged: false, reason: 'not logged: the level is None, so the request has no events' };
  if (omitStages.includes(stage)) return { stage, logged: false, reason: `not logged: ${stage} is in omitStages` };
  return { stage, logged: false, reason: `not logged: this request never reaches ${stage}` };
}

/**
 * Analyses the form: parsePolicy's problems, then (for a valid policy) lint's findings and the
 * explanation of the request. Never throws for any text the form can hold: the reading limits of
 * parsePolicy bound the work on hostile text, and bad versions or requests are problems.
 */
export function analyze(input: PlaygroundInput): PlaygroundReport {
  const read = parsePolicy(input.policy, { file: 'policy.yaml', kubernetesVersion: input.kubernetesVersion });
  const { problems: requestProblems, request } = requestOf(input.request);
  const report: PlaygroundReport = { problems: read.problems, problemSummary: summarizeProblems(read.problems), findings: [], findingSummary: summarizeProblems([]), requestProblems };
  if (!read.ok) return report;
  const policy = read.policy;
  const options = { kubernetesVersion: input.kubernetesVersion };
  report.findings = lint(policy, options).map(({ code, severity, path, message, fix }) => ({ code, severity, path, message, fix, ...read.locate(path) }));
  report.findingSummary = summarizeProblems(report.findings);
  if (request === undefined) return report;
  const explanation = explain(policy, request, options);
  const { result } = explanation;
  report.explanation = {
    ...(result.ruleIndex === undefined ? {} : { deciding: { index: result.ruleIndex, label: ruleLabel(policy, result.ruleIndex, read.locate) } }),
    level: result.level,
    stages: result.stages,
    omitStages: result.omitStages,
    stage: stageVerdict(input.request.stage, result.level, result.stages, result.omitStages),
    rules: explanation.rules.map((rule) => ({
      index: rule.index,
      label: ruleLabel(policy, rule.index, read.locate),
      level: rule.level,
      matched: rule.matched,
      checks: rule.checks,
    })),
    text: formatExplanation(explanation, { policy, locate: read.locate }),
  };
  return report;
}

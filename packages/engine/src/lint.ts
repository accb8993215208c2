/**
 * Lint for audit policies: problems the apiserver accepts silently (dead rules, credentials in
 * the log, levels that do nothing, stages that double the volume or hide failed logins) and
 * features the target Kubernetes version lacks. Every finding is decided by evaluating requests
 * (through the exact request space of lint-space.ts), never by searching the text.
 */
import type { Policy, PolicyRule } from '@k8s-gen/audit';
import { unknownBuiltinResource } from './builtin-resources.js';
import { effectiveOmitStages, kubernetesMinor, LATEST_KUBERNETES_VERSION, type EvaluateOptions } from './evaluate.js';
import { describeRequest } from './explain.js';
import { RequestSpace, type Restriction, type SearchAnswer, type SearchLimits } from './lint-space.js';
import type { RequestAttributes } from './request.js';

/** How bad a finding is: `error` findings make `k8s-gen lint` exit 1. */
export type LintSeverity = 'error' | 'warning' | 'info';

/** One lint finding, in the shape of the project's problems. */
export interface LintFinding {
  /** Stable identifier, e.g. `dead-rule`. */
  code: LintCode;
  severity: LintSeverity;
  /** Where in the policy: `rules[3]`, `rules[0].verbs[1]`, `omitStages`, `` (the document). */
  path: string;
  /** What is wrong, in one or two sentences. */
  message: string;
  /** What to do instead. */
  fix: string;
  /** For findings about requests: one request that shows the problem (evaluate it to see). */
  example?: RequestAttributes;
}

/** What each lint check reports; the keys are the finding codes. */
export const LINT_RULES = {
  'dead-rule': { severity: 'warning', summary: 'A rule that can never match because earlier rules match every request it would match.' },
  'sensitive-body-logged': {
    severity: 'error',
    summary: 'Bodies of secrets, configmaps, token reviews or token requests are logged at Request or RequestResponse level.',
  },
  'body-level-on-non-resource': {
    severity: 'warning',
    summary: 'Request or RequestResponse on a rule that only matches non-resource URLs, which carry no bodies to log.',
  },
  'no-catch-all': { severity: 'info', summary: 'Some requests match no rule and are not audited at all.' },
  'request-received-not-omitted': {
    severity: 'warning',
    summary: 'RequestReceived is not omitted, so most requests produce two events instead of one.',
  },
  'response-started-omitted': {
    severity: 'warning',
    summary: 'ResponseStarted is omitted, which drops every failed-authentication event (they only have that stage).',
  },
  'star-slash-star': { severity: 'warning', summary: 'The resource "*/*" matches no real request.' },
  'group-with-version': { severity: 'error', summary: 'A resources group carries a version ("apps/v1"); the apiserver rejects the policy.' },
  'watch-at-request-response': {
    severity: 'warning',
    summary: 'Watch requests are logged at RequestResponse, which adds no response body to watch streams.',
  },
  'unsupported-in-version': { severity: 'error', summary: 'The policy uses a feature the target Kubernetes version does not have.' },
  'case-never-matches': { severity: 'warning', summary: 'A verb, resource or namespace with capital letters, which never matches.' },
  'unknown-resource': { severity: 'warning', summary: 'A resource that its built-in API group does not serve (misspelt, singular, or in the wrong group), which never matches.' },
  'rule-unused-in-log': { severity: 'info', summary: 'No request of the audit log given is decided by this rule.' },
  'log-lacks-groups': {
    severity: 'warning',
    summary: "The audit log given does not record users' groups (GKE), so this userGroups rule can never be seen matching in it.",
  },
  'analysis-cut-short': {
    severity: 'warning',
    summary: 'The exact search for the requests a rule decides needed more steps than allowed, so some checks of that rule were not made.',
  },
} as const satisfies Record<string, { severity: LintSeverity; summary: string }>;

/** The code of a lint finding. */
export type LintCode = keyof typeof LINT_RULES;

/**
 * Options of {@link lint} and {@link reachability}: the Kubernetes version to check against and
 * the work the exact search may do (`questionSteps`, `totalSteps`; the defaults are far above
 * what real policies need, and a question that needs more is reported as `analysis-cut-short`).
 */
export interface LintOptions extends EvaluateOptions, SearchLimits {}

/** Whether each rule can be the first match of some request. */
export interface RuleReachability {
  index: number;
  /** True when no request reaches this rule first (false, too, when {@link RuleReachability.cutShort}). */
  dead: boolean;
  /** True when the search ran out of steps before deciding; the rule is then neither proven dead nor live. */
  cutShort?: true;
  /** For a live rule: a request whose first matching rule is this one. */
  witness?: RequestAttributes;
  /** For a dead rule: earlier rules that together match every request it would match. */
  shadowedBy: number[];
}

/**
 * Decides, exactly, for each rule whether some request has it as its first match, with a witness
 * request for live rules and the shadowing rules for dead ones.
 *
 * @example
 * reachability(policy).filter((rule) => rule.dead).map((rule) => `rules[${rule.index}] is shadowed by ${rule.shadowedBy.join(', ')}`)
 */
export function reachability(policy: Policy, options: LintOptions = {}): RuleReachability[] {
  const space = new RequestSpace(policy, options, {}, options);
  return policy.rules.map((_, index) => {
    const answer = space.firstMatch(index);
    if (answer.outcome === 'found') return { index, dead: false, witness: answer.request, shadowedBy: [] };
    if (answer.outcome === 'cut-short') return { index, dead: false, cutShort: true, shadowedBy: [] };
    return { index, dead: true, shadowedBy: space.shadowingRules(index) };
  });
}

/**
 * Resources whose bodies carry credentials, and the verbs whose request or response holds them:
 * what `sensitive-body-logged` looks for, and what `suggest` never logs above Metadata.
 */
export const CREDENTIAL_RESOURCES: ReadonlyArray<{
  label: string;
  apiGroup: string;
  resource: string;
  subresource: string;
  /** Namespaced resources always have a namespace; cluster-scoped ones never do. */
  namespaced: boolean;
  severity: LintSeverity;
  /** Verbs whose request body holds the credential (logged from Request level). */
  requestVerbs: readonly string[];
  /** Verbs whose response body holds it (logged at RequestResponse). */
  responseVerbs: readonly string[];
}> = [
  {
    label: 'secrets',
    apiGroup: '',
    resource: 'secrets',
    subresource: '',
    namespaced: true,
    severity: 'error',
    requestVerbs: ['create', 'update', 'patch'],
    responseVerbs: ['get', 'list', 'create', 'update', 'patch', 'delete', 'deletecollection'],
  },
  {
    label: 'configmaps',
    apiGroup: '',
    resource: 'configmaps',
    subresource: '',
    namespaced: true,
    severity: 'warning',
    requestVerbs: ['create', 'update', 'patch'],
    responseVerbs: ['get', 'list', 'create', 'update', 'patch', 'delete', 'deletecollection'],
  },
  {
    label: 'token reviews (the bearer token under review)',
    apiGroup: 'authentication.k8s.io',
    resource: 'tokenreviews',
    subresource: '',
    namespaced: false,
    severity: 'error',
    requestVerbs: ['create'],
    responseVerbs: ['create'],
  },
  {
    label: 'token requests (serviceaccounts/token, the issued token)',
    apiGroup: '',
    resource: 'serviceaccounts',
    subresource: 'token',
    namespaced: true,
    severity: 'error',
    requestVerbs: [],
    responseVerbs: ['create'],
  },
];

const LEGACY_API_VERSIONS = ['audit.k8s.io/v1beta1', 'audit.k8s.io/v1alpha1'];
const UPPER_CASE = /[A-Z]/;

/**
 * Lints a policy for the given Kubernetes version (default the latest modelled). Findings are
 * sorted by path, then code, so the output is deterministic.
 *
 * @example
 * lint(policy, { kubernetesVersion: '1.30' }).filter((finding) => finding.severity === 'error')
 */
export function lint(policy: Policy, options: LintOptions = {}): LintFinding[] {
  const version = options.kubernetesVersion ?? LATEST_KUBERNETES_VERSION;
  const minor = kubernetesMinor(version);
  const space = new RequestSpace(
    policy,
    options,
    {
      apiGroups: CREDENTIAL_RESOURCES.map((target) => target.apiGroup),
      resources: CREDENTIAL_RESOURCES.map((target) => ({ resource: target.resource, subresource: target.subresource })),
    },
    options,
  );
  const findings: LintFinding[] = [];
  const add: Add = (code, path, message, fix, extra = {}) => {
    findings.push({ code, severity: extra.severity ?? LINT_RULES[code].severity, path, message, fix, ...(extra.example ? { example: extra.example } : {}) });
  };
  // Questions lint could not answer, per rule path, reported once per rule.
  const unanswered = new Map<string, string[]>();
  const ask: Ask = (index, question, restriction, readable) => {
    const answer = space.firstMatch(index, restriction, readable);
    if (answer.outcome === 'cut-short') {
      const path = `rules[${index}]`;
      unanswered.set(path, [...(unanswered.get(path) ?? []), question]);
    }
    return answer;
  };
  const firstMatches = policy.rules.map((_, index) => ask(index, 'whether any request reaches it first', undefined, false));
  const live = (index: number): boolean => firstMatches[index]?.outcome === 'found';
  const unauthenticated = new Map<number, SearchAnswer>();
  const failedLogins: AskFailedLogins = (index) => {
    let answer = unauthenticated.get(index);
    if (answer === undefined) {
      answer = ask(index, 'whether failed logins reach it', { authenticated: false });
      unauthenticated.set(index, answer);
    }
    return answer;
  };

  policy.rules.forEach((rule, index) => {
    const at = `rules[${index}]`;
    if (firstMatches[index]?.outcome === 'none') {
      const shadows = space.shadowingRules(index);
      add(
        'dead-rule',
        at,
        shadows.length === 0
          ? `${at} can never match: no request satisfies all of its fields`
          : shadows.length === 1
            ? `${at} can never match: rules[${shadows[0]}] already matches every request it would match`
            : `${at} can never match: ${shadows.map((other) => `rules[${other}]`).join(', ')} together match every request it would match`,
        shadows.length === 0 ? 'remove the rule or correct its fields' : `remove the rule, or move it above rules[${shadows[0]}] if it should win`,
      );
    }
    lintRuleFields(rule, at, minor, version, add);
    if (isNonResourceOnly(rule) && (rule.level === 'Request' || rule.level === 'RequestResponse')) {
      add(
        'body-level-on-non-resource',
        `${at}.level`,
        `${at} only matches non-resource URLs, which have no request or response objects, so level ${rule.level} logs the same as Metadata`,
        'set level: Metadata',
      );
    }
    if (live(index)) lintRuleRequests(policy, rule, index, ask, failedLogins, add);
  });

  lintPolicyStages(policy, live, failedLogins, add);
  const unmatched = space.unmatched();
  if (unmatched.outcome === 'found') {
    add(
      'no-catch-all',
      'rules',
      `some requests match no rule and are not audited at all, for example: ${describeRequest(unmatched.request)}`,
      'end the rules with a rule that has only a level (e.g. "- level: Metadata"), so every request is decided on purpose',
      { example: unmatched.request },
    );
  } else if (unmatched.outcome === 'cut-short') unanswered.set('rules', ['whether some request matches no rule']);
  for (const [path, questions] of unanswered) {
    add(
      'analysis-cut-short',
      path,
      `lint stopped before deciding ${questions.join(', ')} (the search needed more than its step limit), so the checks that depend on ${questions.length === 1 ? 'it were' : 'them were'} not made for ${path}`,
      'split the rules that overlap it into simpler rules, or raise the limits (questionSteps / totalSteps; k8s-gen lint --question-steps N --total-steps N)',
    );
  }
  if (minor >= 24 && LEGACY_API_VERSIONS.includes(String((policy as { apiVersion?: unknown }).apiVersion))) {
    add(
      'unsupported-in-version',
      'apiVersion',
      `apiVersion ${String((policy as { apiVersion?: unknown }).apiVersion)} was removed in Kubernetes 1.24; ${version} refuses to load the policy`,
      'write apiVersion: audit.k8s.io/v1 (the fields are the same)',
    );
  }
  if (minor < 23 && policy.omitManagedFields !== undefined) {
    add(
      'unsupported-in-version',
      'omitManagedFields',
      `omitManagedFields exists from Kubernetes 1.23; ${version} ignores it`,
      'remove omitManagedFields or target Kubernetes 1.23 or later',
    );
  }
  return sortFindings(findings);
}

/** Asks whether some request allowed by `restriction` reaches rule `index` first; `question` names it in a cut-short finding. */
type Ask = (index: number, question: string, restriction?: Restriction, readable?: boolean) => SearchAnswer;
/** {@link Ask} for failed-authentication requests, asked by two checks and answered once. */
type AskFailedLogins = (index: number) => SearchAnswer;

type Add = (
  code: LintCode,
  path: string,
  message: string,
  fix: string,
  options?: { severity?: LintSeverity; example?: RequestAttributes },
) => void;

function isNonResourceOnly(rule: PolicyRule): boolean {
  return (rule.nonResourceURLs ?? []).length > 0 && (rule.resources ?? []).length === 0 && (rule.namespaces ?? []).length === 0;
}

/** Checks of one rule's own fields: spelling, groups, version features. */
function lintRuleFields(rule: PolicyRule, at: string, minor: number, version: string, add: Add): void {
  (rule.verbs ?? []).forEach((verb, index) => {
    if (UPPER_CASE.test(verb)) {
      add('case-never-matches', `${at}.verbs[${index}]`, `verb "${verb}" has capital letters; request verbs are always lower-case, so it never matches`, `write "${verb.toLowerCase()}"`);
    }
  });
  (rule.namespaces ?? []).forEach((namespace, index) => {
    if (UPPER_CASE.test(namespace)) {
      add(
        'case-never-matches',
        `${at}.namespaces[${index}]`,
        `namespace "${namespace}" has capital letters; namespace names are lower-case, so it never matches`,
        `write "${namespace.toLowerCase()}"`,
      );
    }
  });
  if (minor < 23 && rule.omitManagedFields !== undefined) {
    add('unsupported-in-version', `${at}.omitManagedFields`, `omitManagedFields exists from Kubernetes 1.23; ${version} ignores it`, 'remove it or target Kubernetes 1.23 or later');
  }
  (rule.resources ?? []).forEach((entry, entryIndex) => {
    const where = `${at}.resources[${entryIndex}]`;
    const group = entry.group ?? '';
    if (group.includes('/')) {
      add(
        'group-with-version',
        `${where}.group`,
        `group "${group}" includes a version; groups are matched without versions and the apiserver rejects this policy`,
        `write group: "${group.slice(0, group.indexOf('/'))}"`,
      );
    }
    if (group === '*' && minor < 36) {
      add(
        'unsupported-in-version',
        `${where}.group`,
        `group "*" means every API group only from Kubernetes 1.36; ${version} rejects the policy`,
        'list the groups one entry each, or target Kubernetes 1.36 or later',
      );
    }
    (entry.resources ?? []).forEach((pattern, patternIndex) => {
      const path = `${where}.resources[${patternIndex}]`;
      if (pattern === '*/*') {
        add('star-slash-star', path, `"*/*" matches no request (the apiserver reads it as "resource named empty"), unlike in admission webhooks`, 'write "*" to match every resource and subresource');
      }
      if (UPPER_CASE.test(pattern)) {
        add('case-never-matches', path, `resource "${pattern}" has capital letters; resource names in requests are lower-case, so it never matches`, `write "${pattern.toLowerCase()}"`);
      } else {
        const unknown = unknownBuiltinResource(group, pattern.split('/')[0]!);
        if (unknown !== undefined) add('unknown-resource', path, unknown.message, unknown.fix);
      }
    });
  });
}

/** Checks that need the requests a live rule is the first match for. */
function lintRuleRequests(policy: Policy, rule: PolicyRule, index: number, ask: Ask, failedLogins: AskFailedLogins, add: Add): void {
  const at = `rules[${index}]`;
  if (rule.level === 'Request' || rule.level === 'RequestResponse') {
    for (const target of CREDENTIAL_RESOURCES) {
      const verbs = rule.level === 'Request' ? target.requestVerbs : [...new Set([...target.requestVerbs, ...target.responseVerbs])];
      if (verbs.length === 0) continue;
      const restriction: Restriction = {
        authenticated: true,
        resourceRequest: true,
        apiGroup: target.apiGroup,
        resource: { resource: target.resource, subresource: target.subresource },
        namespaced: target.namespaced,
        verbs,
      };
      const answer = ask(index, `whether it logs the bodies of ${target.label}`, restriction);
      if (answer.outcome !== 'found') continue;
      const example = answer.request;
      add(
        'sensitive-body-logged',
        `${at}.level`,
        `${at} logs the bodies of ${target.label} at level ${rule.level}, so the credentials they hold are written into the audit log; for example: ${describeRequest(example)}`,
        `add a rule before ${at} that logs ${target.resource}${target.subresource ? `/${target.subresource}` : ''} in group "${target.apiGroup}" at Metadata`,
        { severity: target.severity, example },
      );
    }
  }
  if (rule.level === 'RequestResponse') {
    const answer = ask(index, 'whether watches reach it', { verbs: ['watch'], resourceRequest: true });
    if (answer.outcome === 'found') {
      const example = answer.request;
      add(
        'watch-at-request-response',
        `${at}.level`,
        `${at} logs watch requests at RequestResponse; watch streams never get a response body, so this only adds cost (e.g. ${describeRequest(example)})`,
        `add a rule before ${at} with verbs: [watch] at Request or Metadata`,
        { example },
      );
    }
  }
  const omitted = effectiveOmitStages(policy, rule);
  if (rule.level !== 'None' && omitted.includes('ResponseStarted') && !(policy.omitStages ?? []).includes('ResponseStarted')) {
    const answer = failedLogins(index);
    if (answer.outcome === 'found') {
      const example = answer.request;
      add(
        'response-started-omitted',
        `${at}.omitStages`,
        `${at} omits ResponseStarted, the only stage of failed-authentication (401) requests, so failed logins it matches are never logged (e.g. ${describeRequest(example)})`,
        'remove ResponseStarted from omitStages',
        { example },
      );
    }
  }
}

/** Policy-wide stage checks: RequestReceived kept, ResponseStarted omitted for every rule. */
function lintPolicyStages(policy: Policy, live: (index: number) => boolean, failedLogins: AskFailedLogins, add: Add): void {
  const policyOmits = policy.omitStages ?? [];
  const keepingReceived = policy.rules
    .map((rule, index) => ({ rule, index }))
    .filter(({ rule, index }) => live(index) && rule.level !== 'None' && !effectiveOmitStages(policy, rule).includes('RequestReceived'))
    .map(({ index }) => `rules[${index}]`);
  if (keepingReceived.length > 0) {
    add(
      'request-received-not-omitted',
      'omitStages',
      `${keepingReceived.join(', ')} emit RequestReceived as well as ResponseComplete, so each request they log costs two events; RequestReceived carries nothing the later stage lacks`,
      'add RequestReceived to the policy-level omitStages',
    );
  }
  if (policyOmits.includes('ResponseStarted')) {
    const failing = policy.rules
      .map((rule, index) => ({ rule, index }))
      .filter(({ rule, index }) => rule.level !== 'None' && failedLogins(index).outcome === 'found')
      .map(({ index }) => `rules[${index}]`);
    if (failing.length > 0) {
      add(
        'response-started-omitted',
        'omitStages',
        `the policy omits ResponseStarted, the only stage of failed-authentication (401) requests, so failed logins that ${failing.join(', ')} would log are lost`,
        'remove ResponseStarted from the policy-level omitStages',
      );
    }
  }
}

/** Sorts findings by path (indices numerically), then code, then message. */
export function sortFindings(findings: readonly LintFinding[]): LintFinding[] {
  const key = (path: string): string => path.replace(/\d+/g, (digits) => digits.padStart(6, '0'));
  return [...findings].sort(
    (a, b) => compare(key(a.path), key(b.path)) || compare(a.code, b.code) || compare(a.message, b.message),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

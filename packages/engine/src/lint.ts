/**
 * Lint for audit policies: problems the apiserver accepts silently (dead rules, credentials in
 * the log, levels that do nothing, stages that double the volume or hide failed logins) and
 * features the target Kubernetes version lacks. Every finding is decided by evaluating requests
 * (through the exact request space of lint-space.ts), never by searching the text.
 */
import type { Policy, PolicyRule } from '@k8s-gen/audit';
import { effectiveOmitStages, kubernetesMinor, LATEST_KUBERNETES_VERSION, type EvaluateOptions } from './evaluate.js';
import { describeRequest } from './explain.js';
import { RequestSpace, type Restriction } from './lint-space.js';
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
} as const satisfies Record<string, { severity: LintSeverity; summary: string }>;

/** The code of a lint finding. */
export type LintCode = keyof typeof LINT_RULES;

/** Options of {@link lint}: the Kubernetes version to check against. */
export type LintOptions = EvaluateOptions;

/** Whether each rule can be the first match of some request. */
export interface RuleReachability {
  index: number;
  /** True when no request reaches this rule first. */
  dead: boolean;
  /** For a live rule: a request whose first matching rule is this one. */
  witness?: RequestAttributes;
  /** For a dead rule: earlier rules that together match every request it would match. */
  shadowedBy: number[];
}

/**
 * Decides, exactly, for each rule whether some request has it as its first match, with a witness
 * request for live rules and the shadowing rules for dead ones.
 */
export function reachability(policy: Policy, options: EvaluateOptions = {}): RuleReachability[] {
  const space = new RequestSpace(policy, options);
  return policy.rules.map((_, index) => {
    const witness = space.firstMatchWitness(index);
    return witness !== undefined
      ? { index, dead: false, witness, shadowedBy: [] }
      : { index, dead: true, shadowedBy: space.shadowingRules(index) };
  });
}

/** Resources whose bodies carry credentials, and the verbs whose request or response holds them. */
const SENSITIVE_RESOURCES: ReadonlyArray<{
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
 */
export function lint(policy: Policy, options: LintOptions = {}): LintFinding[] {
  const version = options.kubernetesVersion ?? LATEST_KUBERNETES_VERSION;
  const minor = kubernetesMinor(version);
  const space = new RequestSpace(policy, options, {
    apiGroups: SENSITIVE_RESOURCES.map((target) => target.apiGroup),
    resources: SENSITIVE_RESOURCES.map((target) => ({ resource: target.resource, subresource: target.subresource })),
  });
  const findings: LintFinding[] = [];
  const add: Add = (code, path, message, fix, extra = {}) => {
    findings.push({ code, severity: extra.severity ?? LINT_RULES[code].severity, path, message, fix, ...(extra.example ? { example: extra.example } : {}) });
  };
  const witnesses = policy.rules.map((_, index) => space.firstMatchWitness(index));
  const live = (index: number): boolean => witnesses[index] !== undefined;

  policy.rules.forEach((rule, index) => {
    const at = `rules[${index}]`;
    if (!live(index)) {
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
    if (live(index)) lintRuleRequests(policy, space, rule, index, add);
  });

  lintPolicyStages(policy, space, witnesses, add);
  const unmatched = space.unmatchedWitness();
  if (unmatched !== undefined) {
    add(
      'no-catch-all',
      'rules',
      `some requests match no rule and are not audited at all, for example: ${describeRequest(unmatched)}`,
      'end the rules with a rule that has only a level (e.g. "- level: Metadata"), so every request is decided on purpose',
      { example: unmatched },
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
      }
    });
  });
}

/** Checks that need the requests a live rule is the first match for. */
function lintRuleRequests(policy: Policy, space: RequestSpace, rule: PolicyRule, index: number, add: Add): void {
  const at = `rules[${index}]`;
  if (rule.level === 'Request' || rule.level === 'RequestResponse') {
    for (const target of SENSITIVE_RESOURCES) {
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
      const example = space.firstMatchWitness(index, restriction);
      if (example === undefined) continue;
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
    const example = space.firstMatchWitness(index, { verbs: ['watch'], resourceRequest: true });
    if (example !== undefined) {
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
    const example = space.firstMatchWitness(index, { authenticated: false });
    if (example !== undefined) {
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
function lintPolicyStages(policy: Policy, space: RequestSpace, witnesses: ReadonlyArray<RequestAttributes | undefined>, add: Add): void {
  const policyOmits = policy.omitStages ?? [];
  const keepingReceived = policy.rules
    .map((rule, index) => ({ rule, index }))
    .filter(({ rule, index }) => witnesses[index] !== undefined && rule.level !== 'None' && !effectiveOmitStages(policy, rule).includes('RequestReceived'))
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
      .filter(({ rule, index }) => rule.level !== 'None' && space.firstMatchWitness(index, { authenticated: false }) !== undefined)
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

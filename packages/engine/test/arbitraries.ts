// Random policies and requests over a small shared alphabet, so that rules and requests meet often.
import type { Policy, PolicyRule, Stage } from '@k8s-gen/audit';
import fc from 'fast-check';
import type { RequestAttributes } from '../src/index.js';

export const USERS = ['alice', 'bob', 'system:kube-proxy'];
export const GROUPS = ['dev', 'ops', 'system:authenticated'];
export const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'GET'];
export const API_GROUPS = ['', 'apps', 'batch'];
export const RULE_GROUPS = [...API_GROUPS, '*'];
export const RESOURCE_PATTERNS = ['pods', 'pods/log', 'pods/status', 'pods/*', '*', '*/status', '*/log', '*/*', 'secrets', 'namespaces', 'deployments', 'deployments/scale', 'namespaces/*', '*/*/status', 'pods/'];
export const RESOURCES = ['pods', 'secrets', 'namespaces', 'deployments', ''];
export const SUBRESOURCES = ['', 'log', 'status', 'scale', 'exec'];
export const NAMES = ['', 'a', 'b', 'leader'];
export const NAMESPACES = ['', 'a', 'b', 'kube-system'];
export const URL_PATTERNS = ['*', '/healthz', '/healthz*', '/api*', '/version', '/', '/apis/*', '/debug/pprof/*'];
export const PATHS = ['/healthz', '/healthz/etcd', '/healthzfoo', '/api', '/apis', '/apis/apps', '/version', '/', '/metrics', '/debug/pprof/heap'];
const STAGES: Stage[] = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'];
const LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;

const someOf = <T>(values: readonly T[], maxLength = 2) => fc.uniqueArray(fc.constantFrom(...values), { maxLength });
const optionalList = <T>(values: readonly T[], maxLength = 2) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: someOf(values, maxLength) });

const groupResources = fc.record(
  {
    group: fc.constantFrom(...RULE_GROUPS),
    resources: optionalList(RESOURCE_PATTERNS, 3),
    resourceNames: optionalList(NAMES, 2),
  },
  { requiredKeys: ['group'] },
);

/** A rule over the alphabet: resource rules, URL rules and rules with neither. */
export const ruleArbitrary: fc.Arbitrary<PolicyRule> = fc
  .record({
    level: fc.constantFrom(...LEVELS),
    users: optionalList(USERS),
    userGroups: optionalList(GROUPS),
    verbs: optionalList(VERBS, 3),
    scope: fc.oneof(
      fc.constant({}),
      fc.record({ resources: fc.array(groupResources, { minLength: 1, maxLength: 2 }), namespaces: optionalList(NAMESPACES) }),
      fc.record({ namespaces: someOf(NAMESPACES).filter((list) => list.length > 0) }),
      fc.record({ nonResourceURLs: someOf(URL_PATTERNS, 3).filter((list) => list.length > 0) }),
    ),
    omitStages: optionalList(STAGES),
    omitManagedFields: fc.option(fc.boolean(), { nil: undefined }),
  })
  .map(({ scope, ...rest }) => {
    const rule: Record<string, unknown> = { ...rest, ...scope };
    for (const key of Object.keys(rule)) if (rule[key] === undefined) delete rule[key];
    return rule as unknown as PolicyRule;
  });

export const policyArbitrary: fc.Arbitrary<Policy> = fc
  .record({
    rules: fc.array(ruleArbitrary, { minLength: 1, maxLength: 6 }),
    omitStages: optionalList(STAGES),
    omitManagedFields: fc.option(fc.boolean(), { nil: undefined }),
  })
  .map(({ rules, omitStages, omitManagedFields }) => ({
    apiVersion: 'audit.k8s.io/v1' as const,
    kind: 'Policy' as const,
    rules,
    ...(omitStages !== undefined ? { omitStages } : {}),
    ...(omitManagedFields !== undefined ? { omitManagedFields } : {}),
  }));

/** A request over the same alphabet, with every flag free. */
export const requestArbitrary: fc.Arbitrary<RequestAttributes> = fc
  .record({
    user: fc.option(fc.record({ name: fc.constantFrom(...USERS, 'carol'), groups: someOf([...GROUPS, 'qa'], 3) }), { nil: undefined }),
    verb: fc.constantFrom(...VERBS, 'post', 'proxy'),
    isResourceRequest: fc.boolean(),
    path: fc.constantFrom(...PATHS),
    apiGroup: fc.constantFrom(...API_GROUPS, '*'),
    namespace: fc.constantFrom(...NAMESPACES),
    resource: fc.constantFrom(...RESOURCES),
    subresource: fc.constantFrom(...SUBRESOURCES),
    name: fc.constantFrom(...NAMES),
    longRunning: fc.boolean(),
    panicked: fc.boolean(),
  })
  .map(({ user, ...rest }) => ({ ...(user !== undefined ? { user } : {}), apiVersion: 'v1', ...rest }));

// ---- A smaller alphabet, for the brute-force oracle of lint (every request of a complete universe is evaluated) ----

export const SMALL = {
  users: ['alice', 'bob'],
  groups: ['dev', 'system:authenticated'],
  verbs: ['get', 'watch', 'create', 'GET'],
  namespaces: ['', 'kube-system', 'a'],
  ruleGroups: ['', 'apps', '*'],
  resourcePatterns: ['pods', 'pods/log', 'pods/*', '*', '*/status', '*/*', 'secrets', 'namespaces', 'pods/', 'deployments/scale', '*/*/status'],
  names: ['a', 'leader'],
  urlPatterns: ['*', '/healthz', '/healthz*', '/api*', '/apis/*', '/', '/version'],
} as const;

const smallGroupResources = fc.record(
  {
    group: fc.constantFrom(...SMALL.ruleGroups),
    resources: optionalList(SMALL.resourcePatterns, 3),
    resourceNames: optionalList(SMALL.names, 2),
  },
  { requiredKeys: ['group'] },
);

/** A rule over the small alphabet. */
export const smallRuleArbitrary: fc.Arbitrary<PolicyRule> = fc
  .record({
    level: fc.constantFrom(...LEVELS),
    users: optionalList(SMALL.users),
    userGroups: optionalList(SMALL.groups),
    verbs: optionalList(SMALL.verbs, 3),
    scope: fc.oneof(
      fc.constant({}),
      fc.record({ resources: fc.array(smallGroupResources, { minLength: 1, maxLength: 2 }), namespaces: optionalList(SMALL.namespaces) }),
      fc.record({ namespaces: someOf(SMALL.namespaces).filter((list) => list.length > 0) }),
      fc.record({ nonResourceURLs: someOf(SMALL.urlPatterns, 3).filter((list) => list.length > 0) }),
    ),
  })
  .map(({ scope, ...rest }) => {
    const rule: Record<string, unknown> = { ...rest, ...scope };
    for (const key of Object.keys(rule)) if (rule[key] === undefined) delete rule[key];
    return rule as unknown as PolicyRule;
  });

/** A policy of one to seven rules over the small alphabet. */
export const smallPolicyArbitrary: fc.Arbitrary<Policy> = fc.array(smallRuleArbitrary, { minLength: 1, maxLength: 7 }).map((rules) => ({
  apiVersion: 'audit.k8s.io/v1' as const,
  kind: 'Policy' as const,
  rules,
}));

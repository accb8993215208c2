// Hostile inputs for lint: policies far larger than usual, and small ones whose exact analysis
// explodes. Used by test/lint-scale.test.ts and bench/lint.
import type { Policy, PolicyRule } from '@k8s-gen/audit';
import { seededRandom } from '@k8s-gen/engine';
import type { HostileCase } from './case.js';

/** Where the parts of a {@link teamPolicy} sit in its rules. */
export interface TeamPolicyLayout {
  /** Rules before the first team (shared by every team). */
  prefix: number;
  /** First rule index and rule count of each team's block. */
  blocks: Array<{ start: number; length: number }>;
  /** Rules after the last team (shared). */
  suffix: number;
}

const POOLS = {
  groups: Array.from({ length: 40 }, (_, i) => `team-${i}`),
  namespaces: ['kube-system', 'default', ...Array.from({ length: 60 }, (_, i) => `ns-${i}`)],
  resources: ['pods', 'services', 'endpoints', 'jobs', 'cronjobs', ...Array.from({ length: 25 }, (_, i) => `widgets${i}`)],
  apiGroups: ['', 'apps', 'batch', 'networking.k8s.io', ...Array.from({ length: 8 }, (_, i) => `example${i}.io`)],
};

const SHARED_PREFIX: PolicyRule[] = [
  { level: 'None', users: ['system:kube-proxy'], verbs: ['watch'], resources: [{ group: '', resources: ['endpoints', 'services', 'services/status'] }] },
  { level: 'None', nonResourceURLs: ['/healthz*', '/version', '/swagger*', '/livez*', '/readyz*'] },
  { level: 'None', userGroups: ['system:nodes'], verbs: ['get'], resources: [{ group: '', resources: ['nodes', 'nodes/status'] }] },
  { level: 'Metadata', resources: [{ group: '', resources: ['secrets', 'configmaps'] }, { group: 'authentication.k8s.io', resources: ['tokenreviews'] }] },
];
const SHARED_SUFFIX: PolicyRule[] = [{ level: 'Request', verbs: ['create', 'update', 'patch', 'delete'] }, { level: 'Metadata' }];

/** The rules of team `team`: every one names only that team's users, so teams never interact. */
function teamRules(team: number): PolicyRule[] {
  const next = seededRandom(team + 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const dev = `dev-${team}`;
  const ci = `system:serviceaccount:team-${team}:ci`;
  const [groupA, groupB] = [pick(POOLS.groups), pick(POOLS.groups)];
  const [ns1, ns2, ns3] = [pick(POOLS.namespaces), pick(POOLS.namespaces), pick(POOLS.namespaces)];
  const resource = pick(POOLS.resources);
  const apiGroup = pick(POOLS.apiGroups);
  const rules: PolicyRule[] = [
    { level: 'None', users: [ci], verbs: ['get', 'list', 'watch'], nonResourceURLs: ['/metrics', '/debug/*'] },
    {
      level: 'Metadata',
      users: [dev, ci],
      userGroups: [groupA],
      verbs: ['get', 'list'],
      namespaces: [ns1, ns2],
      resources: [{ group: '', resources: ['pods', 'pods/log'] }, { group: 'apps', resources: ['deployments', 'deployments/scale'] }],
    },
    { level: 'RequestResponse', users: [dev], resources: [{ group: '', resources: ['serviceaccounts/token', 'pods/exec'] }] },
    { level: 'Request', users: [dev, ci], verbs: ['create', 'update', 'patch'], resources: [{ group: apiGroup, resources: ['*/status', resource] }] },
    { level: 'None', users: [ci], resources: [{ group: 'coordination.k8s.io', resources: ['leases'], resourceNames: [`lock-${team}`] }] },
    // Dead: rules[2] of the team already takes every token request of dev.
    { level: 'Metadata', users: [dev], verbs: ['get'], resources: [{ group: '', resources: ['serviceaccounts/token'] }] },
    // Dead: the team's first rule already takes ci's watches of /metrics.
    { level: 'Metadata', users: [ci], verbs: ['watch'], nonResourceURLs: ['/metrics'] },
    { level: 'RequestResponse', users: [dev, ci], userGroups: [groupB], namespaces: [ns3], resources: [{ group: '*', resources: ['pods/*'] }] },
    { level: 'Request', users: [ci], verbs: ['get', 'list'], nonResourceURLs: ['/apis/*', '/openapi/v2'] },
    { level: 'Metadata', users: [dev, ci], namespaces: [ns1, ns2, ns3] },
  ];
  if (team % 7 === 0) rules.push({ level: 'None', users: [dev], verbs: ['GET'] });
  if (team % 5 === 3) rules.splice(9, 1);
  return rules;
}

/**
 * A policy of about `rules` rules as a large organisation might write it: a few shared rules,
 * then one block per team (users, groups, verbs, resources, subresources, names, namespaces,
 * URLs, two dead rules per block, bodies of token requests logged), then a catch-all. Every
 * team rule names only its team's users, so each block behaves exactly as it does in the small
 * policy of the shared rules and that one block ({@link teamPolicy} with `teams: [team]`).
 */
export function teamPolicy(options: { rules?: number; teams?: readonly number[] }): { policy: Policy; layout: TeamPolicyLayout } {
  const rules: PolicyRule[] = [...SHARED_PREFIX];
  const blocks: TeamPolicyLayout['blocks'] = [];
  const add = (team: number): void => {
    const block = teamRules(team);
    blocks.push({ start: rules.length, length: block.length });
    rules.push(...block);
  };
  if (options.teams !== undefined) options.teams.forEach(add);
  else for (let team = 0; rules.length + SHARED_SUFFIX.length < (options.rules ?? 1000); team++) add(team);
  rules.push(...SHARED_SUFFIX);
  return {
    policy: { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', omitStages: ['RequestReceived'], rules },
    layout: { prefix: SHARED_PREFIX.length, blocks, suffix: SHARED_SUFFIX.length },
  };
}

/**
 * `users` rules naming one user each, then a catch-all: deciding the catch-all split off one
 * user per level of recursion, so the stack overflowed at about 5,000 users.
 */
export function oneUserPerRulePolicy(users: number): Policy {
  const rules: PolicyRule[] = Array.from({ length: users }, (_, i) => ({ level: 'None', users: [`user-${i}`], verbs: ['get', 'list'] }));
  rules.push({ level: 'Metadata' });
  return { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', omitStages: ['RequestReceived'], rules };
}

/**
 * About `rules` rules of six kinds interleaved, none naming a team: user rules, group rules,
 * namespaced resource rules with subresources, URL prefixes, named objects and per-user
 * namespace rules, so most rules overlap thousands of earlier ones (the harder shape for lint).
 */
export function mixedPolicy(rules: number): Policy {
  const verbs = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
  const out: PolicyRule[] = [];
  for (let i = 0; out.length < rules - 1; i++) {
    const verb = verbs[i % verbs.length] as string;
    switch (i % 6) {
      case 0:
        out.push({ level: 'Metadata', users: [`user-${i}`], verbs: [verb] });
        break;
      case 1:
        out.push({ level: 'None', userGroups: [`group-${i % 97}`], resources: [{ group: '', resources: [`res-${i % 113}`] }] });
        break;
      case 2:
        out.push({ level: 'Request', namespaces: [`ns-${i % 89}`], resources: [{ group: `g${i % 13}.example.com`, resources: [`r${i % 31}`, `r${i % 31}/status`] }] });
        break;
      case 3:
        out.push({ level: 'Metadata', nonResourceURLs: [`/path-${i % 71}*`] });
        break;
      case 4:
        out.push({ level: 'RequestResponse', verbs: [verb], resources: [{ group: 'apps', resources: ['deployments'], resourceNames: [`name-${i}`] }] });
        break;
      default:
        out.push({ level: 'None', users: [`user-${i % 50}`], namespaces: ['kube-system'] });
    }
  }
  out.push({ level: 'Metadata' });
  return { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: out };
}

/**
 * A policy whose last-but-one rule is covered only by all the rules before it together: every
 * combination of `size` users, verbs and namespaces has its own rule (size³ of them). Proving
 * that rule dead takes thousands of search steps; with a small step limit lint must say it
 * stopped instead of guessing.
 */
export function jointCoverPolicy(size: number): Policy {
  const names = (stem: string) => Array.from({ length: size }, (_, i) => `${stem}-${i}`);
  const [users, verbs, namespaces, resources] = [names('user'), names('verb'), names('ns'), names('res')];
  const rules: PolicyRule[] = [];
  for (const user of users)
    for (const verb of verbs)
      for (const namespace of namespaces)
        rules.push({ level: 'None', users: [user], verbs: [verb], namespaces: [namespace], resources: [{ group: '', resources }] });
  rules.push({ level: 'RequestResponse', users, verbs, namespaces, resources: [{ group: '', resources }] });
  rules.push({ level: 'Metadata' });
  return { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', omitStages: ['RequestReceived'], rules };
}

export const LINT_CASES: ReadonlyArray<HostileCase<Policy>> = [
  {
    name: 'lint/one-user-per-rule-5000',
    category: 'size',
    summary: '5,000 rules naming one user each, then a catch-all; lint died with "Maximum call stack size exceeded" after 30 s',
    generate: () => oneUserPerRulePolicy(5000),
  },
  {
    name: 'lint/rules-5000',
    category: 'size',
    summary: 'a 5,000-rule team policy; lint died with "Maximum call stack size exceeded"',
    generate: () => teamPolicy({ rules: 5000 }).policy,
  },
  {
    name: 'lint/rules-10000',
    category: 'size',
    summary: 'a 10,000-rule team policy; lint died with "Maximum call stack size exceeded"',
    generate: () => teamPolicy({ rules: 10000 }).policy,
  },
  {
    name: 'lint/mixed-10000',
    category: 'size',
    summary: '10,000 interleaved rules that overlap thousands of earlier ones; lint died with "Maximum call stack size exceeded"',
    generate: () => mixedPolicy(10000),
  },
  {
    name: 'lint/joint-cover',
    category: 'combinatorial',
    summary: 'a rule covered only by the 216 rules before it together; proving it dead needs thousands of search steps',
    generate: () => jointCoverPolicy(6),
  },
];

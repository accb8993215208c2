// The dead-rule decider against evaluate(): dead rules are never a first match, live rules have a
// witness whose first match they are.
import type { Policy } from '@k8s-gen/audit';
import { gceProductionPolicy, docsExamplePolicy } from '@k8s-gen/audit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, reachability, type RequestAttributes } from '../src/index.js';
import { API_GROUPS, GROUPS, NAMES, NAMESPACES, PATHS, policyArbitrary, requestArbitrary, RESOURCES, SUBRESOURCES, USERS, VERBS } from './arbitraries.js';

/** Every request over a reduced alphabet (about 35 000), for exhaustive checks. */
function allRequests(): RequestAttributes[] {
  const users = [undefined, ...USERS.slice(0, 2).flatMap((name) => [[], ['dev'], ['ops', 'system:authenticated']].map((groups) => ({ name, groups })))];
  const out: RequestAttributes[] = [];
  const base = { apiVersion: 'v1', longRunning: false, panicked: false };
  for (const user of users) {
    for (const verb of VERBS.slice(0, 6)) {
      const who = user ? { user } : {};
      for (const path of PATHS) {
        out.push({ ...who, ...base, verb, isResourceRequest: false, path, apiGroup: '', namespace: '', resource: '', subresource: '', name: '' });
      }
      for (const apiGroup of API_GROUPS.slice(0, 2))
        for (const resource of RESOURCES.slice(0, 4))
          for (const subresource of SUBRESOURCES.slice(0, 3))
            for (const name of NAMES.slice(0, 3))
              for (const namespace of NAMESPACES.slice(0, 3))
                out.push({ ...who, ...base, verb, isResourceRequest: true, path: '/x', apiGroup, namespace, resource, subresource, name });
    }
  }
  return out;
}

const checkPolicy = (policy: Policy, requests: readonly RequestAttributes[], version: string): void => {
  const result = reachability(policy, { kubernetesVersion: version });
  for (const rule of result) {
    if (rule.dead) {
      for (const request of requests) expect(evaluate(policy, request, { kubernetesVersion: version }).ruleIndex).not.toBe(rule.index);
      for (const shadow of rule.shadowedBy) expect(shadow).toBeLessThan(rule.index);
      // The shadowing rules alone catch every request the dead rule would match.
      const own: Policy = { ...policy, rules: [policy.rules[rule.index]!] };
      const shadows: Policy = { ...policy, rules: rule.shadowedBy.map((index) => policy.rules[index]!) };
      for (const request of requests) {
        if (evaluate(own, request, { kubernetesVersion: version }).ruleIndex === 0) {
          expect(evaluate(shadows, request, { kubernetesVersion: version }).ruleIndex).toBeDefined();
        }
      }
    } else {
      expect(rule.witness).toBeDefined();
      expect(evaluate(policy, rule.witness!, { kubernetesVersion: version }).ruleIndex).toBe(rule.index);
    }
  }
};

describe('reachability', () => {
  it('dead rules never match first and live rules have a witness (random requests)', () => {
    fc.assert(
      fc.property(policyArbitrary, fc.array(requestArbitrary, { minLength: 50, maxLength: 50 }), fc.constantFrom('1.35', '1.36'), (policy, requests, version) => {
        checkPolicy(policy, requests, version);
      }),
      { numRuns: 300 },
    );
  });

  it('dead rules never match first over an exhaustive small request space', () => {
    const requests = allRequests();
    fc.assert(
      fc.property(policyArbitrary, (policy) => checkPolicy(policy, requests, '1.36')),
      { numRuns: 20 },
    );
  });

  it('finds dead rules in generated policies often enough to mean something', () => {
    const samples = fc.sample(policyArbitrary, { numRuns: 300, seed: 7 });
    const dead = samples.filter((policy) => reachability(policy).some((rule) => rule.dead)).length;
    expect(dead).toBeGreaterThan(30);
  });

  it('the reference policies have no dead rule', () => {
    for (const policy of [gceProductionPolicy().build(), docsExamplePolicy().build()]) {
      expect(reachability(policy).filter((rule) => rule.dead)).toEqual([]);
    }
  });
});

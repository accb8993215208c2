// lint's dead-rule verdicts against a brute-force oracle that shares no code with RequestSpace:
// every request of a universe that is complete for the policy's literals is evaluated with
// firstMatchingRule, and a rule is live exactly when it decides one of them.
import type { Policy } from '@k8s-gen/audit';
import { docsExamplePolicy, gceProductionPolicy } from '@k8s-gen/audit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstMatchingRule, lint, reachability, ruleMatches } from '../src/index.js';
import { smallPolicyArbitrary } from './arbitraries.js';
import { universe } from './universe.js';

function checkAgainstOracle(policy: Policy, kubernetesVersion: string): void {
  const options = { kubernetesVersion };
  const wildcardGroups = kubernetesVersion === '1.36';
  const deciding = new Set<number>();
  let unmatched = false;
  for (const request of universe(policy)) {
    const index = firstMatchingRule(policy, request, options);
    if (index === undefined) unmatched = true;
    else deciding.add(index);
  }
  for (const rule of reachability(policy, options)) {
    expect(rule.cutShort).toBeUndefined();
    expect({ index: rule.index, dead: rule.dead }).toEqual({ index: rule.index, dead: !deciding.has(rule.index) });
    if (!rule.dead) {
      expect(firstMatchingRule(policy, rule.witness!, options)).toBe(rule.index);
      continue;
    }
    // The shadowing rules catch every request the dead rule matches, and each of them is needed.
    const own = [...universe(policy)].filter((request) => ruleMatches(policy.rules[rule.index]!, request, wildcardGroups));
    const catches = (rules: readonly number[]): boolean => own.every((request) => rules.some((index) => ruleMatches(policy.rules[index]!, request, wildcardGroups)));
    expect(rule.shadowedBy.every((index) => index < rule.index)).toBe(true);
    expect(catches(rule.shadowedBy)).toBe(true);
    for (const index of rule.shadowedBy) expect(catches(rule.shadowedBy.filter((other) => other !== index))).toBe(false);
  }
  expect(lint(policy, options).some((finding) => finding.code === 'no-catch-all')).toBe(unmatched);
}

describe('reachability against a brute-force oracle', () => {
  it('dead and live verdicts, witnesses, shadowing rules and no-catch-all agree with every request of a complete universe', () => {
    fc.assert(
      fc.property(smallPolicyArbitrary, fc.constantFrom('1.35', '1.36'), (policy, version) => checkAgainstOracle(policy, version)),
      { numRuns: 200 },
    );
  });

  it('the generated policies have dead rules often enough to mean something', () => {
    const samples = fc.sample(smallPolicyArbitrary, { numRuns: 300, seed: 7 });
    const dead = samples.filter((policy) => reachability(policy).some((rule) => rule.dead)).length;
    expect(dead).toBeGreaterThan(50);
  });

  it('the reference policies have no dead rule', () => {
    for (const policy of [gceProductionPolicy().build(), docsExamplePolicy().build()]) {
      expect(reachability(policy).filter((rule) => rule.dead)).toEqual([]);
    }
  });
});

// Requirements, the exact check and the suggested policy against a brute-force oracle: every
// request of a universe complete for the literals involved (test/universe.ts) is evaluated with
// `evaluate`, and the oracle computes, from the requirements alone, the level each request must get.
import type { Level, Policy, PolicyRule } from '@k8s-gen/audit';
import { validate } from '@k8s-gen/audit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkRequirements,
  credentialRequirements,
  effectiveOmitStages,
  evaluate,
  intersectSelectors,
  levelRank,
  lint,
  policyForRequirements,
  requirementProblems,
  selectorMatches,
  selectorOf,
  unionSelectors,
  type RequestAttributes,
  type RequestSelector,
  type Requirement,
} from '../src/index.js';
import { smallPolicyArbitrary, smallRuleArbitrary } from './arbitraries.js';
import { universe } from './universe.js';

/** Selectors over the small alphabet, without the literals that never match (requirementProblems refuses those). */
const selectorArbitrary: fc.Arbitrary<RequestSelector> = smallRuleArbitrary
  .map((rule) => selectorOf(rule))
  .filter((selector) => !JSON.stringify(selector).match(/"GET"|"\*\/\*"|"pods\/"|\*\/\*\/status|"deployments\/scale"/));

const LOWER: Level[] = ['Metadata', 'Request', 'RequestResponse'];
const UPPER: Level[] = ['None', 'Metadata', 'Request'];

const requirementsArbitrary: fc.Arbitrary<Requirement[]> = fc
  .array(
    fc.record({
      selector: selectorArbitrary,
      atLeast: fc.option(fc.constantFrom(...LOWER), { nil: undefined }),
      atMost: fc.option(fc.constantFrom(...UPPER), { nil: undefined }),
      stages: fc.option(fc.constantFrom(['ResponseStarted' as const], ['ResponseComplete' as const]), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((list) =>
    list.map(({ selector, atLeast, atMost, stages }, index): Requirement => {
      // Keep the bounds ordered; a requirement with neither bound asks for at least Metadata.
      const low = atLeast ?? (atMost === undefined ? 'Metadata' : undefined);
      const high = atMost !== undefined && low !== undefined && levelRank(atMost) < levelRank(low) ? low : atMost;
      return {
        id: `r${index}`,
        source: 'test',
        description: `requirement ${index}`,
        selector,
        ...(low !== undefined ? { atLeast: low } : {}),
        ...(high !== undefined ? { atMost: high } : {}),
        ...(stages !== undefined ? { stages } : {}),
      };
    }),
  );

const rank = levelRank;
const lower = (a: Level, b: Level): Level => (rank(a) <= rank(b) ? a : b);
/** What a request logs at a level: watches gain nothing above Request, non-resource requests nothing above Metadata. */
const logged = (level: Level, request: RequestAttributes): Level => (!request.isResourceRequest ? lower(level, 'Metadata') : request.verb === 'watch' ? lower(level, 'Request') : level);

/** The oracle: the level the requirements give a request (the highest lower bound, lowered to the lowest upper bound). */
function requiredLevel(requirements: readonly Requirement[], request: RequestAttributes, version: string): { low: Level; high: Level } {
  let low: Level = 'None';
  let high: Level = 'RequestResponse';
  for (const requirement of requirements) {
    if (!selectorMatches(requirement.selector, request, { kubernetesVersion: version })) continue;
    if (requirement.atLeast !== undefined && rank(requirement.atLeast) > rank(low)) low = requirement.atLeast;
    if (requirement.atMost !== undefined && rank(requirement.atMost) < rank(high)) high = requirement.atMost;
  }
  return { low: lower(low, high), high };
}

/** Every literal of the rules and selectors, plus watch (for the watch equivalence). */
function space(rules: readonly PolicyRule[], requirements: readonly Requirement[]): Pick<Policy, 'rules'> {
  return { rules: [...rules, ...requirements.map((requirement) => ({ level: 'None' as Level, ...requirement.selector })), { level: 'None', verbs: ['watch'] }] };
}

/** The oracle's verdict on one requirement: a request breaking it, or undefined. */
function oracleViolation(policy: Policy, requirements: readonly Requirement[], requirement: Requirement, version: string): RequestAttributes | undefined {
  const options = { kubernetesVersion: version };
  for (const request of universe(space(policy.rules, requirements))) {
    if (!selectorMatches(requirement.selector, request, options)) continue;
    const result = evaluate(policy, request, options);
    const level = logged(result.level, request);
    if (requirement.atLeast !== undefined) {
      let bound = requirement.atLeast;
      for (const other of requirements) if (other.atMost !== undefined && selectorMatches(other.selector, request, options)) bound = lower(bound, other.atMost);
      if (rank(level) < rank(logged(bound, request))) return request;
    }
    if (requirement.atMost !== undefined && rank(level) > rank(requirement.atMost)) return request;
    const silenced = requirements.some((other) => other !== requirement && other.atMost === 'None' && (requirement.atLeast === undefined || rank(requirement.atLeast) > 0) && selectorMatches(other.selector, request, options));
    if (!silenced && result.level !== 'None' && (requirement.stages ?? []).some((stage) => effectiveOmitStages(policy, result.rule).includes(stage))) return request;
  }
  return undefined;
}

describe('selectors against the oracle', () => {
  it('intersectSelectors is exact (or, when it says not, lies between the intersection and the first selector), unionSelectors is exact', () => {
    fc.assert(
      fc.property(selectorArbitrary, selectorArbitrary, fc.constantFrom('1.35', '1.36'), (a, b, version) => {
        const options = { kubernetesVersion: version };
        const both = intersectSelectors(a, b, options);
        const union = unionSelectors(a, b);
        for (const request of universe(space([{ level: 'None', ...a }, { level: 'None', ...b }], []))) {
          const inA = selectorMatches(a, request, options);
          const inB = selectorMatches(b, request, options);
          const inBoth = both !== undefined && selectorMatches(both.selector, request, options);
          if (both === undefined || both.exact) expect(inBoth).toBe(inA && inB);
          else {
            if (inA && inB) expect(inBoth).toBe(true);
            if (inBoth) expect(inA).toBe(true);
          }
          if (union !== undefined) expect(selectorMatches(union, request, options)).toBe(inA || inB);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('selector intersections found by the property', () => {
  it('an entry without resources selects its whole group: its resourceNames narrow nothing', () => {
    // The apiserver reads resourceNames only beside resources: ruleMatchesResource (audit/policy
    // checker.go) returns true for an entry with no resources before it looks at any name.
    const pods: RequestSelector = { resources: [{ group: '', resources: ['pods'] }] };
    const namedGroup: RequestSelector = { resources: [{ group: '', resourceNames: ['a'] }] };
    const options = { kubernetesVersion: '1.35' };
    const request: RequestAttributes = { verb: 'get', isResourceRequest: true, path: '/api/v1/namespaces/x/pods/b', apiGroup: '', apiVersion: 'v1', namespace: 'x', resource: 'pods', subresource: '', name: 'b', longRunning: false, panicked: false };
    expect(selectorMatches(namedGroup, request, options)).toBe(true);
    const both = intersectSelectors(pods, namedGroup, options);
    expect(both).toEqual({ selector: { resources: [{ group: '', resources: ['pods'] }] }, exact: true });
    expect(selectorMatches(both!.selector, request, options)).toBe(true);
  });
});

describe('checkRequirements against the oracle', () => {
  it('a requirement is met exactly when no request of the universe breaks it, and every violation it reports is one', () => {
    let violated = 0;
    fc.assert(
      fc.property(smallPolicyArbitrary, requirementsArbitrary, fc.constantFrom('1.35', '1.36'), (policy, requirements, version) => {
        fc.pre(validate(policy, { kubernetesVersion: version }).every((problem) => problem.severity !== 'error'));
        const options = { kubernetesVersion: version };
        for (const verdict of checkRequirements(policy, requirements, options)) {
          expect(verdict.cutShort).toBeUndefined();
          const counterexample = oracleViolation(policy, requirements, verdict.requirement, version);
          expect({ id: verdict.requirement.id, met: verdict.met }).toEqual({ id: verdict.requirement.id, met: counterexample === undefined });
          if (verdict.violation !== undefined) {
            violated += 1;
            expect(selectorMatches(verdict.requirement.selector, verdict.violation.request, options)).toBe(true);
            expect(evaluate(policy, verdict.violation.request, options).ruleIndex).toBe(verdict.violation.ruleIndex);
          }
          if (verdict.probe !== undefined) expect(selectorMatches(verdict.requirement.selector, verdict.probe.request, options)).toBe(true);
        }
      }),
      { numRuns: 120 },
    );
    // Random policies break random requirements often enough for the test to mean something.
    expect(violated).toBeGreaterThan(50);
  });
});

describe('policyForRequirements against the oracle', () => {
  it('gives every request of the universe the level its requirements allow, lint-clean, and checkRequirements agrees', () => {
    let exactlyLowest = 0;
    fc.assert(
      fc.property(requirementsArbitrary, fc.constantFrom('1.35', '1.36'), (generated, version) => {
        let requirements = generated;
        const options = { kubernetesVersion: version };
        fc.pre(requirementProblems(requirements, options).every((problem) => problem.severity !== 'error'));
        const policy = policyForRequirements(requirements, options);
        // The credential cap every suggested policy carries is part of what the oracle must respect.
        requirements = [...requirements, ...credentialRequirements()];
        expect(validate(policy, options).filter((problem) => problem.severity === 'error')).toEqual([]);
        expect(lint(policy, options)).toEqual([]);
        expect(checkRequirements(policy, requirements, options).filter((verdict) => !verdict.met).map((verdict) => verdict.requirement.id)).toEqual([]);
        // Unrelated userGroups lists cannot be intersected exactly; the policy may then log a cap's requests more than needed.
        const inexact = requirements.filter((requirement) => (requirement.selector.userGroups ?? []).length > 0).length > 1;
        for (const request of universe(space(policy.rules, requirements))) {
          const { low, high } = requiredLevel(requirements, request, version);
          const level = logged(evaluate(policy, request, options).level, request);
          if (inexact) {
            expect(rank(level)).toBeGreaterThanOrEqual(rank(logged(low, request)));
            expect(rank(level)).toBeLessThanOrEqual(rank(high));
          } else expect({ request, level }).toEqual({ request, level: logged(low, request) });
        }
        if (!inexact) exactlyLowest += 1;
      }),
      { numRuns: 40 },
    );
    expect(exactlyLowest).toBeGreaterThan(20);
    // Each run checks the whole universe of requests; the timeout is only a guard on a busy machine.
  }, 400_000);
});

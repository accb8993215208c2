// lint() findings about requests, checked with evaluate(): their examples show what they claim,
// and requests that leak secrets are never missed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, levelRank, lint, reachability, resourceRequest } from '../src/index.js';
import { GROUPS, NAMES, NAMESPACES, policyArbitrary, USERS } from './arbitraries.js';

const ruleOf = (path: string): number | undefined => {
  const match = /^rules\[(\d+)\]/.exec(path);
  return match ? Number(match[1]) : undefined;
};

describe('lint findings agree with evaluate', () => {
  it('examples are first matched by the rule they name and show the problem', () => {
    fc.assert(
      fc.property(policyArbitrary, (policy) => {
        const findings = lint(policy);
        const dead = new Set(reachability(policy).filter((rule) => rule.dead).map((rule) => rule.index));
        expect(findings.filter((finding) => finding.code === 'dead-rule').map((finding) => ruleOf(finding.path))).toEqual([...dead]);
        for (const finding of findings) {
          if (finding.example === undefined) continue;
          const result = evaluate(policy, finding.example);
          if (finding.code === 'no-catch-all') {
            expect(result.ruleIndex).toBeUndefined();
            continue;
          }
          expect(result.ruleIndex).toBe(ruleOf(finding.path));
          if (finding.code === 'sensitive-body-logged') {
            expect(levelRank(result.level)).toBeGreaterThanOrEqual(levelRank('Request'));
            expect(['secrets', 'configmaps', 'tokenreviews', 'serviceaccounts']).toContain(finding.example.resource);
          }
          if (finding.code === 'watch-at-request-response') expect([finding.example.verb, result.level]).toEqual(['watch', 'RequestResponse']);
          if (finding.code === 'response-started-omitted') {
            expect(finding.example.user).toBeUndefined();
            expect(result.stages).toEqual([]);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('every secret write logged with its body is reported on the rule that logs it', () => {
    const secretWrite = fc
      .record({
        user: fc.record({ name: fc.constantFrom(...USERS, 'carol'), groups: fc.uniqueArray(fc.constantFrom(...GROUPS), { maxLength: 2 }) }),
        verb: fc.constantFrom('create', 'update', 'patch'),
        namespace: fc.constantFrom(...NAMESPACES.filter((namespace) => namespace !== '')),
        name: fc.constantFrom(...NAMES),
      })
      .map((parts) => resourceRequest({ ...parts, resource: 'secrets' }));
    fc.assert(
      fc.property(policyArbitrary, fc.array(secretWrite, { minLength: 10, maxLength: 10 }), (policy, requests) => {
        const reported = new Set(
          lint(policy)
            .filter((finding) => finding.code === 'sensitive-body-logged' && finding.message.includes('bodies of secrets'))
            .map((finding) => ruleOf(finding.path)),
        );
        for (const request of requests) {
          const result = evaluate(policy, request);
          if (levelRank(result.level) >= levelRank('Request')) expect(reported).toContain(result.ruleIndex);
        }
      }),
      { numRuns: 300 },
    );
  });
});

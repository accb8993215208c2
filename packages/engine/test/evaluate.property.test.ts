// evaluate() against a second, deliberately naive reading of the facts sheet, on random input.
import type { Policy, PolicyRule, Stage } from '@k8s-gen/audit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRule, evaluate, type RequestAttributes } from '../src/index.js';
import { policyArbitrary, requestArbitrary, ruleArbitrary } from './arbitraries.js';

// ---- The naive reading, written from the facts sheet without looking at src/ ----

/** "res", "res/sub", "*", "*" + "/sub", "res/*"; Go's TrimLeft/TrimRight strip any run of '*' and '/'. */
function naiveResource(pattern: string, resource: string, sub: string, ): boolean {
  if (pattern === '*') return true;
  const full = sub ? resource + '/' + sub : resource;
  if (pattern === full) return true;
  const starSub = /^\*\/[*/]*(.*)$/.exec(pattern);
  if (sub && starSub && starSub[1] === sub) return true;
  const resStar = /^(.*?)[*/]*$/.exec(pattern);
  if (pattern.endsWith('/*') && resStar && resStar[1] === resource) return true;
  return false;
}

function naivePath(pattern: string, path: string): boolean {
  if (pattern === '*' || pattern === path) return true;
  if (!pattern.endsWith('*')) return false;
  let prefix = pattern;
  while (prefix.endsWith('*')) prefix = prefix.slice(0, -1);
  return path.startsWith(prefix);
}

function naiveMatches(rule: PolicyRule, r: RequestAttributes, allGroups: boolean): boolean {
  const nonEmpty = (list?: readonly unknown[]) => !!list && list.length > 0;
  if (nonEmpty(rule.users) && !(r.user && rule.users!.includes(r.user.name))) return false;
  if (nonEmpty(rule.userGroups) && !(r.user && r.user.groups.some((g) => rule.userGroups!.includes(g)))) return false;
  if (nonEmpty(rule.verbs) && !rule.verbs!.includes(r.verb)) return false;
  const resourceRule = nonEmpty(rule.resources) || nonEmpty(rule.namespaces);
  if (resourceRule) {
    if (!r.isResourceRequest) return false;
    if (nonEmpty(rule.namespaces) && !rule.namespaces!.includes(r.namespace)) return false;
    if (!nonEmpty(rule.resources)) return true;
    for (const gr of rule.resources!) {
      const group = gr.group ?? '';
      if (!(group === r.apiGroup || (allGroups && group === '*'))) continue;
      if (!nonEmpty(gr.resources)) return true;
      if (nonEmpty(gr.resourceNames) && !gr.resourceNames!.includes(r.name)) continue;
      if (gr.resources!.some((p) => naiveResource(p, r.resource, r.subresource))) return true;
    }
    return false;
  }
  if (nonEmpty(rule.nonResourceURLs)) return !r.isResourceRequest && rule.nonResourceURLs!.some((p) => naivePath(p, r.path));
  return true;
}

function naiveEvaluate(policy: Policy, r: RequestAttributes, allGroups: boolean) {
  let index: number | undefined;
  for (let i = 0; i < policy.rules.length; i++) {
    if (naiveMatches(policy.rules[i]!, r, allGroups)) {
      index = i;
      break;
    }
  }
  const rule = index === undefined ? undefined : policy.rules[index];
  const omit = new Set<Stage>([...(policy.omitStages ?? []), ...(rule?.omitStages ?? [])]);
  const level = rule ? rule.level : 'None';
  let produced: Stage[];
  if (!r.user) produced = ['ResponseStarted'];
  else if (r.panicked) produced = ['RequestReceived', 'Panic'];
  else if (r.longRunning) produced = ['RequestReceived', 'ResponseStarted', 'ResponseComplete'];
  else produced = ['RequestReceived', 'ResponseComplete'];
  const stages = level === 'None' ? [] : produced.filter((s) => !omit.has(s));
  const omitManagedFields = rule && rule.omitManagedFields !== undefined ? rule.omitManagedFields : policy.omitManagedFields === true;
  const order: Stage[] = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'];
  return { ruleIndex: index, level, stages, omitStages: order.filter((s) => omit.has(s)), omitManagedFields };
}

describe('evaluate agrees with the naive reading', () => {
  for (const version of ['1.35', '1.36']) {
    it(`on random policies and requests (Kubernetes ${version})`, () => {
      fc.assert(
        fc.property(policyArbitrary, fc.array(requestArbitrary, { minLength: 1, maxLength: 20 }), (policy, requests) => {
          for (const request of requests) {
            const { rule: _rule, ...actual } = evaluate(policy, request, { kubernetesVersion: version });
            expect(actual).toEqual(naiveEvaluate(policy, request, version === '1.36'));
          }
        }),
        { numRuns: 400 },
      );
    });
  }

  it('explain checks agree with matching', () => {
    fc.assert(
      fc.property(ruleArbitrary, requestArbitrary, (rule, request) => {
        const checks = checkRule(rule, request);
        expect(checks.every((check) => check.outcome !== 'mismatch')).toBe(naiveMatches(rule, request, true));
      }),
      { numRuns: 2000 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { policy, validate, type Problem } from '../src/index.js';

/** A policy document with one rule made of `rule`, plus top-level `extra` fields. */
function doc(rule: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', ...extra, rules: [{ level: 'None' }, rule] };
}

/** `severity code path` of each problem, sorted so the assertions do not depend on report order. */
function where(problems: Problem[]): string[] {
  return problems.map((problem) => `${problem.severity} ${problem.code} ${problem.path}`).sort();
}

describe('the apiserver checks V1-V10', () => {
  it('V1: policy omitStages must be known stages', () => {
    expect(where(validate(doc({ level: 'Metadata' }, { omitStages: ['RequestReceived', 'requestreceived'] })))).toEqual(['error V1-omit-stage omitStages[1]']);
    expect(validate(doc({ level: 'Metadata' }, { omitStages: ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] }))).toEqual([]);
    expect(validate(doc({ level: 'Metadata' }, { omitStages: ['requestreceived'] }))[0]!.fix).toContain('"RequestReceived"');
  });

  it('V2: every rule needs a level', () => {
    expect(where(validate(doc({ users: ['alice'] })))).toEqual(['error V2-level-required rules[1].level']);
    expect(where(validate(doc({ level: '' })))).toEqual(['error V2-level-required rules[1].level']);
    expect(validate(doc({ level: 'None', users: ['alice'] }))).toEqual([]);
  });

  it('V3: the level must be one of the four, exact case', () => {
    const problems = validate(doc({ level: 'metadata' }));
    expect(where(problems)).toEqual(['error V3-level-unsupported rules[1].level']);
    expect(problems[0]!.fix).toContain('"Metadata"');
    for (const level of ['None', 'Metadata', 'Request', 'RequestResponse']) expect(validate(doc({ level }))).toEqual([]);
  });

  it('V4: non-resource URLs begin with "/" (or are "*")', () => {
    expect(where(validate(doc({ level: 'None', nonResourceURLs: ['/healthz', 'version', ''] })))).toEqual([
      'error V4-url-not-absolute rules[1].nonResourceURLs[1]',
      'error V4-url-not-absolute rules[1].nonResourceURLs[2]',
    ]);
    expect(validate(doc({ level: 'None', nonResourceURLs: ['*', '/', '/healthz*'] }))).toEqual([]);
  });

  it('V5: "*" only as the last character of a URL', () => {
    expect(where(validate(doc({ level: 'None', nonResourceURLs: ['/api/*/x', '/a**'] })))).toEqual([
      'error V5-url-wildcard-position rules[1].nonResourceURLs[0]',
      'error V5-url-wildcard-position rules[1].nonResourceURLs[1]',
    ]);
    // Both checks fire for the same URL, as in kube-apiserver.
    expect(where(validate(doc({ level: 'None', nonResourceURLs: ['a*b'] })))).toEqual([
      'error V4-url-not-absolute rules[1].nonResourceURLs[0]',
      'error V5-url-wildcard-position rules[1].nonResourceURLs[0]',
    ]);
    expect(validate(doc({ level: 'None', nonResourceURLs: ['/api*'] }))).toEqual([]);
  });

  it('V6: a rule cannot combine URLs with resources or namespaces', () => {
    expect(where(validate(doc({ level: 'None', nonResourceURLs: ['/x'], resources: [{ group: '' }] })))).toEqual(['error V6-urls-with-resources rules[1].nonResourceURLs']);
    expect(where(validate(doc({ level: 'None', nonResourceURLs: ['/x'], namespaces: ['default'] })))).toEqual(['error V6-urls-with-resources rules[1].nonResourceURLs']);
    expect(validate(doc({ level: 'None', nonResourceURLs: ['/x'], resources: [], namespaces: [], users: ['a'] }))).toEqual([]);
  });

  it('V7: groups are lower-case DNS subdomains, with the exact entry index in the path', () => {
    const problems = validate(doc({ level: 'None', resources: [{ group: '' }, { group: 'apps/v1' }, { group: 'Apps' }, { group: 'a'.repeat(254) }] }));
    expect(where(problems)).toEqual([
      'error V7-group-name rules[1].resources[1].group',
      'error V7-group-name rules[1].resources[2].group',
      'error V7-group-name rules[1].resources[3].group',
    ]);
    expect(problems[0]!.fix).toContain('"apps"');
    expect(problems[0]!.message).toContain('rules[1].resources.group');
    expect(problems[1]!.fix).toContain('"apps"');
    expect(validate(doc({ level: 'None', resources: [{ group: 'rbac.authorization.k8s.io' }, { group: 'a'.repeat(253) }, {}] }))).toEqual([]);
  });

  it('V8: resourceNames need resources', () => {
    expect(where(validate(doc({ level: 'None', resources: [{ group: '', resources: ['pods'] }, { group: '', resourceNames: ['x'] }] })))).toEqual([
      'error V8-resource-names-without-resources rules[1].resources[1].resourceNames',
    ]);
    expect(validate(doc({ level: 'None', resources: [{ group: '', resources: ['configmaps'], resourceNames: ['x'] }] }))).toEqual([]);
  });

  it('V9: rule omitStages must be known stages', () => {
    expect(where(validate(doc({ level: 'None', omitStages: ['Panic', 'ResponseEnded'] })))).toEqual(['error V9-rule-omit-stage rules[1].omitStages[1]']);
    expect(validate(doc({ level: 'None', omitStages: ['Panic'] }))).toEqual([]);
  });

  it('V10: at least one rule', () => {
    expect(where(validate({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [] }))).toEqual(['error V10-no-rules rules']);
    expect(where(validate({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy' }))).toEqual(['error V10-no-rules rules']);
    expect(where(policy().validate())).toEqual(['error V10-no-rules rules']);
    expect(policy().rule().level('None').end().validate()).toEqual([]);
  });
});

describe('version rules', () => {
  const star = doc({ level: 'None', resources: [{ group: '*' }] });
  it('group "*" is an error up to 1.35 and valid from 1.36', () => {
    expect(where(validate(star, { kubernetesVersion: '1.35' }))).toEqual(['error V7-group-name rules[1].resources[0].group']);
    expect(validate(star, { kubernetesVersion: '1.35' })[0]!.fix).toContain('1.36');
    expect(validate(star, { kubernetesVersion: '1.36' })).toEqual([]);
    expect(validate(star)).toEqual([]);
  });

  it('omitManagedFields exists from 1.23, on the policy and on rules', () => {
    const withField = doc({ level: 'Request', omitManagedFields: false }, { omitManagedFields: true });
    expect(where(validate(withField, { kubernetesVersion: '1.22' }))).toEqual([
      'error field-not-in-version omitManagedFields',
      'error field-not-in-version rules[1].omitManagedFields',
    ]);
    expect(validate(withField, { kubernetesVersion: '1.23' })).toEqual([]);
  });

  it('v1beta1 and v1alpha1 are converted up to 1.23 and refused from 1.24', () => {
    for (const apiVersion of ['audit.k8s.io/v1beta1', 'audit.k8s.io/v1alpha1']) {
      const old = { ...doc({ level: 'None' }), apiVersion };
      expect(where(validate(old, { kubernetesVersion: '1.23' }))).toEqual(['warning converted-api-version apiVersion']);
      expect(where(validate(old, { kubernetesVersion: '1.24' }))).toEqual(['error removed-api-version apiVersion']);
      expect(validate(old, { kubernetesVersion: '1.24' })[0]!.message).toContain('1.24');
    }
  });

  it('accepts v-prefixed and patch versions and rejects nonsense', () => {
    expect(validate(star, { kubernetesVersion: 'v1.36.2' })).toEqual([]);
    expect(validate(star, { kubernetesVersion: '2.0' })).toMatchObject([{ severity: 'error', code: 'kubernetes-version', fix: expect.stringContaining('1.36') }]);
    expect(validate(star, { kubernetesVersion: '1.11' })).toMatchObject([{ severity: 'error', code: 'kubernetes-version', fix: expect.stringContaining('1.12') }]);
  });
});

describe('beyond the apiserver', () => {
  it('reports unknown fields with a suggestion', () => {
    const problems = validate(doc({ level: 'None', verb: ['get'], resources: [{ group: '', resource: ['pods'] }] }, { rule: [] }));
    expect(where(problems)).toEqual(['error unknown-field rule', 'error unknown-field rules[1].resources[0].resource', 'error unknown-field rules[1].verb']);
    expect(problems.find((problem) => problem.path === 'rules[1].verb')!.fix).toContain('`verbs`');
    expect(problems.find((problem) => problem.path === 'rules[1].resources[0].resource')!.fix).toContain('`resources`');
  });

  it('reports wrong types and missing apiVersion or kind', () => {
    expect(where(validate({ rules: [{ level: 'None', users: 'alice', omitManagedFields: 'yes' }] }))).toEqual([
      'error invalid-type rules[0].omitManagedFields',
      'error invalid-type rules[0].users',
      'error missing-field apiVersion',
      'warning missing-field kind',
    ]);
    expect(where(validate({ apiVersion: 'audit.k8s.io/v2', kind: 'PolicyList', rules: [{ level: 3 }] }))).toEqual(['error invalid-type rules[0].level', 'error unknown-api-version apiVersion']);
    expect(where(validate({ apiVersion: 'audit.k8s.io/v1', kind: 'PolicyList', rules: [{ level: 'None' }] }))).toEqual(['error wrong-kind kind']);
    expect(where(validate('rules: []'))).toEqual(['error not-a-policy ']);
  });

  it('gives every problem a message and a fix', () => {
    const problems = validate({ apiVersion: 'x', rules: [{ level: 'x', nonResourceURLs: ['x'], resources: [{ group: 'X', resourceNames: ['a'] }], omitStages: ['x'] }], omitStages: ['x'] });
    expect(problems.length).toBeGreaterThan(6);
    for (const problem of problems) {
      expect(problem.message.length).toBeGreaterThan(10);
      expect(problem.fix.length).toBeGreaterThan(5);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { commentOf, parsePolicy, type Problem } from '../src/index.js';

function at(problems: Problem[]): string[] {
  return problems.map((problem) => `${problem.line}:${problem.column} ${problem.severity} ${problem.code} ${problem.path}`);
}

describe('parsePolicy', () => {
  it('reports a misspelled field with a suggestion and its line and column', () => {
    const text = ['apiVersion: audit.k8s.io/v1', 'kind: Policy', 'rules:', '  - level: None', '    verb: ["get"]', '  - level: Metadata', ''].join('\n');
    const result = parsePolicy(text, { file: 'policy.yaml' });
    expect(result.ok).toBe(false);
    expect(result.problems).toHaveLength(1);
    const [problem] = result.problems;
    expect(problem).toMatchObject({ file: 'policy.yaml', severity: 'error', code: 'unknown-field', path: 'rules[0].verb', line: 5, column: 5 });
    expect(problem!.fix).toContain('verbs');
  });

  it('locates apiserver errors at the offending value', () => {
    const text = ['apiVersion: audit.k8s.io/v1', 'kind: Policy', 'rules:', '- level: None', '  resources:', '  - group: ""', '  - group: apps/v1', '- level: Loud', ''].join('\n');
    expect(at(parsePolicy(text).problems)).toEqual(['7:12 error V7-group-name rules[0].resources[1].group', '8:10 error V3-level-unsupported rules[1].level']);
  });

  it('locates a missing level at its rule', () => {
    const text = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- users: [alice]\n';
    expect(at(parsePolicy(text).problems)).toEqual(['4:3 error V2-level-required rules[0].level']);
  });

  it('reads YAML 1.1 scalars like kube-apiserver and says how to quote them', () => {
    const text = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n  users: [yes, 0777, "on"]\n';
    const result = parsePolicy(text);
    expect(at(result.problems)).toEqual(['5:11 error invalid-type rules[0].users[0]', '5:16 error invalid-type rules[0].users[1]']);
    expect(result.problems[0]!.fix).toContain('"yes"');
    expect(result.problems[1]!.fix).toContain('"0777"');
  });

  it('reports duplicate keys and, like the apiserver, keeps the last value', () => {
    const text = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n  verbs: [get]\n  verbs: [list]\n';
    const result = parsePolicy(text);
    expect(at(result.problems)).toEqual(['6:3 error duplicate-key rules[0].verbs']);
    expect(result.problems[0]!.message).toContain('line 5');
  });

  it('reads JSON', () => {
    const result = parsePolicy('{"apiVersion":"audit.k8s.io/v1","kind":"Policy","rules":[{"level":"Metadata","verbs":["get"]}]}');
    expect(result).toMatchObject({ ok: true, policy: { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'Metadata', verbs: ['get'] }] }, problems: [] });
    expect(result.locate('rules[0].verbs')).toEqual({ line: 1, column: 78 });
  });

  it('converts v1beta1 to v1 below 1.24 with a warning, and refuses it from 1.24', () => {
    const text = 'apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n- level: Metadata\n';
    const old = parsePolicy(text, { kubernetesVersion: '1.23' });
    expect(old.ok).toBe(true);
    expect(old.policy).toEqual({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'Metadata' }] });
    expect(at(old.problems)).toEqual(['1:13 warning converted-api-version apiVersion']);
    expect(old.problems[0]!.message).toContain('1.24');
    const current = parsePolicy(text, { kubernetesVersion: '1.24' });
    expect(current.ok).toBe(false);
    expect(at(current.problems)).toEqual(['1:13 error removed-api-version apiVersion']);
    const alpha = parsePolicy(text.replace('v1beta1', 'v1alpha1'), { kubernetesVersion: '1.20' });
    expect(alpha.ok && alpha.policy.apiVersion).toBe('audit.k8s.io/v1');
  });

  it('applies the version rules', () => {
    const text = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitManagedFields: true\nrules:\n- level: None\n  resources: [{group: "*"}]\n';
    expect(at(parsePolicy(text, { kubernetesVersion: '1.22' }).problems)).toEqual([
      '3:1 error field-not-in-version omitManagedFields',
      '6:23 error V7-group-name rules[0].resources[0].group',
    ]);
    expect(parsePolicy(text, { kubernetesVersion: '1.36' }).ok).toBe(true);
  });

  it('turns YAML syntax errors into located problems', () => {
    const result = parsePolicy('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: [None\n', { file: 'broken.yaml' });
    expect(result.ok).toBe(false);
    expect(result.problems.length).toBeGreaterThan(0);
    for (const problem of result.problems) expect(problem).toMatchObject({ file: 'broken.yaml', code: 'yaml-syntax', line: expect.any(Number), column: expect.any(Number) });
    expect(parsePolicy('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None}]\n---\nb: [\n').problems.map((p) => p.code)).toEqual(['ignored-document']);
  });

  it('refuses documents that are not a policy mapping', () => {
    expect(at(parsePolicy('').problems)).toEqual(['1:1 error not-a-policy ']);
    expect(at(parsePolicy('- level: None\n').problems)).toEqual(['1:1 error not-a-policy ']);
  });

  it('records comments above rules, above resources entries and at the top', () => {
    const text = [
      '# Audit policy',
      '# for the test cluster',
      'apiVersion: audit.k8s.io/v1',
      'kind: Policy',
      'rules:',
      '  # quiet health checks',
      '  - level: None',
      '    nonResourceURLs: ["/healthz*"] # trailing remarks are not kept',
      '  #   indented note',
      '  #',
      '  # after an empty line',
      '  - level: Metadata',
      '    resources:',
      '      # the core group',
      '      - group: ""',
      '      # apps',
      '      - group: apps',
      '  - level: Request',
      '',
    ].join('\n');
    const result = parsePolicy(text);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { policy } = result;
    expect(commentOf(policy)).toBe('Audit policy\nfor the test cluster');
    expect(policy.rules.map((rule) => commentOf(rule))).toEqual(['quiet health checks', '  indented note\n\nafter an empty line', undefined]);
    expect(policy.rules[1]!.resources!.map((entry) => commentOf(entry))).toEqual(['the core group', 'apps']);
  });
});

describe('parsePolicy scalar rules', () => {
  it('reads digit-less exponents and dates as strings, like go-yaml', () => {
    const result = parsePolicy('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n  verbs: [e0, E5, 2024-01-02]\n');
    expect(result.ok && result.policy.rules[0]!.verbs).toEqual(['e0', 'E5', '2024-01-02']);
    expect(parsePolicy('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n  verbs: [1e3]\n').problems[0]).toMatchObject({ code: 'invalid-type', fix: 'Quote it ("1e3") so YAML reads it as a string.' });
  });
});

describe('parsePolicy empty values', () => {
  it('treats `key:` with no value as unset, like the Go decoder', () => {
    const result = parsePolicy('apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages:\nrules:\n- level: None\n  users:\n  resources:\n  - group:\n    resources: [pods]\n');
    expect(result).toMatchObject({ ok: true, policy: { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'None', resources: [{ resources: ['pods'] }] }] } });
    expect(result.policy).toEqual({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'None', resources: [{ resources: ['pods'] }] }] });
  });

  it('reports an empty level as missing (V2) and null list items as wrong types', () => {
    const result = parsePolicy('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level:\n  users: [~]\n- level: None\n');
    expect(at(result.problems)).toEqual(['4:9 error V2-level-required rules[0].level', '5:11 error invalid-type rules[0].users[0]']);
  });
});

describe('parsePolicy hostile input', () => {
  it('refuses alias bombs without throwing', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`);
    const result = parsePolicy(lines.join('\n'));
    expect(result).toMatchObject({ ok: false, problems: [{ code: 'yaml-alias-expansion', line: 6, column: 7 }] });
  });
});

describe('parsePolicy JSON positions', () => {
  it('locates problems in tab-indented JSON', () => {
    const json = JSON.stringify({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'None', verb: ['get'] }] }, null, '\t');
    expect(at(parsePolicy(json).problems)).toEqual(['7:4 error unknown-field rules[0].verb']);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePolicy, validate, type Problem } from '../src/index.js';
import { POLICY_CASES } from '../../../test/hostile/audit/policy-files.js';

const codes = (problems: Problem[]): string[] => problems.map((problem) => problem.code);
const errors = (problems: Problem[]): Problem[] => problems.filter((problem) => problem.severity === 'error');

describe('kube-apiserver verdicts on policy files (each case names the upstream line it follows)', () => {
  it.each(POLICY_CASES.map((c) => [`${c.category}: ${c.name}`, c] as const))('%s', (_, policyCase) => {
    const options = policyCase.kubernetesVersion === undefined ? {} : { kubernetesVersion: policyCase.kubernetesVersion };
    const strict = parsePolicy(policyCase.input, options);
    expect(codes(strict.problems)).toEqual(policyCase.codes);
    expect(strict.ok ? 'ok' : 'refused').toBe(policyCase.strict);

    const apiserver = parsePolicy(policyCase.input, { ...options, asApiserver: true });
    expect(apiserver.ok ? 'loads' : 'refuses').toBe(policyCase.deviation === undefined ? policyCase.apiserver : 'refuses');
    // The same findings in both modes; only what the apiserver drops changes severity.
    expect(codes(apiserver.problems)).toEqual(policyCase.codes);
    if (policyCase.apiserver === 'loads' && policyCase.deviation === undefined) expect(errors(apiserver.problems)).toEqual([]);
    for (const problem of [...strict.problems, ...apiserver.problems]) {
      expect(problem.message.length).toBeGreaterThan(15);
      expect(problem.fix.length).toBeGreaterThan(5);
    }
  });

  it('says where every case comes from', () => {
    for (const policyCase of POLICY_CASES) expect(policyCase.source, policyCase.name).toMatch(/\.go|option/);
  });
});

describe('asApiserver', () => {
  const doc = (extra: Record<string, unknown>, rule: Record<string, unknown> = { level: 'None' }) => ({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [rule], ...extra });

  it('keeps what the apiserver refuses as errors and shows the strict findings as warnings', () => {
    const policy = doc({ omitManagedFields: true, extra: 1 }, { level: 'None', verb: ['get'], users: [null] });
    const strict = validate(policy, { kubernetesVersion: '1.22' });
    expect(strict.map((p) => `${p.severity} ${p.code} ${p.path}`).sort()).toEqual([
      'error field-not-in-version omitManagedFields',
      'error invalid-type rules[0].users[0]',
      'error unknown-field extra',
      'error unknown-field rules[0].verb',
    ]);
    const apiserver = validate(policy, { kubernetesVersion: '1.22', asApiserver: true });
    expect(apiserver.map((p) => `${p.severity} ${p.code} ${p.path}`).sort()).toEqual(strict.map((p) => `warning ${p.code} ${p.path}`).sort());
    expect(validate(doc({}, { level: 'Loud', verb: ['get'] }), { asApiserver: true }).map((p) => `${p.severity} ${p.code}`).sort()).toEqual(['error V3-level-unsupported', 'warning unknown-field']);
  });

  it('returns the policy the apiserver would run: dropped fields gone, null items as zero values', () => {
    const result = parsePolicy('apiVersion: audit.k8s.io/v1\nrules:\n- level: None\n  verb: [get]\n  users: [~, alice]\n', { asApiserver: true });
    expect(result.ok && result.policy).toEqual({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'None', users: ['', 'alice'] }] });
    expect(result.problems.map((p) => `${p.line}:${p.column} ${p.severity} ${p.code}`)).toEqual(['1:1 warning missing-field', '4:3 warning unknown-field', '5:11 warning invalid-type']);
  });

  it('applies the reading limits in every mode', () => {
    const deep = `apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None}]\nextra: ${'['.repeat(200)}${']'.repeat(200)}\n`;
    expect(parsePolicy(deep, { asApiserver: true }).problems.map((p) => p.code)).toEqual(['yaml-too-deep']);
    expect(parsePolicy(deep, { asApiserver: true, limits: { maxDepth: 300 } })).toMatchObject({ ok: true, problems: [{ severity: 'warning', code: 'unknown-field' }] });
  });
});

describe('parsePolicy at the reading limits', () => {
  it('walks a document nested right up to the depth limit without trouble', () => {
    for (const maxDepth of [100, 500]) {
      const levels = maxDepth - 2;
      const text = `apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None}]\nextra: ${'['.repeat(levels)}${']'.repeat(levels)}\n`;
      expect(parsePolicy(text, { limits: { maxDepth } }).problems.map((p) => p.code)).toEqual(['unknown-field']);
    }
  });

  it('reads a policy with many rules and aliases between them', () => {
    const rules = Array.from({ length: 5000 }, (_, i) => (i === 0 ? '- &rule {level: Metadata, verbs: [get], users: [alice]}' : i % 10 === 0 ? '- *rule' : `- level: None\n  users: [user-${i}]`));
    const result = parsePolicy(`apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n${rules.join('\n')}\n`);
    expect(result.problems).toEqual([]);
    expect(result.ok && result.policy.rules.length).toBe(5000);
  });
});

describe('parsePolicy never throws', () => {
  const options = fc.record(
    {
      kubernetesVersion: fc.oneof(fc.string(), fc.constantFrom('1.20', '1.23', '1.24', 'v1.36.1', '2.0', '1.11', ' 1.30 ')),
      asApiserver: fc.boolean(),
      file: fc.string(),
      limits: fc.record({ maxBytes: fc.nat(400), maxDepth: fc.nat(20), maxAliases: fc.nat(5), maxExpandedValues: fc.nat(50) }, { requiredKeys: [] }),
    },
    { requiredKeys: [] },
  );
  const noise = fc.array(
    fc.constantFrom('apiVersion: audit.k8s.io/v1\n', 'kind: Policy\n', 'rules:\n', '- level: None\n', '  verbs: [get]\n', '&a ', '*a', '<<: *a\n', '---\n', '{', '}', '[', ']', '~', 'metadata: {generation: x}\n', '\u0000', '\u2028', '# c\n', 'KIND: Policy\n', 'users: [0777]\n', '"'),
    { maxLength: 25 },
  );

  it('for random text, bytes and options, and every problem is data', () => {
    fc.assert(
      fc.property(fc.oneof(noise.map((parts) => parts.join('')), fc.string({ unit: 'binary', maxLength: 120 }), fc.uint8Array({ maxLength: 120 })), options, (input, opts) => {
        const result = parsePolicy(input, opts);
        expect(codes(result.problems)).not.toContain('internal-error');
        if (!result.ok) expect(errors(result.problems).length).toBeGreaterThan(0);
        result.locate('rules[0].level');
      }),
      { numRuns: 1500 },
    );
  });
});

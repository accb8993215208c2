// lint on policies far larger than usual (it used to overflow the stack at 5,000 rules), and on
// small policies whose exact analysis explodes (it must stop and say so, never guess).
import type { Policy } from '@k8s-gen/audit';
import { describe, expect, it } from 'vitest';
import { firstMatchingRule, lint, type LintFinding } from '../src/index.js';
import { jointCoverPolicy, mixedPolicy, oneUserPerRulePolicy, teamPolicy, type TeamPolicyLayout } from '../../../test/hostile/engine/lint.js';

const ruleOf = (path: string): number | undefined => {
  const match = /^rules\[(\d+)\]/.exec(path);
  return match ? Number(match[1]) : undefined;
};

/** Maps a rule index of the one-team policy to the same rule in the large policy. */
function indexMapper(small: TeamPolicyLayout, large: TeamPolicyLayout, block: number, largeRules: number): (index: number) => number {
  const own = large.blocks[block]!;
  return (index) => {
    if (index < small.prefix) return index;
    if (index < small.prefix + own.length) return own.start + index - small.prefix;
    return largeRules - small.suffix + (index - small.prefix - own.length);
  };
}

/** The findings about rules, paths and rule references in messages mapped; examples checked, then dropped. */
function ruleFindings(findings: readonly LintFinding[], policy: Policy, keep: (index: number) => boolean, map: (index: number) => number = (i) => i) {
  return findings
    .filter((finding) => ruleOf(finding.path) !== undefined && keep(ruleOf(finding.path)!))
    .map((finding) => {
      if (finding.example !== undefined) expect(firstMatchingRule(policy, finding.example)).toBe(ruleOf(finding.path));
      const remap = (text: string): string => text.replace(/rules\[(\d+)\]/g, (_, digits: string) => `rules[${map(Number(digits))}]`);
      // Messages of findings with examples describe the example, which depends on all the policy's literals.
      return { code: finding.code, severity: finding.severity, path: remap(finding.path), ...(finding.example === undefined ? { message: remap(finding.message) } : {}) };
    });
}

describe('lint on a catch-all after 10,000 rules naming one user each', () => {
  it('decides every rule live without overflowing the stack (the old search recursed once per rule)', () => {
    const policy = oneUserPerRulePolicy(10000);
    const findings = lint(policy);
    expect(findings.filter((finding) => finding.code === 'dead-rule' || finding.code === 'analysis-cut-short')).toEqual([]);
  });
});

describe('lint on 10,000 rules', () => {
  const { policy, layout } = teamPolicy({ rules: 10000 });
  const findings = lint(policy);

  it('finishes without throwing and decides every rule', () => {
    expect(policy.rules.length).toBeGreaterThanOrEqual(10000);
    expect(findings.filter((finding) => finding.code === 'analysis-cut-short')).toEqual([]);
    // Two dead rules per team, each shadowed by one rule of its own team.
    const dead = findings.filter((finding) => finding.code === 'dead-rule');
    expect(dead).toHaveLength(2 * layout.blocks.length);
  });

  it('reports for each team exactly what that team alone gives', () => {
    const rules = policy.rules.length;
    const sampled = layout.blocks.map((_, block) => block).filter((block) => block % 23 === 0 || block === layout.blocks.length - 1);
    for (const block of sampled) {
      const small = teamPolicy({ teams: [block] });
      const map = indexMapper(small.layout, layout, block, rules);
      const own = layout.blocks[block]!;
      const inBlock = (index: number): boolean => index >= own.start && index < own.start + own.length;
      const fromSmall = ruleFindings(lint(small.policy), small.policy, (index) => inBlock(map(index)), map);
      expect(ruleFindings(findings, policy, inBlock)).toEqual(fromSmall);
    }
  });

  it('reports the shared rules as a one-team policy does', () => {
    const small = teamPolicy({ teams: [0] });
    const map = indexMapper(small.layout, layout, 0, policy.rules.length);
    const shared = (index: number): boolean => index < layout.prefix || index >= policy.rules.length - layout.suffix;
    expect(ruleFindings(findings, policy, shared)).toEqual(ruleFindings(lint(small.policy), small.policy, (index) => shared(map(index)), map));
  });
});

describe('lint on 10,000 interleaved rules that overlap thousands of earlier ones', () => {
  it('finishes without throwing, decides every rule, and its examples show what they claim', () => {
    const policy = mixedPolicy(10000);
    const findings = lint(policy);
    expect(findings.filter((finding) => finding.code === 'analysis-cut-short')).toEqual([]);
    for (const finding of findings) {
      if (finding.example !== undefined && ruleOf(finding.path) !== undefined) expect(firstMatchingRule(policy, finding.example)).toBe(ruleOf(finding.path));
    }
    // A per-user kube-system rule is dead exactly when an earlier one names the same user.
    const perUser = policy.rules.map((rule, index) => ({ rule, index })).filter(({ rule }) => rule.namespaces?.[0] === 'kube-system');
    const seen = new Set<string>();
    const repeats: string[] = [];
    for (const { rule, index } of perUser) {
      if (seen.has(rule.users![0]!)) repeats.push(`rules[${index}]`);
      seen.add(rule.users![0]!);
    }
    const dead = findings.filter((finding) => finding.code === 'dead-rule' && policy.rules[ruleOf(finding.path)!]!.namespaces?.[0] === 'kube-system');
    expect(repeats.length).toBeGreaterThan(1000);
    expect(dead.map((finding) => finding.path)).toEqual(repeats);
  });
});

describe('lint stops at its step limits and says so', () => {
  const policy = jointCoverPolicy(6);
  const covered = policy.rules.length - 2;

  it('proves the jointly covered rule dead with the default limits', () => {
    const dead = lint(policy).filter((finding) => finding.code === 'dead-rule');
    expect(dead.map((finding) => finding.path)).toEqual([`rules[${covered}]`]);
    // Every earlier rule is needed to cover it.
    expect(dead[0]!.message.match(/rules\[\d+\]/g)).toHaveLength(covered + 1);
  });

  it('with a small limit reports the rule as cut short instead of guessing', () => {
    const findings = lint(policy, { questionSteps: 300 });
    expect(findings.filter((finding) => finding.path === `rules[${covered}]`).map((finding) => finding.code)).toEqual(['analysis-cut-short']);
    expect(findings.find((finding) => finding.path === `rules[${covered}]`)!.message).toContain('whether any request reaches it first');
  });

  it('a total limit bounds the whole run: every rule is decided as without it, or reported as cut short', () => {
    const { policy: teams } = teamPolicy({ rules: 600 });
    const full = lint(teams);
    const bounded = lint(teams, { totalSteps: 3_000 });
    const cut = new Set(bounded.filter((finding) => finding.code === 'analysis-cut-short').map((finding) => finding.path));
    expect(cut.size).toBeGreaterThan(0);
    expect(cut.size).toBeLessThan(teams.rules.length / 2);
    const decided = (finding: LintFinding): boolean => ruleOf(finding.path) !== undefined && !cut.has(`rules[${ruleOf(finding.path)}]`);
    const strip = ({ example: _example, ...rest }: LintFinding) => rest;
    expect(bounded.filter((finding) => finding.code !== 'analysis-cut-short' && decided(finding)).map(strip)).toEqual(full.filter(decided).map(strip));
  });
});

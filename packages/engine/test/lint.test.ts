// lint(): every finding with a policy that triggers it and one that does not.
import type { Policy, PolicyRule } from '@k8s-gen/audit';
import { docsExamplePolicy, gceProductionPolicy } from '@k8s-gen/audit';
import { describe, expect, it } from 'vitest';
import { formatLint, lint, type LintCode, type LintFinding } from '../src/index.js';

const policyOf = (rules: PolicyRule[], extra: Partial<Policy> = {}): Policy => ({
  apiVersion: 'audit.k8s.io/v1',
  kind: 'Policy',
  omitStages: ['RequestReceived'],
  ...extra,
  rules,
});
const catchAll: PolicyRule = { level: 'Metadata' };
const only = (findings: LintFinding[], code: LintCode) => findings.filter((finding) => finding.code === code);
const codes = (policy: Policy, version?: string) => lint(policy, version ? { kubernetesVersion: version } : {}).map((f) => `${f.code} ${f.path}`);

describe('dead-rule', () => {
  it('reports a rule after a catch-all, naming the shadowing rule', () => {
    const findings = only(lint(policyOf([catchAll, { level: 'None', verbs: ['get'] }])), 'dead-rule');
    expect(findings).toEqual([expect.objectContaining({ path: 'rules[1]', severity: 'warning' })]);
    expect(findings[0]!.message).toContain('rules[0] already matches every request');
  });

  it('reports a rule covered only by several earlier rules together', () => {
    const policy = policyOf([
      { level: 'None', verbs: ['get', 'list'], resources: [{ group: '', resources: ['pods'] }] },
      { level: 'None', verbs: ['watch'], resources: [{ group: '', resources: ['pods/*'] }] },
      { level: 'Request', userGroups: ['dev'] },
      { level: 'Request', users: ['alice'], userGroups: ['dev', 'ops'] , verbs: ['get', 'watch'], resources: [{ group: '', resources: ['pods'] }] },
      catchAll,
    ]);
    // get pods goes to rules[0], watch pods to rules[1]: rules[3] is left with nothing.
    const dead = only(lint(policy), 'dead-rule');
    expect(dead.map((finding) => finding.path)).toEqual(['rules[3]']);
    expect(dead[0]!.message).toContain('rules[0], rules[1] together match');
  });

  it('knows that pods/* covers pods, and that */status does not cover pods', () => {
    expect(codes(policyOf([{ level: 'None', resources: [{ group: '', resources: ['pods/*'] }] }, { level: 'Request', resources: [{ group: '', resources: ['pods'] }] }, catchAll]))).toContain('dead-rule rules[1]');
    expect(codes(policyOf([{ level: 'None', resources: [{ group: '', resources: ['*/status'] }] }, { level: 'Request', resources: [{ group: '', resources: ['pods'] }] }, catchAll]))).not.toContain('dead-rule rules[1]');
  });

  it('knows that resourceNames rules leave other names (and create/list) to later rules', () => {
    const policy = policyOf([
      { level: 'None', resources: [{ group: '', resources: ['configmaps'], resourceNames: ['leader'] }] },
      { level: 'Metadata', resources: [{ group: '', resources: ['configmaps'] }] },
      catchAll,
    ]);
    expect(only(lint(policy), 'dead-rule')).toEqual([]);
  });

  it('reports a rule that matches nothing at all', () => {
    const findings = only(lint(policyOf([{ level: 'Request', resources: [{ group: '', resources: ['pods/'] }] }, catchAll])), 'dead-rule');
    expect(findings[0]?.message).toContain('no request satisfies');
  });

  it('does not report the reference policies', () => {
    expect(only(lint(gceProductionPolicy().build()), 'dead-rule')).toEqual([]);
    expect(only(lint(docsExamplePolicy().build()), 'dead-rule')).toEqual([]);
  });
});

describe('sensitive-body-logged', () => {
  it('flags secrets written at Request level as an error', () => {
    const findings = only(lint(policyOf([{ level: 'Request', resources: [{ group: '' }] }, catchAll])), 'sensitive-body-logged');
    const secrets = findings.find((finding) => finding.message.includes('bodies of secrets'));
    expect(secrets).toMatchObject({ severity: 'error', path: 'rules[0].level' });
    expect(findings.find((finding) => finding.message.includes('configmaps'))).toMatchObject({ severity: 'warning' });
  });

  it('flags token requests at RequestResponse only, and token reviews', () => {
    const atRequest = lint(policyOf([{ level: 'Request' }]));
    expect(only(atRequest, 'sensitive-body-logged').map((f) => f.message).join()).not.toContain('token requests');
    expect(only(atRequest, 'sensitive-body-logged').map((f) => f.message).join()).toContain('token reviews');
    const atResponse = lint(policyOf([{ level: 'RequestResponse' }]));
    expect(only(atResponse, 'sensitive-body-logged').map((f) => f.message).join()).toContain('token requests');
  });

  it('stays quiet when earlier rules keep those resources at Metadata', () => {
    const policy = policyOf([
      { level: 'Metadata', resources: [{ group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] }, { group: 'authentication.k8s.io', resources: ['tokenreviews'] }] },
      { level: 'RequestResponse', verbs: ['create', 'update', 'patch', 'delete'] },
      catchAll,
    ]);
    expect(only(lint(policy), 'sensitive-body-logged')).toEqual([]);
  });

  it('knows token reviews are cluster-scoped and secrets namespaced', () => {
    const policy = policyOf([
      { level: 'Metadata', namespaces: [''], resources: [{ group: 'authentication.k8s.io', resources: ['tokenreviews'] }] },
      { level: 'None', namespaces: [''], resources: [{ group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] }] },
      { level: 'RequestResponse' },
    ]);
    const messages = only(lint(policy), 'sensitive-body-logged').map((f) => f.message);
    expect(messages.some((m) => m.includes('token reviews'))).toBe(false);
    expect(messages.some((m) => m.includes('bodies of secrets') && m.includes('namespace "default"'))).toBe(true);
  });

  it('finds what the older GCE profile left open, token requests at RequestResponse, and the current one closes', () => {
    const current = gceProductionPolicy().build();
    expect(only(lint(current), 'sensitive-body-logged').filter((f) => f.severity === 'error')).toEqual([]);
    // The profile before serviceaccounts/token joined secrets and configmaps at Metadata.
    const older = structuredClone(current);
    older.rules[13]!.resources![0]!.resources = ['secrets', 'configmaps'];
    const findings = only(lint(older), 'sensitive-body-logged').filter((f) => f.severity === 'error');
    expect(findings.map((f) => f.path)).toEqual(['rules[15].level']);
    expect(findings[0]!.message).toContain('serviceaccounts/token');
  });
});

describe('body-level-on-non-resource', () => {
  it('flags Request on a URL-only rule, not Metadata', () => {
    expect(codes(policyOf([{ level: 'Request', nonResourceURLs: ['/healthz*'] }, catchAll]))).toContain('body-level-on-non-resource rules[0].level');
    expect(codes(policyOf([{ level: 'Metadata', nonResourceURLs: ['/healthz*'] }, catchAll]))).not.toContain('body-level-on-non-resource rules[0].level');
  });
});

describe('no-catch-all', () => {
  it('reports requests no rule matches, as info', () => {
    const findings = only(lint(policyOf([{ level: 'Metadata', resources: [{ group: '' }] }])), 'no-catch-all');
    expect(findings).toEqual([expect.objectContaining({ severity: 'info', path: 'rules' })]);
  });

  it('is quiet when every request matches some rule, even without a single catch-all', () => {
    expect(only(lint(policyOf([catchAll])), 'no-catch-all')).toEqual([]);
    const split = policyOf([{ level: 'Metadata', nonResourceURLs: ['*'] }, { level: 'Metadata', resources: [{ group: '*' }] }]);
    expect(only(lint(split, { kubernetesVersion: '1.36' }), 'no-catch-all')).toEqual([]);
    // Before 1.36, group "*" is a literal group name, so other groups fall through.
    expect(only(lint(split, { kubernetesVersion: '1.35' }), 'no-catch-all')).toHaveLength(1);
  });
});

describe('request-received-not-omitted', () => {
  it('reports rules that keep RequestReceived', () => {
    const findings = only(lint(policyOf([{ level: 'None', verbs: ['watch'] }, catchAll], { omitStages: [] })), 'request-received-not-omitted');
    expect(findings).toEqual([expect.objectContaining({ path: 'omitStages' })]);
    expect(findings[0]!.message).toMatch(/^rules\[1\] emit/);
  });

  it('is quiet when the policy or every logging rule omits it', () => {
    expect(only(lint(policyOf([catchAll])), 'request-received-not-omitted')).toEqual([]);
    expect(only(lint(policyOf([{ level: 'Metadata', omitStages: ['RequestReceived'] }], { omitStages: [] })), 'request-received-not-omitted')).toEqual([]);
  });
});

describe('response-started-omitted', () => {
  it('reports a policy-level omission that hides failed logins', () => {
    const findings = only(lint(policyOf([catchAll], { omitStages: ['RequestReceived', 'ResponseStarted'] })), 'response-started-omitted');
    expect(findings).toEqual([expect.objectContaining({ path: 'omitStages' })]);
  });

  it('reports a rule-level omission only if the rule can see failed logins', () => {
    const seen = policyOf([{ level: 'Metadata', omitStages: ['ResponseStarted'] }]);
    expect(codes(seen)).toContain('response-started-omitted rules[0].omitStages');
    const userOnly = policyOf([{ level: 'Metadata', users: ['alice'], omitStages: ['ResponseStarted'] }, catchAll]);
    expect(only(lint(userOnly), 'response-started-omitted')).toEqual([]);
  });
});

describe('star-slash-star', () => {
  it('flags */* and not *', () => {
    expect(codes(policyOf([{ level: 'Metadata', resources: [{ group: '', resources: ['pods', '*/*'] }] }, catchAll]))).toContain('star-slash-star rules[0].resources[0].resources[1]');
    expect(codes(policyOf([{ level: 'Metadata', resources: [{ group: '', resources: ['*'] }] }, catchAll])).filter((c) => c.startsWith('star'))).toEqual([]);
  });
});

describe('group-with-version', () => {
  it('flags apps/v1 as an error, not apps', () => {
    const findings = only(lint(policyOf([{ level: 'Metadata', resources: [{ group: 'apps/v1' }] }, catchAll])), 'group-with-version');
    expect(findings).toEqual([expect.objectContaining({ severity: 'error', path: 'rules[0].resources[0].group', fix: 'write group: "apps"' })]);
    expect(only(lint(policyOf([{ level: 'Metadata', resources: [{ group: 'apps' }] }, catchAll])), 'group-with-version')).toEqual([]);
  });
});

describe('watch-at-request-response', () => {
  it('flags a RequestResponse rule that watches reach', () => {
    expect(codes(policyOf([{ level: 'RequestResponse', resources: [{ group: 'apps' }] }, catchAll]))).toContain('watch-at-request-response rules[0].level');
  });

  it('is quiet when an earlier rule takes the watches or the rule excludes them', () => {
    expect(codes(policyOf([{ level: 'Metadata', verbs: ['watch'] }, { level: 'RequestResponse', resources: [{ group: 'apps' }] }, catchAll]))).not.toContain('watch-at-request-response rules[1].level');
    expect(codes(policyOf([{ level: 'RequestResponse', verbs: ['create'], resources: [{ group: 'apps' }] }, catchAll]))).not.toContain('watch-at-request-response rules[0].level');
  });
});

describe('unsupported-in-version', () => {
  it('flags omitManagedFields before 1.23 only', () => {
    const policy = policyOf([{ level: 'Request', omitManagedFields: true, resources: [{ group: 'apps' }] }, catchAll], { omitManagedFields: true });
    expect(codes(policy, '1.22').filter((c) => c.startsWith('unsupported'))).toEqual(['unsupported-in-version omitManagedFields', 'unsupported-in-version rules[0].omitManagedFields']);
    expect(codes(policy, '1.23').filter((c) => c.startsWith('unsupported'))).toEqual([]);
  });

  it('flags group "*" before 1.36 only', () => {
    const policy = policyOf([{ level: 'Metadata', resources: [{ group: '*', resources: ['pods'] }] }, catchAll]);
    expect(codes(policy, '1.35')).toContain('unsupported-in-version rules[0].resources[0].group');
    expect(codes(policy, '1.36')).not.toContain('unsupported-in-version rules[0].resources[0].group');
  });

  it('flags v1beta1 from 1.24 only', () => {
    const policy = { ...policyOf([catchAll]), apiVersion: 'audit.k8s.io/v1beta1' } as unknown as Policy;
    expect(codes(policy, '1.24')).toContain('unsupported-in-version apiVersion');
    expect(codes(policy, '1.23')).not.toContain('unsupported-in-version apiVersion');
  });
});

describe('case-never-matches', () => {
  it('flags GET, Pods and Kube-System, not their lower-case forms', () => {
    const bad = codes(policyOf([{ level: 'None', verbs: ['GET'], namespaces: ['Kube-System'], resources: [{ group: '', resources: ['Pods'] }] }, catchAll]));
    expect(bad).toEqual(expect.arrayContaining(['case-never-matches rules[0].verbs[0]', 'case-never-matches rules[0].namespaces[0]', 'case-never-matches rules[0].resources[0].resources[0]']));
    const good = codes(policyOf([{ level: 'None', verbs: ['get'], namespaces: ['kube-system'], resources: [{ group: '', resources: ['pods'] }] }, catchAll]));
    expect(good.filter((c) => c.startsWith('case'))).toEqual([]);
  });
});

describe('output', () => {
  const policy = policyOf([catchAll, { level: 'None', verbs: ['GET'] }]);
  const findings = lint(policy);

  it('is sorted by path and deterministic', () => {
    expect(findings.map((f) => f.path)).toEqual(['rules[1]', 'rules[1].verbs[0]']);
    expect(lint(policy)).toEqual(findings);
  });

  it('renders text with file positions from a source map', () => {
    const text = formatLint(findings, 'text', { file: 'p.yaml', sourceMap: { 'rules[1]': { line: 6, column: 5 }, 'rules[1].verbs[0]': { line: 7, column: 12 } } });
    expect(text).toContain('p.yaml:6:5: rules[1]: warning [dead-rule]');
    expect(text).toContain('p.yaml:7:12: rules[1].verbs[0]: warning [case-never-matches]');
    expect(text.trimEnd().split('\n').at(-1)).toBe('2 warnings');
    expect(formatLint([], 'text')).toBe('no findings\n');
  });

  it('renders JSON with positions falling back to the parent path', () => {
    const json = JSON.parse(formatLint(findings, 'json', { file: 'p.yaml', sourceMap: { 'rules[1]': { line: 6, column: 5 } } }));
    expect(json.findings[1]).toMatchObject({ code: 'case-never-matches', file: 'p.yaml', line: 6, column: 5 });
  });

  it('renders SARIF 2.1.0 with rule ids, levels and regions', () => {
    const sarif = JSON.parse(formatLint(findings, 'sarif', { file: 'policies/p.yaml', sourceMap: { 'rules[1]': { line: 6, column: 5 } } }));
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((rule: { id: string }) => rule.id)).toEqual(['case-never-matches', 'dead-rule']);
    expect(run.results[0]).toMatchObject({
      ruleId: 'dead-rule',
      ruleIndex: 1,
      level: 'warning',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'policies/p.yaml' }, region: { startLine: 6, startColumn: 5 } } }],
    });
    const info = JSON.parse(formatLint(lint(policyOf([{ level: 'Metadata', verbs: ['get'] }])), 'sarif'));
    expect(info.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'no-catch-all').level).toBe('note');
  });
});

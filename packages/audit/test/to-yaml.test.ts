import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { commentOf, parsePolicy, policy, toYaml, type Policy } from '../src/index.js';

describe('toYaml', () => {
  it('writes keys in kube-apiserver struct order, whatever order the object has', () => {
    const scrambled = {
      rules: [{ omitManagedFields: true, omitStages: ['Panic'], nonResourceURLs: ['/x'], namespaces: ['n'], resources: [{ resourceNames: ['r'], resources: ['pods'], group: '' }], verbs: ['get'], userGroups: ['g'], users: ['u'], level: 'None' }],
      omitManagedFields: false,
      omitStages: ['RequestReceived'],
      metadata: { name: 'p' },
      kind: 'Policy',
      apiVersion: 'audit.k8s.io/v1',
    } as unknown as Policy;
    const keys = toYaml(scrambled)
      .split('\n')
      .map((line) => /^\s*(?:- )?([A-Za-z]+):/.exec(line)?.[1])
      .filter((key) => key !== undefined);
    expect(keys).toEqual([
      'apiVersion', 'kind', 'metadata', 'name', 'omitStages', 'omitManagedFields', 'rules',
      'level', 'users', 'userGroups', 'verbs', 'resources', 'group', 'resources', 'resourceNames', 'namespaces', 'nonResourceURLs', 'omitStages', 'omitManagedFields',
    ]);
  });

  it('is deterministic and keeps fields it does not know, sorted after the known ones', () => {
    const value = { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ zeta: 1, level: 'None', alpha: [] }] } as unknown as Policy;
    expect(toYaml(value)).toBe(toYaml(structuredClone(value)));
    expect(toYaml(value)).toBe('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: None\n    alpha: []\n    zeta: 1\n');
  });

  it('quotes strings for every YAML reader, not only go-yaml (the generic cases are tested in @k8s-gen/yaml)', () => {
    const users = ['', 'yes', '0777', 'e5', '*', 'system:kube-proxy', '/api*', 'ls\u2028ps'];
    const text = toYaml(policy().rule().level('None').users(...users).build());
    for (const version of ['1.1', '1.2'] as const) expect(parse(text, { version }).rules[0].users).toEqual(users);
    expect(text).toContain('    users:\n      - ""\n      - "yes"\n      - "0777"\n      - "e5"\n      - "*"\n      - system:kube-proxy\n      - /api*\n      - "ls\\Lps"\n');
  });

  it('writes comments as # lines above rules and resources entries, and a header', () => {
    const built = policy()
      .comment('cluster audit policy')
      .rule().level('None').resources({ group: '' }).comment('first line\nsecond line')
      .rule().level('Metadata')
      .build();
    expect(toYaml(built)).toBe(
      '# cluster audit policy\n\napiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  # first line\n  # second line\n  - level: None\n    resources:\n      - group: ""\n  - level: Metadata\n',
    );
    expect(toYaml(built, { header: 'generated, do not edit' }).startsWith('# generated, do not edit\n\napiVersion')).toBe(true);
  });

  it('never lets a comment inject YAML', () => {
    const hostile = 'innocent\nrules: []\r\n- level: RequestResponse\u2028kind: Other\rx: 1\u0000\u0007';
    const built = policy().comment(hostile).rule().level('None').comment(hostile).build();
    const text = toYaml(built);
    const result = parsePolicy(text);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.policy).toEqual(built);
    expect(commentOf(result.policy.rules[0]!)).toBe('innocent\nrules: []\n- level: RequestResponse\nkind: Other\nx: 1\ufffd\ufffd');
    for (const line of text.split('\n')) expect(line === '' || /^\s*#/.test(line) || /^\s*(- )?[A-Za-z]+:/.test(line)).toBe(true);
  });

  it('writes empty lists and empty metadata in flow style', () => {
    const value = { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', metadata: {}, rules: [{ level: 'None', users: [] }] } as unknown as Policy;
    expect(toYaml(value)).toBe('apiVersion: audit.k8s.io/v1\nkind: Policy\nmetadata: {}\nrules:\n  - level: None\n    users: []\n');
  });
});

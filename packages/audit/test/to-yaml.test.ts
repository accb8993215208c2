import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { commentOf, parsePolicy, policy, toYaml, type Policy } from '../src/index.js';

/** Strings a careless writer would corrupt under YAML 1.1 or 1.2. */
const TRICKY = [
  '', ' ', 'yes', 'Yes', 'YES', 'no', 'on', 'off', 'y', 'n', 'Y', 'N', 'true', 'False', 'null', 'Null', '~', '0777', '0x1F', '0o17', '1e3', '1_000',
  '12:30:45', '2001-12-14', '.inf', '-.Inf', '.NaN', '-1', '+1', '1.5', '*', '*/scale', '&anchor', '!tag', '- item', '? key', 'a: b', 'a #b', 'trailing:', '#hash',
  '%percent', '@at', '`tick', '"quoted"', "'single'", '[list]', '{map}', '|', '>', '<<', '=', 'line\nbreak', 'tab\there', 'unicode é ü', '\u0085nel', 'ls\u2028ps\u2029', 'del\u007f c1\u0090', 'nbsp\u00a0', 'a long line of text that is clearly longer than forty characters\nwith a break', 'e0', 'E5', 'e+7',
  'system:kube-proxy', '/api*', 'pods/*', 'a:b',
];

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

  it('quotes every string whose meaning YAML 1.1 or 1.2 would change', () => {
    const built = policy().rule().level('None').users(...TRICKY).build();
    const text = toYaml(built);
    for (const version of ['1.1', '1.2'] as const) {
      expect(parse(text, { version }).rules[0].users).toEqual(TRICKY);
    }
    expect(text).toContain('- ""');
    expect(text).toContain('- "yes"');
    expect(text).toContain('- "0777"');
    expect(text).toContain('- "*"');
    expect(text).toContain('- system:kube-proxy');
    expect(text).toContain('- /api*');
  });

  it.skipIf(!existsSync('/usr/bin/kubectl'))('writes strings that the Go YAML decoder of kubectl and kube-apiserver reads back unchanged', () => {
    // kubectl loads kubeconfig files through the same sigs.k8s.io/yaml decoder kube-apiserver uses
    // for policy files, so a kubeconfig written by toYaml is a real-decoder check of the quoting.
    const contexts = TRICKY.map((namespace, i) => ({ name: `c${i}`, context: { cluster: 'c', user: 'u', namespace } }));
    const text = toYaml({ apiVersion: 'v1', kind: 'Config', contexts } as unknown as Policy);
    const dir = mkdtempSync(join(tmpdir(), 'audit-yaml-'));
    try {
      writeFileSync(join(dir, 'config'), text);
      const output = execFileSync('/usr/bin/kubectl', ['config', 'view', '--kubeconfig', join(dir, 'config'), '-o', 'json'], { encoding: 'utf8' });
      const read = JSON.parse(output) as { contexts: { name: string; context: { namespace?: string } }[] };
      // kubectl lists contexts by name; an empty namespace is left out of its output.
      const byName = new Map(read.contexts.map((entry) => [entry.name, entry.context.namespace ?? '']));
      expect(TRICKY.map((_, i) => byName.get(`c${i}`))).toEqual(TRICKY);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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

// Every hostile case against every setting it can reach and every format flags are written in.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  auditFlags,
  checkAuditSettings,
  DEPLOYMENT_TARGET,
  flagsToArgs,
  kindClusterConfigYaml,
  kubeadmClusterConfigurationYaml,
  podJsonPatch,
  STATIC_POD_TARGET,
  type AuditSettings,
  type Flag,
  type HostMount,
} from '@k8s-gen/apiserver';

interface HostileCase {
  name: string;
  category: string;
  value: unknown;
  setting?: string;
  why: string;
}

const load = (file: string): HostileCase[] =>
  JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8'), (_key, value: unknown) => (value !== null && typeof value === 'object' && '$number' in value ? Number((value as { $number: string }).$number) : value)) as HostileCase[];
const paths = load('./paths.json');
const values = load('./values.json');
const v30 = { text: '1.30', minor: 30 };
const base: AuditSettings = { policyFile: '/etc/kubernetes/audit-policy.yaml', log: { path: '/var/log/kubernetes/audit/audit.log' }, webhook: { kubeconfigPath: '/etc/kubernetes/audit-webhook-kubeconfig' } };

function withSetting(setting: string, value: unknown): AuditSettings {
  const copy = structuredClone(base) as unknown as Record<string, unknown>;
  const keys = setting.split('.');
  let node = copy;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys.at(-1)!] = value;
  return copy as AuditSettings;
}

describe('the corpus', () => {
  it('names every case once and gives it a category the README lists', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    const all = [...paths, ...values];
    expect(new Set(all.map((c) => c.name)).size).toBe(all.length);
    for (const c of all) expect(readme).toContain(`| \`${c.category}\` |`);
  });
});

describe.each(['policyFile', 'log.path', 'webhook.kubeconfigPath'])('hostile paths in %s', (setting) => {
  it.each(paths.map((c) => [c.name, c] as const))('%s is refused where it enters, and no flag carries it', (_name, c) => {
    const { flags, problems } = auditFlags(withSetting(setting, c.value), v30);
    const refused = problems.filter((p) => p.path === setting && p.severity === 'error');
    expect(refused.map((p) => p.code)).toEqual(['unsafe-value']);
    expect(flags.some((flag) => flag.value === c.value)).toBe(false);
    // The flags that are written stay exactly the safe ones.
    expect(flagsToArgs(flags).every((arg) => /^--[a-z-]+=[^\s]*$/.test(arg))).toBe(true);
  });
});

describe.each(['log', 'webhook'])('hostile values in the %s backend', (backend) => {
  it.each(values.map((c) => [c.name, c] as const))('%s is refused with its path and never written', (_name, c) => {
    const setting = `${backend}.${c.setting}`;
    const settings = withSetting(setting, c.value);
    if (c.setting!.startsWith('batch.')) (settings[backend as 'log'] as { mode?: string }).mode = 'batch';
    const problems = checkAuditSettings(settings, v30);
    expect(problems.filter((p) => p.severity === 'error').map((p) => p.path)).toEqual([setting]);
    const { flags } = auditFlags(settings, v30);
    expect(flags.map((flag) => flag.value)).not.toContain(String(c.value));
  });
});

describe('renderers refuse hostile values handed to them past the checks (a k8s-gen bug)', () => {
  const mount = (path: string): HostMount => ({ name: 'audit-log', hostPath: path, mountPath: path, type: 'DirectoryOrCreate', readOnly: false });
  // Values every renderer must refuse: the ones that could change an argument or a document.
  const unsafe = paths.filter((c) => !['flag-lookalike', 'length'].includes(c.category));
  const formats: Array<[string, (flags: Flag[], mounts: HostMount[]) => unknown]> = [
    ['flags list', (flags) => flagsToArgs(flags)],
    ['kubeadm YAML (v1beta3)', (flags, mounts) => kubeadmClusterConfigurationYaml(flags, mounts, 'kubeadm.k8s.io/v1beta3')],
    ['kubeadm YAML (v1beta4)', (flags, mounts) => kubeadmClusterConfigurationYaml(flags, mounts, 'kubeadm.k8s.io/v1beta4')],
    ['kind YAML', (flags, mounts) => kindClusterConfigYaml(flags, mounts, [{ nodePath: String(flags[0]?.value ?? mounts[0]?.hostPath), localPath: './audit-policy.yaml' }], 'kubeadm.k8s.io/v1beta4')],
    ['static Pod patch', (flags, mounts) => podJsonPatch(flags, mounts, STATIC_POD_TARGET)],
    ['Deployment patch', (flags, mounts) => podJsonPatch(flags, mounts, DEPLOYMENT_TARGET)],
  ];
  for (const [format, render] of formats) {
    it.each(unsafe.map((c) => [c.name, c] as const))(`${format}: %s`, (_name, c) => {
      expect(() => render([{ name: 'audit-log-path', value: c.value as string }], [])).toThrow(/k8s-gen bug/);
      if (format !== 'flags list') expect(() => render([], [mount(c.value as string)])).toThrow(/k8s-gen bug/);
    });
  }
});

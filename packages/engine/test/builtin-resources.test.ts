// lint's unknown-resource: resources that a built-in group does not serve, checked against the
// official API definitions so that no resource the apiserver serves is ever flagged.
import { describe, expect, it } from 'vitest';
import type { Policy } from '@k8s-gen/audit';
import { describeWithShared, readShared, SHARED_FILES } from '../../../test/support/shared-data.js';
import { BUILTIN_RESOURCES } from '../src/builtin-resources.js';
import { lint } from '../src/lint.js';

const policyWith = (resources: { group?: string; resources: string[] }[]): Policy => ({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'Metadata', resources }, { level: 'None' }] });
const unknown = (policy: Policy) => lint(policy).filter((finding) => finding.code === 'unknown-resource');

describe('unknown-resource', () => {
  it('flags a singular or misspelt name, and a resource put in the wrong group, with the fix', () => {
    const findings = unknown(policyWith([{ group: '', resources: ['secret', 'pods/exec', 'configmapz'] }, { resources: ['deployments/scale'] }, { group: 'apps', resources: ['widgets'] }]));
    expect(findings.map((finding) => [finding.path, finding.severity])).toEqual([
      ['rules[0].resources[0].resources[0]', 'warning'],
      ['rules[0].resources[0].resources[2]', 'warning'],
      ['rules[0].resources[1].resources[0]', 'warning'],
      ['rules[0].resources[2].resources[0]', 'warning'],
    ]);
    expect(findings[0]!.message).toContain('resource "secret" is not served in the core group ("")');
    expect(findings[0]!.fix).toContain('did you mean "secrets"?');
    expect(findings[1]!.fix).toContain('did you mean "configmaps"?');
    expect(findings[2]!.fix).toContain('"deployments" is served in group "apps"');
    expect(findings[3]!.fix).toContain('kubectl api-resources --api-group=apps');
  });

  it('leaves wildcards, subresource patterns, unchecked groups and capitalised names (another finding) alone', () => {
    expect(unknown(policyWith([{ group: '', resources: ['*', '*/scale', 'pods/*', 'serviceaccounts/token'] }, { group: 'example.com', resources: ['widgets'] }, { group: 'resource.k8s.io', resources: ['resourceclaims'] }, { group: '*', resources: ['anything'] }]))).toEqual([]);
    const capitalised = lint(policyWith([{ resources: ['Pods'] }]));
    expect(capitalised.map((finding) => finding.code)).toContain('case-never-matches');
    expect(capitalised.map((finding) => finding.code)).not.toContain('unknown-resource');
  });
});

/** The plural resource name of a kind, as the apiserver names the built-in ones. */
function plural(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower === 'endpoints') return lower;
  if (lower.endsWith('ss') || lower.endsWith('us')) return `${lower}es`;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

describeWithShared('unknown-resource against the official API definitions', [SHARED_FILES.spec118, SHARED_FILES.spec120, SHARED_FILES.spec136], () => {
  it('knows every resource of a checked group that Kubernetes 1.18, 1.20 and 1.36 serve', () => {
    const served = new Set<string>();
    for (const file of [SHARED_FILES.spec118, SHARED_FILES.spec120, SHARED_FILES.spec136]) {
      const spec = JSON.parse(readShared(file)) as { definitions?: Record<string, { 'x-kubernetes-group-version-kind'?: { group: string; kind: string }[] }>; paths?: Record<string, unknown> };
      for (const definition of Object.values(spec.definitions ?? {})) {
        for (const { group, kind } of definition['x-kubernetes-group-version-kind'] ?? []) {
          // Kinds that are not resources of their own: lists, options, discovery documents and subresource bodies.
          if (kind.endsWith('List') || ['DeleteOptions', 'WatchEvent', 'Status', 'Eviction', 'Scale', 'Binding', 'TokenRequest', 'APIGroup', 'APIVersions', 'APIResourceList'].includes(kind)) continue;
          if (group in BUILTIN_RESOURCES) served.add(`${group}/${plural(kind)}`);
        }
      }
      for (const path of Object.keys(spec.paths ?? {})) {
        const core = /^\/api\/v1\/(?:namespaces\/\{namespace\}\/)?([a-z]+)(?:\/|$)/.exec(path);
        const grouped = /^\/apis\/([a-z0-9.-]+)\/[a-z0-9]+\/(?:namespaces\/\{namespace\}\/)?([a-z]+)(?:\/|$)/.exec(path);
        const [group, resource] = core !== null ? ['', core[1]!] : grouped !== null ? [grouped[1]!, grouped[2]!] : [undefined, undefined];
        if (group !== undefined && resource !== 'watch' && group in BUILTIN_RESOURCES) served.add(`${group}/${resource}`);
      }
    }
    expect(served.size).toBeGreaterThan(60);
    const missing = [...served].filter((entry) => {
      const slash = entry.lastIndexOf('/');
      return !BUILTIN_RESOURCES[entry.slice(0, slash)]!.includes(entry.slice(slash + 1));
    });
    expect(missing).toEqual([]);
  });
});

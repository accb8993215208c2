import { describe, expect, it } from 'vitest';
import { commentOf, docsExamplePolicy, gceProductionPolicy, KNOWN_APIS, minimalMetadataPolicy, parsePolicy, type Policy } from '../src/index.js';

const presets: Record<string, () => Policy> = {
  docs: () => docsExamplePolicy().build(),
  minimal: () => minimalMetadataPolicy().build(),
  gce: () => gceProductionPolicy().build(),
};

describe('presets', () => {
  it.each(Object.keys(presets))('%s is valid for 1.20 and 1.36 and round-trips through YAML with its comments', (name) => {
    const builder = { docs: docsExamplePolicy, minimal: minimalMetadataPolicy, gce: gceProductionPolicy }[name]!();
    expect(builder.validate({ kubernetesVersion: '1.20' })).toEqual([]);
    expect(builder.validate({ kubernetesVersion: '1.36' })).toEqual([]);
    const built = presets[name]!();
    const parsed = parsePolicy(builder.toYaml());
    expect(parsed.policy).toEqual(built);
    expect(parsed.policy!.rules.map((rule) => commentOf(rule))).toEqual(built.rules.map((rule) => commentOf(rule)));
  });

  it('builds a fresh policy on every call, so callers can extend one safely', () => {
    const extended = docsExamplePolicy().rule().level('None').end().build();
    expect(extended.rules).toHaveLength(10);
    expect(docsExamplePolicy().build().rules).toHaveLength(9);
  });

  it('explains every docs and GCE rule in a comment', () => {
    for (const p of [presets.docs!(), presets.gce!()]) {
      for (const rule of p.rules) expect(commentOf(rule)?.length).toBeGreaterThan(20);
    }
  });
});

describe('the GCE production profile', () => {
  const gce = gceProductionPolicy().build();
  const whole = (groups: readonly string[]) => groups.map((group) => ({ group }));

  it('has the 17 rules of the reference script in order', () => {
    expect(gce.rules.map((rule) => rule.level)).toEqual([
      'None', 'None', 'None', 'None', 'None', 'None', 'None', 'None', 'None', 'None',
      'Request', 'Request', 'Request', 'Metadata', 'Request', 'RequestResponse', 'Metadata',
    ]);
    expect(gce.omitStages).toBeUndefined();
  });

  it('omits RequestReceived exactly on rules 11 to 17', () => {
    expect(gce.rules.map((rule) => rule.omitStages)).toEqual([...Array<undefined>(10).fill(undefined), ...Array<string[]>(7).fill(['RequestReceived'])]);
  });

  it('lists the 18 known API groups and audits them whole on rules 15 and 16', () => {
    expect(KNOWN_APIS).toHaveLength(18);
    expect(new Set(KNOWN_APIS).size).toBe(18);
    expect(KNOWN_APIS).toContain('');
    expect(gce.rules[14]).toEqual({ level: 'Request', verbs: ['get', 'list', 'watch'], resources: whole(KNOWN_APIS), omitStages: ['RequestReceived'] });
    expect(gce.rules[15]).toEqual({ level: 'RequestResponse', resources: whole(KNOWN_APIS), omitStages: ['RequestReceived'] });
    expect(gce.rules[16]).toEqual({ level: 'Metadata', omitStages: ['RequestReceived'] });
  });

  it('matches the reference table on the quiet and sensitive rules', () => {
    expect(gce.rules[0]).toEqual({ level: 'None', users: ['system:kube-proxy'], verbs: ['watch'], resources: [{ group: '', resources: ['endpoints', 'services', 'services/status'] }] });
    expect(gce.rules[4]).toEqual({
      level: 'None',
      users: ['system:kube-controller-manager', 'system:cloud-controller-manager', 'system:kube-scheduler', 'system:serviceaccount:kube-system:endpoint-controller'],
      verbs: ['get', 'update'],
      resources: [{ group: '', resources: ['endpoints'] }],
      namespaces: ['kube-system'],
    });
    expect(gce.rules[7]).toEqual({ level: 'None', users: ['system:kube-controller-manager', 'system:cloud-controller-manager'], verbs: ['get', 'list'], resources: [{ group: 'metrics.k8s.io' }] });
    expect(gce.rules[8]).toEqual({ level: 'None', nonResourceURLs: ['/healthz*', '/version', '/swagger*'] });
    expect(gce.rules[9]).toEqual({ level: 'None', resources: [{ group: '', resources: ['events'] }] });
    expect(gce.rules[12]).toEqual({ level: 'Request', users: ['system:serviceaccount:kube-system:namespace-controller'], verbs: ['deletecollection'], omitStages: ['RequestReceived'] });
    expect(gce.rules[13]).toEqual({
      level: 'Metadata',
      // The current profile keeps issued service-account tokens (TokenRequest) beside secrets at Metadata.
      resources: [{ group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] }, { group: 'authentication.k8s.io', resources: ['tokenreviews'] }],
      omitStages: ['RequestReceived'],
    });
  });
});

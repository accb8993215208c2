import { describe, expect, it } from 'vitest';
import { commentOf, docsExamplePolicy, minimalMetadataPolicy, parsePolicy, policy, toYaml, validate, type Policy } from '../src/index.js';
import { describeWithShared, SHARED_FILES, seedExamplePolicyYaml as readSeedExample, seedMinimalPolicyYaml as readSeedMinimal } from './shared-seed.js';

function parsedOk(text: string): Policy {
  const result = parsePolicy(text);
  expect(result.problems).toEqual([]);
  if (!result.ok) throw new Error('parse failed');
  return result.policy;
}

describeWithShared('the docs example policy (seed 001)', [SHARED_FILES.seed], () => {
  const seedExamplePolicyYaml = readSeedExample();
  it('is extracted with its nine rules', () => {
    expect(seedExamplePolicyYaml.split('\n')).toHaveLength(68);
    expect(seedExamplePolicyYaml.match(/^ {2}- level:/gm)).toHaveLength(9);
  });

  it('parses to exactly what the builder preset builds', () => {
    expect(parsedOk(seedExamplePolicyYaml)).toEqual(docsExamplePolicy().build());
  });

  it('parses to what a hand-written builder chain builds', () => {
    const built = policy()
      .omitStages('RequestReceived')
      .rule().level('RequestResponse').resources({ group: '', resources: ['pods'] })
      .rule().level('Metadata').resources({ group: '', resources: ['pods/log', 'pods/status'] })
      .rule().level('None').resources({ group: '', resources: ['configmaps'], resourceNames: ['controller-leader'] })
      .rule().level('None').users('system:kube-proxy').verbs('watch').resources({ group: '', resources: ['endpoints', 'services'] })
      .rule().level('None').userGroups('system:authenticated').nonResourceURLs('/api*', '/version')
      .rule().level('Request').resources({ group: '', resources: ['configmaps'] }).namespaces('kube-system')
      .rule().level('Metadata').resources({ group: '', resources: ['secrets', 'configmaps'] })
      .rule().level('Request').resources({ group: '' }, { group: 'extensions' })
      .rule().level('Metadata').omitStages('RequestReceived')
      .build();
    expect(parsedOk(seedExamplePolicyYaml)).toEqual(built);
  });

  it('keeps the comment above each rule', () => {
    // Read the comments by a plain line scan of the seed (the `#` lines right above each
    // `  - level:` line), independently of the YAML parser under test.
    const lines = seedExamplePolicyYaml.split('\n');
    const expected = lines.flatMap((line, index) => {
      if (!/^ {2}- level:/.test(line)) return [];
      const above: string[] = [];
      for (let i = index - 1; i >= 0 && /^\s*#/.test(lines[i]!); i -= 1) above.unshift(lines[i]!.replace(/^\s*#\s?/, ''));
      return [above.join('\n')];
    });
    expect(expected).toHaveLength(9);
    const parsed = parsedOk(seedExamplePolicyYaml);
    expect(parsed.rules.map((rule) => commentOf(rule))).toEqual(expected);
  });

  it('survives toYaml and parsePolicy, comments included', () => {
    for (const original of [parsedOk(seedExamplePolicyYaml), docsExamplePolicy().build()]) {
      const again = parsedOk(toYaml(original));
      expect(again).toEqual(original);
      expect(again.rules.map((rule) => commentOf(rule))).toEqual(original.rules.map((rule) => commentOf(rule)));
    }
  });

  it('is valid for Kubernetes 1.20 and 1.36', () => {
    for (const kubernetesVersion of ['1.20', '1.36']) {
      expect(validate(parsedOk(seedExamplePolicyYaml), { kubernetesVersion })).toEqual([]);
      expect(docsExamplePolicy().validate({ kubernetesVersion })).toEqual([]);
    }
  });
});

describeWithShared('the minimal Metadata policy (seed 001)', [SHARED_FILES.seed], () => {
  const seedMinimalPolicyYaml = readSeedMinimal();
  it('parses to what the builders build, with its header comment', () => {
    const parsed = parsedOk(seedMinimalPolicyYaml);
    expect(parsed).toEqual(policy().rule().level('Metadata').build());
    expect(parsed).toEqual(minimalMetadataPolicy().build());
    expect(parsed).toEqual({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'Metadata' }] });
    expect(commentOf(parsed)).toBe('Log all requests at the Metadata level.');
  });

  it('round-trips and is valid for 1.20 and 1.36', () => {
    const parsed = parsedOk(seedMinimalPolicyYaml);
    expect(toYaml(parsed)).toBe('# Log all requests at the Metadata level.\n\napiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n');
    expect(parsedOk(toYaml(parsed))).toEqual(parsed);
    expect(validate(parsed, { kubernetesVersion: '1.20' })).toEqual([]);
    expect(validate(parsed, { kubernetesVersion: '1.36' })).toEqual([]);
  });
});

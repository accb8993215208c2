// What the builder chains of builder-types.test-d.ts build at run time.
import { describe, expect, it } from 'vitest';
import { backToPolicy, designExample, mixedRules } from './builder-chains.js';

describe('builder chains', () => {
  it('builds the design example as written', () => {
    expect(designExample().build()).toEqual({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', omitStages: ['RequestReceived'], rules: [{ level: 'Metadata' }] });
  });

  it('reaches toYaml and validate from a rule chain through end()', () => {
    expect(backToPolicy().validate()).toEqual([]);
    expect(backToPolicy().toYaml()).toBe('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: None\n  - level: Metadata\n');
  });

  it('keeps adding rules through rule(fn) and rule(object)', () => {
    expect(mixedRules().build().rules.map((rule) => rule.level)).toEqual(['None', 'Request', 'Metadata', 'None']);
  });
});

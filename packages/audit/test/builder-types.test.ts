// Compile-time guarantees of the builders. `tsc --noEmit -p .` type-checks this file: every
// `@ts-expect-error` line must fail to compile, or the type check fails.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { AuditPolicyBuilder, AuditRuleBuilder, policy, type Level, type Policy, type Problem, type Stage } from '../src/index.js';

describe('builder types', () => {
  it('accepts the design example as written', () => {
    const chain = policy().omitStages('RequestReceived').rule().level('Metadata');
    expectTypeOf(chain).toEqualTypeOf<AuditRuleBuilder>();
    expectTypeOf(chain.build()).toEqualTypeOf<Policy>();
    expect(chain.build()).toEqual({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', omitStages: ['RequestReceived'], rules: [{ level: 'Metadata' }] });
  });

  it('reaches toYaml and validate from a rule chain through end()', () => {
    const back = policy().rule().level('None').rule().level('Metadata').end();
    expectTypeOf(back).toEqualTypeOf<AuditPolicyBuilder>();
    expectTypeOf(back.validate()).toEqualTypeOf<Problem[]>();
    expectTypeOf(back.toYaml()).toEqualTypeOf<string>();
    expect(back.validate()).toEqual([]);
    expect(back.toYaml()).toBe('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: None\n  - level: Metadata\n');
  });

  it('keeps the policy builder type through rule(fn) and rule(object)', () => {
    const built = policy()
      .rule((r) => r.level('None').users('system:kube-proxy'))
      .rule({ level: 'Request' })
      .rule()
      .level('Metadata')
      .rule({ level: 'None' });
    expectTypeOf(built).toEqualTypeOf<AuditPolicyBuilder>();
    expect(built.build().rules.map((rule) => rule.level)).toEqual(['None', 'Request', 'Metadata', 'None']);
  });

  it('types levels and stages as closed unions', () => {
    expectTypeOf<Level>().toEqualTypeOf<'None' | 'Metadata' | 'Request' | 'RequestResponse'>();
    expectTypeOf<Stage>().toEqualTypeOf<'RequestReceived' | 'ResponseStarted' | 'ResponseComplete' | 'Panic'>();
  });

  it('rejects misspelled values and fields in the wrong place at compile time', () => {
    const rejected = () => {
      // @ts-expect-error: levels are case-sensitive
      policy().rule().level('metadata');
      // @ts-expect-error: not a level
      policy().rule().level('Metdata');
      // @ts-expect-error: not a stage
      policy().omitStages('RequestRecieved');
      // @ts-expect-error: not a stage
      policy().rule().omitStages('Started');
      // @ts-expect-error: level belongs to a rule, not to the policy
      policy().level('Metadata');
      // @ts-expect-error: resourceNames belongs to a resources entry, not to a rule
      policy().rule().resourceNames('controller-leader');
      // @ts-expect-error: the field is called verbs
      policy().rule().verb('get');
      // @ts-expect-error: resources entries are objects with a group, not strings
      policy().rule().resources('pods');
      // @ts-expect-error: a resources entry has no verbs
      policy().rule().resources({ group: '', verbs: ['get'] });
      // @ts-expect-error: omitManagedFields is a boolean
      policy().omitManagedFields('yes');
      // @ts-expect-error: a plain rule needs a valid level
      policy().rule({ level: 'Everything' });
      // @ts-expect-error: toYaml lives on the policy builder; call end() first
      policy().rule().level('None').toYaml();
    };
    expect(typeof rejected).toBe('function');
  });
});

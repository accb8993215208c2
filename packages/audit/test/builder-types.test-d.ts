// Compile-time guarantees of the builders. This is a type test: vitest's typecheck mode (see
// vitest.config.ts) runs tsc over it in `vitest run`, so a wrong type fails the test run, and so
// does every `@ts-expect-error` line that compiles (TS2578, unused directive). The run-time side
// of these chains is in builder-chains.test.ts.
import { describe, expectTypeOf, it } from 'vitest';
import { AuditPolicyBuilder, AuditRuleBuilder, policy, type Level, type Policy, type Problem, type Stage } from '../src/index.js';
import { backToPolicy, designExample, mixedRules } from './builder-chains.js';

describe('builder types', () => {
  it('types the design example as written', () => {
    const chain = designExample();
    expectTypeOf(chain).toEqualTypeOf<AuditRuleBuilder>();
    expectTypeOf(chain.build()).toEqualTypeOf<Policy>();
  });

  it('reaches toYaml and validate from a rule chain through end()', () => {
    const back = backToPolicy();
    expectTypeOf(back).toEqualTypeOf<AuditPolicyBuilder>();
    expectTypeOf(back.validate()).toEqualTypeOf<Problem[]>();
    expectTypeOf(back.toYaml()).toEqualTypeOf<string>();
  });

  it('keeps the policy builder type through rule(fn) and rule(object)', () => {
    expectTypeOf(mixedRules()).toEqualTypeOf<AuditPolicyBuilder>();
  });

  it('types levels and stages as closed unions', () => {
    expectTypeOf<Level>().toEqualTypeOf<'None' | 'Metadata' | 'Request' | 'RequestResponse'>();
    expectTypeOf<Stage>().toEqualTypeOf<'RequestReceived' | 'ResponseStarted' | 'ResponseComplete' | 'Panic'>();
  });

  it('rejects misspelled values and fields in the wrong place', () => {
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
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commentOf, groupResources, LevelValues, parsePolicy, policy, StageValues, toYaml, validate, type Level, type Policy, type Stage } from '../src/index.js';

/** Strings that YAML 1.1 or 1.2 would read as something else when written carelessly. */
const DANGEROUS = ['yes', 'no', 'on', 'off', 'y', 'N', 'True', 'null', '~', '0777', '1e3', '0x10', '1:30', '.5', '-1', '*', '*/scale', '', ' ', '- x', 'a: b', '#x', '&a', '!t', '%p', '@a', '"q"', "'q'", 'x\ny', '\t', '\u0085', '\u2028', '\u007f'];

const text = fc.oneof(fc.constantFrom(...DANGEROUS), fc.string({ unit: 'grapheme', maxLength: 12 }), fc.stringMatching(/^[a-z][a-z0-9:.-]{0,15}$/));
const texts = fc.array(text, { maxLength: 3 });
const stages = fc.array(fc.constantFrom<Stage>(...StageValues), { maxLength: 3 });
const group = fc.oneof(fc.constantFrom('', '*', 'apps', 'rbac.authorization.k8s.io'), fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,8}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,8}[a-z0-9])?){0,3}$/));
const url = fc.oneof(fc.constant('*'), fc.tuple(fc.string({ maxLength: 10 }).map((s) => s.replaceAll('*', '')), fc.boolean()).map(([path, prefix]) => `/${path}${prefix ? '*' : ''}`));

/** Comment text as the writer keeps it: printable lines without trailing blanks, not all empty. */
const commentLine = fc.string({ unit: 'grapheme', maxLength: 20 }).map((line) => line.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, '').trimEnd());
const comment = fc.option(fc.array(commentLine, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n')).filter((c) => c.trim() !== ''), { nil: undefined });

const groupResourcesSpec = fc.record(
  { group: fc.option(group, { nil: undefined }), resources: texts, resourceNames: texts, comment },
  { requiredKeys: ['resources', 'resourceNames', 'comment'] },
);

const ruleSpec = fc.record({
  level: fc.constantFrom<Level>(...LevelValues),
  users: fc.option(texts, { nil: undefined }),
  userGroups: fc.option(texts, { nil: undefined }),
  verbs: fc.option(texts, { nil: undefined }),
  target: fc.oneof(
    fc.record({ kind: fc.constant('resources' as const), resources: fc.option(fc.array(groupResourcesSpec, { maxLength: 3 }), { nil: undefined }), namespaces: fc.option(texts, { nil: undefined }) }),
    fc.record({ kind: fc.constant('urls' as const), urls: fc.array(url, { minLength: 1, maxLength: 3 }) }),
  ),
  omitStages: fc.option(stages, { nil: undefined }),
  omitManagedFields: fc.option(fc.boolean(), { nil: undefined }),
  comment,
});

const policySpec = fc.record({
  omitStages: fc.option(stages, { nil: undefined }),
  omitManagedFields: fc.option(fc.boolean(), { nil: undefined }),
  comment,
  rules: fc.array(ruleSpec, { minLength: 1, maxLength: 5 }),
});

type PolicySpec = typeof policySpec extends fc.Arbitrary<infer T> ? T : never;

/** Builds a policy from a generated spec through the fluent builders. */
function build(spec: PolicySpec): Policy {
  const builder = policy();
  if (spec.omitStages) builder.omitStages(...spec.omitStages);
  if (spec.omitManagedFields !== undefined) builder.omitManagedFields(spec.omitManagedFields);
  if (spec.comment !== undefined) builder.comment(spec.comment);
  for (const rule of spec.rules) {
    builder.rule((r) => {
      r.level(rule.level);
      if (rule.users) r.users(...rule.users);
      if (rule.userGroups) r.userGroups(...rule.userGroups);
      if (rule.verbs) r.verbs(...rule.verbs);
      if (rule.target.kind === 'urls') r.nonResourceURLs(...rule.target.urls);
      else {
        if (rule.target.resources) {
          r.resources(
            ...rule.target.resources.map((entry) => {
              const b = groupResources().resources(...entry.resources);
              if (entry.group !== undefined) b.group(entry.group);
              // resourceNames need at least one resource (V8).
              if (entry.resources.length > 0) b.resourceNames(...entry.resourceNames);
              if (entry.comment !== undefined) b.comment(entry.comment);
              return b;
            }),
          );
        }
        if (rule.target.namespaces) r.namespaces(...rule.target.namespaces);
      }
      if (rule.omitStages) r.omitStages(...rule.omitStages);
      if (rule.omitManagedFields !== undefined) r.omitManagedFields(rule.omitManagedFields);
      if (rule.comment !== undefined) r.comment(rule.comment);
    });
  }
  return builder.build();
}

/** Every comment of a policy, in document order. */
function comments(p: Policy): (string | undefined)[] {
  return [commentOf(p), ...p.rules.flatMap((rule) => [commentOf(rule), ...(rule.resources ?? []).map((entry) => commentOf(entry))])];
}

describe('policies built from arbitrary builder calls', () => {
  it('are valid for Kubernetes 1.36', () => {
    fc.assert(
      fc.property(policySpec, (spec) => {
        expect(validate(build(spec), { kubernetesVersion: '1.36' })).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('survive toYaml and parsePolicy unchanged, comments included', () => {
    fc.assert(
      fc.property(policySpec, (spec) => {
        const built = build(spec);
        const yaml = toYaml(built);
        const result = parsePolicy(yaml);
        expect(result.problems).toEqual([]);
        expect(result.policy).toEqual(built);
        expect(comments(result.policy!)).toEqual(comments(built));
        expect(toYaml(result.policy!)).toBe(yaml);
      }),
      { numRuns: 300 },
    );
  });
});

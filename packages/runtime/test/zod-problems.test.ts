// problemsFromZod, formatPath and the comment side table, with real zod schemas.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as zm from 'zod/mini';
import { commentOf, formatPath, problemsFromZod, setComment } from '../src/index.js';

describe('formatPath', () => {
  it('joins names with dots and indexes with brackets', () => {
    expect(formatPath(['rules', 3, 'resources', 0, 'group'])).toBe('rules[3].resources[0].group');
    expect(formatPath([])).toBe('');
    expect(formatPath(['metadata', 'labels', 'app.kubernetes.io/name'])).toBe('metadata.labels["app.kubernetes.io/name"]');
    expect(formatPath(['current-context'])).toBe('current-context');
  });
});

describe('comments', () => {
  it('keeps comments out of the objects', () => {
    const rule = { level: 'None' };
    setComment(rule, 'quiet');
    expect(commentOf(rule)).toBe('quiet');
    expect(Object.keys(rule)).toEqual(['level']);
    expect(commentOf({ level: 'None' })).toBeUndefined();
  });
});

describe('problemsFromZod', () => {
  const schema = z.strictObject({
    rules: z.array(z.strictObject({ verbs: z.array(z.string()).optional(), level: z.enum(['None', 'Metadata']) })),
    name: z.string().optional(),
  });

  it('suggests the closest allowed key for an unknown one, or lists the allowed keys', () => {
    const doc = { rules: [{ level: 'None', verb: ['get'], zzzzzzzz: 1 }] };
    const result = schema.safeParse(doc);
    expect(result.success).toBe(false);
    expect(problemsFromZod(result.error!, { input: doc, schema })).toEqual([
      { severity: 'error', code: 'unknown-field', path: 'rules[0].verb', message: '`verb` is not a known field here.', fix: 'Did you mean `verbs`?' },
      { severity: 'error', code: 'unknown-field', path: 'rules[0].zzzzzzzz', message: '`zzzzzzzz` is not a known field here.', fix: 'Remove it; the allowed fields are `verbs`, `level`.' },
    ]);
  });

  it('lists allowed values and names missing fields', () => {
    const doc = { rules: [{ level: 'Loud' }, {}], name: 3 };
    const result = schema.safeParse(doc);
    const problems = problemsFromZod(result.error!, { input: doc });
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['invalid-value', 'rules[0].level'],
      ['missing-field', 'rules[1].level'],
      ['invalid-type', 'name'],
    ]);
    expect(problems[0]!.message).toBe('"Loud" is not an allowed value.');
    expect(problems[0]!.fix).toBe('Use one of "None", "Metadata".');
    expect(problems[1]!.fix).toBe('Add `level`, one of "None", "Metadata" to rules[1].');
    expect(problems[2]!.message).toBe('Expected string, got 3.');
  });

  it('without the input, still tells a missing field of a plain type from a wrong one', () => {
    const strict = z.strictObject({ name: z.string(), count: z.number() });
    const result = strict.safeParse({ count: 'x' });
    expect(problemsFromZod(result.error!).map((p) => [p.code, p.path])).toEqual([
      ['missing-field', 'name'],
      ['invalid-type', 'count'],
    ]);
  });
});

describe('problemsFromZod with the mini API', () => {
  // Generated schemas use zod's mini API; problemsFromZod reads issues and schemas structurally,
  // so the same document gives the same problems as with the classic API, did-you-means included
  // (through getters, optional wrappers and lists).
  const node: zm.ZodMiniType<{ name: string; children?: unknown[] }> = zm.strictObject({
    name: zm.string(),
    get children(): zm.ZodMiniOptional<zm.ZodMiniType<unknown[]>> {
      return zm.optional(zm.array(node));
    },
  });
  const classicNode: z.ZodType<{ name: string; children?: unknown[] }> = z.strictObject({
    name: z.string(),
    get children(): z.ZodOptional<z.ZodType<unknown[]>> {
      return z.array(classicNode).optional();
    },
  });
  const mini = zm.strictObject({
    rules: zm.array(zm.strictObject({ verbs: zm.optional(zm.array(zm.string())), level: zm.enum(['None', 'Metadata']), limit: zm.optional(zm.int()) })),
    name: zm.optional(zm.string()),
    tree: zm.optional(node),
  });
  const classic = z.strictObject({
    rules: z.array(z.strictObject({ verbs: z.array(z.string()).optional(), level: z.enum(['None', 'Metadata']), limit: z.number().int().optional() })),
    name: z.string().optional(),
    tree: classicNode.optional(),
  });

  it('gives the problems the classic API gives', () => {
    const doc = { rules: [{ level: 'Loud', verb: ['get'], limit: 1.5 }, {}], name: 3, tree: { name: 'a', children: [{ name: 'b', chidren: [] }] } };
    const fromMini = problemsFromZod(mini.safeParse(doc).error!, { input: doc, schema: mini });
    const fromClassic = problemsFromZod(classic.safeParse(doc).error!, { input: doc, schema: classic });
    expect(fromMini).toEqual(fromClassic);
    expect(fromMini.map((p) => `${p.code} ${p.path} ${p.fix}`)).toEqual([
      'invalid-value rules[0].level Use one of "None", "Metadata".',
      'invalid-type rules[0].limit Give a value of type int.',
      'unknown-field rules[0].verb Did you mean `verbs`?',
      'missing-field rules[1].level Add `level`, one of "None", "Metadata" to rules[1].',
      'invalid-type name Give a value of type string.',
      'unknown-field tree.children[0].chidren Did you mean `children`?',
    ]);
  });
});

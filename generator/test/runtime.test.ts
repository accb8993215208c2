// Unit tests of the runtime module copied into every output folder.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commentOf, formatPath, problemsFromZod, setComment } from '../src/runtime/_runtime.js';

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

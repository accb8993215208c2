/**
 * Structural checks: turns zod issues from the strict kubeconfig schema into Problems, with
 * did-you-mean fixes for unknown keys. Values are never quoted for secret fields.
 */
import type { z } from 'zod';
import { formatPath, type Problem } from './model.js';
import { isSecretPath, REDACTED } from './secrets.js';

/** Optimal-string-alignment edit distance, so one swapped pair (`tokne`) counts as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known name a misspelt `word` most likely stands for, or undefined when none is close.
 * Case and `-`/`_` differences are ignored first (`tokenfile`, `client_key`); otherwise the nearest
 * name within a third of the word's length, at most three edits.
 */
export function closestName(word: string, candidates: readonly string[]): string | undefined {
  const squash = (s: string): string => s.toLowerCase().replace(/[-_]/g, '');
  const same = candidates.find((c) => squash(c) === squash(word));
  if (same !== undefined) return same;
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.floor(word.length / 3));
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= bestDistance && (best === undefined || distance < bestDistance)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

interface ZodDefLike {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  valueType?: z.ZodType;
  getter?: () => z.ZodType;
  in?: z.ZodType;
}

function defOf(schema: z.ZodType): ZodDefLike {
  return (schema as unknown as { _zod: { def: ZodDefLike } })._zod.def;
}

/** Strips optional/nullable/lazy/pipe wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if ((def.type === 'optional' || def.type === 'nullable' || def.type === 'default') && def.innerType) current = def.innerType;
    else if (def.type === 'lazy' && def.getter) current = def.getter();
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return current;
  }
}

/** The schema that describes the value at `path` inside `root`, or undefined when not modelled. */
function schemaAt(root: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = unwrap(root);
  for (const part of path) {
    if (current === undefined) return undefined;
    const def = defOf(current);
    if (def.type === 'object' && def.shape && typeof part === 'string') current = def.shape[part];
    else if (def.type === 'array' && def.element && typeof part === 'number') current = def.element;
    else if (def.type === 'record' && def.valueType) current = def.valueType;
    else return undefined;
    if (current !== undefined) current = unwrap(current);
  }
  return current;
}

/** Field names the object schema at `path` knows, in schema order. */
function knownKeysAt(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  const schema = schemaAt(root, path);
  if (schema === undefined) return [];
  const def = defOf(schema);
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

function expectedText(expected: string): string {
  switch (expected) {
    case 'array':
      return 'a list';
    case 'object':
    case 'record':
      return 'a mapping';
    default:
      return `a ${expected}`;
  }
}

/**
 * Checks `input` against a strict zod schema and reports every structural problem: unknown keys
 * (with the closest known key as the fix), missing required fields, wrong types and values outside
 * a closed set.
 */
export function structuralProblems(schema: z.ZodType, input: unknown): Problem[] {
  const result = schema.safeParse(input);
  if (result.success) return [];
  const problems: Problem[] = [];
  for (const issue of result.error.issues) {
    const where = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        const path = formatPath([...issue.path, key]);
        const suggestion = closestName(key, known);
        problems.push({
          severity: 'error',
          code: 'unknown-field',
          path,
          message: `\`${key}\` is not a kubeconfig field here; kube-apiserver would silently ignore it.`,
          fix: suggestion !== undefined ? `Did you mean \`${suggestion}\`? Rename the key.` : `Remove it; known fields here: ${known.join(', ')}.`,
        });
      }
      continue;
    }
    const actual = valueAt(input, issue.path);
    if (issue.code === 'invalid_type' && actual === undefined) {
      problems.push({
        severity: 'error',
        code: 'missing-field',
        path: where,
        message: `Required field \`${String(issue.path.at(-1) ?? where)}\` is missing.`,
        fix: `Add \`${String(issue.path.at(-1) ?? where)}\` (${expectedText(issue.expected)}).`,
      });
    } else if (issue.code === 'invalid_type') {
      problems.push({
        severity: 'error',
        code: 'wrong-type',
        path: where,
        message: `Expected ${expectedText(issue.expected)} but found ${describeType(actual)}.`,
        fix: `Write ${expectedText(issue.expected)} here${issue.expected === 'string' ? ' (quote values such as "on", "yes" or numbers)' : ''}.`,
      });
    } else if (issue.code === 'invalid_value') {
      const shown = isSecretPath(issue.path) ? REDACTED : JSON.stringify(actual);
      problems.push({
        severity: 'error',
        code: 'invalid-value',
        path: where,
        message: `${shown} is not allowed here.`,
        fix: `Use one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.`,
      });
    } else {
      problems.push({
        severity: 'error',
        code: 'invalid-value',
        path: where,
        message: isSecretPath(issue.path) ? `The value is invalid (${REDACTED}).` : issue.message,
        fix: 'Correct the value to match the kubeconfig format.',
      });
    }
  }
  return problems;
}

/**
 * Structural checks: turns zod issues from the strict kubeconfig schema into Problems, with
 * did-you-mean fixes for unknown keys. Values are never quoted for secret fields.
 */
import type * as z from 'zod/mini';
import { en } from 'zod/locales';
import { closestName } from '@k8s-gen/runtime';
import { formatPath, type Problem } from './model.js';
import { isSecretPath, REDACTED } from './secrets.js';


interface ZodDefLike {
  type: string;
  shape?: Record<string, z.ZodMiniType>;
  element?: z.ZodMiniType;
  innerType?: z.ZodMiniType;
  valueType?: z.ZodMiniType;
  getter?: () => z.ZodMiniType;
  in?: z.ZodMiniType;
}

function defOf(schema: z.ZodMiniType): ZodDefLike {
  return (schema as unknown as { _zod: { def: ZodDefLike } })._zod.def;
}

/** Strips optional/nullable/lazy/pipe wrappers. */
function unwrap(schema: z.ZodMiniType): z.ZodMiniType {
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
function schemaAt(root: z.ZodMiniType, path: readonly PropertyKey[]): z.ZodMiniType | undefined {
  let current: z.ZodMiniType | undefined = unwrap(root);
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
function knownKeysAt(root: z.ZodMiniType, path: readonly PropertyKey[]): string[] {
  const schema = schemaAt(root, path);
  if (schema === undefined) return [];
  const def = defOf(schema);
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/** zod's English messages, as zod's classic API sets them for every parse. */
const ENGLISH = en().localeError;

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
export function structuralProblems(schema: z.ZodMiniType, input: unknown): Problem[] {
  // zod's mini API loads no messages; the English ones are given here (the fallback below shows them).
  const result = schema.safeParse(input, { error: ENGLISH });
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

/**
 * Turning zod validation issues into {@link Problem}s. Reads zod's issue and schema shapes
 * structurally, so it works with zod's classic and mini APIs alike and adds no dependency.
 */
import { closestName } from './names.js';
import { formatPath, type Problem } from './problem.js';

/** The parts of a zod issue that {@link problemsFromZod} reads. */
export interface ValidationIssue {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  keys?: readonly string[];
  values?: readonly unknown[];
  expected?: string;
  input?: unknown;
}

/** Options of {@link problemsFromZod}. */
export interface ProblemsFromZodOptions {
  /** The document that was validated; lets missing fields be told apart from wrong types. */
  input?: unknown;
  /** The zod schema that was used; lets unknown keys be matched against the allowed ones. */
  schema?: unknown;
  /** File to record in each problem. */
  file?: string;
}

/**
 * Turns the issues of a failed zod validation into {@link Problem}s with a path, a message and a
 * fix: unknown keys suggest the closest allowed key, invalid values list the allowed ones, missing
 * fields say which field to add.
 *
 * @example
 * ```ts
 * const result = PolicySchema.safeParse(doc);
 * const problems = result.success ? [] : problemsFromZod(result.error, { input: doc, schema: PolicySchema });
 * ```
 */
export function problemsFromZod(error: { issues: readonly ValidationIssue[] }, options: ProblemsFromZodOptions = {}): Problem[] {
  const problems: Problem[] = [];
  for (const issue of error.issues) {
    for (const problem of problemsOfIssue(issue, options)) {
      if (options.file !== undefined) problem.file = options.file;
      problems.push(problem);
    }
  }
  return problems;
}

function problemsOfIssue(issue: ValidationIssue, options: ProblemsFromZodOptions): Problem[] {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeysAt(options.schema, issue.path);
    return (issue.keys ?? []).map((key) => {
      const suggestion = closestName(key, allowed);
      const fix =
        suggestion !== undefined
          ? `Did you mean \`${suggestion}\`?`
          : allowed.length > 0
            ? `Remove it; the allowed fields are ${allowed.map((k) => `\`${k}\``).join(', ')}.`
            : 'Remove it.';
      return { severity: 'error', code: 'unknown-field', path: formatPath([...issue.path, key]), message: `\`${key}\` is not a known field here.`, fix };
    });
  }
  const input = 'input' in issue ? issue.input : valueAt(options.input, issue.path);
  const missing = options.input !== undefined ? isMissing(options.input, issue.path) : input === undefined && /received undefined/.test(issue.message);
  if (input === undefined && issue.path.length > 0 && missing) {
    const field = String(issue.path[issue.path.length - 1]);
    const parent = formatPath(issue.path.slice(0, -1));
    const hint = issue.values !== undefined ? `, one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` : issue.expected !== undefined ? ` (${issue.expected})` : '';
    return [
      {
        severity: 'error',
        code: 'missing-field',
        path,
        message: `Required field \`${field}\` is missing.`,
        fix: `Add \`${field}\`${hint}${parent === '' ? '' : ` to ${parent}`}.`,
      },
    ];
  }
  if (issue.code === 'invalid_value' && issue.values !== undefined) {
    const allowed = issue.values.map((v) => JSON.stringify(v)).join(', ');
    return [{ severity: 'error', code: 'invalid-value', path, message: `${describe(input)} is not an allowed value.`, fix: `Use one of ${allowed}.` }];
  }
  if (issue.code === 'invalid_type') {
    return [{ severity: 'error', code: 'invalid-type', path, message: `Expected ${issue.expected ?? 'another type'}, got ${describe(input)}.`, fix: `Give a value of type ${issue.expected ?? 'the documented type'}.` }];
  }
  if (issue.code === 'invalid_union') {
    return [{ severity: 'error', code: 'invalid-type', path, message: `${describe(input)} matches none of the allowed shapes.`, fix: 'Check the field documentation for the allowed types.' }];
  }
  return [{ severity: 'error', code: 'invalid', path, message: issue.message, fix: 'Check the field documentation for the allowed values.' }];
}

/** A short, safe description of a received value for messages. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/** True when the parent at `path` exists and lacks the last key. */
function isMissing(root: unknown, path: readonly PropertyKey[]): boolean {
  if (path.length === 0) return false;
  const parent = valueAt(root, path.slice(0, -1));
  return typeof parent === 'object' && parent !== null && !(path[path.length - 1]! in parent);
}

interface ZodDefLike {
  type?: string;
  shape?: Record<string, unknown>;
  element?: unknown;
  innerType?: unknown;
  valueType?: unknown;
  options?: readonly unknown[];
  getter?: () => unknown;
  in?: unknown;
}

function defOf(schema: unknown): ZodDefLike | undefined {
  const internals = (schema as { _zod?: { def?: ZodDefLike } } | undefined)?._zod;
  return internals?.def;
}

/** Follows wrappers (optional, default, lazy, pipe) to the schema that holds the shape. */
function unwrap(schema: unknown): unknown {
  let current = schema;
  for (let depth = 0; depth < 20; depth++) {
    const def = defOf(current);
    if (def === undefined) return current;
    if (def.innerType !== undefined) current = def.innerType;
    else if (def.type === 'lazy' && def.getter !== undefined) current = def.getter();
    else if (def.type === 'pipe' && def.in !== undefined) current = def.in;
    else return current;
  }
  return current;
}

/** The keys an object schema at `path` allows, or an empty list when that cannot be told. */
function allowedKeysAt(schema: unknown, path: readonly PropertyKey[]): string[] {
  let current = unwrap(schema);
  for (const segment of path) {
    const def = defOf(current);
    if (def === undefined) return [];
    if (typeof segment === 'number' && def.type === 'array') current = unwrap(def.element);
    else if (def.type === 'object' && def.shape !== undefined && typeof segment === 'string') current = unwrap(def.shape[segment]);
    else if (def.type === 'record') current = unwrap(def.valueType);
    else return [];
  }
  const def = defOf(current);
  return def?.type === 'object' && def.shape !== undefined ? Object.keys(def.shape) : [];
}

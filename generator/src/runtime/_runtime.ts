/**
 * Helpers shared by the generated types, schemas and builders of one output folder: the builder
 * base class, the comment side table, and the {@link Problem} reporting used by every validator.
 *
 * @packageDocumentation
 */

/**
 * One thing wrong (or suspicious) in a document, as data: libraries return problems, the CLI prints
 * them.
 *
 * @example
 * ```ts
 * const problem: Problem = { severity: 'error', code: 'unknown-field', path: 'rules[0].verb', message: '`verb` is not a field of this object.', fix: 'Did you mean `verbs`?' };
 * ```
 */
export interface Problem {
  /** `error` makes the document invalid; `warning` points at something likely unintended. */
  severity: 'error' | 'warning';
  /** Stable identifier of the kind of problem, such as `unknown-field`. */
  code: string;
  /** Where in the document, such as `rules[3].resources[0].group`; empty for the whole document. */
  path: string;
  /** What is wrong, in one sentence. */
  message: string;
  /** What to do instead. */
  fix: string;
  /** File the document was read from, when known. */
  file?: string;
  /** 1-based line in {@link Problem.file}, when known. */
  line?: number;
  /** 1-based column in {@link Problem.file}, when known. */
  column?: number;
}

/**
 * Gathers the problems of one validation run, stamping each with the file being checked.
 *
 * @example
 * ```ts
 * const problems = new ProblemCollector('policy.yaml');
 * problems.add('error', 'missing-field', 'rules', 'The policy has no rules.', 'Add at least one rule.');
 * ```
 */
export class ProblemCollector {
  /** Everything added so far, in order. */
  readonly problems: Problem[] = [];

  /** @param file - the file the checked document was read from, copied into every problem. */
  constructor(private readonly file?: string) {}

  /** Records one problem. */
  add(severity: Problem['severity'], code: string, path: string, message: string, fix: string): void {
    const problem: Problem = { severity, code, path, message, fix };
    if (this.file !== undefined) problem.file = this.file;
    this.problems.push(problem);
  }
}

/**
 * Formats a path inside a document: numbers become indexes, names are joined with dots, and names
 * that are not identifiers are quoted.
 *
 * @example
 * ```ts
 * formatPath(['rules', 3, 'resources', 0, 'group']); // 'rules[3].resources[0].group'
 * ```
 */
export function formatPath(segments: readonly (string | number | symbol)[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const name = String(segment);
      if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(name)) out += out === '' ? name : `.${name}`;
      else out += `[${JSON.stringify(name)}]`;
    }
  }
  return out;
}

const comments = new WeakMap<object, string>();

/**
 * The comment recorded for a built or parsed object, if any. Comments live outside the objects so
 * that objects with and without comments compare equal.
 *
 * @example
 * ```ts
 * commentOf(policy().comment('audit everything').build()); // 'audit everything'
 * ```
 */
export function commentOf(value: object): string | undefined {
  return comments.get(value);
}

/**
 * Records a comment for an object (for example a rule), to be written above it in YAML output.
 *
 * @example
 * ```ts
 * setComment(rule, 'catch-all, every other request');
 * ```
 */
export function setComment(value: object, text: string): void {
  comments.set(value, text);
}

/**
 * A value given to a builder setter: either the plain object or a builder producing it.
 *
 * @example
 * ```ts
 * const meta: Buildable<{ name?: string }> = { name: 'web' };
 * ```
 */
export type Buildable<T> = T | Builder<T, unknown>;

/**
 * Base class of every generated builder. `T` is the type this builder produces, `R` what
 * {@link Builder.build} returns: `T` for a standalone builder, the root object's type for a child
 * builder started from a parent (`policy().rule()`).
 *
 * @example
 * ```ts
 * const built = policy().rule().level('None').build();
 * ```
 */
export abstract class Builder<T, R = T> {
  readonly #order: readonly string[];
  readonly #parent: Builder<unknown, R> | undefined;
  readonly #values = new Map<string, unknown>();
  #comment: string | undefined;

  /**
   * @param order - wire names of the fields in schema order, the key order of built objects
   * @param parent - the builder this one was started from, which {@link Builder.build} builds
   */
  protected constructor(order: readonly string[], parent?: Builder<unknown, R>) {
    this.#order = order;
    this.#parent = parent;
  }

  /** Sets field `key`, replacing an earlier value. */
  protected setField(key: string, value: unknown): this {
    this.#values.set(key, value);
    return this;
  }

  /** Appends values to array field `key`. */
  protected appendField(key: string, values: readonly unknown[]): this {
    const current = this.#values.get(key);
    this.#values.set(key, Array.isArray(current) ? [...current, ...values] : [...values]);
    return this;
  }

  /**
   * Records a comment for the object this builder produces (see {@link commentOf}).
   *
   * @example
   * ```ts
   * policyRule().level('Metadata').comment('catch-all');
   * ```
   */
  comment(text: string): this {
    this.#comment = text;
    return this;
  }

  /**
   * Builds the root object: this builder's object, or for a child builder, the object of the
   * builder the chain started from. Each call returns a fresh deep copy.
   *
   * @example
   * ```ts
   * const built = policy().rule().level('None').build();
   * ```
   */
  build(): R {
    if (this.#parent !== undefined) return this.#parent.build();
    return this.buildSelf() as unknown as R;
  }

  /** Builds only this builder's object: fields in schema order, unset fields left out. */
  protected buildSelf(): T {
    const out: Record<string, unknown> = {};
    for (const key of this.#order) {
      const value = this.#values.get(key);
      if (value !== undefined) out[key] = Builder.#copy(value);
    }
    if (this.#comment !== undefined) setComment(out, this.#comment);
    return out as T;
  }

  /** Deep-copies a value for a built object: builders are built, undefined entries dropped, comments kept. */
  static #copy(value: unknown): unknown {
    if (value instanceof Builder) return value.buildSelf();
    if (Array.isArray(value)) return value.filter((v) => v !== undefined).map((v) => Builder.#copy(v));
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [key, entry] of Object.entries(value)) if (entry !== undefined) out[key] = Builder.#copy(entry);
      const comment = commentOf(value);
      if (comment !== undefined) setComment(out, comment);
      return out;
    }
    return value;
  }
}

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
      const suggestion = closest(key, allowed);
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

/** The allowed key closest to `key` by edit distance, when it is close enough to be a typo. */
function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(2, Math.floor(key.length / 3));
  return bestDistance <= limit ? best : undefined;
}

/** Levenshtein distance between two strings. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

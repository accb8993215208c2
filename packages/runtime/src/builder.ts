/**
 * The base class of every generated builder and the comment side table that builders, readers
 * and YAML writers share.
 */

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

// The shape of a hostile test input: generated on demand (nothing large is stored), named, and
// filed under the kind of hostility it is, so a corpus can list and replay them all.

/** What makes an input hostile. */
export type HostileCategory =
  /** Far more of something than usual: rules, lines, bytes. */
  | 'size'
  /** Small input whose analysis explodes combinatorially. */
  | 'combinatorial'
  /** One line far longer than any real one. */
  | 'line-length'
  /** Values of the wrong type or shape where a structure is expected. */
  | 'shape'
  /** Input cut off in the middle. */
  | 'truncation'
  /** Structures nested far deeper than any real one. */
  | 'nesting';

/** One hostile input. */
export interface HostileCase<T> {
  /** Stable name, `<reader>/<case>`, e.g. `lint/rules-10000`. */
  name: string;
  category: HostileCategory;
  /** What the input is, and what it did before the fix. */
  summary: string;
  /** Builds the input (deterministic: the same value every call). */
  generate: () => T;
}

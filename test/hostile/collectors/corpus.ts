// Shared by the injection corpora of every collector language (see README.md in this folder).
import type { Problem } from '@k8s-gen/runtime';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectActionable } from '../../../packages/collectors/test/helpers.js';
import { expectLibyamlReadsAsOurs } from './libyaml-check.js';

/** What a hostile case tries. Every case of a corpus names one. */
export type Category =
  | 'line-break'
  | 'unicode-line-break'
  | 'nul'
  | 'control'
  | 'format-character'
  | 'surrogate'
  | 'quote'
  | 'backslash'
  | 'interpolation'
  | 'interpolation-split'
  | 'comment'
  | 'brace'
  | 'tag-label'
  | 'reserved-word'
  | 'white-space'
  | 'glob-list'
  | 'strftime'
  | 'path'
  | 'length';

/**
 * A case's expectation: refused with a problem naming `path` (the option or builder argument) and
 * with `code`, or accepted and read back by our parser as exactly `reads`.
 */
export type Expectation<R> = { readonly refused: { readonly path: string; readonly code: string } } | { readonly reads: R };

/** One named hostile input. */
export interface HostileCase<W, R> {
  readonly name: string;
  readonly category: Category;
  /** The rule of the tool (or of our model) the expectation follows. */
  readonly rule: string;
  /** Where the value goes: a preset option, a builder argument, or a tree built without the builders. */
  readonly where: W;
  readonly value: string;
  readonly expect: Expectation<R>;
}

/** Fragments that mean something to one config syntax or another. */
export const DANGEROUS = [
  '\n', '\r', '\r\n', '\u2028', '\u2029', '\u0085', '\u0000', '\u001b', '\u007f', '\u202e', '\u200b', '\ufeff', '\ud800', '\t', ' ',
  '"', "'", '\\', '#', ' #', '#{', '${', '%{', '$', '%', '{', '}', '[', ']', '<', '>', '</match>', '<match **>', '@include', '=>',
  ',', '*', '?', '__TAG__', '${tag}', '${HOME}', '%{[a]}', '%{+yyyy}', '$1', 'if', 'true', '/', '..', '-',
];

/** Strings built from dangerous fragments and arbitrary text (also full Unicode and lone surrogates). */
export const hostileString = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...DANGEROUS) },
      { weight: 2, arbitrary: fc.string({ maxLength: 6 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));

/** Plain words, paths and names, which most setters accept: the other half of each property's input. */
export const plainString = fc.stringMatching(/^[A-Za-z0-9_./-]{1,16}$/);

/**
 * What trying one value gave: the refusal, or the value read back from the written config;
 * `yaml` marks a written text as YAML, which libyaml must then read as our reader does.
 */
export type Attempt = { readonly problem: Problem } | { readonly text: string; readonly read: string; readonly yaml?: true };

/** Checks a case's outcome against its expectation. */
export function expectCase<W>(c: HostileCase<W, string>, outcome: Attempt): void {
  if ('refused' in c.expect) {
    expect(outcome, `expected a refusal; wrote ${'text' in outcome ? outcome.text : ''}`).toHaveProperty('problem');
    const { problem } = outcome as { problem: Problem };
    expectActionable(problem);
    expect(problem).toMatchObject({ path: c.expect.refused.path, code: c.expect.refused.code });
  } else {
    expect(outcome, `expected the value to be written; refused with ${'problem' in outcome ? JSON.stringify(outcome.problem) : ''}`).toHaveProperty('read');
    expect((outcome as { read: string }).read).toBe(c.expect.reads);
    if ('yaml' in outcome) expectLibyamlReadsAsOurs([outcome.text]);
  }
}

/** Options of {@link expectRoundTrips}. */
export interface RoundTripProperty {
  /** Tries one value. */
  readonly attempt: (value: string) => Attempt;
  /** Where a refusal must be reported (the option or builder argument). */
  readonly refusedAt: RegExp;
  /** Prefixes put before the generated text, so that options see plausible starts. */
  readonly prefixes: readonly string[];
  /** The value read back for an accepted value (default: the value itself). */
  readonly reads?: (value: string) => string;
  /** Further checks of a refusal. */
  readonly onRefusal?: (problem: Problem) => void;
  /** Whether accepted values must occur (false for options that accept only a narrow syntax). */
  readonly expectAccepted?: boolean;
  readonly numRuns: number;
}

/** `K8S_GEN_PROPERTY_RUNS_FACTOR=30` runs each property 30 times as often (a deeper search before a release). */
const RUNS_FACTOR = Math.max(1, Number(process.env.K8S_GEN_PROPERTY_RUNS_FACTOR ?? 1) || 1);

/**
 * The round-trip property of a setter or option: any string it accepts is read back unchanged, and
 * any it refuses is refused with an actionable problem at its own name. Both outcomes must occur,
 * or the property would be vacuous.
 */
export function expectRoundTrips(property: RoundTripProperty): void {
  let accepted = 0;
  let refused = 0;
  const yamlTexts: string[] = [];
  fc.assert(
    fc.property(fc.oneof(hostileString, plainString), fc.constantFrom(...property.prefixes), (raw, prefix) => {
      const value = prefix + raw;
      const outcome = property.attempt(value);
      if ('problem' in outcome) {
        refused++;
        expectActionable(outcome.problem);
        expect(outcome.problem.path).toMatch(property.refusedAt);
        property.onRefusal?.(outcome.problem);
      } else {
        accepted++;
        expect(outcome.read).toBe(property.reads === undefined ? value : property.reads(value));
        if (outcome.yaml === true) yamlTexts.push(outcome.text);
      }
    }),
    { numRuns: property.numRuns * RUNS_FACTOR },
  );
  // One libyaml run for every accepted YAML text of the property.
  expectLibyamlReadsAsOurs(yamlTexts);
  if (property.expectAccepted !== false) expect(accepted).toBeGreaterThan(5);
  expect(refused).toBeGreaterThan(5);
}

/**
 * A corpus as tests: one per case (its category, name and place in the title), and one that the
 * cases cover at least `minCategories` categories and exactly the places in `places`. `extra`
 * adds a language's own tests to the same block.
 */
export function describeCorpus<W extends string>(title: string, cases: ReadonlyArray<HostileCase<W, string>>, attempt: (where: W, value: string) => Attempt, coverage: { minCategories: number; places: readonly W[] }, extra?: () => void): void {
  describe(title, () => {
    it.each(cases.map((c) => [`${c.category}: ${c.name} (${c.where})`, c] as const))('%s', (_, c) => {
      expectCase(c, attempt(c.where, c.value));
    });

    it('covers every category and every place a value goes', () => {
      expect(new Set(cases.map((c) => c.category)).size).toBeGreaterThanOrEqual(coverage.minCategories);
      expect(new Set(cases.map((c) => c.where))).toEqual(new Set(coverage.places));
    });

    extra?.();
  });
}

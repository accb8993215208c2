// Shared by the collector tests: reading results, and checking refusals.
import type { Problem } from '@k8s-gen/runtime';
import { expect } from 'vitest';
import { CollectorConfigError, type CollectorResult } from '../src/index.js';
import type { YamlNode } from '../src/yaml-config.js';

/** The value of a result that must have succeeded (the problems are shown when it did not). */
export function ok<T>(result: CollectorResult<T>): T {
  expect(result.problems).toEqual([]);
  expect(result.ok).toBe(true);
  return result.value as T;
}

/** The problems of a result that must have failed. */
export function refused<T>(result: CollectorResult<T>): readonly Problem[] {
  expect(result.ok).toBe(false);
  expect(result.problems.length).toBeGreaterThan(0);
  for (const problem of result.problems) expectActionable(problem);
  return result.problems;
}

/** The problem a builder threw (it must have thrown a CollectorConfigError). */
export function thrown(build: () => unknown): Problem {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(CollectorConfigError);
    const { problem } = error as CollectorConfigError;
    expectActionable(problem);
    return problem;
  }
  throw new Error('expected the builder to refuse its argument');
}

/** Every refusal is an error with a code, a place and a fix. */
export function expectActionable(problem: Problem): void {
  expect(problem.severity).toBe('error');
  expect(problem.code).toMatch(/^[a-z][a-z0-9-]+$/);
  expect(problem.message.length).toBeGreaterThan(10);
  expect(problem.fix.length).toBeGreaterThan(5);
}

/** The text as it reads back from a UTF-8 file. */
export const viaUtf8 = (text: string) => Buffer.from(text, 'utf8').toString('utf8');

/**
 * The parse events libyaml gives for a YAML tree, in the form of test/support/libyaml.ts: "{" and
 * "}" around a map, "[" and "]" around a list, "=" before a key's or scalar's text.
 */
export function yamlEvents(node: YamlNode): string[] {
  if (node.kind === 'scalar') return [`=${String(node.value)}`];
  if (node.kind === 'list') return ['[', ...node.items.flatMap((item) => yamlEvents(item.value)), ']'];
  return ['{', ...node.entries.flatMap((entry) => [`=${entry.key}`, ...yamlEvents(entry.value)]), '}'];
}

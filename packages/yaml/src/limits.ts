/**
 * The reading limits: how much input, how deep, and how many aliases a reader accepts before it
 * refuses the input with a problem instead of exhausting memory or the call stack.
 */
import { readError, type ReadProblem } from './problem.js';

/**
 * Limits every reader applies before and while parsing. Input beyond a limit is refused with an
 * error-level problem naming the limit; nothing is partly read.
 *
 * kube-apiserver and kubectl have no size limit and allow 10,000 levels of nesting; the defaults
 * here are far above what any policy, kubeconfig or AuditSink needs (a policy is at most 7 levels
 * deep, the GCE profile is 8 KB) and far below what exhausts memory or the stack.
 */
export interface ReadLimits {
  /** Largest input, in bytes (UTF-8 for text). Default 4 MiB (4,194,304 bytes). */
  maxBytes: number;
  /**
   * Deepest nesting of lists and mappings, counted with every alias expanded. Default 100; at
   * most {@link MAX_READ_DEPTH}, since the yaml library composes documents recursively.
   */
  maxDepth: number;
  /** Most aliases (`*name`) one document may hold. Default 1,000. */
  maxAliases: number;
  /**
   * Most values (scalars, lists and mappings, keys included) one document may hold once every
   * alias is expanded, which stops "billion laughs" documents. Default 1,000,000.
   */
  maxExpandedValues: number;
}

/** The limits used when a caller sets none; see {@link ReadLimits}. */
export const DEFAULT_READ_LIMITS: Readonly<ReadLimits> = Object.freeze({
  maxBytes: 4 * 1024 * 1024,
  maxDepth: 100,
  maxAliases: 1000,
  maxExpandedValues: 1_000_000,
});

/**
 * The highest `maxDepth` a reader honours; a larger one counts as this. The yaml library's
 * composer recurses once or more per level and exhausts Node's default stack at about 900 block
 * levels, so this keeps a wide margin whatever the caller's own stack use.
 */
export const MAX_READ_DEPTH = 500;

/** The defaults with the caller's own limits over them, `maxDepth` capped at {@link MAX_READ_DEPTH}. */
export function readLimits(limits: Partial<ReadLimits> = {}): ReadLimits {
  const merged = { ...DEFAULT_READ_LIMITS, ...limits };
  return { ...merged, maxDepth: Math.min(merged.maxDepth, MAX_READ_DEPTH) };
}

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * The problem for input over `maxBytes`, the same whether the bytes come from a file (whose
 * reading stops after `maxBytes + 1` bytes, so its size may be unknown) or from a string.
 */
export function inputTooLarge(bytes: number | undefined, maxBytes: number): ReadProblem {
  const size = bytes === undefined ? `larger than ${count(maxBytes)} bytes` : `${count(bytes)} bytes`;
  return readError(
    'input-too-large',
    undefined,
    `The input is ${size}, over the reading limit of ${count(maxBytes)} bytes (maxBytes), so it was not parsed.`,
    'Check that this is the file you meant; if it really is this large, raise the maxBytes reading limit.',
  );
}

/** The problem for nesting deeper than `maxDepth`, at the place where the limit is crossed. */
export function tooDeep(position: { line: number; column: number }, maxDepth: number, throughAliases: boolean): ReadProblem {
  return readError(
    'yaml-too-deep',
    position,
    `Lists and mappings are nested more than ${count(maxDepth)} levels deep here${throughAliases ? ' once aliases are expanded' : ''} (the maxDepth reading limit).`,
    'Flatten the structure; if it really needs to be this deep, raise the maxDepth reading limit.',
  );
}

export { count as formatCount };

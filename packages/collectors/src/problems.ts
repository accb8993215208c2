/**
 * Problems as data for every collector language: presets, writers and parsers return a
 * {@link CollectorResult} and never throw; the AST builder functions (`param`, `str`, ...) refuse a
 * bad argument at once with a {@link CollectorConfigError} that carries the same {@link Problem}.
 */
import type { Problem } from '@k8s-gen/runtime';

/** Where a parse problem is in the text that was parsed (1-based). */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/**
 * What a preset, a writer or a parser gives back: the value, or the problems that stopped it.
 * `problems` is empty when `ok` is true.
 *
 * @example
 * ```ts
 * const written = fluentd.writeFluentd(config);
 * if (!written.ok) for (const problem of written.problems) console.error(problem.path, problem.message);
 * else writeFileSync('fluent.conf', written.value);
 * ```
 */
export type CollectorResult<T> =
  | { readonly ok: true; readonly value: T; readonly problems: readonly Problem[] }
  | { readonly ok: false; readonly value?: undefined; readonly problems: readonly Problem[] };

/**
 * Thrown by the AST builder functions when an argument is refused, so that a bad value stops where
 * it enters instead of reaching a file. `problem` is the refusal as data, naming the argument and
 * the fix; presets and constructs turn it into an entry of their own problem list.
 *
 * @example
 * ```ts
 * try {
 *   fluentd.param('path', '/var/log/a\n</source>');
 * } catch (error) {
 *   if (error instanceof CollectorConfigError) console.error(error.problem.fix);
 * }
 * ```
 */
export class CollectorConfigError extends Error {
  /** The refusal: code, the refused argument as `path`, message and fix. */
  readonly problem: Problem;

  /** @param problem - the refusal; the error message is built from its path, message and fix. */
  constructor(problem: Problem) {
    const where = problem.path === '' || problem.message.startsWith(problem.path) ? '' : `${problem.path}: `;
    super(`${where}${problem.message}; fix: ${problem.fix}`);
    this.name = 'CollectorConfigError';
    this.problem = problem;
  }
}

/**
 * A refusal as a {@link Problem} (severity error).
 *
 * @example
 * ```ts
 * refusal('invalid-option', 'port', '"80; rm" is not a TCP port', 'pass an integer from 1 to 65535');
 * ```
 */
export function refusal(code: string, path: string, message: string, fix: string, position?: TextPosition): Problem {
  const problem: Problem = { severity: 'error', code, path, message, fix };
  if (position !== undefined) {
    problem.line = position.line;
    problem.column = position.column;
  }
  return problem;
}

/** Throws `problem` as a {@link CollectorConfigError} when there is one: the builders' way to refuse. */
export function throwIfRefused(problem: Problem | undefined): void {
  if (problem !== undefined) throw new CollectorConfigError(problem);
}

/** A successful {@link CollectorResult}. */
export function succeeded<T>(value: T): CollectorResult<T> {
  return { ok: true, value, problems: [] };
}

/** A failed {@link CollectorResult}. */
export function failed<T>(problems: readonly Problem[]): CollectorResult<T> {
  return { ok: false, problems };
}

/**
 * Runs `build` with a problem list to fill: the result is its value when the list stays empty, or
 * the problems (`build` returns undefined when it stopped at a problem). A {@link CollectorConfigError} thrown by a builder inside becomes one more problem,
 * so presets keep their never-throw promise.
 */
export function collectProblems<T>(build: (problems: Problem[]) => T | undefined): CollectorResult<T> {
  const problems: Problem[] = [];
  try {
    const value = build(problems);
    if (problems.length > 0) return failed(problems);
    if (value === undefined) return failed([refusal('internal', '', 'nothing was built and no problem was reported (a k8s-gen bug)', 'report the options that caused it')]);
    return succeeded(value);
  } catch (error) {
    if (!(error instanceof CollectorConfigError)) throw error;
    return failed([...problems, error.problem]);
  }
}

/** Converts a string offset into a 1-based line and column (lines end at `\n`, `\r\n` or `\r`). */
export function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Size and nesting limits of the parsers. */
export interface ReaderLimits {
  /** The longest text read, in UTF-16 code units (default 1,048,576: a config is a few kilobytes). */
  readonly maxLength?: number;
  /** The deepest nesting of sections, plugins, arrays or hashes (default 64). */
  readonly maxDepth?: number;
}

/** The defaults of {@link ReaderLimits}. */
export const DEFAULT_READER_LIMITS: Required<ReaderLimits> = { maxLength: 1_048_576, maxDepth: 64 };

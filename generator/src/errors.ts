/**
 * The one error type the generator throws for bad input. Its message names the input and says
 * what is wrong and how to fix it, so callers (the CLI, build scripts) print the message and never
 * a stack trace.
 */

/** One thing wrong with an input, located inside it. */
export interface GeneratorIssue {
  /** Where inside the input, as a JSON pointer (`#/$defs/Policy/properties/rules`); `''` for the whole input. */
  path: string;
  /** What is wrong, in one sentence. */
  message: string;
  /** What to do instead. */
  fix: string;
}

/** The text of an issue: `path: message; fix`. */
function issueText(issue: GeneratorIssue): string {
  return `${issue.path === '' ? '' : `${issue.path}: `}${issue.message}; ${issue.fix}`;
}

/**
 * A generation that cannot go ahead because of its input.
 *
 * @example
 * ```ts
 * try { await generate(options); } catch (error) { if (isGeneratorError(error)) console.error(error.message); }
 * ```
 */
export class GeneratorError extends Error {
  override readonly name = 'GeneratorError';
  /** The input the problem is in (a path, a URL, `<stdin>`), when there is one. */
  readonly input?: string;
  /** The problems found, when the error comes from a check that finds several at once (the model check). */
  readonly issues: readonly GeneratorIssue[];

  constructor(message: string, input?: string, issues: readonly GeneratorIssue[] = []) {
    super(input === undefined ? message : `${input}: ${message}`);
    if (input !== undefined) this.input = input;
    this.issues = issues;
  }

  /**
   * The error for a list of located issues (at least one): its message is the first issue, and
   * one more line per further issue, each naming the input.
   *
   * @example
   * ```ts
   * throw GeneratorError.fromIssues([{ path: '#/$defs/A', message: 'bad', fix: 'fix it' }], 'schema.json');
   * ```
   */
  static fromIssues(issues: readonly GeneratorIssue[], input: string | undefined): GeneratorError {
    const prefix = input === undefined ? '' : `${input}: `;
    const [first, ...rest] = issues.map(issueText);
    return new GeneratorError([first ?? '', ...rest.map((line) => `${prefix}${line}`)].join('\n'), input, issues);
  }
}

/**
 * True when `error` is a {@link GeneratorError}.
 *
 * @example
 * ```ts
 * if (isGeneratorError(error)) process.stderr.write(`${error.message}\n`);
 * ```
 */
export function isGeneratorError(error: unknown): error is GeneratorError {
  return error instanceof GeneratorError;
}

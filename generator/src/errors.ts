/**
 * The one error type the generator throws for bad input. Its message names the input and says
 * what is wrong and how to fix it, so callers (the CLI, build scripts) print the message and never
 * a stack trace.
 */
export class GeneratorError extends Error {
  override readonly name = 'GeneratorError';
  /** The input the problem is in (a path, a URL, `<stdin>`), when there is one. */
  readonly input?: string;

  constructor(message: string, input?: string) {
    super(input === undefined ? message : `${input}: ${message}`);
    if (input !== undefined) this.input = input;
  }
}

/** True when `error` is a {@link GeneratorError}. */
export function isGeneratorError(error: unknown): error is GeneratorError {
  return error instanceof GeneratorError;
}

// The one error type of the collector models. Writers, parsers and presets throw it for input
// they refuse, so callers can turn it into a project-wide `Problem` instead of printing a trace.
import type { Problem } from '../problems.js';

/** Where a parse error happened in the text that was parsed (1-based). */
export interface TextPosition {
  line: number;
  column: number;
}

/**
 * A value or a config text that the fluentd or logstash model refuses.
 *
 * `path` names the offending field (`<match audit.**> > <template> > path`, or a preset option
 * such as `outputPathPattern`), `fix` says what to do instead. Parse errors carry the position.
 */
export class CollectorConfigError extends Error {
  /** Stable identifier of the kind of refusal, e.g. `fluentd-newline`. */
  readonly code: string;
  /** The field that was refused, '' for the whole document. */
  readonly path: string;
  /** What to do instead. */
  readonly fix: string;
  /** What is wrong, in one sentence, without the path and the fix. */
  readonly reason: string;
  /** Position in the parsed text, for parse errors. */
  readonly position?: TextPosition;

  constructor(args: { code: string; path: string; message: string; fix: string; position?: TextPosition }) {
    const where = args.position ? ` (line ${args.position.line}, column ${args.position.column})` : '';
    super(`${args.path ? `${args.path}: ` : ''}${args.message}${where}; fix: ${args.fix}`);
    this.name = 'CollectorConfigError';
    this.code = args.code;
    this.path = args.path;
    this.fix = args.fix;
    this.reason = args.message;
    if (args.position) this.position = args.position;
  }

  /** The same refusal as a `Problem` (severity error), for validators that collect problems. */
  toProblem(file?: string): Problem {
    const problem: Problem = {
      severity: 'error',
      code: this.code,
      path: this.path,
      message: this.reason,
      fix: this.fix,
    };
    if (file !== undefined) problem.file = file;
    if (this.position) {
      problem.line = this.position.line;
      problem.column = this.position.column;
    }
    return problem;
  }
}

/** Converts a string offset into a 1-based line and column. */
export function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * True when `text` holds a lone UTF-16 surrogate, which cannot be written as UTF-8: the file would
 * hold U+FFFD instead, so it would no longer say what the AST says.
 */
export function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

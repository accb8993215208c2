/**
 * The problems the readers report, and the positions they point at.
 */
import type { PathSegment } from './write.js';

/**
 * A problem found while reading: the project-wide `Problem` (ARCHITECTURE.md, "Problems") with
 * its path still as segments. The SDK packages turn it into their `Problem` with
 * `formatPath(at)` and add `file`.
 */
export interface ReadProblem {
  severity: 'error' | 'warning';
  /** Stable code, e.g. `yaml-control-character`. */
  code: string;
  /** Where in the decoded data (`['rules', 3, 'level']`); empty for the document or the whole input. */
  at: readonly PathSegment[];
  /** What is wrong, in one sentence. */
  message: string;
  /** What to do instead. */
  fix: string;
  /** 1-based line; set for everything found in the text, not for a file too large or unreadable. */
  line?: number;
  /** 1-based column, counted in UTF-16 code units; set whenever `line` is. */
  column?: number;
}

/** Line and column (both 1-based) of a place in the text. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** Turns offsets into a text into 1-based lines and columns (a line ends at `\n`). */
export function positionsOf(text: string): (offset: number) => SourcePosition {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  return (offset) => {
    const at = Math.max(0, Math.min(offset, text.length));
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle]! <= at) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: at - lineStarts[low]! + 1 };
  };
}

/** An error of a reader, located when `position` is given. */
export function readError(code: string, position: SourcePosition | undefined, message: string, fix: string, at: readonly PathSegment[] = []): ReadProblem {
  return { severity: 'error', code, at, message, fix, ...position };
}

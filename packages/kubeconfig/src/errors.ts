import type { Problem } from './model.js';

/**
 * Thrown by the functions that produce files or configs when their input has error-level problems.
 * The problems are data (`error.problems`); the message lists them one per line and never contains
 * a secret value.
 */
export class KubeconfigError extends Error {
  /** Every problem found, errors and warnings. */
  readonly problems: Problem[];

  constructor(summary: string, problems: Problem[]) {
    const lines = problems
      .filter((p) => p.severity === 'error')
      .map((p) => `  ${p.file !== undefined ? `${p.file}: ` : ''}${p.path || '(document)'}: ${p.message} Fix: ${p.fix}`);
    super([summary, ...lines].join('\n'));
    this.name = 'KubeconfigError';
    this.problems = problems;
  }
}

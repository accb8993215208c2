// Problems found while building or checking an audit set-up. The shape is the project-wide
// `Problem` contract (ARCHITECTURE.md, "Problems"), plus the construct path when one applies.
import type { Problem } from '@k8s-gen/audit';

export type { Problem };

/** A problem attached to a construct of the tree, found when the app is validated or synthesized. */
export interface ConstructProblem extends Problem {
  /** The construct's path in the tree, e.g. `audit/Fluentd`. */
  constructPath: string;
}

/** Formats a construct problem as one readable block: `[path] file: message (fix: ...)`. */
export function formatConstructProblem(problem: ConstructProblem): string {
  const where = [problem.file, problem.path].filter(Boolean).join(' ');
  return `[${problem.constructPath}] ${problem.severity}${where ? ` in ${where}` : ''}: ${problem.message}\n  fix: ${problem.fix}`;
}

/**
 * Thrown by `App.synth()` when the tree has errors. Nothing was written: the previous output is
 * untouched. `problems` holds every error (and warning) with its construct path, file and fix.
 */
export class SynthError extends Error {
  constructor(readonly problems: readonly ConstructProblem[]) {
    const errors = problems.filter((p) => p.severity === 'error');
    super(
      `synth failed with ${errors.length} error(s); nothing was written:\n${errors.map(formatConstructProblem).join('\n')}`,
    );
    this.name = 'SynthError';
  }
}

// How the CLI talks to people: problems, errors and progress go to stderr, results to stdout.
import type { Problem } from '@k8s-gen/audit';
import pc from 'picocolors';

/** An expected failure: bad input, a missing file. Printed as one clear message, never a stack. */
export class CliError extends Error {
  constructor(
    message: string,
    /** What the user should do about it. */
    readonly fix?: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function reportError(error: CliError): void {
  process.stderr.write(`${pc.red('error')}: ${error.message}\n`);
  if (error.fix) process.stderr.write(`  ${pc.dim('fix:')} ${error.fix}\n`);
}

/**
 * What the CLI prints: the project-wide {@link Problem} (ARCHITECTURE.md, "Problems"), plus the
 * `info` severity that lint findings may have.
 */
export type PrintableProblem = Omit<Problem, 'severity'> & { severity: Problem['severity'] | 'info' };

/** Formats one problem as `file:line:col: path: severity: message (fix: ...)`. */
export function formatProblem(problem: PrintableProblem): string {
  const where = [problem.file, problem.line, problem.column].filter((part) => part !== undefined).join(':');
  const colour = problem.severity === 'error' ? pc.red : problem.severity === 'warning' ? pc.yellow : pc.cyan;
  const head = [where, problem.path].filter(Boolean).join(': ');
  return `${head ? `${head}: ` : ''}${colour(problem.severity)} [${problem.code}] ${problem.message}\n  ${pc.dim('fix:')} ${problem.fix}`;
}

/** True when stderr is an interactive terminal (progress bars are shown only then). */
export function isInteractive(): boolean {
  return Boolean(process.stderr.isTTY) && !process.env.CI;
}

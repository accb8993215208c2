// How the CLI talks to people: problems, errors and progress go to stderr, results to stdout.
import type { Problem } from '@k8s-gen/audit';
import picocolors from 'picocolors';

/**
 * Whether output is coloured: `NO_COLOR` (any non-empty value) and `FORCE_COLOR=0`/`false` turn
 * colour off, any other `FORCE_COLOR` turns it on; otherwise only a terminal that is not `dumb`
 * gets colour. (picocolors alone takes `FORCE_COLOR=0` as "on".)
 */
export function colourEnabled(env: NodeJS.ProcessEnv = process.env, stream: { isTTY?: boolean } = process.stderr): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false', ''].includes(force.toLowerCase());
  return stream.isTTY === true && env.TERM !== 'dumb';
}

const pc = picocolors.createColors(colourEnabled());

/** The exit codes of every command, as the help of each one lists them. */
export const EXIT_CODES = {
  /** Nothing wrong. */
  clean: 0,
  /** The input was read and has findings (errors; for some commands also warnings). */
  findings: 1,
  /** Bad usage or unreadable input: an unknown option, a missing or unreadable file, a bad value. */
  usage: 2,
  /** A bug in k8s-gen (reported with a one-line message, never for bad input). */
  internal: 70,
} as const;

/** The exit-code paragraph every command's help ends with. */
export const EXIT_CODE_HELP = `
Exit codes: 0 nothing wrong, 1 findings, 2 bad usage or unreadable input.`;

/** An expected failure: bad input, a missing file. Printed as one clear message, never a stack. */
export class CliError extends Error {
  constructor(
    message: string,
    /** What the user should do about it. */
    readonly fix?: string,
    readonly exitCode: number = EXIT_CODES.findings,
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

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

/**
 * Characters a terminal acts on or that disguise text: C0 and C1 controls (escape sequences,
 * carriage return, bell), DEL, line and paragraph separators, bidirectional overrides and
 * isolates, and the byte-order mark.
 */
const TERMINAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
const TERMINAL_UNSAFE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
const escapeCharacter = (ch: string): string => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * A value read from a file (a user name, a verb, a path from an audit log) as one line of
 * terminal text: every character of {@link TERMINAL_UNSAFE}, line feeds included, is written as
 * a `\uXXXX` escape, so a hostile log can neither move the cursor, recolour or clear the screen,
 * nor print a line that looks like the report's own.
 */
export function printable(value: string): string {
  return value.replace(TERMINAL_UNSAFE, escapeCharacter);
}

/**
 * Like {@link printable}, but keeps line feeds: for text that k8s-gen itself breaks into lines
 * (messages, a whole report whose values are already quoted, where JSON quoting leaves bidi
 * controls and C1 characters as they are).
 */
export function printableLines(value: string): string {
  return value.replace(TERMINAL_UNSAFE_BUT_NEWLINE, escapeCharacter);
}

/** A report in `format`: text reports made {@link printableLines}; JSON and SARIF are already escaped. */
export function terminalText(report: string, format: string): string {
  return format === 'text' ? printableLines(report) : report;
}

/**
 * Formats one problem as `file:line:col: path: severity: message (fix: ...)`. Messages may quote
 * what a file holds, so every field is made {@link printable} (line feeds kept in the message and
 * fix, which k8s-gen writes).
 */
export function formatProblem(problem: PrintableProblem): string {
  const where = [problem.file, problem.line, problem.column].filter((part) => part !== undefined).join(':');
  const colour = problem.severity === 'error' ? pc.red : problem.severity === 'warning' ? pc.yellow : pc.cyan;
  const head = printable([where, problem.path].filter(Boolean).join(': '));
  return `${head ? `${head}: ` : ''}${colour(problem.severity)} [${printable(problem.code)}] ${printableLines(problem.message)}\n  ${pc.dim('fix:')} ${printableLines(problem.fix)}`;
}

/** True when stderr is an interactive terminal (progress bars are shown only then). */
export function isInteractive(): boolean {
  return Boolean(process.stderr.isTTY) && !process.env.CI;
}

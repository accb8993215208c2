/**
 * Problems as data: every validator in k8s-gen reports {@link Problem}s, libraries return them and
 * the command line prints them.
 */

/**
 * One thing wrong (or suspicious) in a document, as data: libraries return problems, the CLI prints
 * them.
 *
 * @example
 * ```ts
 * const problem: Problem = { severity: 'error', code: 'unknown-field', path: 'rules[0].verb', message: '`verb` is not a field of this object.', fix: 'Did you mean `verbs`?' };
 * ```
 */
export interface Problem {
  /** `error` makes the document invalid; `warning` points at something likely unintended. */
  severity: 'error' | 'warning';
  /** Stable identifier of the kind of problem, such as `unknown-field`. */
  code: string;
  /** Where in the document, such as `rules[3].resources[0].group`; empty for the whole document. */
  path: string;
  /** What is wrong, in one sentence. */
  message: string;
  /** What to do instead. */
  fix: string;
  /** File the document was read from, when known. */
  file?: string;
  /** 1-based line in {@link Problem.file}, when known. */
  line?: number;
  /** 1-based column in {@link Problem.file}, when known. */
  column?: number;
}

/**
 * Gathers the problems of one validation run, stamping each with the file being checked.
 *
 * @example
 * ```ts
 * const problems = new ProblemCollector('policy.yaml');
 * problems.add('error', 'missing-field', 'rules', 'The policy has no rules.', 'Add at least one rule.');
 * ```
 */
export class ProblemCollector {
  /** Everything added so far, in order. */
  readonly problems: Problem[] = [];

  /** @param file - the file the checked document was read from, copied into every problem. */
  constructor(private readonly file?: string) {}

  /** Records one problem. */
  add(severity: Problem['severity'], code: string, path: string, message: string, fix: string): void {
    const problem: Problem = { severity, code, path, message, fix };
    if (this.file !== undefined) problem.file = this.file;
    this.problems.push(problem);
  }
}

/**
 * Formats a path inside a document: numbers become indexes, names are joined with dots, and names
 * that are not identifiers are quoted.
 *
 * @example
 * ```ts
 * formatPath(['rules', 3, 'resources', 0, 'group']); // 'rules[3].resources[0].group'
 * ```
 */
export function formatPath(segments: readonly (string | number | symbol)[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const name = String(segment);
      if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(name)) out += out === '' ? name : `.${name}`;
      else out += `[${JSON.stringify(name)}]`;
    }
  }
  return out;
}

/** Anything with a severity: problems, and findings that also have `info`. */
export interface HasSeverity {
  readonly severity: 'error' | 'warning' | 'info';
}

/**
 * Counts problems by severity in words, the way every k8s-gen command ends its report.
 *
 * @example
 * ```ts
 * summarizeProblems([{ severity: 'error' }, ...sixWarnings]); // '1 error, 6 warnings'
 * summarizeProblems([]); // 'no problems'
 * ```
 */
export function summarizeProblems(problems: readonly HasSeverity[]): string {
  const count = (severity: HasSeverity['severity']) => problems.filter((problem) => problem.severity === severity).length;
  const parts = ([
    ['error', 'errors'],
    ['warning', 'warnings'],
    ['info', 'notes'],
  ] as const)
    .map(([severity, plural]) => [count(severity), severity === 'info' ? 'note' : severity, plural] as const)
    .filter(([n]) => n > 0)
    .map(([n, singular, plural]) => `${n} ${n === 1 ? singular : plural}`);
  return parts.length === 0 ? 'no problems' : parts.join(', ');
}

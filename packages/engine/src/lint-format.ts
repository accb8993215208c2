/**
 * Renders lint findings as text, JSON or SARIF 2.1.0 (for code-scanning tools).
 */
import { summarizeProblems } from '@k8s-gen/runtime';
import { LINT_RULES, type LintFinding, type LintSeverity } from './lint.js';

/** A position in the policy file, 1-based. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** Where the findings come from, so they can point into the file. */
export interface LintFormatOptions {
  /** The policy file as it should appear in the output (a path or URI). */
  file?: string;
  /**
   * Positions of policy paths (`rules[3]`, `rules[3].verbs[0]`). A finding whose path is missing
   * uses its closest listed parent (`rules[3].level` falls back to `rules[3]`).
   */
  sourceMap?: Readonly<Record<string, SourcePosition>>;
  /** Version of the tool reported in SARIF. */
  toolVersion?: string;
}

/** The output formats of {@link formatLint}. */
export type LintFormat = 'text' | 'json' | 'sarif';

/** The position of a path or of its closest parent that the map knows. */
export function positionOf(path: string, sourceMap: Readonly<Record<string, SourcePosition>> | undefined): SourcePosition | undefined {
  if (sourceMap === undefined) return undefined;
  let current = path;
  for (;;) {
    const position = sourceMap[current];
    if (position !== undefined) return position;
    if (current === '') return undefined;
    const cut = Math.max(current.lastIndexOf('.'), current.lastIndexOf('['));
    current = cut <= 0 ? '' : current.slice(0, cut);
  }
}

const SARIF_LEVELS: Record<LintSeverity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** The findings of one linted file, for {@link formatLintFiles}. */
export interface LintedFile {
  /** The file as it should appear in the output (a path or URI); absent for a policy in memory. */
  file?: string;
  findings: readonly LintFinding[];
  /** Positions of policy paths in that file (see {@link LintFormatOptions.sourceMap}). */
  sourceMap?: Readonly<Record<string, SourcePosition>>;
}

/**
 * Formats findings. `text`: one finding per entry, `file:line:col: path: severity [code] message`
 * then the fix, and a closing count ("1 error, 6 warnings"); `json`: `{ findings: [...] }` with
 * positions when known; `sarif`: a SARIF 2.1.0 log with one rule per finding code.
 */
export function formatLint(findings: readonly LintFinding[], format: LintFormat, options: LintFormatOptions = {}): string {
  return formatLintFiles([{ findings, ...(options.file !== undefined ? { file: options.file } : {}), ...(options.sourceMap !== undefined ? { sourceMap: options.sourceMap } : {}) }], format, options.toolVersion === undefined ? {} : { toolVersion: options.toolVersion });
}

/**
 * Formats the findings of several files as one report in the same formats as {@link formatLint}
 * (one JSON list, one SARIF run, one closing count).
 */
export function formatLintFiles(files: readonly LintedFile[], format: LintFormat, options: { toolVersion?: string } = {}): string {
  const located = files.flatMap(({ file, findings, sourceMap }) =>
    findings.map((finding) => {
      const position = positionOf(finding.path, sourceMap);
      return { ...finding, ...(file !== undefined ? { file } : {}), ...(position ?? {}) };
    }),
  );
  if (format === 'json') return `${JSON.stringify({ findings: located }, null, 2)}\n`;
  if (format === 'text') {
    if (located.length === 0) return 'no findings\n';
    const entries = located.map((finding) => {
      const where = [finding.file, 'line' in finding ? finding.line : undefined, 'column' in finding ? finding.column : undefined]
        .filter((part) => part !== undefined)
        .join(':');
      const head = [where, finding.path].filter((part) => part !== '').join(': ');
      return `${head ? `${head}: ` : ''}${finding.severity} [${finding.code}] ${finding.message}\n  fix: ${finding.fix}`;
    });
    return `${entries.join('\n')}\n${summarizeProblems(located)}\n`;
  }
  const codes = [...new Set(located.map((finding) => finding.code))].sort();
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'k8s-gen lint',
            ...(options.toolVersion !== undefined ? { version: options.toolVersion } : {}),
            rules: codes.map((code) => ({
              id: code,
              shortDescription: { text: LINT_RULES[code].summary },
              defaultConfiguration: { level: SARIF_LEVELS[LINT_RULES[code].severity] },
            })),
          },
        },
        results: located.map((finding) => ({
          ruleId: finding.code,
          ruleIndex: codes.indexOf(finding.code),
          level: SARIF_LEVELS[finding.severity],
          message: { text: `${finding.message} Fix: ${finding.fix}` },
          locations: [
            {
              ...(finding.file !== undefined
                ? {
                    physicalLocation: {
                      artifactLocation: { uri: finding.file },
                      ...('line' in finding ? { region: { startLine: finding.line, startColumn: finding.column } } : {}),
                    },
                  }
                : {}),
              logicalLocations: [{ fullyQualifiedName: finding.path === '' ? '(policy)' : finding.path, kind: 'member' }],
            },
          ],
          properties: { path: finding.path, fix: finding.fix },
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

// `k8s-gen validate FILE...`: tells audit policies, kubeconfigs and AuditSinks apart by their
// content and runs the SDK's validator for each. Exit code 1 when any file has an error.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parsePolicy } from '@k8s-gen/audit';
import { validateAuditSink } from '@k8s-gen/auditregistration';
import { parseKubeconfig, validateKubeconfig } from '@k8s-gen/kubeconfig';
import { parseAllDocuments } from 'yaml';
import { CliError, formatProblem, type PrintableProblem } from '../output.js';

/** What a file was recognized as. */
export type DocumentKind = 'policy' | 'kubeconfig' | 'auditsink' | 'unknown';

/** The findings for one file. */
export interface FileReport {
  file: string;
  kinds: DocumentKind[];
  problems: PrintableProblem[];
}

/** Recognizes a decoded document by its apiVersion/kind, or by the keys a kubeconfig has. */
export function detectKind(document: unknown): DocumentKind {
  if (!document || typeof document !== 'object' || Array.isArray(document)) return 'unknown';
  const d = document as Record<string, unknown>;
  const apiVersion = typeof d.apiVersion === 'string' ? d.apiVersion : '';
  if (d.kind === 'Policy' && apiVersion.startsWith('audit.k8s.io/')) return 'policy';
  if (d.kind === 'AuditSink') return 'auditsink';
  if (d.kind === 'Config' || 'clusters' in d || 'contexts' in d || 'current-context' in d) return 'kubeconfig';
  return 'unknown';
}

/**
 * Validates one file: every YAML document in it is recognized and checked with the validator of
 * its kind. Problems carry the file name (and line and column where the validator gives them).
 */
export function validateFile(file: string, options: { kubernetesVersion?: string } = {}): FileReport {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { file, kinds: [], problems: [{ severity: 'error', code: 'file-unreadable', path: '', file, message: `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, fix: 'check the path and its permissions' }] };
  }
  const documents = parseAllDocuments(text);
  const parsed = Array.isArray(documents) ? documents : [documents];
  const syntax = parsed.flatMap((doc) => doc.errors);
  if (syntax.length > 0) {
    const first = syntax[0]!;
    const [line, column] = first.linePos?.[0] ? [first.linePos[0].line, first.linePos[0].col] : [undefined, undefined];
    return { file, kinds: [], problems: [{ severity: 'error', code: 'yaml-syntax', path: '', file, ...(line ? { line, column } : {}), message: first.message.split('\n')[0]!, fix: 'fix the YAML syntax' }] };
  }
  const values = parsed.map((doc) => doc.toJS());
  const kinds = values.map(detectKind);
  const problems: PrintableProblem[] = [];
  const single = values.length === 1;
  values.forEach((value, index) => {
    const where = single ? '' : `documents[${index}]`;
    const prefix = (path: string) => [where, path].filter(Boolean).join('.');
    switch (kinds[index]) {
      case 'policy':
        // parsePolicy locates problems by line; it reads one document, so multi-document files fall back to the text of that document.
        problems.push(...parsePolicy(single ? text : String(parsed[index]), { file, ...(options.kubernetesVersion ? { kubernetesVersion: options.kubernetesVersion } : {}) }).problems.map((p) => ({ ...p, path: prefix(p.path), file })));
        break;
      case 'kubeconfig': {
        const result = parseKubeconfig(single ? text : String(parsed[index]), { file });
        problems.push(...result.problems);
        if (result.config) {
          for (const problem of validateKubeconfig(result.config, { forAuditWebhook: true, file, ...(options.kubernetesVersion ? { kubernetesVersion: options.kubernetesVersion } : {}) })) {
            const position = result.locate(problem.path);
            problems.push({ ...problem, path: prefix(problem.path), ...(position ? { line: position.line, column: position.column } : {}) });
          }
        }
        break;
      }
      case 'auditsink':
        problems.push(...validateAuditSink(value, { file, ...(options.kubernetesVersion ? { kubernetesVersion: options.kubernetesVersion } : {}) }).map((p) => ({ ...p, path: prefix(p.path) })));
        break;
      default: {
        const typed = value && typeof value === 'object' && typeof (value as { kind?: unknown }).kind === 'string';
        problems.push(
          typed
            ? { severity: 'warning', code: 'not-checked', path: where, file, message: `${(value as { kind: string }).kind} objects are not checked by k8s-gen`, fix: 'check them with kubectl apply --dry-run=server, or leave them out' }
            : { severity: 'error', code: 'unknown-document', path: where, file, message: 'this is not an audit Policy, a kubeconfig or an AuditSink', fix: 'pass audit policy files, webhook kubeconfigs or AuditSink manifests' },
        );
      }
    }
  });
  return { file, kinds, problems };
}

/** Adds `k8s-gen validate` to the program. */
export function register(program: Command): void {
  program
    .command('validate')
    .description('Check audit policies, webhook kubeconfigs and AuditSinks with the SDK validators (told apart by content).')
    .argument('<files...>', 'YAML or JSON files')
    .option('--format <format>', 'text or json (one JSON report on stdout, for CI)', 'text')
    .option('--kubernetes-version <version>', 'the apiserver release to check against, e.g. 1.20')
    .addHelpText(
      'after',
      `
Exit code 1 when any file has an error, 0 otherwise (warnings do not fail).

Examples:
  $ k8s-gen validate audit-policy.yaml audit-webhook-kubeconfig.yaml
  $ k8s-gen validate dist/*/audit-policy.yaml --format json`,
    )
    .action((files: string[], options: { format: string; kubernetesVersion?: string }) => {
      if (options.format !== 'text' && options.format !== 'json') {
        throw new CliError(`unknown --format ${options.format}`, 'use --format text or --format json', 2);
      }
      const reports = files.map((file) => validateFile(file, options.kubernetesVersion ? { kubernetesVersion: options.kubernetesVersion } : {}));
      const errors = reports.reduce((sum, report) => sum + report.problems.filter((p) => p.severity === 'error').length, 0);
      if (options.format === 'json') {
        process.stdout.write(`${JSON.stringify({ ok: errors === 0, files: reports }, null, 2)}\n`);
      } else {
        for (const report of reports) {
          for (const problem of report.problems) process.stderr.write(`${formatProblem(problem)}\n`);
          if (report.problems.length === 0) process.stdout.write(`${report.file}: ok (${report.kinds.join(', ')})\n`);
        }
      }
      if (errors > 0) process.exitCode = 1;
    });
}

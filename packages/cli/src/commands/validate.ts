// `k8s-gen validate FILE...`: prints what the engine's validateFile finds in each file (audit
// policies, webhook kubeconfigs and AuditSinks, told apart by their content). Exit code 0 when
// no file has an error, 1 when one has, 2 for bad usage or a file that cannot be read.
import type { Command } from 'commander';
import { kubernetesVersionProblem } from '@k8s-gen/audit';
import { type DocumentsReport, validateFile } from '@k8s-gen/engine';
import { CliError, formatProblem } from '../output.js';

interface ValidateCommandOptions {
  format: string;
  kubernetesVersion?: string;
  asApiserver?: boolean;
}

/** The exit code for a run: 2 when a file could not be read, 1 when any file has an error. */
function exitCodeOf(reports: readonly DocumentsReport[]): number {
  if (reports.some((report) => !report.readable)) return 2;
  return reports.some((report) => report.problems.some((problem) => problem.severity === 'error')) ? 1 : 0;
}

/** Adds `k8s-gen validate` to the program. */
export function register(program: Command): void {
  program
    .command('validate')
    .description('Check audit policies, webhook kubeconfigs and AuditSinks the way kube-apiserver reads them (told apart by content).')
    .argument('<files...>', 'YAML or JSON files')
    .option('--format <format>', 'text or json (one JSON report on stdout, for CI)', 'text')
    .option('--kubernetes-version <version>', 'the apiserver release to check against, e.g. 1.20')
    .option('--as-apiserver', "give kube-apiserver's own accept/reject verdict: what it silently drops (unknown fields, later documents, ...) becomes a warning")
    .addHelpText(
      'after',
      `
Exit code 0 when no file has an error (warnings do not fail), 1 when one has, 2 for bad usage
or a file that cannot be read. By default what kube-apiserver accepts but silently drops is an
error too, since the setting never takes effect; --as-apiserver reports it as a warning.

Examples:
  $ k8s-gen validate audit-policy.yaml audit-webhook-kubeconfig.yaml
  $ k8s-gen validate dist/*/audit-policy.yaml --kubernetes-version 1.20 --as-apiserver
  $ k8s-gen validate dist/*/audit-policy.yaml --format json`,
    )
    .action(async (files: string[], options: ValidateCommandOptions) => {
      if (options.format !== 'text' && options.format !== 'json') {
        throw new CliError(`unknown --format ${options.format}`, 'use --format text or --format json', 2);
      }
      const versionProblem = options.kubernetesVersion === undefined ? undefined : kubernetesVersionProblem(options.kubernetesVersion);
      if (versionProblem !== undefined) throw new CliError(`--kubernetes-version: ${versionProblem.message}`, versionProblem.fix, 2);
      const reports: DocumentsReport[] = [];
      for (const file of files) {
        reports.push(await validateFile(file, { ...(options.kubernetesVersion !== undefined ? { kubernetesVersion: options.kubernetesVersion } : {}), asApiserver: options.asApiserver ?? false }));
      }
      const code = exitCodeOf(reports);
      if (options.format === 'json') {
        process.stdout.write(`${JSON.stringify({ ok: code === 0, files: reports }, null, 2)}\n`);
      } else {
        for (const report of reports) {
          for (const problem of report.problems) process.stderr.write(`${formatProblem(problem)}\n`);
          if (!report.problems.some((problem) => problem.severity === 'error')) process.stdout.write(`${report.file}: ok (${report.kinds.join(', ')})\n`);
        }
      }
      process.exitCode = code;
    });
}

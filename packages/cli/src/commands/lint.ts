// `k8s-gen lint p.yaml`: the engine's lint findings as text, JSON or SARIF; exit code 1 when any
// finding is an error.
import type { Command } from 'commander';
import { formatLint, lint, type LintFormat } from '@k8s-gen/engine';
import { CliError } from '../output.js';
import { version } from '../version.js';
import { readPolicyFile } from './policy-file.js';

const FORMATS: readonly LintFormat[] = ['text', 'json', 'sarif'];

/** Adds `k8s-gen lint` to the program. */
export function register(program: Command): void {
  program
    .command('lint')
    .description('Find dead rules, credentials logged in bodies, wasted stages and version problems in an audit policy.')
    .argument('<file>', 'audit policy file (YAML or JSON)')
    .option('--format <format>', 'text, json or sarif (SARIF 2.1.0 for code scanning)', 'text')
    .option('--kubernetes-version <version>', 'apiserver release to check against, e.g. 1.22 (default 1.36)')
    .addHelpText(
      'after',
      `
Exit code 1 when a finding has severity error, 0 otherwise.

Examples:
  $ k8s-gen lint audit-policy.yaml
  $ k8s-gen lint audit-policy.yaml --kubernetes-version 1.22 --format sarif > lint.sarif`,
    )
    .action((file: string, options: { format: string; kubernetesVersion?: string }) => {
      const format = options.format as LintFormat;
      if (!FORMATS.includes(format)) throw new CliError(`unknown --format ${options.format}`, 'use --format text, json or sarif', 2);
      const { policy, sourceMap } = readPolicyFile(file, options.kubernetesVersion);
      const findings = lint(policy, options.kubernetesVersion !== undefined ? { kubernetesVersion: options.kubernetesVersion } : {});
      process.stdout.write(formatLint(findings, format, { file, sourceMap, toolVersion: version }));
      if (findings.some((finding) => finding.severity === 'error')) process.exitCode = 1;
    });
}

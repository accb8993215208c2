// `k8s-gen lint FILE...`: the engine's lint findings as text, JSON or SARIF; exit code 1 when any
// finding is an error (or a file is not a valid policy), 2 when a file cannot be read. With
// --log, each policy is also checked against the requests of an audit log (engine's lintLog).
import type { Command } from 'commander';
import { DEFAULT_QUESTION_STEPS, DEFAULT_TOTAL_STEPS, formatLintFiles, lint, lintLog, type AuditLogFormat, type LintedFile, type LintFinding, type LintFormat, type SourcePosition } from '@k8s-gen/engine';
import { formatOption, inputFormatOption, kubernetesVersionOption } from '../options.js';
import { CliError, EXIT_CODES, reportError, terminalText } from '../output.js';
import { auditLogSize, readingAuditLog, reportAuditLogFormat } from './audit-log-file.js';
import { version } from '../version.js';
import { positiveInteger } from './numeric-options.js';
import { readPolicyFile } from './policy-file.js';

interface LintOptions {
  format: LintFormat;
  kubernetesVersion: string;
  questionSteps?: number;
  totalSteps?: number;
  log?: string;
  inputFormat: AuditLogFormat | 'auto';
}

/** Adds `k8s-gen lint` to the program. */
export function register(program: Command): void {
  program
    .command('lint')
    .description('Find dead rules, credentials logged in bodies, wasted stages and version problems in audit policies.')
    .argument('<files...>', 'audit policy files (YAML or JSON); - reads standard input')
    .addOption(formatOption(['text', 'json', 'sarif'], 'text, json, or sarif (SARIF 2.1.0 for code scanning)'))
    .addOption(kubernetesVersionOption('apiserver release to check against, e.g. 1.22'))
    .option('--question-steps <n>', `search steps one question about a rule may take before it is reported as analysis-cut-short (default: ${DEFAULT_QUESTION_STEPS})`, positiveInteger)
    .option('--total-steps <n>', `search steps a whole policy may take (default: ${DEFAULT_TOTAL_STEPS})`, positiveInteger)
    .option('--log <file>', 'also check each policy against the requests of this audit log (the apiserver\'s, or an EKS, GKE or AKS export): rules no request reaches, group rules on a log without groups')
    .addOption(inputFormatOption())
    .addHelpText(
      'after',
      `
A finding of severity error, or a file that is not a valid policy, makes the exit code 1.

Examples:
  $ k8s-gen lint audit-policy.yaml
  $ k8s-gen lint policies/*.yaml --kubernetes-version 1.22 --format sarif > lint.sarif
  $ k8s-gen lint audit-policy.yaml --log gke-audit.json --input-format gke
  $ kubectl get cm audit-policy -o jsonpath='{.data.policy\\.yaml}' | k8s-gen lint -`,
    )
    .action(async (files: string[], options: LintOptions) => {
      const linted: LintedFile[] = [];
      let exitCode: number = EXIT_CODES.clean;
      if (options.log !== undefined) await auditLogSize(options.log);
      let formatReported = false;
      for (const file of files) {
        let read;
        try {
          read = await readPolicyFile(file, options.kubernetesVersion);
        } catch (error) {
          if (!(error instanceof CliError)) throw error;
          reportError(error);
          exitCode = Math.max(exitCode, error.exitCode);
          continue;
        }
        const lintOptions = {
          kubernetesVersion: options.kubernetesVersion,
          ...(options.questionSteps !== undefined ? { questionSteps: options.questionSteps } : {}),
          ...(options.totalSteps !== undefined ? { totalSteps: options.totalSteps } : {}),
        };
        let findings: LintFinding[];
        const log = options.log;
        if (log === undefined) findings = lint(read.policy, lintOptions);
        else {
          const result = await readingAuditLog(log, () => lintLog(read.policy, log, { ...lintOptions, format: options.inputFormat }));
          // The log is the same for every policy: what was read of it is said once.
          if (!formatReported) reportAuditLogFormat(log, result.format);
          formatReported = true;
          findings = result.findings;
        }
        // The positions of the paths the findings name, from the parser's own map of the file.
        const sourceMap: Record<string, SourcePosition> = {};
        for (const finding of findings) {
          const position = read.locate(finding.path);
          if (position !== undefined) sourceMap[finding.path] = position;
        }
        linted.push({ file: file === '-' ? '<stdin>' : file, findings, sourceMap });
        if (findings.some((finding) => finding.severity === 'error')) exitCode = Math.max(exitCode, EXIT_CODES.findings);
      }
      if (linted.length > 0) process.stdout.write(terminalText(formatLintFiles(linted, options.format, { toolVersion: version }), options.format));
      process.exitCode = exitCode;
    });
}

// `k8s-gen check`: the audit items of the CIS Kubernetes Benchmark (by version) and the DISA STIG,
// judged on an apiserver's flags and its policy. A thin shell over the engine's checkCompliance.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { checkCompliance, COMPLIANCE_BENCHMARKS, DEFAULT_COMPLIANCE_BENCHMARK, formatComplianceReport, readApiserverArgs, type LintFormat } from '@k8s-gen/engine';
import type { Policy } from '@k8s-gen/audit';
import { readInputFile } from '@k8s-gen/yaml';
import { formatOption, kubernetesVersionOption } from '../options.js';
import { CliError, EXIT_CODES, formatProblem, terminalText } from '../output.js';
import { version } from '../version.js';
import { readPolicyFile } from './policy-file.js';

interface CheckOptions {
  policy?: string;
  benchmark: string;
  kubernetesVersion: string;
  format: LintFormat;
}

/** The flags file and policy a synthesized target folder holds. */
const TARGET_FLAGS = 'apiserver-flags.txt';
const TARGET_POLICY = 'audit-policy.yaml';

/** Registers `k8s-gen check`. */
export function register(program: Command): void {
  program
    .command('check')
    .description("Check an apiserver's audit set-up against the CIS Kubernetes Benchmark (by version) or the DISA STIG: log path, retention, rotation, policy file and the policy's content.")
    .argument('<source>', `the apiserver's flags: a flags file, the static Pod manifest (kube-apiserver.yaml), a kubeadm ClusterConfiguration, a JSON patch, or a synthesized target folder (its ${TARGET_FLAGS} and ${TARGET_POLICY})`)
    .option('--policy <file>', 'the audit policy the flags name, to check its content (item 3.2.2) with explain probes')
    .addOption(new Option('--benchmark <name>', 'benchmark version, named as kube-bench names them').choices(Object.keys(COMPLIANCE_BENCHMARKS)).default(DEFAULT_COMPLIANCE_BENCHMARK))
    .addOption(kubernetesVersionOption('apiserver release (defaults and the meaning of 0 differ from 1.36; a patch release decides the union trap on 1.22-1.24)', { oldest: 8 }))
    .addOption(formatOption(['text', 'json', 'sarif'], 'text, json, or sarif (SARIF 2.1.0 for code scanning)'))
    .addHelpText(
      'after',
      `
An item that fails, or a flag the apiserver refuses (the union trap included), makes the exit code 1.
Item numbers follow the benchmark version: --audit-log-path is 1.2.22 in cis-1.6 and 1.2.16 in cis-1.9.

Examples:
  $ k8s-gen check /etc/kubernetes/manifests/kube-apiserver.yaml --policy /etc/kubernetes/audit-policy.yaml --kubernetes-version 1.30.2
  $ k8s-gen check dist/audit --benchmark cis-1.6 --kubernetes-version 1.20
  $ k8s-gen check kubeadm-config.yaml --benchmark stig --format sarif > audit-compliance.sarif`,
    )
    .action(async (source: string, options: CheckOptions) => {
      let flagsFile = source;
      let policyFile = options.policy;
      let isFolder = false;
      try {
        isFolder = statSync(source).isDirectory();
      } catch (error) {
        throw new CliError(`cannot read ${source}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'give the flags file, the manifest, the kubeadm configuration or a synthesized target folder', EXIT_CODES.usage);
      }
      if (isFolder) {
        flagsFile = join(source, TARGET_FLAGS);
        if (policyFile === undefined) {
          try {
            statSync(join(source, TARGET_POLICY));
            policyFile = join(source, TARGET_POLICY);
          } catch {
            // A target without a policy: the content item stays manual.
          }
        }
      }
      const read = await readInputFile(flagsFile);
      if (!read.ok) throw new CliError(`cannot read ${flagsFile} (${read.systemError ?? read.problem.message})`, isFolder ? `a synthesized target holds ${TARGET_FLAGS}; synthesize it first` : 'check the path', EXIT_CODES.usage);
      const args = readApiserverArgs(new TextDecoder().decode(read.bytes), flagsFile);
      for (const problem of args.problems) process.stderr.write(`${formatProblem(problem)}\n`);
      if (args.problems.some((problem) => problem.severity === 'error')) throw new CliError(`no apiserver flags could be read from ${flagsFile}`, 'see the problem above', EXIT_CODES.usage);
      let policy: Policy | undefined;
      if (policyFile !== undefined) policy = (await readPolicyFile(policyFile, options.kubernetesVersion)).policy;
      const report = checkCompliance({ args: args.args, ...(policy !== undefined ? { policy } : {}), kubernetesVersion: options.kubernetesVersion, benchmark: options.benchmark });
      process.stdout.write(terminalText(formatComplianceReport(report, options.format, { file: flagsFile, ...(policyFile !== undefined ? { policyFile } : {}), toolVersion: version }), options.format));
      const failed = report.findings.some((finding) => finding.status === 'fail') || report.problems.some((problem) => problem.severity === 'error');
      process.exitCode = failed ? EXIT_CODES.findings : EXIT_CODES.clean;
    });
}

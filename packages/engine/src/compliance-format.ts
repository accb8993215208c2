/** A compliance report as text, JSON or SARIF 2.1.0, the formats of lint. */
import { summarizeProblems } from '@k8s-gen/runtime';
import type { ComplianceReport } from './compliance.js';
import type { LintFormat } from './lint-format.js';
import { requestLabel } from './requirement-check.js';

const SARIF_LEVELS = { error: 'error', warning: 'warning', info: 'note' } as const;

/**
 * Formats a compliance report. Text lists each item with its status, the flag problems (the union
 * trap among them) and, for the policy content, each requirement with its probe; SARIF has one
 * result per item that is not a pass, with the benchmark item as the rule id.
 *
 * @example
 * ```ts
 * process.stdout.write(formatComplianceReport(checkCompliance({ args: ['--audit-log-path=-'] }), 'text', { file: 'flags.txt' }));
 * ```
 */
export function formatComplianceReport(report: ComplianceReport, format: LintFormat, options: { file?: string; policyFile?: string; toolVersion?: string } = {}): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  if (format === 'text') {
    const lines = [`${report.title} (${report.benchmark}), Kubernetes ${report.kubernetesVersion}${options.file ? `: ${options.file}` : ''}`];
    for (const finding of report.findings) {
      lines.push(`  ${finding.status.toUpperCase().padEnd(14)} ${finding.control.padEnd(9)} ${finding.path}: ${finding.message}`);
      if (finding.status !== 'pass' && finding.status !== 'not-applicable') lines.push(`  ${' '.repeat(25)}fix: ${finding.fix}`);
      for (const verdict of finding.verdicts ?? []) {
        const probe = verdict.probe;
        lines.push(`  ${' '.repeat(25)}${verdict.met ? 'met' : 'NOT MET'} ${verdict.requirement.id}${probe ? `: probe ${requestLabel(probe.request)} -> ${probe.explanation.result.ruleIndex === undefined ? 'no rule' : `rules[${probe.explanation.result.ruleIndex}]`}, ${probe.reason}` : ''}`);
      }
    }
    if (report.problems.length > 0) {
      lines.push('', 'Flag problems (from the apiserver flag model):');
      for (const problem of report.problems) lines.push(`  ${problem.path}: ${problem.severity} [${problem.code}] ${problem.message}`, `    fix: ${problem.fix}`);
    }
    const count = (status: string): number => report.findings.filter((finding) => finding.status === status).length;
    lines.push('', `${count('pass')} pass, ${count('fail')} fail, ${count('warn')} warn, ${count('manual')} manual, ${count('not-applicable')} not applicable${report.problems.length > 0 ? `; flags: ${summarizeProblems(report.problems)}` : ''}`);
    return `${lines.join('\n')}\n`;
  }
  const results = [
    ...report.findings
      .filter((finding) => finding.status !== 'pass' && finding.status !== 'not-applicable')
      .map((finding) => ({
        ruleId: `${report.benchmark}/${finding.control}`,
        level: SARIF_LEVELS[finding.severity],
        message: { text: `${finding.message} Fix: ${finding.fix}` },
        locations: [{ ...(finding.code === 'audit-policy-content' && options.policyFile ? { physicalLocation: { artifactLocation: { uri: options.policyFile } } } : options.file ? { physicalLocation: { artifactLocation: { uri: options.file } } } : {}), logicalLocations: [{ fullyQualifiedName: finding.path, kind: 'member' }] }],
        properties: { status: finding.status, code: finding.code, fix: finding.fix },
      })),
    ...report.problems.map((problem) => ({
      ruleId: problem.code,
      level: SARIF_LEVELS[problem.severity],
      message: { text: `${problem.message} Fix: ${problem.fix}` },
      locations: [{ ...(options.file ? { physicalLocation: { artifactLocation: { uri: options.file } } } : {}), logicalLocations: [{ fullyQualifiedName: problem.path === '' ? '(flags)' : problem.path, kind: 'member' }] }],
      properties: { fix: problem.fix },
    })),
  ];
  const ruleIds = [...new Set(results.map((result) => result.ruleId))].sort();
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'k8s-gen check', ...(options.toolVersion !== undefined ? { version: options.toolVersion } : {}), rules: ruleIds.map((id) => ({ id })) } }, results: results.map((result) => ({ ...result, ruleIndex: ruleIds.indexOf(result.ruleId) })) }],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

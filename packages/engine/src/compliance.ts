/**
 * Compliance checks that know the apiserver: the audit items of the CIS Kubernetes Benchmark (by
 * benchmark version, whose item numbers move between releases) and their DISA STIG equivalents,
 * judged on what the flags really do in the Kubernetes release (defaults and the meaning of 0 come
 * from `@k8s-gen/apiserver`'s flag model), with the policy's content checked exactly against the
 * `cis` requirements profile and explained with probes.
 */
import { AUDIT_FLAGS_RANGE, checkAuditSettings, effectiveLogRotation, readAuditFlags, type AuditSettings } from '@k8s-gen/apiserver';
import type { Policy } from '@k8s-gen/audit';
import { parseKubernetesVersion, unsafeCharacterIn, type Problem } from '@k8s-gen/runtime';
import { LATEST_KUBERNETES_VERSION } from './evaluate.js';
import { checkRequirements, type RequirementVerdict } from './requirement-check.js';
import { profileRequirements } from './requirement-profiles.js';
import { describeBounds } from './requirement.js';

/** The audit items a benchmark version checks, by what they check. */
export interface BenchmarkItems {
  readonly title: string;
  readonly logPath: readonly string[];
  readonly maxAge: readonly string[];
  readonly maxBackup: readonly string[];
  readonly maxSize: readonly string[];
  readonly policyFile: readonly string[];
  readonly policyContent: readonly string[];
}

const cis = (version: string, first: number): BenchmarkItems => ({
  title: `CIS Kubernetes Benchmark ${version}`,
  logPath: [`1.2.${first}`],
  maxAge: [`1.2.${first + 1}`],
  maxBackup: [`1.2.${first + 2}`],
  maxSize: [`1.2.${first + 3}`],
  policyFile: ['3.2.1'],
  policyContent: ['3.2.2'],
});

/**
 * The benchmarks `checkCompliance` knows, by the names kube-bench gives them. The CIS releases
 * number the four log flag items differently (1.2.22-1.2.25 in 1.5 and 1.6, 1.2.16-1.2.19 from
 * 1.9); the policy items are 3.2.1 and 3.2.2 throughout. `stig` is the DISA Kubernetes STIG, by
 * the rule ids kube-bench lists; its V-242403 ("must generate audit records") is judged with the
 * content check of CIS 3.2.2, since the STIG's own check text was not at hand.
 */
export const COMPLIANCE_BENCHMARKS: Readonly<Record<string, BenchmarkItems>> = {
  'cis-1.5': cis('v1.5.1', 22),
  'cis-1.6': cis('v1.6.0', 22),
  'cis-1.20': cis('for Kubernetes 1.20', 21),
  'cis-1.23': cis('for Kubernetes 1.23', 19),
  'cis-1.24': cis('for Kubernetes 1.24', 18),
  'cis-1.7': cis('v1.7.0', 18),
  'cis-1.8': cis('v1.8.0', 17),
  'cis-1.9': cis('v1.9.0', 16),
  'cis-1.10': cis('v1.10.0', 16),
  'cis-1.11': cis('v1.11.0', 16),
  'cis-1.12': cis('v1.12.0', 16),
  stig: { title: 'DISA Kubernetes STIG', logPath: ['V-242402', 'V-242465'], maxAge: ['V-242464'], maxBackup: ['V-242463'], maxSize: ['V-242462'], policyFile: ['V-242461'], policyContent: ['V-242403'] },
};

/** The newest CIS benchmark known, the default. */
export const DEFAULT_COMPLIANCE_BENCHMARK = 'cis-1.12';

/** How one item came out. */
export type ComplianceStatus = 'pass' | 'warn' | 'fail' | 'not-applicable' | 'manual';

/** One benchmark item judged. */
export interface ComplianceFinding {
  /** The item number in the benchmark, e.g. `1.2.17` or `V-242464`. */
  readonly control: string;
  readonly status: ComplianceStatus;
  /** error for fail, warning for warn, info otherwise (as lint's findings). */
  readonly severity: 'error' | 'warning' | 'info';
  /** What is checked: `audit-log-path`, `audit-log-maxage`, ..., `audit-policy-content`. */
  readonly code: string;
  /** The flag (`--audit-log-maxage`) or the policy path the item is about. */
  readonly path: string;
  readonly message: string;
  readonly fix: string;
  /** For the policy content: each requirement decided exactly, with its probe. */
  readonly verdicts?: readonly RequirementVerdict[];
}

/** What {@link checkCompliance} reads. */
export interface ComplianceInput {
  /** The apiserver's arguments (see `readApiserverArgs` for the files that hold them). */
  readonly args: readonly string[];
  /** The policy the flags name, when it was given; without it the content item is manual. */
  readonly policy?: Policy;
  /** The apiserver release; a patch number decides the union trap on 1.22-1.24. Default the newest. */
  readonly kubernetesVersion?: string;
  /** A key of {@link COMPLIANCE_BENCHMARKS}; default {@link DEFAULT_COMPLIANCE_BENCHMARK}. */
  readonly benchmark?: string;
}

/** What {@link checkCompliance} found. */
export interface ComplianceReport {
  readonly benchmark: string;
  readonly title: string;
  readonly kubernetesVersion: string;
  readonly findings: ComplianceFinding[];
  /**
   * The apiserver flag model's problems with the flags themselves (what the apiserver refuses,
   * the union-backend trap), with `args[i]` or setting paths.
   */
  readonly problems: Problem[];
}

const SEVERITY: Record<ComplianceStatus, ComplianceFinding['severity']> = { pass: 'info', warn: 'warning', fail: 'error', 'not-applicable': 'info', manual: 'warning' };

/**
 * Judges the audit items of a benchmark on an apiserver's arguments and its policy. Never throws:
 * an unknown benchmark or version is a problem. Rotation items are judged on what the release
 * does with the values (unset maxage and maxbackup keep everything before 1.36 and are 366 days
 * and 100 files from 1.36; maxsize 0 rotates at 100 MiB before 1.36 and never from 1.36); a log
 * written to stdout (`-`) is never rotated; a webhook-only set-up audits without a log file.
 *
 * @example
 * ```ts
 * const report = checkCompliance({ args: ['--audit-policy-file=/etc/kubernetes/audit-policy.yaml', '--audit-log-path=/var/log/audit.log', '--audit-log-maxage=7'], kubernetesVersion: '1.30', benchmark: 'cis-1.9' });
 * report.findings.find((finding) => finding.control === '1.2.17')?.status; // 'fail'
 * ```
 */
export function checkCompliance(input: ComplianceInput): ComplianceReport {
  const benchmark = input.benchmark ?? DEFAULT_COMPLIANCE_BENCHMARK;
  const versionText = input.kubernetesVersion ?? LATEST_KUBERNETES_VERSION;
  const items = COMPLIANCE_BENCHMARKS[benchmark];
  const parsed = parseKubernetesVersion(versionText, AUDIT_FLAGS_RANGE);
  const problems: Problem[] = [];
  if (items === undefined) problems.push({ severity: 'error', code: 'unknown-benchmark', path: 'benchmark', message: `${JSON.stringify(benchmark.slice(0, 40))} is not a benchmark k8s-gen knows`, fix: `use one of ${Object.keys(COMPLIANCE_BENCHMARKS).join(', ')}` });
  if (!parsed.ok) problems.push({ severity: 'error', code: 'kubernetes-version', path: 'kubernetesVersion', message: parsed.message, fix: parsed.fix });
  if (items === undefined || !parsed.ok) return { benchmark, title: items?.title ?? benchmark, kubernetesVersion: versionText, findings: [], problems };
  const version = parsed.version;
  const read = readAuditFlags(input.args, version);
  problems.push(...read.problems);
  const settings = read.settings;
  // The model's start-up checks, the union-backend trap among them.
  problems.push(...checkAuditSettings(settings, version).filter((problem) => problem.code !== 'no-policy'));

  const findings: ComplianceFinding[] = [];
  const add = (controls: readonly string[], status: ComplianceStatus, code: string, path: string, message: string, fix: string, verdicts?: RequirementVerdict[]): void => {
    for (const control of controls) findings.push({ control, status, severity: SEVERITY[status], code, path, message, fix, ...(verdicts ? { verdicts } : {}) });
  };
  judgeLogPath(settings, items, add, problems.some((problem) => problem.code === 'union-log-never-started' && problem.severity === 'error'));
  judgeRotation(settings, version.minor, items, add);
  judgePolicy(settings, input.policy, versionText, items, add);
  return { benchmark, title: items.title, kubernetesVersion: versionText, findings, problems };
}

/** A path from the flags, safe to print: quoted when it holds anything unusual, cut to 120 characters. */
function shownPath(path: string): string {
  const cut = path.length > 120 ? `${path.slice(0, 117)}...` : path;
  return unsafeCharacterIn(cut, { allowWhiteSpace: false }) === undefined ? cut : JSON.stringify(cut);
}

type Add = (controls: readonly string[], status: ComplianceStatus, code: string, path: string, message: string, fix: string, verdicts?: RequirementVerdict[]) => void;

function judgeLogPath(settings: AuditSettings, items: BenchmarkItems, add: Add, neverStarted: boolean): void {
  const path = settings.log?.path;
  const flag = '--audit-log-path';
  if (path !== undefined && neverStarted) {
    add(items.logPath, 'fail', 'audit-log-path', flag, `set, but in this release the batch-mode log beside another backend is never started, so ${path === '-' ? 'stdout' : shownPath(path)} is never written (union-log-never-started below)`, 'use --audit-log-mode=blocking while the webhook is on, or upgrade (see the flag problem)');
    return;
  }
  if (path === '-') add(items.logPath, 'warn', 'audit-log-path', flag, 'the log goes to stdout (-): audited, but into the container log, which the apiserver never rotates; the benchmark asks for a log file', 'set --audit-log-path to a file such as /var/log/kubernetes/audit/audit.log');
  else if (path !== undefined) add(items.logPath, 'pass', 'audit-log-path', flag, `the log is written to ${shownPath(path)}`, 'nothing to do');
  else if (settings.webhook !== undefined) add(items.logPath, 'warn', 'audit-log-path', flag, 'no log path: events go to the webhook only, so the cluster audits, but the benchmark asks for a log file', 'add --audit-log-path if the benchmark must pass as written, or record the webhook as the compensating control');
  else add(items.logPath, 'fail', 'audit-log-path', flag, 'no --audit-log-path and no webhook: no audit event is written anywhere', 'set --audit-log-path=/var/log/kubernetes/audit/audit.log');
}

function judgeRotation(settings: AuditSettings, minor: number, items: BenchmarkItems, add: Add): void {
  const log = settings.log;
  const checks = [
    { controls: items.maxAge, flag: 'maxage', key: 'maxAge', minimum: 30, unit: 'days' },
    { controls: items.maxBackup, flag: 'maxbackup', key: 'maxBackup', minimum: 10, unit: 'files' },
    { controls: items.maxSize, flag: 'maxsize', key: 'maxSize', minimum: 100, unit: 'MiB' },
  ] as const;
  for (const check of checks) {
    const flag = `--audit-log-${check.flag}`;
    const code = `audit-log-${check.flag}`;
    const fix = `set ${flag}=${check.minimum} or more`;
    if (log === undefined) {
      add(check.controls, settings.webhook !== undefined ? 'not-applicable' : 'fail', code, flag, settings.webhook !== undefined ? 'no log file to rotate: events go to the webhook only' : 'no log file, so nothing is kept', settings.webhook !== undefined ? 'nothing to do for the webhook; add a log file to meet the item as written' : 'set --audit-log-path first');
      continue;
    }
    const rotation = effectiveLogRotation(log, minor);
    const given = log[check.key];
    if (log.path === '-') {
      add(check.controls, 'warn', code, flag, `the log goes to stdout, which is never rotated: ${flag} has no effect and retention is the container runtime's`, 'write the log to a file');
      continue;
    }
    if (!rotation.rotates) {
      add(check.controls, 'fail', code, flag, '--audit-log-maxsize=0 disables rotation from Kubernetes 1.36: one file grows forever and no rotated file is kept', 'set --audit-log-maxsize=100 (and maxage/maxbackup)');
      continue;
    }
    const effective = check.key === 'maxAge' ? rotation.maxAgeDays : check.key === 'maxBackup' ? rotation.maxBackups : rotation.maxSizeMiB;
    if (effective === undefined) {
      // Unset (or 0) keeps every rotated file forever, which retains at least the minimum.
      add(check.controls, 'warn', code, flag, `${given === undefined ? 'not set' : `${given}`}: in Kubernetes 1.${minor} rotated files are then kept without limit, which meets ${check.minimum} ${check.unit} in effect until the disk fills, but the benchmark asks for the flag`, fix);
    } else if (effective < check.minimum) {
      add(check.controls, 'fail', code, flag, `${check.key === 'maxSize' ? 'rotates at' : 'keeps'} ${effective} ${check.unit}${given === undefined ? ' (the default)' : ''}, below ${check.minimum}`, fix);
    } else if (given === undefined || (check.key === 'maxSize' && given === 0)) {
      add(check.controls, minor >= 36 ? 'pass' : 'warn', code, flag, `${given === undefined ? 'not set' : '0'}: Kubernetes 1.${minor} uses ${effective} ${check.unit}${minor >= 36 ? '' : ' (0 rotates at the library default; from 1.36 it disables rotation), so set it explicitly'}`, minor >= 36 ? 'nothing to do' : fix);
    } else add(check.controls, 'pass', code, flag, `${effective} ${check.unit}`, 'nothing to do');
  }
}

function judgePolicy(settings: AuditSettings, policy: Policy | undefined, kubernetesVersion: string, items: BenchmarkItems, add: Add): void {
  const file = settings.policyFile;
  if (file === undefined) {
    add(items.policyFile, 'fail', 'audit-policy-file', '--audit-policy-file', 'no --audit-policy-file: the apiserver audits nothing, whatever the backends', 'set --audit-policy-file=/etc/kubernetes/audit-policy.yaml');
    add(items.policyContent, 'fail', 'audit-policy-content', '--audit-policy-file', 'no policy, so nothing is recorded', 'write a policy: k8s-gen suggest --profile cis writes one');
    return;
  }
  if (policy === undefined) {
    add(items.policyFile, 'pass', 'audit-policy-file', '--audit-policy-file', `the policy is read from ${shownPath(file)}`, 'nothing to do');
    add(items.policyContent, 'manual', 'audit-policy-content', '--audit-policy-file', `the content of ${shownPath(file)} was not given, so it is not checked`, 'pass the policy file (--policy) to check it');
    return;
  }
  const logs = policy.rules.some((rule) => rule.level !== 'None');
  add(items.policyFile, logs ? 'pass' : 'fail', 'audit-policy-file', '--audit-policy-file', logs ? `the policy is read from ${shownPath(file)}` : `${shownPath(file)} logs nothing: every rule is at level None`, logs ? 'nothing to do' : 'add rules above None');
  const verdicts = checkRequirements(policy, profileRequirements('cis', { kubernetesVersion }), { kubernetesVersion });
  // The floor is "most requests" in the benchmark: missing it is a warning, anything else a failure.
  const failed = verdicts.filter((verdict) => !verdict.met && !verdict.requirement.floor);
  const floor = verdicts.filter((verdict) => !verdict.met && verdict.requirement.floor);
  const describe = (list: RequirementVerdict[]): string => list.map((verdict) => `${verdict.requirement.id} (${describeBounds(verdict.requirement)}${verdict.violation ? `: ${verdict.violation.ruleIndex === undefined ? 'no rule' : `rules[${verdict.violation.ruleIndex}]`} gives ${verdict.violation.level}` : ''})`).join(', ');
  if (failed.length > 0) add(items.policyContent, 'fail', 'audit-policy-content', 'policy', `the policy misses ${describe(failed)}`, 'k8s-gen suggest --profile cis writes a policy that meets them', verdicts);
  else if (floor.length > 0) add(items.policyContent, 'warn', 'audit-policy-content', 'policy', `every named concern is met, but not every request is logged at Metadata or above (${describe(floor)}); the benchmark asks for "most requests"`, 'check the requests the policy drops are ones you can do without', verdicts);
  else add(items.policyContent, 'pass', 'audit-policy-content', 'policy', `all ${verdicts.length} requirements of the cis profile are met, each decided exactly`, 'nothing to do', verdicts);
}

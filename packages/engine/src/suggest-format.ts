/**
 * The proof of a suggested policy as text: what the input could measure, the cost before and
 * after, lint's verdict, and one explained probe per requirement.
 */
import { describeBounds } from './requirement.js';
import { formatBytes } from './format.js';
import { requestLabel, type RequirementVerdict } from './requirement-check.js';
import type { SuggestResult } from './suggest.js';

/** The size change from `before` to `after`, e.g. `-72.6%`. */
function change(before: number, after: number): string {
  if (before === 0) return after === 0 ? '0%' : '+inf';
  const ratio = (100 * (after - before)) / before;
  return `${ratio > 0 ? '+' : ''}${ratio.toFixed(1)}%`;
}

/** One verdict as a line: whether it is met, its bounds, and the probe explained. */
function verdictLine(verdict: RequirementVerdict): string[] {
  const requirement = verdict.requirement;
  const head = `  ${verdict.met ? 'met' : verdict.cutShort ? 'UNDECIDED' : 'NOT MET'}  ${requirement.id}: ${describeBounds(requirement)}${requirement.stages ? ` with ${requirement.stages.join(', ')}` : ''}`;
  const lines = [head, `       ${requirement.description}`];
  if (verdict.cappedBy.length > 0) lines.push(`       lowered by ${verdict.cappedBy.join(', ')}${verdict.entirelyCapped ? ' for every request it covers' : ' for some requests'} (a lower upper bound wins)`);
  const probe = verdict.probe;
  if (probe !== undefined) {
    const rule = probe.explanation.result.ruleIndex === undefined ? 'no rule' : `rules[${probe.explanation.result.ruleIndex}]`;
    const what = probe.sample !== undefined ? `${probe.sample.label} (${probe.sample.requests} in the log)` : `${requestLabel(probe.request)} (made up: none in the log)`;
    lines.push(`       probe: ${what} -> ${rule}, ${probe.reason}${probe.met ? '' : ' FAILS'}`);
  }
  if (verdict.violation !== undefined) {
    const violation = verdict.violation;
    lines.push(`       counterexample: ${violation.ruleIndex === undefined ? 'no rule' : `rules[${violation.ruleIndex}]`} logs a covered request at ${violation.level}, expected ${violation.expected}`);
  }
  return lines;
}

/**
 * The proof shipped with a suggested policy, as text: input and its limits, requirement problems,
 * cost before and after, lint, each requirement with its explained probe, and the largest traffic
 * only a floor keeps (with the `--keep` that would drop it).
 *
 * @example
 * ```ts
 * const result = await suggestPolicy({ log: 'audit.log', requirements: profileRequirements('cis') });
 * process.stderr.write(formatSuggestProof(result, 'audit.log'));
 * ```
 */
export function formatSuggestProof(result: SuggestResult, logName: string): string {
  const lines: string[] = [];
  const input = result.input;
  if (input !== undefined) {
    const levels = Object.entries(input.levels)
      .filter(([, count]) => count > 0)
      .map(([level, count]) => `${level} ${count}`)
      .join(', ');
    lines.push(`Input ${logName}: ${input.events} events of ${input.requests} requests${levels === '' ? '' : ` (written at ${levels})`}${input.badLines > 0 ? `, ${input.badLines} unreadable lines skipped` : ''}.`);
    for (const limit of input.limits) lines.push(`  limit: ${limit}`);
  }
  for (const problem of result.problems) lines.push(`${problem.severity} [${problem.code}] ${problem.path}: ${problem.message}`, `  fix: ${problem.fix}`);
  const proof = result.proof;
  if (proof !== undefined) {
    const estimated = proof.after.estimated ? '~' : '';
    lines.push(
      '',
      `Cost (k8s-gen cost on the input):`,
      `  before: ${proof.before.events} events, ${formatBytes(proof.before.bytes)} (${proof.before.label})`,
      `  after:  ${proof.after.events} events, ${estimated}${formatBytes(proof.after.bytes)} (${change(proof.before.bytes, proof.after.bytes)} bytes, ${change(proof.before.events, proof.after.events)} events)`,
      '',
      proof.lint.length === 0 ? 'Lint: no findings.' : `Lint: ${proof.lint.length} findings (${proof.lint.map((finding) => `${finding.code} at ${finding.path}`).join('; ')}).`,
      '',
      `Requirements (${proof.verdicts.filter((verdict) => verdict.met).length} of ${proof.verdicts.length} met, each decided over every request it covers; the probe is one such request explained):`,
    );
    for (const verdict of proof.verdicts) lines.push(...verdictLine(verdict));
  }
  if (result.floorTraffic.length > 0) {
    lines.push('', 'Largest traffic that only a floor keeps (drop it with the --keep shown, if you can do without it):');
    for (const traffic of result.floorTraffic) lines.push(`  ${(100 * traffic.share).toFixed(1)}% of written events: ${traffic.label}${traffic.keep === undefined ? '' : `  --keep '${traffic.keep}'`}`);
  }
  return `${lines.join('\n')}\n`;
}

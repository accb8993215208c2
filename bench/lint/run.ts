// Benchmark: `lint` on large policies, as a ratio to `validate` (@k8s-gen/audit) on the same
// policy measured in the same run.
//
//   npm run build && npx tsx bench/lint/run.ts [--runs 3]
//   (without a build: npx tsx --conditions=@k8s-gen/source bench/lint/run.ts ...)
//
// For 1,000, 5,000 and 10,000 rules of two shapes (packages/engine/test/hostile/lint.ts): the
// team policy (blocks of rules naming one team's users, as an organisation writes them) and the
// mixed policy (six kinds of rules interleaved, each overlapping thousands of earlier ones), it
// times validate() and lint() (the best of --runs each, wall and CPU: CPU is steadier on a busy
// machine) and prints both and lint ÷ validate.
// Target: lint's ratio grows no faster than the rule count (10k rules in seconds).
import { parseArgs } from 'node:util';
import { validate, type Policy } from '@k8s-gen/audit';
import { lint } from '@k8s-gen/engine';
import { mixedPolicy, teamPolicy } from '../../test/hostile/engine/lint.js';

/** Best wall and CPU (user + system) times in milliseconds of `runs` calls, and the last result. */
function best<T>(runs: number, work: () => T): { ms: number; cpuMs: number; result: T } {
  let ms = Infinity;
  let cpuMs = Infinity;
  let result: T | undefined;
  for (let run = 0; run < runs; run++) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    result = work();
    ms = Math.min(ms, performance.now() - started);
    const used = process.cpuUsage(cpu);
    cpuMs = Math.min(cpuMs, (used.user + used.system) / 1000);
  }
  return { ms, cpuMs, result: result as T };
}

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
if (!(Number.isInteger(runs) && runs > 0)) throw new Error('--runs must be a whole number > 0');

const shapes: Record<string, (rules: number) => Policy> = {
  team: (rules) => teamPolicy({ rules }).policy,
  mixed: mixedPolicy,
};
// Warm up both (compilation of the hot paths), so the first size measured is not penalised.
best(1, () => lint(teamPolicy({ rules: 300 }).policy));
best(1, () => validate(teamPolicy({ rules: 300 }).policy));
const rows: string[] = [];
for (const [shape, build] of Object.entries(shapes)) {
  for (const size of [1000, 5000, 10000]) {
    const policy = build(size);
    const validated = best(runs, () => validate(policy));
    const linted = best(runs, () => lint(policy));
    const findings = linted.result;
    const cutShort = findings.filter((finding) => finding.code === 'analysis-cut-short').length;
    rows.push(
      `${shape} ${policy.rules.length} rules: validate ${validated.ms.toFixed(1)} ms wall ${validated.cpuMs.toFixed(1)} ms CPU (${validated.result.length} problems), ` +
        `lint ${linted.ms.toFixed(0)} ms wall ${linted.cpuMs.toFixed(0)} ms CPU (${findings.length} findings${cutShort > 0 ? `, ${cutShort} cut short` : ''}), ` +
        `lint/validate ${(linted.ms / validated.ms).toFixed(1)} wall ${(linted.cpuMs / validated.cpuMs).toFixed(1)} CPU`,
    );
  }
}
process.stdout.write(`${rows.join('\n')}\n`);

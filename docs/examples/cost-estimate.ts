// Explain, lint and cost: replay a recorded audit log against a candidate policy.
// Record a sample at RequestResponse level first (a policy with the single rule
// `- level: RequestResponse`), then pass that log's path as the first argument.
import { gceProductionPolicy } from '@k8s-gen/audit';
import { costReplay } from '@k8s-gen/engine';

const logFile = process.argv[2] ?? 'audit.log';

const report = await costReplay({
  policy: gceProductionPolicy().build(),
  log: logFile,
  kubernetesVersion: '1.20',
});

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
console.log(`read ${report.input.events} events of ${report.input.requests} requests`);
console.log(`recorded log:     ${report.log.events} events, ${mib(report.log.bytes)}`);
console.log(`candidate policy: ${report.candidate.events} events, ${mib(report.candidate.bytes)}`);
// A damaged log still gives a report: of what was read, with where and why reading stopped.
if (report.input.badLines > 0) console.log(`skipped ${report.input.badLines} bad line(s), first: ${report.input.badLineSamples[0]?.message}`);
if (report.input.stopped) console.log(`partial: reading stopped at line ${report.input.stopped.line} (${report.input.stopped.message})`);
for (const row of report.breakdowns.rule.rows.slice(0, 5)) {
  console.log(`  ${row.key.padEnd(12)} ${String(row.candidate.events).padStart(7)} events ${mib(row.candidate.bytes).padStart(10)}`);
}

// What the cost benchmarks (bench/cost, bench/cost-sql) share, so both measure the same work the
// same way: the large log built from the sample, the candidate policy, and one measurement per
// fresh process (so each peak RSS is its own).
import { spawnSync } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Policy } from '@k8s-gen/audit';
import { costReplay, readLogLines, type CostReport } from '@k8s-gen/engine';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The real RequestResponse log every benchmark log is built from. */
export const samplePath = path.resolve(repoRoot, '../shared/samples/audit-log-all-requestresponse.jsonl');

/** The candidate replayed in the benchmark: a typical "quiet the noise, keep the writes" policy. */
export const candidate: Policy = {
  apiVersion: 'audit.k8s.io/v1',
  kind: 'Policy',
  omitStages: ['RequestReceived'],
  rules: [
    { level: 'None', nonResourceURLs: ['/healthz*', '/version', '/readyz*', '/livez*'] },
    { level: 'None', users: ['system:kube-proxy'], verbs: ['watch'], resources: [{ group: '', resources: ['endpoints', 'services'] }] },
    { level: 'Metadata', resources: [{ group: '', resources: ['secrets', 'configmaps'] }] },
    { level: 'Metadata', verbs: ['get', 'list', 'watch'] },
    { level: 'Request', resources: [{ group: 'rbac.authorization.k8s.io' }] },
    { level: 'RequestResponse' },
  ],
};

/** Writes `targetBytes` of log by repeating the sample with a fresh auditID (same length) per copy. */
export async function buildLog(file: string, targetBytes: number): Promise<number> {
  const lines = readFileSync(samplePath, 'utf8').split('\n').filter(Boolean);
  const ids = lines.map((line) => (JSON.parse(line) as { auditID: string }).auditID);
  const out = createWriteStream(file);
  let written = 0;
  for (let copy = 0; written < targetBytes; copy += 1) {
    const suffix = copy.toString(16).padStart(12, '0');
    const chunk = lines.map((line, i) => line.replace(`"auditID":"${ids[i]!}"`, `"auditID":"${ids[i]!.slice(0, 24)}${suffix}"`)).join('\n') + '\n';
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return written;
}


/** Wall seconds, CPU seconds (user + system) and peak RSS of one measured run. */
export type Measurement = { seconds: number; cpuSeconds: number; maxRssBytes: number; detail?: string };

/**
 * Runs `script --child KIND FILE` in a fresh process with the same loader flags and returns the
 * measurement it prints as its last line.
 */
export function measureInChild(script: string, kind: string, file: string): Measurement {
  const result = spawnSync(process.execPath, [...process.execArgv, script, '--child', kind, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`child ${kind} failed (exit ${result.status}):\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Measurement;
}

/** Measures `work` in this process: wall and CPU seconds, peak RSS, and what it says it did. */
export async function measured(work: () => Promise<string>): Promise<Measurement> {
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const detail = await work();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  // maxRSS is in kilobytes.
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssBytes: process.resourceUsage().maxRSS * 1024, detail };
}

/** The floor: read the file line by line (the replay's own splitter) and JSON.parse every line, nothing else. */
export async function floorPass(file: string): Promise<string> {
  let parsed = 0;
  for await (const line of readLogLines(file)) {
    if (line.text !== undefined) JSON.parse(line.text);
    parsed += 1;
  }
  return `${parsed} lines`;
}

/** What a replay found, for the benchmark's line. */
export function replaySummary(report: CostReport): string {
  return `${report.input.events} events, candidate ${(report.candidate.bytes / report.log.bytes).toFixed(3)} of the log's bytes`;
}

/** The JavaScript replay (costReplay) of the candidate over the file. */
export async function jsReplay(file: string): Promise<string> {
  return replaySummary(await costReplay({ policy: candidate, log: file }));
}

/**
 * The entry of a benchmark script: with `--child KIND FILE`, measures that one run and prints it
 * (the parent reads it through {@link measureInChild}); otherwise runs the parent.
 */
export async function runBenchmark(child: (kind: string, file: string) => Promise<Measurement>, parent: () => Promise<void>): Promise<void> {
  const childAt = process.argv.indexOf('--child');
  if (childAt < 0) return parent();
  const result = await child(process.argv[childAt + 1]!, process.argv[childAt + 2]!);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

// Benchmark: `costReplay` throughput and memory on a large audit log, against baselines measured
// in the same run on the same file.
//
//   npm run build && npx tsx bench/cost/run.ts [--size 500] [--runs 1]
//   (without a build: npx tsx --conditions=@k8s-gen/source bench/cost/run.ts ...)
//
// 1. Builds two logs from the real sample (every line repeated with fresh auditIDs of the same
//    length) in a temp dir: a quarter of --size MB and --size MB.
// 2. For each log, in separate child processes (so each peak RSS is its own): the floor (read the
//    file line by line and JSON.parse every line, nothing else), jq filtering RequestResponse
//    events to {verb, user} (when jq is installed), and costReplay with a candidate policy that
//    mixes None, Metadata, Request and RequestResponse rules.
// 3. Prints MiB/s of each by wall time and by CPU time (user + system; steadier on a shared
//    machine), the ratios ours/floor and ours/jq, and peak RSS per size.
// Targets: ours ≥ 0.7 × floor, above jq, and peak RSS flat as the log grows.
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Policy } from '@k8s-gen/audit';
import { costReplay, readLogLines } from '@k8s-gen/engine';

const here = fileURLToPath(import.meta.url);
const repoRoot = path.resolve(path.dirname(here), '../..');
const samplePath = path.resolve(repoRoot, '../shared/samples/audit-log-all-requestresponse.jsonl');

/** The candidate replayed in the benchmark: a typical "quiet the noise, keep the writes" policy. */
const candidate: Policy = {
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

/** Wall seconds, CPU seconds (user + system) and peak RSS of one measured run. */
type Measurement = { seconds: number; cpuSeconds: number; maxRssBytes: number; detail?: string };

async function child(kind: string, file: string): Promise<Measurement> {
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  let detail = '';
  if (kind === 'floor') {
    let parsed = 0;
    for await (const line of readLogLines(file)) {
      JSON.parse(line.text);
      parsed += 1;
    }
    detail = `${parsed} lines`;
  } else if (kind === 'cost') {
    const report = await costReplay({ policy: candidate, log: file });
    detail = `${report.input.events} events, candidate ${(report.candidate.bytes / report.log.bytes).toFixed(3)} of the log's bytes`;
  } else {
    throw new Error(`unknown child ${kind}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  // maxRSS is in kilobytes.
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssBytes: process.resourceUsage().maxRSS * 1024, detail };
}

/** Runs one measurement in a fresh process (same loader flags) and returns what it reports. */
function measure(kind: string, file: string): Measurement {
  const result = spawnSync(process.execPath, [...process.execArgv, here, '--child', kind, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`child ${kind} failed (exit ${result.status}):\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Measurement;
}

/** Times jq on the file; CPU time and peak RSS come from GNU time when it is installed. */
function measureJq(file: string): Measurement | undefined {
  if (spawnSync('jq', ['--version']).status !== 0) return undefined;
  const program = 'select(.level=="RequestResponse") | {verb, user: .user.username}';
  const useTime = spawnSync('/usr/bin/time', ['-f', '%U %S %M', 'true']).status === 0;
  const started = performance.now();
  const result = useTime
    ? spawnSync('/usr/bin/time', ['-f', '%U %S %M', 'jq', '-c', program, file], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
    : spawnSync('jq', ['-c', program, file], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`jq failed: ${result.stderr}`);
  const [user, system, rssKb] = useTime ? result.stderr.trim().split('\n').at(-1)!.split(' ').map(Number) : [NaN, NaN, NaN];
  return { seconds, cpuSeconds: user! + system!, maxRssBytes: rssKb! * 1024 };
}

/** Writes `targetBytes` of log by repeating the sample with a fresh auditID (same length) per copy. */
async function buildLog(file: string, targetBytes: number): Promise<number> {
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

const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(0)} MiB`;

async function parent(): Promise<void> {
  const { values } = parseArgs({ options: { size: { type: 'string', default: '500' } }, allowPositionals: true });
  const largest = Number(values.size) * 1e6;
  if (!(largest > 0)) throw new Error('--size must be a positive number of megabytes');
  const work = mkdtempSync(path.join(tmpdir(), 'k8s-gen-bench-cost-'));
  try {
    const rows: string[] = [];
    const rss: Array<{ size: number; ours: number; floor: number }> = [];
    for (const target of [largest / 4, largest]) {
      const file = path.join(work, `audit-${Math.round(target / 1e6)}MB.log`);
      await buildLog(file, target);
      const size = statSync(file).size;
      const floor = measure('floor', file);
      const ours = measure('cost', file);
      const jq = measureJq(file);
      const rate = (m: Measurement): string => `${(size / 1048576 / m.seconds).toFixed(1)} MiB/s wall, ${(size / 1048576 / m.cpuSeconds).toFixed(1)} MiB/s CPU`;
      const ratio = (baseline: Measurement): string => `${(baseline.seconds / ours.seconds).toFixed(2)} wall, ${(baseline.cpuSeconds / ours.cpuSeconds).toFixed(2)} CPU`;
      rows.push(
        `log ${mib(size)}:`,
        `  floor (lines + JSON.parse): ${rate(floor)}, peak RSS ${mib(floor.maxRssBytes)}`,
        jq ? `  jq -c select RequestResponse: ${rate(jq)}${Number.isFinite(jq.maxRssBytes) ? `, peak RSS ${mib(jq.maxRssBytes)}` : ''}` : '  jq: not installed, skipped',
        `  costReplay: ${rate(ours)}, peak RSS ${mib(ours.maxRssBytes)} (${ours.detail})`,
        `  ours/floor: ${ratio(floor)} (target >= 0.7)${jq ? `; ours/jq: ${ratio(jq)} (target > 1)` : ''}`,
      );
      rss.push({ size, ours: ours.maxRssBytes, floor: floor.maxRssBytes });
      rmSync(file);
    }
    const [small, large] = rss as [(typeof rss)[0], (typeof rss)[0]];
    rows.push(`memory: costReplay peak RSS ${mib(small.ours)} at ${mib(small.size)} vs ${mib(large.ours)} at ${mib(large.size)} (ratio ${(large.ours / small.ours).toFixed(2)}, flat means ~1)`);
    process.stdout.write(`${rows.join('\n')}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) {
  const result = await child(process.argv[childAt + 1]!, process.argv[childAt + 2]!);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  await parent();
}

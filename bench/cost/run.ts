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
// Targets: ours ≥ 0.9 × floor, above jq, and peak RSS flat as the log grows.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildLog, floorPass, jsReplay, measured, measureInChild, runBenchmark, type Measurement } from './replay-bench.js';

const here = fileURLToPath(import.meta.url);

async function child(kind: string, file: string): Promise<Measurement> {
  if (kind === 'floor') return measured(() => floorPass(file));
  if (kind === 'cost') return measured(() => jsReplay(file));
  throw new Error(`unknown child ${kind}`);
}

const measure = (kind: string, file: string): Measurement => measureInChild(here, kind, file);

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
        `  ours/floor: ${ratio(floor)} (target >= 0.9)${jq ? `; ours/jq: ${ratio(jq)} (target > 1)` : ''}`,
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

await runBenchmark(child, parent);

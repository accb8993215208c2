// Benchmark: k8s-gen's generator and type-check cost against cdk8s's, measured in the same run.
//
//   npm run build && npx tsx bench/generate/run.ts [--runs 5] [--spec path/to/definitions.json]
//
// 1. Generation: `k8s-gen import core` and `cdk8s import k8s@<version>` both read the same spec
//    from the same local HTTP server; we print the median wall time of each and the ratio.
// 2. Type-check cost: `tsc --noEmit` on a small program using @k8s-gen/audit and @k8s-gen/core
//    (its per-kind entry `@k8s-gen/core/v1/Pod`, the import the core README recommends),
//    and on the same program written with cdk8s's generated k8s.ts; the cost of each is its time
//    minus the time of an empty program with the same settings. We print the ratio.
// Targets (issue 2): generation at most 0.5 of cdk8s's time; type-check cost at most 0.25.
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from '../median.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    spec: { type: 'string', default: path.resolve(repoRoot, '../shared/specs/kubernetes-v1.36.0.definitions.json') },
    'k8s-version': { type: 'string', default: '1.36.0' },
  },
});
const runs = Number(args.runs);
const specFile = path.resolve(args.spec);
const work = path.join(repoRoot, 'bench', 'results', 'generate');

/**
 * Runs a command to completion and returns its wall time in milliseconds; fails loudly.
 * Asynchronous on purpose: the spec server lives in this process and must keep answering.
 */
function timed(command: string, commandArgs: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  const started = performance.now();
  const child = spawn(command, commandArgs, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('close', (code) => {
      const elapsed = performance.now() - started;
      if (code === 0) resolve(elapsed);
      else reject(new Error(`${command} ${commandArgs.join(' ')} failed (exit ${code}):\n${output}`));
    });
  });
}

function serveFile(file: string): Promise<{ server: Server; url: string }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': statSync(file).size });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}/_definitions.json` });
    });
  });
}

/** Writes a small strict TypeScript project; `keep` leaves files already in `dir` in place. */
function writeProject(dir: string, files: Record<string, string>, { keep = false } = {}): void {
  if (!keep) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: [],
    },
    include: ['**/*.ts'],
  };
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }, null, 2));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
}

async function main(): Promise<void> {
  if (!existsSync(specFile)) throw new Error(`spec not found: ${specFile} (pass --spec)`);
  const cli = path.join(repoRoot, 'packages/cli/bin/k8s-gen.js');
  if (!existsSync(path.join(repoRoot, 'packages/cli/dist/main.js'))) throw new Error('run `npm run build` first');
  const cdk8s = path.join(repoRoot, 'node_modules/cdk8s-cli/bin/cdk8s');
  const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
  mkdirSync(work, { recursive: true });

  const { server, url } = await serveFile(specFile);
  const ours: number[] = [];
  const theirs: number[] = [];
  const oursOut = path.join(work, 'k8s-gen-import');
  const theirsOut = path.join(work, 'cdk8s-typecheck', 'imports');
  try {
    for (let run = 0; run < runs; run += 1) {
      // Alternate the two so that machine noise falls on both alike.
      rmSync(oursOut, { recursive: true, force: true });
      ours.push(await timed('node', [cli, 'import', 'core', '--spec', url, '--out', oursOut]));
      rmSync(theirsOut, { recursive: true, force: true });
      theirs.push(
        await timed('node', ['--require', path.join(here, 'serve-schema-locally.cjs'), cdk8s, 'import', `k8s@${args['k8s-version']}`, '--language', 'typescript', '--output', theirsOut], {
          K8S_GEN_BENCH_SPEC_URL: url,
        }),
      );
    }
  } finally {
    server.close();
  }

  const program = {
    ours: `import { policy } from '@k8s-gen/audit';
import { pod } from '@k8s-gen/core/v1/Pod';

const auditPolicy = policy().omitStages('RequestReceived').rule().level('Metadata').build();
const workload = pod()
  .metadata({ name: 'web', labels: { app: 'web' } })
  .spec({ containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] })
  .build();
console.log(auditPolicy.rules.length, workload.metadata?.name);
`,
    theirs: `import { App, Chart } from 'cdk8s';
import { KubePod } from './imports/k8s.js';

const app = new App();
const chart = new Chart(app, 'bench');
const workload = new KubePod(chart, 'web', {
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
});
console.log(workload.name);
`,
  };
  const oursDir = path.join(work, 'k8s-gen-typecheck');
  const theirsDir = path.join(work, 'cdk8s-typecheck');
  const emptyDir = path.join(work, 'empty-typecheck');
  writeProject(oursDir, { 'main.ts': program.ours });
  writeProject(emptyDir, { 'main.ts': 'export {};\n' });
  // Keep cdk8s's generated imports/ from the last generation run.
  writeProject(theirsDir, { 'main.ts': program.theirs }, { keep: true });

  const check = { ours: [] as number[], theirs: [] as number[], empty: [] as number[] };
  for (let run = 0; run < runs; run += 1) {
    check.empty.push(await timed('node', [tsc, '-p', emptyDir]));
    check.ours.push(await timed('node', [tsc, '-p', oursDir]));
    check.theirs.push(await timed('node', [tsc, '-p', theirsDir]));
  }

  const generation = { ours: median(ours), theirs: median(theirs) };
  const empty = median(check.empty);
  const cost = { ours: Math.max(0, median(check.ours) - empty), theirs: Math.max(0, median(check.theirs) - empty) };
  const report = {
    spec: path.basename(specFile),
    runs,
    generationMs: generation,
    generationRatio: generation.ours / generation.theirs,
    typecheckMs: { empty, ours: median(check.ours), theirs: median(check.theirs) },
    typecheckCostMs: cost,
    typecheckCostRatio: cost.theirs > 0 ? cost.ours / cost.theirs : Number.NaN,
  };
  const line = (label: string, value: string) => console.log(`${label.padEnd(44)} ${value}`);
  line('spec', report.spec);
  line('k8s-gen import core (median ms)', generation.ours.toFixed(0));
  line(`cdk8s import k8s@${args['k8s-version']} (median ms)`, generation.theirs.toFixed(0));
  line('generation ratio k8s-gen/cdk8s (target <= 0.5)', report.generationRatio.toFixed(3));
  line('tsc empty program (median ms)', empty.toFixed(0));
  line('type-check cost k8s-gen (ms over empty)', cost.ours.toFixed(0));
  line('type-check cost cdk8s (ms over empty)', cost.theirs.toFixed(0));
  line('type-check cost ratio k8s-gen/cdk8s (target <= 0.25)', report.typecheckCostRatio.toFixed(3));
  writeFileSync(path.join(work, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});

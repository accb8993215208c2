// Runs every property test (each test file that uses fast-check, itself or through a local module) again with fresh random seeds,
// a number of rounds, and reports the counterexamples found. `npm test` runs the properties from
// one fixed seed (vitest.property-seed.ts), so this is how new inputs get tried; run it after a
// change to a writer, a reader or the engine's set algebra, and turn each failure into a test.
//
//   npm run test:explore -- [--rounds N] [--factor F] [--list]
//
// --factor multiplies the hostile collector properties' runs (K8S_GEN_PROPERTY_RUNS_FACTOR);
// --list prints the test files it would run, by workspace, and stops.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';

const USAGE = 'usage: npm run test:explore -- [--rounds N] [--factor F] [--list]; --rounds takes a positive integer and --factor a positive number';
function refuse(reason: string): never {
  process.stderr.write(`explore-properties: ${reason}\n${USAGE}\n`);
  process.exit(2);
}
let values: { rounds: string; factor: string; list: boolean };
try {
  ({ values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, factor: { type: 'string', default: '1' }, list: { type: 'boolean', default: false } } }));
} catch (error) {
  // Node's own message (an unknown option, a missing value) names the argument; its stack would not help.
  refuse((error as Error).message.replace(/\s*\n\s*/g, ' '));
}
const rounds = Number(values.rounds);
const factor = Number(values.factor);
if (!Number.isInteger(rounds) || rounds < 1) refuse(`--rounds ${JSON.stringify(values.rounds)} is not a positive integer`);
if (!Number.isFinite(factor) || factor <= 0) refuse(`--factor ${JSON.stringify(values.factor)} is not a positive number`);

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const tracked = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.test.ts'], { cwd: root, encoding: 'utf8' })
  .stdout.split('\n')
  .filter((file) => file !== '' && existsSync(join(root, file)));
/** Whether a file uses fast-check itself or through a local module it imports (corpus.ts, arbitraries.ts). */
const drawsInputs = new Map<string, boolean>();
function usesFastCheck(file: string, depth = 0): boolean {
  const known = drawsInputs.get(file);
  if (known !== undefined) return known;
  drawsInputs.set(file, false); // an import cycle adds nothing
  const text = readFileSync(file, 'utf8');
  const local = [...text.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((match) => join(dirname(file), match[1]!.replace(/\.js$/, '.ts')));
  const found = /from 'fast-check'/.test(text) || (depth < 3 && local.some((path) => path.endsWith('.ts') && existsSync(path) && usesFastCheck(path, depth + 1)));
  drawsInputs.set(file, found);
  return found;
}

const byWorkspace = new Map<string, string[]>();
for (const file of tracked) {
  if (!usesFastCheck(join(root, file))) continue;
  // Workspaces are packages/<name> and the top-level folders (generator, test, docs, ...).
  const parts = file.split('/');
  const workspace = parts[0] === 'packages' ? parts.slice(0, 2).join('/') : parts[0]!;
  byWorkspace.set(workspace, [...(byWorkspace.get(workspace) ?? []), relative(workspace, file)]);
}

if (values.list) {
  for (const [workspace, files] of byWorkspace) process.stdout.write(`${workspace}: ${files.join(' ')}\n`);
  process.exit(0);
}

const failures: string[] = [];
for (let round = 1; round <= rounds; round += 1) {
  for (const [workspace, files] of byWorkspace) {
    const run = spawnSync('npx', ['vitest', 'run', ...files], {
      cwd: join(root, workspace),
      encoding: 'utf8',
      env: { ...process.env, K8S_GEN_PROPERTY_SEED: 'random', K8S_GEN_PROPERTY_RUNS_FACTOR: String(factor), FORCE_COLOR: '0' },
      maxBuffer: 256 * 1024 * 1024,
    });
    const output = `${run.stdout}${run.stderr}`;
    const ok = run.status === 0;
    process.stdout.write(`round ${round}/${rounds} ${workspace}: ${ok ? 'passed' : 'FAILED'}\n`);
    if (!ok) {
      const found = output.split('\n').filter((line) => /FAIL|seed:|Counterexample|Property failed/.test(line));
      failures.push(`${workspace} (round ${round}):\n  ${found.slice(0, 12).join('\n  ')}`);
    }
  }
}
process.stdout.write(failures.length === 0 ? `explore-properties: no counterexample in ${rounds} round(s)\n` : `explore-properties: ${failures.length} failing run(s)\n${failures.join('\n')}\n`);
process.exit(failures.length === 0 ? 0 : 1);

// Benchmark: bundle weight and install size, against kubernetes-models measured in the same run.
//
//   npm run build && npx tsx bench/bundle/run.ts [--tarballs DIR] [--skip-install]
//
// 1. Bundles, with esbuild (minified, for the browser): a program that builds a policy with the
//    generated `policy()` builder, one that also calls `validate` and `toYaml`, and
//    kubernetes-models' Pod (`new Pod(...)`, `validate()`, `toJSON()`); prints each size, gzipped,
//    the share of each package, and the ratios to the Pod bundle. Also the same for Node, where
//    packages with a CommonJS build for Node (yaml) give that one, which bundlers cannot trim.
// 2. Install size: packs every public workspace package into a temporary folder (or takes the
//    tarballs of --tarballs DIR, e.g. a release folder), installs @k8s-gen/audit alone and the CLI
//    each into an empty project with plain `npm install`, and prints the size of node_modules.
// Targets (issue 9): builder at most 10 KB gzip; builder + validate + toYaml at most 50 KB gzip;
// neither install brings TypeScript.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleSize, FIXTURES, installSize, type Fixture } from './measure.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const { values: args } = parseArgs({ options: { tarballs: { type: 'string' }, 'skip-install': { type: 'boolean' } } });

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

async function bundles(platform: 'browser' | 'node'): Promise<void> {
  const baseline = await bundleSize(FIXTURES.kubernetesModelsPod, platform);
  console.log(`\nbundles for ${platform} (esbuild, minified; gzip -9)`);
  for (const fixture of Object.values(FIXTURES) as Fixture[]) {
    const size = fixture === FIXTURES.kubernetesModelsPod ? baseline : await bundleSize(fixture, platform);
    const verdict = fixture.ceiling === undefined ? '' : size.gzip <= fixture.ceiling ? `  (ceiling ${kb(fixture.ceiling)}: ok)` : `  (ceiling ${kb(fixture.ceiling)}: OVER)`;
    console.log(`  ${fixture.name}: ${kb(size.minified)} minified, ${kb(size.gzip)} gzip, ${(size.gzip / baseline.gzip).toFixed(2)} x the Pod bundle${verdict}`);
    console.log(`    ${size.byPackage.map(([name, bytes]) => `${name} ${kb(bytes)}`).join(', ')}`);
  }
}

/** Packs every public workspace package into a new folder and returns it. */
function packWorkspaces(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'k8s-gen-tarballs-'));
  const root = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { workspaces: string[] };
  for (const workspace of root.workspaces) {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, workspace, 'package.json'), 'utf8')) as { private?: boolean };
    if (manifest.private === true) continue;
    const pack = spawnSync('npm', ['pack', '--silent', '--pack-destination', folder, '-w', workspace], { cwd: repoRoot, encoding: 'utf8' });
    if (pack.status !== 0) throw new Error(`npm pack -w ${workspace} failed (build first: npm run build):\n${pack.stderr}`);
  }
  return folder;
}

function installs(): void {
  const folder = args.tarballs === undefined ? packWorkspaces() : path.resolve(args.tarballs);
  try {
    console.log(`\ninstall size (npm install into an empty project; tarballs from ${args.tarballs ?? 'npm pack of every public package'})`);
    for (const name of ['@k8s-gen/audit', 'k8s-gen']) {
      const size = installSize(folder, name);
      console.log(`  ${name}: ${kb(size.bytes)} in node_modules, ${size.packages} packages, TypeScript ${size.typescript ? 'INSTALLED' : 'not installed'}`);
    }
  } finally {
    if (args.tarballs === undefined) rmSync(folder, { recursive: true, force: true });
  }
}

await bundles('browser');
await bundles('node');
if (args['skip-install'] !== true) installs();

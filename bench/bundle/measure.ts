// What the bundle bench (run.ts) and the bundle-size test measure: the size of a program bundled
// by esbuild as a web app would bundle it, and the size of a package installed with npm.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));

/** A program to bundle. */
export interface Fixture {
  name: string;
  /** The entry file, in `fixtures/`. */
  file: string;
  /** The most its bundle may weigh, gzipped, in bytes; undefined for the baselines. */
  ceiling?: number;
}

/** The programs the bench bundles: ours with their ceilings (issue 9), and kubernetes-models' Pod for comparison. */
export const FIXTURES = {
  builder: { name: '@k8s-gen/audit policy() builder', file: 'builder.ts', ceiling: 10 * 1024 },
  full: { name: '@k8s-gen/audit builder + validate + toYaml', file: 'full.ts', ceiling: 50 * 1024 },
  playground: { name: 'docs playground: parsePolicy + lint + explain (@k8s-gen/engine/policy)', file: 'playground.ts', ceiling: 64 * 1024 },
  kubernetesModelsPod: { name: 'kubernetes-models Pod (validate + toJSON)', file: 'kubernetes-models-pod.ts' },
} as const satisfies Record<string, Fixture>;

/**
 * A program on @k8s-gen/engine (evaluate, and the cost replay compiled to SQL), bundled for Node by
 * the bundle test: DuckDB's native module must stay out of the bundle.
 */
export const ENGINE_FIXTURE: Fixture = { name: '@k8s-gen/engine evaluate + compileCostQuery', file: 'engine-sql.ts' };

/** The size of a bundle and what went into it. */
export interface BundleSize {
  minified: number;
  gzip: number;
  /** Bytes of the minified output per package (`zod`, `yaml`, `@k8s-gen/audit`), largest first. */
  byPackage: [string, number][];
  /**
   * Static imports of Node built-ins anywhere in the bundled modules, used or not (`module -> node:fs`).
   * esbuild drops unused ones, but Rollup (so Vite) refuses a named import from a built-in in a
   * browser build even when tree-shaking would remove it, so a browser program needs none.
   */
  nodeImports: string[];
}

/** The package a bundled input belongs to: the folder after the last `node_modules/`, or the workspace package. */
function packageOf(input: string): string {
  const modules = input.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = input.slice(modules + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const workspace = /(?:^|\/)packages\/([^/]+)\//.exec(input);
  return workspace === null ? 'the program' : `@k8s-gen/${workspace[1]}`;
}

/**
 * Bundles a fixture with esbuild, minified, for the browser (the platform where bundle weight
 * matters, and where packages such as yaml offer their tree-shakeable ES modules), with the
 * packages as they are installed (their `dist`); Node built-ins stay external, so a module that
 * needs one shows up as an import in the output.
 */
export async function bundleSize(fixture: Fixture, platform: 'browser' | 'node' = 'browser'): Promise<BundleSize & { text: string }> {
  const result = await build({
    entryPoints: [path.join(here, 'fixtures', fixture.file)],
    bundle: true,
    minify: true,
    format: 'esm',
    platform,
    external: ['node:*'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const text = result.outputFiles[0]!.text;
  const bytes = Buffer.from(text);
  const byPackage = new Map<string, number>();
  const output = Object.values((result.metafile as Metafile).outputs)[0]!;
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = packageOf(input);
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  const nodeImports = Object.entries((result.metafile as Metafile).inputs).flatMap(([input, { imports }]) =>
    imports.filter((entry) => entry.kind === 'import-statement' && isBuiltin(entry.path)).map((entry) => `${input} -> ${entry.path}`),
  );
  return {
    minified: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    byPackage: [...byPackage].sort((a, b) => b[1] - a[1]),
    nodeImports,
    text,
  };
}

/** The bytes of every file below `folder` (links not followed). */
function folderBytes(folder: string): number {
  let bytes = 0;
  for (const entry of readdirSync(folder)) {
    const full = path.join(folder, entry);
    const stat = lstatSync(full);
    bytes += stat.isDirectory() ? folderBytes(full) : stat.size;
  }
  return bytes;
}

/** The packages in a node_modules folder, scoped and nested ones included. */
function packagesIn(modules: string): string[] {
  if (!existsSync(modules)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(modules).filter((e) => !e.startsWith('.'))) {
    const names = entry.startsWith('@') ? readdirSync(path.join(modules, entry)).map((child) => `${entry}/${child}`) : [entry];
    for (const name of names) out.push(name, ...packagesIn(path.join(modules, name, 'node_modules')));
  }
  return out;
}

/** The name and internal dependencies of a packed package, read from the tarball. */
function manifestOfTarball(tarball: string): { name: string; dependencies: string[] } {
  const read = spawnSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' });
  if (read.status !== 0) throw new Error(`cannot read package.json from ${tarball}: ${read.stderr}`);
  const manifest = JSON.parse(read.stdout) as { name: string; dependencies?: Record<string, string> };
  return { name: manifest.name, dependencies: Object.keys(manifest.dependencies ?? {}) };
}

/** What installing a package with npm puts into a project. */
export interface InstallSize {
  name: string;
  /** Bytes of all files in node_modules. */
  bytes: number;
  /** Packages in node_modules. */
  packages: number;
  /** Whether TypeScript (or ts-morph, which carries its own copy) was installed. */
  typescript: boolean;
}

/**
 * Installs `name` from a folder of packed tarballs (`npm pack` output, or a release folder) into a
 * new, empty project with plain `npm install`, and measures its node_modules. The tarballs of the
 * folder stand in for the packages they hold (the package and the k8s-gen packages it depends on,
 * as no registry has those); everything else comes from the registry.
 */
export function installSize(tarballFolder: string, name: string): InstallSize {
  const tarballs = new Map(
    readdirSync(tarballFolder)
      .filter((file) => file.endsWith('.tgz'))
      .map((file) => {
        const tarball = path.join(tarballFolder, file);
        return [manifestOfTarball(tarball).name, tarball] as const;
      }),
  );
  const needed = new Set<string>();
  const add = (pkg: string): void => {
    const tarball = tarballs.get(pkg);
    if (tarball === undefined || needed.has(tarball)) return;
    needed.add(tarball);
    for (const dependency of manifestOfTarball(tarball).dependencies) add(dependency);
  };
  add(name);
  if (needed.size === 0) throw new Error(`no tarball of ${name} in ${tarballFolder}`);
  const project = mkdtempSync(path.join(tmpdir(), 'k8s-gen-install-'));
  try {
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'install-size', version: '1.0.0', private: true }));
    const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=dev', ...needed], { cwd: project, encoding: 'utf8' });
    if (install.status !== 0) throw new Error(`npm install of ${name} failed:\n${install.stderr}`);
    const modules = path.join(project, 'node_modules');
    const packages = packagesIn(modules);
    return { name, bytes: folderBytes(modules), packages: packages.length, typescript: packages.some((pkg) => pkg === 'typescript' || pkg === 'ts-morph') };
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

// `npm run release`: builds every public package of this checkout into one versioned folder of npm
// tarballs that installs outside the repository with plain `npm install`, before anything is
// published to a registry.
//
//   npm run release                          # release/<version>/, core from K8S_GEN_CORE_SPEC or ../shared
//   npm run release -- --out /tmp/r --core-spec swagger.json
//
// Each tarball is packed from a staging copy of its package: the manifest gets the project-wide
// fields (licence, repository, homepage, bugs, engines) from the root package.json, loses the
// `@k8s-gen/source` export condition (it points at sources the tarball does not ship), its dev
// dependencies and its scripts; the root LICENSE is added. The folder gets `release.json` (what is in
// it, with integrity hashes) and a README saying how to install from it. The folder is written with
// the atomic tree writer, so a failed release never leaves a partial one.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findKubernetesRelease } from '@k8s-gen/runtime';
import { writeTreeAtomically, type TreeFile } from '@k8s-gen/runtime/node';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A workspace package as the release sees it. */
export interface ReleasedPackage {
  name: string;
  version: string;
  folder: string;
  /** Tarball file name inside the release folder. */
  tarball: string;
  /** npm's `sha512-...` integrity of the tarball. */
  integrity: string;
  /** The `@k8s-gen/*` (and `k8s-gen`) packages it depends on. */
  internalDependencies: string[];
}

/** What `release.json` records. */
export interface ReleaseManifest {
  version: string;
  /** The spec @k8s-gen/core was generated from, when core is in the release. */
  core?: { spec: string; kubernetesVersion?: string };
  packages: ReleasedPackage[];
}

type Manifest = Record<string, unknown> & {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  exports?: unknown;
  files?: string[];
};

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${String(result.status)}):\n${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

const isInternal = (name: string) => name === 'k8s-gen' || name.startsWith('@k8s-gen/');

/** The public workspace packages, in the order of the root package.json. */
export function publicPackages(): Array<{ folder: string; manifest: Manifest }> {
  const root = readJson<{ workspaces: string[] }>(path.join(repoRoot, 'package.json'));
  return root.workspaces
    .map((folder) => ({ folder, manifest: readJson<Manifest>(path.join(repoRoot, folder, 'package.json')) }))
    .filter(({ manifest }) => manifest.private !== true);
}

/** Removes the `@k8s-gen/source` condition everywhere in an exports map. */
function withoutSourceCondition(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSourceCondition);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => key !== '@k8s-gen/source')
      .map(([key, entry]) => [key, withoutSourceCondition(entry)]),
  );
}

/** The manifest as published: project-wide fields added, development-only fields removed. */
export function publishedManifest(manifest: Manifest, root: Record<string, unknown>, notes: Record<string, unknown> = {}): Manifest {
  const { devDependencies: _dev, scripts: _scripts, exports, files, ...rest } = manifest;
  const shipped = (files ?? ['dist']).filter((entry) => entry !== 'src');
  return {
    ...rest,
    license: root.license,
    repository: root.repository,
    homepage: root.homepage,
    bugs: root.bugs,
    engines: root.engines,
    ...notes,
    ...(exports !== undefined ? { exports: withoutSourceCondition(exports) } : {}),
    files: [...new Set([...shipped, 'README.md', 'LICENSE'])],
  };
}

/** The spec core is generated from: the option, K8S_GEN_CORE_SPEC, or the one in ../shared. */
function coreSpec(given: string | undefined): string | undefined {
  if (given !== undefined) return given;
  if (process.env.K8S_GEN_CORE_SPEC) return process.env.K8S_GEN_CORE_SPEC;
  const fallback = path.resolve(repoRoot, '../shared/specs/kubernetes-v1.36.0.definitions.json');
  return existsSync(fallback) ? fallback : undefined;
}

function installReadme(release: ReleaseManifest): string {
  const byName = new Map(release.packages.map((p) => [p.name, p]));
  const overrides = Object.fromEntries(release.packages.map((p) => [p.name, `file:<this folder>/${p.tarball}`]));
  return [
    `# k8s-gen ${release.version}`,
    '',
    'npm tarballs of every k8s-gen package, installable before they are published to a registry.',
    release.core !== undefined
      ? `\`@k8s-gen/core\` was generated from \`${release.core.spec}\`${release.core.kubernetesVersion ? ` (Kubernetes ${release.core.kubernetesVersion})` : ''}.`
      : '`@k8s-gen/core` is not in this release: no Kubernetes spec was given (use `k8s-gen import core` instead).',
    '',
    '## A new project',
    '',
    '```sh',
    'npx --yes --package <this folder>/' + (byName.get('k8s-gen')?.tarball ?? 'k8s-gen-<version>.tgz') + ' k8s-gen init my-audit --from <this folder>',
    'cd my-audit && npm install && npm run synth',
    '```',
    '',
    '## An existing project',
    '',
    'Depend on the tarballs you use, and let npm take every k8s-gen package from this folder',
    '(the packages depend on each other by version range, which `overrides` points here):',
    '',
    '```json',
    JSON.stringify({ dependencies: { '@k8s-gen/audit': `file:<this folder>/${byName.get('@k8s-gen/audit')?.tarball ?? ''}` }, overrides }, null, 2),
    '```',
    '',
    '| package | tarball | depends on |',
    '|---|---|---|',
    ...release.packages.map((p) => `| \`${p.name}\` | \`${p.tarball}\` | ${p.internalDependencies.map((d) => `\`${d}\``).join(', ') || '-'} |`),
    '',
  ].join('\n');
}

/** Options of {@link buildRelease}. */
export interface ReleaseOptions {
  /** Folder that receives `<version>/`. Default `release/` in the repository. */
  out?: string;
  /** Kubernetes spec for @k8s-gen/core (path or URL). */
  coreSpec?: string;
  /** Skip `turbo run build` (the packages are built already). */
  skipBuild?: boolean;
  log?: (line: string) => void;
}

/** Builds the release folder; returns its path and manifest. */
export function buildRelease(options: ReleaseOptions = {}): { folder: string; manifest: ReleaseManifest } {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const root = readJson<Record<string, unknown> & { version?: string }>(path.join(repoRoot, 'package.json'));
  const packages = publicPackages();
  const version = packages.find((p) => p.manifest.name === 'k8s-gen')?.manifest.version ?? '0.0.0';
  const spec = coreSpec(options.coreSpec);
  const included = packages.filter((p) => p.manifest.name !== '@k8s-gen/core' || spec !== undefined);
  if (spec === undefined) log('release: no Kubernetes spec given (--core-spec or K8S_GEN_CORE_SPEC), so @k8s-gen/core is left out');

  if (options.skipBuild !== true) {
    const filters = included.flatMap((p) => ['--filter', p.manifest.name]);
    const env = { ...process.env, ...(spec !== undefined ? { K8S_GEN_CORE_SPEC: spec } : {}) };
    log(`release: building ${included.length} packages`);
    run(path.join(repoRoot, 'node_modules/.bin/turbo'), ['run', 'build', ...filters, '--output-logs=errors-only'], repoRoot, env);
  }

  const staging = mkdtempSync(path.join(tmpdir(), 'k8s-gen-release-'));
  try {
    const released: ReleasedPackage[] = [];
    const files: TreeFile[] = [];
    for (const { folder, manifest } of included) {
      const source = path.join(repoRoot, folder);
      const copy = path.join(staging, 'packages', manifest.name.replace('/', '__'));
      const notes =
        manifest.name === '@k8s-gen/core' && spec !== undefined
          ? { k8sGen: { generatedFrom: path.basename(spec) } }
          : {};
      const published = publishedManifest(manifest, root, notes);
      for (const entry of published.files ?? []) {
        if (entry === 'LICENSE' || entry === 'README.md') continue;
        const from = path.join(source, entry);
        if (!existsSync(from)) throw new Error(`${manifest.name}: "${entry}" is in its files list but does not exist (was it built?)`);
        cpSync(from, path.join(copy, entry), { recursive: true, dereference: true });
      }
      cpSync(path.join(source, 'README.md'), path.join(copy, 'README.md'));
      cpSync(path.join(repoRoot, 'LICENSE'), path.join(copy, 'LICENSE'));
      writeFileSync(path.join(copy, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);
      const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', staging], copy)) as Array<{ filename: string }>;
      const tarball = packed[0]!.filename;
      const bytes = readFileSync(path.join(staging, tarball));
      files.push({ path: tarball, contents: bytes });
      released.push({
        name: manifest.name,
        version: manifest.version,
        folder,
        tarball,
        integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
        internalDependencies: Object.keys(manifest.dependencies ?? {}).filter(isInternal).sort(),
      });
      log(`release: packed ${tarball} (${Math.round(bytes.length / 1024)} KiB)`);
    }
    const release: ReleaseManifest = {
      version,
      ...(spec !== undefined ? { core: { spec: path.basename(spec), ...coreVersion(spec) } } : {}),
      packages: released,
    };
    files.push({ path: 'release.json', contents: `${JSON.stringify(release, null, 2)}\n` });
    files.push({ path: 'README.md', contents: installReadme(release) });
    const folder = path.resolve(options.out ?? path.join(repoRoot, 'release'), version);
    writeTreeAtomically(folder, files, { replaceFolder: (existing) => existsSync(path.join(existing, 'release.json')) || readdirSync(existing).length === 0 });
    log(`release: ${released.length} packages in ${folder}`);
    return { folder, manifest: release };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The Kubernetes release named in the spec's file name, for the release notes. */
function coreVersion(spec: string): { kubernetesVersion?: string } {
  const release = findKubernetesRelease(path.basename(spec));
  return release === undefined ? {} : { kubernetesVersion: release };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, 'core-spec': { type: 'string' }, 'skip-build': { type: 'boolean' } } });
  try {
    buildRelease({
      ...(values.out !== undefined ? { out: values.out } : {}),
      ...(values['core-spec'] !== undefined ? { coreSpec: values['core-spec'] } : {}),
      ...(values['skip-build'] === true ? { skipBuild: true } : {}),
    });
  } catch (error) {
    process.stderr.write(`release: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}

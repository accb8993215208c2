// The release as a new user meets it, outside this repository: `npm run release` builds the
// tarballs, and projects in the system temp folder install them with plain `npm install` (their
// third-party dependencies come from the npm registry), then use the CLI, `k8s-gen init --from`, the
// project init writes (its synth and its tests), `k8s-gen import core`, a strict TypeScript program
// using the builders and constructs, and `@k8s-gen/audit` installed alone.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRelease, type ReleaseManifest } from '../scripts/release.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const spec = path.resolve(repoRoot, '../shared/specs/kubernetes-v1.20.2.swagger.json');
const work = mkdtempSync(path.join(os.tmpdir(), 'k8s-gen-release-test-'));
let folder = '';
let release: ReleaseManifest;

/** Runs a command in a user project; fails the test with its output when it fails. */
function run(command: string, args: string[], cwd: string, timeout = 300_000): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, CI: 'true', NO_COLOR: '1', npm_config_audit: 'false', npm_config_fund: 'false' } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} in ${cwd} exited ${String(result.status)}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** A new project depending on `names` from the release, with overrides for the rest of it. */
function project(name: string, names: string[], extra: Record<string, unknown> = {}): string {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  const tarball = (pkg: string) => `file:${path.join(folder, release.packages.find((p) => p.name === pkg)!.tarball)}`;
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({
      name,
      private: true,
      type: 'module',
      dependencies: Object.fromEntries(names.map((pkg) => [pkg, tarball(pkg)])),
      overrides: Object.fromEntries(release.packages.map((p) => [p.name, tarball(p.name)])),
      ...extra,
    }),
  );
  return dir;
}

beforeAll(() => {
  // The test workspace depends on every public package, so `npm test` has built them already.
  const built = buildRelease({ out: path.join(work, 'release'), skipBuild: true, log: () => undefined });
  folder = built.folder;
  release = built.manifest;
}, 300_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('the release folder', () => {
  it('holds every public package, each with its licence, metadata and only shipped files', () => {
    const names = release.packages.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['@k8s-gen/runtime', '@k8s-gen/audit', '@k8s-gen/constructs', 'k8s-gen']));
    expect(readdirSync(folder).sort()).toEqual(['README.md', 'release.json', ...release.packages.map((p) => p.tarball)].sort());
    for (const pkg of release.packages) {
      const listing = run('tar', ['-tzf', path.join(folder, pkg.tarball)], work).stdout.split('\n');
      expect(listing, pkg.name).toContain('package/LICENSE');
      expect(listing, pkg.name).toContain('package/README.md');
      expect(listing.some((entry) => entry.startsWith('package/src/') || entry.startsWith('package/test/')), pkg.name).toBe(false);
      const manifest = JSON.parse(run('tar', ['-xzOf', path.join(folder, pkg.tarball), 'package/package.json'], work).stdout) as Record<string, unknown>;
      for (const field of ['description', 'keywords', 'repository', 'homepage', 'bugs', 'engines', 'files', 'license']) expect(manifest[field], `${pkg.name} ${field}`).toBeDefined();
      expect(JSON.stringify(manifest.exports ?? {}), pkg.name).not.toContain('@k8s-gen/source');
      for (const [dependency, range] of Object.entries((manifest.dependencies ?? {}) as Record<string, string>)) {
        if (dependency === 'k8s-gen' || dependency.startsWith('@k8s-gen/')) expect(range, `${pkg.name} -> ${dependency}`).toMatch(/^\^/);
      }
      const readme = run('tar', ['-xzOf', path.join(folder, pkg.tarball), 'package/README.md'], work).stdout;
      expect(readme, pkg.name).not.toMatch(/\.\.\/shared|\.\.\/\.\.\//);
    }
  });
});

describe('installed outside the repository', () => {
  it('installs @k8s-gen/audit alone, without TypeScript, and builds, validates and writes a policy', () => {
    const dir = project('audit-alone', ['@k8s-gen/audit']);
    run('npm', ['install'], dir);
    expect(existsSync(path.join(dir, 'node_modules/typescript'))).toBe(false);
    writeFileSync(
      path.join(dir, 'main.mjs'),
      [
        "import { policy, toYaml, validate } from '@k8s-gen/audit';",
        "const built = policy().omitStages('RequestReceived').rule().level('Metadata').end().build();",
        "const problems = validate(built, { kubernetesVersion: '1.30' });",
        'if (problems.length > 0) { console.error(problems); process.exit(1); }',
        'process.stdout.write(toYaml(built));',
      ].join('\n'),
    );
    const out = run('node', ['main.mjs'], dir).stdout;
    expect(out).toContain('level: Metadata');
  }, 600_000);

  it('runs the CLI, creates a project with init --from, and that project installs, synthesizes and passes its tests', () => {
    const cli = project('cli-user', [], { devDependencies: { 'k8s-gen': `file:${path.join(folder, release.packages.find((p) => p.name === 'k8s-gen')!.tarball)}` } });
    run('npm', ['install'], cli);
    const help = run('npx', ['k8s-gen', '--help'], cli).stdout;
    for (const command of ['init', 'synth', 'validate', 'lint', 'explain', 'cost', 'tune']) expect(help).toContain(command);

    // DuckDB is an optional peer: not installed with the CLI. Asked for, it says how to install it
    // and the JavaScript replay answers instead.
    expect(existsSync(path.join(cli, 'node_modules/@duckdb/node-api'))).toBe(false);
    const event = { kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: '0b0c3e5e-1b6a-4f4e-9d59-2f1f0a6f9a11', stage: 'ResponseComplete', requestURI: '/api/v1/namespaces/default/pods', verb: 'list', user: { username: 'alice' }, objectRef: { resource: 'pods', namespace: 'default', apiVersion: 'v1' }, requestReceivedTimestamp: '2026-12-01T10:00:00.000000Z', stageTimestamp: '2026-12-01T10:00:00.010000Z' };
    writeFileSync(path.join(cli, 'audit.log'), `${JSON.stringify(event)}\n`);
    writeFileSync(path.join(cli, 'policy.yaml'), 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n');
    const cost = spawnSync('npx', ['k8s-gen', 'cost', 'audit.log', '--policy', 'policy.yaml', '--engine', 'duckdb', '--format', 'json'], { cwd: cli, encoding: 'utf8' });
    expect(cost.status, cost.stderr).toBe(0);
    expect(cost.stderr).toContain('DuckDB is not installed');
    expect(cost.stderr).toContain('npm install @duckdb/node-api');
    expect((JSON.parse(cost.stdout) as { input: { events: number } }).input.events).toBe(1);

    run('npx', ['k8s-gen', 'init', 'my-audit', '--from', folder, '--preset', 'gce'], cli);
    const app = path.join(cli, 'my-audit');
    const manifest = JSON.parse(readFileSync(path.join(app, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(manifest.dependencies['@k8s-gen/audit']).toMatch(/^file:.*\.tgz$/);
    run('npm', ['install'], app);
    run('npm', ['run', 'synth'], app);
    expect(readFileSync(path.join(app, 'dist/cluster/apiserver-flags.txt'), 'utf8')).toContain('--audit-policy-file=/etc/kubernetes/audit-policy.yaml');
    run('npm', ['test'], app);

    // A strict TypeScript program using the builders and the constructs type-checks against the
    // installed declarations.
    writeFileSync(
      path.join(app, 'strict.ts'),
      `import { policy, type Policy } from '@k8s-gen/audit';
import { App, AuditChart, AuditPolicy, LogBackend } from '@k8s-gen/constructs';
const p: Policy = policy().rule().level('Metadata').build();
const app = new App({ outdir: 'dist-strict' });
const target = new AuditChart(app, 'strict', { kubernetesVersion: '1.30' });
new AuditPolicy(target, 'Policy', { policy: p });
new LogBackend(target, 'Log', { maxAge: 30 });
// @ts-expect-error: levels are a closed set
policy().rule().level('Everything');
export const files: number = app.render().files.length;
`,
    );
    run('npx', ['tsc', '--noEmit', '-p', '.'], app);

    if (existsSync(spec)) {
      run('npx', ['k8s-gen', 'import', 'core', '--spec', spec, '--out', 'src/imports'], app);
      expect(existsSync(path.join(app, 'src/imports/core/v1/builders/Pod.ts'))).toBe(true);
    }
  }, 900_000);
});

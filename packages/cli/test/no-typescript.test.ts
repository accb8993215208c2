// The CLI stays light: installing it (or @k8s-gen/audit) does not install TypeScript, no
// command but `import` loads the generator, none loads TypeScript or ts-morph, and only
// `cost` replaying on DuckDB loads DuckDB's native module. Checked on the
// dependency declarations and by recording, in real child processes, what a run of every other
// command loads (test/fixtures/record-loads.mjs, preloaded through NODE_OPTIONS so that the app
// process `synth` starts is recorded as well).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const cliRoot = resolve(here, '..');
const require = createRequire(import.meta.url);
// Inside the repository, so that the synth app resolves the workspace packages.
mkdirSync(join(cliRoot, 'test-output'), { recursive: true });
const scratch = mkdtempSync(join(cliRoot, 'test-output', 'light-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** The package.json of `name` as Node finds it from `from`: in the closest `node_modules` above. */
function manifestOf(name: string, from: string): string {
  for (let folder = from; ; folder = dirname(folder)) {
    const candidate = join(folder, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return realpathSync(candidate);
    if (dirname(folder) === folder) throw new Error(`${name} is not installed above ${from}`);
  }
}

/** Every package `npm install <name>` installs: dependencies and required peers, transitively. */
function installClosure(name: string, from: string, seen = new Map<string, string>()): Map<string, string> {
  if (seen.has(name)) return seen;
  const manifestPath = manifestOf(name, from);
  seen.set(name, manifestPath);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const required = [
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}).filter((peer) => manifest.peerDependenciesMeta?.[peer]?.optional !== true),
  ];
  for (const dependency of required) installClosure(dependency, dirname(manifestPath), seen);
  return seen;
}

/** The environment without colour settings, and with NO_COLOR, so that messages compare as text. */
function withoutColour(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _force, ...rest } = env;
  return { ...rest, NO_COLOR: '1' };
}

/** Runs CLI commands from the sources in one child process; returns their exit codes and what was recorded. */
function runRecorded(runs: string[][], env: Record<string, string> = {}): { codes: number[]; loads: string[]; stderr: string } {
  const work = mkdtempSync(join(tmpdir(), 'k8s-gen-loads-'));
  try {
    const loads = join(work, 'loads.txt');
    writeFileSync(loads, '');
    writeFileSync(join(work, 'runs.json'), JSON.stringify(runs));
    const preload = pathToFileURL(join(here, 'fixtures/record-loads.mjs')).href;
    const tsx = pathToFileURL(require.resolve('tsx')).href;
    const child = spawnSync(process.execPath, ['--conditions=@k8s-gen/source', '--import', tsx, join(here, 'fixtures/run-commands.ts'), join(work, 'runs.json'), join(work, 'codes.json')], {
      cwd: scratch,
      encoding: 'utf8',
      env: { ...withoutColour(process.env), ...env, NODE_OPTIONS: `--import=${preload}`, K8S_GEN_TEST_LOADS: loads },
    });
    const codes = child.status === 0 ? (JSON.parse(readFileSync(join(work, 'codes.json'), 'utf8')) as number[]) : [];
    return { codes, loads: readFileSync(loads, 'utf8').split('\n').filter((line) => line !== ''), stderr: child.stderr };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

describe('a light CLI', () => {
  it('installs neither TypeScript nor ts-morph with the CLI or with @k8s-gen/audit', () => {
    for (const name of ['k8s-gen', '@k8s-gen/audit']) {
      const installed = [...installClosure(name, cliRoot).keys()];
      expect(installed).toContain(name);
      expect(installed.filter((n) => n === 'typescript' || n === 'ts-morph')).toEqual([]);
    }
    // The generator (what `import` needs) is installed with the CLI, and itself needs no TypeScript.
    expect([...installClosure('@k8s-gen/generator', cliRoot).keys()].filter((n) => n === 'typescript' || n === 'ts-morph')).toEqual([]);
  });

  it('loads neither the generator nor TypeScript for any command but import, nor DuckDB but for a DuckDB replay', () => {
    const policy = join(scratch, 'policy.yaml');
    writeFileSync(policy, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n');
    const log = join(scratch, 'audit.log');
    const event = { kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: 'a1', stage: 'ResponseComplete', requestURI: '/api/v1/pods', verb: 'list', user: { username: 'alice' }, requestReceivedTimestamp: '2024-01-01T00:00:00.000000Z', stageTimestamp: '2024-01-01T00:00:00.000000Z' };
    writeFileSync(log, `${JSON.stringify(event)}\n`);
    const app = join(scratch, 'app', 'audit.ts');
    mkdirSync(dirname(app), { recursive: true });
    writeFileSync(
      app,
      "import { minimalMetadataPolicy } from '@k8s-gen/audit';\nimport { App, AuditChart, AuditPolicy, LogBackend } from '@k8s-gen/constructs';\n" +
        "const app = new App();\nconst cluster = new AuditChart(app, 'prod', { kubernetesVersion: '1.30' });\n" +
        "new AuditPolicy(cluster, 'Policy', { policy: minimalMetadataPolicy() });\nnew LogBackend(cluster, 'Log', {});\napp.synth();\n",
    );
    const runs = [
      ['--help'],
      ['help', 'import'],
      ['--version'],
      ['init', join(scratch, 'project'), '--preset', 'minimal'],
      ['synth', app, '--out', join(scratch, 'dist')],
      ['validate', policy],
      ['lint', policy],
      ['explain', '--policy', policy, 'GET', '/api/v1/pods', '--user', 'alice'],
      ['cost', '--policy', policy, log],
      ['cost', '--policy', policy, log, '--engine', 'js'],
      ['cost', '--policy', policy, '--emit-sql', 'bigquery'],
      ['cost', '--policy', policy, log, '--emit-sql', 'duckdb'],
      ['tune', '--rps', '100', '--latency', '5'],
      ['apf-odds', '--hand', '8', '--queues', '64', '--elephants', '4'],
    ];
    const { codes, loads, stderr } = runRecorded(runs);
    expect(stderr).not.toMatch(/internal error|\n\s+at /);
    expect(codes).toHaveLength(runs.length);
    // Every command ran its course (findings at most), none stopped at its arguments.
    expect(codes.map((code, i) => `${runs[i]![0]}: ${code < 2 ? 'ran' : code}`)).toEqual(runs.map((args) => `${args[0]}: ran`));
    expect(loads).toEqual([]);
  });

  it('records what it is meant to: the generator for import, ts-morph for its printer', () => {
    const spec = join(scratch, 'spec.json');
    writeFileSync(spec, JSON.stringify({ definitions: { 'io.k8s.api.core.v1.Thing': { type: 'object', properties: { name: { type: 'string' } } } } }));
    const imported = runRecorded([['import', 'core', '--spec', spec, '--out', join(scratch, 'imports')]]);
    expect(imported.codes).toEqual([0]);
    expect(imported.loads.some((line) => line.startsWith('import @k8s-gen/generator'))).toBe(true);
    expect(imported.loads.filter((line) => /typescript|ts-morph/.test(line))).toEqual([]);
    const script = `import { emitModel, buildModel } from '@k8s-gen/generator'; emitModel(await buildModel({ sources: [${JSON.stringify(spec)}], select: ['core/v1'] }), { printer: 'ts-morph' });`;
    const preload = pathToFileURL(join(here, 'fixtures/record-loads.mjs')).href;
    const loads = join(scratch, 'ts-morph-loads.txt');
    writeFileSync(loads, '');
    const child = spawnSync(process.execPath, ['--conditions=@k8s-gen/source', '--import', pathToFileURL(require.resolve('tsx')).href, '--input-type=module', '-e', script], {
      cwd: scratch,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: `--import=${preload}`, K8S_GEN_TEST_LOADS: loads },
    });
    expect(child.stderr).toBe('');
    const recorded = readFileSync(loads, 'utf8');
    expect(recorded).toMatch(/^require ts-morph /m);
    expect(recorded).toMatch(/node_modules\/@ts-morph\/common\/dist\/typescript\.js/);
  });

  it('records DuckDB when the replay runs on it, and only then', () => {
    const policy = join(scratch, 'duckdb-policy.yaml');
    writeFileSync(policy, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n');
    const log = join(scratch, 'duckdb-audit.log');
    writeFileSync(log, `${JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: 'a1', stage: 'ResponseComplete', requestURI: '/api/v1/pods', verb: 'list', stageTimestamp: '2024-01-01T00:00:00.000000Z' })}\n`);
    const { codes, loads } = runRecorded([['cost', '--policy', policy, log, '--engine', 'duckdb', '--format', 'json']]);
    expect(codes).toEqual([0]);
    expect(loads.some((line) => line.startsWith('require @duckdb/node-api'))).toBe(true);
    expect(loads.filter((line) => /typescript|ts-morph|generator/.test(line))).toEqual([]);
  });

  it('says how to install the generator when it is missing', () => {
    const { codes, stderr } = runRecorded([['import', 'core', '--spec', 'x.json']], { K8S_GEN_TEST_HIDE: '@k8s-gen/generator' });
    expect(codes).toEqual([2]);
    expect(stderr).toBe('error: k8s-gen import needs the code generator, @k8s-gen/generator, which is not installed\n  fix: install it beside k8s-gen: npm install --save-dev @k8s-gen/generator\n');
  });
});

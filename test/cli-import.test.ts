// The built `k8s-gen import` command end to end, as a user runs it: from a file, an http URL and
// stdin, on the official specs; the output type-checks; bad input gives one clear line.
import { execFile, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repoRoot, 'packages/cli/bin/k8s-gen.js');
const specs = path.resolve(repoRoot, '../shared/specs');
const spec136 = path.join(specs, 'kubernetes-v1.36.0.definitions.json');
const spec120 = path.join(specs, 'kubernetes-v1.20.2.swagger.json');
const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');

function k8sGen(args: string[], input?: string): SpawnSyncReturns<string> {
  return spawnSync('node', [bin, ...args], { encoding: 'utf8', input, env: { ...process.env, CI: 'true' } });
}

/** Like {@link k8sGen} but asynchronous, for calls served by an HTTP server in this process. */
function k8sGenAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', [bin, ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Every file below `dir`, relative, sorted, with its bytes: two equal listings mean identical trees. */
function snapshotTree(dir: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const walk = (sub: string) => {
    for (const name of readdirSync(path.join(dir, sub)).sort()) {
      const rel = path.join(sub, name);
      if (statSync(path.join(dir, rel)).isDirectory()) walk(rel);
      else out.push([rel, readFileSync(path.join(dir, rel), 'utf8')]);
    }
  };
  walk('');
  return out;
}

/** Type-checks `dir` strictly as a user project would (NodeNext, strict). */
function typecheck(dir: string): SpawnSyncReturns<string> {
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] },
      include: ['**/*.ts'],
    }),
  );
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  return spawnSync('node', [tsc, '-p', dir], { encoding: 'utf8', cwd: repoRoot });
}

const haveSpecs = existsSync(spec136) && existsSync(spec120);
if (!haveSpecs) console.warn(`skipping spec-based CLI tests: ${specs} is absent`);

describe.skipIf(!haveSpecs)('k8s-gen import on the official specs', () => {
  let work: string;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    // Inside the repo so that the generated code resolves zod from the workspace's node_modules.
    work = mkdtempSync(path.join(repoRoot, 'test', '.tmp-import-'));
    server = createServer((request, response) => {
      if (request.url !== '/openapi/v2') {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      createReadStream(spec120).pipe(response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => {
    server?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('writes core/v1 from a file, and the output type-checks with a program using it', () => {
    const out = path.join(work, 'from-file', 'imports');
    const result = k8sGen(['import', 'core', '--spec', spec136, '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/wrote \d+ files to .*core\/v1: \d+ types/);
    writeFileSync(
      path.join(work, 'from-file', 'main.ts'),
      `import { pod, PodSchema, type Pod } from './imports/index.js';
const p: Pod = pod().metadata({ name: 'web' }).spec({ containers: [{ name: 'web', image: 'nginx' }] }).build();
export const ok: boolean = PodSchema.safeParse(p).success;
// @ts-expect-error restartPolicy is a string in the spec, not a number
pod().spec({ containers: [], restartPolicy: 3 });
`,
    );
    const checked = typecheck(path.join(work, 'from-file'));
    expect(checked.stdout + checked.stderr).toBe('');
    expect(checked.status).toBe(0);
  });

  it('gives byte-identical output for a URL and for stdin carrying the same spec', async () => {
    const fromUrl = path.join(work, 'url');
    const fromStdin = path.join(work, 'stdin');
    const viaUrl = await k8sGenAsync(['import', 'core/v1', '--spec', `${baseUrl}/openapi/v2`, '--out', fromUrl]);
    expect(viaUrl.status, viaUrl.stderr).toBe(0);
    const viaStdin = k8sGen(['import', 'core', '--spec', '-', '--out', fromStdin], readFileSync(spec120, 'utf8'));
    expect(viaStdin.status, viaStdin.stderr).toBe(0);
    const a = snapshotTree(fromUrl);
    const b = snapshotTree(fromStdin);
    expect(a.map(([name]) => name)).toEqual(b.map(([name]) => name));
    // Headers name the input (a URL vs <stdin>); everything below them must be identical.
    const body = (text: string) => text.split('\n').slice(2).join('\n');
    for (let i = 0; i < a.length; i += 1) expect(body(a[i]![1])).toBe(body(b[i]![1]));
  });

  it('reports a missing URL as one line naming it, leaving no output behind', async () => {
    const out = path.join(work, 'missing');
    const result = await k8sGenAsync(['import', 'core', '--spec', `${baseUrl}/nope`, '--out', out]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${baseUrl}/nope`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });
});

describe('k8s-gen import input errors', () => {
  it('explains a file that is not a Kubernetes spec, without a stack trace', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'k8s-gen-bad-'));
    const file = path.join(dir, 'not-a-spec.json');
    writeFileSync(file, JSON.stringify({ hello: 'world' }));
    const result = k8sGen(['import', 'core', '--spec', file, '--out', path.join(dir, 'out')]);
    rmSync(dir, { recursive: true, force: true });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('not-a-spec.json');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects a selector that is not a group/version with a usage error', () => {
    const result = k8sGen(['import', 'core/v1/Pod', '--spec', 'x.json']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('core/v1/Pod');
    expect(result.stderr).toContain('fix:');
  });

  it('prints its version and help', () => {
    const version = k8sGen(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(repoRoot, 'packages/cli/package.json'), 'utf8')).version);
    const help = k8sGen(['import', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--spec');
  });
});

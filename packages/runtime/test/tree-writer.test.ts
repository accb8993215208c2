// The atomic tree writer, against real processes killed at random moments, umask 000, foreign
// links and folders, and paths that try to leave the output folder.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { generationStore, readTree, TreeWriteError, writeTreeAtomically } from '../src/node/index.js';
import { breakStaleLock } from '../src/node/tree-writer.js';

const require = createRequire(import.meta.url);
const tsx = pathToFileURL(require.resolve('tsx')).href;
const writer = fileURLToPath(new URL('./fixtures/write-forever.ts', import.meta.url));
const folders: string[] = [];
function scratch(): string {
  const folder = mkdtempSync(join(tmpdir(), 'k8s-gen-tree-'));
  folders.push(folder);
  return folder;
}
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('writeTreeAtomically', () => {
  it('makes the output a link to a complete generation, with exact modes and a self-ignoring store', () => {
    const root = scratch();
    const out = join(root, 'dist');
    writeTreeAtomically(out, [
      { path: 'a/kubeconfig.yaml', contents: 'token', secret: true },
      { path: 'a/policy.yaml', contents: 'p' },
      { path: 'b/README.md', contents: 'r' },
    ]);
    expect(lstatSync(out).isSymbolicLink()).toBe(true);
    expect(readlinkSync(out)).toMatch(/^\.dist\.k8s-gen\/g-[0-9a-f]+$/);
    expect([...readTree(out).entries()]).toEqual([['a/kubeconfig.yaml', 'token'], ['a/policy.yaml', 'p'], ['b/README.md', 'r']]);
    expect([mode(out), mode(join(out, 'a')), mode(join(out, 'a/kubeconfig.yaml')), mode(join(out, 'b')), mode(join(out, 'b/README.md'))]).toEqual(['700', '700', '600', '755', '644']);
    const git = spawnSync('git', ['status', '--porcelain', '--ignored'], { cwd: root, encoding: 'utf8' });
    if (git.status === 0) expect(git.stdout).not.toContain('.dist.k8s-gen');
  });

  it('keeps exact modes under umask 000', () => {
    const root = scratch();
    const script = `import { writeTreeAtomically } from ${JSON.stringify(pathToFileURL(fileURLToPath(new URL('../src/node/index.ts', import.meta.url))).href)};
process.umask(0);
writeTreeAtomically(${JSON.stringify(join(root, 'out'))}, [{ path: 's/k', contents: 'x', secret: true }, { path: 'p/f', contents: 'y' }]);`;
    const result = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    const out = join(root, 'out');
    expect([mode(out), mode(join(out, 's')), mode(join(out, 's/k')), mode(join(out, 'p')), mode(join(out, 'p/f'))]).toEqual(['700', '700', '600', '755', '644']);
  });

  it('is never missing, partial or mixed while writers are killed at random moments, and cleans their debris', async () => {
    const root = scratch();
    const out = join(root, 'dist');
    const count = 120;
    writeTreeAtomically(out, Array.from({ length: count }, (_, i) => ({ path: `t/f${String(i).padStart(4, '0')}.txt`, contents: 'start-0\n' })));
    let snapshots = 0;
    let kills = 0;
    const deadline = Date.now() + 8000;
    while (Date.now() < deadline) {
      const child = spawn(process.execPath, ['--import', tsx, writer, out, String(count), kills % 2 === 0 ? '1' : '0'], { stdio: 'ignore' });
      const killAt = Date.now() + 150 + Math.floor(Math.random() * 400);
      while (Date.now() < killAt) {
        // Read as a consumer would: resolve the link once, then read every file of that generation.
        const tree = readTree(out);
        expect(tree.size).toBe(count);
        expect(new Set([...tree.values()].map((text) => text.split('\n')[0])).size).toBe(1);
        snapshots++;
        await new Promise((resolve) => setImmediate(resolve));
      }
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      kills++;
    }
    expect(snapshots).toBeGreaterThan(20);
    // The next run removes what the killed ones left: only the new generation and the one it replaced remain.
    writeTreeAtomically(out, [{ path: 'done.txt', contents: 'done' }]);
    const store = generationStore(out);
    const entries = readdirSync(store).filter((entry) => entry !== '.gitignore');
    expect(entries.length).toBeLessThanOrEqual(2);
    expect(entries.every((entry) => entry.startsWith('g-') || entry.startsWith('old-'))).toBe(true);
    expect([...readTree(out).keys()]).toEqual(['done.txt']);
  }, 60_000);

  it('reads one whole generation while two writers replace small trees as fast as they can', async () => {
    // Small trees make generations short-lived: the link a reader follows often names a
    // generation that is already being removed (it can list as empty, or vanish between reading
    // the link and following it). Before readTree checked the link after each read, a few of
    // these reads in every thousand came back empty.
    const root = scratch();
    const out = join(root, 'dist');
    const count = 20;
    writeTreeAtomically(out, Array.from({ length: count }, (_, i) => ({ path: `t/f${String(i).padStart(4, '0')}.txt`, contents: 'start-0\n' })));
    const children = [0, 1].map(() => spawn(process.execPath, ['--import', tsx, writer, out, String(count), '0'], { stdio: 'ignore' }));
    try {
      let reads = 0;
      const sizes = new Map<number, number>();
      const deadline = Date.now() + 4000;
      while (Date.now() < deadline) {
        const tree = readTree(out);
        sizes.set(tree.size, (sizes.get(tree.size) ?? 0) + 1);
        expect(new Set([...tree.values()].map((text) => text.split('\n')[0])).size).toBe(1);
        reads++;
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(reads).toBeGreaterThan(500);
      expect([...sizes.keys()]).toEqual([count]);
    } finally {
      for (const child of children) child.kill('SIGKILL');
      await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once('exit', resolve)))));
    }
  }, 60_000);

  it('reads a link whose generation store was deleted as no output, and writes over it', () => {
    const root = scratch();
    const out = join(root, 'dist');
    writeTreeAtomically(out, [{ path: 'a.txt', contents: 'a' }]);
    rmSync(generationStore(out), { recursive: true, force: true });
    expect(readTree(out).size).toBe(0);
    writeTreeAtomically(out, [{ path: 'b.txt', contents: 'b' }]);
    expect([...readTree(out).entries()]).toEqual([['b.txt', 'b']]);
  });

  it('refuses paths that leave the output folder, before writing anything', () => {
    const root = scratch();
    const out = join(root, 'dist');
    for (const path of ['../../../escaped.txt', '/etc/passwd', 'a/../../b', 'a//b', 'a\\..\\b', 'a/./b', '', 'a\nb', 'x/y']) {
      const files = path === 'x/y' ? [{ path: 'x', contents: '' }, { path, contents: '' }] : [{ path, contents: 'x' }];
      expect(() => writeTreeAtomically(out, files), path).toThrow(TreeWriteError);
    }
    expect(readdirSync(root).filter((entry) => entry !== '.dist.k8s-gen')).toEqual([]);
  });

  it('never writes through a link it did not make, and replaces only folders the caller allows', () => {
    const root = scratch();
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(elsewhere);
    const out = join(root, 'dist');
    symlinkSync(elsewhere, out);
    expect(() => writeTreeAtomically(out, [{ path: 'a', contents: 'x' }])).toThrow(/did not make/);
    expect(readdirSync(elsewhere)).toEqual([]);

    const folder = join(root, 'folder');
    mkdirSync(folder);
    writeFileSync(join(folder, 'mine.txt'), 'keep me');
    expect(() => writeTreeAtomically(folder, [{ path: 'a', contents: 'x' }])).toThrow(/did not write/);
    expect(readTree(folder).get('mine.txt')).toBe('keep me');
    writeTreeAtomically(folder, [{ path: 'a', contents: 'x' }], { replaceFolder: () => true });
    expect([...readTree(folder).keys()]).toEqual(['a']);
    expect(lstatSync(folder).isSymbolicLink()).toBe(true);
  });

  it('waits for, and then refuses, a live writer of the same folder; breaks the lock of a dead one', () => {
    const root = scratch();
    const out = join(root, 'dist');
    writeTreeAtomically(out, [{ path: 'a', contents: '1' }]);
    const lock = join(generationStore(out), 'lock');
    writeFileSync(lock, `${process.ppid}\n`);
    expect(() => writeTreeAtomically(out, [{ path: 'a', contents: '2' }], { lockTimeoutMs: 200 })).toThrow(/another k8s-gen process/);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(lock, `${dead}\n`);
    writeTreeAtomically(out, [{ path: 'a', contents: '3' }]);
    expect(readTree(out).get('a')).toBe('3');
  });
  it('clears a dead writer\'s lock one writer at a time, and never a lock taken since', () => {
    const root = scratch();
    const out = join(root, 'dist');
    writeTreeAtomically(out, [{ path: 'a', contents: '1' }]);
    const store = generationStore(out);
    const lock = join(store, 'lock');
    const clearing = join(store, 'clearing');
    const claim = join(store, `lock-${process.pid}-test`);
    writeFileSync(claim, `${process.pid} mine\n`);
    const dead = deadPid();
    // The lock this writer found dead was cleared by another, and a live writer holds it now.
    const live = `${process.ppid} live\n`;
    writeFileSync(lock, live);
    expect(breakStaleLock(store, `${dead} gone\n`, claim)).toBe(true);
    expect(readFileSync(lock, 'utf8')).toBe(live);
    expect(existsSync(clearing)).toBe(false);
    // The dead lock itself is removed.
    writeFileSync(lock, `${dead} gone\n`);
    expect(breakStaleLock(store, `${dead} gone\n`, claim)).toBe(true);
    expect(existsSync(lock)).toBe(false);
    // A live writer is clearing: wait for it, touch nothing.
    writeFileSync(lock, `${dead} gone\n`);
    writeFileSync(clearing, `${process.ppid} clearer\n`);
    expect(breakStaleLock(store, `${dead} gone\n`, claim)).toBe(false);
    expect(readFileSync(lock, 'utf8')).toBe(`${dead} gone\n`);
    // A clearer killed in the middle: its `clearing` is removed, then the dead lock.
    writeFileSync(clearing, `${dead} clearer\n`);
    expect(breakStaleLock(store, `${dead} gone\n`, claim)).toBe(true);
    expect(existsSync(clearing)).toBe(false);
    rmSync(claim);
    writeTreeAtomically(out, [{ path: 'a', contents: '2' }]);
    expect(readTree(out).get('a')).toBe('2');
    expect(readdirSync(store).filter((entry) => /^(?:lock|clearing|stale-)/.test(entry))).toEqual([]);
  });

  it('does not switch the link when its lock was taken over while it wrote', () => {
    const root = scratch();
    const out = join(root, 'dist');
    mkdirSync(out);
    writeFileSync(join(out, 'mine.txt'), 'keep me');
    const lock = join(generationStore(out), 'lock');
    // replaceFolder runs under the lock: the lock changing hands there is what a writer that
    // lost it would see.
    const attempt = () =>
      writeTreeAtomically(out, [{ path: 'a', contents: 'x' }], {
        replaceFolder: () => {
          writeFileSync(lock, `${process.ppid} other\n`);
          return true;
        },
      });
    expect(attempt).toThrow(/took over the lock/);
    expect(lstatSync(out).isDirectory()).toBe(true);
    expect(readdirSync(out)).toEqual(['mine.txt']);
    expect(readFileSync(lock, 'utf8')).toBe(`${process.ppid} other\n`);
    expect(readdirSync(generationStore(out)).filter((entry) => entry.startsWith('g-') || entry.startsWith('link-'))).toEqual([]);
  });

  it('lets writers started together on a dead writer\'s lock all finish, one after another', async () => {
    const root = scratch();
    const out = join(root, 'dist');
    writeTreeAtomically(out, [{ path: 'a', contents: 'start' }]);
    const store = generationStore(out);
    writeFileSync(join(store, 'lock'), `${deadPid()} killed\n`);
    const module = JSON.stringify(pathToFileURL(fileURLToPath(new URL('../src/node/index.ts', import.meta.url))).href);
    // They wait for one start time, so that several find the dead lock in the same moment.
    const start = Date.now() + 2500;
    const children = Array.from({ length: 6 }, (_, i) =>
      spawn(process.execPath, ['--import', tsx, '--input-type=module', '-e', `import { writeTreeAtomically } from ${module};
while (Date.now() < ${start});
for (let n = 0; n < 5; n++) writeTreeAtomically(${JSON.stringify(out)}, [{ path: 'a', contents: 'writer ${i}' }, { path: 'b', contents: 'writer ${i}' }]);`], { stdio: ['ignore', 'ignore', 'pipe'] }),
    );
    const results = await Promise.all(
      children.map(
        (child) =>
          new Promise<{ code: number | null; stderr: string }>((resolve) => {
            let stderr = '';
            child.stderr!.on('data', (chunk) => (stderr += chunk));
            child.once('exit', (code) => resolve({ code, stderr }));
          }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 6 }, () => ({ code: 0, stderr: '' })));
    const tree = readTree(out);
    expect(tree.get('a')).toMatch(/^writer [0-5]$/);
    expect(tree.get('b')).toBe(tree.get('a'));
    expect(readdirSync(store).filter((entry) => /^(?:lock|clearing|stale-)/.test(entry))).toEqual([]);
  }, 60_000);
});

/** The id of a process that has exited. */
function deadPid(): string {
  return spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
}

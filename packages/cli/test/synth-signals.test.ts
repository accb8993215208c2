// `k8s-gen synth` never leaves its app running: a signal to the CLI is passed on, and if the CLI
// is killed outright (SIGKILL) the app notices the lost IPC channel and exits.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const cliRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const runner = join(cliRoot, 'test/fixtures/run-cli.ts');
const scratchRoot = join(cliRoot, 'test-output');
mkdirSync(scratchRoot, { recursive: true });
const scratch = mkdtempSync(join(scratchRoot, 'signals-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** An app that records its pid and then never finishes. */
function hangingApp(name: string): { app: string; pidFile: string } {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  const pidFile = join(dir, 'app.pid');
  const app = join(dir, 'audit.ts');
  writeFileSync(app, `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(pidFile)}, String(process.pid));\nsetInterval(() => {}, 1000);\n`);
  return { app, pidFile };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return condition();
}

describe('k8s-gen synth and its app', () => {
  for (const signal of ['SIGKILL', 'SIGTERM', 'SIGINT'] as const) {
    it(`ends the app when the CLI gets ${signal}`, async () => {
      const { app, pidFile } = hangingApp(signal.toLowerCase());
      const cli = spawn(process.execPath, ['--conditions=@k8s-gen/source', '--import', pathToFileURL(require.resolve('tsx')).href, runner, 'synth', app], { stdio: 'ignore' });
      expect(await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '', 30_000)).toBe(true);
      const appPid = Number(readFileSync(pidFile, 'utf8'));
      expect(alive(appPid)).toBe(true);
      const exited = new Promise<number | null>((r) => cli.once('exit', (code) => r(code)));
      cli.kill(signal);
      await exited;
      expect(await waitFor(() => !alive(appPid), 10_000), `app ${appPid} still runs after the CLI got ${signal}`).toBe(true);
    }, 60_000);
  }
});

// Conventions every command follows: colour only where wanted, quiet on a closed pipe, the same
// exit codes (and the same --kubernetes-version checking) everywhere, and help with examples.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { colourEnabled } from '../src/output.js';
import { runCli } from './cli-harness.js';

const require = createRequire(import.meta.url);
const runner = fileURLToPath(new URL('./fixtures/run-cli.ts', import.meta.url));
const nodeArgs = ['--conditions=@k8s-gen/source', '--import', pathToFileURL(require.resolve('tsx')).href, runner];
const ANSI = /\x1b\[[0-9;]*m/;

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [...nodeArgs, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('colour', () => {
  it('follows NO_COLOR and FORCE_COLOR, including FORCE_COLOR=0', () => {
    expect(colourEnabled({ NO_COLOR: '1' }, { isTTY: true })).toBe(false);
    expect(colourEnabled({ FORCE_COLOR: '0' }, { isTTY: true })).toBe(false);
    expect(colourEnabled({ FORCE_COLOR: 'false' }, { isTTY: true })).toBe(false);
    expect(colourEnabled({ FORCE_COLOR: '1' }, { isTTY: false })).toBe(true);
    expect(colourEnabled({}, { isTTY: false })).toBe(false);
    expect(colourEnabled({ TERM: 'dumb' }, { isTTY: true })).toBe(false);
    expect(colourEnabled({}, { isTTY: true })).toBe(true);
  });

  it('prints no escape codes with FORCE_COLOR=0, as CI sets it', () => {
    const run = cli(['explain', 'GET', '/api', '--policy', '/nonexistent.yaml'], { FORCE_COLOR: '0' });
    expect(run.stderr).toContain('error');
    expect(run.stderr).not.toMatch(ANSI);
    const forced = cli(['explain', 'GET', '/api', '--policy', '/nonexistent.yaml'], { FORCE_COLOR: '1', NO_COLOR: '' });
    expect(forced.stderr).toMatch(ANSI);
  });
});

describe('a closed pipe', () => {
  it('ends the command quietly', () => {
    const run = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" ${nodeArgs.map((a) => `'${a}'`).join(' ')} help lint | true`], { encoding: 'utf8' });
    expect(run.stderr).not.toMatch(/EPIPE|at .+:\d+:\d+/);
    expect(run.status).toBe(0);
  });
});

describe('exit codes and help', () => {
  it('every command lists the exit codes and has at least one example', async () => {
    const top = await runCli(['--help']);
    expect(top.stdout).toContain('Exit codes: 0 nothing wrong, 1 findings, 2 bad usage or unreadable input');
    const commands = [...top.stdout.matchAll(/^ {2}([a-z][a-z-]+)(?: \[|\s<| {2,})/gm)].map((m) => m[1]!).filter((name) => name !== 'help');
    expect(commands.length).toBeGreaterThan(5);
    for (const command of commands) {
      const help = await runCli([command, '--help']);
      expect(help.stdout, command).toContain('Exit codes: 0 nothing wrong');
      expect(help.stdout, command).toMatch(/Examples?:\n\s+\$ k8s-gen /);
    }
  });

  it('an unknown option is a usage error', async () => {
    expect((await runCli(['explain', '--nope'])).code).toBe(2);
  });

  it('--kubernetes-version banana is a usage error, with the fix', async () => {
    const run = await runCli(['explain', 'GET', '/api', '--policy', 'x.yaml', '--kubernetes-version', 'banana']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not a Kubernetes version');
  });

  it('shows the default Kubernetes version in words and lists format choices', async () => {
    const help = (await runCli(['explain', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toMatch(/default: 1\.\d+, the newest release k8s-gen models/);
    expect(help).toContain('choices: "text", "json"');
    expect(help).not.toContain('(default: [])');
  });
});

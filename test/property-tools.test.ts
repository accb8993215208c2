// The property-test tooling: the seed every fast-check property draws from (vitest.property-seed.ts)
// and the explorer that reruns them with random seeds (scripts/explore-properties.ts), run as a
// user runs them, in their own processes.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function node(args: string[], env: Record<string, string | undefined> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The seed fast-check is configured with after the seed module ran under `setting`. */
function seedUnder(setting: string | undefined) {
  const script = "await import('./vitest.property-seed.ts'); const fc = (await import('fast-check')).default; process.stdout.write(String(fc.readConfigureGlobal().seed));";
  return node(['--input-type=module', '-e', script], { K8S_GEN_PROPERTY_SEED: setting });
}

describe('the property seed', () => {
  it('is fixed by default, replays a given integer, and is left to fast-check for "random"', () => {
    const fixed = seedUnder(undefined);
    expect(fixed.status).toBe(0);
    expect(fixed.stdout).toMatch(/^\d+$/);
    expect(seedUnder('').stdout).toBe(fixed.stdout);
    expect(seedUnder(' 42 ').stdout).toBe('42');
    const random = seedUnder('random');
    expect(random.status).toBe(0);
    expect(random.stdout).toBe('undefined');
  });

  it('refuses a setting that is not an integer, saying what it takes', () => {
    for (const bad of ['abc', '1.5', '1e30']) {
      const run = seedUnder(bad);
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain(`K8S_GEN_PROPERTY_SEED must be an integer or "random", got ${JSON.stringify(bad)}`);
    }
  });
});

describe('scripts/explore-properties.ts', () => {
  it('lists the test files that draw inputs from fast-check, itself or through a local module, by workspace', () => {
    const run = node(['scripts/explore-properties.ts', '--list']);
    expect(run.status).toBe(0);
    const listed = new Map(run.stdout.trim().split('\n').map((line) => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2).split(' ')] as const));
    expect(listed.get('packages/engine')).toContain('test/evaluate.property.test.ts');
    // Through the hostile corpus, which builds its cases with fast-check.
    expect(listed.get('test')).toContain('hostile/collectors/fluentbit.test.ts');
    expect(listed.get('test') ?? []).not.toContain('readme.test.ts');
    for (const [workspace, files] of listed) {
      for (const file of files) {
        expect(existsSync(join(root, workspace, file)), `${workspace}/${file}`).toBe(true);
        expect(file).toMatch(/\.test\.ts$/);
      }
    }
    // A file that imports fast-check itself is always listed.
    const direct = readFileSync(join(root, 'packages/engine/test/evaluate.property.test.ts'), 'utf8');
    expect(direct).toMatch(/from 'fast-check'/);
  });

  it('refuses arguments it cannot use with exit code 2, the reason and the usage, and no stack trace', () => {
    const cases: [string[], string][] = [
      [['--rounds', '0'], '--rounds "0" is not a positive integer'],
      [['--rounds', 'two'], '--rounds "two" is not a positive integer'],
      [['--factor=-1'], '--factor "-1" is not a positive number'],
      [['--factor', '0'], '--factor "0" is not a positive number'],
      [['--factor', '-1'], "--factor=-XYZ"],
      [['--rounds'], "'--rounds <value>' argument missing"],
      [['--bogus'], "Unknown option '--bogus'"],
    ];
    for (const [args, reason] of cases) {
      const run = node(['scripts/explore-properties.ts', ...args]);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toContain(reason);
      expect(run.stderr).toContain('usage: npm run test:explore --');
      expect(run.stderr).not.toMatch(/^\s+at /m);
    }
  });
});

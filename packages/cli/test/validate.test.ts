// `k8s-gen validate` on the files kube-apiserver refuses or accepts, and on hostile input: every
// file is checked or an error, and the exit code says which (0 clean, 1 findings, 2 usage or an
// unreadable file). The apiserver verdicts are in @k8s-gen/audit's test/hostile/cases.ts, with the
// upstream line each one follows.
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, tempFile } from './cli-harness.js';

const POLICY = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n';
const hasStack = (text: string) => /^\s+at .+:\d+:\d+\)?$/m.test(text);

describe('k8s-gen validate gives the apiserver verdict', () => {
  it.each([
    ['an empty file', '', 'empty-file'],
    ['a comment-only file', '# audit policy\n', 'empty-file'],
    ['kind: PolicyList', 'apiVersion: audit.k8s.io/v1\nkind: PolicyList\nitems: []\n', 'wrong-kind'],
    ['apiVersion: v1 with kind: Policy', POLICY.replace('audit.k8s.io/v1', 'v1'), 'unknown-api-version'],
    ['a misspelled kind', POLICY.replace('kind: Policy', 'kind: Polcy'), 'wrong-kind'],
    ['a misspelled apiVersion', POLICY.replace('audit.k8s.io', 'audit.k8s.oi'), 'unknown-api-version'],
  ])('refuses %s (exit 1)', async (_, text, code) => {
    const file = tempFile('policy.yaml', text);
    const run = await runCli(['validate', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`[${code}]`);
    expect(run.stdout).toBe('');
  });

  it.each([
    ['a policy without kind', POLICY.replace('kind: Policy\n', '')],
    ['metadata the apiserver ignores', POLICY.replace('rules:', 'metadata:\n  name: audit\n  generation: 4\n  labels: {team: platform}\nrules:')],
  ])('accepts %s (exit 0)', async (_, text) => {
    const file = tempFile('policy.yaml', text);
    const run = await runCli(['validate', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${file}: ok (policy)\n`);
  });

  it('refuses a second document by default and only warns with --as-apiserver, which reads the first alone', async () => {
    const file = tempFile('policy.yaml', `${POLICY}  verb: [get]\n---\nrules: []\n`);
    const strict = await runCli(['validate', file]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('error [unknown-field]');
    expect(strict.stderr).toContain('error [ignored-document]');
    const apiserver = await runCli(['validate', file, '--as-apiserver']);
    expect(apiserver.code).toBe(0);
    expect(apiserver.stderr).toContain('warning [unknown-field]');
    expect(apiserver.stderr).toContain('warning [ignored-document]');
    expect(apiserver.stdout).toBe(`${file}: ok (policy)\n`);
  });

  it('--as-apiserver still refuses what the apiserver refuses', async () => {
    const run = await runCli(['validate', tempFile('policy.yaml', `${POLICY}- level: Loud\n`), '--as-apiserver', '--kubernetes-version', '1.20']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error [V3-level-unsupported]');
  });
});

describe('k8s-gen validate exit codes', () => {
  it('exits 2 for a --kubernetes-version that is no release, before reading anything', async () => {
    const run = await runCli(['validate', tempFile('policy.yaml', POLICY), '--kubernetes-version', 'banana']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"banana" is not a Kubernetes version');
    expect(run.stdout).toBe('');
  });

  it('exits 2 for a file that cannot be read, even when other files have findings', async () => {
    const run = await runCli(['validate', tempFile('bad.yaml', `${POLICY}- level: Loud\n`), '/nonexistent/policy.yaml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('/nonexistent/policy.yaml: error [file-unreadable]');
  });
});

describe('k8s-gen validate on hostile input', () => {
  const laughs = ['x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]', ...Array.from({ length: 9 }, (_, i) => `x${i + 1}: &x${i + 1} [${Array(10).fill(`*x${i}`).join(', ')}]`)].join('\n');
  it.each([
    ['an alias bomb', `${POLICY}${laughs}\n`, 'yaml-alias-expansion'],
    ['a recursive alias', `${POLICY}extra: &a [*a]\n`, 'yaml-alias-recursive'],
    ['an undefined alias', `${POLICY}extra: *nowhere\n`, 'yaml-alias-undefined'],
    ['10,000-deep nesting', `${POLICY}extra: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, 'yaml-too-deep'],
    ['10,000-deep block nesting', `${POLICY}extra:\n${'- '.repeat(10_000)}x\n`, 'yaml-too-deep'],
    ['a control character', `${POLICY}# \u001b[2J\n`, 'yaml-control-character'],
    ['a 50 MB policy', `${POLICY}${'- level: None\n  users: [system:kube-proxy]\n'.repeat(1_300_000)}`, 'input-too-large'],
  ])('refuses %s with a problem (exit 1, no stack)', async (_, text, code) => {
    const run = await runCli(['validate', tempFile('hostile.yaml', text)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`[${code}]`);
    expect(hasStack(run.stderr)).toBe(false);
  });

  it('refuses malformed UTF-8 read from disk', async () => {
    const file = tempFile('latin1.yaml', '');
    writeFileSync(file, Buffer.concat([Buffer.from(`${POLICY}- level: None\n  users: [`), Buffer.from([0xe9]), Buffer.from(']\n')]));
    const run = await runCli(['validate', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}:6:11: error [yaml-invalid-encoding]`);
  });
});

describe('the policy commands share the reader', () => {
  const bomb = ['x0: &x0 [a, a, a, a, a, a, a, a, a, a]', ...Array.from({ length: 9 }, (_, i) => `x${i + 1}: &x${i + 1} [${Array(10).fill(`*x${i}`).join(', ')}]`)].join('\n');

  it.each([
    ['lint', (file: string) => ['lint', file]],
    ['explain', (file: string) => ['explain', '--policy', file, 'GET', '/api/v1/pods']],
  ])('%s refuses a hostile policy with the reader\'s problem (exit 1)', async (_, args) => {
    for (const text of [`${POLICY}${bomb}\n`, `${POLICY}extra: ${'['.repeat(10_000)}\n`, `${POLICY}extra: &a {b: *a}\n`]) {
      const run = await runCli(args(tempFile('hostile.yaml', text)));
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/\[yaml-(alias-expansion|too-deep|alias-recursive)\]/);
      expect(hasStack(run.stderr)).toBe(false);
    }
  });

  it('lint exits 2 for a bad --kubernetes-version or a missing file', async () => {
    expect((await runCli(['lint', tempFile('p.yaml', POLICY), '--kubernetes-version', 'banana'])).code).toBe(2);
    expect((await runCli(['lint', '/nonexistent/p.yaml'])).code).toBe(2);
  });
});

// `k8s-gen suggest`, run in-process on a small log written here and on the shared sample.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '@k8s-gen/audit';
import { lint } from '@k8s-gen/engine';
import { itWithShared, SHARED_FILES, sharedPath } from '../../../test/support/shared-data.js';
import { runCli, tempFile } from './cli-harness.js';

const event = (id: number, stage: string, verb: string, uri: string, user: string, objectRef?: Record<string, string>, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'RequestResponse',
    auditID: `id-${id}`,
    stage,
    requestURI: uri,
    verb,
    user: { username: user, groups: ['system:authenticated'] },
    ...(objectRef ? { objectRef: { apiVersion: 'v1', ...objectRef } } : {}),
    ...extra,
    requestReceivedTimestamp: '2026-01-01T00:00:00.000000Z',
    stageTimestamp: '2026-01-01T00:00:01.000000Z',
  });
const secretBody = { kind: 'Secret', apiVersion: 'v1', metadata: { name: 'db' }, data: { password: 'c2VjcmV0'.repeat(50) } };
const log = tempFile(
  'audit.log',
  [
    ...[1, 2, 3].map((id) => event(id, 'ResponseComplete', 'get', '/api/v1/namespaces/a/secrets/db', 'alice', { resource: 'secrets', namespace: 'a', name: 'db' }, { responseObject: secretBody })),
    ...[4, 5].map((id) => event(id, 'ResponseComplete', 'get', '/healthz', 'system:kube-probe')),
    event(6, 'ResponseComplete', 'create', '/api/v1/namespaces/a/pods', 'bob', { resource: 'pods', namespace: 'a' }, { requestObject: { kind: 'Pod', spec: { containers: [{ name: 'c', image: 'nginx' }] } } }),
  ].join('\n') + '\n',
);

describe('k8s-gen suggest', () => {
  it('prints a valid, lint-clean policy to stdout and the proof to stderr', async () => {
    const run = await runCli(['suggest', log, '--profile', 'cis', '--keep', 'url=/healthz*:<=None']);
    expect(run.code).toBe(0);
    const parsed = parsePolicy(run.stdout);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(lint(parsed.policy)).toEqual([]);
    expect(run.stdout).toContain('# Input: ');
    expect(run.stderr).toContain('Lint: no findings.');
    expect(run.stderr).toMatch(/before: 6 events/);
    expect(run.stderr).toContain('met  cis.secrets: exactly Metadata');
    expect(run.stderr).toContain('probe: get /healthz by system:kube-probe (2 in the log) -> rules[');
    // Secret values never reach either output.
    expect(run.stdout + run.stderr).not.toContain('c2VjcmV0');
  });

  it('with -o writes the policy atomically and prints the proof to stdout', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'k8s-gen-suggest-')), 'policy.yaml');
    const run = await runCli(['suggest', log, '--profile', 'falco', '-o', out]);
    expect(run.code).toBe(0);
    expect(parsePolicy(readFileSync(out, 'utf8')).ok).toBe(true);
    expect(run.stdout).toContain('Requirements (');
    expect(run.stdout).toContain(`Wrote ${out}.`);
  });

  it('--format json gives the policy, the rules with their shares and the verdicts', async () => {
    const run = await runCli(['suggest', log, '--keep', 'secrets:=Metadata', '--format', 'json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { ok: boolean; yaml: string; rules: Array<{ input: { events: number } }>; proof: { verdicts: Array<{ met: boolean }> } };
    expect(result.ok).toBe(true);
    expect(result.rules.reduce((sum, rule) => sum + rule.input.events, 0)).toBe(6);
    expect(result.proof.verdicts.every((verdict) => verdict.met)).toBe(true);
  });

  it('a bad --keep is a usage error naming the fix, and nothing is written', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'k8s-gen-suggest-')), 'policy.yaml');
    const run = await runCli(['suggest', log, '--keep', 'secrets:Metdata', '-o', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('keep[0]: error [keep-level]');
    expect(run.stderr).toContain('did you mean Metadata?');
    expect(existsSync(out)).toBe(false);
  });

  it('a requirement that cannot be met exits 1 and writes nothing', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'k8s-gen-suggest-')), 'policy.yaml');
    const run = await runCli(['suggest', log, '--keep', 'secrets:RequestResponse', '-o', out]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('error [requirement-unsatisfiable] keep[0]');
    expect(existsSync(out)).toBe(false);
  });

  it('no requirements, a missing log or an unknown profile are usage errors', async () => {
    expect((await runCli(['suggest', log])).stderr).toContain('no requirements');
    const missing = await runCli(['suggest', '/nonexistent/audit.log', '--profile', 'cis']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read audit log');
    expect((await runCli(['suggest', log, '--profile', 'pci'])).code).toBe(2);
  });

  itWithShared('on the RequestResponse sample, with cis and falco', [SHARED_FILES.sampleLog], async () => {
    const run = await runCli(['suggest', sharedPath(SHARED_FILES.sampleLog), '--profile', 'cis', '--profile', 'falco']);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(/NOT MET|UNDECIDED/);
    expect(run.stderr).toContain('Largest traffic that only a floor keeps');
  }, 120_000);
});

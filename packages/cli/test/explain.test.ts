// `k8s-gen explain`, run in-process against policy files on disk.
import { describe, expect, it } from 'vitest';
import { runCli, tempFile } from './cli-harness.js';

const policy = tempFile(
  'policy.yaml',
  `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: None
    users: [system:kube-proxy]
    verbs: [watch]
    resources:
      - group: ""
        resources: [endpoints, services]
  - level: Metadata
    resources:
      - group: ""
        resources: [secrets]
  - level: RequestResponse
`,
);

const commented = tempFile(
  'commented.yaml',
  `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  # kube-proxy watches are constant and uninteresting
  - level: None
    users: [system:kube-proxy]
  # everything else
  - level: Metadata
`,
);

describe('k8s-gen explain', () => {
  it('names the deciding rule by index, line and comment', async () => {
    const run = await runCli(['explain', '--policy', commented, 'GET', '/api/v1/pods', '--user', 'system:kube-proxy']);
    expect(run.stdout).toContain('result: rules[0], line 5 "kube-proxy watches are constant and uninteresting" decides level None');
  });

  it('prints the matching rule and why earlier rules did not match', async () => {
    const run = await runCli(['explain', '--policy', policy, 'GET', '/api/v1/namespaces/a/secrets/x', '--user', 'alice', '--group', 'dev']);
    expect(run.code).toBe(0);
    // Rules are named by index and by the line they start on in the file.
    expect(run.stdout).toContain('rules[0], line 5 (level None): does not match\n  - users ["system:kube-proxy"] does not include "alice"\n  - verbs ["watch"] does not include "get"');
    expect(run.stdout).toContain('rules[1], line 11 (level Metadata): MATCHES');
    expect(run.stdout).toContain('result: rules[1], line 11 decides level Metadata\n  stages emitted: ResponseComplete');
    expect(run.stdout).toContain('user "alice" in groups ["dev", "system:authenticated"]');
  });

  it('matches the impersonator and prints JSON on request', async () => {
    const run = await runCli(['explain', '--policy', policy, 'GET', '/api/v1/namespaces/a/endpoints?watch=1', '--user', 'system:kube-proxy', '--impersonate', 'bob', '--format', 'json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.result).toMatchObject({ ruleIndex: 0, level: 'None', stages: [] });
    expect(json.request).toMatchObject({ verb: 'watch', impersonatedUser: { name: 'bob' } });
  });

  it('models failed authentication', async () => {
    const run = await runCli(['explain', '--policy', policy, 'GET', '/api/v1/pods', '--unauthenticated']);
    expect(run.stdout).toContain('result: rules[2], line 15 decides level RequestResponse\n  stages emitted: ResponseStarted');
  });

  it('reports policy problems with file, line and column and exits 1', async () => {
    const bad = tempFile('bad.yaml', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Loud\n');
    const run = await runCli(['explain', '--policy', bad, 'GET', '/version']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:\\d+: rules\\[0\\]\\.level`));
    expect(run.stdout).toBe('');
  });

  it('reports a missing file and a URL the apiserver cannot parse without a stack trace', async () => {
    const missing = await runCli(['explain', '--policy', '/nonexistent/p.yaml', 'GET', '/version']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read policy file /nonexistent/p.yaml (ENOENT)');
    const watch = await runCli(['explain', '--policy', policy, 'GET', '/api/v1/watch']);
    expect(watch.code).toBe(1);
    expect(watch.stderr).toContain('without a resource');
    expect(watch.stderr).not.toContain('    at ');
  });
});

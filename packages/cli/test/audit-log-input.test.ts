// The analysis commands reading an audit log in any format the engine knows: `cost`,
// `explain --log` and `lint --log`, with `--input-format` or recognised, and one clear error for
// a file in no known format. The events are written here; the EKS wrapper is the CloudWatch Logs
// FilterLogEvents answer (`aws logs filter-log-events`), whose `message` is the apiserver's line.
import { describe, expect, it } from 'vitest';
import { runCli, tempFile } from './cli-harness.js';

const event = (auditID: string, verb: string, uri: string, user: string, resource: { resource: string; namespace?: string; name?: string }) => ({
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'Metadata',
  auditID,
  stage: 'ResponseComplete',
  requestURI: uri,
  verb,
  user: { username: user, groups: ['system:authenticated'] },
  sourceIPs: ['10.0.0.1'],
  objectRef: { apiVersion: 'v1', ...resource },
  responseStatus: { metadata: {}, code: 200 },
  requestReceivedTimestamp: '2024-05-16T17:03:59.000000Z',
  stageTimestamp: '2024-05-16T17:03:59.010000Z',
});

const events = [
  event('0b6c1c54-1f7a-4d6e-9a38-000000000001', 'get', '/api/v1/namespaces/a/secrets/x', 'alice', { resource: 'secrets', namespace: 'a', name: 'x' }),
  event('0b6c1c54-1f7a-4d6e-9a38-000000000002', 'list', '/api/v1/namespaces/a/pods', 'bob', { resource: 'pods', namespace: 'a' }),
  event('0b6c1c54-1f7a-4d6e-9a38-000000000003', 'list', '/api/v1/namespaces/a/pods', 'bob', { resource: 'pods', namespace: 'a' }),
];
const kubernetesLog = tempFile('audit.log', `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
const eksLog = tempFile(
  'eks-audit.json',
  JSON.stringify(
    { events: events.map((e, i) => ({ logStreamName: 'kube-apiserver-audit-5f0e2d9c', timestamp: 1715878000000 + i, message: JSON.stringify(e), ingestionTime: 1715878000900 + i, eventId: String(i) })), searchedLogStreams: [] },
    null,
    2,
  ),
);
const policy = tempFile(
  'policy.yaml',
  `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: None
    resources:
      - group: ""
        resources: [configmaps]
  - level: Metadata
    resources:
      - group: ""
        resources: [secrets]
  - level: Request
    userGroups: [ops]
  - level: RequestResponse
`,
);
const notAudit = tempFile('app.log', `${JSON.stringify({ level: 'info', msg: 'started', ts: 1 })}\n`);

describe('cost with a managed cluster log', () => {
  it('recognises an EKS export, says so, and replays its events', async () => {
    const run = await runCli(['cost', '--policy', policy, eksLog, '--format', 'json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`note: ${eksLog} read as Amazon EKS`);
    const report = JSON.parse(run.stdout);
    expect(report.input.format.format).toBe('eks');
    expect(report.input.events).toBe(3);
    expect(report.input.requests).toBe(3);
  });

  it('takes --input-format, and fails clearly when the log holds no event of that format', async () => {
    const given = await runCli(['cost', '--policy', policy, eksLog, '--input-format', 'eks', '--format', 'json']);
    expect(given.code).toBe(0);
    expect(JSON.parse(given.stdout).input.format.shape).toBe('given as eks');
    const wrong = await runCli(['cost', '--policy', policy, kubernetesLog, '--input-format', 'gke']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`no record of ${kubernetesLog} held an audit event of the gke format`);
    expect(wrong.stdout).toBe('');
  });

  it('says which formats it reads for a file in none of them, without a stack trace', async () => {
    const run = await runCli(['cost', '--policy', policy, notAudit]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the first record of the log is a JSON object with the keys level, msg, ts, which is in no audit log format the engine reads');
    expect(run.stderr).toContain('--input-format kubernetes|eks|gke|aks');
    expect(run.stderr).not.toContain('    at ');
    const bad = await runCli(['cost', '--policy', policy, kubernetesLog, '--input-format', 'splunk']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('auto, kubernetes, eks, gke, aks');
  });
});

describe('explain --log', () => {
  it('explains the most frequent kinds of request first', async () => {
    const run = await runCli(['explain', '--policy', policy, '--log', kubernetesLog]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${kubernetesLog}: 3 request(s) of 2 kind(s)\n`);
    const first = run.stdout.indexOf('2 request(s) like audit ID 0b6c1c54-1f7a-4d6e-9a38-000000000002');
    const second = run.stdout.indexOf('1 request(s) like audit ID 0b6c1c54-1f7a-4d6e-9a38-000000000001');
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(run.stdout).toContain('result: rules[3], line 14 decides level RequestResponse');
    expect(run.stdout).toContain('result: rules[1], line 8 decides level Metadata');
  });

  it('picks one request by audit ID, reads EKS exports, and prints JSON', async () => {
    const run = await runCli(['explain', '--policy', policy, '--log', eksLog, '--audit-id', '0b6c1c54-1f7a-4d6e-9a38-000000000001', '--format', 'json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({ requests: 1, kinds: 1, format: { format: 'eks' } });
    expect(json.explained[0].explanation.result).toMatchObject({ ruleIndex: 1, level: 'Metadata' });
    expect(json.explained[0].explanation.result.rule).toBeUndefined();
    const missing = await runCli(['explain', '--policy', policy, '--log', kubernetesLog, '--audit-id', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no request of');
  });

  it('refuses a request and a log together, and a request without its URL', async () => {
    const both = await runCli(['explain', '--policy', policy, '--log', kubernetesLog, 'GET', '/api', '--user', 'alice']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('GET, --user cannot be given with it');
    const neither = await runCli(['explain', '--policy', policy, 'GET']);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('explain needs METHOD and URL, or --log FILE');
    const id = await runCli(['explain', '--policy', policy, 'GET', '/api', '--audit-id', 'x']);
    expect(id.code).toBe(2);
  });
});

describe('lint --log', () => {
  it('adds the rules no logged request reaches to the policy findings', async () => {
    const run = await runCli(['lint', policy, '--log', kubernetesLog]);
    // The policy's own findings (it logs token bodies) are errors, with or without the log.
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('[sensitive-body-logged]');
    expect(run.stdout).toContain(`${policy}:4:5: rules[0]: info [rule-unused-in-log] no request of this kubernetes log (3 requests) is decided by rules[0]`);
    expect(run.stdout).toContain('[rule-unused-in-log] no request of this kubernetes log (3 requests) is decided by rules[2]');
    expect(run.stdout).not.toContain('is decided by rules[1]');
    expect(run.stdout).not.toContain('is decided by rules[3]');
    const alone = await runCli(['lint', policy]);
    expect(alone.stdout).not.toContain('rule-unused-in-log');
  });

  it('reports an unreadable log once, as a usage error', async () => {
    const run = await runCli(['lint', policy, '--log', '/nonexistent/audit.log']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot read audit log /nonexistent/audit.log: ENOENT');
  });
});

describe('values from a hostile log on the terminal', () => {
  // A user name, verb or path is whatever the log says: printed raw, an escape sequence would
  // recolour or clear the terminal, and a line break would print a line that looks like the report's.
  const hostile = event('0b6c1c54-1f7a-4d6e-9a38-000000000009', 'get\u001b]0;owned\u0007', '/api/v1/namespaces/a/secrets/x', 'eve\u001b[2J\r\nlog: 0 events\u202e', { resource: 'secrets', namespace: 'a', name: 'x' });
  const log = tempFile('hostile.log', `${JSON.stringify(hostile)}\n`);

  it('cost writes them with their control and bidi characters escaped, each key on its own line', async () => {
    const run = await runCli(['cost', '--policy', policy, log]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(run.stdout).toContain('  eve\\u001b[2J\\u000d\\u000alog: 0 events\\u202e: log 1 ev');
    expect(run.stdout).toContain('  get\\u001b]0;owned\\u0007: log 1 ev');
    expect(run.stdout.split('\n').filter((line) => line.startsWith('log:') || line.startsWith('  log:'))).toHaveLength(1);
  });

  it('the bad-line warning quotes a hostile value escaped', async () => {
    const bad = tempFile('bad-stage.log', `${JSON.stringify({ ...hostile, stage: 'Odd\u202e\u001b[2J' })}\n`);
    const run = await runCli(['cost', '--policy', policy, bad]);
    expect(run.stderr).toContain('unknown stage "Odd\\u202e\\u001b[2J"');
    expect(run.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  });

  it('lint and check write text reports with such characters escaped', async () => {
    const odd = tempFile('odd-policy.yaml', 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: RequestResponse\n    users: ["ev\\u001b[2Jil\\u202e"]\n    resources: [{group: "", resources: [secrets]}]\n  - level: Metadata\n');
    const linted = await runCli(['lint', odd]);
    expect(linted.stdout).toContain('[sensitive-body-logged]');
    expect(linted.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    const flags = tempFile('flags.txt', '--audit-log-path=/var/log/a\u202e.log\n--audit-policy-file=/etc/p.yaml\n');
    const checked = await runCli(['check', flags]);
    expect(checked.stdout).toContain('\\u202e');
    expect(checked.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  });

  it('lint --log and explain --log never print them raw either', async () => {
    for (const args of [['lint', policy, '--log', log], ['explain', '--policy', policy, '--log', log]]) {
      const run = await runCli(args);
      expect(`${run.stdout}${run.stderr}`, args[0]).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    }
  });
});

import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compareKubectlKeys, type Config, kubeconfig, loadKubeconfig, parseKubeconfig, toYaml, webhookKubeconfig } from '../src/index.js';
import { scratchDir, seedLogstashKubeconfig } from './helpers.js';
import { describeWithShared, SHARED_FILES } from '../../../test/support/shared-data.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const sample: Config = {
  apiVersion: 'v1',
  kind: 'Config',
  preferences: {},
  clusters: [{ name: 'audit', cluster: { server: 'https://audit.example.com/events', 'tls-server-name': 'on', 'certificate-authority-data': 'QUJD' } }],
  users: [
    {
      name: 'apiserver',
      user: {
        tokenFile: '/etc/kubernetes/audit.token',
        as: 'writer',
        'as-groups': ['yes', '0777'],
        'as-user-extra': { 'example.com/team': ['platform'] },
        exec: { command: 'audit-token', args: ['--audience', 'audit'], env: [{ name: 'MODE', value: 'null' }], apiVersion: 'client.authentication.k8s.io/v1beta1', interactiveMode: 'Never' },
      },
    },
  ],
  contexts: [{ name: 'webhook', context: { cluster: 'audit', user: 'apiserver', namespace: 'n' } }],
  'current-context': 'webhook',
};

describe('toYaml', () => {
  it('round-trips: parsing the output gives back the same config', () => {
    const parsed = parseKubeconfig(toYaml(sample));
    expect(parsed.problems).toEqual([]);
    expect(parsed.config).toEqual(sample);
  });

  it('is deterministic whatever the key order of the input', () => {
    const reverseKeys = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reverseKeys)
        : typeof value === 'object' && value !== null
          ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]))
          : value;
    const shuffled = reverseKeys(sample) as Config;
    expect(Object.keys(shuffled)).not.toEqual(Object.keys(sample));
    expect(toYaml(shuffled)).toBe(toYaml(sample));
  });

  it('orders keys as kubectl does (go-yaml v2 order)', () => {
    const text = toYaml(sample);
    const topKeys = text.split('\n').filter((l) => /^[a-z-]+:/i.test(l)).map((l) => l.split(':')[0]);
    expect(topKeys).toEqual(['apiVersion', 'clusters', 'contexts', 'current-context', 'kind', 'preferences', 'users']);
    const userKeys = text.split('\n').filter((l) => /^ {4}[a-zA-Z-]+:/.test(l)).map((l) => l.trim().split(':')[0]);
    expect(userKeys).toEqual(['certificate-authority-data', 'server', 'tls-server-name', 'cluster', 'namespace', 'user', 'as', 'as-groups', 'as-user-extra', 'exec', 'tokenFile']);
    // the order kubectl 1.32 prints for these as-user-extra keys
    expect(['ab', 'a-b', 'a10', 'a2', 'B', '_x', 'a'].sort(compareKubectlKeys)).toEqual(['_x', 'B', 'a', 'a-b', 'a2', 'a10', 'ab']);
  });

  it('quotes strings that YAML 1.1 would read as something else', () => {
    const text = toYaml(sample);
    expect(text).toContain('tls-server-name: "on"');
    expect(text).toContain('- "yes"');
    expect(text).toContain('- "0777"');
    expect(text).toContain('value: "null"');
    // a YAML 1.1 reader (like the Go loader) gets strings back
    const reread = parse(text, { version: '1.1' }) as Config;
    expect(reread.users![0]!.user['as-groups']).toEqual(['yes', '0777']);
  });

  it('keeps long base64 values on one line', () => {
    const data = Buffer.alloc(3000, 7).toString('base64');
    const text = toYaml({ clusters: [{ name: 'c', cluster: { server: 'https://x', 'certificate-authority-data': data } }] });
    expect(text).toContain(`certificate-authority-data: ${data}\n`);
  });

  it('writes builder comments above their entries', () => {
    const config = kubeconfig()
      .cluster((c) => c.name('audit').cluster({ server: 'https://x' }).comment('the audit receiver'))
      .build();
    expect(toYaml(config)).toContain('clusters:\n# the audit receiver\n- cluster:');
  });
});

describeWithShared('the seed logstash webhook kubeconfig', [SHARED_FILES.seed], () => {
  it('is rebuilt with builders into an equal config and the same YAML', () => {
    const seedText = seedLogstashKubeconfig('10.0.0.5');
    const seed = parseKubeconfig(seedText, { file: 'seed-001' });
    expect(seed.problems).toEqual([]);

    const built = kubeconfig()
      .addCluster('logstash', { server: 'http://10.0.0.5:8888' })
      .addContext('default-context', { cluster: 'logstash', user: '' })
      .currentContext('default-context')
      .preferences({})
      .users()
      .build();
    expect(built).toEqual(seed.config);
    expect(toYaml(built)).toBe(seedText);

    const chained = kubeconfig()
      .preferences({})
      .cluster()
      .name('logstash')
      .cluster({ server: 'http://10.0.0.5:8888' })
      .end()
      .users()
      .context()
      .name('default-context')
      .context({ cluster: 'logstash', user: '' })
      .end()
      .currentContext('default-context')
      .build();
    expect(chained).toEqual(seed.config);

    const convenience = webhookKubeconfig({ server: 'http://10.0.0.5:8888', names: { cluster: 'logstash', context: 'default-context' } });
    expect(convenience).toEqual(seed.config);
  });
});

describe('parseKubeconfig', () => {
  it('reports syntax errors with file, line and column', () => {
    const result = parseKubeconfig('clusters:\n- name: a\n  cluster: {server: x\n', { file: 'bad.yaml' });
    expect(result.config).toBeUndefined();
    expect(result.problems[0]).toMatchObject({ severity: 'error', code: 'yaml-syntax', file: 'bad.yaml', line: expect.any(Number), column: expect.any(Number) });
  });

  it('points unknown keys at their line and column with a did-you-mean fix', () => {
    const text = ['clusters:', '- name: a', '  cluster:', '    server: https://x', '    certificate-authority-dat: QUJD', ''].join('\n');
    const result = parseKubeconfig(text, { file: 'k.yaml' });
    expect(result.config).toBeUndefined();
    expect(result.problems).toEqual([
      expect.objectContaining({ code: 'unknown-field', path: 'clusters[0].cluster.certificate-authority-dat', line: 5, column: 5, file: 'k.yaml', fix: expect.stringContaining('`certificate-authority-data`') }),
    ]);
  });

  it('reports duplicate keys', () => {
    const result = parseKubeconfig('current-context: a\ncurrent-context: b\n');
    expect(result.problems).toContainEqual(expect.objectContaining({ code: 'duplicate-key', line: 2, column: 1 }));
  });

  it('reports YAML 1.1 numbers and booleans where strings are expected, as the Go loader does', () => {
    const result = parseKubeconfig('users:\n- name: u\n  user:\n    token: 0123\n    as: n\ncurrent-context:\n');
    expect(result.config).toBeUndefined();
    expect(result.problems).toEqual([
      expect.objectContaining({ code: 'wrong-type', path: 'users[0].user.token', line: 4, fix: expect.stringContaining('quote') }),
      expect.objectContaining({ code: 'wrong-type', path: 'users[0].user.as', line: 5 }),
    ]);
  });

  it('reads YAML 1.1 booleans where booleans are expected', () => {
    const result = parseKubeconfig('clusters:\n- name: c\n  cluster:\n    server: https://x\n    insecure-skip-tls-verify: yes\n');
    expect(result.config?.clusters?.[0]?.cluster['insecure-skip-tls-verify']).toBe(true);
  });

  it('treats an empty file as an empty config', () => {
    expect(parseKubeconfig('')).toMatchObject({ config: {}, problems: [] });
  });

  it('reports wrong types without echoing secret values', () => {
    const result = parseKubeconfig('users:\n- name: u\n  user:\n    token: [s3cr3t-value]\n');
    expect(result.problems).toEqual([expect.objectContaining({ code: 'wrong-type', path: 'users[0].user.token', line: 4, column: 5 })]);
    expect(JSON.stringify(result.problems)).not.toContain('s3cr3t');
  });
});

describe('loadKubeconfig', () => {
  it('locates semantic problems in the file', async () => {
    const dir = scratchDir();
    const file = path.join(dir, 'webhook.yaml');
    writeFileSync(file, ['clusters:', '- name: a', '  cluster:', '    server: https://x', 'contexts:', '- name: w', '  context:', '    cluster: b', 'current-context: w', ''].join('\n'));
    const { config, problems } = await loadKubeconfig(file, { forAuditWebhook: true });
    expect(config).toBeUndefined();
    expect(problems).toEqual([expect.objectContaining({ code: 'context-cluster-not-found', path: 'contexts[0].context.cluster', file, line: 8, column: 5 })]);
  });

  it('resolves referenced files against the kubeconfig directory', async () => {
    const dir = scratchDir();
    const file = path.join(dir, 'webhook.yaml');
    writeFileSync(file, toYaml(webhookKubeconfig({ server: 'https://x', tokenFile: 'audit.token' })));
    expect((await loadKubeconfig(file)).problems).toContainEqual(expect.objectContaining({ code: 'file-not-found', path: 'users[0].user.tokenFile' }));
    writeFileSync(path.join(dir, 'audit.token'), 'abc');
    expect(await loadKubeconfig(file)).toMatchObject({ problems: [], config: expect.any(Object) });
  });

  it('reports an unreadable file as a problem', async () => {
    const { problems } = await loadKubeconfig('/nonexistent/webhook.yaml');
    expect(problems).toEqual([expect.objectContaining({ code: 'file-unreadable', file: '/nonexistent/webhook.yaml' })]);
  });
});

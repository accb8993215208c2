// Every kind of kubeconfig this package writes is loaded by the real kubectl, which uses the same
// client-go loader as kube-apiserver, and what kubectl reads back must be what we wrote.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Config, kubeconfig, parseKubeconfig, toYaml, validateKubeconfig, webhookKubeconfig, writeKubeconfig, type WriteKubeconfigOptions } from '../src/index.js';
import { hasKubectl, KUBECTL, makeCerts, scratchDir } from './helpers.js';

function kubectl(args: string[]): { ok: boolean; stdout: string; stderr: string } {
  try {
    // cwd '/' so that relative paths can only resolve against the kubeconfig's own directory
    return { ok: true, stdout: execFileSync(KUBECTL, args, { cwd: '/', encoding: 'utf8', stdio: 'pipe', env: { PATH: process.env.PATH ?? '', HOME: scratchDir() } }), stderr: '' };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Drops the nulls kubectl prints for unset lists (`args: null`, `users: null`). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
  }
  return value;
}

/** Our config with the fields kubectl always prints filled in with their zero values. */
function asKubectlPrintsIt(config: Config): Config {
  const out = structuredClone(config);
  out.apiVersion ??= 'v1';
  out.kind ??= 'Config';
  out.preferences ??= {};
  out['current-context'] ??= '';
  if (out.users?.length === 0) delete out.users;
  for (const entry of out.users ?? []) {
    if (entry.user.exec) entry.user.exec.provideClusterInfo ??= false;
  }
  for (const entry of out.contexts ?? []) entry.context.user ??= '';
  return out;
}

const describeKubectl = hasKubectl ? describe : describe.skip;
if (!hasKubectl) console.warn(`kubectl tests skipped: ${KUBECTL} not found`);

describeKubectl('real kubectl accepts what we write', () => {
  const dir = scratchDir();
  const certs = makeCerts(dir);
  writeFileSync(path.join(dir, 'audit.token'), 'file-token', { mode: 0o600 });

  const cases: { name: string; config: Config; write?: WriteKubeconfigOptions }[] = [
    { name: 'plain http, no credentials (logstash layout)', config: webhookKubeconfig({ server: 'http://127.0.0.1:8888', names: { cluster: 'logstash', context: 'default-context' } }) },
    { name: 'CA data and inline token', config: webhookKubeconfig({ server: 'https://127.0.0.1:9443/audit', caData: certs.caPem, token: 'inline-token', tlsServerName: 'audit.local' }) },
    { name: 'CA file, client certificate and key files', config: webhookKubeconfig({ server: 'https://127.0.0.1:9443', caFile: certs.caFile, clientCertificate: certs.certFile, clientKey: certs.keyFile }) },
    { name: 'client certificate and key data moved to files', config: webhookKubeconfig({ server: 'https://127.0.0.1:9443', caData: certs.caPem, clientCertificateData: certs.certPem, clientKeyData: certs.keyPem, token: 'moved-token' }), write: { secrets: 'files' } },
    { name: 'token file', config: webhookKubeconfig({ server: 'https://127.0.0.1:9443', insecureSkipTlsVerify: true, tokenFile: path.join(dir, 'audit.token') }) },
    {
      name: 'auth-provider and impersonation maps whose keys need go-yaml ordering',
      config: kubeconfig()
        .addCluster('audit', { server: 'https://127.0.0.1:9443', 'certificate-authority-data': Buffer.from(certs.caPem).toString('base64') })
        .addUser('apiserver', {
          as: 'audit-writer',
          'as-user-extra': { ab: ['1'], 'a-b': ['2'], a10: ['3'], a2: ['4'], B: ['5'], _x: ['6'], a: ['7'] },
          'auth-provider': { name: 'oidc', config: { 'client-id': 'kube', clientid: 'x', client_secret: 's', 'idp-issuer-url': 'https://issuer' } },
        })
        .addContext('webhook', { cluster: 'audit', user: 'apiserver' })
        .currentContext('webhook')
        .preferences({})
        .build(),
    },
    {
      name: 'exec plugin with impersonation',
      config: kubeconfig()
        .addCluster('audit', { server: 'https://127.0.0.1:9443', 'certificate-authority': certs.caFile, 'proxy-url': 'socks5://127.0.0.1:1080' })
        .addUser('apiserver', {
          as: 'audit-writer',
          'as-groups': ['auditors', 'on'],
          exec: { command: '/usr/local/bin/audit-token', args: ['--audience', 'audit'], env: [{ name: 'MODE', value: 'yes' }], apiVersion: 'client.authentication.k8s.io/v1beta1', interactiveMode: 'Never' },
        })
        .addContext('webhook', { cluster: 'audit', user: 'apiserver' })
        .currentContext('webhook')
        .build(),
    },
  ];

  describe.each(cases.map((c) => [c.name, c] as const))('%s', (name, testCase) => {
    const file = path.join(dir, `${name.replace(/\W+/g, '-')}.yaml`);

    it('passes our validator and is written', async () => {
      expect(validateKubeconfig(testCase.config, { forAuditWebhook: true }).filter((p) => p.severity === 'error')).toEqual([]);
      await writeKubeconfig(testCase.config, file, testCase.write);
    });

    it('is read back by `kubectl config view --raw -o json` unchanged', async () => {
      const { config: written } = await writeKubeconfig(testCase.config, file, testCase.write);
      const view = kubectl(['config', 'view', '--kubeconfig', file, '--raw', '-o', 'json']);
      expect(view.stderr).toBe('');
      expect(view.ok).toBe(true);
      expect(withoutNulls(JSON.parse(view.stdout))).toEqual(asKubectlPrintsIt(written));
    });

    it('is listed by `kubectl config get-contexts` with its current context', async () => {
      const { config: written } = await writeKubeconfig(testCase.config, file, testCase.write);
      const listing = kubectl(['config', 'get-contexts', '--kubeconfig', file, '--no-headers']);
      expect(listing.ok).toBe(true);
      const current = written.contexts!.find((c) => c.name === written['current-context'])!;
      const row = listing.stdout.split('\n').find((line) => line.startsWith('*'))!.trim().split(/\s+/);
      // columns: CURRENT NAME CLUSTER AUTHINFO NAMESPACE; empty AUTHINFO leaves no word
      expect(row).toEqual(['*', current.name, current.context.cluster, ...(current.context.user ? [current.context.user] : [])]);
    });

    it('has the same YAML layout as `kubectl config view --raw` (no exec defaults involved)', async () => {
      const { config: written } = await writeKubeconfig(testCase.config, file, testCase.write);
      if (written.users?.some((u) => u.user.exec) || written.users?.length === 0) return; // kubectl adds zero values there
      const view = kubectl(['config', 'view', '--kubeconfig', file, '--raw']);
      expect(view.stdout).toBe(toYaml(written));
    });
  });

  it('finds the moved key file through its relative reference (`kubectl config view --flatten`)', async () => {
    const file = path.join(scratchDir(), 'flatten.yaml');
    const config = webhookKubeconfig({ server: 'https://127.0.0.1:9443', clientCertificate: certs.certFile, clientKeyData: certs.keyPem });
    const { config: written } = await writeKubeconfig(config, file, { secrets: 'files' });
    expect(written.users![0]!.user['client-key']).toBe('flatten.yaml.kube-apiserver.key');
    const view = kubectl(['config', 'view', '--kubeconfig', file, '--flatten', '--raw', '-o', 'json']);
    expect(view.stderr).toBe('');
    const flattened = JSON.parse(view.stdout) as Config;
    expect(Buffer.from(flattened.users![0]!.user['client-key-data']!, 'base64').toString('utf8')).toBe(certs.keyPem);
  });

  it('agrees with our validator on a duplicate cluster name (both reject it)', () => {
    const file = path.join(dir, 'duplicate.yaml');
    writeFileSync(file, 'clusters:\n- name: a\n  cluster: {server: "https://x"}\n- name: a\n  cluster: {server: "https://y"}\n');
    expect(kubectl(['config', 'view', '--kubeconfig', file]).stderr).toContain('duplicate name');
    expect(validateKubeconfig({ clusters: [{ name: 'a', cluster: { server: 'https://x' } }, { name: 'a', cluster: { server: 'https://y' } }] })).toContainEqual(
      expect.objectContaining({ code: 'duplicate-name', path: 'clusters[1].name' }),
    );
  });

  it('agrees with our parser that an unquoted YAML 1.1 boolean is not a string', () => {
    const file = path.join(dir, 'bool.yaml');
    writeFileSync(file, 'clusters:\n- name: c\n  cluster:\n    server: https://x\n    tls-server-name: on\n');
    expect(kubectl(['config', 'view', '--kubeconfig', file]).stderr).toContain('cannot unmarshal bool');
    expect(parseKubeconfig('clusters:\n- name: c\n  cluster:\n    server: https://x\n    tls-server-name: on\n').problems).toContainEqual(
      expect.objectContaining({ code: 'wrong-type', path: 'clusters[0].cluster.tls-server-name' }),
    );
  });
});

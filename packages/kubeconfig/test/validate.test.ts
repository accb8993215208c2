import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Config, type Problem, validateKubeconfig, type ValidateKubeconfigOptions } from '../src/index.js';
import { scratchDir } from './helpers.js';

/** A valid webhook kubeconfig every case starts from. */
function base(): Config {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'audit', cluster: { server: 'https://audit.example.com:8443/events', 'certificate-authority-data': 'LS0tLS1CRUdJTg==' } }],
    users: [{ name: 'apiserver', user: { tokenFile: '/etc/kubernetes/audit.token' } }],
    contexts: [{ name: 'webhook', context: { cluster: 'audit', user: 'apiserver' } }],
    'current-context': 'webhook',
  };
}

type Mutate = (c: Config & Record<string, any>) => void;
const user = (c: Config): Record<string, any> => c.users![0]!.user as Record<string, any>;
const cluster = (c: Config): Record<string, any> => c.clusters![0]!.cluster as Record<string, any>;

interface RuleCase {
  code: string;
  severity: Problem['severity'];
  path: string;
  bad: Mutate;
  good: Mutate;
  options?: ValidateKubeconfigOptions;
}

const cases: RuleCase[] = [
  { code: 'unknown-field', severity: 'error', path: 'users[0].user.tokenfile', bad: (c) => { user(c)['tokenfile'] = user(c)['tokenFile']; delete user(c)['tokenFile']; }, good: () => {} },
  { code: 'missing-field', severity: 'error', path: 'clusters[0].cluster.server', bad: (c) => { delete cluster(c)['server']; }, good: () => {} },
  { code: 'wrong-type', severity: 'error', path: 'clusters[0].cluster.insecure-skip-tls-verify', bad: (c) => { delete cluster(c)['certificate-authority-data']; cluster(c)['insecure-skip-tls-verify'] = 'true'; }, good: (c) => { delete cluster(c)['certificate-authority-data']; cluster(c)['insecure-skip-tls-verify'] = true; } },
  { code: 'invalid-value', severity: 'error', path: 'users[0].user.exec.interactiveMode', bad: (c) => { c.users![0]!.user = { exec: { command: 'x', apiVersion: 'client.authentication.k8s.io/v1beta1', interactiveMode: 'Sometimes' as never } }; }, good: (c) => { c.users![0]!.user = { exec: { command: 'x', apiVersion: 'client.authentication.k8s.io/v1beta1', interactiveMode: 'Never' } }; } },
  { code: 'duplicate-name', severity: 'error', path: 'clusters[1].name', bad: (c) => { c.clusters!.push({ name: 'audit', cluster: { server: 'https://other' } }); }, good: (c) => { c.clusters!.push({ name: 'other', cluster: { server: 'https://other' } }); } },
  { code: 'server-required', severity: 'error', path: 'clusters[0].cluster.server', bad: (c) => { cluster(c)['server'] = ''; }, good: () => {} },
  { code: 'server-invalid', severity: 'error', path: 'clusters[0].cluster.server', bad: (c) => { cluster(c)['server'] = 'https://'; }, good: (c) => { cluster(c)['server'] = 'audit.example.com:8443'; } },
  { code: 'server-scheme', severity: 'error', path: 'clusters[0].cluster.server', bad: (c) => { cluster(c)['server'] = 'ftp://audit.example.com'; }, good: () => {} },
  { code: 'plain-http', severity: 'warning', path: 'clusters[0].cluster.server', options: { forAuditWebhook: true }, bad: (c) => { cluster(c)['server'] = 'http://10.0.0.5:8888'; delete cluster(c)['certificate-authority-data']; }, good: () => {} },
  { code: 'ca-file-and-data', severity: 'error', path: 'clusters[0].cluster.certificate-authority-data', bad: (c) => { cluster(c)['certificate-authority'] = '/ca.crt'; }, good: (c) => { cluster(c)['certificate-authority'] = '/ca.crt'; delete cluster(c)['certificate-authority-data']; } },
  { code: 'insecure-with-ca', severity: 'error', path: 'clusters[0].cluster.insecure-skip-tls-verify', bad: (c) => { cluster(c)['insecure-skip-tls-verify'] = true; }, good: (c) => { cluster(c)['insecure-skip-tls-verify'] = false; } },
  { code: 'insecure-skip-tls-verify', severity: 'warning', path: 'clusters[0].cluster.insecure-skip-tls-verify', options: { forAuditWebhook: true }, bad: (c) => { delete cluster(c)['certificate-authority-data']; cluster(c)['insecure-skip-tls-verify'] = true; }, good: () => {} },
  { code: 'invalid-base64', severity: 'error', path: 'clusters[0].cluster.certificate-authority-data', bad: (c) => { cluster(c)['certificate-authority-data'] = '-----BEGIN CERTIFICATE-----'; }, good: (c) => { cluster(c)['certificate-authority-data'] = Buffer.from('-----BEGIN CERTIFICATE-----').toString('base64'); } },
  { code: 'proxy-url-scheme', severity: 'error', path: 'clusters[0].cluster.proxy-url', bad: (c) => { cluster(c)['proxy-url'] = 'ftp://proxy:21'; }, good: (c) => { cluster(c)['proxy-url'] = 'socks5://127.0.0.1:1080'; } },
  { code: 'cert-file-and-data', severity: 'error', path: 'users[0].user.client-certificate-data', bad: (c) => { c.users![0]!.user = { 'client-certificate': '/c.crt', 'client-certificate-data': 'QUJD', 'client-key': '/c.key' }; }, good: (c) => { c.users![0]!.user = { 'client-certificate': '/c.crt', 'client-key': '/c.key' }; } },
  { code: 'key-file-and-data', severity: 'error', path: 'users[0].user.client-key-data', bad: (c) => { c.users![0]!.user = { 'client-certificate': '/c.crt', 'client-key': '/c.key', 'client-key-data': 'QUJD' }; }, good: (c) => { c.users![0]!.user = { 'client-certificate': '/c.crt', 'client-key-data': 'QUJD' }; } },
  { code: 'cert-without-key', severity: 'error', path: 'users[0].user.client-key', bad: (c) => { c.users![0]!.user = { 'client-certificate': '/c.crt' }; }, good: (c) => { c.users![0]!.user = { 'client-certificate': '/c.crt', 'client-key': '/c.key' }; } },
  { code: 'key-without-cert', severity: 'error', path: 'users[0].user.client-certificate', bad: (c) => { c.users![0]!.user = { 'client-key-data': 'QUJD' }; }, good: (c) => { c.users![0]!.user = { 'client-certificate-data': 'QUJD', 'client-key-data': 'QUJD' }; } },
  { code: 'token-and-basic-auth', severity: 'error', path: 'users[0].user.token', bad: (c) => { c.users![0]!.user = { token: 't0ken', username: 'u', password: 'p' }; }, good: (c) => { c.users![0]!.user = { token: 't0ken', tokenFile: '/t' }; } },
  { code: 'token-and-basic-auth', severity: 'error', path: 'users[0].user.tokenFile', bad: (c) => { c.users![0]!.user = { tokenFile: '/t', username: 'u', password: 'p' }; }, good: (c) => { c.users![0]!.user = { username: 'u', password: 'p' }; } },
  { code: 'basic-auth-incomplete', severity: 'warning', path: 'users[0].user.password', bad: (c) => { c.users![0]!.user = { username: 'u' }; }, good: (c) => { c.users![0]!.user = { username: 'u', password: 'p' }; } },
  { code: 'exec-and-auth-provider', severity: 'error', path: 'users[0].user.exec', bad: (c) => { c.users![0]!.user = { exec: { command: 'x', apiVersion: 'client.authentication.k8s.io/v1beta1' }, 'auth-provider': { name: 'oidc' } }; }, good: (c) => { c.users![0]!.user = { exec: { command: 'x', apiVersion: 'client.authentication.k8s.io/v1beta1' } }; } },
  { code: 'exec-ignored', severity: 'warning', path: 'users[0].user.exec', bad: (c) => { user(c)['exec'] = { command: 'x', apiVersion: 'client.authentication.k8s.io/v1beta1' }; }, good: (c) => { c.users![0]!.user = { exec: { command: 'x', apiVersion: 'client.authentication.k8s.io/v1beta1' } }; } },
  { code: 'auth-provider-with-token', severity: 'warning', path: 'users[0].user.auth-provider', bad: (c) => { user(c)['auth-provider'] = { name: 'oidc' }; }, good: (c) => { c.users![0]!.user = { 'auth-provider': { name: 'oidc' } }; } },
  { code: 'auth-provider-unknown', severity: 'error', path: 'users[0].user.auth-provider.name', bad: (c) => { c.users![0]!.user = { 'auth-provider': { name: 'okta' } }; }, good: (c) => { c.users![0]!.user = { 'auth-provider': { name: 'openstack' } }; } },
  { code: 'auth-provider-removed', severity: 'warning', path: 'users[0].user.auth-provider.name', options: { kubernetesVersion: '1.30' }, bad: (c) => { c.users![0]!.user = { 'auth-provider': { name: 'gcp' } }; }, good: (c) => { c.users![0]!.user = { 'auth-provider': { name: 'oidc' } }; } },
  { code: 'exec-command-required', severity: 'error', path: 'users[0].user.exec.command', bad: (c) => { c.users![0]!.user = { exec: { command: '', apiVersion: 'client.authentication.k8s.io/v1beta1' } }; }, good: (c) => { c.users![0]!.user = { exec: { command: 'audit-token', apiVersion: 'client.authentication.k8s.io/v1beta1' } }; } },
  { code: 'exec-api-version-required', severity: 'error', path: 'users[0].user.exec.apiVersion', bad: (c) => { c.users![0]!.user = { exec: { command: 'x', apiVersion: '' } }; }, good: (c) => { c.users![0]!.user = { exec: { command: 'x', apiVersion: 'client.authentication.k8s.io/v1alpha1' } }; } },
  { code: 'exec-api-version', severity: 'error', path: 'users[0].user.exec.apiVersion', options: { kubernetesVersion: '1.20' }, bad: (c) => { c.users![0]!.user = { exec: { command: 'x', apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never' } }; }, good: (c) => { c.users![0]!.user = { exec: { command: 'x', apiVersion: 'client.authentication.k8s.io/v1beta1' } }; } },
  { code: 'exec-api-version', severity: 'error', path: 'users[0].user.exec.apiVersion', options: { kubernetesVersion: 'v1.24.0' }, bad: (c) => { c.users![0]!.user = { exec: { command: 'x', apiVersion: 'client.authentication.k8s.io/v1alpha1' } }; }, good: (c) => { c.users![0]!.user = { exec: { command: 'x', apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never' } }; } },
  { code: 'exec-interactive-mode-required', severity: 'error', path: 'users[0].user.exec.interactiveMode', bad: (c) => { c.users![0]!.user = { exec: { command: 'x', apiVersion: 'client.authentication.k8s.io/v1' } }; }, good: (c) => { c.users![0]!.user = { exec: { command: 'x', apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'IfAvailable' } }; } },
  { code: 'exec-env-name-required', severity: 'error', path: 'users[0].user.exec.env[1].name', bad: (c) => { c.users![0]!.user = { exec: { command: 'x', apiVersion: 'client.authentication.k8s.io/v1beta1', env: [{ name: 'A', value: '1' }, { name: '', value: '2' }] } }; }, good: (c) => { c.users![0]!.user = { exec: { command: 'x', apiVersion: 'client.authentication.k8s.io/v1beta1', env: [{ name: 'A', value: '1' }] } }; } },
  { code: 'exec-interactive', severity: 'error', path: 'users[0].user.exec.interactiveMode', options: { forAuditWebhook: true }, bad: (c) => { c.users![0]!.user = { exec: { command: 'x', apiVersion: 'client.authentication.k8s.io/v1beta1', interactiveMode: 'Always' } }; }, good: (c) => { c.users![0]!.user = { exec: { command: 'x', apiVersion: 'client.authentication.k8s.io/v1beta1', interactiveMode: 'Never' } }; } },
  { code: 'impersonation-without-user', severity: 'error', path: 'users[0].user.as', bad: (c) => { user(c)['as-groups'] = ['auditors']; }, good: (c) => { user(c)['as-groups'] = ['auditors']; user(c)['as'] = 'audit-writer'; } },
  { code: 'impersonation-without-user', severity: 'error', path: 'users[0].user.as', bad: (c) => { user(c)['as-user-extra'] = { team: ['platform'] }; }, good: (c) => { user(c)['as-user-extra'] = { team: ['platform'] }; user(c)['as'] = 'audit-writer'; } },
  { code: 'context-cluster-not-found', severity: 'error', path: 'contexts[0].context.cluster', bad: (c) => { c.contexts![0]!.context.cluster = 'logstash'; }, good: () => {} },
  { code: 'context-user-not-found', severity: 'error', path: 'contexts[0].context.user', bad: (c) => { c.contexts![0]!.context.user = 'kube-apiserver'; }, good: (c) => { c.contexts![0]!.context.user = ''; } },
  { code: 'current-context-not-found', severity: 'error', path: 'current-context', bad: (c) => { c['current-context'] = 'default-context'; }, good: () => {} },
  { code: 'current-context-missing', severity: 'error', path: 'current-context', options: { forAuditWebhook: true }, bad: (c) => { delete c['current-context']; }, good: () => {} },
  { code: 'current-context-missing', severity: 'warning', path: 'current-context', bad: (c) => { c['current-context'] = ''; }, good: () => {} },
  { code: 'invalid-kubernetes-version', severity: 'error', path: '', options: { kubernetesVersion: 'latest' }, bad: () => {}, good: () => {} },
];

function run(mutate: Mutate, options: ValidateKubeconfigOptions = {}): Problem[] {
  const config = base() as Config & Record<string, any>;
  mutate(config);
  return validateKubeconfig(config, options);
}

describe('validateKubeconfig', () => {
  it('accepts the base config without any problem', () => {
    expect(validateKubeconfig(base(), { forAuditWebhook: true, kubernetesVersion: '1.20' })).toEqual([]);
  });

  describe.each(cases.map((c, i) => [`${c.code} #${i}`, c] as const))('%s', (_, rule) => {
    it('reports the bad case at the right path and severity', () => {
      const problems = run(rule.bad, rule.options);
      const match = problems.find((p) => p.code === rule.code);
      expect(match, JSON.stringify(problems)).toMatchObject({ severity: rule.severity, path: rule.path });
      expect(match!.message.length).toBeGreaterThan(10);
      expect(match!.fix.length).toBeGreaterThan(5);
    });

    it('passes the corrected case', () => {
      const options = rule.code === 'invalid-kubernetes-version' ? { ...rule.options, kubernetesVersion: '1.18' } : rule.options;
      const problems = run(rule.good, options);
      expect(problems.filter((p) => p.code === rule.code || p.severity === 'error')).toEqual([]);
    });
  });

  it('suggests the closest field name for an unknown key', () => {
    const problems = run((c) => { user(c)['tokne'] = 'abc'; });
    expect(problems).toContainEqual(expect.objectContaining({ code: 'unknown-field', path: 'users[0].user.tokne', fix: expect.stringContaining('`token`') }));
  });

  it('lets a client certificate combine with a bearer token, and token with tokenFile', () => {
    const problems = run((c) => { c.users![0]!.user = { 'client-certificate': '/c.crt', 'client-key': '/c.key', token: 'abc', tokenFile: '/t' }; });
    expect(problems).toEqual([]);
  });

  it('accepts the logstash layout: no users and a context with user ""', () => {
    const problems = run((c) => { c.users = []; c.contexts![0]!.context.user = ''; });
    expect(problems).toEqual([]);
  });

  it('checks referenced files relative to baseDir', () => {
    const dir = scratchDir();
    writeFileSync(path.join(dir, 'audit.token'), 'abc', { mode: 0o600 });
    const relative = (c: Config): void => { c.users![0]!.user = { tokenFile: 'audit.token' }; };
    expect(run(relative, { baseDir: dir })).toEqual([]);
    const missing = run((c) => { c.users![0]!.user = { tokenFile: 'missing.token' }; }, { baseDir: dir });
    expect(missing).toContainEqual(expect.objectContaining({ code: 'file-not-found', path: 'users[0].user.tokenFile' }));
  });

  it('never repeats a secret value in any problem', () => {
    const secret = 'hunter2-SECRET-value';
    const problems = run((c) => {
      c.users![0]!.user = { token: secret, username: 'u', password: secret, 'client-key-data': `${secret}!!`, tokenFile: 5 as never };
      (c.users![0]!.user as Record<string, unknown>)['tokne'] = secret;
    });
    expect(problems.length).toBeGreaterThan(3);
    for (const problem of problems) expect(JSON.stringify(problem)).not.toContain('hunter2');
  });

  it('hides credentials embedded in server and proxy URLs', () => {
    const problems = run((c) => {
      cluster(c)['server'] = 'https://admin:hunter2@';
      cluster(c)['proxy-url'] = 'ftp://proxyuser:hunter2@proxy:21';
    });
    expect(problems.map((p) => p.code).sort()).toEqual(['proxy-url-scheme', 'server-invalid']);
    expect(JSON.stringify(problems)).not.toContain('hunter2');
    expect(JSON.stringify(problems)).toContain('<redacted>@');
  });

  it('copies the file name into every problem', () => {
    const problems = validateKubeconfig({ clusters: 'nope' }, { file: 'webhook.yaml' });
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) expect(problem.file).toBe('webhook.yaml');
  });

  it('reports a non-object document instead of throwing', () => {
    expect(validateKubeconfig(42)).toContainEqual(expect.objectContaining({ code: 'wrong-type', path: '' }));
  });
});

import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KubeconfigError, loadKubeconfig, parseKubeconfig, toYaml, webhookKubeconfig, writeKubeconfig } from '../src/index.js';
import { scratchDir } from './helpers.js';

const modeOf = (file: string): number => statSync(file).mode & 0o777;
const KEY_PEM = '-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----\n';
const CERT_PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAV2gAwIBAgIUYk\n-----END CERTIFICATE-----\n';

describe('writeKubeconfig', () => {
  it('writes a config without credentials with mode 0644 and exactly the toYaml bytes', async () => {
    const dir = scratchDir();
    const file = path.join(dir, 'webhook.yaml');
    const config = webhookKubeconfig({ server: 'http://10.0.0.5:8888' });
    const result = await writeKubeconfig(config, file);
    expect(result).toMatchObject({ path: file, mode: 0o644, secretFiles: [] });
    expect(modeOf(file)).toBe(0o644);
    expect(readFileSync(file, 'utf8')).toBe(toYaml(config));
  });

  it('writes inline secrets with mode 0600', async () => {
    const dir = scratchDir();
    const file = path.join(dir, 'webhook.yaml');
    const result = await writeKubeconfig(webhookKubeconfig({ server: 'https://x', token: 'abc123' }), file, { secrets: 'inline' });
    expect(result.mode).toBe(0o600);
    expect(modeOf(file)).toBe(0o600);
    expect(parseKubeconfig(readFileSync(file, 'utf8')).config?.users?.[0]?.user.token).toBe('abc123');
  });

  it('moves token and client key to their own 0600 files, referenced relatively', async () => {
    const dir = scratchDir();
    const file = path.join(dir, 'webhook.yaml');
    const config = webhookKubeconfig({ server: 'https://x', token: 'abc123', clientCertificateData: CERT_PEM, clientKeyData: KEY_PEM });
    const result = await writeKubeconfig(config, file, { secrets: 'files' });

    expect(result.mode).toBe(0o644);
    expect(modeOf(file)).toBe(0o644);
    const tokenFile = path.join(dir, 'webhook.yaml.kube-apiserver.token');
    const keyFile = path.join(dir, 'webhook.yaml.kube-apiserver.key');
    expect(result.secretFiles).toEqual([
      { path: tokenFile, field: 'users[0].user.token' },
      { path: keyFile, field: 'users[0].user.client-key-data' },
    ]);
    expect(modeOf(tokenFile)).toBe(0o600);
    expect(modeOf(keyFile)).toBe(0o600);
    expect(readFileSync(tokenFile, 'utf8')).toBe('abc123');
    expect(readFileSync(keyFile, 'utf8')).toBe(KEY_PEM);

    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('abc123');
    expect(text).not.toContain(Buffer.from(KEY_PEM).toString('base64'));
    const written = parseKubeconfig(text).config!.users![0]!.user;
    expect(written).toEqual({
      'client-certificate-data': Buffer.from(CERT_PEM).toString('base64'),
      'client-key': 'webhook.yaml.kube-apiserver.key',
      tokenFile: 'webhook.yaml.kube-apiserver.token',
    });
    // relative references resolve against the kubeconfig's directory, so the files are found
    expect((await loadKubeconfig(file, { forAuditWebhook: true })).problems).toEqual([]);
    // the caller's object is untouched
    expect(config.users![0]!.user.token).toBe('abc123');
  });

  it('keeps the kubeconfig 0600 in files mode when a password has to stay inline', async () => {
    const dir = scratchDir();
    const file = path.join(dir, 'kc.yaml');
    const config = webhookKubeconfig({ server: 'https://x' });
    config.users = [{ name: 'basic', user: { username: 'audit', password: 'pa55' } }];
    config.contexts![0]!.context.user = 'basic';
    const result = await writeKubeconfig(config, file, { secrets: 'files' });
    expect(result.mode).toBe(0o600);
    expect(modeOf(file)).toBe(0o600);
  });

  it('is deterministic: the same input gives byte-identical files', async () => {
    const dir = scratchDir();
    const config = webhookKubeconfig({ server: 'https://x', token: 't', caData: CERT_PEM });
    await writeKubeconfig(config, path.join(dir, 'a.yaml'), { secrets: 'files' });
    await writeKubeconfig(config, path.join(dir, 'b.yaml'), { secrets: 'files' });
    const a = readFileSync(path.join(dir, 'a.yaml'), 'utf8').replaceAll('a.yaml', 'X');
    const b = readFileSync(path.join(dir, 'b.yaml'), 'utf8').replaceAll('b.yaml', 'X');
    expect(a).toBe(b);
  });

  it('refuses an invalid config before touching the disk, with secrets redacted', async () => {
    const dir = scratchDir();
    const file = path.join(dir, 'webhook.yaml');
    writeFileSync(file, 'previous content\n');
    const config = webhookKubeconfig({ server: 'https://x', token: 'TOPSECRET' });
    config.users![0]!.user.username = 'u';
    config.users![0]!.user.password = 'TOPSECRET';
    config.users![0]!.user['client-key-data'] = 'TOPSECRET!!';
    const error = await writeKubeconfig(config, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeconfigError);
    const kerror = error as KubeconfigError;
    expect(kerror.problems).toContainEqual(expect.objectContaining({ code: 'token-and-basic-auth', file }));
    expect(kerror.message).toContain('users[0].user.token');
    expect(`${kerror.message}${JSON.stringify(kerror.problems)}`).not.toContain('TOPSECRET');
    expect(readFileSync(file, 'utf8')).toBe('previous content\n');
    expect(readdirSync(dir)).toEqual(['webhook.yaml']);
  });

  it('refuses to move a token when tokenFile is already set', async () => {
    const dir = scratchDir();
    const config = webhookKubeconfig({ server: 'https://x', token: 'abc', tokenFile: '/etc/t' });
    await expect(writeKubeconfig(config, path.join(dir, 'k.yaml'), { secrets: 'files' })).rejects.toMatchObject({
      problems: [expect.objectContaining({ code: 'token-file-taken', path: 'users[0].user.token' })],
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves no temp files behind and reports a clear error when the target cannot be written', async () => {
    const dir = scratchDir();
    // a file where the parent directory should be: creating the directory fails
    writeFileSync(path.join(dir, 'blocker'), 'x');
    const mkdirError = await writeKubeconfig(webhookKubeconfig({ server: 'https://x' }), path.join(dir, 'blocker', 'k.yaml')).catch((e: unknown) => e);
    expect(mkdirError).toBeInstanceOf(KubeconfigError);
    expect((mkdirError as KubeconfigError).problems[0]).toMatchObject({ code: 'write-failed', path: '' });
    // a directory where the kubeconfig should be: the final rename fails after the temp file was written
    mkdirSync(path.join(dir, 'k.yaml'));
    const renameError = await writeKubeconfig(webhookKubeconfig({ server: 'https://x' }), path.join(dir, 'k.yaml')).catch((e: unknown) => e);
    expect(renameError).toBeInstanceOf(KubeconfigError);
    expect(readdirSync(dir).sort()).toEqual(['blocker', 'k.yaml']);
    expect(readdirSync(path.join(dir, 'k.yaml'))).toEqual([]);
  });
});

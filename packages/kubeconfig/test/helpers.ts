// Shared test helpers: paths to the shared material, scratch directories, and real test
// certificates made with openssl (or PEM-shaped stand-ins when openssl is missing).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readShared, SHARED_FILES } from '../../../test/support/shared-data.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const KUBECTL = '/usr/bin/kubectl';
export const hasKubectl = existsSync(KUBECTL);

/** A fresh scratch directory under the OS temp dir. */
export function scratchDir(prefix = 'k8s-gen-kubeconfig-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** The seed's logstash audit-webhook kubeconfig (the heredoc of S001), with the IP filled in. */
export function seedLogstashKubeconfig(ip: string): string {
  const lines = readShared(SHARED_FILES.seed).split('\n');
  const start = lines.findIndex((l) => l.includes('cat <<EOF > /etc/kubernetes/audit-webhook-kubeconfig'));
  if (start < 0) throw new Error('logstash kubeconfig heredoc not found in seed 001');
  const end = lines.findIndex((l, i) => i > start && l.trim() === 'EOF');
  const body = lines.slice(start + 1, end);
  const indent = Math.min(...body.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  return body.map((l) => l.slice(indent)).join('\n').replace('<ip_of_logstash>', ip) + '\n';
}

/** PEM material for tests: a CA and a client certificate signed by it, as files and as text. */
export interface TestCerts {
  caFile: string;
  caPem: string;
  certFile: string;
  certPem: string;
  keyFile: string;
  keyPem: string;
  /** True when openssl made real certificates. */
  real: boolean;
}

export function makeCerts(dir: string): TestCerts {
  const caKey = path.join(dir, 'ca.key');
  const caFile = path.join(dir, 'ca.crt');
  const keyFile = path.join(dir, 'client.key');
  const csr = path.join(dir, 'client.csr');
  const certFile = path.join(dir, 'client.crt');
  let real = true;
  try {
    const run = (args: string[]): void => void execFileSync('openssl', args, { stdio: 'pipe' });
    run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', caFile, '-days', '1', '-subj', '/CN=k8s-gen-test-ca']);
    run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', csr, '-subj', '/CN=kube-apiserver']);
    run(['x509', '-req', '-in', csr, '-CA', caFile, '-CAkey', caKey, '-CAcreateserial', '-out', certFile, '-days', '1']);
  } catch {
    real = false;
  }
  if (!real) {
    const fake = (label: string, seed: string): string =>
      `-----BEGIN ${label}-----\n${Buffer.from(seed.repeat(24)).toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;
    writeFileSync(caFile, fake('CERTIFICATE', 'ca'));
    writeFileSync(certFile, fake('CERTIFICATE', 'client'));
    writeFileSync(keyFile, fake('PRIVATE KEY', 'key'), { mode: 0o600 });
  }
  return {
    caFile,
    caPem: readFileSync(caFile, 'utf8'),
    certFile,
    certPem: readFileSync(certFile, 'utf8'),
    keyFile,
    keyPem: readFileSync(keyFile, 'utf8'),
    real,
  };
}

// Log and webhook backends: the kubeconfig that tells kube-apiserver where to send events.
import { mkdirSync } from 'node:fs';
import { webhookKubeconfig, writeKubeconfig } from '@k8s-gen/kubeconfig';

const config = webhookKubeconfig({
  server: 'https://audit.example.internal:8443/events',
  caFile: '/etc/kubernetes/pki/audit-ca.crt',
  // A token read from the environment, never written into source code.
  token: process.env.AUDIT_WEBHOOK_TOKEN ?? 'example-token-for-the-docs',
});

mkdirSync('out', { recursive: true });
// Validates first (nothing is written on error), then writes atomically. With secrets: 'files'
// the token moves to its own 0600 file and the kubeconfig refers to it with tokenFile.
const written = await writeKubeconfig(config, 'out/audit-webhook-kubeconfig', {
  secrets: 'files',
  forAuditWebhook: true,
  kubernetesVersion: '1.30',
});

console.log(`kubeconfig: ${written.path} (mode ${written.mode.toString(8)})`);
for (const secret of written.secretFiles) console.log(`secret file: ${secret.path} for ${secret.field}`);

// The webhook kubeconfig: where the apiserver sends audit batches and how it authenticates. Built,
// checked and serialized by @k8s-gen/kubeconfig; this module maps the construct options onto it.
import { toYaml as kubeconfigYaml, validateKubeconfig, webhookKubeconfig, type Config } from '@k8s-gen/kubeconfig';
import type { Problem } from './problems.js';

/** TLS trust and client credentials of the audit webhook. Secrets are only ever written to 0600 files. */
export interface WebhookCredentials {
  /** PEM of the CA that signed the webhook's serving certificate (inlined as certificate-authority-data). */
  readonly caPem?: string;
  /** Node path of that CA instead of inlining it. */
  readonly caFile?: string;
  /** Skip server certificate checks (never together with a CA). */
  readonly insecureSkipTlsVerify?: boolean;
  /** Server name to verify the certificate against, when it differs from the URL host. */
  readonly tlsServerName?: string;
  /** PEM client certificate (needs the key). */
  readonly clientCertificatePem?: string;
  /** PEM client key (needs the certificate). */
  readonly clientKeyPem?: string;
  /** Node path of the client certificate. */
  readonly clientCertificateFile?: string;
  /** Node path of the client key. */
  readonly clientKeyFile?: string;
  /** Bearer token. */
  readonly token?: string;
  /** Node path of a file holding the bearer token, re-read every minute. */
  readonly tokenFile?: string;
}

/** Inputs of {@link buildWebhookKubeconfig}. */
export interface WebhookKubeconfigInput {
  readonly server: string;
  readonly clusterName: string;
  /** Name of the context (default `default-context`). */
  readonly contextName?: string;
  readonly credentials?: WebhookCredentials;
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/**
 * Builds a clientcmd v1 Config for the audit webhook. Without client credentials the context's
 * user is `""` and `users` is empty, which the apiserver accepts for plain http receivers.
 *
 * @example
 * buildWebhookKubeconfig({ server: 'http://10.0.0.5:8888', clusterName: 'logstash' })
 */
export function buildWebhookKubeconfig(input: WebhookKubeconfigInput): Config {
  const c = input.credentials ?? {};
  return webhookKubeconfig({
    server: input.server,
    names: { cluster: input.clusterName, context: input.contextName ?? 'default-context' },
    ...(c.caPem !== undefined ? { caData: base64(c.caPem) } : {}),
    ...(c.caFile !== undefined ? { caFile: c.caFile } : {}),
    ...(c.insecureSkipTlsVerify !== undefined ? { insecureSkipTlsVerify: c.insecureSkipTlsVerify } : {}),
    ...(c.tlsServerName !== undefined ? { tlsServerName: c.tlsServerName } : {}),
    ...(c.clientCertificatePem !== undefined ? { clientCertificateData: base64(c.clientCertificatePem) } : {}),
    ...(c.clientKeyPem !== undefined ? { clientKeyData: base64(c.clientKeyPem) } : {}),
    ...(c.clientCertificateFile !== undefined ? { clientCertificate: c.clientCertificateFile } : {}),
    ...(c.clientKeyFile !== undefined ? { clientKey: c.clientKeyFile } : {}),
    ...(c.token !== undefined ? { token: c.token } : {}),
    ...(c.tokenFile !== undefined ? { tokenFile: c.tokenFile } : {}),
  });
}

/** Serializes a kubeconfig document the way kubectl writes it. */
export function kubeconfigToYaml(kubeconfig: Config): string {
  return kubeconfigYaml(kubeconfig);
}

/** The host and port a server URL points at (the port from the scheme when not given). */
export function serverEndpoint(server: string): { host: string; port: number; scheme: string } | undefined {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return undefined;
  }
  const scheme = url.protocol.replace(/:$/, '');
  const port = url.port ? Number(url.port) : scheme === 'https' ? 443 : 80;
  return { host: url.hostname, port, scheme };
}

/** Checks a webhook kubeconfig with the rules kube-apiserver applies to `--audit-webhook-config-file`. */
export function validateWebhookKubeconfig(kubeconfig: Config, kubernetesVersion?: string): Problem[] {
  return validateKubeconfig(kubeconfig, { forAuditWebhook: true, ...(kubernetesVersion ? { kubernetesVersion } : {}) });
}

/**
 * The kubeconfig builder: the generated `ConfigBuilder` plus name-first helpers, and
 * {@link webhookKubeconfig}, which writes the conventional audit-webhook layout in one call.
 */
import { type AuthInfo, type Buildable, type Cluster, type Config, ConfigBuilder, type Context } from './model.js';

/**
 * Fluent kubeconfig builder. Everything of the generated `ConfigBuilder` (`cluster(...)`,
 * `user(...)`, `context(...)`, `currentContext(...)`, ...) plus `addCluster`, `addUser` and
 * `addContext`, which take the entry's name and its body in one call.
 *
 * @example
 * ```ts
 * const config = kubeconfig()
 *   .addCluster('logstash', { server: 'http://10.0.0.5:8888' })
 *   .addContext('default-context', { cluster: 'logstash', user: '' })
 *   .currentContext('default-context')
 *   .build();
 * ```
 */
export class KubeconfigBuilder extends ConfigBuilder {
  /** Appends a cluster entry `{ name, cluster }`. */
  addCluster(name: string, cluster: Buildable<Cluster>): this {
    return this.cluster({ name, cluster: cluster as Cluster });
  }

  /** Appends a user entry `{ name, user }`. */
  addUser(name: string, user: Buildable<AuthInfo>): this {
    return this.user({ name, user: user as AuthInfo });
  }

  /** Appends a context entry `{ name, context }`. */
  addContext(name: string, context: Buildable<Context>): this {
    return this.context({ name, context: context as Context });
  }
}

/**
 * Starts a kubeconfig (`apiVersion: v1`, `kind: Config` filled in).
 *
 * @example
 * ```ts
 * kubeconfig().cluster((c) => c.name('audit').cluster({ server: 'https://audit.example.com' })).build();
 * ```
 */
export function kubeconfig(): KubeconfigBuilder {
  return new KubeconfigBuilder();
}

/** Settings of {@link webhookKubeconfig}. Certificate and key values may be PEM text or base64. */
export interface WebhookKubeconfigOptions {
  /** Full URL the EventLists are POSTed to, path included. */
  server: string;
  /** Path of the receiver's CA bundle (PEM). Not together with `caData`. */
  caFile?: string;
  /** The receiver's CA bundle inline: PEM text (encoded for you) or base64 of it. */
  caData?: string;
  /** Skip server certificate verification (tests only; not together with a CA). */
  insecureSkipTlsVerify?: boolean;
  /** Name to expect in the server certificate when it differs from the host in `server`. */
  tlsServerName?: string;
  /** Path of the client certificate for mutual TLS. */
  clientCertificate?: string;
  /** Client certificate inline (PEM or base64). */
  clientCertificateData?: string;
  /** Path of the client key. */
  clientKey?: string;
  /** Client key inline (PEM or base64). A credential: prefer `clientKey`. */
  clientKeyData?: string;
  /** Bearer token inline. A credential: prefer `tokenFile`. */
  token?: string;
  /** Path of a file holding the bearer token (re-read every minute by the apiserver). */
  tokenFile?: string;
  /** Entry names; defaults `audit-webhook` (cluster), `kube-apiserver` (user), `webhook` (context). */
  names?: { cluster?: string; user?: string; context?: string };
}

/** PEM text becomes base64 of it; anything else is taken as base64 already. */
function asBase64(value: string): string {
  return value.includes('-----BEGIN') ? Buffer.from(value, 'utf8').toString('base64') : value;
}

/**
 * Builds the conventional kubeconfig for `--audit-webhook-config-file`: one cluster (the
 * receiver), one user holding the credentials, one context joining them, selected as
 * current-context. Without any credential the user list is empty and the context's user is `""`,
 * the layout of the well-known logstash example. The result is not validated here: pass it to
 * `validateKubeconfig` (or `writeKubeconfig`, which validates) to catch conflicting options.
 *
 * @example
 * ```ts
 * const config = webhookKubeconfig({ server: 'https://audit.example.com/events', caFile: '/etc/kubernetes/pki/audit-ca.crt', tokenFile: '/etc/kubernetes/audit.token' });
 * ```
 */
export function webhookKubeconfig(options: WebhookKubeconfigOptions): Config {
  const clusterName = options.names?.cluster ?? 'audit-webhook';
  const userName = options.names?.user ?? 'kube-apiserver';
  const contextName = options.names?.context ?? 'webhook';
  const cluster: Cluster = { server: options.server };
  if (options.tlsServerName !== undefined) cluster['tls-server-name'] = options.tlsServerName;
  if (options.insecureSkipTlsVerify !== undefined) cluster['insecure-skip-tls-verify'] = options.insecureSkipTlsVerify;
  if (options.caFile !== undefined) cluster['certificate-authority'] = options.caFile;
  if (options.caData !== undefined) cluster['certificate-authority-data'] = asBase64(options.caData);

  const user: AuthInfo = {};
  if (options.clientCertificate !== undefined) user['client-certificate'] = options.clientCertificate;
  if (options.clientCertificateData !== undefined) user['client-certificate-data'] = asBase64(options.clientCertificateData);
  if (options.clientKey !== undefined) user['client-key'] = options.clientKey;
  if (options.clientKeyData !== undefined) user['client-key-data'] = asBase64(options.clientKeyData);
  if (options.token !== undefined) user.token = options.token;
  if (options.tokenFile !== undefined) user.tokenFile = options.tokenFile;
  const hasCredentials = Object.keys(user).length > 0;

  const builder = kubeconfig().addCluster(clusterName, cluster).preferences({});
  if (hasCredentials) builder.addUser(userName, user);
  else builder.users();
  return builder
    .addContext(contextName, { cluster: clusterName, user: hasCredentials ? userName : '' })
    .currentContext(contextName)
    .build();
}

/**
 * Kubeconfig validation with the rules kube-apiserver (client-go's clientcmd loader and transport)
 * applies when it loads `--audit-webhook-config-file`, plus a few SDK checks for mistakes the
 * loader would silently accept (dangling user references, unknown keys).
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { type AuthInfo, type Cluster, type Config, ConfigSchema, type Problem, ProblemCollector } from './model.js';
import { REDACTED } from './secrets.js';
import { structuralProblems } from './structure.js';
import { atLeast, type MinorVersion, parseKubernetesVersion } from './version.js';

/** Options of {@link validateKubeconfig}. */
export interface ValidateKubeconfigOptions {
  /**
   * Apply the extra expectations of `--audit-webhook-config-file`: a current context is required,
   * plain http and skipped TLS verification are flagged, and exec plugins cannot be interactive.
   */
  forAuditWebhook?: boolean;
  /** Target kube-apiserver release (`1.20`, `v1.20.2`): enables the version-dependent rules. */
  kubernetesVersion?: string;
  /**
   * Directory the kubeconfig lives in. When given, files it references (CA, client certificate
   * and key, token file) must exist and be readable; relative paths resolve against it, as the
   * apiserver resolves them against the kubeconfig's directory.
   */
  baseDir?: string;
  /** File name copied into every problem. */
  file?: string;
}

/** Exec credential API versions and the releases that accept them (1.20 from the apiserver, the rest from client-go). */
const EXEC_API_VERSIONS: readonly { apiVersion: string; since?: [number, number]; until?: [number, number] }[] = [
  { apiVersion: 'client.authentication.k8s.io/v1alpha1', until: [1, 23] },
  { apiVersion: 'client.authentication.k8s.io/v1beta1' },
  { apiVersion: 'client.authentication.k8s.io/v1', since: [1, 22] },
];

/** Auth-provider plugins kube-apiserver 1.20 compiles in. */
const AUTH_PROVIDERS = ['gcp', 'azure', 'oidc', 'openstack'] as const;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** Objects of a list, keeping their indexes; non-objects are left to the structural check. */
function entries<T>(list: unknown, key: string): { index: number; name: unknown; value: T }[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown, index) =>
    isObject(item) && isObject(item[key]) ? [{ index, name: item['name'], value: item[key] as T }] : [],
  );
}


function checkDuplicates(c: ProblemCollector, list: unknown, listName: string): void {
  if (!Array.isArray(list)) return;
  const seen = new Map<string, number>();
  list.forEach((item: unknown, index) => {
    if (!isObject(item) || typeof item['name'] !== 'string') return;
    const first = seen.get(item['name']);
    if (first === undefined) seen.set(item['name'], index);
    else {
      c.add('error', 'duplicate-name', `${listName}[${index}].name`, `The name "${item['name']}" is already used by ${listName}[${first}]; the loader refuses duplicate names.`, `Rename one of the two ${listName} entries or merge them.`);
    }
  });
}

function checkBase64(c: ProblemCollector, value: unknown, where: string, what: string): void {
  if (!nonEmpty(value) || BASE64.test(value)) return;
  c.add('error', 'invalid-base64', where, `${what} is not valid base64, so the file fails to load.`, 'Base64-encode the PEM text (for example `base64 -w0 file.pem`), or point the file variant of this field at the PEM file.');
}

function checkFile(c: ProblemCollector, value: unknown, where: string, baseDir: string | undefined): void {
  if (baseDir === undefined || !nonEmpty(value)) return;
  const resolved = path.resolve(baseDir, value);
  try {
    accessSync(resolved, constants.R_OK);
  } catch {
    c.add('error', 'file-not-found', where, `The file ${value} (resolved to ${resolved}) cannot be read; the apiserver would fail to start.`, 'Create the file, fix the path, or use an absolute path. Relative paths are resolved against the kubeconfig\'s directory.');
  }
}

function checkCluster(c: ProblemCollector, cluster: Cluster, at: string, options: ValidateKubeconfigOptions): void {
  const server = cluster.server;
  if (!nonEmpty(server)) {
    if (server !== undefined) c.add('error', 'server-required', `${at}.server`, 'The cluster has no server URL, so there is nowhere to send events.', 'Set `server` to the receiver\'s full URL, for example https://audit.example.com:8443/events.');
  } else {
    const url = splitUrl(server);
    const hasScheme = url?.scheme !== undefined;
    if (url === undefined) {
      c.add('error', 'server-invalid', `${at}.server`, `"${withoutUserinfo(server)}" is not a URL with a host.`, 'Write a full URL such as https://audit.example.com:8443/events.');
    } else if (hasScheme && url.scheme !== 'http' && url.scheme !== 'https') {
      c.add('error', 'server-scheme', `${at}.server`, `The scheme "${url.scheme ?? ''}" is not supported; only http and https are.`, 'Use an https:// URL (or http:// for an unencrypted receiver).');
    } else if (options.forAuditWebhook && (url.scheme === 'http' || (!hasScheme && !hasTls(cluster)))) {
      c.add('warning', 'plain-http', `${at}.server`, 'Events go over plain http: request metadata (and bodies at Request level and above) cross the network unencrypted and unauthenticated. The apiserver accepts it.', 'Use an https:// URL with `certificate-authority` or `certificate-authority-data`, unless the receiver is on a trusted local link.');
    }
  }
  const caFile = cluster['certificate-authority'];
  const caData = cluster['certificate-authority-data'];
  if (nonEmpty(caFile) && nonEmpty(caData)) {
    c.add('error', 'ca-file-and-data', `${at}.certificate-authority-data`, 'Both `certificate-authority` and `certificate-authority-data` are set; the loader rejects this (despite its "will override" wording).', 'Keep one of them: the file path or the inline base64 data.');
  }
  if (cluster['insecure-skip-tls-verify'] === true && (nonEmpty(caFile) || nonEmpty(caData))) {
    c.add('error', 'insecure-with-ca', `${at}.insecure-skip-tls-verify`, 'TLS verification is skipped while a CA is also given; the transport refuses this combination.', 'Remove `insecure-skip-tls-verify` (preferred) or remove the CA.');
  } else if (cluster['insecure-skip-tls-verify'] === true && options.forAuditWebhook) {
    c.add('warning', 'insecure-skip-tls-verify', `${at}.insecure-skip-tls-verify`, 'The receiver\'s certificate is not verified, so anyone on the path can read or redirect audit events.', 'Give the receiver\'s CA in `certificate-authority` or `certificate-authority-data` and drop this flag.');
  }
  checkBase64(c, caData, `${at}.certificate-authority-data`, '`certificate-authority-data`');
  checkFile(c, caFile, `${at}.certificate-authority`, options.baseDir);
  const proxy = cluster['proxy-url'];
  if (nonEmpty(proxy)) {
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(proxy)?.[1]?.toLowerCase();
    if (scheme !== 'http' && scheme !== 'https' && scheme !== 'socks5') {
      c.add('error', 'proxy-url-scheme', `${at}.proxy-url`, `The proxy URL "${withoutUserinfo(proxy)}" does not use http, https or socks5, so the loader rejects it.`, 'Write the proxy as http://host:port, https://host:port or socks5://host:port.');
    }
  }
}

/**
 * Splits a server URL the way Go's `url.Parse` plus client-go's host check see it: an optional
 * `scheme://`, then a non-empty host (name, IPv4 or bracketed IPv6) and an optional numeric port.
 * Undefined when there is no usable host.
 */
function splitUrl(text: string): { scheme: string | undefined; host: string; port: string | undefined } | undefined {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text)?.[1];
  const rest = scheme === undefined ? text : text.slice(scheme.length + 3);
  const match = /^(?:[^@/?#]*@)?(\[[0-9A-Fa-f:.]+\]|[^:/?#[\]@\s]+)(?::(\d*))?(?:[/?#]\S*)?$/.exec(rest);
  if (match === null) return undefined;
  return { scheme: scheme?.toLowerCase(), host: match[1]!, port: match[2] };
}

/** The URL with any `user:password@` part replaced, so messages never carry credentials. */
function withoutUserinfo(url: string): string {
  return url.replace(/^([^/]*\/\/)?[^@/?#]*@/, (_, prefix: string | undefined) => `${prefix ?? ''}${REDACTED}@`);
}

function hasTls(cluster: Cluster): boolean {
  return nonEmpty(cluster['certificate-authority']) || nonEmpty(cluster['certificate-authority-data']) || cluster['insecure-skip-tls-verify'] === true;
}

function checkUser(c: ProblemCollector, user: AuthInfo, at: string, version: MinorVersion | undefined, options: ValidateKubeconfigOptions): void {
  const cert = nonEmpty(user['client-certificate']) || nonEmpty(user['client-certificate-data']);
  const key = nonEmpty(user['client-key']) || nonEmpty(user['client-key-data']);
  if (nonEmpty(user['client-certificate']) && nonEmpty(user['client-certificate-data'])) {
    c.add('error', 'cert-file-and-data', `${at}.client-certificate-data`, 'Both `client-certificate` and `client-certificate-data` are set; the loader rejects this.', 'Keep one of them: the file path or the inline base64 data.');
  }
  if (nonEmpty(user['client-key']) && nonEmpty(user['client-key-data'])) {
    c.add('error', 'key-file-and-data', `${at}.client-key-data`, `Both \`client-key\` and \`client-key-data\` (${REDACTED}) are set; the loader rejects this.`, 'Keep one of them: the file path (preferred, mode 0600) or the inline data.');
  }
  if (cert && !key) {
    c.add('error', 'cert-without-key', `${at}.client-key`, 'A client certificate is set without its private key; the loader rejects this.', 'Add `client-key` (path to the PEM key) or `client-key-data`.');
  }
  if (key && !cert) {
    c.add('error', 'key-without-cert', `${at}.client-certificate`, 'A client key is set without its certificate; the apiserver would silently skip client-certificate authentication.', 'Add `client-certificate` (path to the PEM certificate) or `client-certificate-data`, or remove the key.');
  }
  checkBase64(c, user['client-certificate-data'], `${at}.client-certificate-data`, '`client-certificate-data`');
  checkBase64(c, user['client-key-data'], `${at}.client-key-data`, `\`client-key-data\` (${REDACTED})`);
  checkFile(c, user['client-certificate'], `${at}.client-certificate`, options.baseDir);
  checkFile(c, user['client-key'], `${at}.client-key`, options.baseDir);
  checkFile(c, user.tokenFile, `${at}.tokenFile`, options.baseDir);

  const bearer = nonEmpty(user.token) || nonEmpty(user.tokenFile);
  const basic = nonEmpty(user.username) || nonEmpty(user.password);
  if (bearer && basic) {
    c.add('error', 'token-and-basic-auth', nonEmpty(user.token) ? `${at}.token` : `${at}.tokenFile`, 'A bearer token and basic auth (username/password) are both set; only one authentication method is allowed.', 'Keep either `token`/`tokenFile` or `username`/`password`.');
  }
  if (nonEmpty(user.username) !== nonEmpty(user.password)) {
    c.add('warning', 'basic-auth-incomplete', nonEmpty(user.username) ? `${at}.password` : `${at}.username`, nonEmpty(user.username) ? 'Basic auth has a username but no password.' : `A password (${REDACTED}) is set without a username, so it is never sent.`, 'Set both `username` and `password`, or neither.');
  }
  const exec = user.exec;
  const provider = user['auth-provider'];
  if (exec !== undefined && provider !== undefined) {
    c.add('error', 'exec-and-auth-provider', `${at}.exec`, '`exec` and `auth-provider` are both set; they cannot be combined.', 'Keep one credential plugin.');
  } else if (exec !== undefined && (bearer || basic || cert)) {
    c.add('warning', 'exec-ignored', `${at}.exec`, 'The exec plugin is never run while a token, basic auth or a client certificate is also set: those take precedence.', 'Remove the static credentials or the exec section.');
  } else if (provider !== undefined && (bearer || basic)) {
    c.add('warning', 'auth-provider-with-token', `${at}.auth-provider`, 'An auth-provider and a static token or basic auth are both set; only one Authorization header is sent.', 'Keep one of them.');
  }
  if (provider !== undefined && isObject(provider) && typeof provider.name === 'string') {
    if (!(AUTH_PROVIDERS as readonly string[]).includes(provider.name)) {
      c.add('error', 'auth-provider-unknown', `${at}.auth-provider.name`, `No auth-provider plugin named "${provider.name}" is built into kube-apiserver, so it fails to start.`, `Use one of ${AUTH_PROVIDERS.join(', ')}, or an exec plugin.`);
    } else if ((provider.name === 'gcp' || provider.name === 'azure') && (version === undefined || atLeast(version, 1, 21))) {
      c.add('warning', 'auth-provider-removed', `${at}.auth-provider.name`, `The in-tree "${provider.name}" provider was removed from newer client libraries; check that your kube-apiserver release still has it.`, 'Prefer an exec credential plugin.');
    }
  }
  if (exec !== undefined && isObject(exec)) checkExec(c, exec, `${at}.exec`, version, options);
  if ((nonEmpty(user['as-uid']) || (user['as-groups']?.length ?? 0) > 0 || Object.keys(user['as-user-extra'] ?? {}).length > 0) && !nonEmpty(user.as)) {
    c.add('error', 'impersonation-without-user', `${at}.as`, 'Impersonated groups, uid or extra attributes are set without an impersonated user (`as`); the loader rejects this.', 'Set `as` to the user to impersonate, or remove `as-groups`, `as-uid` and `as-user-extra`.');
  }
}

function checkExec(c: ProblemCollector, exec: NonNullable<AuthInfo['exec']>, at: string, version: MinorVersion | undefined, options: ValidateKubeconfigOptions): void {
  if (exec.command === '') c.add('error', 'exec-command-required', `${at}.command`, 'The exec plugin has no command.', 'Set `command` to the program that prints the credential.');
  if (exec.apiVersion === '') {
    c.add('error', 'exec-api-version-required', `${at}.apiVersion`, 'The exec plugin has no apiVersion.', 'Set `apiVersion`, for example client.authentication.k8s.io/v1beta1.');
  } else if (typeof exec.apiVersion === 'string') {
    const known = EXEC_API_VERSIONS.find((v) => v.apiVersion === exec.apiVersion);
    const allowed = EXEC_API_VERSIONS.filter(
      (v) => version === undefined || ((v.since === undefined || atLeast(version, ...v.since)) && (v.until === undefined || !atLeast(version, v.until[0], v.until[1] + 1))),
    ).map((v) => v.apiVersion);
    if (known === undefined || !allowed.includes(exec.apiVersion)) {
      const release = version !== undefined ? `Kubernetes ${version.major}.${version.minor}` : 'any Kubernetes release';
      c.add('error', 'exec-api-version', `${at}.apiVersion`, `"${exec.apiVersion}" is not an exec credential version ${release} accepts.`, `Use one of: ${allowed.join(', ')}.`);
    }
    if (exec.apiVersion === 'client.authentication.k8s.io/v1' && exec.interactiveMode === undefined) {
      c.add('error', 'exec-interactive-mode-required', `${at}.interactiveMode`, 'Exec plugins using client.authentication.k8s.io/v1 must state `interactiveMode`.', 'Add `interactiveMode: Never` (kube-apiserver has no terminal).');
    }
  }
  (exec.env ?? []).forEach((variable, index) => {
    if (isObject(variable) && variable.name === '') c.add('error', 'exec-env-name-required', `${at}.env[${index}].name`, 'An exec environment variable has no name.', 'Give every `env` entry a name.');
  });
  if (options.forAuditWebhook && exec.interactiveMode === 'Always') {
    c.add('error', 'exec-interactive', `${at}.interactiveMode`, 'The plugin requires a terminal, but kube-apiserver runs without one, so it can never obtain a credential.', 'Use `interactiveMode: Never` and a plugin that works unattended.');
  }
}

/**
 * Validates a kubeconfig (parsed data or a built object) and returns every problem found; an
 * empty list means kube-apiserver would load it.
 *
 * Covers: unknown keys (with did-you-mean), wrong types, duplicate names, the server URL, CA file
 * versus data, skipped TLS verification with a CA, certificate and key pairing, file versus data
 * variants, conflicting authentication methods (token or token file versus basic auth, exec versus
 * auth-provider), exec plugin settings, impersonation without a user, dangling context references
 * and the current context.
 */
export function validateKubeconfig(config: unknown, options: ValidateKubeconfigOptions = {}): Problem[] {
  const c = new ProblemCollector(options.file);
  let version: MinorVersion | undefined;
  if (options.kubernetesVersion !== undefined) {
    version = parseKubernetesVersion(options.kubernetesVersion);
    if (version === undefined) {
      c.add('error', 'invalid-kubernetes-version', '', `"${options.kubernetesVersion}" is not a Kubernetes release.`, 'Pass a release such as "1.20" or "v1.20.2".');
    }
  }
  for (const problem of structuralProblems(ConfigSchema, config)) {
    if (options.file !== undefined) problem.file = options.file;
    c.problems.push(problem);
  }
  if (!isObject(config)) return c.problems;
  const doc = config as Config & Record<string, unknown>;

  for (const list of ['clusters', 'users', 'contexts'] as const) checkDuplicates(c, doc[list], list);
  const clusters = entries<Cluster>(doc.clusters, 'cluster');
  const users = entries<AuthInfo>(doc.users, 'user');
  const contexts = entries<Record<string, unknown>>(doc.contexts, 'context');
  for (const { index, value } of clusters) checkCluster(c, value, `clusters[${index}].cluster`, options);
  for (const { index, value } of users) checkUser(c, value, `users[${index}].user`, version, options);

  const clusterNames = new Set(clusters.map((e) => e.name));
  const userNames = new Set(users.map((e) => e.name));
  for (const { index, value } of contexts) {
    const at = `contexts[${index}].context`;
    if (typeof value['cluster'] === 'string' && !clusterNames.has(value['cluster'])) {
      c.add('error', 'context-cluster-not-found', `${at}.cluster`, `No cluster is named "${value['cluster']}"; with this context the apiserver finds no server ("no configuration has been provided").`, `Name one of the clusters (${[...clusterNames].map((n) => JSON.stringify(n)).join(', ') || 'none defined'}) or add a cluster with this name.`);
    }
    const user = value['user'];
    if (typeof user === 'string' && user !== '' && !userNames.has(user)) {
      c.add('error', 'context-user-not-found', `${at}.user`, `No user is named "${user}"; the apiserver would silently connect without any credentials.`, `Name one of the users (${[...userNames].map((n) => JSON.stringify(n)).join(', ') || 'none defined'}), add a user with this name, or write user: "" to send no credentials on purpose.`);
    }
  }

  const current = doc['current-context'];
  if (nonEmpty(current)) {
    if (!contexts.some((e) => e.name === current)) {
      c.add('error', 'current-context-not-found', 'current-context', `current-context names "${current}", but no context has that name; the apiserver fails to start ("context was not found").`, `Set current-context to one of: ${contexts.map((e) => JSON.stringify(e.name)).join(', ') || '(no contexts defined: add one)'}.`);
    }
  } else if (current === undefined || current === '') {
    c.add(options.forAuditWebhook ? 'error' : 'warning', 'current-context-missing', 'current-context', 'No current-context is set, so no server is selected ("no configuration has been provided").', contexts.length > 0 ? `Set current-context to ${JSON.stringify(contexts[0]!.name)}.` : 'Add a context and set current-context to its name.');
  }
  return c.problems;
}

/** Path of a problem as segments: the inverse of `formatPath` (`users[0].user["a.b/c"]`). */
export { pathSegments } from '@k8s-gen/yaml';

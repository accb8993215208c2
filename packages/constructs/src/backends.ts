// The static audit backends of an apiserver: the log file and the webhook.
import type { HostMount, LogSettings, WebhookSettings } from '@k8s-gen/apiserver';
import type { Config } from '@k8s-gen/kubeconfig';
import { Construct } from 'constructs';
import type { Problem } from './problems.js';
import { buildWebhookKubeconfig, kubeconfigToYaml, validateWebhookKubeconfig, type WebhookCredentials } from './kubeconfig.js';
import { posix } from 'node:path';
import { registerContributor, type TargetContribution, type TargetContributor } from './contribution.js';
import { findTarget } from './target.js';
import { addCheck, type SynthFile } from './tree.js';

/**
 * The flag problems of the enclosing target that concern one backend (paths starting with
 * `prefix`), with the paths of settings that have another name among the construct's options
 * renamed to that option (`webhook.kubeconfigPath` is the `kubeconfigPath` prop).
 */
function backendFlagProblems(construct: Construct, prefix: 'log' | 'webhook', renamed: Readonly<Record<string, string>> = {}): Problem[] {
  const target = findTarget(construct);
  if (!target) return [];
  return target
    .auditFlags()
    .problems.filter((problem) => problem.path === prefix || problem.path.startsWith(`${prefix}.`))
    .map((problem) => ({ ...problem, path: renamed[problem.path] ?? problem.path, file: 'apiserver-flags.txt' }));
}

/** The log path kubeadm documentation uses. */
export const DEFAULT_LOG_PATH = '/var/log/kubernetes/audit/audit.log';
/** Where the apiserver reads the webhook kubeconfig by default. */
export const DEFAULT_WEBHOOK_KUBECONFIG_PATH = '/etc/kubernetes/audit-webhook-kubeconfig';

/** Options of {@link LogBackend}: the `--audit-log-*` flags, in the settings shape of `@k8s-gen/apiserver`. */
export interface LogBackendProps extends Omit<LogSettings, 'path'> {
  /** The log file on the node; `-` writes to the apiserver's stdout. Default `/var/log/kubernetes/audit/audit.log`. */
  readonly path?: string;
}

/**
 * The log backend: events appended to a file on the apiserver's node (or stdout), with rotation,
 * format, mode, batching and truncation. The flags are checked against the target's version at
 * synth (e.g. `compress` needs 1.20, batch settings need `mode: 'batch'`), and the path with
 * `checkNodePath`: problems name `log.path`, `log.batch.maxWait` and so on. A `tune` result's
 * `settings` can be passed as they are.
 *
 * @example
 * new LogBackend(target, 'Log', {
 *   path: '/var/log/kube-audit', format: 'json',
 *   maxAge: 7, maxBackup: 10, maxSize: 100,
 *   mode: 'batch', batch: { maxSize: 100, maxWait: '5s' },
 * });
 */
export class LogBackend extends Construct implements TargetContributor {
  /** The settings this backend gives the apiserver. */
  readonly options: LogSettings;

  constructor(scope: Construct, id: string, props: LogBackendProps = {}) {
    super(scope, id);
    this.options = { ...props, path: props.path ?? DEFAULT_LOG_PATH };
    registerContributor(this);
    addCheck(this, () => backendFlagProblems(this, 'log'));
  }

  /** The `--audit-log-*` settings, and the writable volume of the log's folder (none for stdout). */
  contribute(): TargetContribution {
    const folder = this.path === '-' ? undefined : posix.dirname(this.path);
    return {
      settings: { log: this.options },
      mounts: folder === undefined ? [] : [{ name: 'audit-log', hostPath: folder, mountPath: folder, type: 'DirectoryOrCreate', readOnly: false }],
    };
  }

  /** Where events go on the node, or `-` for stdout. */
  get path(): string {
    return this.options.path;
  }

  /** The event format (the apiserver's default is json). */
  get format(): 'json' | 'legacy' {
    return this.options.format ?? 'json';
  }
}

/** Options of {@link WebhookBackend}: the `--audit-webhook-*` flags, in the settings shape of `@k8s-gen/apiserver`, and the kubeconfig. */
export interface WebhookBackendProps extends Omit<WebhookSettings, 'kubeconfigPath'> {
  /** The URL events are POSTed to, path included, e.g. `https://audit.example.com:8443/events`. */
  readonly server: string;
  /** TLS trust and client credentials written into the kubeconfig. */
  readonly credentials?: WebhookCredentials;
  /** Name of the kubeconfig's cluster entry. Default `audit-webhook`. */
  readonly clusterName?: string;
  /** Where the apiserver reads the kubeconfig. Default `/etc/kubernetes/audit-webhook-kubeconfig`. */
  readonly kubeconfigPath?: string;
}

/**
 * The webhook backend: the kubeconfig that tells the apiserver where to send event batches and
 * how to authenticate (CA, client certificate and key, or a bearer token), plus the
 * `--audit-webhook-*` flags. The kubeconfig is written with mode 0600. Blocking modes get a warning:
 * each request would wait through the webhook's retries. Problems of the kubeconfig path name
 * `kubeconfigPath`; a `tune` result's `settings` can be passed as they are.
 *
 * @example
 * new WebhookBackend(target, 'Webhook', {
 *   server: 'https://audit.example.com:8443/events',
 *   credentials: { caPem, clientCertificatePem, clientKeyPem },
 *   initialBackoff: '5s',
 *   batch: { maxSize: 200, throttleQps: 20 },
 * });
 */
export class WebhookBackend extends Construct implements TargetContributor {
  /** The settings this backend gives the apiserver. */
  readonly options: WebhookSettings;
  /** The kubeconfig document as plain data. */
  readonly kubeconfig: Config;
  /** The server URL events are sent to. */
  readonly server: string;

  constructor(scope: Construct, id: string, props: WebhookBackendProps) {
    super(scope, id);
    const { server, credentials, clusterName, kubeconfigPath, ...flagOptions } = props;
    this.server = server;
    this.options = { ...flagOptions, kubeconfigPath: kubeconfigPath ?? DEFAULT_WEBHOOK_KUBECONFIG_PATH };
    this.kubeconfig = buildWebhookKubeconfig({ server, credentials, clusterName: clusterName ?? 'audit-webhook' });
    registerContributor(this);
    addCheck(this, () => backendFlagProblems(this, 'webhook', { 'webhook.kubeconfigPath': 'kubeconfigPath' }));
    addCheck(this, () => unmountedCredentialFiles(credentials, findTarget(this)?.hostMounts() ?? []));
    addCheck(this, (): Problem[] => validateWebhookKubeconfig(this.kubeconfig, findTarget(this)?.version.text).map((problem) => ({ ...problem, file: 'audit-webhook-kubeconfig.yaml' })));
  }

  /** The kubeconfig file this construct writes into its target. */
  get file(): SynthFile {
    return {
      path: 'audit-webhook-kubeconfig.yaml',
      contents: kubeconfigToYaml(this.kubeconfig),
      purpose: 'webhook kubeconfig (--audit-webhook-config-file)',
      secret: true,
      nodePath: this.options.kubeconfigPath,
    };
  }

  /** The kubeconfig (0600), the `--audit-webhook-*` settings and the volume bringing the kubeconfig in. */
  contribute(): TargetContribution {
    const file = this.options.kubeconfigPath;
    return {
      files: [this.file],
      settings: { webhook: this.options },
      webhookServer: this.server,
      mounts: [{ name: 'audit-webhook-kubeconfig', hostPath: file, mountPath: file, type: 'File', readOnly: true }],
    };
  }
}

/** kubeadm mounts this folder into kube-apiserver; files elsewhere need a volume of their own. */
const KUBEADM_PKI = '/etc/kubernetes/pki/';

/**
 * Warns about credential files the kubeconfig names that neither kubeadm's PKI folder nor a volume
 * some construct of the target contributes brings into the apiserver Pod.
 */
function unmountedCredentialFiles(credentials: WebhookCredentials | undefined, mounts: readonly HostMount[]): Problem[] {
  const mounted = (file: string) => file.startsWith(KUBEADM_PKI) || mounts.some((mount) => file === mount.mountPath || file.startsWith(`${mount.mountPath.replace(/\/$/, '')}/`));
  const files: Array<[string, string | undefined]> = [
    ['caFile', credentials?.caFile],
    ['clientCertificateFile', credentials?.clientCertificateFile],
    ['clientKeyFile', credentials?.clientKeyFile],
    ['tokenFile', credentials?.tokenFile],
  ];
  return files
    .filter((entry): entry is [string, string] => entry[1] !== undefined && !mounted(entry[1]))
    .map(([key, path]) => ({
      severity: 'warning' as const,
      code: 'credential-file-not-mounted',
      path: `credentials.${key}`,
      file: 'audit-webhook-kubeconfig.yaml',
      message: `the kubeconfig refers to ${path}, which is outside ${KUBEADM_PKI} (the folder kubeadm mounts into kube-apiserver), so the apiserver Pod may not see it`,
      fix: `keep the file under ${KUBEADM_PKI}, or place a construct in the target that contributes a mount for it`,
    }));
}

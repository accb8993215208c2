// Ready-made logstash pipelines for the API server's audit webhook backend.
import { checkAbsolutePath, checkPort, rejectOption } from '../options.js';
import { checkLogstashValue } from './writer.js';
import {
  array,
  comment,
  envRef,
  fieldName,
  fieldRef,
  filter,
  hash,
  input,
  output,
  pipeline,
  plugin,
  setting,
  sprintf,
  str,
  type FieldReference,
  type LogstashComment,
  type LogstashPipeline,
  type LogstashSetting,
  type StringValue,
} from './ast.js';

/** The user name of an audit event after the pipeline renamed `items` to `event`. */
export const AUDIT_EVENT_USERNAME: FieldReference = fieldRef('event', 'user', 'username');

/**
 * Fields the http input adds around the posted EventList (plus the EventList's own `apiVersion`,
 * `kind` and `metadata`), removed so that only the audit event remains. These names are the ones
 * logstash uses with ECS compatibility off (logstash 7 and earlier, or `ecs_compatibility =>
 * disabled`); with ECS on, logstash 8 puts request data under `[http]` and `[url]` instead.
 */
export const WEBHOOK_ENVELOPE_FIELDS = ['headers', 'metadata', 'apiVersion', '@timestamp', 'kind', '@version', 'host'] as const;

/** TLS for the http input (setting names of logstash-input-http 3.7 and later, logstash 8.x). */
export interface WebhookTlsOptions {
  /** PEM certificate file the input presents. */
  certificate: string;
  /** PEM private key file (PKCS#8, as the plugin requires). */
  key: string;
  /** CA files that client certificates must chain to; required when clients must authenticate. */
  certificateAuthorities?: string[];
  /** Whether the API server must present a client certificate (default `none`). */
  clientAuthentication?: 'none' | 'optional' | 'required';
}

/** Elasticsearch output next to the per-user files. */
export interface ElasticsearchOutputOptions {
  /** Node URLs, e.g. `https://es.example:9200`. */
  hosts: string[];
  /** Index name; a `str(...)` value may hold `dateFormat('yyyy.MM.dd')` or field parts. */
  index: string | StringValue;
  /** User for basic authentication. */
  user?: string;
  /**
   * Name of the environment variable (or logstash keystore key) holding the password; the
   * config gets `password => "${NAME}"` and the password itself is never written.
   */
  passwordEnv?: string;
}

/** Options of `auditWebhookByUser`. */
export interface AuditWebhookByUserOptions {
  /** Port of the http input; the webhook kubeconfig's server URL uses the same. */
  port: number | string;
  /** Address the http input binds (logstash's default is 0.0.0.0, all interfaces). */
  host?: string;
  /**
   * Output file per event, with at least one field part, e.g.
   * `str('/var/log/kube-audit-', sprintf(AUDIT_EVENT_USERNAME), '/audit')`. A plain string is
   * literal text and is refused, since every user would then share one file.
   */
  outputPathPattern: string | StringValue;
  /** Also send events to Elasticsearch. */
  elasticsearch?: ElasticsearchOutputOptions;
  /** Serve the input over TLS. */
  tls?: WebhookTlsOptions;
  /** Add explanatory comments (default true). */
  comments?: boolean;
}

/** Where the webhook input listens; the source of truth for the webhook kubeconfig. */
export interface WebhookListener {
  readonly scheme: 'http' | 'https';
  /** The bind address (`0.0.0.0` when not set). */
  readonly host: string;
  readonly port: number;
  /** The URL the API server should post to, given the address it reaches logstash at. */
  serverUrl(address?: string): string;
}

/** The result of `auditWebhookByUser`. */
export interface LogstashPreset {
  readonly pipeline: LogstashPipeline;
  readonly listener: WebhookListener;
}

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)$/;
const ES_HOST = /^https?:\/\/(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?(?:\/[A-Za-z0-9._~/-]*)?$/;

/**
 * Receives the API server's audit webhook and writes each user's events to their own file,
 * like the logstash example of the Kubernetes auditing docs: the http input receives each
 * posted EventList, split makes one event per item and drops the envelope fields, mutate renames
 * `items` to `event`, and the file output writes `outputPathPattern`.
 *
 * Additions the docs left open: `tls` (their TODO), an optional Elasticsearch output with the
 * password taken from an environment variable, and `host`. The file output sends events whose
 * resolved path would leave the directory before the first `%{` to its failure file instead.
 * Throws `CollectorConfigError` naming the option for a refused value.
 */
export function auditWebhookByUser(options: AuditWebhookByUserOptions): LogstashPreset {
  const port = checkPort('port', options.port);
  if (options.host !== undefined && (typeof options.host !== 'string' || !HOST.test(options.host))) {
    rejectOption('host', `${JSON.stringify(options.host)} is not a host name or IP address`, 'pass an address such as 0.0.0.0 or 127.0.0.1');
  }
  const path = typeof options.outputPathPattern === 'string' ? str(options.outputPathPattern) : options.outputPathPattern;
  checkLogstashValue(path, 'outputPathPattern');
  const first = path.parts[0];
  if (!first || first.kind !== 'text' || !first.text.startsWith('/')) {
    rejectOption('outputPathPattern', 'does not start with an absolute directory', "start it with literal text such as '/var/log/kube-audit-'");
  }
  if (!path.parts.some((p) => p.kind === 'field')) {
    rejectOption(
      'outputPathPattern',
      'has no event field, so every user would write to the same file',
      "build it with str('/var/log/kube-audit-', sprintf(AUDIT_EVENT_USERNAME), '/audit')",
    );
  }
  const withComments = options.comments ?? true;
  const note = (text: string): LogstashComment[] => (withComments ? [comment(text)] : []);

  const httpSettings: (LogstashSetting | LogstashComment)[] = [
    ...note('the audit webhook backend posts batches of events (EventList) here'),
  ];
  if (options.host !== undefined) httpSettings.push(setting('host', options.host));
  httpSettings.push(setting('port', port));
  if (options.tls) httpSettings.push(...tlsSettings(options.tls));

  const outputs = [plugin('file', ...note('one file per user'), setting('path', path))];
  if (options.elasticsearch) outputs.push(elasticsearchOutput(options.elasticsearch));

  const config = pipeline(
    input(plugin('http', ...httpSettings)),
    filter(
      plugin(
        'split',
        ...note('one event per item of the EventList; the envelope fields go'),
        setting('field', array(fieldName('items'))),
        setting('remove_field', array(...WEBHOOK_ENVELOPE_FIELDS.map(fieldName))),
      ),
      plugin('mutate', setting('rename', hash(['items', fieldName('event')]))),
    ),
    output(...outputs),
  );
  const scheme = options.tls ? 'https' : 'http';
  const bind = options.host ?? '0.0.0.0';
  return {
    pipeline: config,
    listener: {
      scheme,
      host: bind,
      port,
      serverUrl(address = bind) {
        if (!HOST.test(address)) rejectOption('address', `${JSON.stringify(address)} is not a host name or IP address`, 'pass the address the API server reaches logstash at');
        return `${scheme}://${address.includes(':') ? `[${address}]` : address}:${port}`;
      },
    },
  };
}

// An absolute path that the writer can print as literal text.
function literalPath(option: string, value: string): string {
  const path = checkAbsolutePath(option, value);
  checkLogstashValue(str(path), option);
  return path;
}

function tlsSettings(tls: WebhookTlsOptions): LogstashSetting[] {
  const certificate = literalPath('tls.certificate', tls.certificate);
  const key = literalPath('tls.key', tls.key);
  const authorities = (tls.certificateAuthorities ?? []).map((p, i) => literalPath(`tls.certificateAuthorities[${i}]`, p));
  const clientAuthentication = tls.clientAuthentication ?? 'none';
  if (!['none', 'optional', 'required'].includes(clientAuthentication)) {
    rejectOption('tls.clientAuthentication', `${JSON.stringify(clientAuthentication)} is not a mode`, "use 'none', 'optional' or 'required'");
  }
  if (clientAuthentication !== 'none' && authorities.length === 0) {
    rejectOption('tls.certificateAuthorities', 'is empty while clients must present certificates', 'list the CA files that sign the API server client certificate');
  }
  const settings = [setting('ssl_enabled', true), setting('ssl_certificate', certificate), setting('ssl_key', key)];
  if (authorities.length > 0) settings.push(setting('ssl_certificate_authorities', array(...authorities)));
  if (clientAuthentication !== 'none') settings.push(setting('ssl_client_authentication', clientAuthentication));
  return settings;
}

function elasticsearchOutput(es: ElasticsearchOutputOptions) {
  if (!Array.isArray(es.hosts) || es.hosts.length === 0) rejectOption('elasticsearch.hosts', 'is empty', 'list at least one node URL such as https://es.example:9200');
  es.hosts.forEach((h, i) => {
    if (typeof h !== 'string' || !ES_HOST.test(h)) rejectOption(`elasticsearch.hosts[${i}]`, `${JSON.stringify(h)} is not an http(s) URL`, 'pass a URL such as https://es.example:9200');
  });
  const index = typeof es.index === 'string' ? str(es.index) : es.index;
  if (index.parts.length === 0) rejectOption('elasticsearch.index', 'is empty', 'pass an index name such as k8s-audit');
  checkLogstashValue(index, 'elasticsearch.index');
  const settings: LogstashSetting[] = [setting('hosts', array(...es.hosts)), setting('index', index)];
  if (es.user !== undefined) {
    if (typeof es.user !== 'string' || es.user === '') rejectOption('elasticsearch.user', 'is empty', 'pass the user name or leave the option out');
    checkLogstashValue(str(es.user), 'elasticsearch.user');
    settings.push(setting('user', es.user));
  }
  if (es.passwordEnv !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(es.passwordEnv)) {
      rejectOption('elasticsearch.passwordEnv', `${JSON.stringify(es.passwordEnv)} is not an environment variable name`, 'use letters, digits and _, e.g. ES_PASSWORD');
    }
    settings.push(setting('password', str(envRef(es.passwordEnv))));
  }
  return plugin('elasticsearch', ...settings);
}

/**
 * Ready-made logstash pipelines for the API server's audit webhook backend, as typed functions:
 * options in, a pipeline tree (or the problems of the options, each named after its option) out.
 */
import { checkEmittedText, type Problem } from '@k8s-gen/runtime';
import { choiceOption, pathOption, portOption, refuseOption } from '../options.js';
import { collectProblems, failed, succeeded, type CollectorResult } from '../problems.js';
import { quoted } from '../text.js';
import { checkLogstashValue } from './writer.js';
import { ENV_NAME, stringContent, stringPartsProblems } from './strings.js';
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
  /**
   * The URL the API server should post to, given the address it reaches logstash at (default: the
   * bind address), or the problem of an address that is not a host name or IP address.
   */
  serverUrl(address?: string): CollectorResult<string>;
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
 * Never throws: refused options come back as problems, each with `path` set to the option's name.
 *
 * @example
 * ```ts
 * const preset = auditWebhookByUser({ port: 8888, outputPathPattern: str('/var/log/kube-audit-', sprintf(AUDIT_EVENT_USERNAME), '/audit') });
 * if (preset.ok) writeLogstash(preset.value.pipeline);
 * ```
 */
export function auditWebhookByUser(options: AuditWebhookByUserOptions): CollectorResult<LogstashPreset> {
  return collectProblems((problems) => buildAuditWebhookByUser(options, problems));
}

function buildAuditWebhookByUser(options: AuditWebhookByUserOptions, problems: Problem[]): LogstashPreset | undefined {
  const port = portOption(problems, 'port', options.port);
  if (options.host !== undefined && (typeof options.host !== 'string' || !HOST.test(options.host))) {
    refuseOption(problems, 'host', `host ${quoted(options.host)} is not a host name or IP address`, 'set host to an address such as 0.0.0.0 or 127.0.0.1');
  }
  const path = outputPathOption(problems, options.outputPathPattern);
  const tls = options.tls === undefined ? [] : tlsSettings(options.tls, problems);
  const elasticsearch = options.elasticsearch === undefined ? undefined : elasticsearchOutput(options.elasticsearch, problems);
  if (problems.length > 0 || port === undefined || path === undefined) return undefined;
  const withComments = options.comments ?? true;
  const note = (text: string): LogstashComment[] => (withComments ? [comment(text)] : []);

  const httpSettings: (LogstashSetting | LogstashComment)[] = [
    ...note('the audit webhook backend posts batches of events (EventList) here'),
  ];
  if (options.host !== undefined) httpSettings.push(setting('host', options.host));
  httpSettings.push(setting('port', port));
  httpSettings.push(...tls);

  const outputs = [plugin('file', ...note('one file per user'), setting('path', path))];
  if (elasticsearch !== undefined) outputs.push(elasticsearch);

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
        if (typeof address !== 'string' || !HOST.test(address)) {
          return failed([{ severity: 'error', code: 'invalid-option', path: 'address', message: `address ${quoted(address)} is not a host name or IP address`, fix: 'pass the address the API server reaches logstash at, such as 10.0.0.5' }]);
        }
        return succeeded(`${scheme}://${address.includes(':') ? `[${address}]` : address}:${port}`);
      },
    },
  };
}

/** A string option (plain text or a built string) checked as logstash reads it; problems name `option`. */
function stringOption(problems: Problem[], option: string, value: unknown): StringValue | undefined {
  if (typeof value !== 'string' && (typeof value !== 'object' || value === null || (value as StringValue).kind !== 'string')) {
    return refuseOption(problems, option, `${option} ${quoted(value)} is neither text nor a str(...) value`, `set ${option} to text, or build it with str(...)`);
  }
  const parts = typeof value === 'string' ? [{ kind: 'text' as const, text: value }] : (value as StringValue).parts;
  const found = stringPartsProblems(parts, option);
  if (found.length > 0) {
    problems.push(...found);
    return undefined;
  }
  const built: StringValue = { kind: 'string', parts: parts.filter((part) => part.kind !== 'text' || part.text !== '') };
  const written = checkLogstashValue(built, option);
  problems.push(...written);
  return written.length > 0 ? undefined : str(...built.parts);
}

/** The per-user output path: a node path whose text starts absolute and that holds an event field. */
function outputPathOption(problems: Problem[], value: string | StringValue): StringValue | undefined {
  // The path as logstash reads it is a node path first (no white space, no control characters).
  const parts = typeof value === 'string' ? [{ kind: 'text' as const, text: value }] : Array.isArray(value?.parts) ? value.parts : undefined;
  if (parts !== undefined && stringPartsProblems(parts, 'outputPathPattern', { checkCharacters: false }).length === 0) {
    if (pathOption(problems, 'outputPathPattern', stringContent(parts), [], '/var/log/kube-audit-%{[event][user][username]}/audit') === undefined) return undefined;
  }
  const path = stringOption(problems, 'outputPathPattern', value);
  if (path === undefined) return undefined;
  const first = path.parts[0];
  if (first?.kind !== 'text' || !first.text.startsWith('/')) {
    return refuseOption(problems, 'outputPathPattern', 'outputPathPattern does not start with an absolute directory', "start it with literal text such as '/var/log/kube-audit-'");
  }
  if (!path.parts.some((p) => p.kind === 'field')) {
    return refuseOption(
      problems,
      'outputPathPattern',
      'outputPathPattern has no event field, so every user would write to the same file',
      "build it with str('/var/log/kube-audit-', sprintf(AUDIT_EVENT_USERNAME), '/audit')",
    );
  }
  return path;
}

// An absolute path that the writer prints as literal text.
function literalPath(problems: Problem[], option: string, value: unknown): string | undefined {
  const path = pathOption(problems, option, value, [], '/etc/logstash/tls.crt');
  if (path === undefined) return undefined;
  return stringOption(problems, option, path) === undefined ? undefined : path;
}

function tlsSettings(tls: WebhookTlsOptions, problems: Problem[]): LogstashSetting[] {
  const certificate = literalPath(problems, 'tls.certificate', tls.certificate);
  const key = literalPath(problems, 'tls.key', tls.key);
  const authorities = (tls.certificateAuthorities ?? []).map((p, i) => literalPath(problems, `tls.certificateAuthorities[${i}]`, p));
  const clientAuthentication = choiceOption(problems, 'tls.clientAuthentication', tls.clientAuthentication ?? 'none', ['none', 'optional', 'required']);
  if (clientAuthentication !== undefined && clientAuthentication !== 'none' && authorities.length === 0) {
    refuseOption(problems, 'tls.certificateAuthorities', 'tls.certificateAuthorities is empty while clients must present certificates', 'list the CA files that sign the API server client certificate');
  }
  if (certificate === undefined || key === undefined || authorities.some((a) => a === undefined) || clientAuthentication === undefined) return [];
  const settings = [setting('ssl_enabled', true), setting('ssl_certificate', certificate), setting('ssl_key', key)];
  if (authorities.length > 0) settings.push(setting('ssl_certificate_authorities', array(...(authorities as string[]))));
  if (clientAuthentication !== 'none') settings.push(setting('ssl_client_authentication', clientAuthentication));
  return settings;
}

function elasticsearchOutput(es: ElasticsearchOutputOptions, problems: Problem[]) {
  const start = problems.length;
  const hosts = Array.isArray(es.hosts) ? es.hosts : [];
  if (hosts.length === 0) refuseOption(problems, 'elasticsearch.hosts', 'elasticsearch.hosts is empty', 'list at least one node URL such as https://es.example:9200');
  hosts.forEach((h, i) => {
    if (typeof h !== 'string' || !ES_HOST.test(h)) refuseOption(problems, `elasticsearch.hosts[${i}]`, `elasticsearch.hosts[${i}] ${quoted(h)} is not an http(s) URL`, 'pass a URL such as https://es.example:9200');
  });
  const indexProblem = typeof es.index === 'string' ? checkEmittedText(es.index, 'elasticsearch.index', { allowSpaces: false }) : undefined;
  if (indexProblem !== undefined) problems.push(indexProblem);
  const index = indexProblem === undefined ? stringOption(problems, 'elasticsearch.index', es.index) : undefined;
  if (index !== undefined && index.parts.length === 0) refuseOption(problems, 'elasticsearch.index', 'elasticsearch.index is empty', 'set elasticsearch.index to an index name such as k8s-audit');
  let user: StringValue | undefined;
  if (es.user !== undefined) {
    const userProblem = checkEmittedText(es.user, 'elasticsearch.user');
    if (userProblem !== undefined) problems.push(userProblem);
    else user = stringOption(problems, 'elasticsearch.user', es.user);
  }
  if (es.passwordEnv !== undefined && (typeof es.passwordEnv !== 'string' || !ENV_NAME.test(es.passwordEnv))) {
    refuseOption(problems, 'elasticsearch.passwordEnv', `elasticsearch.passwordEnv ${quoted(es.passwordEnv)} is not an environment variable or keystore name`, 'use letters, digits, _ and ., e.g. ES_PASSWORD');
  }
  if (problems.length > start || index === undefined) return undefined;
  const settings: LogstashSetting[] = [setting('hosts', array(...hosts)), setting('index', index)];
  if (user !== undefined) settings.push(setting('user', user));
  if (es.passwordEnv !== undefined) settings.push(setting('password', str(envRef(es.passwordEnv))));
  return plugin('elasticsearch', ...settings);
}

// logstash receiving the apiserver's audit webhook, as a construct that checks the webhook
// kubeconfig points at the port (and scheme) logstash listens on.
import { Construct } from 'constructs';
import { brandConsumer, type AuditChart, type AuditConsumer } from './chart.js';
import { CollectorConfigError } from './collectors/errors.js';
import {
  AUDIT_EVENT_USERNAME,
  auditWebhookByUser,
  sprintf,
  str,
  writeLogstash,
  type ElasticsearchOutputOptions,
  type LogstashPipeline,
  type StringValue,
  type WebhookListener,
  type WebhookTlsOptions,
} from './collectors/logstash/index.js';
import { serverEndpoint } from './kubeconfig.js';
import type { Problem } from './problems.js';
import { addCheck, type KubeObject, type SynthFile } from './tree.js';

/** The port of the logstash example in the Kubernetes docs. */
export const LOGSTASH_EXAMPLE_PORT = 8888;

/** Options of {@link LogstashCollector}. */
export interface LogstashCollectorProps {
  /** Port of the http input. Default 8888. */
  readonly port?: number;
  /** Address the input binds (logstash's default is all interfaces). */
  readonly host?: string;
  /** Output file per event; must contain an event field. Default `/var/log/kube-audit-%{[event][user][username]}/audit`. */
  readonly outputPathPattern?: string | StringValue;
  /** Also send events to Elasticsearch. */
  readonly elasticsearch?: ElasticsearchOutputOptions;
  /** Serve the input over https. */
  readonly tls?: WebhookTlsOptions;
}

/**
 * logstash receiving the audit webhook and writing each user's events to their own file (the
 * by-user preset: http input, split, mutate, file output; optionally Elasticsearch). At synth it
 * checks that the target's {@link WebhookBackend} posts to the port and scheme logstash listens on.
 *
 * @example
 * const collector = new LogstashCollector(target, 'Logstash', { port: 8888 });
 * new WebhookBackend(target, 'Webhook', { server: collector.serverUrl('10.0.0.5') });
 */
export class LogstashCollector extends Construct implements AuditConsumer {
  /** The pipeline as data (undefined when the options were refused; see the synth errors). */
  readonly pipeline?: LogstashPipeline;
  /** Where the http input listens (undefined when the options were refused). */
  readonly listener?: WebhookListener;
  private readonly refusal?: Problem;
  private readonly port: number;

  constructor(scope: Construct, id: string, props: LogstashCollectorProps = {}) {
    super(scope, id);
    this.port = props.port ?? LOGSTASH_EXAMPLE_PORT;
    try {
      const preset = auditWebhookByUser({
        port: this.port,
        outputPathPattern: props.outputPathPattern ?? str('/var/log/kube-audit-', sprintf(AUDIT_EVENT_USERNAME), '/audit'),
        ...(props.host !== undefined ? { host: props.host } : {}),
        ...(props.elasticsearch !== undefined ? { elasticsearch: props.elasticsearch } : {}),
        ...(props.tls !== undefined ? { tls: props.tls } : {}),
      });
      writeLogstash(preset.pipeline); // refuse unsafe values now, not halfway through synth
      this.pipeline = preset.pipeline;
      this.listener = preset.listener;
    } catch (error) {
      if (!(error instanceof CollectorConfigError)) throw error;
      this.refusal = error.toProblem('logstash/pipeline.conf');
    }
    addCheck(this, () => (this.refusal ? [this.refusal] : []));
    brandConsumer(this);
  }

  /**
   * The URL the apiserver should post to, given the address it reaches logstash at. Use it as the
   * WebhookBackend's `server`, so host and port are written once.
   */
  serverUrl(address: string): string {
    if (this.listener) {
      try {
        return this.listener.serverUrl(address);
      } catch (error) {
        if (!(error instanceof CollectorConfigError)) throw error;
      }
    }
    // The refusal is reported at synth; return a URL of the same shape so construction continues.
    return `http://${address}:${this.port}`;
  }

  /** `logstash/pipeline.conf`. */
  get files(): SynthFile[] {
    if (!this.pipeline) return [];
    return [{ path: 'logstash/pipeline.conf', contents: writeLogstash(this.pipeline), purpose: 'logstash pipeline: receives the audit webhook, one file per user (logstash -f pipeline.conf)' }];
  }

  /** logstash runs outside the apiserver here; it adds no Kubernetes objects. */
  get objects(): KubeObject[] {
    return [];
  }

  /** Checks that the webhook posts to where logstash listens. */
  consistencyProblems(target: AuditChart): Problem[] {
    const listener = this.listener;
    if (!listener) return [];
    const webhook = target.webhookBackend;
    if (!webhook) {
      return [{ severity: 'error', code: 'logstash-no-webhook', path: 'input.http', file: 'logstash/pipeline.conf', message: `logstash listens on port ${listener.port} but the apiserver has no webhook backend posting to it`, fix: `add a WebhookBackend with server ${listener.scheme}://<logstash address>:${listener.port} to ${target.node.path}` }];
    }
    const endpoint = serverEndpoint(webhook.server);
    const problems: Problem[] = [];
    if (endpoint && endpoint.port !== listener.port) {
      problems.push({ severity: 'error', code: 'logstash-port', path: 'clusters[0].cluster.server', file: 'audit-webhook-kubeconfig.yaml', message: `the webhook kubeconfig posts to port ${endpoint.port} but logstash listens on port ${listener.port}`, fix: `use port ${listener.port} in the webhook server URL (LogstashCollector.serverUrl() builds it)` });
    }
    if (endpoint && endpoint.scheme !== listener.scheme) {
      problems.push({ severity: 'error', code: 'logstash-scheme', path: 'clusters[0].cluster.server', file: 'audit-webhook-kubeconfig.yaml', message: `the webhook kubeconfig uses ${endpoint.scheme} but logstash serves ${listener.scheme}`, fix: `use ${listener.scheme}:// in the webhook server URL` });
    }
    if (endpoint && listener.host !== '0.0.0.0' && listener.host !== '::' && endpoint.host !== listener.host && endpoint.host !== `[${listener.host}]`) {
      problems.push({ severity: 'error', code: 'logstash-host', path: 'clusters[0].cluster.server', file: 'audit-webhook-kubeconfig.yaml', message: `logstash binds ${listener.host} only, but the webhook kubeconfig posts to ${endpoint.host}`, fix: `post to ${listener.host}, or let logstash bind all interfaces` });
    }
    return problems;
  }
}

// logstash receiving the apiserver's audit webhook, as a construct that checks the webhook
// kubeconfig points at the port (and scheme) logstash listens on.
import { Construct, type IConstruct } from 'constructs';
import { webhookReceiverProblems, type CollectorIdentity } from './collector-target.js';
import { registerContributor, type TargetContribution, type TargetContributor } from './contribution.js';
import { findTarget, type AuditTargetInfo } from './target.js';
import { logstash } from '@k8s-gen/collectors';
import type { Problem } from './problems.js';
import { addCheck, type KubeObject, type SynthFile } from './tree.js';

const { AUDIT_EVENT_USERNAME, auditWebhookByUser, sprintf, str, writeLogstash } = logstash;
type ElasticsearchOutputOptions = logstash.ElasticsearchOutputOptions;
type LogstashPipeline = logstash.LogstashPipeline;
type StringValue = logstash.StringValue;
type WebhookListener = logstash.WebhookListener;
type WebhookTlsOptions = logstash.WebhookTlsOptions;

const LOGSTASH: CollectorIdentity = { product: 'logstash', code: 'logstash', file: 'logstash/pipeline.conf', construct: 'LogstashCollector' };

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
export class LogstashCollector extends Construct implements TargetContributor {
  /** The pipeline as data (undefined when the options were refused; see the synth errors). */
  readonly pipeline?: LogstashPipeline;
  /** Where the http input listens (undefined when the options were refused). */
  readonly listener?: WebhookListener;
  private readonly refusals: Problem[] = [];
  private readonly text?: string;
  private readonly port: number;

  constructor(scope: Construct, id: string, props: LogstashCollectorProps = {}) {
    super(scope, id);
    this.port = props.port ?? LOGSTASH_EXAMPLE_PORT;
    // The collector language checks every option where it enters and returns what it refuses as
    // problems; they are reported at synth, named after the prop and the file.
    const preset = auditWebhookByUser({
      port: this.port,
      outputPathPattern: props.outputPathPattern ?? str('/var/log/kube-audit-', sprintf(AUDIT_EVENT_USERNAME), '/audit'),
      ...(props.host !== undefined ? { host: props.host } : {}),
      ...(props.elasticsearch !== undefined ? { elasticsearch: props.elasticsearch } : {}),
      ...(props.tls !== undefined ? { tls: props.tls } : {}),
    });
    const written = preset.ok ? writeLogstash(preset.value.pipeline) : preset;
    if (preset.ok && written.ok) {
      this.pipeline = preset.value.pipeline;
      this.listener = preset.value.listener;
      this.text = written.value;
    } else {
      this.refusals.push(...written.problems.map((problem) => ({ ...problem, file: 'logstash/pipeline.conf' })));
    }
    addCheck(this, () => this.refusals);
    registerContributor(this);
    addCheck(this, () => {
      const target = findTarget(this);
      return target === undefined ? [] : this.consistencyProblems(target);
    });
  }

  /**
   * The URL the apiserver should post to, given the address it reaches logstash at. Use it as the
   * WebhookBackend's `server`, so host and port are written once.
   */
  serverUrl(address: string): string {
    const url = this.listener?.serverUrl(address);
    if (url?.ok) return url.value;
    // A refused address is reported at synth with this construct's problems; a URL of the same
    // shape lets construction continue.
    if (url !== undefined) this.refusals.push(...url.problems.map((problem) => ({ ...problem, file: 'audit-webhook-kubeconfig.yaml' })));
    return `http://${address}:${this.port}`;
  }

  /** `logstash/pipeline.conf`. */
  get files(): SynthFile[] {
    if (this.text === undefined) return [];
    return [{ path: 'logstash/pipeline.conf', contents: this.text, purpose: 'logstash pipeline: receives the audit webhook, one file per user (logstash -f pipeline.conf)' }];
  }

  /** logstash runs outside the apiserver here; it adds no Kubernetes objects. */
  get objects(): KubeObject[] {
    return [];
  }

  /** The pipeline file. */
  contribute(): TargetContribution {
    return { files: this.files, objects: this.objects };
  }

  /** Checks that the webhook posts to where logstash listens. */
  consistencyProblems(target: AuditTargetInfo & IConstruct): Problem[] {
    return this.listener === undefined ? [] : webhookReceiverProblems(LOGSTASH, target, this.listener, 'input.http');
  }
}

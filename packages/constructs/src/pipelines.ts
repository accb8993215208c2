// Scenario constructs: a whole audit pipeline of one apiserver in one call, with the values that
// must agree between files (log path, format, host and port) given once.
import type { Construct } from 'constructs';
import { LogBackend, WebhookBackend, type LogBackendProps, type WebhookBackendProps } from './backends.js';
import { AuditChart, type AuditChartProps } from './chart.js';
import { FluentdCollector, type FluentdCollectorProps } from './fluentd-collector.js';
import { LogstashCollector, type LogstashCollectorProps } from './logstash-collector.js';
import { AuditPolicy, type PolicySource } from './policy.js';

/** The log path of the fluentd example in the Kubernetes docs. */
export const FLUENTD_EXAMPLE_LOG_PATH = '/var/log/kube-audit';

/** Options of {@link FluentdAuditPipeline}. */
export interface FluentdAuditPipelineProps extends AuditChartProps {
  /** The audit policy (built or a builder). */
  readonly policy: PolicySource;
  /** Where the apiserver reads the policy. Default `/etc/kubernetes/audit-policy.yaml`. */
  readonly policyPath?: string;
  /** The log file, shared by `--audit-log-path` and fluentd's tail. Default `/var/log/kube-audit`. */
  readonly logPath?: string;
  /** Further log backend settings (rotation, mode, batch, truncate). The format is always json. */
  readonly log?: Omit<LogBackendProps, 'path' | 'format'>;
  /** fluentd settings other than the log path. */
  readonly fluentd?: Omit<FluentdCollectorProps, 'logPath'>;
}

/**
 * The fluentd scenario of the Kubernetes docs in one construct: the policy, the log backend
 * writing JSON to one path, and fluentd tailing that same path and splitting events into one
 * file per namespace. It is an {@link AuditChart}, so it gets its own output folder.
 *
 * @example
 * const app = new App();
 * new FluentdAuditPipeline(app, 'audit', {
 *   kubernetesVersion: '1.20',
 *   policy: docsExamplePolicy(),
 * });
 * app.synth(); // dist/audit/{audit-policy.yaml, fluentd/fluent.conf, apiserver-flags.txt, ...}
 */
export class FluentdAuditPipeline extends AuditChart {
  /** The policy construct. */
  readonly auditPolicy: AuditPolicy;
  /** The log backend. */
  readonly log: LogBackend;
  /** The fluentd collector. */
  readonly fluentd: FluentdCollector;

  constructor(scope: Construct, id: string, props: FluentdAuditPipelineProps) {
    super(scope, id, props);
    const logPath = props.logPath ?? FLUENTD_EXAMPLE_LOG_PATH;
    this.auditPolicy = new AuditPolicy(this, 'Policy', { policy: props.policy, ...(props.policyPath ? { nodePath: props.policyPath } : {}) });
    this.log = new LogBackend(this, 'Log', { ...props.log, path: logPath, format: 'json' });
    this.fluentd = new FluentdCollector(this, 'Fluentd', { ...props.fluentd, logPath });
  }
}

/** Options of {@link LogstashAuditPipeline}. */
export interface LogstashAuditPipelineProps extends AuditChartProps {
  /** The audit policy (built or a builder). */
  readonly policy: PolicySource;
  /** Where the apiserver reads the policy. Default `/etc/kubernetes/audit-policy.yaml`. */
  readonly policyPath?: string;
  /** The address the apiserver reaches logstash at (host name or IP). */
  readonly logstashAddress: string;
  /** logstash settings; `port` (default 8888) is shared with the webhook kubeconfig. */
  readonly logstash?: LogstashCollectorProps;
  /** Further webhook settings (mode, batch, throttle, truncate, credentials). */
  readonly webhook?: Omit<WebhookBackendProps, 'server'>;
}

/**
 * The logstash scenario of the Kubernetes docs in one construct: the policy, the webhook backend
 * and its kubeconfig, and logstash receiving the webhook and writing one file per user. The
 * kubeconfig's server URL is built from logstash's own port and scheme, so they cannot drift.
 *
 * @example
 * const app = new App();
 * new LogstashAuditPipeline(app, 'audit', {
 *   kubernetesVersion: '1.20',
 *   policy: docsExamplePolicy(),
 *   logstashAddress: '10.0.0.5',
 * });
 * app.synth(); // dist/audit/{audit-webhook-kubeconfig.yaml, logstash/pipeline.conf, ...}
 */
export class LogstashAuditPipeline extends AuditChart {
  /** The policy construct. */
  readonly auditPolicy: AuditPolicy;
  /** The logstash collector. */
  readonly logstash: LogstashCollector;
  /** The webhook backend. */
  readonly webhook: WebhookBackend;

  constructor(scope: Construct, id: string, props: LogstashAuditPipelineProps) {
    super(scope, id, props);
    this.auditPolicy = new AuditPolicy(this, 'Policy', { policy: props.policy, ...(props.policyPath ? { nodePath: props.policyPath } : {}) });
    this.logstash = new LogstashCollector(this, 'Logstash', props.logstash);
    this.webhook = new WebhookBackend(this, 'Webhook', { clusterName: 'logstash', ...props.webhook, server: this.logstash.serverUrl(props.logstashAddress) });
  }
}

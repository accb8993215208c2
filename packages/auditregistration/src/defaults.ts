/** The defaulting kube-apiserver applies to AuditSink objects when they are created. */
import { parseKubernetesVersion } from '@k8s-gen/runtime';
import type { AuditSink } from './generated/index.js';

/** Throttle values the apiserver fills in (batches per second and burst). */
export const DEFAULT_THROTTLE = { qps: 10, burst: 15 } as const;
/** Service port the apiserver fills in from Kubernetes 1.15. */
export const DEFAULT_SERVICE_PORT = 443;

/** Options of {@link withDefaults}. */
export interface WithDefaultsOptions {
  /** Target release; below 1.15 no service port is added (the field does not exist there). */
  kubernetesVersion?: string;
}

/**
 * Returns a copy of the sink with the apiserver's defaults applied, as `kubectl get -o yaml` would
 * show it after creation: a missing `spec.webhook.throttle` becomes `{ qps: 10, burst: 15 }`, a
 * missing qps or burst alone gets its default, and (from Kubernetes 1.15) a service reference
 * without a port gets 443. The input is not modified.
 *
 * AuditSink exists only in Kubernetes 1.13 to 1.18.
 *
 * @example
 * ```ts
 * withDefaults(sink).spec.webhook.throttle; // { qps: 10, burst: 15 } when the sink had none
 * ```
 */
export function withDefaults(sink: AuditSink, options: WithDefaultsOptions = {}): AuditSink {
  const out = structuredClone(sink);
  const webhook = out.spec?.webhook;
  if (webhook === undefined) return out;
  const throttle = (webhook.throttle ??= {});
  throttle.qps ??= DEFAULT_THROTTLE.qps;
  throttle.burst ??= DEFAULT_THROTTLE.burst;
  const parsed = options.kubernetesVersion === undefined ? undefined : parseKubernetesVersion(options.kubernetesVersion, { oldest: 0 });
  const minor = parsed?.ok === true ? parsed.version.minor : undefined;
  const service = webhook.clientConfig?.service;
  if (service !== undefined && (minor === undefined || minor >= 15)) service.port ??= DEFAULT_SERVICE_PORT;
  return out;
}

// How a construct finds the apiserver target it belongs to, without importing the AuditChart
// class (which imports every construct): targets carry a brand symbol.
import type { AuditFlagsResult, AuditSettings, HostMount } from '@k8s-gen/apiserver';
import type { KubernetesVersion } from '@k8s-gen/runtime';
import type { IConstruct } from 'constructs';

const TARGET_BRAND = Symbol.for('@k8s-gen/constructs.AuditTarget');

/** Which apiserver a target configures. */
export type ApiServerKind = 'kube-apiserver' | 'aggregated';

/** What constructs need to know about their apiserver target. */
export interface AuditTargetInfo {
  /** The target's folder name in the output. */
  readonly name: string;
  /** The Kubernetes version of the apiserver. */
  readonly version: KubernetesVersion;
  /** Which kind of apiserver it is. */
  readonly apiserver: ApiServerKind;
  /** The audit settings every construct of the target contributed, merged. */
  settings(): AuditSettings;
  /** Where the webhook backend posts, when the target has one. */
  webhookServer(): string | undefined;
  /** The target's audit flags and the problems of the settings behind them. */
  auditFlags(): AuditFlagsResult;
  /** The volumes every construct of the target asked the apiserver Pod to mount. */
  hostMounts(): readonly HostMount[];
}

/** Marks a construct as an apiserver target. */
export function brandTarget(construct: IConstruct & AuditTargetInfo): void {
  Object.defineProperty(construct, TARGET_BRAND, { value: true });
}

/** Whether a construct is an apiserver target. */
export function isTarget(construct: IConstruct): construct is IConstruct & AuditTargetInfo {
  return (construct as unknown as Record<symbol, unknown>)[TARGET_BRAND] === true;
}

/** The nearest enclosing target (the construct itself included), if any. */
export function findTarget(construct: IConstruct): (IConstruct & AuditTargetInfo) | undefined {
  for (const scope of [...construct.node.scopes].reverse()) {
    if (isTarget(scope)) return scope;
  }
  return undefined;
}

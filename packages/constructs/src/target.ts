// How a construct finds the apiserver target it belongs to, without importing the AuditChart
// class (which imports every construct): targets carry a brand symbol.
import type { IConstruct } from 'constructs';
import type { AuditFlagsResult } from './apiserver/flags.js';
import type { KubernetesVersion } from './apiserver/versions.js';

const TARGET_BRAND = Symbol.for('@k8s-gen/constructs.AuditTarget');

/** What constructs need to know about their apiserver target. */
export interface AuditTargetInfo {
  /** The target's folder name in the output. */
  readonly name: string;
  /** The Kubernetes version of the apiserver. */
  readonly version: KubernetesVersion;
  /** The target's audit flags and the problems of the options behind them. */
  auditFlags(): AuditFlagsResult;
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

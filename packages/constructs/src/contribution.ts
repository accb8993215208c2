// The one way a construct adds to its apiserver target: it registers as a contributor and, when
// the target asks, returns its contribution (files, Kubernetes objects, its part of the audit
// settings, the volumes the apiserver needs). The target merges the contributions of the
// constructs below it without knowing their classes, so a new construct (a Fluent Bit collector, a
// filter per sink) needs no change to the target. Checks stay with each construct (`addCheck`).
import type { AuditSettings, HostMount } from '@k8s-gen/apiserver';
import type { IConstruct } from 'constructs';
import { findTarget, type AuditTargetInfo } from './target.js';
import type { KubeObject, SynthFile } from './tree.js';

/** What one construct adds to its apiserver target. */
export interface TargetContribution {
  /** Files written into the target's folder. */
  readonly files?: readonly SynthFile[];
  /** Kubernetes objects, written together into `kubernetes/objects.yaml`. */
  readonly objects?: readonly KubeObject[];
  /**
   * The part of the apiserver's audit settings this construct decides. Each key (`policyFile`,
   * `log`, `webhook`, `dynamic`) may come from one construct per target only.
   */
  readonly settings?: Partial<AuditSettings>;
  /** Where the webhook backend posts (the kubeconfig's server), for collectors that receive it. */
  readonly webhookServer?: string;
  /** Node paths the apiserver container needs as volumes. */
  readonly mounts?: readonly HostMount[];
}

/** A construct that adds to its target. */
export interface TargetContributor extends IConstruct {
  /** The contribution, computed when the target synthesizes (and whenever it checks itself). */
  contribute(target?: AuditTargetInfo): TargetContribution;
}

const CONTRIBUTOR = Symbol.for('@k8s-gen/constructs.TargetContributor');

/**
 * Marks a construct as a contributor to the target it is placed in. A construct class calls this
 * in its constructor.
 *
 * @example
 * ```ts
 * class MyCollector extends Construct implements TargetContributor {
 *   constructor(scope: Construct, id: string) { super(scope, id); registerContributor(this); }
 *   contribute() { return { files: [{ path: 'my/collector.conf', contents: '...', purpose: 'my collector' }] }; }
 * }
 * ```
 */
export function registerContributor(construct: TargetContributor): void {
  Object.defineProperty(construct, CONTRIBUTOR, { value: true });
}

/** Whether a construct contributes to its target. */
export function isContributor(construct: unknown): construct is TargetContributor {
  return (construct as Record<symbol, unknown> | undefined)?.[CONTRIBUTOR] === true;
}

/** The contributors whose nearest target is `target`, in tree order. */
export function contributorsOf(target: IConstruct): TargetContributor[] {
  return target.node.findAll().filter((construct): construct is TargetContributor => isContributor(construct) && findTarget(construct) === target);
}

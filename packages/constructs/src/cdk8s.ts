// Using the Kubernetes objects of k8s-gen constructs inside an existing cdk8s app. The objects are
// plain data; this adapter wraps each one in a cdk8s `ApiObject`. cdk8s is not a dependency: the
// caller passes its `ApiObject` class, so the adapter works with whichever cdk8s the app uses.
import type { Construct, IConstruct } from 'constructs';
import { AuditChart } from './chart.js';
import { isContributor } from './contribution.js';
import { findTarget } from './target.js';
import type { KubeObject } from './tree.js';

/** The constructor of cdk8s's `ApiObject` (or anything with the same signature). */
export type ApiObjectConstructor<T = unknown> = new (scope: Construct, id: string, props: KubeObject) => T;

/** The Kubernetes objects of every k8s-gen construct under `root` (itself included), in tree order. */
export function kubernetesObjectsOf(root: IConstruct): KubeObject[] {
  const constructs = root.node.findAll();
  const charts = constructs.filter((construct): construct is AuditChart => construct instanceof AuditChart);
  if (charts.length > 0) return charts.flatMap((chart) => chart.objects);
  // Constructs placed directly in a cdk8s chart have no target to merge their contributions.
  return constructs.flatMap((construct) => (isContributor(construct) && findTarget(construct) === undefined ? [...(construct.contribute().objects ?? [])] : []));
}

/**
 * Adds the Kubernetes objects of k8s-gen constructs to a cdk8s chart as `ApiObject`s, with ids
 * `<Kind>-<name>`. The constructs may live in the cdk8s chart itself (give them a
 * `kubernetesVersion` where they need one); their checks run when the cdk8s app synthesizes.
 *
 * @example
 * import { App as Cdk8sApp, Chart, ApiObject } from 'cdk8s';
 * const chart = new Chart(new Cdk8sApp(), 'audit');
 * const dynamic = new DynamicBackend(chart, 'Dynamic', { kubernetesVersion: '1.16', sinks });
 * addToCdk8sChart(chart, dynamic, ApiObject);
 */
export function addToCdk8sChart<T>(chart: Construct, source: IConstruct | readonly KubeObject[], apiObject: ApiObjectConstructor<T>): T[] {
  const objects = Array.isArray(source) ? (source as readonly KubeObject[]) : kubernetesObjectsOf(source as IConstruct);
  return objects.map((object) => new apiObject(chart, `${object.kind}-${object.metadata.name}`, structuredClone(object)));
}

/**
 * How a rule is named for people: its index, the line it starts on when the policy came from a
 * file, and the first line of its comment (`rules[3], line 12, "kube-proxy watches"`), so that a
 * rule can be found in the file and recognised without counting.
 */
import { commentOf, type Policy } from '@k8s-gen/audit';

/** Finds where a policy path starts in its file (what `parsePolicy` returns as `locate`). */
export type LocatePath = (path: string) => { line: number; column: number } | undefined;

/**
 * The label of `policy.rules[index]`.
 *
 * @example
 * ```ts
 * ruleLabel(gceProductionPolicy().build(), 0); // 'rules[0] "kube-proxy watching endpoints and services: constant and uninteresting."'
 * ruleLabel(parsed.policy, 3, parsed.locate);   // 'rules[3], line 12 "..."'
 * ```
 */
export function ruleLabel(policy: Policy, index: number, locate?: LocatePath): string {
  const path = `rules[${index}]`;
  const position = locate?.(path);
  const rule = policy.rules[index];
  const comment = rule === undefined ? undefined : commentOf(rule)?.split('\n')[0]?.trim();
  const shown = comment === undefined || comment === '' ? '' : ` "${comment.length > 72 ? `${comment.slice(0, 69)}...` : comment}"`;
  return `${path}${position === undefined ? '' : `, line ${position.line}`}${shown}`;
}

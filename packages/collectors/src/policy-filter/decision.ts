/**
 * What a downstream policy filter does with one logged event, given what the policy decides for
 * its request: the reference the Lua and VRL filters implement, stated once in TypeScript so that
 * tests can compare them with kube-apiserver's own decision (@k8s-gen/engine's `evaluate`).
 *
 * A shipper cannot add what the apiserver did not log, so a filter can only keep an event, drop
 * it, or lower it:
 * - the policy's level is None, or the event's stage is one the rule omits: drop;
 * - the policy's level is lower than the event's: set `level`, remove `responseObject` (below
 *   RequestResponse) and `requestObject` (below Request), as the apiserver would not have logged
 *   them; an event whose level is not Metadata or Request is treated as RequestResponse;
 * - `omitManagedFields`: remove `metadata.managedFields` from the bodies kept, from each item of a
 *   list and each row object of a Table, as kube-apiserver does (`copyWithoutManagedFields` in
 *   k8s.io/apiserver `audit/request.go`); a patch's request body is the patch itself, which the
 *   apiserver leaves alone, so it is left alone here too.
 */

/** The three levels that log an event, with their order. */
export const LOGGED_LEVEL_RANK: Readonly<Record<'Metadata' | 'Request' | 'RequestResponse', number>> = { Metadata: 1, Request: 2, RequestResponse: 3 };

/** What the policy decides for the event's request (the fields of engine's `Evaluation` a filter needs). */
export interface PolicyDecision {
  /** The level of the first matching rule, `None` when no rule matches. */
  readonly level: string;
  /** The stages the rule omits (policy and rule lists joined). */
  readonly omitStages: readonly string[];
  /** Whether managed fields are dropped from the bodies logged. */
  readonly omitManagedFields: boolean;
}

/** What the filter does with one event. */
export type DownstreamOutcome =
  | { readonly action: 'drop'; readonly reason: 'level-none' | 'stage-omitted' }
  /** `event` is the event to pass on (a new object when `changed`, else the input). */
  | { readonly action: 'keep'; readonly changed: boolean; readonly event: Record<string, unknown> };

/** Rank of an event's `level` field: Metadata 1, Request 2, anything else 3. */
export function eventLevelRank(level: unknown): number {
  return level === 'Metadata' ? 1 : level === 'Request' ? 2 : 3;
}

function objectAt(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Removes `metadata.managedFields` where it sits in a body; true when anything was removed. */
export function removeManagedFields(body: unknown): boolean {
  const object = objectAt(body);
  if (object === undefined) return false;
  let removed = false;
  const strip = (item: unknown): void => {
    const metadata = objectAt(objectAt(item)?.metadata);
    if (metadata !== undefined && 'managedFields' in metadata) {
      delete metadata.managedFields;
      removed = true;
    }
  };
  strip(object);
  if (Array.isArray(object.items)) for (const item of object.items) strip(item);
  if (object.kind === 'Table' && Array.isArray(object.rows)) for (const row of object.rows) strip(objectAt(row)?.object);
  return removed;
}

/**
 * The reference decision for one event. The input is not changed: a kept event that needs
 * changes is a deep copy.
 *
 * @example
 * ```ts
 * downstreamOutcome({ stage: 'ResponseComplete', level: 'RequestResponse', requestObject: {}, responseObject: {} }, { level: 'Metadata', omitStages: [], omitManagedFields: false });
 * // { action: 'keep', changed: true, event: { stage: 'ResponseComplete', level: 'Metadata' } }
 * ```
 */
export function downstreamOutcome(event: Record<string, unknown>, decision: PolicyDecision): DownstreamOutcome {
  if (decision.level === 'None') return { action: 'drop', reason: 'level-none' };
  if (typeof event.stage === 'string' && decision.omitStages.includes(event.stage)) return { action: 'drop', reason: 'stage-omitted' };
  const target = LOGGED_LEVEL_RANK[decision.level as keyof typeof LOGGED_LEVEL_RANK] ?? 3;
  const lower = target < eventLevelRank(event.level);
  const stripBodies = decision.omitManagedFields && ('requestObject' in event || 'responseObject' in event);
  if (!lower && !stripBodies) return { action: 'keep', changed: false, event };
  const copy = structuredClone(event);
  let changed = false;
  if (lower) {
    copy.level = decision.level;
    if (target < 3) delete copy.responseObject;
    if (target < 2) delete copy.requestObject;
    changed = true;
  }
  if (decision.omitManagedFields) {
    if (removeManagedFields(copy.responseObject)) changed = true;
    if (copy.verb !== 'patch' && removeManagedFields(copy.requestObject)) changed = true;
  }
  return changed ? { action: 'keep', changed: true, event: copy } : { action: 'keep', changed: false, event };
}

/**
 * Requirements on an audit policy: "requests like these are logged at least (or at most) at this
 * level". A requirement names its requests with the match fields of a policy rule, so the
 * apiserver's own matching decides what it covers, and `suggest` and the compliance checks can
 * prove a policy meets it with the exact request space of lint.
 */
import type { GroupResources, Level, PolicyRule, Stage } from '@k8s-gen/audit';
import { compareStrings } from '@k8s-gen/runtime';
import { groupWildcardSupported, levelRank, pathPatternMatches, ruleMatches, trimRightSet, type EvaluateOptions } from './evaluate.js';
import { resourcePatternParts, type ResourcePart } from './lint-space.js';
import type { RequestAttributes } from './request.js';

/** The requests a requirement covers: the match fields of a policy rule (empty fields match everything). */
export type RequestSelector = Omit<PolicyRule, 'level' | 'omitStages' | 'omitManagedFields'>;

/** Where a requirement comes from. */
export type RequirementSource = 'cis' | 'falco' | 'credentials' | 'keep' | (string & {});

/**
 * One requirement: the requests of `selector` are logged at least at `atLeast` and at most at
 * `atMost` (either may be left out), with `stages` among the stages emitted.
 *
 * When requirements disagree, `atMost` wins: a request two requirements cover gets at most the
 * lowest `atMost` of them (`secrets:<=Metadata` keeps secret bodies out of a `user=admin:RequestResponse`
 * requirement), and `suggest` reports the overlap.
 */
export interface Requirement {
  /** Stable identifier, e.g. `cis.secrets`, `falco.pod-create`, `keep[0]`. */
  readonly id: string;
  readonly source: RequirementSource;
  /** What it asks for and why, in one sentence. */
  readonly description: string;
  readonly selector: RequestSelector;
  readonly atLeast?: Level;
  readonly atMost?: Level;
  /** Stages that must be emitted for the covered requests (Falco's exec rule reads ResponseStarted). */
  readonly stages?: readonly Stage[];
  /** True for a catch-all floor ("every request at least at Metadata"). */
  readonly floor?: boolean;
}

const LEVELS_DESCENDING: readonly Level[] = ['RequestResponse', 'Request', 'Metadata', 'None'];

/** The lower of two levels. */
export function lowerLevel(a: Level, b: Level): Level {
  return levelRank(a) <= levelRank(b) ? a : b;
}

/** The higher of two levels. */
export function higherLevel(a: Level, b: Level): Level {
  return levelRank(a) >= levelRank(b) ? a : b;
}

/** Levels from the most detailed down. */
export function levelsDescending(): readonly Level[] {
  return LEVELS_DESCENDING;
}

/** The bounds of a requirement as text: `at least Request`, `exactly Metadata`, `at most None`. */
export function describeBounds(requirement: Pick<Requirement, 'atLeast' | 'atMost'>): string {
  const { atLeast, atMost } = requirement;
  if (atLeast !== undefined && atMost !== undefined) return atLeast === atMost ? `exactly ${atLeast}` : `${atLeast} to ${atMost}`;
  if (atLeast !== undefined) return `at least ${atLeast}`;
  return atMost === undefined ? 'any level' : `at most ${atMost}`;
}

/** A policy rule with the selector's match fields at `level`. */
export function selectorRule(selector: RequestSelector, level: Level): PolicyRule {
  return { level, ...selector };
}

/** The match fields of a rule. */
export function selectorOf(rule: PolicyRule): RequestSelector {
  const { level: _level, omitStages: _omitStages, omitManagedFields: _omitManagedFields, ...selector } = rule;
  return selector;
}

/** Whether the selector covers a request, by the apiserver's own rule matching. */
export function selectorMatches(selector: RequestSelector, request: RequestAttributes, options: EvaluateOptions = {}): boolean {
  return ruleMatches(selectorRule(selector, 'None'), request, groupWildcardSupported(options));
}

const set = (list: readonly unknown[] | undefined): boolean => list !== undefined && list.length > 0;

/** True when the selector matches every request. */
export function isCatchAll(selector: RequestSelector): boolean {
  return !set(selector.users) && !set(selector.userGroups) && !set(selector.verbs) && !set(selector.namespaces) && !set(selector.resources) && !set(selector.nonResourceURLs);
}

/** Resource-scoped (names resources or namespaces), URL-scoped, or neither. */
function scopeOf(selector: RequestSelector): 'resource' | 'url' | 'any' {
  if (set(selector.resources) || set(selector.namespaces)) return 'resource';
  return set(selector.nonResourceURLs) ? 'url' : 'any';
}

/** The intersection of two selectors, and whether it is exact. */
export interface SelectorIntersection {
  readonly selector: RequestSelector;
  /**
   * False when the intersection is wider than the exact one: two `userGroups` lists neither of
   * which holds the other ("has a group of A and a group of B" is no single list), in which case
   * the first selector's list is kept, so the result still lies inside the first selector.
   */
  readonly exact: boolean;
}

function intersectLists(a: readonly string[] | undefined, b: readonly string[] | undefined): string[] | undefined | null {
  if (!set(a)) return set(b) ? [...b!] : undefined;
  if (!set(b)) return [...a!];
  const common = a!.filter((value) => b!.includes(value));
  return common.length === 0 ? null : [...new Set(common)];
}

/** The (resource, subresource) products of a pattern; undefined sides mean any. */
function partsOf(pattern: string): ResourcePart[] {
  return resourcePatternParts(pattern);
}

/** The pattern that matches exactly one product, when one exists. */
function patternOf(part: ResourcePart): string | undefined {
  if (part.resource === undefined) return part.subresource === undefined ? '*' : part.subresource === '' ? undefined : `*/${part.subresource}`;
  if (part.subresource === undefined) return `${part.resource}/*`;
  return part.subresource === '' ? part.resource : `${part.resource}/${part.subresource}`;
}

function intersectParts(a: ResourcePart, b: ResourcePart): ResourcePart | undefined {
  const side = (x: string | undefined, y: string | undefined): string | undefined | null => (x === undefined ? y : y === undefined || x === y ? x : null);
  const resource = side(a.resource, b.resource);
  const subresource = side(a.subresource, b.subresource);
  if (resource === null || subresource === null) return undefined;
  return { ...(resource !== undefined ? { resource } : {}), ...(subresource !== undefined ? { subresource } : {}) };
}

/** Patterns matching exactly the requests both pattern lists match (undefined: any resource). */
function intersectPatterns(a: readonly string[] | undefined, b: readonly string[] | undefined): string[] | undefined | null {
  if (!set(a)) return set(b) ? [...b!] : undefined;
  if (!set(b)) return [...a!];
  const out = new Set<string>();
  for (const x of a!.flatMap(partsOf)) {
    for (const y of b!.flatMap(partsOf)) {
      const part = intersectParts(x, y);
      const pattern = part === undefined ? undefined : patternOf(part);
      if (pattern !== undefined) out.add(pattern);
    }
  }
  return out.size === 0 ? null : [...out];
}

function intersectEntries(a: GroupResources, b: GroupResources, wildcardGroups: boolean): GroupResources | undefined {
  const groupA = a.group ?? '';
  const groupB = b.group ?? '';
  let group: string;
  if (groupA === groupB) group = groupA;
  else if (wildcardGroups && groupA === '*') group = groupB;
  else if (wildcardGroups && groupB === '*') group = groupA;
  else return undefined;
  const resources = intersectPatterns(a.resources, b.resources);
  if (resources === null) return undefined;
  // The apiserver reads an entry's resourceNames only beside its resources: an entry without
  // resources selects the whole group whatever names it lists, so its names constrain nothing.
  const namesOf = (entry: GroupResources): readonly string[] | undefined => (set(entry.resources) ? entry.resourceNames : undefined);
  const names = intersectLists(namesOf(a), namesOf(b));
  if (names === null) return undefined;
  return { group, ...(resources !== undefined ? { resources } : {}), ...(names !== undefined ? { resourceNames: names } : {}) };
}

/** Go's URL pattern intersection: exact paths and `prefix*` patterns. */
function intersectUrls(a: readonly string[] | undefined, b: readonly string[] | undefined): string[] | undefined | null {
  if (!set(a)) return set(b) ? [...b!] : undefined;
  if (!set(b)) return [...a!];
  const out = new Set<string>();
  for (const x of a!) {
    for (const y of b!) {
      const xPrefix = x.endsWith('*') ? trimRightSet(x, '*') : undefined;
      const yPrefix = y.endsWith('*') ? trimRightSet(y, '*') : undefined;
      if (xPrefix === undefined && yPrefix === undefined) {
        if (x === y) out.add(x);
      } else if (xPrefix === undefined) {
        if (pathPatternMatches(y, x)) out.add(x);
      } else if (yPrefix === undefined) {
        if (pathPatternMatches(x, y)) out.add(y);
      } else if (xPrefix.startsWith(yPrefix)) out.add(x);
      else if (yPrefix.startsWith(xPrefix)) out.add(y);
    }
  }
  return out.size === 0 ? null : [...out];
}

/**
 * The requests both selectors match, as one selector; undefined when no request matches both.
 * Exact except for two unrelated `userGroups` lists (see {@link SelectorIntersection.exact}).
 *
 * @example
 * ```ts
 * intersectSelectors({ resources: [{ group: '', resources: ['pods/*'] }] }, { verbs: ['create'], resources: [{ group: '', resources: ['*\/exec'] }] });
 * // { selector: { verbs: ['create'], resources: [{ group: '', resources: ['pods/exec'] }] }, exact: true }
 * ```
 */
export function intersectSelectors(first: RequestSelector, second: RequestSelector, options: EvaluateOptions = {}): SelectorIntersection | undefined {
  const scopeA = scopeOf(first);
  const scopeB = scopeOf(second);
  if ((scopeA === 'resource' && scopeB === 'url') || (scopeA === 'url' && scopeB === 'resource')) return undefined;
  let exact = true;
  const out: { -readonly [K in keyof RequestSelector]: RequestSelector[K] } = {};
  const users = intersectLists(first.users, second.users);
  if (users === null) return undefined;
  if (users !== undefined) out.users = users;
  if (set(first.userGroups) && set(second.userGroups)) {
    const a = first.userGroups!;
    const b = second.userGroups!;
    if (a.every((group) => b.includes(group))) out.userGroups = [...a];
    else if (b.every((group) => a.includes(group))) out.userGroups = [...b];
    else {
      out.userGroups = [...a];
      exact = false;
    }
  } else if (set(first.userGroups)) out.userGroups = [...first.userGroups!];
  else if (set(second.userGroups)) out.userGroups = [...second.userGroups!];
  const verbs = intersectLists(first.verbs, second.verbs);
  if (verbs === null) return undefined;
  if (verbs !== undefined) out.verbs = verbs;
  const namespaces = intersectLists(first.namespaces, second.namespaces);
  if (namespaces === null) return undefined;
  if (namespaces !== undefined) out.namespaces = namespaces;
  if (set(first.resources) && set(second.resources)) {
    const wildcardGroups = groupWildcardSupported(options);
    const entries = first.resources!.flatMap((a) => second.resources!.flatMap((b) => intersectEntries(a, b, wildcardGroups) ?? []));
    if (entries.length === 0) return undefined;
    out.resources = entries;
  } else if (set(first.resources)) out.resources = first.resources!.map((entry) => ({ ...entry }));
  else if (set(second.resources)) out.resources = second.resources!.map((entry) => ({ ...entry }));
  const urls = intersectUrls(first.nonResourceURLs, second.nonResourceURLs);
  if (urls === null) return undefined;
  if (urls !== undefined) out.nonResourceURLs = urls;
  return { selector: normalizeSelector(out), exact };
}

/**
 * The selector in its canonical form: every list sorted and without repeats, resource entries of
 * one group (and the same names) joined, so equal selectors are equal objects and rules read the
 * same way every time.
 */
export function normalizeSelector(selector: RequestSelector): RequestSelector {
  const sorted = (list: readonly string[] | undefined): string[] | undefined => (set(list) ? [...new Set(list)].sort(compareStrings) : undefined);
  const out: { -readonly [K in keyof RequestSelector]: RequestSelector[K] } = {};
  const users = sorted(selector.users);
  if (users) out.users = users;
  const groups = sorted(selector.userGroups);
  if (groups) out.userGroups = groups;
  const verbs = sorted(selector.verbs);
  if (verbs) out.verbs = verbs;
  if (set(selector.resources)) {
    const byKey = new Map<string, { group: string; names?: string[]; patterns?: Set<string> }>();
    for (const entry of selector.resources!) {
      const names = sorted(entry.resourceNames);
      const key = `${entry.group ?? ''}\u0000${(names ?? []).join('\u0000')}`;
      const known = byKey.get(key);
      const patterns = set(entry.resources) ? entry.resources! : undefined;
      if (known === undefined) byKey.set(key, { group: entry.group ?? '', ...(names ? { names } : {}), ...(patterns ? { patterns: new Set(patterns) } : {}) });
      else if (known.patterns !== undefined) {
        // An entry without resources selects the whole group, which holds every pattern.
        if (patterns === undefined) delete known.patterns;
        else for (const pattern of patterns) known.patterns.add(pattern);
      }
    }
    out.resources = [...byKey.values()]
      .map((entry) => ({ group: entry.group, ...(entry.patterns ? { resources: [...entry.patterns].sort(compareStrings) } : {}), ...(entry.names ? { resourceNames: entry.names } : {}) }))
      .sort((a, b) => compareStrings(a.group, b.group) || compareStrings((a.resources ?? []).join(','), (b.resources ?? []).join(',')));
  }
  const namespaces = sorted(selector.namespaces);
  if (namespaces) out.namespaces = namespaces;
  const urls = sorted(selector.nonResourceURLs);
  if (urls) out.nonResourceURLs = urls;
  return out;
}

/**
 * The selector covering the requests of both, when one selector can say it exactly: the two are
 * equal but for one list field set in both (that field's lists are joined), or equal outright.
 * Undefined otherwise.
 */
export function unionSelectors(first: RequestSelector, second: RequestSelector): RequestSelector | undefined {
  const keys = ['users', 'userGroups', 'verbs', 'resources', 'namespaces', 'nonResourceURLs'] as const;
  const a = normalizeSelector(first);
  const b = normalizeSelector(second);
  const differing = keys.filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]));
  if (differing.length === 0) return a;
  if (differing.length > 1) return undefined;
  const key = differing[0]!;
  if (!set(a[key]) || !set(b[key])) return undefined;
  if (key === 'resources') return normalizeSelector({ ...a, resources: [...a.resources!, ...b.resources!] });
  return normalizeSelector({ ...a, [key]: [...(a[key] as string[]), ...(b[key] as string[])] });
}

/** A short reading of a selector, e.g. `create of pods`, `users admin`, `/healthz*`, `every request`. */
export function describeSelector(selector: RequestSelector): string {
  const parts: string[] = [];
  if (set(selector.verbs)) parts.push(selector.verbs!.join('/'));
  if (set(selector.resources)) {
    parts.push(
      selector.resources!
        .map((entry) => {
          const group = entry.group ?? '';
          const resources = set(entry.resources) ? entry.resources!.join(', ') : 'every resource';
          const named = set(entry.resourceNames) ? ` named ${entry.resourceNames!.join(', ')}` : '';
          return `${resources}${named}${group === '' ? '' : ` (${group})`}`;
        })
        .join('; '),
    );
  }
  if (set(selector.nonResourceURLs)) parts.push(selector.nonResourceURLs!.join(', '));
  if (set(selector.namespaces)) parts.push(`in ${selector.namespaces!.map((namespace) => (namespace === '' ? '(cluster scope)' : namespace)).join(', ')}`);
  if (set(selector.users)) parts.push(`by ${selector.users!.join(', ')}`);
  if (set(selector.userGroups)) parts.push(`by group ${selector.userGroups!.join(', ')}`);
  const text = parts.length === 0 ? 'every request' : parts.join(' ');
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

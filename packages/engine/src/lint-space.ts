/**
 * An exact decision procedure for "which requests reach rule k first", used by lint.
 *
 * Every request is a point in a product of dimensions (user, group, verb, resource-or-not, API
 * group, resource+subresource, name, namespace, URL path). Each dimension is cut into finitely
 * many atoms: every literal the policy (or lint) mentions, plus fresh values that equal none of
 * them. Two values in the same atom are indistinguishable by every rule, so a rule's matching set
 * is a union of boxes (one atom set per dimension), computed by running the real matcher on the
 * atoms. Whether rule k's boxes are covered by the earlier rules' boxes is then decided by
 * recursive splitting, which also yields a witness request when they are not.
 *
 * Two modelling facts make the atoms finite:
 * - `userGroups` is a test "does the user have any listed group"; that test is monotone, so a
 *   user with no group or with exactly one listed group is enough to find every uncovered request.
 * - URL patterns are exact strings or prefixes, so a path is characterised by the literals it
 *   equals and the longest literal prefix it starts with.
 * Resource and subresource names never contain `/` (the apiserver splits the path on `/`).
 */
import type { Policy, PolicyRule } from '@k8s-gen/audit';
import {
  groupMatches,
  groupWildcardSupported,
  pathPatternMatches,
  resourcePatternMatches,
  trimLeftSet,
  trimRightSet,
  type EvaluateOptions,
} from './evaluate.js';
import { nonResourceRequest, resourceRequest, type RequestAttributes } from './request.js';

/** A resource with its subresource (`""` when none). */
interface ResourcePair {
  resource: string;
  subresource: string;
}

/** One representative value per atom, per dimension. */
interface Atoms {
  /** `null`: the request failed authentication. */
  user: Array<string | null>;
  /** `null`: the user has no group the policy names. */
  group: Array<string | null>;
  verb: string[];
  /** true: resource request. */
  kind: boolean[];
  apiGroup: string[];
  resource: ResourcePair[];
  name: string[];
  namespace: string[];
  path: string[];
}

type Dimension = keyof Atoms;
const DIMENSIONS: readonly Dimension[] = ['user', 'group', 'verb', 'kind', 'apiGroup', 'resource', 'name', 'namespace', 'path'];

/** A set of requests: one bit mask of atoms per dimension, in {@link DIMENSIONS} order. */
export type Box = bigint[];

/**
 * Literals lint wants to ask about, added to those of the policy (the common kube verbs are
 * always atoms).
 */
export interface ExtraLiterals {
  apiGroups?: readonly string[];
  resources?: readonly ResourcePair[];
}

/** Restricts the requests a question is about; each predicate runs on the atoms of its dimension. */
export interface Restriction {
  authenticated?: boolean;
  verbs?: readonly string[];
  resourceRequest?: boolean;
  apiGroup?: string;
  resource?: ResourcePair;
  /** true: the namespace is not empty; false: the request is cluster-scoped (namespace ""). */
  namespaced?: boolean;
}

const COMMON_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

/** The first candidate (then `candidate-1`, `-2`, ...) that `ok` accepts. */
function fresh(candidates: readonly string[], ok: (value: string) => boolean): string {
  for (const candidate of candidates) if (ok(candidate)) return candidate;
  const base = candidates[candidates.length - 1] ?? 'k8s-gen-other';
  for (let i = 1; ; i++) if (ok(`${base}-${i}`)) return `${base}-${i}`;
}

function uniqueStrings(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

/** The request space of a policy, cut into atoms, with each rule as a union of boxes. */
export class RequestSpace {
  private readonly atoms: Atoms;
  private readonly full: Box;
  private readonly wildcardGroups: boolean;
  /** Boxes of each rule, empty boxes dropped. */
  readonly ruleBoxes: Box[][];

  constructor(
    policy: Policy,
    options: EvaluateOptions = {},
    extra: ExtraLiterals = {},
  ) {
    this.wildcardGroups = groupWildcardSupported(options);
    this.atoms = buildAtoms(policy.rules, extra);
    this.full = DIMENSIONS.map((dimension) => (1n << BigInt(this.atoms[dimension].length)) - 1n);
    this.ruleBoxes = policy.rules.map((rule) => this.boxesOf(rule).filter((box) => box.every((mask) => mask !== 0n)));
  }

  private mask<D extends Dimension>(dimension: D, test: (atom: Atoms[D][number]) => boolean): bigint {
    let mask = 0n;
    (this.atoms[dimension] as Array<Atoms[D][number]>).forEach((atom, index) => {
      if (test(atom)) mask |= 1n << BigInt(index);
    });
    return mask;
  }

  private boxesOf(rule: PolicyRule): Box[] {
    const users = rule.users ?? [];
    const userGroups = rule.userGroups ?? [];
    const verbs = rule.verbs ?? [];
    const namespaces = rule.namespaces ?? [];
    const resources = rule.resources ?? [];
    const urls = rule.nonResourceURLs ?? [];
    const base = [...this.full];
    const set = (dimension: Dimension, mask: bigint): void => {
      base[DIMENSIONS.indexOf(dimension)] = mask;
    };
    if (users.length > 0) set('user', this.mask('user', (user) => user !== null && users.includes(user)));
    else if (userGroups.length > 0) set('user', this.mask('user', (user) => user !== null));
    if (userGroups.length > 0) set('group', this.mask('group', (group) => group !== null && userGroups.includes(group)));
    if (verbs.length > 0) set('verb', this.mask('verb', (verb) => verbs.includes(verb)));
    if (namespaces.length > 0 || resources.length > 0) {
      set('kind', this.mask('kind', (isResource) => isResource));
      if (namespaces.length > 0) set('namespace', this.mask('namespace', (namespace) => namespaces.includes(namespace)));
      if (resources.length === 0) return [base];
      return resources.map((entry) => {
        const box = [...base];
        const group = entry.group ?? '';
        box[DIMENSIONS.indexOf('apiGroup')] = this.mask('apiGroup', (apiGroup) => groupMatches(group, apiGroup, this.wildcardGroups));
        const patterns = entry.resources ?? [];
        if (patterns.length > 0) {
          box[DIMENSIONS.indexOf('resource')] = this.mask('resource', (pair) =>
            patterns.some((pattern) => resourcePatternMatches(pattern, pair.resource, pair.subresource)),
          );
          const names = entry.resourceNames ?? [];
          if (names.length > 0) box[DIMENSIONS.indexOf('name')] = this.mask('name', (name) => names.includes(name));
        }
        return box;
      });
    }
    if (urls.length > 0) {
      set('kind', this.mask('kind', (isResource) => !isResource));
      set('path', this.mask('path', (path) => urls.some((pattern) => pathPatternMatches(pattern, path))));
    }
    return [base];
  }

  /** The box of requests a restriction allows. */
  restrictionBox(restriction: Restriction): Box {
    const box = [...this.full];
    const set = (dimension: Dimension, mask: bigint): void => {
      box[DIMENSIONS.indexOf(dimension)] = mask;
    };
    if (restriction.authenticated !== undefined) set('user', this.mask('user', (user) => (user !== null) === restriction.authenticated));
    if (restriction.verbs !== undefined) {
      const verbs = restriction.verbs;
      set('verb', this.mask('verb', (verb) => verbs.includes(verb)));
    }
    if (restriction.resourceRequest !== undefined) set('kind', this.mask('kind', (isResource) => isResource === restriction.resourceRequest));
    if (restriction.apiGroup !== undefined) set('apiGroup', this.mask('apiGroup', (group) => group === restriction.apiGroup));
    if (restriction.resource !== undefined) {
      const wanted = restriction.resource;
      set('resource', this.mask('resource', (pair) => pair.resource === wanted.resource && pair.subresource === wanted.subresource));
    }
    if (restriction.namespaced !== undefined) set('namespace', this.mask('namespace', (namespace) => (namespace !== '') === restriction.namespaced));
    return box;
  }

  /**
   * A request that rule `index` matches, that the restriction allows, and that no earlier rule
   * matches; undefined when there is none (the rule is dead for those requests).
   */
  firstMatchWitness(index: number, restriction: Restriction = {}): RequestAttributes | undefined {
    const limit = this.restrictionBox(restriction);
    const earlier = this.ruleBoxes.slice(0, index).flat();
    for (const box of this.ruleBoxes[index] ?? []) {
      const inside = intersect(box, limit);
      if (inside === undefined) continue;
      const point = uncovered(inside, earlier);
      if (point !== undefined) return this.requestAt(point);
    }
    return undefined;
  }

  /** A request no rule matches (so it is not audited at all), or undefined when every request matches. */
  unmatchedWitness(): RequestAttributes | undefined {
    const point = uncovered([...this.full], this.ruleBoxes.flat());
    return point === undefined ? undefined : this.requestAt(point);
  }

  /**
   * For a dead rule: an irredundant list of earlier rules that together cover it (every listed
   * rule is needed once the others are kept). Empty when the rule matches no request at all.
   */
  shadowingRules(index: number): number[] {
    const own = this.ruleBoxes[index] ?? [];
    const covered = (rules: number[]): boolean => {
      const boxes = rules.flatMap((rule) => this.ruleBoxes[rule] ?? []);
      return own.every((box) => uncovered(box, boxes) === undefined);
    };
    let kept = [...Array(index).keys()].filter((rule) =>
      (this.ruleBoxes[rule] ?? []).some((theirs) => own.some((box) => intersect(box, theirs) !== undefined)),
    );
    for (const rule of [...kept].reverse()) {
      const without = kept.filter((other) => other !== rule);
      if (covered(without)) kept = without;
    }
    return kept;
  }

  /** The lowest atom of every dimension of a box, as request attributes. */
  private requestAt(box: Box): RequestAttributes {
    // Any atom of the box is a valid witness; prefer one that reads like a real request.
    const pick = <D extends Dimension>(dimension: D, prefer: (atom: Atoms[D][number]) => boolean = () => true): Atoms[D][number] => {
      const mask = box[DIMENSIONS.indexOf(dimension)] as bigint;
      const atoms = (this.atoms[dimension] as Array<Atoms[D][number]>).filter((_, index) => ((mask >> BigInt(index)) & 1n) === 1n);
      return (atoms.find(prefer) ?? atoms[0]) as Atoms[D][number];
    };
    const userName = pick('user');
    const group = pick('group');
    const user = userName === null ? undefined : { name: userName, groups: group === null ? [] : [group] };
    const verb = pick('verb');
    if (!pick('kind')) return nonResourceRequest({ ...(user ? { user } : {}), verb, path: pick('path') });
    const pair = pick('resource');
    // Collections (list, watch, create, deletecollection) have no name; other requests name an object.
    const collection = pair.subresource === '' && ['list', 'watch', 'create', 'deletecollection'].includes(verb);
    return resourceRequest({
      ...(user ? { user } : {}),
      verb,
      apiGroup: pick('apiGroup'),
      resource: pair.resource,
      subresource: pair.subresource,
      name: pick('name', (name) => (name === '') === collection),
      namespace: pick('namespace'),
    });
  }
}

/** Intersection of two boxes, undefined when empty. */
function intersect(a: Box, b: Box): Box | undefined {
  const out = a.map((mask, dimension) => mask & (b[dimension] as bigint));
  return out.some((mask) => mask === 0n) ? undefined : out;
}

/**
 * A sub-box of `box` that no box of `covers` touches, or undefined when `covers` cover `box`.
 * Splits `box` along a dimension of an overlapping cover into the part inside that cover and the
 * part outside; each split either removes that cover or makes it contain `box` in one more
 * dimension, so the recursion ends.
 */
function uncovered(box: Box, covers: readonly Box[]): Box | undefined {
  const active = covers.filter((cover) => cover.every((mask, dimension) => (mask & (box[dimension] as bigint)) !== 0n));
  if (active.length === 0) return box;
  const first = active[0] as Box;
  let split = -1;
  for (const cover of active) {
    const outside = cover.findIndex((mask, dimension) => ((box[dimension] as bigint) & ~mask) !== 0n);
    if (outside < 0) return undefined;
    if (cover === first) split = outside;
  }
  const inside = [...box];
  inside[split] = (box[split] as bigint) & (first[split] as bigint);
  const outside = [...box];
  outside[split] = (box[split] as bigint) & ~(first[split] as bigint);
  return uncovered(outside, active) ?? uncovered(inside, active);
}

/** The atoms of every dimension: realistic values first, so witnesses read naturally. */
function buildAtoms(rules: readonly PolicyRule[], extra: ExtraLiterals): Atoms {
  const users = uniqueStrings(rules.flatMap((rule) => rule.users ?? []));
  const groups = uniqueStrings(rules.flatMap((rule) => rule.userGroups ?? []));
  const verbs = uniqueStrings([...COMMON_VERBS, ...rules.flatMap((rule) => rule.verbs ?? [])]);
  const entries = rules.flatMap((rule) => rule.resources ?? []);
  const apiGroups = uniqueStrings(['', ...(extra.apiGroups ?? []), ...entries.map((entry) => entry.group ?? '')]);
  const names = uniqueStrings(['', ...entries.flatMap((entry) => entry.resourceNames ?? [])]);
  const namespaces = uniqueStrings(['default', '', ...rules.flatMap((rule) => rule.namespaces ?? [])]);

  // Every string a resource pattern compares the resource or the subresource with.
  const patterns = entries.flatMap((entry) => entry.resources ?? []);
  const resourceLiterals: string[] = ['pods', ...(extra.resources ?? []).map((pair) => pair.resource)];
  const subresourceLiterals: string[] = ['', ...(extra.resources ?? []).map((pair) => pair.subresource)];
  for (const pattern of patterns) {
    const slash = pattern.indexOf('/');
    resourceLiterals.push(pattern, trimRightSet(pattern, '/*'), slash >= 0 ? pattern.slice(0, slash) : pattern);
    subresourceLiterals.push(trimLeftSet(pattern, '*/'), slash >= 0 ? pattern.slice(slash + 1) : '', pattern.slice(pattern.lastIndexOf('/') + 1));
  }
  const slashFree = (value: string): boolean => !value.includes('/');
  const resources = uniqueStrings(resourceLiterals.filter(slashFree));
  const subresources = uniqueStrings(subresourceLiterals.filter(slashFree));
  resources.push(fresh(['k8s-gen-other-resource'], (value) => !resources.includes(value)));
  subresources.push(fresh(['k8s-gen-other-subresource'], (value) => !subresources.includes(value)));

  return {
    user: [fresh(['example-user'], (value) => !users.includes(value)), ...users, null],
    group: [null, ...groups],
    verb: [...verbs, fresh(['k8s-gen-other-verb'], (value) => !verbs.includes(value))],
    kind: [true, false],
    apiGroup: [...apiGroups, fresh(['k8s-gen-other.example.com'], (value) => !apiGroups.includes(value))],
    resource: resources.flatMap((resource) => subresources.map((subresource) => ({ resource, subresource }))),
    name: [...names, fresh(['example-name'], (value) => !names.includes(value))],
    namespace: [...namespaces, fresh(['example-namespace'], (value) => !namespaces.includes(value))],
    path: pathAtoms(rules.flatMap((rule) => rule.nonResourceURLs ?? [])),
  };
}

/**
 * Representative paths: every literal (whole patterns and their prefixes), then for each prefix
 * a path that starts with it and with no longer prefix, then a path that starts with no prefix.
 */
function pathAtoms(patterns: readonly string[]): string[] {
  const prefixes = uniqueStrings(patterns.filter((pattern) => pattern.endsWith('*')).map((pattern) => trimRightSet(pattern, '*')));
  const literals = uniqueStrings(['/healthz', ...patterns, ...prefixes]);
  const atoms = [...literals];
  const longestPrefix = (path: string): string | undefined =>
    prefixes.filter((prefix) => path.startsWith(prefix)).sort((a, b) => b.length - a.length)[0];
  // The "no prefix" class exists unless "" itself is a prefix; it extends "" like the others.
  const classes: Array<string | undefined> = prefixes.includes('') ? prefixes : [...prefixes, undefined];
  for (const prefix of classes) {
    const stem = prefix ?? '';
    // A next character that no longer prefix continues with keeps the longest prefix unchanged.
    const taken = new Set(prefixes.filter((other) => other.length > stem.length && other.startsWith(stem)).map((other) => other[stem.length]));
    let next = [...'/kxyz-_.'].find((char) => !taken.has(char));
    for (let code = 0x41; next === undefined; code++) if (!taken.has(String.fromCodePoint(code))) next = String.fromCodePoint(code);
    atoms.push(fresh([`${stem}${next}k8s-gen-other`], (path) => !literals.includes(path) && longestPrefix(path) === prefix));
  }
  return uniqueStrings(atoms);
}

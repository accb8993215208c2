/**
 * An exact decision procedure for "which requests reach rule k first", used by lint.
 *
 * Every request is a point in a product of dimensions (user, group, verb, resource-or-not, API
 * group, resource, subresource, name, namespace, URL path). Each dimension is cut into finitely
 * many atoms: every literal the policy (or lint) mentions, plus fresh values that equal none of
 * them. Two values in the same atom are indistinguishable by every rule, so a rule's matching set
 * is a union of boxes (one atom set per dimension). Whether rule k's boxes are covered by the
 * earlier rules' boxes is decided by splitting a box along one dimension into the classes of
 * atoms that the overlapping earlier boxes cannot tell apart; in every part each of those boxes
 * then either holds the whole dimension or is gone, so no dimension is split twice on one path
 * and the search is at most ten levels deep (an explicit stack, never recursion). An uncovered
 * part yields a witness request. The work is counted in steps; a question that needs more than
 * its limit is answered "cut short", never guessed.
 *
 * Modelling facts that make the atoms finite:
 * - `userGroups` is a test "does the user have any listed group"; that test is monotone, so a
 *   user with no group or with exactly one listed group is enough to find every uncovered request
 *   of one rule. A question about the requests two or three rules all match (`within`) may need a
 *   user with a listed group of each, so the group atoms are then the sets of up to that many
 *   listed groups (`groupsPerUser`).
 * - URL patterns are exact strings or prefixes, so a path is characterised by the literal it
 *   equals and the longest literal prefix it starts with.
 * - Resource and subresource names never contain `/` (the apiserver splits the path on `/`), so a
 *   resource pattern matches a union of at most three products (resource set × subresource set).
 */
import type { Policy, PolicyRule } from '@k8s-gen/audit';
import { AtomSet, AtomUnion, forEachMissing } from './atom-set.js';
import { groupWildcardSupported, trimLeftSet, trimRightSet, type EvaluateOptions } from './evaluate.js';
import { nonResourceRequest, resourceRequest, type RequestAttributes } from './request.js';

/** One representative value per atom, per dimension. */
interface Atoms {
  /** `null`: the request failed authentication. */
  user: Array<string | null>;
  /** The listed groups the user has (`[]`: none the policy names), at most `groupsPerUser` of them, sorted. */
  group: Array<readonly string[]>;
  verb: string[];
  /** true: resource request. */
  kind: boolean[];
  apiGroup: string[];
  resource: string[];
  /** `""`: no subresource. */
  subresource: string[];
  name: string[];
  namespace: string[];
  path: string[];
}

type Dimension = keyof Atoms;
const DIMENSIONS: readonly Dimension[] = ['user', 'group', 'verb', 'kind', 'apiGroup', 'resource', 'subresource', 'name', 'namespace', 'path'];
const AT = Object.fromEntries(DIMENSIONS.map((dimension, index) => [dimension, index])) as Record<Dimension, number>;

/** A set of requests: one atom set per dimension, in {@link DIMENSIONS} order. */
type Box = readonly AtomSet[];

/**
 * Literals lint wants to ask about, added to those of the policy (the common kube verbs are
 * always atoms).
 */
export interface ExtraLiterals {
  apiGroups?: readonly string[];
  resources?: ReadonlyArray<{ resource: string; subresource: string }>;
  /**
   * Most listed groups one user may have (default 1). One is enough for "which requests reach
   * rule k first"; a question with `within` rules needs one more per rule listed there.
   */
  groupsPerUser?: number;
}

/** Restricts the requests a question is about. */
export interface Restriction {
  authenticated?: boolean;
  verbs?: readonly string[];
  /** Verbs the request does not have (every other verb, fresh ones included, is allowed). */
  exceptVerbs?: readonly string[];
  resourceRequest?: boolean;
  apiGroup?: string;
  resource?: { resource: string; subresource: string };
  /** true: the namespace is not empty; false: the request is cluster-scoped (namespace ""). */
  namespaced?: boolean;
}

/** How much work the exact search may do before it answers "cut short". */
export interface SearchLimits {
  /** Steps one question may take (default {@link DEFAULT_QUESTION_STEPS}). */
  questionSteps?: number;
  /** Steps all questions about one policy may take together (default {@link DEFAULT_TOTAL_STEPS}). */
  totalSteps?: number;
}

/**
 * Default step limit of one question (about a second of work). A step is one overlapping earlier
 * box looked at once by the exact search, or 256 words of the index; realistic policies need a
 * few hundred steps per rule, so only adversarial ones come near it.
 */
export const DEFAULT_QUESTION_STEPS = 2_000_000;
/** Default step limit of all questions about one policy (some tens of seconds of work at most). */
export const DEFAULT_TOTAL_STEPS = 30_000_000;

/** The answer to "is there a request that ...": one, none, or not decided within the limits. */
export type SearchAnswer = { outcome: 'found'; request: RequestAttributes } | { outcome: 'none' } | { outcome: 'cut-short' };

const NONE: SearchAnswer = { outcome: 'none' };
const CUT_SHORT: SearchAnswer = { outcome: 'cut-short' };
const COMMON_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

/** The request space of a policy, cut into atoms, with each rule as a union of boxes. */
export class RequestSpace {
  private readonly atoms: Atoms;
  /** Atom index of each literal, per dimension. */
  private readonly atomOf: Array<Map<unknown, number>>;
  private readonly full: Box;
  private readonly wildcardGroups: boolean;
  private readonly pathIndex: PathIndex;
  /** Every non-empty box of every rule, in rule order. */
  private readonly boxes: Box[] = [];
  /** `ruleStart[k]`..`ruleStart[k + 1]` are the ids of rule k's boxes. */
  private readonly ruleStart: number[] = [0];
  private readonly index: BoxIndex;
  private readonly budget: Budget;
  private readonly restrictions = new Map<string, Box>();
  private anyUser: AtomSet | undefined;
  private readonly groupsPerUser: number;

  constructor(policy: Policy, options: EvaluateOptions = {}, extra: ExtraLiterals = {}, limits: SearchLimits = {}) {
    this.wildcardGroups = groupWildcardSupported(options);
    this.groupsPerUser = extra.groupsPerUser ?? 1;
    this.atoms = buildAtoms(policy.rules, extra);
    this.atomOf = DIMENSIONS.map((dimension) => new Map<unknown, number>((this.atoms[dimension] as unknown[]).map((atom, index) => [atom, index])));
    this.full = DIMENSIONS.map((dimension) => AtomSet.all(this.atoms[dimension].length));
    this.budget = new Budget(limits.questionSteps ?? DEFAULT_QUESTION_STEPS, limits.totalSteps ?? DEFAULT_TOTAL_STEPS);
    this.pathIndex = new PathIndex(this.atoms.path);
    for (const rule of policy.rules) {
      for (const box of this.boxesOf(rule)) if (box.every((set) => set.size > 0)) this.boxes.push(box);
      this.ruleStart.push(this.boxes.length);
    }
    this.index = new BoxIndex(this.boxes, this.full);
  }

  /** The atoms of `dimension` equal to the given literals (every literal of a rule is an atom). */
  private literals(dimension: Dimension, values: readonly unknown[]): AtomSet {
    const map = this.atomOf[AT[dimension]] as Map<unknown, number>;
    const atoms: number[] = [];
    for (const value of values) {
      const atom = map.get(value);
      if (atom !== undefined) atoms.push(atom);
    }
    return AtomSet.of(this.atoms[dimension].length, atoms);
  }

  /** Every authenticated user: the user set of every rule with groups and no users. */
  private authenticated(): AtomSet {
    this.anyUser ??= this.full[AT.user]!.minus(this.literals('user', [null]));
    return this.anyUser;
  }

  private boxesOf(rule: PolicyRule): Box[] {
    const users = rule.users ?? [];
    const userGroups = rule.userGroups ?? [];
    const verbs = rule.verbs ?? [];
    const namespaces = rule.namespaces ?? [];
    const resources = rule.resources ?? [];
    const urls = rule.nonResourceURLs ?? [];
    const base = [...this.full];
    if (users.length > 0) base[AT.user] = this.literals('user', users);
    else if (userGroups.length > 0) base[AT.user] = this.authenticated();
    if (userGroups.length > 0) base[AT.group] = AtomSet.where(this.atoms.group.length, (index) => (this.atoms.group[index] as readonly string[]).some((group) => userGroups.includes(group)));
    if (verbs.length > 0) base[AT.verb] = this.literals('verb', verbs);
    if (namespaces.length > 0 || resources.length > 0) {
      base[AT.kind] = this.literals('kind', [true]);
      if (namespaces.length > 0) base[AT.namespace] = this.literals('namespace', namespaces);
      if (resources.length === 0) return [base];
      return resources.flatMap((entry) => {
        const group = entry.group ?? '';
        const entryBase = [...base];
        entryBase[AT.apiGroup] = this.wildcardGroups && group === '*' ? this.full[AT.apiGroup]! : this.literals('apiGroup', [group]);
        const patterns = entry.resources ?? [];
        if (patterns.length === 0) return [entryBase];
        const names = entry.resourceNames ?? [];
        if (names.length > 0) entryBase[AT.name] = this.literals('name', names);
        return patterns.flatMap((pattern) =>
          resourcePatternParts(pattern).map((part) => {
            const box = [...entryBase];
            if (part.resource !== undefined) box[AT.resource] = this.literals('resource', [part.resource]);
            if (part.subresource !== undefined) box[AT.subresource] = this.literals('subresource', [part.subresource]);
            return box;
          }),
        );
      });
    }
    if (urls.length > 0) {
      base[AT.kind] = this.literals('kind', [false]);
      const union = new AtomUnion(this.atoms.path.length);
      for (const pattern of urls) union.add(this.pathIndex.matching(pattern));
      base[AT.path] = union.toSet();
    }
    return [base];
  }

  /** The box of requests a restriction allows. */
  restrictionBox(restriction: Restriction): Box {
    // Lint asks the same few restrictions of every rule.
    const key = JSON.stringify(restriction);
    const known = this.restrictions.get(key);
    if (known !== undefined) return known;
    const box = [...this.full];
    const where = (dimension: Dimension, test: (atom: never) => boolean): void => {
      const atoms = this.atoms[dimension] as unknown[];
      box[AT[dimension]] = AtomSet.where(atoms.length, (index) => test(atoms[index] as never));
    };
    if (restriction.authenticated !== undefined) where('user', (user: string | null) => (user !== null) === restriction.authenticated);
    if (restriction.verbs !== undefined) box[AT.verb] = this.literals('verb', restriction.verbs);
    if (restriction.exceptVerbs !== undefined) box[AT.verb] = (box[AT.verb] as AtomSet).minus(this.literals('verb', restriction.exceptVerbs));
    if (restriction.resourceRequest !== undefined) box[AT.kind] = this.literals('kind', [restriction.resourceRequest]);
    if (restriction.apiGroup !== undefined) box[AT.apiGroup] = this.literals('apiGroup', [restriction.apiGroup]);
    if (restriction.resource !== undefined) {
      box[AT.resource] = this.literals('resource', [restriction.resource.resource]);
      box[AT.subresource] = this.literals('subresource', [restriction.resource.subresource]);
    }
    if (restriction.namespaced !== undefined) where('namespace', (namespace: string) => (namespace !== '') === restriction.namespaced);
    this.restrictions.set(key, box);
    return box;
  }

  /**
   * A request that rule `index` matches, that the restriction allows, that every rule listed in
   * `within` also matches (any rule of the space, before or after `index`), and that no rule
   * before `index` matches; `none` when there is none (the rule is dead for those requests).
   * With `readable` false the request is any such request rather than one that reads naturally
   * (cheaper).
   */
  firstMatch(index: number, restriction?: Restriction, readable = true, within: readonly number[] = []): SearchAnswer {
    if (within.length >= this.groupsPerUser) throw new Error(`k8s-gen bug: a question within ${within.length} rule(s) needs groupsPerUser of at least ${within.length + 1}`);
    const limit = restriction === undefined ? undefined : this.restrictionBox(restriction);
    const before = this.ruleStart[index] as number;
    // Boxes are arrays themselves, so the intersections are collected without flattening them.
    const present = (box: Box | undefined): box is Box => box !== undefined;
    let queries: Box[] = this.boxes.slice(before, this.ruleStart[index + 1]);
    if (limit !== undefined) queries = queries.map((box) => intersection(box, limit)).filter(present);
    for (const other of within) {
      const theirs = this.ruleBoxes(other);
      const next: Box[] = [];
      for (const box of queries) for (const their of theirs) next.push(...[intersection(box, their)].filter(present));
      queries = next;
    }
    let cutShort = false;
    for (const query of queries) {
      const outcome = this.uncovered(query, before, readable);
      if (outcome === 'cut-short') cutShort = true;
      else if (outcome !== 'covered') return this.found(outcome);
    }
    return cutShort ? CUT_SHORT : NONE;
  }

  /** A request no rule matches (so it is not audited at all), `none` when every request matches one. */
  unmatched(): SearchAnswer {
    const outcome = this.uncovered(this.full, this.boxes.length, true);
    return outcome === 'cut-short' ? CUT_SHORT : outcome === 'covered' ? NONE : this.found(outcome);
  }

  /**
   * A part of `query` that no box with an id below `before` touches. Most questions are settled by
   * the index alone: an earlier box that contains the query, or a probe request (the atoms
   * fewest boxes hold) that no earlier box holds; the exact search decides the rest.
   */
  private uncovered(query: Box, before: number, readable: boolean): Box | 'covered' | 'cut-short' {
    this.budget.startQuestion();
    // The index answers with word operations over every earlier box at once.
    if (!this.budget.spend(this.index.cost)) return 'cut-short';
    if (this.index.containerOf(query, before) >= 0) return 'covered';
    const probe = this.index.probe(query);
    if (this.index.holderOfPoint(probe, before) < 0) return toBox(query, readable && this.budget.spend(3 * this.index.cost) ? this.index.readable(query, probe, before) : probe);
    const covers = this.index.overlapping(query, before).map((id) => this.boxes[id] as Box);
    if (!this.budget.spend(covers.length)) return 'cut-short';
    return uncoveredPart(query, covers, this.budget);
  }

  /**
   * For a dead rule: an irredundant list of earlier rules that together cover it (every listed
   * rule is needed once the others are kept). The earliest rule that covers it alone when there
   * is one; otherwise what dropping the overlapping rules one by one from the last leaves. Empty
   * when the rule matches no request at all. When a check is cut short the list still covers the
   * rule but may hold a rule too many.
   */
  shadowingRules(index: number): number[] {
    const before = this.ruleStart[index] as number;
    const own = this.boxes.slice(before, this.ruleStart[index + 1]);
    if (own.length === 0) return [];
    // The earliest rule that alone contains every box of this one (box by box).
    for (const id of this.index.containers(own[0] as Box, before)) {
      const rule = this.ruleOfBox(id);
      if (own.every((box) => this.ruleBoxes(rule).some((theirs) => gapsOf(theirs, box) === 0))) return [rule];
    }
    const perBox = own.map((box) => this.index.overlapping(box, before));
    const ruleOf = new Map(perBox.flat().map((id) => [id, this.ruleOfBox(id)]));
    const candidates = [...new Set(ruleOf.values())].sort((a, b) => a - b);
    // The whole list is one question: past its limit every check reads "not covered", which
    // keeps rules, so the list still covers the rule.
    this.budget.startQuestion();
    const covered = (rules: readonly number[]): boolean => {
      const allowed = new Set(rules);
      return own.every((box, at) => {
        const covers = (perBox[at] as number[]).filter((id) => allowed.has(ruleOf.get(id) as number)).map((id) => this.boxes[id] as Box);
        return this.budget.spend(covers.length) && uncoveredPart(box, covers, this.budget) === 'covered';
      });
    };
    // Dropping rules from the last keeps the last rule of the shortest covering prefix, then
    // repeats with that rule kept: found by binary search, as covering grows with the prefix.
    const kept: number[] = [];
    let end = candidates.length;
    while (end > 0 && !covered(kept)) {
      let low = 0;
      let high = end - 1;
      while (low < high && !this.budget.exhausted) {
        const middle = (low + high) >> 1;
        if (covered([...candidates.slice(0, middle + 1), ...kept])) high = middle;
        else low = middle + 1;
      }
      if (this.budget.exhausted) return [...candidates.slice(0, end), ...kept];
      kept.unshift(candidates[low] as number);
      end = low;
    }
    return kept;
  }

  private ruleBoxes(rule: number): Box[] {
    return this.boxes.slice(this.ruleStart[rule], this.ruleStart[rule + 1]);
  }

  private ruleOfBox(id: number): number {
    let low = 0;
    let high = this.ruleStart.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.ruleStart[middle] as number) <= id) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /** A found answer whose request is built when first read (lint only reads some of them). */
  private found(box: Box): SearchAnswer {
    let request: RequestAttributes | undefined;
    const requestAt = (): RequestAttributes => (request ??= this.requestAt(box));
    return {
      outcome: 'found',
      get request() {
        return requestAt();
      },
    };
  }

  /** The lowest atom of every dimension of a box, as request attributes. */
  private requestAt(box: Box): RequestAttributes {
    // Any atom of the box is a valid witness; prefer one that reads like a real request.
    const pick = <D extends Dimension>(dimension: D, prefer: (atom: Atoms[D][number]) => boolean = () => true): Atoms[D][number] => {
      const atoms = this.atoms[dimension] as Array<Atoms[D][number]>;
      let chosen = -1;
      (box[AT[dimension]] as AtomSet).forEach((index) => {
        if (chosen < 0 || (!prefer(atoms[chosen] as Atoms[D][number]) && prefer(atoms[index] as Atoms[D][number]))) chosen = index;
      });
      return atoms[chosen] as Atoms[D][number];
    };
    const userName = pick('user');
    const groups = pick('group');
    const user = userName === null ? undefined : { name: userName, groups: [...groups] };
    const verb = pick('verb');
    if (!pick('kind')) return nonResourceRequest({ ...(user ? { user } : {}), verb, path: pick('path') });
    const subresource = pick('subresource');
    // Collections (list, watch, create, deletecollection) have no name; other requests name an object.
    const collection = subresource === '' && ['list', 'watch', 'create', 'deletecollection'].includes(verb);
    return resourceRequest({
      ...(user ? { user } : {}),
      verb,
      apiGroup: pick('apiGroup'),
      resource: pick('resource'),
      subresource,
      name: pick('name', (name) => (name === '') === collection),
      namespace: pick('namespace'),
    });
  }
}

/**
 * The products of (resource, subresource) a resource pattern matches, read off the checker's four
 * tests (`resourcePatternMatches` in evaluate.ts); an undefined side means "any". Names never
 * contain `/`, so an exact pattern with two slashes, or a `*`/`/` affix left with one, matches nothing.
 */
export function resourcePatternParts(pattern: string): ResourcePart[] {
  if (pattern === '*') return [{}];
  const parts: ResourcePart[] = [];
  const slash = pattern.indexOf('/');
  if (slash < 0) parts.push({ resource: pattern, subresource: '' });
  else if (pattern.indexOf('/', slash + 1) < 0 && slash + 1 < pattern.length) parts.push({ resource: pattern.slice(0, slash), subresource: pattern.slice(slash + 1) });
  if (pattern.startsWith('*/')) {
    const subresource = trimLeftSet(pattern, '*/');
    if (subresource !== '' && !subresource.includes('/')) parts.push({ subresource });
  }
  if (pattern.endsWith('/*')) {
    const resource = trimRightSet(pattern, '/*');
    if (!resource.includes('/')) parts.push({ resource });
  }
  // `pods/*` also equals the pair (pods, *) exactly; that part adds nothing to (pods, any).
  const holds = (a: ResourcePart, b: ResourcePart): boolean =>
    a !== b && (a.resource === undefined || a.resource === b.resource) && (a.subresource === undefined || a.subresource === b.subresource);
  return parts.filter((part) => !parts.some((other) => holds(other, part)));
}

/** Resource and subresource of a product of pairs; undefined means any. */
export interface ResourcePart {
  resource?: string;
  subresource?: string;
}

/** Step accounting for one question and for all of them. */
class Budget {
  private question = 0;
  private total = 0;
  constructor(
    private readonly questionLimit: number,
    private readonly totalLimit: number,
  ) {}

  startQuestion(): void {
    this.question = 0;
  }

  /** Counts `steps`; false once a limit is passed. */
  spend(steps: number): boolean {
    this.question += steps;
    this.total += steps;
    return !this.exhausted;
  }

  /** True once the current question or the whole run is past its limit. */
  get exhausted(): boolean {
    return this.question > this.questionLimit || this.total > this.totalLimit;
  }
}

/** The box holding just one point (an atom per dimension) of `like`'s dimensions. */
function toBox(like: Box, point: readonly number[]): Box {
  return point.map((atom, dimension) => AtomSet.of((like[dimension] as AtomSet).atomCount, [atom]));
}

function intersects(a: Box, b: Box): boolean {
  for (let dimension = 0; dimension < a.length; dimension++) if (!(a[dimension] as AtomSet).intersects(b[dimension] as AtomSet)) return false;
  return true;
}

function intersection(a: Box, b: Box): Box | undefined {
  const out = a.map((set, dimension) => set.and(b[dimension] as AtomSet));
  return out.some((set) => set.size === 0) ? undefined : out;
}

/** A cover overlapping the box being searched, with the dimensions in which it does not hold the whole box. */
interface Entry {
  cover: Box;
  /** Bit d set: the cover lacks part of the box in dimension d. */
  gaps: number;
}

/** A box being split along one dimension: its parts are visited one after the other. */
interface Split {
  box: Box;
  dimension: number;
  parts: AtomSet[];
  /** One atom of each part (every entry holds all of a part or none of it). */
  representatives: number[];
  next: number;
  /** Entries that lack part of the box in this dimension. */
  gapped: Entry[];
  /** Entries that hold the whole box in this dimension. */
  uniform: Entry[];
}

/**
 * A non-empty part of `box` that no cover touches, `covered` when the covers cover `box`, or
 * `cut-short` when the budget runs out first. Iterative: the stack holds at most one split per
 * dimension.
 */
function uncoveredPart(box: Box, covers: readonly Box[], budget: Budget): Box | 'covered' | 'cut-short' {
  const entries: Entry[] = [];
  for (const cover of covers) {
    if (!intersects(cover, box)) continue;
    const gaps = gapsOf(cover, box);
    if (gaps === 0) return 'covered';
    entries.push({ cover, gaps });
  }
  const stack: Split[] = [];
  const first = visit(box, entries, stack, budget);
  if (first !== undefined) return first;
  while (stack.length > 0) {
    const split = stack[stack.length - 1] as Split;
    if (split.next >= split.parts.length) {
      stack.pop();
      continue;
    }
    const at = split.next++;
    if (!budget.spend(split.gapped.length + 1)) return 'cut-short';
    const representative = split.representatives[at] as number;
    const bit = 1 << split.dimension;
    const child: Entry[] = [];
    let closed = false;
    for (const entry of split.gapped) {
      if (!(entry.cover[split.dimension] as AtomSet).has(representative)) continue;
      const gaps = entry.gaps & ~bit;
      if (gaps === 0) {
        closed = true;
        break;
      }
      child.push({ cover: entry.cover, gaps });
    }
    if (closed) continue;
    for (const entry of split.uniform) child.push(entry);
    const part = [...split.box];
    part[split.dimension] = split.parts[at] as AtomSet;
    const outcome = visit(part, child, stack, budget);
    if (outcome !== undefined) return outcome;
  }
  return 'covered';
}

/** Dimensions in which `cover` does not hold all of `box`, as bits. */
function gapsOf(cover: Box, box: Box): number {
  let gaps = 0;
  for (let dimension = 0; dimension < box.length; dimension++) if (!(cover[dimension] as AtomSet).contains(box[dimension] as AtomSet)) gaps |= 1 << dimension;
  return gaps;
}

/**
 * Looks at one box with its overlapping entries (none of which holds it whole): returns it when
 * nothing overlaps, a part no entry touches in one dimension when there is one, `cut-short`, or
 * undefined after pushing a split of the box on the stack.
 */
function visit(box: Box, entries: readonly Entry[], stack: Split[], budget: Budget): Box | 'cut-short' | undefined {
  if (!budget.spend(entries.length + 1)) return 'cut-short';
  if (entries.length === 0) return box;
  let common = -1;
  const counts = new Array<number>(box.length).fill(0);
  for (const entry of entries) {
    common &= entry.gaps;
    for (let dimension = 0; dimension < box.length; dimension++) if ((entry.gaps >> dimension) & 1) counts[dimension]! += 1;
  }
  // A dimension in which every entry has a gap may hold atoms no entry has: then that slice is uncovered.
  for (let dimension = 0; dimension < box.length; dimension++) {
    if (((common >> dimension) & 1) === 0) continue;
    if (!budget.spend(entries.length)) return 'cut-short';
    const union = new AtomUnion((box[dimension] as AtomSet).atomCount);
    for (const entry of entries) union.add(entry.cover[dimension] as AtomSet);
    const outside = (box[dimension] as AtomSet).minus(union.toSet());
    if (outside.size > 0) {
      const part = [...box];
      part[dimension] = outside;
      return part;
    }
  }
  // Split where most entries have a gap (each part then drops or settles most of them); on a tie,
  // in the dimension with the fewest atoms.
  let dimension = -1;
  for (let candidate = 0; candidate < box.length; candidate++) {
    if (counts[candidate] === 0) continue;
    if (
      dimension < 0 ||
      (counts[candidate] as number) > (counts[dimension] as number) ||
      (counts[candidate] === counts[dimension] && (box[candidate] as AtomSet).size < (box[dimension] as AtomSet).size)
    ) {
      dimension = candidate;
    }
  }
  const bit = 1 << dimension;
  const gapped = entries.filter((entry) => (entry.gaps & bit) !== 0);
  const uniform = entries.filter((entry) => (entry.gaps & bit) === 0);
  const classes = atomClasses(box[dimension] as AtomSet, gapped.map((entry) => entry.cover[dimension] as AtomSet), budget);
  if (classes === undefined) return 'cut-short';
  stack.push({ box, dimension, parts: classes.parts, representatives: classes.representatives, next: 0, gapped, uniform });
  return undefined;
}

/**
 * Splits `set` into the classes of atoms that no set of `cuts` tells apart, parts met by the
 * fewest cuts first (the likeliest to be uncovered). Partition refinement: each cut moves the
 * smaller of its inside and outside into new classes, so the work is the sum of those sizes.
 */
function atomClasses(set: AtomSet, cuts: readonly AtomSet[], budget: Budget): { parts: AtomSet[]; representatives: number[] } | undefined {
  const classOf = new Int32Array(set.atomCount);
  let classCount = 1;
  const sides: Array<{ atoms: AtomSet; inside: boolean }> = [];
  for (const cut of cuts) {
    const inside = cut.and(set);
    const side = inside.size * 2 <= set.size ? { atoms: inside, inside: true } : { atoms: set.minus(inside), inside: false };
    if (!budget.spend(side.atoms.size + 1)) return undefined;
    sides.push(side);
    const moved = new Map<number, number>();
    side.atoms.forEach((atom) => {
      const from = classOf[atom] as number;
      let to = moved.get(from);
      if (to === undefined) {
        to = classCount++;
        moved.set(from, to);
      }
      classOf[atom] = to;
    });
  }
  // How many cuts hold each class, to visit the least held first (a cut read by its outside
  // holds every class but those it touches; the constant part does not change the order).
  const held = new Array<number>(classCount).fill(0);
  for (const side of sides) {
    const seen = new Set<number>();
    side.atoms.forEach((atom) => seen.add(classOf[atom] as number));
    for (const id of seen) held[id]! += side.inside ? 1 : -1;
  }
  const members = new Map<number, number[]>();
  set.forEach((atom) => {
    const id = classOf[atom] as number;
    const list = members.get(id);
    if (list) list.push(atom);
    else members.set(id, [atom]);
  });
  const order = [...members.keys()].sort((a, b) => (held[a] as number) - (held[b] as number) || (members.get(a)![0] as number) - (members.get(b)![0] as number));
  return {
    parts: order.map((id) => AtomSet.of(set.atomCount, members.get(id)!)),
    representatives: order.map((id) => members.get(id)![0] as number),
  };
}

/**
 * The boxes of all rules transposed: per dimension and atom, which boxes hold it, as bits over box
 * ids. A question about a box is then answered with word operations over all earlier boxes at
 * once: which of them hold a given request (a point), which contain the box, which may overlap it.
 * Boxes holding more than half of a dimension are listed by the atoms they lack, the others by
 * the atoms they hold, so the lists hold at most half of every box.
 */
class BoxIndex {
  private readonly wordCount: number;
  /** Per dimension: boxes holding every atom. */
  private readonly whole: Uint32Array[];
  /** Per dimension: boxes holding more than half of the atoms (the whole ones too). */
  private readonly broad: Uint32Array[];
  /** Per dimension and atom: the broad boxes that lack it. */
  private readonly lacking: Array<Map<number, number[]>>;
  /** Per dimension and atom: the other boxes that hold it. */
  private readonly holders: Array<Map<number, number[]>>;
  /** Per dimension: its atoms from the one fewest boxes hold (probes take the first their box has). */
  private readonly byRarity: number[][];
  /** Per dimension and atom: how many boxes hold it. */
  private readonly heldBy: Int32Array[];
  /** Per dimension, for atoms whose lists are longer than a bit set over all boxes: that bit set. */
  private readonly heldBits: Array<Map<number, Uint32Array>>;
  /** Steps one pass over the index counts as (one per 256 words over all dimensions, as fast as a search step). */
  readonly cost: number;
  /** Buffers of `wordCount` words for the bit sets of one question (reused: a question needs a dozen). */
  private readonly pool: ArrayBuffer[] = [];
  private readonly kept: number[] = [];

  constructor(
    private readonly boxes: readonly Box[],
    full: Box,
  ) {
    this.wordCount = (boxes.length + 31) >>> 5;
    this.cost = Math.ceil((this.wordCount * full.length) / 256) + 1;
    this.whole = full.map(() => new Uint32Array(this.wordCount));
    this.broad = full.map(() => new Uint32Array(this.wordCount));
    this.lacking = full.map(() => new Map());
    this.holders = full.map(() => new Map());
    const push = (map: Map<number, number[]>, atom: number, id: number): void => {
      const list = map.get(atom);
      if (list) list.push(id);
      else map.set(atom, [id]);
    };
    boxes.forEach((box, id) => {
      box.forEach((set, dimension) => {
        if (set.full) setBit(this.whole[dimension] as Uint32Array, id);
        if (set.size * 2 > set.atomCount) {
          setBit(this.broad[dimension] as Uint32Array, id);
          forEachMissing(set, (atom) => push(this.lacking[dimension] as Map<number, number[]>, atom, id));
        } else {
          set.forEach((atom) => push(this.holders[dimension] as Map<number, number[]>, atom, id));
        }
      });
    });
    this.heldBy = full.map((set, dimension) => {
      const broadCount = countBits(this.broad[dimension] as Uint32Array);
      return Int32Array.from(
        { length: set.atomCount },
        (_, atom) => broadCount - ((this.lacking[dimension] as Map<number, number[]>).get(atom)?.length ?? 0) + ((this.holders[dimension] as Map<number, number[]>).get(atom)?.length ?? 0),
      );
    });
    this.heldBits = full.map((_, dimension) => {
      const bits = new Map<number, Uint32Array>();
      const lists = [...(this.lacking[dimension] as Map<number, number[]>).keys(), ...(this.holders[dimension] as Map<number, number[]>).keys()];
      for (const atom of new Set(lists)) {
        const lacking = (this.lacking[dimension] as Map<number, number[]>).get(atom) ?? [];
        const holders = (this.holders[dimension] as Map<number, number[]>).get(atom) ?? [];
        if (lacking.length + holders.length <= this.wordCount) continue;
        const held = (this.broad[dimension] as Uint32Array).slice();
        for (const id of lacking) clearBit(held, id);
        for (const id of holders) setBit(held, id);
        bits.set(atom, held);
      }
      return bits;
    });
    this.byRarity = this.heldBy.map((held) => Array.from(held.keys()).sort((a, b) => (held[a] as number) - (held[b] as number) || a - b));
  }

  /**
   * Bits of the ids below `before`, only the words that can hold them (so every pass stops
   * there), in a buffer of the pool: give it back with {@link release} when done.
   */
  private below(before: number): Uint32Array {
    const words = (before + 31) >>> 5;
    const ids = new Uint32Array(this.pool.pop() ?? new ArrayBuffer(this.wordCount * 4), 0, words);
    ids.fill(0xffffffff, 0, before >>> 5);
    if ((before & 31) !== 0) ids[before >>> 5] = (1 << (before & 31)) - 1;
    return ids;
  }

  /** A copy of `ids` in a buffer of the pool. */
  private copy(ids: Uint32Array): Uint32Array {
    const out = new Uint32Array(this.pool.pop() ?? new ArrayBuffer(this.wordCount * 4), 0, ids.length);
    out.set(ids);
    return out;
  }

  private release(...sets: Uint32Array[]): void {
    for (const ids of sets) this.pool.push(ids.buffer as ArrayBuffer);
  }

  /** Keeps in `ids` only the boxes holding `atom` in `dimension`. */
  private keepHolding(ids: Uint32Array, dimension: number, atom: number): void {
    const held = (this.heldBits[dimension] as Map<number, Uint32Array>).get(atom);
    if (held !== undefined) return andInto(ids, held);
    // Ids at or past the end of `ids` read as absent and are not written.
    const holders = (this.holders[dimension] as Map<number, number[]>).get(atom) ?? NO_IDS;
    const kept = this.kept;
    kept.length = 0;
    for (const id of holders) if (hasBit(ids, id)) kept.push(id);
    andInto(ids, this.broad[dimension] as Uint32Array);
    for (const id of (this.lacking[dimension] as Map<number, number[]>).get(atom) ?? NO_IDS) clearBit(ids, id);
    for (const id of kept) setBit(ids, id);
  }

  /** A request of `box` made of the atoms fewest boxes hold, one per dimension. */
  probe(box: Box): number[] {
    return box.map((set, dimension) => {
      if (set.full) return (this.byRarity[dimension] as number[])[0] as number;
      if (set.size * 4 < set.atomCount) {
        let best = -1;
        let rank = Infinity;
        set.forEach((atom) => {
          const at = this.rankOf(dimension, atom);
          if (at < rank) {
            rank = at;
            best = atom;
          }
        });
        return best;
      }
      return (this.byRarity[dimension] as number[]).find((atom) => set.has(atom)) as number;
    });
  }

  private ranks: Array<Int32Array | undefined> = [];
  private rankOf(dimension: number, atom: number): number {
    let ranks = this.ranks[dimension];
    if (ranks === undefined) {
      const order = this.byRarity[dimension] as number[];
      ranks = new Int32Array(order.length);
      order.forEach((value, rank) => (ranks![value] = rank));
      this.ranks[dimension] = ranks;
    }
    return ranks[atom] as number;
  }

  /** The lowest id below `before` of a box holding the request `point` (one atom per dimension), or -1. */
  holderOfPoint(point: readonly number[], before: number): number {
    const ids = this.below(before);
    // The rarest atoms first: the set usually empties after two or three dimensions.
    const order = point.map((atom, dimension) => dimension).sort((a, b) => (this.heldBy[a]![point[a]!] as number) - (this.heldBy[b]![point[b]!] as number));
    let holder = -1;
    for (const dimension of order) {
      this.keepHolding(ids, dimension, point[dimension] as number);
      if (isEmpty(ids)) break;
    }
    if (!isEmpty(ids)) holder = firstBit(ids);
    this.release(ids);
    return holder;
  }

  /**
   * `point` (held by no box below `before`) moved, dimension by dimension, to the lowest atom of
   * `box` (the atoms a witness would rather show: `get`, `example-user`, `default`) wherever it
   * stays held by none. Each move is tested against the boxes holding the point in the other
   * dimensions: the moves made so far, and the original atoms after it (suffix products).
   */
  readable(box: Box, point: readonly number[], before: number): number[] {
    const dimensions = point.length;
    const suffix: Uint32Array[] = new Array<Uint32Array>(dimensions + 1);
    suffix[dimensions] = this.below(before);
    for (let dimension = dimensions - 1; dimension >= 0; dimension--) {
      const ids = this.copy(suffix[dimension + 1] as Uint32Array);
      this.keepHolding(ids, dimension, point[dimension] as number);
      suffix[dimension] = ids;
    }
    const moved = [...point];
    const prefix = this.below(before);
    for (let dimension = 0; dimension < dimensions; dimension++) {
      const preferred = (box[dimension] as AtomSet).first();
      if (preferred !== point[dimension]) {
        const trial = this.copy(prefix);
        andInto(trial, suffix[dimension + 1] as Uint32Array);
        this.keepHolding(trial, dimension, preferred);
        if (isEmpty(trial)) moved[dimension] = preferred;
        this.release(trial);
      }
      this.keepHolding(prefix, dimension, moved[dimension] as number);
    }
    this.release(prefix, ...suffix);
    return moved;
  }

  /** The lowest id below `before` of a box that contains all of `box`, or -1. */
  containerOf(box: Box, before: number): number {
    return this.containers(box, before, 1)[0] ?? -1;
  }

  /** Ids below `before` of the boxes that contain all of `box`, ascending (the first `limit` of them). */
  containers(box: Box, before: number, limit = Infinity): number[] {
    const ids = this.below(before);
    box.forEach((set, dimension) => {
      if (set.full) andInto(ids, this.whole[dimension] as Uint32Array);
      else if (set.size <= SPARSE_ATOMS) set.forEach((atom) => this.keepHolding(ids, dimension, atom));
      // Larger sets: the exact test below decides.
    });
    const found: number[] = [];
    forEachBit(ids, (id) => {
      if (gapsOf(this.boxes[id] as Box, box) === 0) found.push(id);
      return found.length < limit;
    });
    this.release(ids);
    return found;
  }

  /** Ids below `before` of the boxes that overlap `box`, ascending. */
  overlapping(box: Box, before: number): number[] {
    const ids = this.below(before);
    box.forEach((set, dimension) => {
      if (set.full || set.size > SPARSE_ATOMS) return;
      // Boxes listed by what they hold overlap only through the set's own atoms; broad ones are
      // kept whole and sorted out by the exact test.
      const kept: number[] = [];
      set.forEach((atom) => {
        for (const id of (this.holders[dimension] as Map<number, number[]>).get(atom) ?? []) if (hasBit(ids, id)) kept.push(id);
      });
      andInto(ids, this.broad[dimension] as Uint32Array);
      for (const id of kept) setBit(ids, id);
    });
    const out: number[] = [];
    forEachBit(ids, (id) => {
      if (intersects(this.boxes[id] as Box, box)) out.push(id);
      return true;
    });
    this.release(ids);
    return out;
  }
}

const SPARSE_ATOMS = 16;
const NO_IDS: readonly number[] = [];

function setBit(bits: Uint32Array, id: number): void {
  bits[id >>> 5]! |= 1 << (id & 31);
}

function clearBit(bits: Uint32Array, id: number): void {
  if (id >>> 5 < bits.length) bits[id >>> 5]! &= ~(1 << (id & 31));
}

function hasBit(bits: Uint32Array, id: number): boolean {
  return ((((bits[id >>> 5] ?? 0) as number) >>> (id & 31)) & 1) === 1;
}

function andInto(bits: Uint32Array, other: Uint32Array): void {
  for (let at = 0; at < bits.length; at++) bits[at]! &= other[at] as number;
}

function isEmpty(bits: Uint32Array): boolean {
  for (let at = 0; at < bits.length; at++) if (bits[at] !== 0) return false;
  return true;
}

function firstBit(bits: Uint32Array): number {
  let found = -1;
  forEachBit(bits, (id) => {
    found = id;
    return false;
  });
  return found;
}

function countBits(bits: Uint32Array): number {
  let count = 0;
  forEachBit(bits, () => {
    count++;
    return true;
  });
  return count;
}

/** Calls `visit` for every set bit in increasing order while it returns true. */
function forEachBit(bits: Uint32Array, visit: (id: number) => boolean): void {
  for (let at = 0; at < bits.length; at++) {
    let word = bits[at] as number;
    while (word !== 0) {
      const low = word & -word;
      if (!visit(at * 32 + (31 - Math.clz32(low)))) return;
      word ^= low;
    }
  }
}

/** Path atoms sorted, to find those a `prefix*` pattern matches as one range. */
class PathIndex {
  private readonly sorted: Array<{ path: string; atom: number }>;
  private readonly atomOf: Map<string, number>;
  constructor(private readonly paths: readonly string[]) {
    this.sorted = paths.map((path, atom) => ({ path, atom })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    this.atomOf = new Map(paths.map((path, atom) => [path, atom]));
  }

  /**
   * The path atoms a `nonResourceURLs` pattern matches, by the checker's tests (`pathPatternMatches`
   * in evaluate.ts): `*`, the same string, or (pattern ending in `*`) starting with the rest.
   */
  matching(pattern: string): AtomSet {
    const count = this.paths.length;
    if (pattern === '*') return AtomSet.all(count);
    const atoms: number[] = [];
    const exact = this.atomOf.get(pattern);
    if (exact !== undefined) atoms.push(exact);
    if (pattern.endsWith('*')) {
      const prefix = trimRightSet(pattern, '*');
      // Strings starting with a prefix are one run of the sorted order.
      for (let at = lowerBound(this.sorted, prefix); at < this.sorted.length && this.sorted[at]!.path.startsWith(prefix); at++) atoms.push(this.sorted[at]!.atom);
    }
    return AtomSet.of(count, atoms);
  }
}

/** Index of the first entry whose path is not below `value`. */
function lowerBound(sorted: ReadonlyArray<{ path: string }>, value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]!.path < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The first candidate (then `candidate-1`, `-2`, ...) that is not taken. */
function fresh(candidate: string, taken: ReadonlySet<string>): string {
  if (!taken.has(candidate)) return candidate;
  for (let i = 1; ; i++) if (!taken.has(`${candidate}-${i}`)) return `${candidate}-${i}`;
}

function uniqueStrings(values: Iterable<string>): string[] {
  return [...new Set(values)];
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
  const parts = entries.flatMap((entry) => (entry.resources ?? []).flatMap(resourcePatternParts));
  const resources = uniqueStrings(['pods', ...(extra.resources ?? []).map((pair) => pair.resource), ...parts.flatMap((part) => (part.resource === undefined ? [] : [part.resource]))]);
  const subresources = uniqueStrings(['', ...(extra.resources ?? []).map((pair) => pair.subresource), ...parts.flatMap((part) => (part.subresource === undefined ? [] : [part.subresource]))]);
  return {
    user: [fresh('example-user', new Set(users)), ...users, null],
    group: groupSets(groups, extra.groupsPerUser ?? 1),
    verb: [...verbs, fresh('k8s-gen-other-verb', new Set(verbs))],
    kind: [true, false],
    apiGroup: [...apiGroups, fresh('k8s-gen-other.example.com', new Set(apiGroups))],
    resource: [...resources, fresh('k8s-gen-other-resource', new Set(resources))],
    subresource: [...subresources, fresh('k8s-gen-other-subresource', new Set(subresources))],
    name: [...names, fresh('example-name', new Set(names))],
    namespace: [...namespaces, fresh('example-namespace', new Set(namespaces))],
    path: pathAtoms(rules.flatMap((rule) => rule.nonResourceURLs ?? [])),
  };
}

/** The empty set, then every set of up to `most` of the groups (in the groups' order). */
function groupSets(groups: readonly string[], most: number): Array<readonly string[]> {
  const sets: Array<readonly string[]> = [[]];
  let frontier: Array<{ set: readonly string[]; next: number }> = [{ set: [], next: 0 }];
  for (let size = 1; size <= most; size++) {
    const grown: Array<{ set: readonly string[]; next: number }> = [];
    for (const { set, next } of frontier) for (let at = next; at < groups.length; at++) grown.push({ set: [...set, groups[at] as string], next: at + 1 });
    for (const { set } of grown) sets.push(set);
    frontier = grown;
  }
  return sets;
}

/**
 * Representative paths: every literal (whole patterns and their prefixes), then for each prefix
 * a path that starts with it and with no longer prefix, then a path that starts with no prefix.
 */
function pathAtoms(patterns: readonly string[]): string[] {
  const prefixes = uniqueStrings(patterns.filter((pattern) => pattern.endsWith('*')).map((pattern) => trimRightSet(pattern, '*')));
  const literals = uniqueStrings(['/healthz', ...patterns, ...prefixes]);
  const taken = new Set(literals);
  const sorted = prefixes.map((path) => ({ path })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const atoms = [...literals];
  // The "no prefix" class exists unless "" itself is a prefix; it extends "" like the others.
  const stems = prefixes.includes('') ? prefixes : [...prefixes, ''];
  for (const stem of stems) {
    // A next character that no longer prefix continues with keeps the longest prefix unchanged.
    // The longer prefixes are the run of the sorted order after the stem; jump over each next
    // character's run instead of reading them all.
    const next = new Set<string>();
    for (let at = lowerBound(sorted, stem); at < sorted.length && sorted[at]!.path.startsWith(stem); ) {
      const path = sorted[at]!.path;
      if (path.length === stem.length) {
        at++;
        continue;
      }
      const code = path.charCodeAt(stem.length);
      next.add(path[stem.length] as string);
      if (code === 0xffff) break;
      at = lowerBound(sorted, stem + String.fromCharCode(code + 1));
    }
    let char = [...'/kxyz-_.'].find((candidate) => !next.has(candidate));
    for (let code = 0x41; char === undefined; code++) if (!next.has(String.fromCharCode(code))) char = String.fromCharCode(code);
    const path = fresh(`${stem}${char}k8s-gen-other`, taken);
    taken.add(path);
    atoms.push(path);
  }
  return uniqueStrings(atoms);
}

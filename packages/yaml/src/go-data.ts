/**
 * From a composed YAML document to the data kube-apiserver and kubectl decode: go-yaml v2
 * (`decode.go`) and sigs.k8s.io/yaml's YAML-to-JSON step (`yaml.go`), which every Kubernetes
 * reader of YAML files goes through.
 *
 * - Aliases are expanded into copies. An alias to no earlier anchor ("unknown anchor 'x'
 *   referenced") and an alias inside the collection it names ("anchor 'x' value contains itself")
 *   are refused; so are documents beyond the alias and depth limits, measured before anything is
 *   expanded.
 * - `<<` merge keys follow go-yaml v2: the merged keys are set where the `<<` stands, so they
 *   override keys written before it, and in a list of maps the earlier maps win.
 * - Keys become strings the way sigs.k8s.io/yaml writes them (`1`, `true`, a float in Go's
 *   shortest 32-bit form); a null, list or mapping key is refused, and so are `.inf` and `.nan`
 *   values, which have no JSON form. A key written twice keeps its last value.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, Scalar, type Alias, type Document, type Pair } from 'yaml';
import { formatCount, tooDeep, type ReadLimits } from './limits.js';
import { readError, type ReadProblem, type SourcePosition } from './problem.js';
import type { PathSegment } from './write.js';

type Position = (offset: number) => SourcePosition;

const startOf = (node: unknown): number => (node as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;

/** The nodes under a node, in document order: keys and values of a map, items of a list. */
function childrenOf(node: unknown): unknown[] {
  if (isMap(node)) return node.items.flatMap((pair) => [pair.key, pair.value]);
  if (isSeq(node)) return [...node.items];
  // A `key: value` item of an `!!omap` or `!!pairs` list, which go-yaml reads as a one-key mapping.
  if (isPair(node)) return [node.key, node.value];
  return [];
}

/** Explicit tags go-yaml resolves strictly: a value that does not fit one is an error. */
const TYPED_TAGS = new Set(['int', 'float', 'bool', 'null'].map((name) => `tag:yaml.org,2002:${name}`));

const isCollection = (node: unknown): boolean => isMap(node) || isSeq(node) || isPair(node);

/** Every alias of a document and the node it names: the last node with that anchor before it. */
function aliasTargets(root: unknown): { aliases: Alias[]; targets: Map<Alias, unknown> } {
  const aliases: Alias[] = [];
  const targets = new Map<Alias, unknown>();
  const anchors = new Map<string, unknown>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) {
      aliases.push(node);
      targets.set(node, anchors.get(node.source));
      continue;
    }
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor) anchors.set(anchor, node);
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return { aliases, targets };
}

interface Frame {
  node: unknown;
  children: unknown[];
  next: number;
  values: number;
  depth: number;
}

/**
 * Checks a document against the alias and depth limits without expanding anything: every
 * collection's expanded size and depth are computed once (post-order, memoised, no recursion),
 * so an alias bomb costs as much as its text. Returns the first problem, or the alias targets.
 */
function measure(root: unknown, limits: ReadLimits, positionOf: Position): { problem: ReadProblem } | { targets: Map<Alias, unknown> } {
  const { aliases, targets } = aliasTargets(root);
  if (aliases.length > limits.maxAliases) {
    return {
      problem: readError(
        'yaml-too-many-aliases',
        positionOf(startOf(aliases[limits.maxAliases])),
        `The document holds ${formatCount(aliases.length)} aliases; the reading limit is ${formatCount(limits.maxAliases)} (maxAliases).`,
        'Write the repeated values out, or raise the maxAliases reading limit.',
      ),
    };
  }
  const done = new Map<unknown, { values: number; depth: number }>();
  const active = new Set<unknown>();
  const frame = (node: unknown): Frame => ({ node, children: childrenOf(node), next: 0, values: 1, depth: 0 });
  const stack: Frame[] = [];
  const enter = (node: unknown, alias: Alias | undefined): ReadProblem | { values: number; depth: number } | undefined => {
    let target = node;
    if (alias !== undefined) {
      target = targets.get(alias);
      if (target === undefined) {
        return readError('yaml-alias-undefined', positionOf(startOf(alias)), `The alias *${alias.source} names no anchor &${alias.source} written before it; kube-apiserver and kubectl refuse the file ("unknown anchor '${alias.source}' referenced").`, `Define &${alias.source} on a value above this line, or write the value out.`);
      }
      if (active.has(target)) {
        return readError('yaml-alias-recursive', positionOf(startOf(alias)), `The alias *${alias.source} stands inside the value it names, so expanding it never ends; kube-apiserver and kubectl refuse the file ("anchor '${alias.source}' value contains itself").`, 'Replace the alias with the value it should repeat, written out.');
      }
    }
    if (!isCollection(target)) return { values: 1, depth: 0 };
    const known = done.get(target);
    if (known !== undefined) return known;
    active.add(target);
    stack.push(frame(target));
    return undefined;
  };
  const rootResult = enter(root, isAlias(root) ? root : undefined);
  if (rootResult !== undefined && 'code' in rootResult) return { problem: rootResult };
  while (stack.length > 0) {
    const current = stack[stack.length - 1]!;
    if (current.next < current.children.length) {
      const child = current.children[current.next++];
      const result = enter(child, isAlias(child) ? child : undefined);
      if (result === undefined) continue;
      if ('code' in result) return { problem: result };
      current.values += result.values;
      current.depth = Math.max(current.depth, result.depth);
      continue;
    }
    stack.pop();
    active.delete(current.node);
    const measured = { values: current.values, depth: current.depth + 1 };
    if (measured.depth > limits.maxDepth) return { problem: tooDeep(positionOf(startOf(current.node)), limits.maxDepth, true) };
    if (measured.values > limits.maxExpandedValues) {
      return {
        problem: readError(
          'yaml-alias-expansion',
          positionOf(startOf(current.node)),
          `With its aliases expanded this value holds more than ${formatCount(limits.maxExpandedValues)} values (the maxExpandedValues reading limit), the mark of an alias bomb ("billion laughs").`,
          'Write the values out instead of nesting aliases; if the data really is this large, raise the maxExpandedValues reading limit.',
        ),
      };
    }
    done.set(current.node, measured);
    const parent = stack[stack.length - 1];
    if (parent !== undefined) {
      parent.values += measured.values;
      parent.depth = Math.max(parent.depth, measured.depth);
    }
  }
  return { targets };
}

/** Go's `strconv.FormatFloat(value, 'g', -1, 32)`, which sigs.k8s.io/yaml uses for float keys. */
function goFloat32Text(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
  const single = Math.fround(value);
  if (single === 0) return Object.is(single, -0) ? '-0' : '0';
  let exponential = single.toExponential();
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = single.toExponential(digits - 1);
    if (Math.fround(Number(candidate)) === single) {
      exponential = candidate;
      break;
    }
  }
  const [mantissa, exponentText] = exponential.split('e') as [string, string];
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace(/^-/, '').replace('.', '');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** Whether go-yaml resolves a plain number as a float (its key then gets the float form). */
const isGoFloatSource = (source: string): boolean => !/^[-+]?0[xXoObB]/.test(source) && /[.eEnN]/.test(source);

/** The `<<` merge key of YAML 1.1, as go-yaml recognises it: plain and untagged, or `!!merge`. */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && key.type === Scalar.PLAIN && key.source === '<<' && (key.tag === undefined || key.tag === 'tag:yaml.org,2002:merge');
}

/** Sets a field without invoking the `__proto__` setter, so a key named `__proto__` is only data. */
function setField(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

/** What {@link goData} produced. */
export type GoDataResult = { ok: true; data: unknown; duplicateKeys: ReadProblem[] } | { ok: false; problems: ReadProblem[] };

/**
 * The data go-yaml v2 and sigs.k8s.io/yaml make of a composed document (see the module comment),
 * after checking the alias and depth limits. Duplicate keys are returned apart, as errors the
 * caller may report or demote; they are listed once, where they are written, not once per alias
 * expansion.
 */
export function goData(document: Document, limits: ReadLimits, positionOf: Position): GoDataResult {
  const measured = measure(document.contents, limits, positionOf);
  if ('problem' in measured) return { ok: false, problems: [measured.problem] };
  const { targets } = measured;
  const problems: ReadProblem[] = [];
  const duplicateKeys: ReadProblem[] = [];
  const resolve = (node: unknown): unknown => (isAlias(node) ? targets.get(node) : node);

  const keyText = (keyNode: unknown, at: readonly PathSegment[]): string | undefined => {
    const node = resolve(keyNode);
    if (isScalar(node)) {
      const { value } = node;
      if (typeof value === 'string') return value;
      if (typeof value === 'boolean') return String(value);
      if (typeof value === 'number') return isGoFloatSource(node.source === undefined ? String(value) : String(node.source)) ? goFloat32Text(value) : String(value);
      if (value instanceof Uint8Array) return new TextDecoder().decode(value);
      if (value !== null && value !== undefined) return String(node.source ?? value);
    }
    const what = node === null || node === undefined || (isScalar(node) && node.value === null) ? 'null' : isSeq(node) ? 'a list' : 'a mapping';
    problems.push(
      readError(
        'yaml-key',
        positionOf(startOf(keyNode ?? node)),
        `A mapping key here is ${what}; kube-apiserver and kubectl turn YAML into JSON, where keys are text, and refuse the file.`,
        'Use a plain text key (quote it if it looks like something else).',
        at,
      ),
    );
    return undefined;
  };

  const scalarValue = (node: Scalar, at: readonly PathSegment[]): unknown => {
    const { value } = node;
    if (typeof value === 'number' && !Number.isFinite(value)) {
      problems.push(
        readError('yaml-value', positionOf(startOf(node)), `This value is ${Number.isNaN(value) ? 'NaN (not a number)' : 'infinite'}, which JSON cannot hold; kube-apiserver and kubectl turn YAML into JSON and refuse the file ("json: unsupported value").`, 'Quote it if it is meant as text.', at),
      );
      return null;
    }
    if (typeof value === 'string' && node.tag !== undefined && TYPED_TAGS.has(node.tag)) {
      // The yaml library keeps a value its explicit tag does not fit as text; go-yaml refuses it.
      const number = Number(node.source);
      if (node.tag.endsWith(':float') && node.source !== undefined && String(node.source).trim() !== '' && Number.isFinite(number)) return number;
      const tag = `!!${node.tag.slice(node.tag.lastIndexOf(':') + 1)}`;
      // The value itself stays out of the message: it may be a credential.
      problems.push(readError('yaml-tag', positionOf(startOf(node)), `This value does not fit its tag ${tag}; kube-apiserver and kubectl refuse the file ("cannot decode !!str as a ${tag}").`, `Remove the ${tag} tag, or write a value of that type.`, at));
      return null;
    }
    if (value instanceof Uint8Array) return new TextDecoder().decode(value);
    if (typeof value === 'symbol') return String(node.source);
    return value;
  };

  const convert = (node: unknown, at: readonly PathSegment[], written: boolean): unknown => {
    if (isAlias(node)) return convert(targets.get(node), at, false);
    if (isScalar(node)) return scalarValue(node, at);
    if (isSeq(node)) return node.items.map((item, i) => convert(item, [...at, i], written));
    if (isMap(node)) return mapping(node.items, at, written);
    if (isPair(node)) return mapping([node], at, written);
    return null;
  };

  const mergeInto = (out: Record<string, unknown>, valueNode: unknown, at: readonly PathSegment[]): void => {
    const value = resolve(valueNode);
    // go-yaml sets the merged keys in place, so a list is applied last to first: earlier maps win.
    const maps = isMap(value) ? [valueNode] : isSeq(value) && !isAlias(valueNode) ? [...value.items].reverse() : undefined;
    if (maps === undefined || maps.some((item) => !isMap(resolve(item)))) {
      problems.push(readError('yaml-merge', positionOf(startOf(valueNode)), 'A `<<` merge key needs a mapping or a list of mappings as its value; kube-apiserver and kubectl refuse the file ("map merge requires map or sequence of maps as the value").', 'Point `<<` at a mapping (an alias of one, or a list of them).', at));
      return;
    }
    for (const item of maps) {
      for (const [key, field] of Object.entries(convert(item, at, false) as Record<string, unknown>)) setField(out, key, field);
    }
  };

  const mapping = (pairs: Pair[], at: readonly PathSegment[], written: boolean): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const firstLine = new Map<string, number>();
    for (const pair of pairs) {
      if (isMergeKey(pair.key)) {
        mergeInto(out, pair.value, at);
        continue;
      }
      const key = keyText(pair.key, at);
      if (key === undefined) continue;
      const keyPosition = positionOf(startOf(pair.key));
      const earlier = firstLine.get(key);
      if (earlier === undefined) firstLine.set(key, keyPosition.line);
      else if (written) {
        duplicateKeys.push(readError('duplicate-key', keyPosition, `\`${key}\` is written twice in this mapping (first on line ${earlier}); kube-apiserver and kubectl keep only the last value.`, `Merge the two \`${key}\` entries into one.`, [...at, key]));
      }
      setField(out, key, convert(pair.value, [...at, key], written));
    }
    return out;
  };

  const data = convert(document.contents, [], true);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, data, duplicateKeys };
}

/**
 * A copy of decoded data without the mapping fields whose value is null. Go's decoders leave a
 * struct field that is null (in YAML also `key:` with nothing after it) at its zero value, so for
 * kube-apiserver and kubectl such a field is simply unset. Null list items are kept.
 *
 * @example
 * ```ts
 * withoutNullFields({ level: null, users: [null] }); // { users: [null] }
 * ```
 */
export function withoutNullFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNullFields);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== null) setField(copy, key, withoutNullFields(field));
  return copy;
}

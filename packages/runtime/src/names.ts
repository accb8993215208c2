/**
 * Comparing and suggesting names: the one code-unit string order of the project, and the one
 * "did you mean" used by every validator.
 */

/**
 * Orders strings by UTF-16 code unit, the same on every machine and locale (never `localeCompare`,
 * whose order depends on the ICU data Node was built with).
 *
 * @example
 * ```ts
 * ['b', 'B', 'a'].sort(compareStrings); // ['B', 'a', 'b']
 * ```
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Optimal-string-alignment edit distance: insertions, deletions, substitutions, and a swap of two
 * neighbouring characters (`tokne` is one edit from `token`) each count as one edit.
 *
 * @example
 * ```ts
 * editDistance('verb', 'verbs'); // 1
 * ```
 */
export function editDistance(a: string, b: string): number {
  // Three rolling rows: the swap rule looks two rows back.
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, beforePrevious[j - 2]! + 1);
      current.push(best);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length]!;
}

/** Options of {@link closestName}. */
export interface ClosestNameOptions {
  /**
   * The most edits a suggestion may be away. Default: a third of the word's length, at least 1 and
   * at most 3, so short words only get suggestions that differ by one character.
   */
  maxDistance?: number;
}

/** The word with case and `-`/`_` ignored: `client_key`, `Client-Key` and `clientkey` are the same. */
function squash(word: string): string {
  return word.toLowerCase().replace(/[-_]/g, '');
}

/**
 * The allowed name a misspelt `word` most likely stands for: one that differs only in letter case
 * or `-`/`_`, or else the nearest one within {@link ClosestNameOptions.maxDistance} edits (ties go to
 * the candidate listed first). Undefined when none is that close.
 *
 * @example
 * ```ts
 * closestName('Metdata', ['None', 'Metadata', 'Request']); // 'Metadata'
 * closestName('requestresponse', ['Request', 'RequestResponse']); // 'RequestResponse'
 * closestName('banana', ['Request']); // undefined
 * ```
 */
export function closestName(word: string, candidates: readonly string[], options: ClosestNameOptions = {}): string | undefined {
  const squashed = squash(word);
  const same = candidates.find((candidate) => squash(candidate) === squashed);
  if (same !== undefined) return same;
  const limit = options.maxDistance ?? Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** A DNS-1123 label: lower-case letters, digits and `-`, starting and ending alphanumeric. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Whether `name` is a DNS-1123 label of at most 63 characters (Kubernetes Service and namespace
 * names, output folder names, volume names).
 *
 * @example
 * ```ts
 * isDnsLabel('audit-log'); // true
 * isDnsLabel('Audit_Log'); // false
 * ```
 */
export function isDnsLabel(name: string): boolean {
  return name.length <= 63 && DNS_LABEL.test(name);
}

/**
 * Whether `name` is a DNS-1123 subdomain of at most 253 characters (`maxLength`: another limit, or
 * `Infinity` to check the form alone): labels joined by dots (most Kubernetes object names, API
 * group names).
 *
 * @example
 * ```ts
 * isDnsSubdomain('rbac.authorization.k8s.io'); // true
 * isDnsSubdomain('apps/v1'); // false
 * ```
 */
export function isDnsSubdomain(name: string, options: { maxLength?: number } = {}): boolean {
  return name.length <= (options.maxLength ?? 253) && name.split('.').every((label) => DNS_LABEL.test(label));
}

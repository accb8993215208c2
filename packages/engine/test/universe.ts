// The brute-force side of the exact request-space tests: every request that can matter to a set
// of rules, one per class of requests no rule can tell apart. Shares no code with RequestSpace.
import type { Policy } from '@k8s-gen/audit';
import { expect } from 'vitest';
import type { RequestAttributes } from '../src/index.js';

const FRESH = 'zz-fresh';
const unique = (values: Iterable<string>): string[] => [...new Set(values)];
/** Go's strings.TrimLeft / TrimRight with a cut set, written again here (the oracle imports nothing of lint). */
const trimLeft = (value: string, cut: string): string => value.replace(new RegExp(`^[${cut.replace(/[*/]/g, '\\$&')}]+`), '');
const trimRight = (value: string, cut: string): string => value.replace(new RegExp(`[${cut.replace(/[*/]/g, '\\$&')}]+$`), '');
const slashes = (value: string): number => value.split('/').length - 1;

function subsets<T>(values: readonly T[]): T[][] {
  return values.reduce<T[][]>((sets, value) => [...sets, ...sets.map((set) => [...set, value])], [[]]);
}

/**
 * Every request that can matter to the policy, one per class of requests no rule can tell apart.
 *
 * Why it is complete: the checker (ruleMatches) reads a request only through these tests —
 * - has a user; `users` contains the name; some group of the user is in `userGroups`;
 * - `verbs`, `namespaces`, the entry's `group` and `resourceNames` contain the verb, namespace,
 *   API group and name (a `*` group does not look at the request);
 * - a resource pattern p against resource r and subresource s, neither containing `/`:
 *   p is `*`; p equals r with s empty; p equals r/s (so p has one slash, r is the part before and
 *   s the part after it); s is not empty and equals p trimmed of leading `*` and `/` (p starting
 *   with `*` `/`); r equals p trimmed of trailing `/` and `*` (p ending with `/` `*`);
 * - a URL pattern equals the path, or (ending in `*`) is a prefix of it once the stars are cut;
 * - resource request or not.
 * So in each dimension a value matters only by which literal it equals: every literal plus one
 * fresh value covers all classes, and the product of the dimensions covers every class of
 * requests. Groups matter only as the set of listed groups the user has (every subset is here;
 * unlisted groups never change a test). A path's class is the literal it equals, if any, and the
 * prefixes it starts with, which are the prefixes of the longest one, L: the literals are here,
 * and for every L (and for "no prefix", when "" is not a prefix) so are L + c for more characters
 * c than there are literals and prefixes; each literal or prefix rules out at most one c, so one
 * L + c is a non-literal whose longest prefix is L. A Namespace object's namespace is its own
 * name (the apiserver's quirk); those requests are in the product already and added as such.
 * Requests are built as attributes, as the checker sees them, in every combination (lint reasons
 * about attributes, not URLs).
 */
export function* universe(policy: Pick<Policy, 'rules'>): Generator<RequestAttributes> {
  const rules = policy.rules;
  const entries = rules.flatMap((rule) => rule.resources ?? []);
  const patterns = entries.flatMap((entry) => entry.resources ?? []);
  const before = (p: string): string => p.slice(0, p.indexOf('/'));
  const after = (p: string): string => p.slice(p.indexOf('/') + 1);
  const users = unique([...rules.flatMap((rule) => rule.users ?? []), FRESH]);
  const groupSets = subsets(unique(rules.flatMap((rule) => rule.userGroups ?? [])));
  const verbs = unique([...rules.flatMap((rule) => rule.verbs ?? []), FRESH]);
  const apiGroups = unique(['', ...entries.map((entry) => entry.group ?? ''), FRESH]);
  const resources = unique([
    ...patterns.flatMap((p) => [...(slashes(p) === 0 ? [p] : []), ...(slashes(p) === 1 ? [before(p)] : []), ...(p.endsWith('/*') ? [trimRight(p, '/*')] : [])]),
    FRESH,
  ]).filter((value) => !value.includes('/'));
  const subresources = unique([
    '',
    ...patterns.flatMap((p) => [...(slashes(p) === 1 ? [after(p)] : []), ...(p.startsWith('*/') ? [trimLeft(p, '*/')] : [])]),
    FRESH,
  ]).filter((value) => !value.includes('/'));
  const names = unique(['', ...entries.flatMap((entry) => entry.resourceNames ?? []), FRESH]);
  const namespaces = unique(['', ...rules.flatMap((rule) => rule.namespaces ?? []), FRESH]);
  const urls = unique(rules.flatMap((rule) => rule.nonResourceURLs ?? []));
  const prefixes = unique(urls.filter((url) => url.endsWith('*')).map((url) => trimRight(url, '*')));
  const characters = [...'/abcdefghijklmnopqrstuvwxyz0123456789-_.'].slice(0, urls.length + prefixes.length + 1);
  expect(characters.length).toBeGreaterThan(urls.length + prefixes.length);
  const stems = prefixes.includes('') ? prefixes : [...prefixes, ''];
  const paths = unique([...urls, ...prefixes, ...stems.flatMap((stem) => characters.map((c) => stem + c))]);

  const who = [undefined, ...users.flatMap((name) => groupSets.map((groups) => ({ name, groups })))];
  // Plain objects (the fields the checker reads), so the hundred thousand requests stay cheap.
  const request = (user: RequestAttributes['user'], verb: string, isResourceRequest: boolean, path: string, apiGroup: string, resource: string, subresource: string, name: string, namespace: string): RequestAttributes =>
    user === undefined
      ? { verb, isResourceRequest, path, apiGroup, apiVersion: 'v1', namespace, resource, subresource, name, longRunning: false, panicked: false }
      : { user, verb, isResourceRequest, path, apiGroup, apiVersion: 'v1', namespace, resource, subresource, name, longRunning: false, panicked: false };
  for (const user of who) {
    for (const verb of verbs) {
      for (const path of paths) yield request(user, verb, false, path, '', '', '', '', '');
      for (const apiGroup of apiGroups)
        for (const resource of resources)
          for (const subresource of subresources)
            for (const name of names)
              for (const namespace of namespaces) yield request(user, verb, true, '/r', apiGroup, resource, subresource, name, namespace);
      for (const namespace of namespaces.filter((value) => value !== '')) yield request(user, verb, true, '/r', '', 'namespaces', '', namespace, namespace);
    }
  }
}

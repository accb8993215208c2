// The injection corpus of the policy compilers: hostile policy values (user names, groups,
// namespaces, resources, object names) either refused at their place in the policy, or compiled so
// that the value survives exactly: the VRL program (which the compiler parses back to the tree it
// printed) matches an event holding exactly that value and only it, and the Lua script holds the
// value only as a literal of decimal escapes. The Lua scripts run in a real lua5.4 in
// test/policy-filter.differential.test.ts at the repository root.
import type { Policy, PolicyRule } from '@k8s-gen/audit';
import { describe, expect, it } from 'vitest';
import { policyFilter } from '@k8s-gen/collectors';
import { expectCase, expectRoundTrips, type Attempt, type HostileCase } from './corpus.js';

const PLACES = ['user', 'group', 'namespace', 'name', 'resource'] as const;
type Where = (typeof PLACES)[number];

const ruleFor = (where: Where, value: string): PolicyRule => {
  switch (where) {
    case 'user':
      return { level: 'None', users: [value] };
    case 'group':
      return { level: 'None', userGroups: [value] };
    case 'namespace':
      return { level: 'None', namespaces: [value] };
    case 'name':
      return { level: 'None', resources: [{ group: '', resources: ['pods'], resourceNames: [value] }] };
    case 'resource':
      return { level: 'None', resources: [{ group: '', resources: [value] }] };
  }
};

const eventWith = (where: Where, value: string): policyFilter.VrlValue => ({
  stage: 'ResponseComplete',
  level: 'Metadata',
  verb: 'get',
  requestURI: '/api/v1/namespaces/x/pods/y',
  user: { username: where === 'user' ? value : 'someone', groups: where === 'group' ? [value] : ['system:authenticated'] },
  objectRef: { resource: where === 'resource' ? value : 'pods', namespace: where === 'namespace' ? value : 'x', name: where === 'name' ? value : 'y', apiVersion: 'v1' },
});

const path = (where: Where): string => ({ user: 'rules[0].users[0]', group: 'rules[0].userGroups[0]', namespace: 'rules[0].namespaces[0]', name: 'rules[0].resources[0].resourceNames[0]', resource: 'rules[0].resources[0].resources[0]' })[where];

function attempt(where: Where, value: string): Attempt {
  const policy: Policy = { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [ruleFor(where, value), { level: 'Metadata' }] };
  const vrl = policyFilter.policyToVrlFilter(policy);
  const lua = policyFilter.policyToLuaFilter(policy);
  expect(lua.ok).toBe(vrl.ok);
  if (!vrl.ok) return { problem: vrl.problems[0]! };
  // The Lua script holds the value only as a literal of escapes.
  expect(lua.value!.script).toContain(policyFilter.luaString(value));
  expect(lua.value!.script).not.toContain('${');
  // The rule matches an event holding exactly the value (None: dropped) and not one holding another.
  const matched = policyFilter.runVrl(vrl.value.program, eventWith(where, value)).aborted;
  const other = policyFilter.runVrl(vrl.value.program, eventWith(where, `${value}.other`)).aborted;
  return { text: vrl.value.source, read: matched && !other ? value : `matched=${matched} other=${other}` };
}

const refusedAs = (where: Where, code = 'policy-filter-unsafe-character') => ({ refused: { path: path(where), code } });

const cases: HostileCase<Where, string>[] = [
  { name: 'LF in a user name', category: 'line-break', rule: 'a VRL line feed ends the expression; refused as control text', where: 'user', value: 'a\nabort', expect: refusedAs('user') },
  { name: 'CR in a group', category: 'line-break', rule: 'checkEmittedText', where: 'group', value: 'a\rb', expect: refusedAs('group') },
  { name: 'U+2028 in a namespace', category: 'unicode-line-break', rule: 'checkEmittedText (the program sits in a YAML file)', where: 'namespace', value: 'a\u2028b', expect: refusedAs('namespace') },
  { name: 'NUL in a name', category: 'nul', rule: 'checkEmittedText', where: 'name', value: 'a\u0000', expect: refusedAs('name') },
  { name: 'ESC in a user', category: 'control', rule: 'checkEmittedText', where: 'user', value: '\u001b[31m', expect: refusedAs('user') },
  { name: 'a bidi override in a group', category: 'format-character', rule: 'checkEmittedText', where: 'group', value: 'a\u202eb', expect: refusedAs('group') },
  { name: 'a lone surrogate in a user', category: 'surrogate', rule: 'UTF-8 cannot hold it', where: 'user', value: 'a\ud800', expect: refusedAs('user') },
  { name: 'a closing quote and code', category: 'quote', rule: 'VRL \\" and Lua \\034 escapes', where: 'user', value: 'a" || true || "', expect: { reads: 'a" || true || "' } },
  { name: 'a single quote', category: 'quote', rule: 'Lua \\039 escape', where: 'name', value: "it's", expect: { reads: "it's" } },
  { name: 'a trailing backslash', category: 'backslash', rule: 'VRL \\\\ and Lua \\092 escapes', where: 'group', value: 'dev\\', expect: { reads: 'dev\\' } },
  { name: 'a VRL template', category: 'interpolation', rule: 'VRL \\{ \\} escapes; never a template', where: 'user', value: '{{ k8s_user }}', expect: { reads: '{{ k8s_user }}' } },
  { name: 'a Fluent Bit variable', category: 'interpolation', rule: 'Lua \\036 for $, so ${ never appears in the script', where: 'namespace', value: '${HOME}', expect: { reads: '${HOME}' } },
  { name: 'a Vector variable', category: 'interpolation', rule: 'Vector doubles $ when it writes the program', where: 'user', value: '$HOSTNAME', expect: { reads: '$HOSTNAME' } },
  { name: 'a template split across a brace', category: 'interpolation-split', rule: 'every { is escaped, so no split forms {{', where: 'group', value: '{', expect: { reads: '{' } },
  { name: 'a Lua comment', category: 'comment', rule: 'Lua -- starts a comment: escaped as \\045\\045', where: 'user', value: 'a -- b', expect: { reads: 'a -- b' } },
  { name: 'a VRL comment', category: 'comment', rule: 'VRL # starts a comment outside strings', where: 'namespace', value: '# x', expect: { reads: '# x' } },
  { name: 'a Lua long-string end', category: 'brace', rule: 'no long strings are written', where: 'name', value: ']]..os.exit()..[[', expect: { reads: ']]..os.exit()..[[' } },
  { name: 'a resource with a wildcard', category: 'brace', rule: 'an exact pattern matches itself', where: 'resource', value: 'pods/*', expect: { reads: 'pods/*' } },
  { name: 'a Lua keyword as a user', category: 'reserved-word', rule: 'values are data, never code', where: 'user', value: 'end', expect: { reads: 'end' } },
  { name: 'a VRL keyword as a group', category: 'reserved-word', rule: 'values are data, never code', where: 'group', value: 'abort', expect: { reads: 'abort' } },
  { name: 'spaces', category: 'white-space', rule: 'kept inside the literal', where: 'user', value: ' a b ', expect: { reads: ' a b ' } },
  { name: 'a tab', category: 'white-space', rule: 'checkEmittedText', where: 'namespace', value: 'a\tb', expect: refusedAs('namespace') },
  { name: 'an empty resource', category: 'length', rule: 'the apiserver accepts it; it matches no real resource', where: 'resource', value: 'x'.repeat(300), expect: { reads: 'x'.repeat(300) } },
];

describe('policy filter injection corpus', () => {
  it.each(cases.map((c) => [`${c.category}: ${c.name} (${c.where})`, c] as const))('%s', (_, c) => {
    expectCase(c, attempt(c.where, c.value));
  });

  it('covers the categories and every place a value goes', () => {
    expect(new Set(cases.map((c) => c.category)).size).toBeGreaterThanOrEqual(15);
    expect(new Set(cases.map((c) => c.where))).toEqual(new Set(PLACES));
  });
});

describe('policy filter injection (property)', () => {
  it.each(['user', 'group', 'namespace', 'name'] as const)('%s', (where) => {
    // Any accepted value is matched exactly, any refused one is refused at its place in the policy.
    expectRoundTrips({
      attempt: (value) => attempt(where, value),
      refusedAt: new RegExp(`^${path(where).replace(/[[\].]/g, '\\$&')}$`),
      prefixes: ['', 'system:', 'a'],
      // An event without a user name failed authentication: no users rule matches it, as in the apiserver.
      reads: (value) => (where === 'user' && value === '' ? 'matched=false other=false' : value),
      numRuns: 200,
    });
  });
});

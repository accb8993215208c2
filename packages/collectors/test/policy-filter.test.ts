// The policy compilers: what they refuse, the reference decision they implement, the event
// derivation they share with the engine, and the VRL subset grammar (each case names the rule of
// VRL's parser.lalrpop or lex.rs it follows). The differential tests against the apiserver's
// decision, with the Lua in a real lua5.4, are in test/policy-filter.differential.test.ts at the
// repository root; the injection corpus is in hostile/policy-filter.test.ts.
import { docsExamplePolicy, type Policy } from '@k8s-gen/audit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { policyFilter } from '../src/index.js';
import { ok, refused } from './helpers.js';

const { downstreamOutcome, parseVrl, policyToLuaFilter, policyToVrlFilter, printVrl, requestFieldsFromEvent, runVrl, vrlString } = policyFilter;
type VrlExpr = policyFilter.VrlExpr;

const policy = (rules: Policy['rules'], extra: Partial<Policy> = {}): Policy => ({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules, ...extra });

describe('the compilers refuse what the apiserver refuses, and what a program cannot hold', () => {
  it('refuse an invalid policy with @k8s-gen/audit\'s problems and paths', () => {
    const problems = refusedProblems(policyToLuaFilter(policy([{ level: 'Loud' as never }])));
    expect(problems[0]).toMatchObject({ severity: 'error', path: 'rules[0].level' });
    expect(refusedProblems(policyToVrlFilter(policy([{ level: 'Metadata', resources: [{ group: '*' }] }]), { kubernetesVersion: '1.35' }))[0]!.path).toBe('rules[0].resources[0].group');
  });

  it('refuse control characters in policy values, at the value', () => {
    expect(refused(policyToVrlFilter(policy([{ level: 'None', users: ['a\u0007'] }])))[0]).toMatchObject({ code: 'policy-filter-unsafe-character', path: 'rules[0].users[0]' });
  });

  it('refuse a bad version, and a Lua function name the script cannot define', () => {
    expect(refused(policyToLuaFilter(docsExamplePolicy().build(), { kubernetesVersion: '2.0' }))[0]!.path).toBe('kubernetesVersion');
    expect(refused(policyToLuaFilter(docsExamplePolicy().build(), { call: 'end' }))[0]!.path).toBe('call');
    expect(refused(policyToLuaFilter(docsExamplePolicy().build(), { call: 'k8s_gen_rule' }))[0]!.path).toBe('call');
  });
});

function refusedProblems<T>(result: { ok: boolean; problems: readonly { severity: string; path: string; code: string }[] }): readonly { severity: string; path: string; code: string }[] {
  expect(result.ok).toBe(false);
  return result.problems;
}

describe('requestFieldsFromEvent (k8s.io/apiserver audit/request.go LogRequestMetadata)', () => {
  it('reads the user, the verb, the path before ? and the objectRef of a resource request', () => {
    expect(requestFieldsFromEvent({ user: { username: 'alice', groups: ['dev', 7] }, verb: 'get', requestURI: '/api/v1/namespaces/a/pods/p?x=1?y', objectRef: { resource: 'pods', namespace: 'a', name: 'p', apiVersion: 'v1' } })).toEqual({
      user: { name: 'alice', groups: ['dev'] },
      verb: 'get',
      isResourceRequest: true,
      path: '/api/v1/namespaces/a/pods/p',
      apiGroup: '',
      apiVersion: 'v1',
      namespace: 'a',
      resource: 'pods',
      subresource: '',
      name: 'p',
    });
  });

  it('gives no user to an event without a user name (failed authentication), and no resource fields without objectRef.resource', () => {
    const fields = requestFieldsFromEvent({ user: { groups: ['system:unauthenticated'] }, verb: 'get', requestURI: '/healthz', objectRef: { namespace: 'a' } });
    expect(fields.user).toBeUndefined();
    expect(fields).toMatchObject({ isResourceRequest: false, namespace: '', path: '/healthz' });
    expect(requestFieldsFromEvent('not an event')).toMatchObject({ user: undefined, verb: '', path: '' });
  });
});

describe('downstreamOutcome (what the filters do with an event)', () => {
  const event = {
    stage: 'ResponseComplete',
    level: 'RequestResponse',
    verb: 'update',
    requestObject: { metadata: { name: 'a', managedFields: [1] } },
    responseObject: { kind: 'PodList', items: [{ metadata: { managedFields: [1] } }, { metadata: {} }] },
  };
  const decide = (level: string, extra: Partial<policyFilter.PolicyDecision> = {}) => downstreamOutcome(event, { level, omitStages: [], omitManagedFields: false, ...extra });

  it('drops at None and in an omitted stage, keeps the same object when nothing changes', () => {
    expect(decide('None')).toEqual({ action: 'drop', reason: 'level-none' });
    expect(decide('Metadata', { omitStages: ['ResponseComplete'] })).toEqual({ action: 'drop', reason: 'stage-omitted' });
    const kept = decide('RequestResponse');
    expect(kept).toEqual({ action: 'keep', changed: false, event });
    expect((kept as { event: unknown }).event).toBe(event);
  });

  it('lowers the level and removes the bodies the apiserver would not have logged', () => {
    expect(decide('Request')).toMatchObject({ changed: true, event: { level: 'Request', requestObject: event.requestObject } });
    expect((decide('Request') as { event: Record<string, unknown> }).event).not.toHaveProperty('responseObject');
    expect((decide('Metadata') as { event: Record<string, unknown> }).event).not.toHaveProperty('requestObject');
    // An unknown level is treated as RequestResponse, so it is lowered too.
    expect(downstreamOutcome({ ...event, level: 'Loud' }, { level: 'Metadata', omitStages: [], omitManagedFields: false })).toMatchObject({ changed: true, event: { level: 'Metadata' } });
  });

  it('removes managed fields from objects and list items, but not from a patch (copyWithoutManagedFields; LogRequestPatch)', () => {
    const stripped = decide('RequestResponse', { omitManagedFields: true }) as unknown as { event: typeof event };
    expect(stripped.event.requestObject.metadata).toEqual({ name: 'a' });
    expect(stripped.event.responseObject.items[0]!.metadata).toEqual({});
    expect(event.requestObject.metadata.managedFields).toEqual([1]);
    const patch = downstreamOutcome({ ...event, verb: 'patch' }, { level: 'RequestResponse', omitStages: [], omitManagedFields: true }) as unknown as { event: typeof event };
    expect(patch.event.requestObject.metadata.managedFields).toEqual([1]);
    const table = downstreamOutcome({ stage: 'ResponseComplete', level: 'RequestResponse', responseObject: { kind: 'Table', rows: [{ object: { metadata: { managedFields: [] } } }] } }, { level: 'RequestResponse', omitStages: [], omitManagedFields: true }) as unknown as { event: { responseObject: { rows: { object: unknown }[] } } };
    expect(table.event.responseObject.rows[0]!.object).toEqual({ metadata: {} });
  });
});

describe('VRL subset grammar (src/parser/parser.lalrpop, src/parser/lex.rs)', () => {
  const expr = (text: string): VrlExpr => ok(parseVrl(`x = ${text}\n`)).body[0]!.kind === 'assign' ? (ok(parseVrl(`x = ${text}\n`)).body[0] as { value: VrlExpr }).value : (undefined as never);

  it('puts || and && on one level, left to right (Logical: Op<Logical, "||", Equal> | Op<Logical, "&&", Equal>)', () => {
    expect(expr('a || b && c')).toEqual({ kind: 'binary', op: '&&', left: { kind: 'binary', op: '||', left: { kind: 'path', root: 'a', segments: [] }, right: { kind: 'path', root: 'b', segments: [] } }, right: { kind: 'path', root: 'c', segments: [] } });
    expect(runVrl(ok(parseVrl('if true || false && false {\n  abort\n}\n')), {})).toEqual({ aborted: false, event: {} });
  });

  it('binds == tighter than &&, and ?? loosest', () => {
    expect(expr('a == b && c ?? d')).toMatchObject({ op: '??', left: { op: '&&', left: { op: '==' } } });
  });

  it('skips a line feed before else (lex.rs next_significant_is_else)', () => {
    expect(runVrl(ok(parseVrl('if false {\n  .a = 1\n}\nelse {\n  .a = 2\n}\n')), {})).toEqual({ aborted: false, event: { a: 2 } });
  });

  it('reads the string escapes, \\{ and \\} among them, and refuses a {{ template (StringLiteralToken::template)', () => {
    expect(expr('"\\{\\{ x \\}\\} \\"q\\" \\\\ \\n"')).toEqual({ kind: 'string', value: '{{ x }} "q" \\ \n' });
    expect(refused(parseVrl('x = "{{ y }}"\n'))[0]!.message).toContain('template');
    expect(refused(parseVrl('x = "\\q"\n'))[0]!.message).toContain('escape');
  });

  it('refuses what is outside the subset', () => {
    expect(refused(parseVrl('return 1\n'))[0]!.message).toContain('return');
    expect(refused(parseVrl('x = 1.5\n'))[0]!.message).toContain('integer');
    expect(refused(parseVrl('. |= {}\n'))[0]!.message).toContain('merge');
    expect(refused(parseVrl('x = f(a: 1)\n'))[0]!.message).toContain('named');
  });

  it('prints any string as a literal that reads back as that string, never as a template', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }).filter((s) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(s.replace(/[\n\r\t\0]/g, ''))), (text) => {
        expect(expr(vrlString(text))).toEqual({ kind: 'string', value: text });
      }),
      { numRuns: 300 },
    );
  });

  it('parses every compiled program back to the program printed (random rule shapes)', () => {
    const values = fc.constantFrom('a', 'kube-system', '{{x}}', 'a"b', '\\', '$x', '#c', '*', '/api*', 'pods/*', '*/status', '');
    const rule = fc.record({
      level: fc.constantFrom('None', 'Metadata', 'Request', 'RequestResponse'),
      users: fc.option(fc.array(values, { minLength: 1, maxLength: 2 }), { nil: undefined }),
      userGroups: fc.option(fc.array(values, { minLength: 1, maxLength: 2 }), { nil: undefined }),
      verbs: fc.option(fc.array(fc.constantFrom('get', 'watch', 'patch'), { minLength: 1, maxLength: 2 }), { nil: undefined }),
      resources: fc.option(fc.array(fc.record({ group: fc.constantFrom('', 'apps', '*'), resources: fc.array(values, { minLength: 1, maxLength: 2 }) }), { minLength: 1, maxLength: 2 }), { nil: undefined }),
      omitManagedFields: fc.option(fc.boolean(), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(rule, { minLength: 1, maxLength: 4 }), (rules) => {
        const clean = rules.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
        const compiled = policyToVrlFilter(policy(clean as unknown as Policy['rules']));
        if (!compiled.ok) return;
        expect(ok(parseVrl(compiled.value.source))).toEqual(compiled.value.program);
        expect(printVrl(compiled.value.program)).toBe(compiled.value.source);
      }),
      { numRuns: 150 },
    );
  });
});

describe('the Lua writer', () => {
  it('writes every byte of a policy string outside letters, digits and _./:-@ as a decimal escape', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const literal = policyFilter.luaString(text);
        expect(literal).toMatch(/^"(?:[A-Za-z0-9_./:@-]|\\\d{3})*"$/);
      }),
      { numRuns: 300 },
    );
  });

  it('defines the one global function named by call, after every helper local', () => {
    const filter = ok(policyToLuaFilter(docsExamplePolicy().build(), { call: 'audit_filter' }));
    expect(filter.script.match(/^function /gm)).toEqual(['function ']);
    expect(filter.script).toContain('function audit_filter(tag, timestamp, record)');
  });
});

/**
 * Compiling an audit Policy into a filter a shipper applies to each logged event: a Fluent Bit Lua
 * script or a Vector VRL program. The apiserver takes one policy; a shipper can apply a different
 * one per sink, and on a managed cluster (EKS, GKE, AKS) the shipper is the only place a policy can
 * be applied at all. Both compilers take the same policies the apiserver accepts (checked with
 * @k8s-gen/audit's `validate` for the target release) and never throw.
 */
import { validate, type Policy } from '@k8s-gen/audit';
import { parseKubernetesVersion, NEWEST_KUBERNETES_VERSION, type Problem } from '@k8s-gen/runtime';
import { collectProblems, refusal, type CollectorResult } from '../problems.js';
import { checkConfigText, quoted } from '../text.js';
import { compileDecisions, type Condition, type DecisionProgram, type RuleOutcome } from './ast.js';
import { LUA_FILTER_LOCALS, LUA_KEYWORDS, luaFilterScript } from './lua.js';
import { VRL_REQUEST_FIELDS } from './event-attributes.js';
import { exprText, printVrl, type VrlExpr, type VrlPath, type VrlProgram } from './vrl.js';
import { parseVrl } from './vrl-parser.js';

/** Options of both compilers. */
export interface PolicyFilterOptions {
  /**
   * The Kubernetes release whose policy semantics apply: `group: "*"` matches every API group from
   * 1.36. Default the newest release k8s-gen models.
   */
  readonly kubernetesVersion?: string;
  /** Comment lines put on top of the program (where it came from, which sink it serves). */
  readonly header?: readonly string[];
}

/** Options of {@link policyToLuaFilter}. */
export interface LuaFilterOptions extends PolicyFilterOptions {
  /** The global function the filter's `call` names. Default `k8s_gen_audit_policy`. */
  readonly call?: string;
}

/** A compiled Lua filter. */
export interface LuaPolicyFilter {
  /** The script, for the filter's `script` file. */
  readonly script: string;
  /** The function to set as the filter's `call`. */
  readonly call: string;
  /** The decisions the script implements. */
  readonly decisions: DecisionProgram;
}

/** A compiled VRL program. */
export interface VrlPolicyFilter {
  /** The program text, for a remap transform's `source`. */
  readonly source: string;
  /** The program as data (what `source` parses back to). */
  readonly program: VrlProgram;
  readonly decisions: DecisionProgram;
}

/** Every string of a policy, with its path, checked as text a program can hold. */
function policyTextProblems(policy: Policy): Problem[] {
  const problems: Problem[] = [];
  const check = (value: unknown, path: string): void => {
    const problem = checkConfigText(value, path);
    if (problem !== undefined) problems.push({ ...problem, code: 'policy-filter-unsafe-character', fix: `${problem.fix}; a filter program holds policy values as string literals` });
  };
  policy.rules?.forEach((rule, i) => {
    for (const field of ['users', 'userGroups', 'verbs', 'namespaces', 'nonResourceURLs'] as const) rule[field]?.forEach((v, j) => check(v, `rules[${i}].${field}[${j}]`));
    rule.resources?.forEach((entry, j) => {
      if (entry.group !== undefined) check(entry.group, `rules[${i}].resources[${j}].group`);
      entry.resources?.forEach((v, k) => check(v, `rules[${i}].resources[${j}].resources[${k}]`));
      entry.resourceNames?.forEach((v, k) => check(v, `rules[${i}].resources[${j}].resourceNames[${k}]`));
    });
  });
  return problems;
}

/** Checks the policy and the version, then compiles the decisions; undefined when refused. */
function decisionsOf(policy: Policy, options: PolicyFilterOptions, problems: Problem[]): DecisionProgram | undefined {
  const version = options.kubernetesVersion ?? NEWEST_KUBERNETES_VERSION;
  const parsed = parseKubernetesVersion(version, { oldest: 12, subject: 'audit.k8s.io/v1 policies' });
  if (!parsed.ok) {
    problems.push(refusal('invalid-option', 'kubernetesVersion', parsed.message, parsed.fix));
    return undefined;
  }
  for (const [index, line] of (options.header ?? []).entries()) {
    const problem = checkConfigText(line, `header[${index}]`);
    if (problem !== undefined) problems.push(problem);
  }
  const errors = validate(policy, { kubernetesVersion: version }).filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    problems.push(...errors);
    return undefined;
  }
  problems.push(...policyTextProblems(policy));
  if (problems.length > 0) return undefined;
  return compileDecisions(policy, parsed.version.minor >= 36);
}

/**
 * Compiles a policy into a Fluent Bit Lua filter: the script, and the `call` to configure. Run it
 * with `enable_flb_null on` (so JSON nulls survive) on Fluent Bit 2.1.10 or later (which keeps maps
 * and arrays apart when a script changes a record). Never throws.
 *
 * @example
 * ```ts
 * const filter = policyToLuaFilter(gceProductionPolicy().build(), { kubernetesVersion: '1.30' });
 * if (filter.ok) writeFileSync('audit-policy.lua', filter.value.script);
 * ```
 */
export function policyToLuaFilter(policy: Policy, options: LuaFilterOptions = {}): CollectorResult<LuaPolicyFilter> {
  return collectProblems((problems) => {
    const call = options.call ?? 'k8s_gen_audit_policy';
    // The script's own locals: `function name()` with one of them would assign the local, and
    // Fluent Bit would find no global to call.
    if (typeof call !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(call) || LUA_KEYWORDS.has(call) || LUA_FILTER_LOCALS.has(call)) {
      problems.push(refusal('invalid-option', 'call', `call ${quoted(call)} is not a Lua function name this script can define`, 'use letters, digits and _, not a Lua keyword or a k8s_gen_ helper of the script, e.g. k8s_gen_audit_policy'));
    }
    const decisions = decisionsOf(policy, options, problems);
    if (decisions === undefined || problems.length > 0) return undefined;
    const header = options.header ?? ['k8s-gen: an audit policy applied by Fluent Bit (filter lua); generated, do not edit'];
    return { script: luaFilterScript(decisions, call, header), call, decisions };
  });
}

// ---------------------------------------------------------------------------------------------
// VRL.

const variable = (name: string): VrlPath => ({ kind: 'path', root: name, segments: [] });
const event = (...segments: string[]): VrlPath => ({ kind: 'path', root: '.', segments });
const str = (value: string): VrlExpr => ({ kind: 'string', value });
const int = (value: number): VrlExpr => ({ kind: 'integer', value });
const call = (name: string, ...args: VrlExpr[]): VrlExpr => ({ kind: 'call', name, bang: false, args });
const binary = (op: '==' | '!=' | '&&' | '||' | '<', left: VrlExpr, right: VrlExpr): VrlExpr => ({ kind: 'binary', op, left, right });
const chain = (op: '&&' | '||', items: VrlExpr[]): VrlExpr => items.reduce((left, right) => binary(op, left, right));
const assign = (name: string, value: VrlExpr): VrlExpr => ({ kind: 'assign', target: variable(name), value });
const when = (condition: VrlExpr, ...then: VrlExpr[]): VrlExpr => ({ kind: 'if', condition, then });
const strings = (values: readonly string[]): VrlExpr => ({ kind: 'array', items: [...new Set(values)].map(str) });

function vrlCondition(condition: Condition): VrlExpr {
  switch (condition.kind) {
    case 'true':
      return { kind: 'boolean', value: true };
    case 'false':
      return { kind: 'boolean', value: false };
    case 'and':
      return chain('&&', condition.items.map(vrlCondition));
    case 'or':
      return chain('||', condition.items.map(vrlCondition));
    case 'has-user':
      return variable('k8s_has_user');
    case 'user-in':
      return call('includes', strings(condition.values), variable('k8s_user'));
    case 'group-in':
      return chain('||', [...new Set(condition.values)].map((group) => call('includes', variable('k8s_groups'), str(group))));
    case 'verb-in':
      return call('includes', strings(condition.values), variable('k8s_verb'));
    case 'resource-request':
      return condition.value ? variable('k8s_is_resource') : { kind: 'not', expr: variable('k8s_is_resource') };
    case 'namespace-in':
      return call('includes', strings(condition.values), variable('k8s_namespace'));
    case 'name-in':
      return call('includes', strings(condition.values), variable('k8s_name'));
    case 'api-group-is':
      return binary('==', variable('k8s_group'), str(condition.value));
    case 'combined-is':
      return binary('==', variable('k8s_combined'), str(condition.value));
    case 'resource-is':
      return binary('==', variable('k8s_resource'), str(condition.value));
    case 'subresource-is':
      return binary('&&', binary('!=', variable('k8s_subresource'), str('')), binary('==', variable('k8s_subresource'), str(condition.value)));
    case 'path-is':
      return binary('==', variable('k8s_path'), str(condition.value));
    case 'path-prefix':
      return call('starts_with', variable('k8s_path'), str(condition.value));
  }
}

/** `if cond1 { v1 } else if cond2 { v2 } ... else { fallback }` as an expression. */
function choose(branches: readonly { condition: VrlExpr; value: VrlExpr }[], fallback: VrlExpr): VrlExpr {
  // A branch whose condition is `true` ends the chain: it is the `else`.
  const always = branches.findIndex((b) => b.condition.kind === 'boolean' && b.condition.value);
  if (always >= 0) return choose(branches.slice(0, always), branches[always]!.value);
  return branches.reduceRight<VrlExpr>((otherwise, branch) => ({ kind: 'if', condition: branch.condition, then: [branch.value], else: [otherwise] }), fallback);
}

/** Picks a value per rule position, one branch per distinct value (constant when all agree). */
function perRule<T>(outcomes: readonly RuleOutcome[], fallback: RuleOutcome, pick: (o: RuleOutcome) => T, literal: (value: T) => VrlExpr): VrlExpr {
  const key = (o: RuleOutcome): string => JSON.stringify(pick(o));
  const groups = new Map<string, number[]>();
  outcomes.forEach((o, i) => {
    if (key(o) === key(fallback)) return;
    groups.set(key(o), [...(groups.get(key(o)) ?? []), i + 1]);
  });
  const branches = [...groups.entries()].map(([k, positions]) => ({
    condition: chain('||', positions.map((p) => binary('==', variable('k8s_rule'), int(p)))),
    value: literal(JSON.parse(k) as T),
  }));
  return choose(branches, literal(pick(fallback)));
}

/** Removes managed fields from one body (`.requestObject` or `.responseObject`). */
function stripBody(field: string): VrlExpr[] {
  const list = (key: string, param: string, inner: string[]): VrlExpr =>
    ({
      kind: 'assign',
      target: event(field, key),
      value: {
        kind: 'call',
        name: 'map_values',
        bang: false,
        args: [{ kind: 'call', name: 'array', bang: true, args: [event(field, key)] }],
        closure: { params: [param], body: [call('del', { kind: 'path', root: param, segments: [...inner, 'metadata', 'managedFields'] }), variable(param)] },
      },
    }) as VrlExpr;
  return [
    call('del', event(field, 'metadata', 'managedFields')),
    when(call('is_array', event(field, 'items')), list('items', 'k8s_item', [])),
    when(binary('&&', binary('==', event(field, 'kind'), str('Table')), call('is_array', event(field, 'rows'))), list('rows', 'k8s_row', ['object'])),
  ];
}

let requestFieldStatements: readonly VrlExpr[] | undefined;

/** The VRL of `event-attributes.ts`, parsed once. */
function requestFields(): readonly VrlExpr[] {
  if (requestFieldStatements === undefined) {
    const parsed = parseVrl(VRL_REQUEST_FIELDS);
    if (!parsed.ok) throw new Error(`VRL_REQUEST_FIELDS does not parse: ${parsed.problems[0]!.message} (a k8s-gen bug)`);
    requestFieldStatements = parsed.value.body;
  }
  return requestFieldStatements;
}

/** The VRL program of a compiled policy. */
export function vrlFilterProgram(decisions: DecisionProgram, header: readonly string[]): VrlProgram {
  const outcomes = decisions.rules.map((rule) => rule.outcome);
  const rank = (level: VrlExpr): VrlExpr => choose([{ condition: binary('==', level, str('Metadata')), value: int(1) }, { condition: binary('==', level, str('Request')), value: int(2) }], int(3));
  const managed = [...outcomes, decisions.fallback].some((o) => o.omitManagedFields);
  const body: VrlExpr[] = [
    ...requestFields(),
    assign('k8s_rule', choose(decisions.rules.map((rule, i) => ({ condition: vrlCondition(rule.condition), value: int(i + 1) })), int(0))),
    assign('k8s_level', perRule(outcomes, decisions.fallback, (o) => o.level, str)),
    assign('k8s_omit', perRule(outcomes, decisions.fallback, (o) => o.omitStages, strings)),
    ...(managed ? [assign('k8s_managed', perRule(outcomes, decisions.fallback, (o) => o.omitManagedFields, (value): VrlExpr => ({ kind: 'boolean', value })))] : []),
    when(binary('||', binary('==', variable('k8s_level'), str('None')), call('includes', variable('k8s_omit'), event('stage'))), { kind: 'abort' }),
    assign('k8s_target', rank(variable('k8s_level'))),
    assign('k8s_current', rank(event('level'))),
    when(
      binary('<', variable('k8s_target'), variable('k8s_current')),
      { kind: 'assign', target: event('level'), value: variable('k8s_level') },
      when(binary('<', variable('k8s_target'), int(3)), call('del', event('responseObject'))),
      when(binary('<', variable('k8s_target'), int(2)), call('del', event('requestObject'))),
    ),
  ];
  // Without omitManagedFields anywhere, the managed-fields block would never run.
  if (managed) {
    body.push(when(variable('k8s_managed'), ...stripBody('responseObject'), when(binary('!=', variable('k8s_verb'), str('patch')), ...stripBody('requestObject'))));
  }
  return { header, body };
}

/**
 * Compiles a policy into a VRL program for a Vector `remap` transform (with `drop_on_abort: true`,
 * the default): events the policy does not log are aborted, others lowered. The program is
 * checked by parsing it back with the subset grammar of `vrl-parser.ts`; there is no Vector binary
 * to compile it with here. Never throws.
 *
 * @example
 * ```ts
 * const filter = policyToVrlFilter(gceProductionPolicy().build());
 * if (filter.ok) console.log(filter.value.source);
 * ```
 */
export function policyToVrlFilter(policy: Policy, options: PolicyFilterOptions = {}): CollectorResult<VrlPolicyFilter> {
  return collectProblems((problems) => {
    const decisions = decisionsOf(policy, options, problems);
    if (decisions === undefined || problems.length > 0) return undefined;
    const program = vrlFilterProgram(decisions, options.header ?? ['k8s-gen: an audit policy applied by Vector (remap); generated, do not edit']);
    const source = printVrl(program);
    const reread = parseVrl(source);
    if (!reread.ok || JSON.stringify(reread.value) !== JSON.stringify(program)) {
      problems.push(refusal('vrl-writer-check', '', 'the VRL program does not parse back as the program it was printed from (a k8s-gen bug)', 'report the policy that caused it'));
      return undefined;
    }
    return { source, program, decisions };
  });
}

/** One expression as VRL text (for messages and tests). */
export const vrlText = exprText;

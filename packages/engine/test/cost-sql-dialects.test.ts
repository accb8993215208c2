// The queries emitted for engines that cannot run here (Trino, Athena, BigQuery), checked by SQL
// parsers that know those dialects: node-sql-parser's Trino grammar (Athena's engine v3 is Trino)
// and sql-parser-cst's BigQuery grammar. Each query must parse whole, and its rule choice must be
// one CASE with an arm per rule in policy order (THEN 0, 1, ...; ELSE -1, no rule matched) whose
// conditions hold the policy's values exactly as written, whatever characters they have.
import fc from 'fast-check';
import nodeSqlParser from 'node-sql-parser';
import { parse as parseCst } from 'sql-parser-cst';
import { describe, expect, it } from 'vitest';
import type { Policy } from '@k8s-gen/audit';
import { compileCostQuery } from '../src/cost-sql.js';
import type { SqlDialectName } from '../src/sql-dialect.js';
import { policyArbitrary } from './arbitraries.js';

type Node = Record<string, unknown>;

/** Every object in a syntax tree for which `test` holds. */
function findNodes(tree: unknown, test: (node: Node) => boolean, found: Node[] = []): Node[] {
  if (tree !== null && typeof tree === 'object') {
    if (!Array.isArray(tree) && test(tree as Node)) found.push(tree as Node);
    for (const value of Object.values(tree)) findNodes(value, test, found);
  }
  return found;
}

/** One arm of the rule CASE: its result and the string values its condition compares with. */
interface Arm {
  result: number;
  strings: string[];
}

/**
 * node-sql-parser (Trino): the select item `... AS event_rule`. It keeps string literals as
 * written ('' for a quote) and Trino's control characters arrive as `'...' || chr(n)`.
 */
function trinoArms(sql: string): { arms: Arm[]; otherwise: number } {
  const tree = new nodeSqlParser.Parser().astify(sql, { database: 'trino' });
  const items = findNodes(tree, (node) => node.as === 'event_rule');
  expect(items).toHaveLength(1);
  const expr = items[0]!.expr as Node;
  const number = (node: Node): number => (node.type === 'number' ? Number(node.value) : NaN);
  if (expr.type === 'number') return { arms: [], otherwise: number(expr) };
  expect(expr.type).toBe('case');
  const args = expr.args as Node[];
  const text = (node: Node): string | undefined => {
    if (node.type === 'single_quote_string') return String(node.value).replace(/''/g, "'");
    if (node.type === 'binary_expr' && node.operator === '||') {
      const [left, right] = [text(node.left as Node), text(node.right as Node)];
      return left !== undefined && right !== undefined ? left + right : undefined;
    }
    const name = ((node.name as Node | undefined)?.name as Node[] | undefined)?.[0]?.value;
    if (node.type === 'function' && name === 'chr') return String.fromCodePoint(Number((((node.args as Node).value as Node[])[0] as Node).value));
    return undefined;
  };
  const strings = (cond: unknown): string[] => {
    const out: string[] = [];
    const walk = (node: unknown): void => {
      if (node === null || typeof node !== 'object') return;
      const value = Array.isArray(node) ? undefined : text(node as Node);
      if (value !== undefined) out.push(value);
      else for (const child of Object.values(node)) walk(child);
    };
    walk(cond);
    return out;
  };
  const whens = args.filter((arm) => arm.type === 'when');
  const otherwise = args.find((arm) => arm.type === 'else');
  return { arms: whens.map((arm) => ({ result: number(arm.result as Node), strings: strings(arm.cond) })), otherwise: otherwise ? number(otherwise.result as Node) : NaN };
}

/** sql-parser-cst (BigQuery): the alias `event_rule`; string literals come decoded. */
function bigqueryArms(sql: string): { arms: Arm[]; otherwise: number } {
  const tree = parseCst(sql, { dialect: 'bigquery' });
  const aliases = findNodes(tree, (node) => node.type === 'alias' && (node.alias as Node | undefined)?.name === 'event_rule');
  expect(aliases).toHaveLength(1);
  const expr = aliases[0]!.expr as Node;
  const number = (node: Node): number =>
    node.type === 'number_literal' ? Number(node.value) : node.type === 'prefix_op_expr' && node.operator === '-' ? -number(node.expr as Node) : NaN;
  if (expr.type !== 'case_expr') return { arms: [], otherwise: number(expr) };
  const clauses = expr.clauses as Node[];
  const strings = (cond: unknown): string[] => findNodes(cond, (node) => node.type === 'string_literal').map((node) => String(node.value));
  const otherwise = clauses.find((clause) => clause.type === 'case_else');
  return {
    arms: clauses.filter((clause) => clause.type === 'case_when').map((clause) => ({ result: number(clause.result as Node), strings: strings(clause.condition) })),
    otherwise: otherwise ? number(otherwise.result as Node) : NaN,
  };
}

const PARSED: Record<Exclude<SqlDialectName, 'duckdb'>, (sql: string) => { arms: Arm[]; otherwise: number }> = {
  trino: trinoArms,
  athena: trinoArms,
  bigquery: bigqueryArms,
};

function compiled(policy: Policy, dialect: SqlDialectName): string {
  const query = compileCostQuery(policy, { dialect, source: { kind: 'table', table: 'logs.kube_audit', column: 'event_json' } });
  if (!query.ok) throw new Error(query.problems.map((problem) => problem.message).join(' '));
  return query.sql;
}

// Values a user may write that a careless literal would break: quotes, backslashes, a newline,
// non-ASCII, and SQL that would run if it escaped its literal.
const HOSTILE = ["o'brien", 'back\\slash', 'line\nbreak', 'caf\u00e9 \u{1f680}', "x'); DROP TABLE audit_log; --"];

const policy: Policy = {
  apiVersion: 'audit.k8s.io/v1',
  kind: 'Policy',
  omitStages: ['RequestReceived'],
  rules: [
    { level: 'None', users: [HOSTILE[0]!, 'system:kube-proxy'], verbs: ['watch'] },
    { level: 'None', userGroups: [HOSTILE[1]!, 'system:nodes'], nonResourceURLs: ['/healthz*', '/version'] },
    { level: 'Metadata', resources: [{ group: '', resources: ['secrets', 'configmaps'], resourceNames: [HOSTILE[2]!] }] },
    { level: 'Request', namespaces: [HOSTILE[3]!], resources: [{ group: 'apps', resources: ['deployments/*', '*/status'] }] },
    { level: 'RequestResponse', resources: [{ group: '*' }], users: [HOSTILE[4]!], omitStages: ['ResponseStarted'] },
    { level: 'Metadata' },
  ],
};

/** The values each rule's condition must compare with (resource patterns as the tests cut them). */
const expectedStrings: string[][] = [
  [HOSTILE[0]!, 'system:kube-proxy', 'watch'],
  [HOSTILE[1]!, 'system:nodes', '/healthz', '/version'],
  ['', 'secrets', 'configmaps', HOSTILE[2]!],
  [HOSTILE[3]!, 'apps', 'deployments/*', 'deployments', '*/status', 'status'],
  [HOSTILE[4]!],
  [],
];

describe('the emitted queries parse in their dialects, with the rules as one CASE', () => {
  for (const dialect of ['trino', 'athena', 'bigquery'] as const) {
    it(`${dialect}: one arm per rule in order, each holding its rule's values exactly`, () => {
      const { arms, otherwise } = PARSED[dialect](compiled(policy, dialect));
      expect(arms.map((arm) => arm.result)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(otherwise).toBe(-1);
      arms.forEach((arm, index) => expect(arm.strings, `rules[${index}]`).toEqual(expect.arrayContaining(expectedStrings[index]!)));
      // The catch-all rule compares with nothing; the hostile values never leave their literals.
      expect(arms[5]!.strings).toEqual([]);
      for (const value of HOSTILE) expect(arms.flatMap((arm) => arm.strings)).toContain(value);
    }, 60000);
  }

  it('a policy without rules logs nothing: the choice is the constant -1', () => {
    const empty: Policy = { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [] };
    for (const dialect of ['trino', 'bigquery'] as const) expect(PARSED[dialect](compiled(empty, dialect))).toEqual({ arms: [], otherwise: -1 });
  }, 60000);

  it('random policies parse in Trino and BigQuery with an arm per rule', () => {
    fc.assert(
      fc.property(policyArbitrary.filter((random) => (random.rules ?? []).length > 0), fc.constantFrom('trino', 'bigquery') as fc.Arbitrary<'trino' | 'bigquery'>, (random, dialect) => {
        const { arms, otherwise } = PARSED[dialect](compiled(random, dialect));
        expect(arms.map((arm) => arm.result)).toEqual(random.rules!.map((_, index) => index));
        expect(otherwise).toBe(-1);
      }),
      { numRuns: 12 },
    );
  }, 240000);

  it('the parsers tell the dialects apart: neither query is the other engine\u2019s SQL', () => {
    expect(() => trinoArms(compiled(policy, 'bigquery'))).toThrow();
    expect(() => bigqueryArms(compiled(policy, 'trino'))).toThrow();
  }, 60000);
});

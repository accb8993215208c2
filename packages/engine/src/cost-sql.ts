// Compiles an audit policy and the cost replay's arithmetic into one SQL query over the lines of
// an audit log, so the replay runs where the log is: DuckDB here (cost-duckdb.ts), Trino or
// Athena over S3, BigQuery. The query reads each line once; everything the JavaScript replay
// keeps per request or per kind of request is a window over the events, and the result is one
// aggregation: a row per breakdown key plus rows for the input's figures.
//
// The policy becomes a CASE over the rule predicates, first match wins, with the checker's own
// tests (evaluate.ts) turned into comparisons against literals decided here: resource and
// subresource wildcards, `pods/*` matching `pods`, resourceNames, URL prefixes, group "*" from
// 1.36. Engine differences live in the dialect table (sql-dialect.ts), nowhere else.
import type { Policy, PolicyRule, Stage } from '@k8s-gen/audit';
import type { Problem } from '@k8s-gen/runtime';
import { effectiveOmitManagedFields, effectiveOmitStages, groupWildcardSupported, LEVEL_ORDER, trimLeftSet, trimRightSet, type EvaluateOptions } from './evaluate.js';
import { DEFAULT_MAX_LINE_BYTES, OVERLONG_HEAD_BYTES } from './cost-input.js';
import { NAMESPACE_OBJECT_PREFIX } from './cost.js';
import { gkeExportLines } from './cost-sql-gke.js';
import { SQL_DIALECTS, type GkeExportDialect, type SqlDialect, type SqlDialectName } from './sql-dialect.js';

/** Characters of an overlong line searched for its audit ID (the replay looks at its first bytes; IDs are ASCII). */
const OVERLONG_HEAD_CHARS = OVERLONG_HEAD_BYTES;

/** Where the query reads the log's lines from. */
export type CostQuerySource =
  /** A table (or view) with one row per log line (an Event or EventList as JSON text), in any engine. */
  | { kind: 'table'; table: string; column?: string }
  /**
   * DuckDB: a JSON-lines file or glob, gzip-compressed or not. `typed`: read with DuckDB's JSON
   * reader, which types each member as it parses (several times faster than parsing line texts)
   * but gives no line text: sizes are rebuilt from the members (see {@link TYPED_EVENT_MEMBERS}),
   * and a line it cannot vouch for is a bad line reading `needs the text reader`.
   */
  | { kind: 'json-lines'; path: string; gzip?: boolean; typed?: boolean }
  /**
   * GKE's audit logs exported to BigQuery by a Cloud Logging sink (a `cloudaudit_googleapis_com_*`
   * table): each row is mapped back to its Event as the JavaScript GKE reader maps the entry
   * (cost-sql-gke.ts), without the labels.
   */
  | { kind: 'gke-export'; table: string }
  /** DuckDB: a Parquet file or glob with one text column holding each event's JSON. */
  | { kind: 'parquet'; path: string; column?: string };

/** Options of {@link compileCostQuery}. */
export interface CostQueryOptions extends EvaluateOptions {
  /** The engine the query is written for. */
  dialect: SqlDialectName;
  /** Where the lines come from; default the table `audit_log` with the column `line`. */
  source?: CostQuerySource;
  /**
   * `report` (default): one row per breakdown key and the input figures. `bad-line-samples`: the
   * first ten bad lines with their line numbers and reasons (DuckDB file sources only).
   */
  output?: 'report' | 'bad-line-samples';
  /**
   * Whether the query estimates what the log lacks (bodies a candidate adds, RequestReceived
   * events the log's policy omitted): default true. False leaves out the windows over kinds of
   * request and counts the events that would have needed them in `needs_estimates`; a runner
   * that finds none has the exact answer at less cost.
   */
  estimates?: boolean;
  /** Lines longer than this many bytes are bad lines, not parsed (default {@link DEFAULT_MAX_LINE_BYTES}, as the replay). */
  maxLineBytes?: number;
  /** How the per-request figures are gathered (default: the dialect's own); see {@link SqlDialect.requestTotals}. Both give the same answer. */
  requestTotals?: 'window' | 'join';
}

/** A compiled query, or why none could be written. */
export type CostQuery = { ok: true; sql: string; dialect: SqlDialectName } | { ok: false; problems: Problem[] };

/** The breakdown dimensions the query groups by, then the rows for the input's figures. */
export const COST_QUERY_DIMENSIONS = ['logLevel', 'stage', 'level', 'rule', 'user', 'resource', 'verb', 'total', '(input)', '(bad)'] as const;

/** The table the emitted query reads when none is named: one row per log line. */
export const DEFAULT_COST_TABLE = 'audit_log';
/** The column of that table (or of a Parquet file) holding each line's JSON when none is named. */
export const DEFAULT_COST_COLUMN = 'line';

// The member keys the replay cuts bodies by (cost.ts finds them the same way).
const REQUEST_KEY = ',"requestObject":';
const RESPONSE_KEY = ',"responseObject":';
const END_KEY = ',"requestReceivedTimestamp":';

/** The JSON paths read from every event, in this order (the fragment list's indexes). */
const PATHS = {
  kind: '$.kind',
  level: '$.level',
  auditID: '$.auditID',
  stage: '$.stage',
  requestURI: '$.requestURI',
  verb: '$.verb',
  stageTimestamp: '$.stageTimestamp',
  user: '$.user',
  username: '$.user.username',
  groups: '$.user.groups',
  objectRef: '$.objectRef',
  resource: '$.objectRef.resource',
  namespace: '$.objectRef.namespace',
  name: '$.objectRef.name',
  apiGroup: '$.objectRef.apiGroup',
  apiVersion: '$.objectRef.apiVersion',
  subresource: '$.objectRef.subresource',
  requestObject: '$.requestObject',
  responseObject: '$.responseObject',
  responseStatus: '$.responseStatus',
  annotations: '$.annotations',
} as const;
type Field = keyof typeof PATHS;
const FIELD_NAMES = Object.keys(PATHS) as Field[];

/**
 * The members of an audit.k8s.io/v1 Event, in the apiserver's order: what the typed reader reads
 * (strings as strings, the rest as JSON text DuckDB writes again; see TYPED_MEMBER_TYPES). An event's size is rebuilt from them (braces, keys, colons, commas,
 * quotes, newline); escaped characters count as themselves, so a `&` the apiserver wrote as
 * `\u0026` counts 1 byte, not 6, except in `requestURI` (0.014% of the sample log), and members
 * outside this list are not counted.
 */
export const TYPED_EVENT_MEMBERS = [
  'kind', 'apiVersion', 'level', 'auditID', 'stage', 'requestURI', 'verb', 'user', 'impersonatedUser', 'sourceIPs', 'userAgent',
  'objectRef', 'responseStatus', 'requestObject', 'responseObject', 'requestReceivedTimestamp', 'stageTimestamp', 'annotations',
] as const;

/**
 * How the typed reader reads each member of {@link TYPED_EVENT_MEMBERS}: as a string (`VARCHAR`)
 * or as JSON text. `user` and `objectRef` stay JSON: a struct would read a member written as
 * `null` as absent, and the replay refuses `"namespace":null` where it takes no namespace.
 */
const TYPED_MEMBER_TYPES: Readonly<Record<(typeof TYPED_EVENT_MEMBERS)[number], 'string' | 'json'>> = {
  kind: 'string', apiVersion: 'string', level: 'string', auditID: 'string', stage: 'string', requestURI: 'string', verb: 'string',
  user: 'json', impersonatedUser: 'json', sourceIPs: 'json', userAgent: 'string', objectRef: 'json',
  responseStatus: 'json', requestObject: 'json', responseObject: 'json', requestReceivedTimestamp: 'string', stageTimestamp: 'string', annotations: 'json',
};

/** The fields of `user` and `objectRef` the replay checks (the typed reader extracts them from the members' JSON). */
const USER_FIELDS = ['username', 'groups'] as const;
const REF_FIELDS = ['resource', 'namespace', 'name', 'apiGroup', 'apiVersion', 'subresource'] as const;

/** The fields read as strings, each decoded once into its own column. */
const STRING_FIELDS = ['auditID', 'stage', 'level', 'verb', 'stageTimestamp', 'requestURI', 'username', 'resource', 'namespace', 'name', 'apiGroup', 'subresource'] as const satisfies readonly Field[];
type StringField = (typeof STRING_FIELDS)[number];

/** The column holding a string field's decoded value. */
function stringColumn(field: StringField): string {
  return `s_${field}`;
}

/** The column of a typed read holding a field's JSON text. */
function typedColumn(field: Field): string {
  return `m_${field}`;
}

/** The problem a typed read gives a line it cannot vouch for; the runner then reads the text. */
export const TYPED_READ_DOUBT = 'needs the text reader';

const STAGE_RANK: Record<Stage, number> = { RequestReceived: 1, ResponseStarted: 2, ResponseComplete: 3, Panic: 4 };

/** Table names: dot-separated parts of letters, digits, `_` and `-` (BigQuery project ids have hyphens). */
const TABLE_PART = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;
const COLUMN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/**
 * Writes the cost replay of `policy` as one SQL query for `dialect`. The query returns rows
 * `(dimension, breakdown_key, log_events, log_bytes, events, bytes, estimated_events,
 * estimated_bytes, dropped_events, dropped_bytes, added_events, added_bytes, unknown_bodies,
 * lines, bytes_read, event_lists, events_read, requests, window_start, window_end)`: one per key
 * of each breakdown (`logLevel`, `stage`, `level`, `rule`, `user`, `resource`, `verb`), one
 * `total`, one `(input)` with the input's figures and one `(bad)` per reason a line was refused.
 * Never throws: a table or column name that is not a plain identifier is a problem.
 *
 * @example
 * const query = compileCostQuery(policy, { dialect: 'trino', source: { kind: 'table', table: 'logs.kube_audit' } });
 * if (query.ok) console.log(query.sql);
 */
export function compileCostQuery(policy: Policy, options: CostQueryOptions): CostQuery {
  const dialect = SQL_DIALECTS[options.dialect];
  const source = options.source ?? { kind: 'table', table: DEFAULT_COST_TABLE };
  const problems: Problem[] = [];
  if (source.kind === 'table' || source.kind === 'gke-export') {
    const parts = source.table.split('.');
    if (!parts.every((part) => TABLE_PART.test(part)) || parts.length > 3) {
      problems.push({ severity: 'error', code: 'invalid-table', path: 'table', message: `The table name ${JSON.stringify(source.table)} is not one to three dot-separated identifiers.`, fix: 'Name the table as [catalog.][schema.]table with letters, digits, _ and -.' });
    }
  }
  if (source.kind === 'gke-export' && dialect.gke === undefined) {
    problems.push({ severity: 'error', code: 'gke-export-needs-bigquery', path: 'source', message: `GKE's audit logs are exported to BigQuery; ${options.dialect} does not read that export.`, fix: 'Write the query for bigquery (or duckdb, over a copy of the export).' });
  } else if (source.kind !== 'table' && source.kind !== 'gke-export' && options.dialect !== 'duckdb') {
    problems.push({ severity: 'error', code: 'file-source-needs-duckdb', path: 'source', message: `A ${source.kind} file can only be read by DuckDB; ${options.dialect} reads tables.`, fix: 'Give the table (or view) that holds the log lines.' });
  }
  const column = source.kind === 'json-lines' || source.kind === 'gke-export' ? undefined : (source.column ?? DEFAULT_COST_COLUMN);
  if (column !== undefined && !COLUMN.test(column)) {
    problems.push({ severity: 'error', code: 'invalid-column', path: 'column', message: `The column name ${JSON.stringify(column)} is not an identifier.`, fix: 'Name the column holding each event\u2019s JSON with letters, digits and _.' });
  }
  if (options.output === 'bad-line-samples' && (options.dialect !== 'duckdb' || source.kind === 'table' || source.kind === 'gke-export' || (source.kind === 'json-lines' && source.typed === true))) {
    problems.push({ severity: 'error', code: 'samples-need-a-file', path: 'output', message: 'Bad-line samples need line numbers, which only a file read by DuckDB has.', fix: 'Ask for the report instead.' });
  }
  let wildcardGroups: boolean;
  try {
    wildcardGroups = groupWildcardSupported(options);
  } catch (error) {
    problems.push({ severity: 'error', code: 'invalid-kubernetes-version', path: 'kubernetesVersion', message: (error as Error).message, fix: 'Give a release such as 1.36.' });
    wildcardGroups = false;
  }
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1) {
    problems.push({ severity: 'error', code: 'invalid-max-line-bytes', path: 'maxLineBytes', message: `maxLineBytes must be a positive whole number, not ${String(maxLineBytes)}.`, fix: 'Give a byte count such as 16777216.' });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, dialect: options.dialect, sql: new QueryWriter(dialect, policy, wildcardGroups, options.estimates ?? true, maxLineBytes, options.requestTotals ?? dialect.requestTotals).write(source, column, options.output ?? 'report') };
}

class QueryWriter {
  private readonly q: (value: string) => string;
  constructor(
    private readonly d: SqlDialect,
    private readonly policy: Policy,
    private readonly wildcardGroups: boolean,
    private readonly estimates: boolean,
    private readonly maxLineBytes: number,
    private readonly requestTotals: 'window' | 'join',
  ) {
    this.q = d.string;
  }

  /** The order the replay reads events in: the lines' own, else (a table has none) their time. */
  private eventOrder = 'line_no, item_index';

  write(source: CostQuerySource, column: string | undefined, output: 'report' | 'bad-line-samples'): string {
    const { d, q } = this;
    // Line numbers name bad lines, and order the events for estimates (the replay learns as it reads).
    const numbered = (source.kind === 'json-lines' || source.kind === 'parquet') && (output === 'bad-line-samples' || this.estimates);
    this.eventOrder = numbered ? 'line_no, item_index' : 'stage_timestamp, audit_id, stage_rank';
    const typed = source.kind === 'json-lines' && source.typed === true;
    // The text path extracts the fragments as one list; the typed read has them as columns.
    const f = (name: Field): string => (typed ? typedColumn(name) : d.fragmentAt('f', FIELD_NAMES.indexOf(name)));
    const isString = (fragment: string): string => d.startsWith(fragment, `'"'`);
    const str = (fragment: string): string => `CASE WHEN ${isString(fragment)} THEN ${d.stringValue(fragment)} END`;
    const s = (name: StringField): string => stringColumn(name);
    const managedFields = this.policyOmitsManagedFields();
    const rules = this.policy.rules ?? [];
    const slots = rules.length + 1;

    const front: Array<[string, string]> = typed ? this.typedFront(source, numbered) : [
      ['source_lines', this.linesFrom(source, column, numbered)],
      // The one place an EventList is parsed whole: only lines that mention the kind are looked at.
      ['sized', `SELECT line, line_no, ${d.bytes('line')} AS text_length FROM source_lines`],
      [
        // A line over the limit is a bad line, named by the audit ID in its first bytes, never parsed.
        'documents',
        `SELECT CASE WHEN text_length > ${this.maxLineBytes} THEN ${this.nullString()} ELSE line END AS line, line_no, text_length + 1 AS line_bytes, ` +
          `CASE WHEN text_length > ${this.maxLineBytes} THEN 'the line is ' || ${this.text('text_length')} || ${q(` bytes, over the limit of ${this.maxLineBytes} (maxLineBytes, --max-line-bytes), and was skipped without being read`)} || ` +
          `coalesce('; auditID ' || ${d.auditIdIn(`substr(line, 1, ${OVERLONG_HEAD_CHARS})`)}, '') END AS line_problem, ` +
          `CASE WHEN text_length <= ${this.maxLineBytes} AND ${d.contains('line', q('"EventList"'))} THEN ${d.parse('line')} END AS list_doc FROM sized`,
      ],
      [
        'classified',
        `SELECT line, line_no, line_bytes, line_problem, list_doc, ` +
          `list_doc IS NOT NULL AND ${d.fragment('list_doc', '$.kind')} = ${q('"EventList"')} AS is_list, ` +
          `${d.firstChar(d.fragment('list_doc', '$.items'))} = '[' AS items_listed FROM documents`,
      ],
      ['texts', d.textsInOnePass?.('classified') ?? this.textsUnion()],
      [
        'laid',
        `SELECT t.*, ${d.contains('text', q(REQUEST_KEY))} AS has_request_key, ${d.contains('text', q(RESPONSE_KEY))} AS has_response_key, ` +
          `${d.contains('text', q(END_KEY))} AS has_end_key FROM texts t`,
      ],
      [
        'spans',
        `SELECT l.*, CASE WHEN has_request_key THEN ${d.bytes(d.before('text', q(REQUEST_KEY)))} ELSE -1 END AS request_at, ` +
          `CASE WHEN has_response_key THEN ${d.bytes(d.before('text', q(RESPONSE_KEY)))} ELSE -1 END AS response_at, ` +
          `CASE WHEN has_end_key THEN text_bytes - 1 - ${d.bytes(d.fromLast('text', q(END_KEY)))} ELSE -1 END AS end_at FROM laid l`,
      ],
      [
        'heads',
        // The apiserver's layout: bodies just before requestReceivedTimestamp. The event without
        // them (its head) is what gets parsed, as the replay's fast path does.
        `SELECT s.*, CASE WHEN (has_request_key OR has_response_key) AND end_at > request_at AND end_at > response_at AND (NOT has_request_key OR NOT has_response_key OR response_at > request_at) ` +
          `THEN CASE WHEN has_request_key THEN ${d.before('text', q(REQUEST_KEY))} ELSE ${d.before('text', q(RESPONSE_KEY))} END || ${d.fromLast('text', q(END_KEY))} END AS head FROM spans s`,
      ],
      ['head_docs', `SELECT h.*, ${d.parse('head')} AS head_doc FROM heads h`],
      ['docs', `SELECT h.*, CASE WHEN head_doc IS NOT NULL THEN head_doc ELSE ${d.parse('text')} END AS doc, head_doc IS NOT NULL AS from_head, ${d.firstChar('ltrim(text)')} AS root FROM head_docs h`],
      ['fields', `SELECT x.*, ${d.fragments('doc', FIELD_NAMES.map((name) => PATHS[name]), 'f').join(', ')} FROM docs x`],
    ];
    const ctes: Array<[string, string]> = [
      ...front,
      // The typed read has its own checks, and its strings decoded already.
      ...(typed ? [] : ([
        ['checked', `SELECT c.*, ${this.problemCase(f, isString, str)} AS problem FROM fields c`],
        // Each string member's value, decoded once (NULL where it is not a string).
        ['strings', `SELECT c.*, ${STRING_FIELDS.map((name) => `${str(f(name))} AS ${stringColumn(name)}`).join(', ')} FROM checked c`],
      ] satisfies Array<[string, string]>)),
      [
        'events',
        [
          'SELECT line_no, item_index, role, problem, line_bytes, text_bytes AS event_bytes,',
          `role <> 'list' AND problem IS NULL AS valid,`,
          `${s('auditID')} AS audit_id, ${s('stage')} AS stage_name, ${s('level')} AS log_level, ${s('verb')} AS verb_name,`,
          `${s('stageTimestamp')} AS stage_timestamp,`,
          `coalesce(${this.pathOf(s('requestURI'))}, '') AS request_path,`,
          `CASE WHEN ${s('username')} <> '' THEN ${s('username')} END AS user_name,`,
          `${f('groups')} AS user_groups,`,
          `${d.startsWith(f('objectRef'), "'{'")} AS has_ref,`,
          `coalesce(${s('resource')}, '') AS ref_resource, ${this.namespaceOf(s)} AS ref_namespace, coalesce(${s('name')}, '') AS ref_name,`,
          `coalesce(${s('apiGroup')}, '') AS ref_group, coalesce(${s('subresource')}, '') AS ref_subresource,`,
          `CASE WHEN from_head THEN CASE WHEN has_request_key THEN CASE WHEN has_response_key THEN response_at ELSE end_at END - request_at ELSE 0 END ` +
            `WHEN ${f('requestObject')} IS NOT NULL THEN ${REQUEST_KEY.length} + ${d.bytes(f('requestObject'))} ELSE 0 END AS request_bytes,`,
          `CASE WHEN from_head THEN CASE WHEN has_response_key THEN end_at - response_at ELSE 0 END ` +
            `WHEN ${f('responseObject')} IS NOT NULL THEN ${RESPONSE_KEY.length} + ${d.bytes(f('responseObject'))} ELSE 0 END AS response_bytes,`,
          `CASE WHEN ${f('responseStatus')} IS NOT NULL THEN ${'responseStatus'.length + 4} + ${d.bytes(f('responseStatus'))} ELSE 0 END AS status_member_bytes,`,
          `CASE WHEN ${f('annotations')} IS NOT NULL THEN ${'annotations'.length + 4} + ${d.bytes(f('annotations'))} ELSE 0 END AS annotations_member_bytes,`,
          managedFields ? `${this.managedFieldsBytes('requestObject', typed)} AS request_managed_bytes, ${this.managedFieldsBytes('responseObject', typed)} AS response_managed_bytes` : '0 AS request_managed_bytes, 0 AS response_managed_bytes',
          'FROM strings',
        ].join('\n  '),
      ],
      [
        'decided',
        [
          'SELECT e.*,',
          `CASE WHEN ref_resource <> '' THEN ${this.resourceKey()} WHEN request_path <> '' THEN request_path ELSE '(no path)' END AS resource_key,`,
          `${this.ruleCase()} AS event_rule,`,
          `CASE stage_name ${(Object.keys(STAGE_RANK) as Stage[]).map((stage) => `WHEN ${q(stage)} THEN ${STAGE_RANK[stage]}`).join(' ')} ELSE 0 END AS stage_rank,`,
          `CASE log_level ${LEVEL_ORDER.map((level, rank) => `WHEN ${q(level)} THEN ${rank}`).join(' ')} ELSE 0 END AS log_rank`,
          'FROM events e',
        ].join('\n  '),
      ],
      ...this.requestsCtes(),
      ['candidates', `SELECT c.*, ${d.mod('first_key', String(slots))} - 1 AS rule_index, ${this.averagesByStage()} FROM requests c`],
      ['leveled', this.leveledSelect()],
      ['costed', this.costedSelect()],
    ];
    if (output === 'bad-line-samples') {
      const body = ctes.slice(0, ctes.findIndex(([name]) => name === 'checked') + 1);
      return `${this.header()}WITH\n${body.map(([name, sql]) => `${name} AS (\n  ${sql}\n)`).join(',\n')}\nSELECT line_no, item_index, problem FROM checked WHERE problem IS NOT NULL ORDER BY line_no, item_index LIMIT 10\n`;
    }
    ctes.push(['tallied', this.talliedSelect()], ['grouped', this.groupedSelect()]);
    // The events the per-request totals are joined back to are read twice: computed once.
    const kept = (name: string): string => (this.requestTotals === 'join' && name === 'decided' ? d.materialized : '');
    return `${this.header()}WITH\n${ctes.map(([name, sql]) => `${name} AS ${kept(name)}(\n  ${sql}\n)`).join(',\n')}\n${this.aggregateSelect()}\n`;
  }

  private header(): string {
    return `-- k8s-gen cost query (${this.d.name}): ${this.policy.rules?.length ?? 0} rules, first match wins; columns described in the k8s-gen guide (Cost at fleet scale).\n`;
  }

  private nullDouble(): string {
    return this.d.double('NULL');
  }

  private nullString(): string {
    return this.d.name === 'bigquery' ? 'CAST(NULL AS STRING)' : 'CAST(NULL AS VARCHAR)';
  }

  private linesFrom(source: CostQuerySource, column: string | undefined, numbered: boolean): string {
    const { d, q } = this;
    let from: string;
    let line: string;
    if (source.kind === 'gke-export') {
      return `SELECT line, 0 AS line_no FROM (\n    ${gkeExportLines(d, d.gke as GkeExportDialect, d.table(source.table.split('.')))}\n  ) AS gke_lines`;
    }
    if (source.kind === 'table') {
      from = d.table(source.table.split('.'));
      line = d.table([column as string]);
    } else if (source.kind === 'parquet') {
      from = `read_parquet(${q(source.path)})`;
      line = `CAST(${d.table([column as string])} AS VARCHAR)`;
    } else {
      // One VARCHAR column per line: NUL never occurs in JSON text, quoting and escapes are off.
      // DuckDB's own limit is set well above ours, so lines over ours are read and counted as bad.
      const maxLine = Math.max(64 << 20, 2 * this.maxLineBytes);
      from =
        `read_csv(${q(source.path)}, columns = {'line': 'VARCHAR'}, header = false, delim = '\\0', quote = '', escape = '', auto_detect = false, ` +
        `strict_mode = false, null_padding = true, compression = ${q(source.gzip ? 'gzip' : 'none')}, max_line_size = ${maxLine}, buffer_size = ${maxLine + (1 << 20)})`;
      line = 'line';
    }
    if (numbered) {
      return `SELECT line, row_number() OVER (ORDER BY ordinality) AS line_no FROM (SELECT ${line} AS line, ordinality FROM ${from} WITH ORDINALITY) AS numbered WHERE line IS NOT NULL AND line <> ''`;
    }
    return `SELECT line, 0 AS line_no FROM (SELECT ${line} AS line FROM ${from}) AS raw_lines WHERE line IS NOT NULL AND line <> ''`;
  }

  /** Event lines; EventList lines as rows of their own (counted, not events); their items. */
  private textsUnion(): string {
    const { q } = this;
    return [
      `SELECT line_no, 0 AS item_index, 'line' AS role, line AS text, line_bytes AS text_bytes, line_bytes, line_problem FROM classified WHERE NOT is_list`,
      `SELECT line_no, 0, 'list', ${this.nullString()}, 0, line_bytes, CASE WHEN items_listed THEN ${this.nullString()} ELSE ${q('EventList without an items array')} END FROM classified WHERE is_list`,
      this.itemsSelect(),
    ].join('\nUNION ALL\n');
  }

  private itemsSelect(): string {
    const join = this.d.joinItems('classified', 'list_doc');
    const nonEmpty = this.d.name === 'duckdb' ? '' : ` AND ${this.d.firstChar(this.d.fragment('list_doc', '$.items[0]'))} IS NOT NULL`;
    return `SELECT line_no, ${join.index}, 'item', ${join.item}, ${this.d.bytes(join.item)} + 1, 0, ${this.nullString()} FROM ${join.from} WHERE is_list AND items_listed${nonEmpty}`;
  }

  /** The path of a request URI: everything before `?`. */
  private pathOf(uri: string): string {
    return `CASE WHEN ${this.d.contains(uri, "'?'")} THEN ${this.d.before(uri, "'?'")} ELSE ${uri} END`;
  }

  /** `group/resource/subresource` as the replay's resource breakdown names it. */
  private resourceKey(): string {
    const combined = "CASE WHEN ref_subresource = '' THEN ref_resource ELSE ref_resource || '/' || ref_subresource END";
    return `CASE WHEN ref_group = '' THEN ${combined} ELSE ref_group || '/' || ${combined} END`;
  }

  /** The replay's shapeProblem as a CASE, in its order and with its messages. */
  private problemCase(f: (name: Field) => string, isString: (fragment: string) => string, str: (fragment: string) => string): string {
    const { d, q } = this;
    const kindOf = (char: string): string =>
      `CASE ${char} WHEN 'n' THEN 'null' WHEN '[' THEN 'a list' WHEN '{' THEN 'an object' WHEN '"' THEN 'a string' WHEN 't' THEN 'a boolean' WHEN 'f' THEN 'a boolean' ELSE 'a number' END`;
    const kindOfFragment = (fragment: string): string => kindOf(d.firstChar(fragment));
    const short = (value: string): string => d.quote(`CASE WHEN length(${value}) > 40 THEN substr(${value}, 1, 40) || '...' ELSE ${value} END`);
    const arms: string[] = [`WHEN root <> '{' THEN 'the event is ' || ${kindOf('root')} || ', not an object'`];
    for (const key of ['auditID', 'stage', 'verb', 'level'] as const) {
      arms.push(`WHEN ${f(key)} IS NULL THEN ${q(`${key} is missing`)}`, `WHEN NOT ${isString(f(key))} THEN ${q(`${key} is `)} || ${kindOfFragment(f(key))} || ', not a string'`);
    }
    arms.push(
      `WHEN ${f('kind')} IS NOT NULL AND NOT ${isString(f('kind'))} THEN 'kind is ' || ${kindOfFragment(f('kind'))} || ', not a string'`,
      `WHEN ${f('kind')} IS NOT NULL AND ${d.stringValue(f('kind'))} <> 'Event' THEN 'kind is ' || ${short(d.stringValue(f('kind')))} || ', not Event'`,
      `WHEN ${d.stringValue(f('stage'))} NOT IN (${(Object.keys(STAGE_RANK) as Stage[]).map(q).join(', ')}) THEN 'unknown stage ' || ${short(d.stringValue(f('stage')))} || ${q(` (one of ${Object.keys(STAGE_RANK).join(', ')})`)}`,
      `WHEN ${d.stringValue(f('level'))} NOT IN (${LEVEL_ORDER.map(q).join(', ')}) THEN 'unknown level ' || ${short(d.stringValue(f('level')))} || ${q(` (one of ${LEVEL_ORDER.join(', ')})`)}`,
    );
    for (const key of ['requestURI', 'stageTimestamp'] as const) {
      arms.push(`WHEN ${f(key)} IS NOT NULL AND NOT ${isString(f(key))} THEN ${q(`${key} is `)} || ${kindOfFragment(f(key))} || ', not a string'`);
    }
    const firstBad = d.firstNonString(f('groups'));
    arms.push(
      `WHEN ${f('user')} IS NOT NULL AND ${d.firstChar(f('user'))} <> '{' THEN 'user is ' || ${kindOfFragment(f('user'))} || ', not an object'`,
      `WHEN ${f('username')} IS NOT NULL AND NOT ${isString(f('username'))} THEN 'user.username is ' || ${kindOfFragment(f('username'))} || ', not a string'`,
      `WHEN ${f('groups')} IS NOT NULL AND ${d.firstChar(f('groups'))} <> '[' THEN 'user.groups is ' || ${kindOfFragment(f('groups'))} || ', not a list of strings'`,
      `WHEN ${f('groups')} IS NOT NULL AND ${firstBad} IS NOT NULL THEN 'user.groups[' || ${this.text(firstBad)} || '] is ' || ${kindOfFragment(d.elementAt(f('groups'), firstBad))} || ', not a string'`,
      `WHEN ${f('objectRef')} IS NOT NULL AND ${d.firstChar(f('objectRef'))} <> '{' THEN 'objectRef is ' || ${kindOfFragment(f('objectRef'))} || ', not an object'`,
    );
    for (const key of REF_FIELDS) {
      arms.push(`WHEN ${f(key)} IS NOT NULL AND NOT ${isString(f(key))} THEN ${q(`objectRef.${key} is `)} || ${kindOfFragment(f(key))} || ', not a string'`);
    }
    void str;
    const shape = `CASE ${arms.join(' ')} END`;
    // Most events are fine: one cheap test on the fragments' texts lets them skip every arm.
    const quotedIn = (fragment: string, values: readonly string[]): string => `${fragment} IN (${values.map((value) => q(JSON.stringify(value))).join(', ')})`;
    const absentOr = (fragment: string, test: string): string => `(${fragment} IS NULL OR ${test})`;
    const fine = [
      "role <> 'list'",
      'line_problem IS NULL',
      'doc IS NOT NULL',
      "root = '{'",
      isString(f('auditID')),
      quotedIn(f('stage'), Object.keys(STAGE_RANK)),
      isString(f('verb')),
      quotedIn(f('level'), LEVEL_ORDER),
      absentOr(f('kind'), `${f('kind')} = ${q('"Event"')}`),
      absentOr(f('requestURI'), isString(f('requestURI'))),
      absentOr(f('stageTimestamp'), isString(f('stageTimestamp'))),
      absentOr(
        f('user'),
        `${d.startsWith(f('user'), "'{'")} AND ${absentOr(f('username'), isString(f('username')))} AND ${absentOr(f('groups'), `${d.startsWith(f('groups'), "'['")} AND ${d.allStrings(f('groups'))}`)}`,
      ),
      absentOr(
        f('objectRef'),
        [d.startsWith(f('objectRef'), "'{'"), ...REF_FIELDS.map((key) => absentOr(f(key), isString(f(key))))].join(' AND '),
      ),
    ].join(' AND ');
    return (
      `CASE WHEN ${fine} THEN ${this.nullString()} ` +
      `WHEN line_problem IS NOT NULL THEN line_problem WHEN role = 'list' THEN ${this.nullString()} ` +
      `WHEN doc IS NULL THEN 'not JSON (cut short or corrupted)' ` +
      `WHEN role = 'line' AND root <> '{' AND root <> '[' THEN 'not a JSON object' ` +
      `WHEN role = 'item' THEN 'EventList item: ' || ${shape} ELSE ${shape} END`
    );
  }

  private text(value: string): string {
    return this.d.name === 'bigquery' ? `CAST(${value} AS STRING)` : `CAST(${value} AS VARCHAR)`;
  }

  /** Bytes of `managedFields` in a body and in its list items, read from the whole event. */
  private managedFieldsBytes(body: 'requestObject' | 'responseObject', typed: boolean): string {
    const { d } = this;
    // The text reader parses the whole event; the typed one has each body as a column already.
    const [whole, at] = typed ? [`"${body}"`, '$'] : [d.parse('text'), `$.${body}`];
    const own = d.fragment(whole, `${at}.metadata.managedFields`);
    return (
      `CASE WHEN ${body === 'requestObject' ? 'has_request_key' : 'has_response_key'} THEN ` +
      `coalesce(${'managedFields'.length + 4} + ${d.bytes(own)}, 0) + coalesce(${d.itemsManagedFieldsBytes(whole, `${at}.items`)}, 0) ELSE 0 END`
    );
  }

  /**
   * The typed read (DuckDB only): the rows the text path has in `strings` (its checks and decoding
   * done), straight from DuckDB's JSON reader: strings read as strings, the rest as JSON text,
   * the fields of `user` and `objectRef` extracted from theirs. The reader refuses what is not
   * one JSON object per line (the runner then reads the text). A string column also takes a
   * number or a list as its text, and the reader cannot tell a member written as null from a
   * missing one, so a line is doubted (a bad line reading {@link TYPED_READ_DOUBT}) wherever the
   * text reader could have judged it otherwise: any value that does not read as the replay wants
   * it (a string column holding what could be a number, a boolean, a list or an object, NaN or
   * Infinity anywhere the replay parses, an unknown stage or level, a kind not Event, a field of
   * user or objectRef that is not a string), kind, requestURI, stageTimestamp or user absent (the
   * apiserver always writes them), objectRef absent on a resource path (it writes one for every
   * resource request), or a size near the line limit. A typed read is thus used only for a log
   * with no bad line, where it gives the text reader's counts.
   */
  private typedFront(source: Extract<CostQuerySource, { kind: 'json-lines' }>, numbered: boolean): Array<[string, string]> {
    const { q } = this;
    const member = (name: string): string => `"${name}"`;
    const columns = TYPED_EVENT_MEMBERS.map((name) => `${member(name)}: ${q(TYPED_MEMBER_TYPES[name] === 'string' ? 'VARCHAR' : 'JSON')}`).join(', ');
    const reader =
      `read_json(${q(source.path)}, format = 'newline_delimited', records = true, ignore_errors = false, compression = ${q(source.gzip ? 'gzip' : 'uncompressed')}, ` +
      `maximum_object_size = ${this.maxLineBytes}, columns = {${columns}})`;
    // A member's bytes as `"key":value,` (the comma closes it); a string's value adds its quotes,
    // and in requestURI (watch and list URIs are full of `&`) the six-byte \u0026-style escapes
    // Go writes for & < >.
    const escapes = (value: string): string =>
      `CASE WHEN contains(${value}, '&') OR contains(${value}, '<') OR contains(${value}, '>') THEN 5 * (strlen(${value}) - strlen(replace(replace(replace(${value}, '&', ''), '<', ''), '>', ''))) ELSE 0 END`;
    const valueSize = (value: string, type: 'string' | 'json', escaped: boolean): string => (type === 'json' ? `strlen(${value})` : `strlen(${value}) + 2${escaped ? ` + ${escapes(value)}` : ''}`);
    const memberSize = (key: string, value: string, size: string): string => `CASE WHEN ${value} IS NULL THEN 0 ELSE ${key.length + 4} + ${size} END`;
    const sized = TYPED_EVENT_MEMBERS.map((name) => memberSize(name, member(name), valueSize(member(name), TYPED_MEMBER_TYPES[name], name === 'requestURI'))).join(' + ');
    // Members, each `"key":value,`, then the braces and the newline less the last comma.
    const size = `(${sized} + 2)`;
    // Whether a string column's value could be the text of something else: an object or list, a
    // boolean, or a number as DuckDB writes one (JSON's grammar, and the NaN and Infinity its
    // reader accepts where JSON.parse refuses them). One anchored pattern: most values fail it
    // on their first character; a UUID or a timestamp never matches it.
    const unlikeString = (value: string): string => `regexp_matches(${value}, ${q('^(?:[{[]|true$|false$|-?(?:[0-9]+(?:[.][0-9]+)?(?:[eE][+-]?[0-9]+)?|NaN|Infinity)$)')})`;
    // A member read as JSON that holds NaN or Infinity, which the replay's JSON.parse refuses.
    const lenient = (value: string): string => `(contains(${value}, 'NaN') OR contains(${value}, 'Infinity'))`;
    const aString = (value: string): string => `(${value} IS NOT NULL AND NOT ${unlikeString(value)})`;
    // The fields of user and objectRef: JSON fragments (NULL when absent, `null` when written so)
    // to test, and their string values, from one parse each of the small objects.
    const userPart = (key: (typeof USER_FIELDS)[number]): string => `user_parts[${USER_FIELDS.indexOf(key) + 1}]`;
    const refPart = (key: (typeof REF_FIELDS)[number]): string => `ref_parts[${REF_FIELDS.indexOf(key) + 1}]`;
    const refValue = (key: (typeof REF_FIELDS)[number]): string => `ref_values[${REF_FIELDS.indexOf(key) + 1}]`;
    const paths = (fields: readonly string[]): string => `[${fields.map((key) => q(`$.${key}`)).join(', ')}]`;
    const parts =
      `json_extract(${member('user')}, ${paths(USER_FIELDS)}) AS user_parts, json_extract_string(${member('user')}, '$.username') AS username_value, ` +
      `json_extract(${member('objectRef')}, ${paths(REF_FIELDS)}) AS ref_parts, json_extract_string(${member('objectRef')}, ${paths(REF_FIELDS)}) AS ref_values`;
    const absentOrStringFragment = (text: string): string => `(${text} IS NULL OR starts_with(${text}, '"'))`;
    // Groups re-encoded by DuckDB have no spaces: an element that is not a string starts right after `[` or `,`.
    const groups = userPart('groups');
    const groupsFine = `(${groups} IS NULL OR starts_with(${groups}, '[') AND NOT regexp_matches(${groups}, '[\\[,][^"\\]]'))`;
    // A resource request's path, as the apiserver's request info splits it: /api/VERSION/RESOURCE... or /apis/GROUP/VERSION/RESOURCE...
    const resourcePath = `regexp_matches(${member('requestURI')}, ${q('^/*(api/+[^/?]*/+[^/?]|apis/+[^/?]*/+[^/?]*/+[^/?])')})`;
    const fine = [
      aString(member('auditID')),
      `${member('stage')} IN (${(Object.keys(STAGE_RANK) as Stage[]).map(q).join(', ')})`,
      `${member('level')} IN (${LEVEL_ORDER.map(q).join(', ')})`,
      aString(member('verb')),
      `${member('kind')} = 'Event'`,
      aString(member('requestURI')),
      aString(member('stageTimestamp')),
      `starts_with(${member('user')}, '{')`,
      absentOrStringFragment(userPart('username')),
      groupsFine,
      `CASE WHEN ${member('objectRef')} IS NULL THEN NOT ${resourcePath} ELSE starts_with(${member('objectRef')}, '{') AND ${REF_FIELDS.map((key) => absentOrStringFragment(refPart(key))).join(' AND ')} END`,
      `event_size <= ${Math.floor(this.maxLineBytes * 0.9)}`,
      // The members the replay parses (it cuts the bodies out first) that are read as JSON.
      ...(['user', 'impersonatedUser', 'sourceIPs', 'objectRef', 'responseStatus', 'annotations'] as const).map((name) => `NOT coalesce(${lenient(member(name))}, FALSE)`),
    ].join(' AND ');
    const line = numbered ? 'row_number() OVER (ORDER BY ordinality)' : '0';
    const strings: Record<StringField, string> = {
      auditID: member('auditID'), stage: member('stage'), level: member('level'), verb: member('verb'), stageTimestamp: member('stageTimestamp'), requestURI: member('requestURI'),
      username: 'username_value', resource: refValue('resource'), namespace: refValue('namespace'), name: refValue('name'), apiGroup: refValue('apiGroup'), subresource: refValue('subresource'),
    };
    return [
      ['typed_rows', `SELECT *${numbered ? '' : ', 0 AS ordinality'} FROM ${reader}${numbered ? ' WITH ORDINALITY' : ''}`],
      ['typed_sized', `SELECT t.*, ${size} AS event_size, ${parts} FROM typed_rows t`],
      [
        'strings',
        `SELECT ${line} AS line_no, 0 AS item_index, 'line' AS role, event_size AS line_bytes, event_size AS text_bytes, ` +
          `CASE WHEN ${fine} THEN ${this.nullString()} ELSE ${q(TYPED_READ_DOUBT)} END AS problem, FALSE AS from_head, ` +
          `${member('requestObject')} IS NOT NULL AS has_request_key, ${member('responseObject')} IS NOT NULL AS has_response_key, -1 AS request_at, -1 AS response_at, -1 AS end_at, ` +
          `${member('requestObject')}, ${member('responseObject')}, ${STRING_FIELDS.map((name) => `${strings[name]} AS ${stringColumn(name)}`).join(', ')}, ` +
          `${groups} AS ${typedColumn('groups')}, ` +
          (['objectRef', 'requestObject', 'responseObject', 'responseStatus', 'annotations'] as const).map((name) => `${member(name)} AS ${typedColumn(name)}`).join(', ') +
          ' FROM typed_sized',
      ],
    ];
  }

  private policyOmitsManagedFields(): boolean {
    return (this.policy.rules ?? []).some((rule) => effectiveOmitManagedFields(this.policy, rule));
  }

  /** The request's namespace: the objectRef's, or a Namespace object's own name from its URI (as attributesFromEvent). */
  private namespaceOf(s: (field: StringField) => string): string {
    const { d, q } = this;
    const logged = `coalesce(${s('namespace')}, '')`;
    const path = this.pathOf(s('requestURI'));
    const rest = `substr(${path}, ${NAMESPACE_OBJECT_PREFIX.length + 1})`;
    return (
      `CASE WHEN coalesce(${s('resource')}, '') = 'namespaces' AND coalesce(${s('apiGroup')}, '') = '' AND ${logged} = '' AND ${s('requestURI')} IS NOT NULL AND ${d.startsWith(path, q(NAMESPACE_OBJECT_PREFIX))} ` +
      `THEN CASE WHEN ${d.contains(rest, "'/'")} THEN ${d.before(rest, "'/'")} ELSE ${rest} END ELSE ${logged} END`
    );
  }

  /** The first matching rule's index, -1 when none matches. */
  private ruleCase(): string {
    const rules = this.policy.rules ?? [];
    if (rules.length === 0) return '-1';
    return `CASE\n    ${rules.map((rule, index) => `WHEN ${this.rulePredicate(rule)} THEN ${index}`).join('\n    ')}\n    ELSE -1 END`;
  }

  /** The checker's ruleMatches as a predicate over the event's columns (see evaluate.ts). */
  private rulePredicate(rule: PolicyRule): string {
    const { d, q } = this;
    const list = (values: readonly string[]): string => values.map(q).join(', ');
    const has = (values: readonly unknown[] | undefined): values is readonly string[] => values !== undefined && values.length > 0;
    const terms: string[] = [];
    if (has(rule.users)) terms.push(`(user_name IS NOT NULL AND user_name IN (${list(rule.users)}))`);
    if (has(rule.userGroups)) terms.push(`(user_name IS NOT NULL AND user_groups IS NOT NULL AND ${d.arrayHasAny('user_groups', rule.userGroups.map(q))})`);
    if (has(rule.verbs)) terms.push(`verb_name IN (${list(rule.verbs)})`);
    if (has(rule.namespaces) || has(rule.resources)) {
      terms.push("ref_resource <> ''");
      if (has(rule.namespaces)) terms.push(`ref_namespace IN (${list(rule.namespaces)})`);
      if (has(rule.resources)) {
        const entries = rule.resources.map((entry) => {
          const group = entry.group ?? '';
          const groupTest = this.wildcardGroups && group === '*' ? 'TRUE' : `ref_group = ${q(group)}`;
          if (!has(entry.resources)) return groupTest;
          const names = has(entry.resourceNames) ? ` AND ref_name IN (${list(entry.resourceNames)})` : '';
          return `(${groupTest}${names} AND (${entry.resources.map((pattern) => this.resourcePattern(pattern)).join(' OR ')}))`;
        });
        terms.push(`(${entries.join(' OR ')})`);
      }
    } else if (has(rule.nonResourceURLs)) {
      terms.push("ref_resource = ''", `(${rule.nonResourceURLs.map((pattern) => this.pathPattern(pattern)).join(' OR ')})`);
    }
    return terms.length === 0 ? 'TRUE' : terms.join(' AND ');
  }

  /** resourcePatternMatches with the pattern's string tests done here, leaving comparisons. */
  private resourcePattern(pattern: string): string {
    const { q } = this;
    if (pattern === '*') return 'TRUE';
    const tests = [`(CASE WHEN ref_subresource = '' THEN ref_resource ELSE ref_resource || '/' || ref_subresource END) = ${q(pattern)}`];
    if (pattern.startsWith('*/')) tests.push(`(ref_subresource <> '' AND ref_subresource = ${q(trimLeftSet(pattern, '*/'))})`);
    if (pattern.endsWith('/*')) tests.push(`ref_resource = ${q(trimRightSet(pattern, '/*'))}`);
    return tests.length === 1 ? tests[0]! : `(${tests.join(' OR ')})`;
  }

  /** pathPatternMatches: `*`, exact, or a prefix ending in `*`. */
  private pathPattern(pattern: string): string {
    const { d, q } = this;
    if (pattern === '*') return 'TRUE';
    const exact = `request_path = ${q(pattern)}`;
    return pattern.endsWith('*') ? `(${exact} OR ${d.startsWith('request_path', q(trimRightSet(pattern, '*')))})` : exact;
  }

  /**
   * What the replay remembers per request and per kind of request, as windows (so the log is read
   * once in every engine; per request, DuckDB joins a GROUP BY instead, see
   * {@link SqlDialect.requestTotals}): the request is decided by its earliest
   * stage's event (its attributes as the checker saw them: later stages may carry a name the
   * apiserver filled in from the created object); whether it and its kind (resource and verb)
   * showed RequestReceived; body sizes of similar events (same stage, resource and verb, else same
   * stage and verb) for bodies a candidate adds that the log lacks.
   */
  private requestsCtes(): Array<[string, string]> {
    const slots = (this.policy.rules ?? []).length + 1;
    const totals = [
      `min(CASE WHEN valid THEN stage_rank * ${slots} + event_rule + 1 END)`,
      "max(CASE WHEN valid AND stage_name = 'RequestReceived' THEN 1 ELSE 0 END)",
      'sum(CASE WHEN valid THEN 1 ELSE 0 END)',
    ];
    const names = ['first_key', 'request_has_received', 'request_events'];
    if (this.requestTotals === 'window') return [['requests', this.requestsSelect(totals.map((total, index) => `${total} OVER (PARTITION BY audit_id) AS ${names[index]},`), 'decided')]];
    // Events without an audit ID are bad lines: the window's partition of them decides nothing and counts none.
    return [
      ['per_request', `SELECT audit_id, ${totals.map((total, index) => `${total} AS ${names[index]}`).join(', ')} FROM decided WHERE audit_id IS NOT NULL GROUP BY audit_id`],
      [
        'with_totals',
        `SELECT e.*, r.first_key, coalesce(r.request_has_received, 0) AS request_has_received, coalesce(r.request_events, 0) AS request_events FROM decided e LEFT JOIN per_request r ON e.audit_id = r.audit_id`,
      ],
      ['requests', this.requestsSelect(['first_key, request_has_received, request_events,'], 'with_totals')],
    ];
  }

  /** The events with their request's figures (`requestTotals`: select-list items) and, with estimates, their kind's. */
  private requestsSelect(requestTotals: readonly string[], from: string): string {
    const { q } = this;
    const stages = Object.keys(STAGE_RANK) as Stage[];
    const responseStages = stages.filter((stage) => stage !== 'RequestReceived');
    // What the replay has seen so far, this event included (it learns a body before costing it).
    const soFar = `ORDER BY ${this.eventOrder} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW`;
    const byKind = `OVER (PARTITION BY resource_key, verb_name ${soFar})`;
    const byVerb = `OVER (PARTITION BY verb_name ${soFar})`;
    const average = (body: 'request' | 'response', stage: Stage, over: string, name: string): string =>
      `avg(CASE WHEN valid AND stage_name = ${q(stage)} AND ${body}_bytes > 0 THEN ${body}_bytes END) ${over} AS ${name}_${STAGE_RANK[stage]}`;
    const kept = [
      'line_no', 'item_index', 'stage_rank', 'valid', 'role', 'problem', 'line_bytes', 'event_bytes', 'audit_id', 'stage_name', 'log_level', 'log_rank', 'verb_name', 'stage_timestamp', 'user_name',
      'resource_key', 'has_ref', 'request_bytes', 'response_bytes', 'status_member_bytes', 'annotations_member_bytes', 'request_managed_bytes', 'response_managed_bytes', 'event_rule',
    ];
    if (!this.estimates) {
      const none = (name: string, list: readonly Stage[]): string[] => list.map((stage) => `${this.nullDouble()} AS ${name}_${STAGE_RANK[stage]},`);
      return [
        `SELECT ${kept.join(', ')},`,
        ...requestTotals,
        '1 AS kind_has_received,',
        ...none('request_average', stages),
        ...none('response_average', responseStages),
        ...none('request_verb_average', stages),
        ...none('response_verb_average', responseStages),
        '0 AS window_end_marker',
        `FROM ${from}`,
      ].join('\n  ');
    }
    return [
      `SELECT ${kept.join(', ')},`,
      ...requestTotals,
      `max(CASE WHEN valid AND stage_name = 'RequestReceived' THEN 1 ELSE 0 END) ${byKind} AS kind_has_received,`,
      ...stages.map((stage) => `${average('request', stage, byKind, 'request_average')},`),
      ...responseStages.map((stage) => `${average('response', stage, byKind, 'response_average')},`),
      ...stages.map((stage) => `${average('request', stage, byVerb, 'request_verb_average')},`),
      ...responseStages.map((stage) => `${average('response', stage, byVerb, 'response_verb_average')},`),
      '0 AS window_end_marker',
      `FROM ${from}`,
    ].join('\n  ');
  }

  /** The averages of the event's own stage, and of RequestReceived for the ones a log omitted. */
  private averagesByStage(): string {
    const { q } = this;
    const stages = Object.keys(STAGE_RANK) as Stage[];
    const pick = (name: string, list: readonly Stage[]): string => `CASE stage_name ${list.map((stage) => `WHEN ${q(stage)} THEN ${name}_${STAGE_RANK[stage]}`).join(' ')} END`;
    const responseStages = stages.filter((stage) => stage !== 'RequestReceived');
    return [
      `${pick('request_average', stages)} AS request_average`,
      `${pick('response_average', responseStages)} AS response_average`,
      `${pick('request_verb_average', stages)} AS request_verb_average`,
      `${pick('response_verb_average', responseStages)} AS response_verb_average`,
      // A request of a kind that never showed RequestReceived has no same-kind average to learn from.
      `request_verb_average_${STAGE_RANK.RequestReceived} AS received_request_verb_average`,
    ].join(', ');
  }

  /** The candidate's level, its rank, the stages it omits and omitManagedFields, per rule. */
  private leveledSelect(): string {
    const { q } = this;
    const rules = this.policy.rules ?? [];
    const byRule = (value: (rule: PolicyRule) => string, none: string): string =>
      rules.length === 0 ? none : `CASE rule_index ${rules.map((rule, index) => `WHEN ${index} THEN ${value(rule)}`).join(' ')} ELSE ${none} END`;
    const omitted = (rule: PolicyRule): Stage[] => effectiveOmitStages(this.policy, rule);
    return [
      'SELECT c.*,',
      `${byRule((rule) => q(rule.level), "'None'")} AS candidate_level,`,
      `${byRule((rule) => String(Math.max(0, LEVEL_ORDER.indexOf(rule.level))), '0')} AS candidate_rank,`,
      `${byRule((rule) => (omitted(rule).length === 0 ? 'FALSE' : `stage_name IN (${omitted(rule).map(q).join(', ')})`), 'FALSE')} AS stage_omitted,`,
      `${byRule((rule) => (omitted(rule).includes('RequestReceived') ? 'TRUE' : 'FALSE'), 'FALSE')} AS received_omitted,`,
      `${byRule((rule) => (effectiveOmitManagedFields(this.policy, rule) ? 'TRUE' : 'FALSE'), 'FALSE')} AS omit_managed,`,
      `CASE WHEN rule_index < 0 THEN '(no rule: None)' ELSE 'rules[' || ${this.text('rule_index')} || ']' END AS rule_label,`,
      "CASE WHEN user_name IS NULL THEN '(unauthenticated)' ELSE user_name END AS user_key",
      'FROM candidates c',
    ].join('\n  ');
  }

  /** Each event's size at the candidate's level (costAtCandidateLevel), and the RequestReceived events a log omitted. */
  private costedSelect(): string {
    const common = [
      'event_bytes + length(candidate_level) - length(log_level)',
      '- CASE WHEN candidate_rank < 3 THEN response_bytes ELSE 0 END',
      '- CASE WHEN candidate_rank < 2 THEN request_bytes ELSE 0 END',
      '- CASE WHEN candidate_rank <= log_rank AND omit_managed AND candidate_rank >= 2 THEN request_managed_bytes + CASE WHEN candidate_rank >= 3 THEN response_managed_bytes ELSE 0 END ELSE 0 END',
    ].join(' ');
    const addsRequest = 'candidate_rank > log_rank AND has_ref AND candidate_rank >= 2 AND log_rank < 2';
    const addsResponse = "candidate_rank > log_rank AND has_ref AND candidate_rank >= 3 AND log_rank < 3 AND stage_name <> 'RequestReceived'";
    const requestGuess = 'coalesce(request_average, request_verb_average)';
    const responseGuess = 'coalesce(response_average, response_verb_average)';
    const receivedGuess = 'received_request_verb_average';
    return [
      'SELECT l.*,',
      `valid AND candidate_level <> 'None' AND NOT stage_omitted AS emitted,`,
      'valid AND candidate_rank > log_rank AND has_ref AS estimated,',
      `${common} + CASE WHEN ${addsRequest} THEN coalesce(${requestGuess}, 0) ELSE 0 END + CASE WHEN ${addsResponse} THEN coalesce(${responseGuess}, 0) ELSE 0 END AS candidate_bytes,`,
      `CASE WHEN ${addsRequest} AND ${requestGuess} IS NULL THEN 1 ELSE 0 END + CASE WHEN ${addsResponse} AND ${responseGuess} IS NULL THEN 1 ELSE 0 END AS unknown_bodies,`,
      `valid AND stage_name IN ('ResponseComplete', 'Panic') AND request_has_received = 0 AND kind_has_received = 0 AND candidate_level <> 'None' AND NOT received_omitted AS inferred,`,
      // RequestReceived carries no response body, no responseStatus and no annotations yet.
      `greatest(0, ${common} + CASE WHEN ${addsRequest} THEN coalesce(${receivedGuess}, 0) ELSE 0 END - CASE WHEN candidate_rank >= 3 THEN response_bytes ELSE 0 END - status_member_bytes - annotations_member_bytes) AS inferred_bytes,`,
      `CASE WHEN ${addsRequest} AND ${receivedGuess} IS NULL THEN 1 ELSE 0 END AS inferred_unknown_bodies,`,
      // What a query without estimates leaves out: bodies to add, RequestReceived events to infer.
      `CASE WHEN valid AND candidate_level <> 'None' AND ((NOT stage_omitted AND candidate_rank > log_rank AND has_ref) OR ` +
        `(stage_name IN ('ResponseComplete', 'Panic') AND request_has_received = 0 AND NOT received_omitted)) THEN 1 ELSE 0 END AS needs_estimates`,
      'FROM leveled l',
    ].join('\n  ');
  }

  /** One row per logged event, one more per inferred RequestReceived: the replay's Tally.add inputs. */
  private talliedSelect(): string {
    const { d } = this;
    const logged = "row_kind = 'logged'";
    return [
      'SELECT c.*, row_kind,',
      `CASE WHEN ${logged} THEN event_bytes ELSE 0 END AS row_log_bytes,`,
      `CASE WHEN ${logged} THEN CASE WHEN emitted THEN candidate_bytes ELSE 0 END ELSE inferred_bytes END AS row_bytes,`,
      `CASE WHEN ${logged} THEN CASE WHEN emitted THEN 1 ELSE 0 END ELSE 1 END AS row_emitted,`,
      `CASE WHEN ${logged} THEN CASE WHEN emitted AND estimated THEN 1 ELSE 0 END ELSE 1 END AS row_estimated,`,
      `CASE WHEN ${logged} THEN CASE WHEN emitted THEN unknown_bodies ELSE 0 END ELSE inferred_unknown_bodies END AS row_unknown,`,
      `CASE WHEN ${logged} THEN needs_estimates ELSE 0 END AS row_needs,`,
      `CASE WHEN ${logged} AND valid THEN ${d.double('1')} / request_events ELSE 0 END AS row_request_share`,
      `FROM costed c ${d.joinNames(['logged', 'inferred'], 'row_kind')}`,
      `WHERE ${logged} OR inferred`,
    ].join('\n  ');
  }

  /** The tallies summed per combination of keys, which are far fewer than events. */
  private groupedSelect(): string {
    const keys = ['valid', 'row_kind', 'role', 'problem', 'log_level', 'stage_name', 'candidate_level', 'rule_label', 'user_key', 'resource_key', 'verb_name'];
    const emittedBytes = 'CASE WHEN row_emitted = 1 THEN row_bytes ELSE 0 END';
    return [
      `SELECT ${keys.join(', ')},`,
      'sum(CASE WHEN row_log_bytes > 0 THEN 1 ELSE 0 END) AS log_events, sum(row_log_bytes) AS log_bytes,',
      `sum(row_emitted) AS events, sum(${emittedBytes}) AS bytes,`,
      'sum(row_estimated) AS estimated_events, sum(CASE WHEN row_estimated = 1 THEN row_bytes ELSE 0 END) AS estimated_bytes,',
      'sum(CASE WHEN row_emitted = 0 AND row_log_bytes > 0 THEN 1 ELSE 0 END) AS dropped_events,',
      'sum(CASE WHEN row_emitted = 0 THEN row_log_bytes WHEN row_log_bytes > 0 AND row_bytes < row_log_bytes THEN row_log_bytes - row_bytes ELSE 0 END) AS dropped_bytes,',
      'sum(CASE WHEN row_emitted = 1 AND row_log_bytes = 0 THEN 1 ELSE 0 END) AS added_events,',
      'sum(CASE WHEN row_emitted = 1 AND row_log_bytes = 0 THEN row_bytes WHEN row_emitted = 1 AND row_bytes > row_log_bytes THEN row_bytes - row_log_bytes ELSE 0 END) AS added_bytes,',
      'sum(row_unknown) AS unknown_bodies, sum(row_needs) AS needs_estimates,',
      "sum(CASE WHEN role <> 'item' THEN 1 ELSE 0 END) AS lines, sum(CASE WHEN role <> 'item' THEN line_bytes ELSE 0 END) AS bytes_read,",
      "sum(CASE WHEN role = 'list' AND problem IS NULL THEN 1 ELSE 0 END) AS event_lists, sum(CASE WHEN valid THEN 1 ELSE 0 END) AS events_read,",
      // Each event carries 1/n of its request (n its events), so the sum counts requests.
      'sum(row_request_share) AS request_share, sum(CASE WHEN problem IS NOT NULL THEN 1 ELSE 0 END) AS bad_lines,',
      'min(CASE WHEN valid THEN stage_timestamp END) AS window_start, max(CASE WHEN valid THEN stage_timestamp END) AS window_end',
      'FROM tallied',
      `GROUP BY ${keys.join(', ')}`,
    ].join('\n  ');
  }

  private aggregateSelect(): string {
    const { d } = this;
    const key = [
      'CASE dimension',
      `WHEN 'logLevel' THEN CASE WHEN valid AND row_kind = 'logged' THEN log_level END`,
      `WHEN 'stage' THEN CASE WHEN valid THEN CASE WHEN row_kind = 'logged' THEN stage_name ELSE 'RequestReceived' END END`,
      `WHEN 'level' THEN CASE WHEN valid THEN candidate_level END`,
      `WHEN 'rule' THEN CASE WHEN valid THEN rule_label END`,
      `WHEN 'user' THEN CASE WHEN valid THEN user_key END`,
      `WHEN 'resource' THEN CASE WHEN valid THEN resource_key END`,
      `WHEN 'verb' THEN CASE WHEN valid THEN verb_name END`,
      `WHEN 'total' THEN CASE WHEN valid THEN '' END`,
      `WHEN '(input)' THEN CASE WHEN row_kind = 'logged' THEN '' END`,
      `WHEN '(bad)' THEN CASE WHEN row_kind = 'logged' THEN problem END`,
      'END',
    ].join(' ');
    const sums = ['log_events', 'log_bytes', 'events', 'bytes', 'estimated_events', 'estimated_bytes', 'dropped_events', 'dropped_bytes', 'added_events', 'added_bytes', 'unknown_bodies', 'needs_estimates', 'lines', 'bytes_read', 'event_lists', 'events_read'];
    return [
      `SELECT dimension, breakdown_key, ${sums.map((name) => `${d.double(`sum(${name})`)} AS ${name}`).join(', ')},`,
      `${d.double('round(sum(request_share))')} AS requests, ${d.double('sum(bad_lines)')} AS bad_lines, min(window_start) AS window_start, max(window_end) AS window_end`,
      `FROM (SELECT g.*, dimension, ${key} AS breakdown_key FROM grouped g ${d.joinNames(COST_QUERY_DIMENSIONS, 'dimension')}) AS keyed`,
      'WHERE breakdown_key IS NOT NULL',
      'GROUP BY dimension, breakdown_key',
      'ORDER BY dimension, breakdown_key',
    ].join('\n');
  }
}

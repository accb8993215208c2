/**
 * The SQL engines the cost query is written for, and every way they differ, in one table: how
 * JSON is parsed and read, how strings are searched and cut, how arrays are tested and unnested,
 * literals, identifiers and casts. The compiler (cost-sql.ts) writes one query and asks this table
 * for each engine-specific piece, so a dialect is exactly one row here.
 */

/** The engines `compileCostQuery` writes for. Athena (engine v3) runs Trino's SQL. */
export type SqlDialectName = 'duckdb' | 'trino' | 'athena' | 'bigquery';

/** The dialect names, for option parsing and messages. */
export const SQL_DIALECT_NAMES: readonly SqlDialectName[] = ['duckdb', 'trino', 'athena', 'bigquery'];

/**
 * One engine's SQL. Every function takes SQL expressions (already written) and returns one; none
 * of them is given text that came from a user unless it went through {@link SqlDialect.string}.
 */
export interface SqlDialect {
  name: SqlDialectName;
  /** A string literal holding exactly `value`, whatever characters it has. */
  string(value: string): string;
  /** A table name (`audit_log`, `db.audit_log`, `project.dataset.table`), quoted per part. */
  table(parts: readonly string[]): string;
  /** The parsed document of a JSON text, or NULL when the text is not JSON. */
  parse(text: string): string;
  /**
   * Select-list items that extract the JSON texts at `paths` from a parsed document with one
   * parse, named after `prefix`; {@link SqlDialect.fragmentAt} refers to them afterwards.
   */
  fragments(parsed: string, paths: readonly string[], prefix: string): string[];
  /** The JSON text (a fragment) at index `index` of {@link SqlDialect.fragments}, NULL when absent. */
  fragmentAt(prefix: string, index: number): string;
  /** The JSON text at one path of a parsed document (for the few values read once). */
  fragment(parsed: string, path: string): string;
  /** The value of a fragment known to be a JSON string. */
  stringValue(fragment: string): string;
  /** Whether every element of a JSON array fragment is a string (cheaply, for valid events). */
  allStrings(fragment: string): string;
  /** Whether a fragment that is a JSON array of strings holds one of `values` (string literals). */
  arrayHasAny(fragment: string, values: readonly string[]): string;
  /** The 0-based index of the first element of a JSON array fragment that is not a string, NULL when all are. */
  firstNonString(fragment: string): string;
  /** The JSON text of `value` as a JSON string (for quoting log values in messages). */
  quote(value: string): string;
  /** UTF-8 length of a string. */
  bytes(text: string): string;
  /** Whether `text` contains `key` (a literal). */
  contains(text: string, key: string): string;
  /** The part of `text` before the first `key` (only asked when it contains it). */
  before(text: string, key: string): string;
  /** The part of `text` from the last `key` on, `key` included (only asked when it contains it). */
  fromLast(text: string, key: string): string;
  /** The audit ID (a UUID's characters) in `"auditID":"..."` in `text`, NULL when there is none. */
  auditIdIn(text: string): string;
  /** Whether `text` starts with `prefix` (a literal). */
  startsWith(text: string, prefix: string): string;
  /** The first character of a string. */
  firstChar(text: string): string;
  /** Integer remainder. */
  mod(a: string, b: string): string;
  /** A floating-point cast, for the figures (exact for counts below 2^53). */
  double(value: string): string;
  /**
   * Joins each row of `from` to the elements of the JSON array at `$.items` of its parsed
   * document `parsed`: the FROM clause, and expressions for the element's JSON text and its
   * 1-based index.
   */
  joinItems(from: string, parsed: string): { from: string; item: string; index: string };
  /** A FROM-clause item joining each row to each of `names` (written as literals here) as column `column`. */
  joinNames(names: readonly string[], column: string): string;
  /** The JSON text of element `index` (0-based, an expression) of a JSON array fragment. */
  elementAt(fragment: string, index: string): string;
  /** Sums of the byte lengths of `managedFields` in the items of a JSON array (a fragment), key and comma included. */
  itemsManagedFieldsBytes(parsed: string, arrayPath: string): string;
  /**
   * The event texts of the lines in `from` (columns line_no, line_bytes, line, is_list,
   * items_listed, list_doc) read in one pass: a `line` row per event line, a `list` row per
   * EventList line and an `item` row per item. Undefined: the compiler writes it as a union of
   * three selects over `from` (which engines without array functions the parsers know need).
   */
  textsInOnePass?(from: string): string;
  /**
   * How the query gathers what it needs per request (its deciding rule, whether it showed
   * RequestReceived, its events): `window` over the events partitioned by audit ID, which reads
   * the log once in an engine that inlines common table expressions (Trino, Athena, BigQuery);
   * or `join`, a GROUP BY per audit ID joined back to events the engine keeps materialized, which
   * costs DuckDB a fifth of the window (bench/cost-sql).
   */
  requestTotals: 'window' | 'join';
  /** What goes between `name AS` and a common table expression's body to have the engine compute it once (empty where there is no such keyword). */
  materialized: string;
  /** What reading GKE's BigQuery export needs (cost-sql-gke.ts); undefined for engines that do not hold one. */
  gke?: GkeExportDialect;
}

/** The pieces of SQL the GKE export's mapping needs beyond {@link SqlDialect}. */
export interface GkeExportDialect {
  /** The first capture group of `pattern` (a literal) in `text`, NULL when it does not match (groups here never match empty). */
  regexpGroup(text: string, pattern: string): string;
  /** Whether `pattern` (a literal, anchored where it must be) matches somewhere in `text`. */
  matches(text: string, pattern: string): string;
  /** A timestamp as the apiserver writes one: RFC 3339 in UTC with microseconds. */
  timestampText(timestamp: string): string;
  /** The JSON text of a JSON document given as text, its top-level `@type` member removed (Google's payloads carry one). */
  withoutTypeMember(jsonText: string): string;
}

/** An audit ID after its key, as the replay finds it in an overlong line's first bytes (IDs are UUIDs). */
const AUDIT_ID_PATTERN = '"auditID":"([0-9a-fA-F-]{1,64})"';

/** Standard SQL string literal: quotes doubled; control characters spliced in with chr(). */
function standardString(value: string): string {
  const parts: string[] = [];
  let plain = '';
  for (const char of value) {
    const code = char.codePointAt(0) as number;
    if (code < 0x20 || code === 0x7f) {
      parts.push(`'${plain.replace(/'/g, "''")}'`, `chr(${code})`);
      plain = '';
    } else plain += char;
  }
  parts.push(`'${plain.replace(/'/g, "''")}'`);
  const kept = parts.filter((part) => part !== "''");
  if (kept.length === 0) return "''";
  return kept.length === 1 ? (kept[0] as string) : `(${kept.join(' || ')})`;
}

/** BigQuery string literal: backslash escapes, with every character outside printable ASCII written as \U. */
function bigqueryString(value: string): string {
  let out = "'";
  for (const char of value) {
    const code = char.codePointAt(0) as number;
    if (char === '\\' || char === "'") out += `\\${char}`;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return `${out}'`;
}

/** `"part"` with inner double quotes doubled (DuckDB, Trino). */
function doubleQuoted(parts: readonly string[]): string {
  return parts.map((part) => `"${part.replace(/"/g, '""')}"`).join('.');
}

/** Whether a JSON text DuckDB accepts uses what only its leniency allows: a comma before `]` or `}`, NaN, Infinity (outside strings). */
function duckdbLenient(text: string): string {
  // A comma before a bracket or JSON whitespace, NaN, Infinity: one pattern that starts at commas
  // and two searches for letters JSON text rarely has (a quarter of the time one pattern for all
  // three took, measured on the bench log's events).
  const suspect = `(regexp_matches(${text}, ${standardString(String.raw`,[\]} \t\r\n]`)}) OR contains(${text}, 'NaN') OR contains(${text}, 'Infinity'))`;
  // Strings are skipped whole (a quote starts one), so only what lies between them is tested.
  const outsideStrings = `regexp_matches(${text}, ${standardString(String.raw`^(?:[^"]|"(?:[^"\\]|\\.)*")*?(?:,[ \t\r\n]*[\]}]|NaN|Infinity)`)})`;
  // A CASE, not AND: DuckDB evaluates both sides of an AND in a select list for every row.
  return `CASE WHEN ${suspect} THEN ${outsideStrings} ELSE FALSE END`;
}

const duckdb: SqlDialect = {
  name: 'duckdb',
  requestTotals: 'join',
  materialized: 'MATERIALIZED ',
  string: standardString,
  table: doubleQuoted,
  // DuckDB's JSON reader also takes a trailing comma and NaN or Infinity, which JSON.parse (the
  // replay) refuses: a valid text holding what could be one is searched for it outside strings.
  parse: (text) => `CASE WHEN json_valid(${text}) AND NOT ${duckdbLenient(text)} THEN ${text} END`,
  fragments: (parsed, paths, prefix) => [`json_extract(${parsed}, [${paths.map((path) => standardString(path)).join(', ')}]) AS ${prefix}`],
  fragmentAt: (prefix, index) => `${prefix}[${index + 1}]`,
  fragment: (parsed, path) => `json_extract(${parsed}, ${standardString(path)})::VARCHAR`,
  // One parse of the short fragment costs less than testing for escapes and slicing (bench/cost-sql).
  stringValue: (fragment) => `json_extract_string(${fragment}, '$')`,
  allStrings: (fragment) => `list_has_all(['VARCHAR'], json_type(${fragment}, '$[*]'))`,
  arrayHasAny: (fragment, values) => `list_has_any(json_extract_string(${fragment}, '$[*]'), [${values.join(', ')}])`,
  firstNonString: (fragment) => `list_position(list_transform(json_extract(${fragment}, '$[*]'), x -> left(x::VARCHAR, 1) = '"'), false) - 1`,
  quote: (value) => `to_json(${value})::VARCHAR`,
  bytes: (text) => `strlen(${text})`,
  contains: (text, key) => `contains(${text}, ${key})`,
  before: (text, key) => `split_part(${text}, ${key}, 1)`,
  fromLast: (text, key) => `(${key} || split_part(${text}, ${key}, -1))`,
  startsWith: (text, prefix) => `starts_with(${text}, ${prefix})`,
  auditIdIn: (text) => `nullif(regexp_extract(${text}, ${standardString(AUDIT_ID_PATTERN)}, 1), '')`,
  firstChar: (text) => `left(${text}, 1)`,
  mod: (a, b) => `(${a}) % (${b})`,
  double: (value) => `CAST(${value} AS DOUBLE)`,
  joinItems: (from, parsed) => ({
    from: `${from}, unnest(json_extract(${parsed}, '$.items[*]')) WITH ORDINALITY AS expanded(item, item_index)`,
    item: 'expanded.item::VARCHAR',
    index: 'expanded.item_index',
  }),
  joinNames: (names, column) => `CROSS JOIN unnest([${names.map(standardString).join(', ')}]) AS ${column}_values(${column})`,
  elementAt: (fragment, index) => `json_extract(${fragment}, '$[*]')[(${index}) + 1]::VARCHAR`,
  itemsManagedFieldsBytes: (parsed, arrayPath) =>
    `coalesce(list_sum(list_transform(json_extract(${parsed}, ${standardString(`${arrayPath}[*].metadata.managedFields`)}), x -> strlen(x::VARCHAR) + 17)), 0)`,
  gke: {
    regexpGroup: (text, pattern) => `nullif(regexp_extract(${text}, ${pattern}, 1), '')`,
    matches: (text, pattern) => `regexp_matches(${text}, ${pattern})`,
    timestampText: (timestamp) => `strftime(${timestamp}, '%Y-%m-%dT%H:%M:%S.%fZ')`,
    // A merge patch deletes the members it sets to null; it would replace a document that is not an object.
    withoutTypeMember: (jsonText) => `CASE WHEN json_type(${jsonText}) = 'OBJECT' THEN json_merge_patch(${jsonText}, '{"@type":null}')::VARCHAR ELSE json(${jsonText})::VARCHAR END`,
  },
  // unnest in the select list runs inside the projection; in FROM it became a correlated join.
  textsInOnePass: (from) =>
    `SELECT line_no, item_index - 1 AS item_index, CASE WHEN NOT is_list THEN 'line' WHEN item_index = 1 THEN 'list' ELSE 'item' END AS role, text, ` +
    `CASE WHEN NOT is_list THEN line_bytes WHEN item_index = 1 THEN 0 ELSE strlen(text) + 1 END AS text_bytes, ` +
    `CASE WHEN NOT is_list OR item_index = 1 THEN line_bytes ELSE 0 END AS line_bytes, ` +
    `CASE WHEN NOT is_list THEN line_problem WHEN item_index = 1 AND NOT items_listed THEN 'EventList without an items array' END AS line_problem ` +
    `FROM (SELECT line_no, line_bytes, line_problem, is_list, items_listed, unnest(texts) AS text, generate_subscripts(texts, 1) AS item_index FROM (` +
    `SELECT *, CASE WHEN is_list THEN list_prepend(NULL, CASE WHEN items_listed THEN CAST(json_extract(list_doc, '$.items[*]') AS VARCHAR[]) ELSE CAST([] AS VARCHAR[]) END) ELSE [line] END AS texts FROM ${from}) AS listed) AS expanded`,
};

const trino: SqlDialect = {
  name: 'trino',
  requestTotals: 'window',
  materialized: '',
  string: standardString,
  table: doubleQuoted,
  parse: (text) => `try(json_parse(${text}))`,
  fragments: (parsed, paths, prefix) => paths.map((path, index) => `json_format(json_extract(${parsed}, ${standardString(path)})) AS ${prefix}_${index}`),
  fragmentAt: (prefix, index) => `${prefix}_${index}`,
  fragment: (parsed, path) => `json_format(json_extract(${parsed}, ${standardString(path)}))`,
  stringValue: (fragment) => `json_extract_scalar(${fragment}, '$')`,
  allStrings: (fragment) => `${trinoFirstNonString(fragment)} IS NULL`,
  arrayHasAny: (fragment, values) => `(${values.map((value) => `json_array_contains(${fragment}, ${value})`).join(' OR ')})`,
  firstNonString: (fragment) => trinoFirstNonString(fragment),
  quote: (value) => `json_format(CAST(${value} AS JSON))`,
  bytes: (text) => `length(to_utf8(${text}))`,
  contains: (text, key) => `strpos(${text}, ${key}) > 0`,
  before: (text, key) => `substr(${text}, 1, strpos(${text}, ${key}) - 1)`,
  fromLast: (text, key) => `substr(${text}, strpos(${text}, ${key}, -1))`,
  startsWith: (text, prefix) => `starts_with(${text}, ${prefix})`,
  auditIdIn: (text) => `regexp_extract(${text}, ${standardString(AUDIT_ID_PATTERN)}, 1)`,
  firstChar: (text) => `substr(${text}, 1, 1)`,
  mod: (a, b) => `mod(${a}, ${b})`,
  double: (value) => `CAST(${value} AS DOUBLE)`,
  joinItems: (from, parsed) => ({
    // Only lists with at least one item reach here: sequence(1, 0) would count down.
    from: `${from} CROSS JOIN UNNEST(sequence(1, json_array_length(json_extract(${parsed}, '$.items')))) AS expanded(item_index)`,
    item: `json_format(json_array_get(json_extract(${parsed}, '$.items'), expanded.item_index - 1))`,
    index: 'expanded.item_index',
  }),
  joinNames: (names, column) => `CROSS JOIN UNNEST(ARRAY[${names.map(standardString).join(', ')}]) AS ${column}_values(${column})`,
  elementAt: (fragment, index) => `json_format(json_array_get(${fragment}, ${index}))`,
  // Trino's parsers know lambdas but not scalar subqueries or casts to ARRAY(JSON): index the array.
  itemsManagedFieldsBytes: (parsed, arrayPath) => {
    const items = `json_extract(${parsed}, ${standardString(arrayPath)})`;
    const managed = `json_extract(json_array_get(${items}, i), '$.metadata.managedFields')`;
    return `CASE WHEN json_array_length(${items}) > 0 THEN reduce(transform(sequence(0, json_array_length(${items}) - 1), i -> CASE WHEN ${managed} IS NULL THEN 0 ELSE length(to_utf8(json_format(${managed}))) + 17 END), 0, (s, e) -> s + e, s -> s) ELSE 0 END`;
  },
};

function trinoFirstNonString(fragment: string): string {
  return `CASE WHEN json_array_length(${fragment}) > 0 THEN array_min(filter(sequence(0, json_array_length(${fragment}) - 1), i -> substr(json_format(json_array_get(${fragment}, i)), 1, 1) <> '"')) END`;
}

const bigquery: SqlDialect = {
  name: 'bigquery',
  requestTotals: 'window',
  materialized: '',
  string: bigqueryString,
  table: (parts) => `\`${parts.join('.')}\``,
  parse: (text) => `SAFE.PARSE_JSON(${text}, wide_number_mode => 'round')`,
  fragments: (parsed, paths, prefix) => paths.map((path, index) => `${bigqueryFragment(parsed, path)} AS ${prefix}_${index}`),
  fragmentAt: (prefix, index) => `${prefix}_${index}`,
  fragment: (parsed, path) => bigqueryFragment(parsed, path),
  stringValue: (fragment) => `JSON_VALUE(${fragment}, '$')`,
  allStrings: (fragment) => `${bigqueryFirstNonString(fragment)} IS NULL`,
  arrayHasAny: (fragment, values) => `EXISTS (SELECT 1 FROM UNNEST(JSON_VALUE_ARRAY(${fragment}, '$')) AS g WHERE g IN (${values.join(', ')}))`,
  firstNonString: (fragment) => bigqueryFirstNonString(fragment),
  quote: (value) => `TO_JSON_STRING(${value})`,
  bytes: (text) => `BYTE_LENGTH(${text})`,
  contains: (text, key) => `STRPOS(${text}, ${key}) > 0`,
  before: (text, key) => `SUBSTR(${text}, 1, STRPOS(${text}, ${key}) - 1)`,
  fromLast: (text, key) => `SUBSTR(${text}, INSTR(${text}, ${key}, -1))`,
  startsWith: (text, prefix) => `STARTS_WITH(${text}, ${prefix})`,
  auditIdIn: (text) => `REGEXP_EXTRACT(${text}, ${bigqueryString(AUDIT_ID_PATTERN)})`,
  firstChar: (text) => `SUBSTR(${text}, 1, 1)`,
  mod: (a, b) => `MOD(${a}, ${b})`,
  double: (value) => `CAST(${value} AS FLOAT64)`,
  joinItems: (from, parsed) => ({
    from: `${from} CROSS JOIN UNNEST(JSON_QUERY_ARRAY(${parsed}, '$.items')) AS item_json WITH OFFSET AS item_offset`,
    item: 'TO_JSON_STRING(item_json)',
    index: 'item_offset + 1',
  }),
  joinNames: (names, column) => `CROSS JOIN UNNEST([${names.map(bigqueryString).join(', ')}]) AS ${column}`,
  elementAt: (fragment, index) => `JSON_QUERY_ARRAY(${fragment}, '$')[SAFE_OFFSET(${index})]`,
  itemsManagedFieldsBytes: (parsed, arrayPath) =>
    `COALESCE((SELECT SUM(BYTE_LENGTH(TO_JSON_STRING(JSON_QUERY(it, '$.metadata.managedFields'))) + 17) FROM UNNEST(JSON_QUERY_ARRAY(${parsed}, ${bigqueryString(arrayPath)})) AS it WHERE JSON_QUERY(it, '$.metadata.managedFields') IS NOT NULL), 0)`,
  gke: {
    regexpGroup: (text, pattern) => `REGEXP_EXTRACT(${text}, ${pattern})`,
    matches: (text, pattern) => `REGEXP_CONTAINS(${text}, ${pattern})`,
    timestampText: (timestamp) => `FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%E6SZ', ${timestamp}, 'UTC')`,
    // JSON_REMOVE leaves a document that is not an object as it is.
    withoutTypeMember: (jsonText) => `TO_JSON_STRING(JSON_REMOVE(SAFE.PARSE_JSON(${jsonText}, wide_number_mode => 'round'), '$."@type"'))`,
  },
};

function bigqueryFirstNonString(fragment: string): string {
  return `(SELECT MIN(o) FROM UNNEST(JSON_QUERY_ARRAY(${fragment}, '$')) AS e WITH OFFSET AS o WHERE SUBSTR(e, 1, 1) <> '"')`;
}

/** BigQuery's JSON_QUERY on a JSON value returns JSON; its text, NULL (not "null") when the path is absent. */
function bigqueryFragment(parsed: string, path: string): string {
  const at = `JSON_QUERY(${parsed}, ${bigqueryString(path)})`;
  return `IF(${at} IS NULL, NULL, TO_JSON_STRING(${at}))`;
}

/**
 * The dialect table. Athena's engine v3 is Trino, so it shares Trino's row; it is listed on its
 * own so users name the engine they run.
 */
export const SQL_DIALECTS: Readonly<Record<SqlDialectName, SqlDialect>> = {
  duckdb,
  trino,
  athena: { ...trino, name: 'athena' },
  bigquery,
};

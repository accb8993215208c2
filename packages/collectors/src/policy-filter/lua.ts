/**
 * Prints a compiled policy as a Fluent Bit Lua filter script. The script is Lua 5.1 to 5.4 (Fluent
 * Bit runs LuaJIT, the tests run Debian's `lua5.4`), defines one global function (the filter's
 * `call`) and keeps everything else local.
 *
 * Injection safety: every string that comes from the policy is printed as a Lua string literal in
 * which each byte outside letters, digits and `_./:-@` is a decimal escape (`\\036` for `$`), so no
 * policy value can end the string, start a comment, or form `${...}` (which Fluent Bit would
 * expand if the script were ever inlined as `code`).
 *
 * Fluent Bit facts the script relies on (github.com/fluent/fluent-bit `plugins/filter_lua/lua.c`,
 * `src/flb_lua.c`): the callback gets `(tag, timestamp, record)` and returns `code, timestamp,
 * record`, where -1 drops the record, 0 keeps it untouched and 2 replaces it keeping the
 * timestamp; records arrive as tables whose metatable tells maps from arrays (2.1.10 and later),
 * and with `enable_flb_null` a JSON null arrives as `flb_null` instead of removing the key.
 */
import type { Condition, DecisionProgram } from './ast.js';
import { LUA_REQUEST_FIELDS } from './event-attributes.js';

/** Lua keywords, which cannot name the filter function. */
export const LUA_KEYWORDS: ReadonlySet<string> = new Set([
  'and', 'break', 'do', 'else', 'elseif', 'end', 'false', 'for', 'function', 'goto', 'if', 'in', 'local', 'nil', 'not', 'or', 'repeat', 'return', 'then', 'true', 'until', 'while',
]);

/** The names the filter script defines as locals. */
export const LUA_FILTER_LOCALS: ReadonlySet<string> = new Set(['k8s_gen_text', 'k8s_gen_fields', 'k8s_gen_request', 'k8s_gen_set', 'k8s_gen_any', 'k8s_gen_starts', 'k8s_gen_outcome', 'k8s_gen_rule', 'k8s_gen_strip_one', 'k8s_gen_strip', 'k8s_gen_rank']);

const LITERAL_SAFE = /^[A-Za-z0-9_./:@-]$/;

/**
 * A Lua string literal holding exactly `text` (as UTF-8), with every byte that is not a letter,
 * digit or one of `_./:-@` written as a decimal escape.
 *
 * @example
 * ```ts
 * luaString('a"b'); // '"a\\034b"'
 * ```
 */
export function luaString(text: string): string {
  let out = '"';
  for (const byte of new TextEncoder().encode(text)) {
    const char = String.fromCharCode(byte);
    out += byte < 0x80 && LITERAL_SAFE.test(char) ? char : `\\${String(byte).padStart(3, '0')}`;
  }
  return `${out}"`;
}

/** Sets of strings used by the conditions, shared when equal, numbered in order of use. */
class Sets {
  readonly entries: string[][] = [];
  private readonly index = new Map<string, number>();
  of(values: readonly string[]): number {
    const unique = [...new Set(values)];
    const key = JSON.stringify(unique);
    let at = this.index.get(key);
    if (at === undefined) {
      this.entries.push(unique);
      at = this.entries.length;
      this.index.set(key, at);
    }
    return at;
  }
}

function luaCondition(condition: Condition, sets: Sets): string {
  switch (condition.kind) {
    case 'true':
      return 'true';
    case 'false':
      return 'false';
    case 'and':
      return `(${condition.items.map((c) => luaCondition(c, sets)).join(' and ')})`;
    case 'or':
      return `(${condition.items.map((c) => luaCondition(c, sets)).join(' or ')})`;
    case 'has-user':
      return 'r.has_user';
    case 'user-in':
      return `(k8s_gen_set[${sets.of(condition.values)}][r.user] == true)`;
    case 'group-in':
      return `k8s_gen_any(r.groups, k8s_gen_set[${sets.of(condition.values)}])`;
    case 'verb-in':
      return `(k8s_gen_set[${sets.of(condition.values)}][r.verb] == true)`;
    case 'resource-request':
      return condition.value ? 'r.is_resource' : '(not r.is_resource)';
    case 'namespace-in':
      return `(k8s_gen_set[${sets.of(condition.values)}][r.namespace] == true)`;
    case 'name-in':
      return `(k8s_gen_set[${sets.of(condition.values)}][r.name] == true)`;
    case 'api-group-is':
      return `(r.group == ${luaString(condition.value)})`;
    case 'combined-is':
      return `(r.combined == ${luaString(condition.value)})`;
    case 'resource-is':
      return `(r.resource == ${luaString(condition.value)})`;
    case 'subresource-is':
      return `(r.subresource ~= "" and r.subresource == ${luaString(condition.value)})`;
    case 'path-is':
      return `(r.path == ${luaString(condition.value)})`;
    case 'path-prefix':
      return `k8s_gen_starts(r.path, ${luaString(condition.value)})`;
  }
}

const RANK: Readonly<Record<string, number>> = { Metadata: 1, Request: 2, RequestResponse: 3 };

function outcomeTable(outcome: { level: string; omitStages: readonly string[]; omitManagedFields: boolean }): string {
  const omit = outcome.omitStages.map((stage) => `[${luaString(stage)}] = true`).join(', ');
  return `{ level = ${luaString(outcome.level)}, rank = ${RANK[outcome.level] ?? 0}, omit = { ${omit} }, managed = ${outcome.omitManagedFields} }`;
}

/**
 * The Lua filter script of a compiled policy, defining the global function `call`.
 *
 * @example
 * ```ts
 * luaFilterScript(compileDecisions(policy, true), 'k8s_gen_audit_policy', ['from audit-policy.yaml']);
 * ```
 */
export function luaFilterScript(program: DecisionProgram, call: string, header: readonly string[]): string {
  const sets = new Sets();
  const tests: string[] = [];
  for (const [position, rule] of program.rules.entries()) {
    const condition = luaCondition(rule.condition, sets);
    // A rule that matches everything is the last one any request reaches.
    if (condition === 'true') {
      tests.push(`  return ${position + 1} -- rules[${rule.index}]`);
      break;
    }
    tests.push(`  if ${condition} then return ${position + 1} end -- rules[${rule.index}]`);
  }
  if (!tests.at(-1)?.startsWith('  return')) tests.push('  return 0');
  const lines: string[] = [
    ...header.map((line) => `-- ${line}`),
    '',
    LUA_REQUEST_FIELDS.trimEnd(),
    '',
    'local k8s_gen_set = {}',
    ...sets.entries.map((values, i) => `k8s_gen_set[${i + 1}] = { ${values.map((v) => `[${luaString(v)}] = true`).join(', ')} }`),
    '',
    'local function k8s_gen_any(list, set)',
    '  for _, item in ipairs(list) do',
    '    if type(item) == "string" and set[item] then return true end',
    '  end',
    '  return false',
    'end',
    '',
    'local function k8s_gen_starts(value, prefix)',
    '  return string.sub(value, 1, #prefix) == prefix',
    'end',
    '',
    '-- what each rule decides; [0] is the outcome when no rule matches',
    'local k8s_gen_outcome = {}',
    `k8s_gen_outcome[0] = ${outcomeTable(program.fallback)}`,
    ...program.rules.map((rule, position) => `k8s_gen_outcome[${position + 1}] = ${outcomeTable(rule.outcome)}`),
    '',
    'local function k8s_gen_rule(r)',
    ...tests,
    'end',
    '',
    'local function k8s_gen_strip_one(item)',
    '  if type(item) ~= "table" then return false end',
    '  local metadata = item["metadata"]',
    '  if type(metadata) == "table" and metadata["managedFields"] ~= nil then',
    '    metadata["managedFields"] = nil',
    '    return true',
    '  end',
    '  return false',
    'end',
    '',
    '-- removes metadata.managedFields from a body, its list items and its Table rows',
    'local function k8s_gen_strip(body)',
    '  if type(body) ~= "table" then return false end',
    '  local removed = k8s_gen_strip_one(body)',
    '  local items = body["items"]',
    '  if type(items) == "table" then',
    '    for _, item in ipairs(items) do',
    '      if k8s_gen_strip_one(item) then removed = true end',
    '    end',
    '  end',
    '  local rows = body["rows"]',
    '  if body["kind"] == "Table" and type(rows) == "table" then',
    '    for _, row in ipairs(rows) do',
    '      if type(row) == "table" and k8s_gen_strip_one(row["object"]) then removed = true end',
    '    end',
    '  end',
    '  return removed',
    'end',
    '',
    'local k8s_gen_rank = { Metadata = 1, Request = 2 }',
    '',
    `function ${call}(tag, timestamp, record)`,
    '  local outcome = k8s_gen_outcome[k8s_gen_rule(k8s_gen_request(record))]',
    '  if outcome.level == "None" then return -1, timestamp, record end',
    '  local stage = record["stage"]',
    '  if type(stage) == "string" and outcome.omit[stage] then return -1, timestamp, record end',
    '  local changed = false',
    '  local current = 3',
    '  if type(record["level"]) == "string" then current = k8s_gen_rank[record["level"]] or 3 end',
    '  if outcome.rank < current then',
    '    record["level"] = outcome.level',
    '    if outcome.rank < 3 then record["responseObject"] = nil end',
    '    if outcome.rank < 2 then record["requestObject"] = nil end',
    '    changed = true',
    '  end',
    '  if outcome.managed then',
    '    if k8s_gen_strip(record["responseObject"]) then changed = true end',
    '    if record["verb"] ~= "patch" and k8s_gen_strip(record["requestObject"]) then changed = true end',
    '  end',
    '  if changed then return 2, timestamp, record end',
    '  return 0, timestamp, record',
    'end',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The Fluent Bit Lua script that turns a webhook `EventList` (one record from the http input)
 * into one record per event, giving each item the list's `apiVersion` and `kind: Event` when it
 * lacks them (webhook items leave out their type fields; log lines carry them). Records that are
 * not EventLists pass unchanged; an empty list is dropped.
 */
export function eventListSplitScript(call: string, header: readonly string[]): string {
  return `${[
    ...header.map((line) => `-- ${line}`),
    '',
    `function ${call}(tag, timestamp, record)`,
    '  local items = record["items"]',
    '  if record["kind"] ~= "EventList" or type(items) ~= "table" then return 0, timestamp, record end',
    '  local version = record["apiVersion"]',
    '  local events = {}',
    '  for _, item in ipairs(items) do',
    '    if type(item) == "table" then',
    '      if item["kind"] == nil then item["kind"] = "Event" end',
    '      if item["apiVersion"] == nil and type(version) == "string" then item["apiVersion"] = version end',
    '      events[#events + 1] = item',
    '    end',
    '  end',
    '  if #events == 0 then return -1, timestamp, record end',
    '  return 2, timestamp, events',
    'end',
  ].join('\n')}\n`;
}

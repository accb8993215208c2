// Compiling an audit Policy into shipper filters: the decision program, the Lua and VRL printers, the VRL subset parser and interpreter, and the event-to-request derivation they share.
export { compileDecisions, ruleCondition, type CompiledRule, type Condition, type DecisionProgram, type RuleOutcome } from './ast.js';
export { policyToLuaFilter, policyToVrlFilter, vrlFilterProgram, type LuaFilterOptions, type LuaPolicyFilter, type PolicyFilterOptions, type VrlPolicyFilter } from './compile.js';
export { downstreamOutcome, eventLevelRank, LOGGED_LEVEL_RANK, removeManagedFields, type DownstreamOutcome, type PolicyDecision } from './decision.js';
export { LUA_REQUEST_FIELDS, NAMESPACE_OBJECT_PREFIX, requestFieldsFromEvent, VRL_REQUEST_FIELDS, type EventRequestFields, type EventUser } from './event-attributes.js';
export { eventListSplitScript, LUA_FILTER_LOCALS, LUA_KEYWORDS, luaFilterScript, luaString } from './lua.js';
export { exprText, printVrl, vrlString, type VrlClosure, type VrlExpr, type VrlOperator, type VrlPath, type VrlProgram } from './vrl.js';
export { parseVrl, runVrl, type ParseVrlOptions, type VrlRun, type VrlValue } from './vrl-parser.js';

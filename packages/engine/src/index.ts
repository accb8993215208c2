// Public entry of @k8s-gen/engine: offline answers about what an audit policy does.

// Policy semantics: evaluation, explanation, lint; also the Node-free entry `@k8s-gen/engine/policy`.
export * from './policy.js';
// What a log's requests meet in a policy (explain --log, lint --log); they read logs, so not in ./policy.js.
export { explainLog, lintLog, loggedRequests } from './log-requests.js';
export type { ExplainLogOptions, LintLogOptions, LogExplanation, LoggedRequest, LoggedRequestExplanation, LoggedRequestsOptions, LogLint } from './log-requests.js';

// Files of unknown kind: policies, kubeconfigs and AuditSinks told apart and checked.
export { detectKind, validateDocuments, validateFile } from './validate-documents.js';
export type { DocumentKind, DocumentsReport, ValidateDocumentsOptions } from './validate-documents.js';

// Numbers: batch tuning, the buffered-backend simulation, outage losses, APF odds, cost replay of
// real logs. The flags themselves (settings, defaults, checks, Go durations) are @k8s-gen/apiserver's.
export { tune, renderTuneReport, reviewAuditFlags, BURST_RESERVE_SECONDS } from './tune.js';
export type { FlagReview, ReviewFinding, ReviewOptions, TrafficShare, TuneCaveat, TuneInput, TuneResult, TuneStep } from './tune.js';
export { formatBytes } from './format.js';
export { seededRandom, simulate } from './simulate.js';
export type { LatencySummary, LoadSegment, Outage, SimulationInput, SimulationResult } from './simulate.js';
export { EVENT_BUDGET, predictOutage } from './outage.js';
export type { OutageInput, OutagePrediction, Range } from './outage.js';
export {
  binomial,
  crushProbability,
  crushTable,
  maxQueuedPerFlow,
  priorityLevelLimits,
  serverConcurrencyLimit,
  DEFAULT_MAX_MUTATING_REQUESTS_INFLIGHT,
  DEFAULT_MAX_REQUESTS_INFLIGHT,
} from './apf.js';
export type { CrushTableRow, InflightFlags, PriorityLevelLimit, PriorityLevelShares, ShuffleShardingQuestion } from './apf.js';
export { attributesFromEvent, costReplay } from './cost.js';
export type { CandidateVolume, Contributor, CostBreakdown, CostDimension, CostReplayOptions, CostReport, CostRow, LoggedAuditEvent, Volume } from './cost.js';
export { DEFAULT_MAX_LINE_BYTES, OVERLONG_HEAD_BYTES, readLogLines, splitLines } from './cost-input.js';
export {
  AKS_SKIPPED_BODY,
  AUDIT_LOG_FORMATS,
  auditEventLines,
  AuditLogFormatError,
  detectAuditLogFormat,
  FORMAT_READERS,
  newFormatStatus,
  resourceNameToRequest,
} from './log-formats/index.js';
export type { AuditLogFormat, AuditLogFormatStatus, FormatReader, FoundEvent, ReadAuditEventsOptions } from './log-formats/index.js';
export type { LogLine, LogReadStatus, LogReadStop, LogSource, OverlongLine, ProgressCallback, ReadLogOptions, SplitLinesOptions } from './cost-input.js';

// Requirements on a policy (profiles, --keep rules), their exact check, and the policy suggested
// from them and a log.
export { describeBounds, describeSelector, intersectSelectors, isCatchAll, normalizeSelector, selectorMatches, selectorOf, selectorRule, unionSelectors } from './requirement.js';
export type { RequestSelector, Requirement, RequirementSource, SelectorIntersection } from './requirement.js';
export { credentialRequirements, profileRequirements, REQUIREMENT_PROFILES } from './requirement-profiles.js';
export type { RequirementProfile } from './requirement-profiles.js';
export { KEEP_KEYS, parseKeep } from './keep-syntax.js';
export type { ParsedKeep } from './keep-syntax.js';
export { boundsFor, checkRequirements, equivalentLevel, requestLabel, requirementConflicts } from './requirement-check.js';
export type { CheckRequirementsOptions, RequirementProbe, RequirementSample, RequirementVerdict, RequirementViolation } from './requirement-check.js';
export { policyForRequirements, requirementProblems, requirementsFromPolicy, suggestPolicy, withCredentialCap } from './suggest.js';
export { formatSuggestProof } from './suggest-format.js';
export type { FloorTraffic, PolicyForRequirementsOptions, SuggestedRule, SuggestInput, SuggestLogSource, SuggestOptions, SuggestProof, SuggestResult } from './suggest.js';

// Compliance checks of an apiserver's audit set-up (CIS Kubernetes Benchmark by version, DISA STIG).
export { checkCompliance, COMPLIANCE_BENCHMARKS, DEFAULT_COMPLIANCE_BENCHMARK } from './compliance.js';
export type { BenchmarkItems, ComplianceFinding, ComplianceInput, ComplianceReport, ComplianceStatus } from './compliance.js';
export { readApiserverArgs } from './compliance-input.js';
export type { ApiserverArgs, ApiserverArgsForm } from './compliance-input.js';
export { formatComplianceReport } from './compliance-format.js';
// The cost replay as SQL: one query per engine (DuckDB embedded here; Trino, Athena and BigQuery
// where fleets keep their logs). DuckDB itself is imported only when costReplayDuckDB runs.
export { GKE_EXPORT_COLUMNS } from './cost-sql-gke.js';
export { compileCostQuery, COST_QUERY_DIMENSIONS, DEFAULT_COST_COLUMN, DEFAULT_COST_TABLE, TYPED_EVENT_MEMBERS, TYPED_READ_DOUBT } from './cost-sql.js';
export type { CostQuery, CostQueryOptions, CostQuerySource } from './cost-sql.js';
export { SQL_DIALECT_NAMES, SQL_DIALECTS } from './sql-dialect.js';
export type { SqlDialect, SqlDialectName } from './sql-dialect.js';
export { CostEngineError, costReplayDuckDB, costReportFromRows, DUCKDB_AUTO_MIN_BYTES, DUCKDB_AUTO_MIN_CORES, DUCKDB_TYPED_MIN_CORES, prefersDuckDB, TYPED_READ_SHAPE, TYPED_READER_MAX_GAP, TYPED_READER_MIN_BYTES } from './cost-duckdb.js';
export type { CostDuckDBOptions, CostEngine, DuckDBChoice, DuckDBReader } from './cost-duckdb.js';

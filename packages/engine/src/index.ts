// Public entry of @k8s-gen/engine: offline answers about what an audit policy does.

// Policy semantics: evaluation, explanation, lint.
export {
  evaluate,
  firstMatchingRule,
  ruleMatches,
  resourcePatternMatches,
  pathPatternMatches,
  effectiveOmitStages,
  effectiveOmitManagedFields,
  producedStages,
  levelRank,
  kubernetesMinor,
  LATEST_KUBERNETES_VERSION,
  LEVEL_ORDER,
  STAGE_ORDER,
} from './evaluate.js';
export type { EvaluateOptions, Evaluation } from './evaluate.js';
export { isLongRunning, nonResourceRequest, requestFromHttp, RequestParseError, resourceRequest } from './request.js';
export type { HttpRequest, NonResourceRequestInit, RequestAttributes, ResourceRequestInit, UserInfo } from './request.js';
export { checkRule, describeRequest, explain, formatExplanation } from './explain.js';
export type { CheckedField, Explanation, FieldCheck, RuleExplanation } from './explain.js';
export { lint, LINT_RULES, reachability, sortFindings } from './lint.js';
export type { LintCode, LintFinding, LintOptions, LintSeverity, RuleReachability } from './lint.js';
export { formatLint, positionOf } from './lint-format.js';
export type { LintFormat, LintFormatOptions, SourcePosition } from './lint-format.js';

// Numbers: batch tuning, the buffered-backend simulation, APF odds, cost replay of real logs.
export { tune, renderTuneReport, BURST_RESERVE_SECONDS } from './tune.js';
export type { TrafficShare, TuneInput, TuneResult, TuneStep } from './tune.js';
export {
  defaultSettings,
  formatBytes,
  goDuration,
  parseAuditFlags,
  parseGoDuration,
  retryWindow,
  reviewSettings,
  settingsToFlags,
  RETRY_SLEEP_FACTOR,
  WEBHOOK_ATTEMPTS,
  WEBHOOK_ATTEMPT_TIMEOUT_SECONDS,
  WEBHOOK_BACKOFF_FACTOR,
  WEBHOOK_BACKOFF_JITTER,
} from './tune-flags.js';
export type { AuditBackendKind, AuditMode, BackendSettings, ParsedAuditFlags, RetryWindow, TuneCaveat } from './tune-flags.js';
export { simulate } from './simulate.js';
export type { LatencySummary, LoadSegment, Outage, SimulationInput, SimulationResult } from './simulate.js';
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
export { readLogLines, splitLines } from './cost-input.js';
export type { LogLine, LogSource, ProgressCallback } from './cost-input.js';

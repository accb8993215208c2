// What a log shipper construct (Fluent Bit, Vector, OpenTelemetry) needs from its apiserver target,
// and the checks that it reads what the apiserver writes: the log file's path and format, the size
// of the largest event or POST (from the truncate flags and the policy's most detailed level), and
// where the webhook posts. One home, so every collector derives and checks these the same way.
import { effectiveBackendSettings } from '@k8s-gen/apiserver';
import type { Level } from '@k8s-gen/audit';
import { LEVEL_ORDER, levelRank } from '@k8s-gen/engine';
import { Construct, type IConstruct } from 'constructs';
import { registerContributor, type TargetContribution, type TargetContributor } from './contribution.js';
import { serverEndpoint } from './kubeconfig.js';
import { AuditPolicy } from './policy.js';
import type { Problem } from './problems.js';
import type { AuditTargetInfo } from './target.js';
import { findTarget } from './target.js';
import { addCheck, type KubeObject, type SynthFile } from './tree.js';

/** What bounds one event: truncation when on, and the policy's most detailed level. */
export interface TargetEventSize {
  readonly truncateMaxEventSize?: number;
  readonly maxLevel: Level;
}

/** The most detailed level any rule of the target's policies logs at (RequestResponse without a policy construct: nothing is known). */
export function targetMaxLevel(target: IConstruct): Level {
  const policies = target.node.findAll().filter((construct): construct is AuditPolicy => construct instanceof AuditPolicy && findTarget(construct) === target);
  if (policies.length === 0) return 'RequestResponse';
  let rank = 0;
  for (const policy of policies) for (const rule of policy.policy.rules ?? []) rank = Math.max(rank, levelRank(rule.level));
  return LEVEL_ORDER[rank]!;
}

/** The log backend's file and the size of its largest event, or undefined without a log backend. */
export function targetLogFile(target: AuditTargetInfo & IConstruct): { path: string; format: string; eventSize: TargetEventSize } | undefined {
  const log = target.settings().log;
  if (log === undefined) return undefined;
  const truncate = effectiveBackendSettings('log', log, target.version.minor).truncate;
  const maxLevel = targetMaxLevel(target);
  return { path: log.path, format: log.format ?? 'json', eventSize: truncate.enabled ? { truncateMaxEventSize: truncate.maxEventSize, maxLevel } : { maxLevel } };
}

/** What bounds one webhook POST, from the webhook backend's settings (the defaults without one). */
export function targetWebhookBody(target: AuditTargetInfo & IConstruct): { truncateMaxBatchSize?: number; batchMaxSize: number; eventSize: TargetEventSize } {
  const effective = effectiveBackendSettings('webhook', target.settings().webhook ?? {}, target.version.minor);
  const maxLevel = targetMaxLevel(target);
  // In blocking modes every event is posted on its own, so a POST holds one event.
  const batchMaxSize = effective.mode === 'batch' ? effective.batch.maxSize : 1;
  return effective.truncate.enabled
    ? { truncateMaxBatchSize: effective.truncate.maxBatchSize, batchMaxSize, eventSize: { truncateMaxEventSize: effective.truncate.maxEventSize, maxLevel } }
    : { batchMaxSize, eventSize: { maxLevel } };
}

/** How a collector names itself in its problems. */
export interface CollectorIdentity {
  /** The product, as the messages say it (`Fluent Bit`). */
  readonly product: string;
  /** The prefix of the problem codes (`fluentbit`). */
  readonly code: string;
  /** The collector's config file, as synthesized. */
  readonly file: string;
  /** The construct class, for the fixes. */
  readonly construct: string;
}

/** Problems when the file a collector tails is not the target's `--audit-log-path`, or not JSON. */
export function logFileProblems(who: CollectorIdentity, target: AuditTargetInfo & IConstruct, tailed: string, at: string): Problem[] {
  const log = targetLogFile(target);
  if (log === undefined) {
    return [{ severity: 'error', code: `${who.code}-no-log-backend`, path: at, file: who.file, message: `${who.product} tails ${tailed} but the apiserver has no log backend, so nothing writes it`, fix: `add a LogBackend with path ${tailed} to ${target.node.path}` }];
  }
  const problems: Problem[] = [];
  if (log.path !== tailed) {
    problems.push({ severity: 'error', code: `${who.code}-log-path`, path: at, file: who.file, message: `${who.product} tails ${tailed} but [${target.node.path}] --audit-log-path is ${log.path}`, fix: `use one path for both: set the LogBackend path or the ${who.construct} logPath to the same file` });
  }
  if (log.format !== 'json') {
    problems.push({ severity: 'error', code: `${who.code}-log-format`, path: at, file: who.file, message: `${who.product} parses each line as JSON but the apiserver writes --audit-log-format=${log.format}`, fix: "set the LogBackend format to 'json'" });
  }
  return problems;
}

/** Where a collector's webhook receiver listens. */
export interface ReceiverEndpoint {
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly port: number;
  /** The URL path the receiver expects, when it matters (Fluent Bit takes the tag from it). */
  readonly path?: string;
}

/** Problems when the target's webhook kubeconfig does not post to where the receiver listens. */
export function webhookReceiverProblems(who: CollectorIdentity, target: AuditTargetInfo & IConstruct, listener: ReceiverEndpoint, at: string): Problem[] {
  const server = target.webhookServer();
  if (server === undefined) {
    return [{ severity: 'error', code: `${who.code}-no-webhook`, path: at, file: who.file, message: `${who.product} listens on port ${listener.port} but the apiserver has no webhook backend posting to it`, fix: `add a WebhookBackend with server ${listener.scheme}://<address>:${listener.port}${listener.path ?? ''} to ${target.node.path} (${who.construct}.serverUrl() builds it)` }];
  }
  const endpoint = serverEndpoint(server);
  if (endpoint === undefined) return [];
  const problems: Problem[] = [];
  const kubeconfig = (code: string, message: string, fix: string): void => {
    problems.push({ severity: 'error', code: `${who.code}-${code}`, path: 'clusters[0].cluster.server', file: 'audit-webhook-kubeconfig.yaml', message, fix });
  };
  if (endpoint.port !== listener.port) kubeconfig('port', `the webhook kubeconfig posts to port ${endpoint.port} but ${who.product} listens on port ${listener.port}`, `use port ${listener.port} in the webhook server URL (${who.construct}.serverUrl() builds it)`);
  if (endpoint.scheme !== listener.scheme) kubeconfig('scheme', `the webhook kubeconfig uses ${endpoint.scheme} but ${who.product} serves ${listener.scheme}`, `use ${listener.scheme}:// in the webhook server URL`);
  if (listener.host !== '0.0.0.0' && listener.host !== '::' && endpoint.host !== listener.host && endpoint.host !== `[${listener.host}]`) {
    kubeconfig('host', `${who.product} binds ${listener.host} only, but the webhook kubeconfig posts to ${endpoint.host}`, `post to ${listener.host}, or let ${who.product} bind all interfaces`);
  }
  if (listener.path !== undefined) {
    const path = urlPath(server);
    if (path !== undefined && path !== listener.path) kubeconfig('path', `the webhook kubeconfig posts to the path ${path} but ${who.product} routes ${listener.path}`, `post to ${listener.path} (${who.construct}.serverUrl() builds the URL)`);
  }
  return problems;
}

function urlPath(server: string): string | undefined {
  try {
    return new URL(server).pathname;
  } catch {
    return undefined;
  }
}

/** What a shipper makes of its target: its files and objects, or the problems of its options. */
/** The options a shipper construct's `inCluster` prop holds; the state folder is a prop of the construct itself. */
const IN_CLUSTER_OPTIONS = new Set(['configMapName', 'namespace', 'hostLogDir', 'configDir']);

/** Problems of a shipper's in-cluster packaging, each naming the prop the user set: `inCluster.configMapName`, `dataDir`. */
export function inClusterProblems(problems: readonly Problem[]): Problem[] {
  return problems.map((problem) => (IN_CLUSTER_OPTIONS.has(problem.path) ? { ...problem, path: `inCluster.${problem.path}` } : problem));
}

export interface ShipperBuild<Preset> {
  /** The preset, when the options were accepted. */
  readonly preset?: Preset;
  readonly files: readonly SynthFile[];
  readonly objects: readonly KubeObject[];
  /** Refused options and the preset's warnings, each naming its file. */
  readonly problems: readonly Problem[];
  /** Whether the shipper reads what the target writes (run at synth, with the built preset). */
  consistency?(target: AuditTargetInfo & IConstruct): Problem[];
}

/**
 * The base of the shipper constructs whose config follows their target's settings (the log path,
 * the truncate flags, the policy's levels). It contributes the files and objects of
 * `buildFor(target)` and reports its problems at synth.
 */
export abstract class ShipperCollector<Preset, Props> extends Construct implements TargetContributor {
  /** The options the construct was given. */
  protected readonly props: Props;

  constructor(scope: Construct, id: string, props: Props) {
    super(scope, id);
    this.props = props;
    registerContributor(this);
    addCheck(this, () => {
      const target = findTarget(this);
      const built = this.built();
      return [...built.problems, ...(target !== undefined && built.consistency !== undefined ? built.consistency(target) : [])];
    });
  }

  /** The files, objects and problems for the target as it stands (undefined outside a target). */
  protected abstract buildFor(target: (AuditTargetInfo & IConstruct) | undefined): ShipperBuild<Preset>;

  /** The preset as the target stands now (undefined when its options were refused: see the synth errors). */
  preset(): Preset | undefined {
    return this.built().preset;
  }

  /** The shipper's files and Kubernetes objects. */
  contribute(): TargetContribution {
    const built = this.built();
    return { files: built.files, objects: built.objects };
  }

  private built(): ShipperBuild<Preset> {
    // The config follows the target's settings, which the target merges from every contribution,
    // the shippers' included: while any shipper builds, every shipper contributes nothing (none
    // decides an audit setting), so the merge neither recurses nor builds the other shippers.
    if (shipperBuilding) return { files: [], objects: [], problems: [] };
    shipperBuilding = true;
    try {
      return this.buildFor(findTarget(this));
    } finally {
      shipperBuilding = false;
    }
  }
}

/** Whether a shipper is building (see `ShipperCollector.built`). */
let shipperBuilding = false;

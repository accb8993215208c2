// Dynamic audit (Kubernetes 1.13 to 1.18): AuditSink objects registered through the API instead of
// flags, plus the RBAC that keeps creating or changing sinks a cluster-admin privilege.
import { Construct } from 'constructs';
import type { Level, Stage } from '@k8s-gen/audit';
import { validateAuditSink } from '@k8s-gen/auditregistration';
import { AUDIT_FLAGS_RANGE } from '@k8s-gen/apiserver';
import { parseKubernetesVersion } from '@k8s-gen/runtime';
import type { Problem } from './problems.js';
import { registerContributor, type TargetContribution, type TargetContributor } from './contribution.js';
import { addCheck, type KubeObject } from './tree.js';
import { findTarget } from './target.js';

/** One AuditSink: a webhook that receives every request's events at one level. */
export interface AuditSinkProps {
  /** Object name (a DNS subdomain). */
  readonly name: string;
  /** The one level applied to every request (AuditSinks have no rules). */
  readonly level: Level;
  /** Stages to send: an allow-list, the opposite of a policy's omitStages. Required unless level is None. */
  readonly stages: readonly Stage[];
  /** The URL events are POSTed to. Exactly one of `url` and `service`. */
  readonly url?: string;
  /** An in-cluster Service receiving the events (`port` needs 1.15+, default 443). */
  readonly service?: { namespace: string; name: string; path?: string; port?: number };
  /** PEM of the CA that signed the sink's certificate. */
  readonly caBundlePem?: string;
  /** Batches per second and burst (the apiserver defaults them to 10 and 15). */
  readonly throttle?: { qps?: number; burst?: number };
}

/** Options of {@link DynamicBackend}. */
export interface DynamicBackendProps {
  readonly sinks: readonly AuditSinkProps[];
  /** Groups that may create, change and delete AuditSinks. Default `['system:masters']`. */
  readonly adminGroups?: readonly string[];
  /** Kubernetes version, when the backend is not inside an {@link AuditChart} (e.g. in a cdk8s Chart). */
  readonly kubernetesVersion?: string;
}


/**
 * Dynamic audit backends: AuditSink objects (auditregistration.k8s.io/v1alpha1), the three
 * apiserver switches they need (`--audit-dynamic-configuration`,
 * `--feature-gates=DynamicAuditing=true`, `--runtime-config=auditregistration.k8s.io/v1alpha1=true`)
 * and a ClusterRole and binding that grant writes on auditsinks to cluster admins only, since a
 * sink can read every request in the cluster. Synth refuses any version outside 1.13 to 1.18,
 * because the API was removed in 1.19.
 *
 * @example
 * const target = new AuditChart(app, 'legacy', { kubernetesVersion: '1.13' });
 * new DynamicBackend(target, 'Dynamic', {
 *   sinks: [{ name: 'mysink', level: 'Metadata', stages: ['ResponseComplete'], url: 'https://audit.app', throttle: { qps: 10, burst: 15 } }],
 * });
 */
export class DynamicBackend extends Construct implements TargetContributor {
  /** The AuditSink objects. */
  readonly sinks: readonly AuditSinkProps[];
  /** Groups allowed to write AuditSinks. */
  readonly adminGroups: readonly string[];
  private readonly ownVersion?: string;

  constructor(scope: Construct, id: string, props: DynamicBackendProps) {
    super(scope, id);
    this.sinks = props.sinks;
    this.adminGroups = props.adminGroups ?? ['system:masters'];
    this.ownVersion = props.kubernetesVersion;
    registerContributor(this);
    addCheck(this, () => this.check());
  }

  /** The minor Kubernetes version this backend targets, if known. */
  private minor(): number | undefined {
    const target = findTarget(this);
    if (target) return target.version.minor;
    if (this.ownVersion === undefined) return undefined;
    const parsed = parseKubernetesVersion(this.ownVersion, AUDIT_FLAGS_RANGE);
    return parsed.ok ? parsed.version.minor : undefined;
  }

  private check(): Problem[] {
    const problems: Problem[] = [];
    const minor = this.minor();
    if (minor === undefined) {
      problems.push({ severity: 'error', code: 'dynamic-no-version', path: 'kubernetesVersion', message: 'the Kubernetes version is unknown, and AuditSink exists only in 1.13 to 1.18', fix: 'put the backend inside an AuditChart or pass kubernetesVersion' });
    } else if (minor < 13 || minor > 18) {
      problems.push({ severity: 'error', code: 'dynamic-not-in-version', path: 'kubernetesVersion',
        message: `dynamic audit (AuditSink) exists only in Kubernetes 1.13 to 1.18: the auditregistration.k8s.io API, --audit-dynamic-configuration and the DynamicAuditing gate were removed in 1.19, so 1.${minor} would reject these objects and flags`,
        fix: 'use a WebhookBackend for the same receiver, or target Kubernetes 1.13 to 1.18' });
    }
    // The SDK validator knows the apiserver's rules; the version is passed only when it is one that
    // serves AuditSink, since the refusal above already covers the others.
    const inRange = minor !== undefined && minor >= 13 && minor <= 18;
    this.objects.filter((object) => object.kind === 'AuditSink').forEach((object, index) => {
      for (const problem of validateAuditSink(object, inRange ? { kubernetesVersion: `1.${minor}` } : {})) {
        problems.push({ ...problem, path: `sinks[${index}]${problem.path ? `.${problem.path}` : ''}` });
      }
    });
    if (new Set(this.sinks.map((sink) => sink.name)).size !== this.sinks.length) {
      problems.push({ severity: 'error', code: 'sink-duplicate-name', path: 'sinks', message: 'two AuditSinks have the same name', fix: 'give every sink its own name' });
    }
    return problems.map((problem) => ({ ...problem, file: 'kubernetes/auditsinks.yaml' }));
  }

  /** The AuditSinks and their RBAC, and dynamic audit switched on (flag, feature gate, API). */
  contribute(): TargetContribution {
    return { objects: this.objects, settings: { dynamic: true } };
  }

  /** The objects this backend adds: the AuditSinks, then the ClusterRole and ClusterRoleBinding. */
  get objects(): KubeObject[] {
    const sinks = this.sinks.map((sink): KubeObject => {
      const clientConfig: Record<string, unknown> = {};
      if (sink.url !== undefined) clientConfig.url = sink.url;
      if (sink.service !== undefined) clientConfig.service = { ...sink.service };
      if (sink.caBundlePem !== undefined) clientConfig.caBundle = Buffer.from(sink.caBundlePem, 'utf8').toString('base64');
      const webhook: Record<string, unknown> = {};
      if (sink.throttle !== undefined) webhook.throttle = { ...sink.throttle };
      webhook.clientConfig = clientConfig;
      return {
        apiVersion: 'auditregistration.k8s.io/v1alpha1',
        kind: 'AuditSink',
        metadata: { name: sink.name },
        spec: { policy: { level: sink.level, stages: [...sink.stages] }, webhook },
      };
    });
    const role: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'auditsink-writer', annotations: { 'k8s-gen.io/why': 'an AuditSink receives every audited request, so writing one is a cluster-admin privilege' } },
      rules: [{ apiGroups: ['auditregistration.k8s.io'], resources: ['auditsinks'], verbs: ['create', 'update', 'patch', 'delete', 'deletecollection'] }],
    };
    const binding: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'auditsink-writer' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'auditsink-writer' },
      subjects: this.adminGroups.map((group) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group })),
    };
    return [...sinks, role, binding];
  }
}

// The audit policy of one apiserver, written where that apiserver reads it.
import { readFileSync } from 'node:fs';
import { checkNodePath } from '@k8s-gen/runtime';
import { Construct } from 'constructs';
import type { Problem } from './problems.js';
import { parsePolicyText, policyToYaml, validatePolicy, type PolicyDocument } from './sdk.js';
import { registerContributor, type TargetContribution, type TargetContributor } from './contribution.js';
import { addCheck, type SynthFile } from './tree.js';
import { findTarget } from './target.js';

/** Where kubeadm-style clusters keep the policy. */
export const DEFAULT_POLICY_PATH = '/etc/kubernetes/audit-policy.yaml';

/** A built policy, or a builder whose `build()` returns one (e.g. `policy()` of @k8s-gen/audit). */
export type PolicySource = PolicyDocument | { build(): PolicyDocument };

/** The policy a {@link PolicySource} stands for: a builder is built, a document taken as it is. */
export function policyOf(source: PolicySource): PolicyDocument {
  return 'build' in source && typeof source.build === 'function' ? source.build() : (source as PolicyDocument);
}

/** Options of {@link AuditPolicy}. */
export interface AuditPolicyProps {
  /** The policy, built or as a builder. */
  readonly policy: PolicySource;
  /** Where the apiserver reads it (`--audit-policy-file`). Default `/etc/kubernetes/audit-policy.yaml`. */
  readonly nodePath?: string;
}

/**
 * The audit policy of the enclosing target. It is written to `audit-policy.yaml` in the target's
 * folder, meant to be installed at `nodePath`, and that path becomes `--audit-policy-file`. The
 * policy is checked against the target's Kubernetes version at synth, and `nodePath` with
 * `checkNodePath` (absolute, no white space or control characters), because it becomes a flag.
 *
 * @example
 * const target = new AuditChart(app, 'cluster', { kubernetesVersion: '1.30' });
 * new AuditPolicy(target, 'Policy', { policy: policy().rule({ level: 'Metadata' }) });
 * // or from an existing file:
 * AuditPolicy.fromFile(target, 'Policy', 'policies/audit.yaml');
 */
export class AuditPolicy extends Construct implements TargetContributor {
  /**
   * Reads a policy from a YAML file. A file that cannot be read or parsed is reported at synth,
   * naming the file.
   */
  static fromFile(scope: Construct, id: string, file: string, options: { nodePath?: string } = {}): AuditPolicy {
    let text: string | undefined;
    let readProblem: Problem | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      readProblem = { severity: 'error', code: 'policy-file-unreadable', path: '', file, message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, fix: 'check the path given to AuditPolicy.fromFile' };
    }
    const parsed = text === undefined ? { problems: [] as Problem[] } : parsePolicyText(text, file);
    const placeholder: PolicyDocument = { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [] };
    const construct = new AuditPolicy(scope, id, { policy: parsed.policy ?? placeholder, nodePath: options.nodePath });
    construct.loadProblems = readProblem ? [readProblem] : parsed.problems;
    return construct;
  }

  /** The policy as plain data. */
  readonly policy: PolicyDocument;
  /** Where the apiserver reads the policy. */
  readonly nodePath: string;
  private loadProblems: readonly Problem[] = [];

  constructor(scope: Construct, id: string, props: AuditPolicyProps) {
    super(scope, id);
    this.policy = policyOf(props.policy);
    this.nodePath = props.nodePath ?? DEFAULT_POLICY_PATH;
    registerContributor(this);
    const pathProblem = checkNodePath(this.nodePath, 'nodePath', { example: DEFAULT_POLICY_PATH });
    addCheck(this, () => (pathProblem === undefined ? [] : [{ ...pathProblem, file: 'apiserver-flags.txt' }]));
    addCheck(this, () => {
      if (this.loadProblems.some((problem) => problem.severity === 'error')) return this.loadProblems;
      const target = findTarget(this);
      const versionProblems = target ? validatePolicy(this.policy, target.version.minor) : [];
      return [...this.loadProblems, ...versionProblems.map((problem) => ({ ...problem, file: problem.file ?? 'audit-policy.yaml' }))];
    });
  }

  /** The file this construct writes into its target. */
  get file(): SynthFile {
    return { path: 'audit-policy.yaml', contents: policyToYaml(this.policy), purpose: 'audit policy (--audit-policy-file)', nodePath: this.nodePath };
  }

  /** The policy file, `--audit-policy-file`, and the read-only volume that brings it to the apiserver. */
  contribute(): TargetContribution {
    return {
      files: [this.file],
      settings: { policyFile: this.nodePath },
      mounts: [{ name: 'audit-policy', hostPath: this.nodePath, mountPath: this.nodePath, type: 'File', readOnly: true }],
    };
  }
}

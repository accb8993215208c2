// What a construct contributes to a synthesized target: files, Kubernetes objects and checks.
// Checks are registered twice: structured (for k8s-gen's own synth, which reports the construct
// path, file and fix) and through `node.addValidation`, the standard hook that cdk8s and the AWS
// CDK call, so the same errors surface when our constructs live inside a cdk8s app.
import type { IConstruct } from 'constructs';
import type { ConstructProblem, Problem } from './problems.js';

/** One file a target writes. */
export interface SynthFile {
  /** Path inside the target folder, `/`-separated, e.g. `fluentd/fluent.conf`. */
  readonly path: string;
  readonly contents: string;
  /** One line saying what the file is for; it goes into `manifest.json`. */
  readonly purpose: string;
  /** Holds credentials: written with mode 0600 and never shown in diffs. */
  readonly secret?: boolean;
  /** Where the file belongs on the apiserver's node, when it goes there. */
  readonly nodePath?: string;
}

/** A Kubernetes object as plain data: it serializes as is, and the cdk8s adapter wraps it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

type CheckFn = () => readonly Problem[];

const checksByConstruct = new WeakMap<IConstruct, CheckFn[]>();

/**
 * Registers a check on a construct. It runs when the app synthesizes (k8s-gen's `App.synth()` or
 * cdk8s's, through `node.addValidation`). Errors stop the synth; warnings are reported.
 */
export function addCheck(construct: IConstruct, check: CheckFn): void {
  const checks = checksByConstruct.get(construct) ?? [];
  checks.push(check);
  checksByConstruct.set(construct, checks);
  construct.node.addValidation({
    validate: () =>
      check()
        .filter((problem) => problem.severity === 'error')
        .map((problem) => `${problem.file ? `${problem.file}: ` : ''}${problem.message} (fix: ${problem.fix})`),
  });
}

/** Runs the checks of every construct under `root` (itself included), in tree order. */
export function collectProblems(root: IConstruct): ConstructProblem[] {
  const problems: ConstructProblem[] = [];
  for (const construct of root.node.findAll()) {
    for (const check of checksByConstruct.get(construct) ?? []) {
      for (const problem of check()) problems.push({ ...problem, constructPath: construct.node.path || '(app)' });
    }
  }
  return problems;
}


/**
 * The union backend trap. With more than one backend the apiserver joins them in a union whose
 * `Run` starts each member from a closure made in a `range` loop. Before Go 1.22 such a closure
 * captures the one loop variable, so every closure runs the *last* member: the members before it
 * are never started and the last one is started once per member. Measured on kube-apiserver
 * 1.20.2: with the log backend in batch mode and a webhook, the log file is never written (its
 * buffer is never started) and the apiserver panics on shutdown (`close of closed channel`: the
 * webhook's buffer, started twice, is closed twice).
 *
 * Which releases are free of it, from the `kubernetes/apiserver` release tags (the published
 * `staging/src/k8s.io/apiserver` module that holds `pkg/audit/union.go`; Go applies a module's own
 * `go` directive to the loop semantics of its packages):
 * - `go.mod` declares `go 1.22.0` from 1.30 (1.29: `go 1.21`), so 1.30 and later get a variable
 *   per iteration; 1.36 dropped the explicit copy and relies on that.
 * - Before that, `union.go` copies the variable (`backend := backend`) from 1.25.0, and in the
 *   patch releases 1.22.11, 1.23.8 and 1.24.2 that the fix was cherry-picked into.
 * Every other release from 1.8 on has the trap.
 */
import type { KubernetesVersion, Problem } from '@k8s-gen/runtime';

/** The `go` directive of k8s.io/apiserver's go.mod at each `kubernetes-1.N.0` tag (no go.mod before 1.15). */
export const APISERVER_GO_DIRECTIVE: Readonly<Record<number, string>> = {
  15: '1.12', 16: '1.12', 17: '1.12', 18: '1.13', 19: '1.15', 20: '1.15', 21: '1.16', 22: '1.16', 23: '1.16', 24: '1.16',
  25: '1.19', 26: '1.19', 27: '1.20', 28: '1.20', 29: '1.21', 30: '1.22.0', 31: '1.22.0', 32: '1.23.0', 33: '1.24.0', 34: '1.24.0',
  35: '1.25.0', 36: '1.26.0',
};

/** The first minor whose `union.go` copies the loop variable in its `.0` release. */
export const UNION_COPY_FROM_MINOR = 25;
/** Patch releases of older minors that the copy was cherry-picked into. */
export const UNION_COPY_BACKPORTS: Readonly<Record<number, number>> = { 22: 11, 23: 8, 24: 2 };

/**
 * Whether a `go` directive gives per-iteration loop variables (Go 1.22 semantics).
 *
 * @example
 * ```ts
 * perIterationLoopVariables('1.21');   // false
 * perIterationLoopVariables('1.22.0'); // true
 * ```
 */
export function perIterationLoopVariables(goDirective: string): boolean {
  const [major, minor] = goDirective.split('.').map(Number);
  return major! > 1 || (major === 1 && minor! >= 22);
}

/**
 * Whether the union backend of a release starts every member: `true`, `false`, or `undefined`
 * when it depends on a patch release the version does not name (1.22, 1.23 and 1.24).
 *
 * @example
 * ```ts
 * unionStartsEveryBackend({ text: 'v1.20.2', minor: 20, patch: 2 }); // false
 * unionStartsEveryBackend({ text: '1.24', minor: 24 });              // undefined (fixed in 1.24.2)
 * ```
 */
export function unionStartsEveryBackend(version: KubernetesVersion): boolean | undefined {
  const directive = APISERVER_GO_DIRECTIVE[version.minor];
  if (directive !== undefined && perIterationLoopVariables(directive)) return true;
  if (version.minor >= UNION_COPY_FROM_MINOR) return true;
  const backport = UNION_COPY_BACKPORTS[version.minor];
  if (backport === undefined) return false;
  return version.patch === undefined ? undefined : version.patch >= backport;
}

/** The backends that take part in the union: which are present and which run in batch mode. */
export interface UnionMembers {
  /** The log backend is enabled; `batch` when in batch mode. */
  readonly log?: { readonly batch: boolean };
  /** The webhook backend is enabled; `batch` when in batch mode. */
  readonly webhook?: { readonly batch: boolean };
  /** Dynamic audit (1.13 to 1.18) is enabled. */
  readonly dynamic?: boolean;
}

function fixedIn(version: KubernetesVersion): string {
  const backport = UNION_COPY_BACKPORTS[version.minor];
  return backport === undefined ? `Kubernetes 1.${UNION_COPY_FROM_MINOR}` : `Kubernetes 1.${version.minor}.${backport} (and 1.${UNION_COPY_FROM_MINOR})`;
}

/**
 * The problems the union trap causes for a set of backends in a release: errors for backends that
 * are never started (a batch-mode log before a webhook or AuditSinks, a batch-mode webhook before
 * AuditSinks), a warning for the shutdown panic of a batch-mode webhook started twice. When the
 * version does not name the patch release that decides it, the errors become warnings.
 *
 * @example
 * ```ts
 * unionBackendProblems({ log: { batch: true }, webhook: { batch: true } }, { text: '1.20', minor: 20 });
 * // [error union-log-never-started, warning union-shutdown-panic]
 * ```
 */
export function unionBackendProblems(members: UnionMembers, version: KubernetesVersion): Problem[] {
  const starts = unionStartsEveryBackend(version);
  if (starts === true) return [];
  const certain = starts === false;
  const severity = certain ? 'error' : 'warning';
  const release = certain
    ? `in Kubernetes ${version.text}`
    : `in Kubernetes ${version.text} before 1.${version.minor}.${UNION_COPY_BACKPORTS[version.minor]}`;
  const fix = `upgrade to ${fixedIn(version)} or later (or name the patch release in kubernetesVersion), or`;
  const problems: Problem[] = [];
  const dynamic = members.dynamic === true && version.minor >= 13 && version.minor <= 18;
  const afterLog = members.webhook !== undefined || dynamic;
  if (members.log?.batch && afterLog) {
    problems.push({
      severity,
      code: 'union-log-never-started',
      path: 'log.mode',
      message: `${release} the union of audit backends starts only its last member, so the batch-mode log backend's buffer is never started and the log file is never written (union.Run captures its loop variable)`,
      fix: `${fix} use the log backend in blocking mode while another backend is enabled`,
    });
  }
  if (dynamic && members.webhook?.batch) {
    problems.push({
      severity,
      code: 'union-webhook-never-started',
      path: 'webhook.mode',
      message: `${release} the webhook backend is joined with the AuditSinks in a union that starts only its last member, so the batch-mode webhook's buffer is never started and no batch is ever sent`,
      fix: `${fix} use the webhook in blocking mode with dynamic audit, or leave dynamic audit off`,
    });
  }
  if (!dynamic && members.log !== undefined && members.webhook?.batch) {
    problems.push({
      severity: 'warning',
      code: 'union-shutdown-panic',
      path: 'webhook.mode',
      message: `${release} the union of the log and webhook backends starts the batch-mode webhook's buffer twice, so on shutdown its channel is closed twice and the apiserver panics (close of closed channel) instead of draining the last events`,
      fix: `${fix} accept a panic at every apiserver shutdown`,
    });
  }
  return problems;
}

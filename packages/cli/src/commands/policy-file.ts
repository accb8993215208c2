// Reading an audit policy file for the analysis commands (explain, lint, cost, tune): read it as
// bytes within the size limit, parse and validate it with the SDK, print its problems with
// file/line/column, and keep the SDK's map from policy paths to positions.
import { kubernetesVersionProblem, parsePolicy, type Policy } from '@k8s-gen/audit';
import { readInputFile, type SourcePosition } from '@k8s-gen/yaml';
import { CliError, formatProblem } from '../output.js';

/** A policy read from disk, with the position of every path in it. */
export interface PolicyFile {
  policy: Policy;
  /** `rules[3].verbs[0]` -> 1-based line and column of that key or item (or its closest parent). */
  locate(path: string): SourcePosition | undefined;
}

/**
 * Reads and validates a policy file. Warnings go to stderr; errors are printed the same way and
 * end the command with exit code 1. A bad `--kubernetes-version` or a file that cannot be read
 * ends it with exit code 2.
 */
export async function readPolicyFile(path: string, kubernetesVersion: string | undefined): Promise<PolicyFile> {
  // `-` is standard input; problems name it as such.
  const file = path === '-' ? '<stdin>' : path;
  const versionProblem = kubernetesVersion === undefined ? undefined : kubernetesVersionProblem(kubernetesVersion);
  if (versionProblem !== undefined) throw new CliError(`--kubernetes-version: ${versionProblem.message}`, versionProblem.fix, 2);
  const read = await readInputFile(path);
  if (!read.ok && read.systemError !== undefined) throw new CliError(`cannot read policy file ${file} (${read.systemError})`, 'check the path and its permissions', 2);
  const result = read.ok
    ? parsePolicy(read.bytes, { file, ...(kubernetesVersion !== undefined ? { kubernetesVersion } : {}) })
    : { ok: false as const, problems: [{ ...read.problem, path: '', file }] };
  for (const problem of result.problems) process.stderr.write(`${formatProblem(problem)}\n`);
  if (!result.ok) {
    const errors = result.problems.filter((problem) => problem.severity === 'error').length;
    throw new CliError(`${file} is not a valid audit policy (${errors} error${errors === 1 ? '' : 's'} above)`, 'fix the problems listed above and run again');
  }
  return { policy: result.policy, locate: result.locate };
}

// Reading an audit policy file for the analysis commands (explain, lint): parse and validate it
// with the SDK, print its problems with file/line/column, and map policy paths to positions.
import { readFileSync } from 'node:fs';
import { parsePolicy, type Policy } from '@k8s-gen/audit';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { CliError, formatProblem } from '../output.js';

/** A policy read from disk, with the position of every path in it. */
export interface PolicyFile {
  policy: Policy;
  /** `rules[3].verbs[0]` -> 1-based line and column of that key or item. */
  sourceMap: Record<string, { line: number; column: number }>;
}

/**
 * Reads and validates a policy file. Warnings go to stderr; errors are printed the same way and
 * end the command with exit code 1.
 */
export function readPolicyFile(file: string, kubernetesVersion: string | undefined): PolicyFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read policy file ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'check the path and its permissions');
  }
  let result: ReturnType<typeof parsePolicy>;
  try {
    result = parsePolicy(text, { file, ...(kubernetesVersion !== undefined ? { kubernetesVersion } : {}) });
  } catch (error) {
    if (error instanceof RangeError) throw new CliError(error.message, 'pass --kubernetes-version like 1.36', 2);
    throw error;
  }
  for (const problem of result.problems) process.stderr.write(`${formatProblem(problem)}\n`);
  if (!result.ok) {
    const errors = result.problems.filter((problem) => problem.severity === 'error').length;
    throw new CliError(`${file} is not a valid audit policy (${errors} error${errors === 1 ? '' : 's'} above)`, 'fix the problems listed above and run again');
  }
  return { policy: result.policy, sourceMap: sourceMapOf(text) };
}

/** Positions of every mapping key and sequence item, by policy path. */
function sourceMapOf(text: string): Record<string, { line: number; column: number }> {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: false });
  const map: Record<string, { line: number; column: number }> = {};
  const at = (offset: number) => {
    const position = lineCounter.linePos(offset);
    return { line: position.line, column: position.col };
  };
  const walk = (node: Node | null | undefined, path: string): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const child = path === '' ? String(pair.key.value) : `${path}.${String(pair.key.value)}`;
        if (pair.key.range) map[child] = at(pair.key.range[0]);
        walk(pair.value as Node | null, child);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const child = `${path}[${index}]`;
        const range = (item as Node | null)?.range;
        if (range) map[child] = at(range[0]);
        walk(item as Node | null, child);
      });
    }
  };
  walk(document.contents as Node | null, '');
  return map;
}

/**
 * Reads a policy file (YAML or JSON) into a typed v1 Policy, with every problem located by line
 * and column.
 */
import { fromYamlComment, itemComment, nodeAtPath, pairFor, pathSegments, readYaml, type ReadLimits, type ReadProblem, type SourcePosition, type YamlDocumentRead } from '@k8s-gen/yaml';
import { isMap, isScalar, isSeq, Scalar, type Document, type Node } from 'yaml';
import { formatPath, setComment, type Problem } from '@k8s-gen/runtime';
import type { Policy } from './generated/audit.k8s.io/v1/types/Policy.js';
import { DEFAULT_KUBERNETES_VERSION, kubernetesMinor, kubernetesVersionProblem } from './kubernetes-version.js';
import { toProblem, type Finding } from './findings.js';
import { checkPolicyDocument, type ValidateOptions } from './validate.js';

/** Options for {@link parsePolicy}. */
export interface ParsePolicyOptions extends ValidateOptions {
  /** The file name to put on every problem (only used for reporting). */
  file?: string;
  /** Reading limits (size, depth, aliases); see `@k8s-gen/yaml`'s `DEFAULT_READ_LIMITS`. */
  limits?: Partial<ReadLimits>;
}

/**
 * What {@link parsePolicy} found. `ok` is true when there is no error; `problems` then holds only
 * warnings (for example a v1beta1 file converted to v1). When `ok` is false there is no policy,
 * because the apiserver would refuse the file too (or, by default, would silently drop part of it).
 */
export type ParsePolicyResult = ({ ok: true; policy: Policy; problems: Problem[] } | { ok: false; policy?: undefined; problems: Problem[] }) & {
  /**
   * Line and column of a policy path such as `rules[3].verbs[0]` (the key, or for a list item the
   * item); for a path the file lacks, its closest existing parent. Undefined when the file could
   * not be parsed at all.
   */
  locate(path: string): SourcePosition | undefined;
};

type Located = Omit<Problem, 'file'>;

/**
 * A better fix for a string field given an unquoted YAML word or number: YAML 1.1 turned `yes`
 * into a boolean and `0777` into 511, so the cure is quoting the text as it was written.
 */
function quotingFix(finding: Finding, node: unknown): string {
  if (finding.expected === 'string' && isScalar(node) && node.type === Scalar.PLAIN && typeof node.value !== 'string' && node.source !== undefined) {
    return `Quote it ("${node.source}") so YAML reads it as a string.`;
  }
  return finding.fix;
}

/** Records the file's comments on the decoded objects, so writing the policy again keeps them. */
function attachComments(document: Document, policy: Record<string, unknown>): void {
  const root = document.contents;
  if (!isMap(root)) return;
  const header = document.commentBefore ?? root.commentBefore ?? (root.items[0]?.key as Node | undefined)?.commentBefore;
  if (header) setComment(policy, fromYamlComment(header));
  const rulesNode = pairFor(root, 'rules')?.value;
  if (!isSeq(rulesNode) || !Array.isArray(policy.rules)) return;
  policy.rules.forEach((rule: unknown, i) => {
    if (rule === null || typeof rule !== 'object') return;
    const comment = itemComment(rulesNode, i);
    if (comment) setComment(rule, fromYamlComment(comment));
    const ruleNode = rulesNode.items[i];
    const resourcesNode = isMap(ruleNode) ? pairFor(ruleNode, 'resources')?.value : undefined;
    const resources = (rule as Record<string, unknown>).resources;
    if (!isSeq(resourcesNode) || !Array.isArray(resources)) return;
    resources.forEach((entry: unknown, k) => {
      const entryComment = itemComment(resourcesNode, k);
      if (entryComment && entry !== null && typeof entry === 'object') setComment(entry, fromYamlComment(entryComment));
    });
  });
}

/** A reader problem as a policy problem. */
function fromReader(problem: ReadProblem, severity: Problem['severity'] = problem.severity): Located {
  const { at, ...rest } = problem;
  return { ...rest, severity, path: formatPath(at) };
}

const NO_POSITION = (): undefined => undefined;

function read(input: string | Uint8Array, options: ParsePolicyOptions): ParsePolicyResult {
  const withFile = (problem: Located): Problem => (options.file === undefined ? problem : { file: options.file, ...problem });
  const version = options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  const versionProblem = kubernetesVersionProblem(version);
  if (versionProblem !== undefined) return { ok: false, problems: [withFile(versionProblem)], locate: NO_POSITION };
  const minor = kubernetesMinor(version);
  const asApiserver = options.asApiserver ?? false;
  // reader.go decodes with the universal decoder: JSON when the text starts with "{" (1.20 looked
  // at the first 2,048 bytes only), YAML otherwise.
  const stream = readYaml(input, { format: 'yaml-or-json', ...(options.limits ? { limits: options.limits } : {}), ...(minor <= 20 ? { jsonPeekBytes: 2048 } : {}) });
  if (stream.problems.length > 0) return { ok: false, problems: stream.problems.map((problem) => withFile(fromReader(problem))), locate: NO_POSITION };
  const [first, ...rest] = stream.documents as [YamlDocumentRead | undefined, ...YamlDocumentRead[]];
  const locate = first === undefined ? NO_POSITION : (path: string): SourcePosition => first.locate(pathSegments(path));
  const byPosition = (a: Located, b: Located): number => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
  const readerProblems: Located[] = [];
  if (rest.length > 0) {
    // go-yaml v2 (yaml.go, unmarshal) decodes only the first document of what it is given; the
    // apiserver hands it the whole file, so later documents are never read.
    readerProblems.push({
      severity: asApiserver ? 'warning' : 'error',
      code: 'ignored-document',
      path: '',
      message: `kube-apiserver reads only the first YAML document of a policy file; ${rest.length === 1 ? 'this document is' : `this document and the ${rest.length - 1} after it are`} ignored.`,
      fix: 'Put everything in the first document and remove the others (or the "---" line).',
      ...rest[0]!.start,
    });
  }
  if (first !== undefined && first.problems.length > 0) {
    return { ok: false, problems: [...first.problems.map((problem) => fromReader(problem)), ...readerProblems].sort(byPosition).map(withFile), locate };
  }
  // Duplicate keys: the apiserver keeps the last value (from 1.26 it logs a warning).
  readerProblems.push(...(first?.duplicateKeys ?? []).map((problem) => fromReader(problem, asApiserver ? 'warning' : 'error')));
  const { findings, policy } = checkPolicyDocument(first?.data, minor, { asApiserver, fromYaml: stream.format === 'yaml' });
  const located = (finding: Finding): Located => {
    if (first === undefined) return { ...toProblem(finding), line: 1, column: 1 };
    const { node, offset } = nodeAtPath(first.document, finding.at, { pointsAt: finding.pointsAt, missing: 'parent-value' });
    return { ...toProblem(finding), fix: quotingFix(finding, node), ...stream.positionOf(offset) };
  };
  const problems = [...readerProblems, ...findings.map(located)].sort(byPosition).map(withFile);
  if (policy === undefined || first === undefined || problems.some((problem) => problem.severity === 'error')) return { ok: false, problems, locate };
  attachComments(first.document, policy);
  return { ok: true, policy: policy as unknown as Policy, problems, locate };
}

/**
 * Parses an audit policy file and validates it like the `validate` function does, as bytes (the
 * file as read from disk) or text.
 *
 * - Reading follows kube-apiserver: text that starts with `{` is JSON; anything else is YAML read
 *   with go-yaml v2's rules (YAML 1.1 scalars, so an unquoted `yes` is a boolean and `0777` a
 *   number; no control characters or malformed UTF-8; aliases and merge keys), within the reading
 *   limits of `@k8s-gen/yaml` (`limits`): input too large, too deep or with too many aliases is
 *   refused with a problem before it can exhaust memory or the stack.
 * - Only the first YAML document counts, as for the apiserver; later ones are an
 *   `ignored-document` problem (a warning with `asApiserver`).
 * - `audit.k8s.io/v1beta1` and `v1alpha1` files are converted to v1 (the fields are the same):
 *   a warning for releases up to 1.23, an error from 1.24, where the apiserver refuses them.
 * - Duplicate keys are reported (the apiserver quietly keeps the last value), as errors, or as
 *   warnings with `asApiserver`.
 * - Every problem carries `line` and `column` (1-based) when it has a place in the text, and
 *   `file` when given; `locate(path)` gives the position of any policy path.
 * - Comments above rules and above resources entries, and the file's header comment, are recorded
 *   with `setComment`, so `toYaml` writes them again.
 *
 * Never throws, for any input or option: a bad `kubernetesVersion` is a `kubernetes-version`
 * problem.
 *
 * @example
 * ```ts
 * const result = parsePolicy(readFileSync('audit-policy.yaml'), { file: 'audit-policy.yaml', kubernetesVersion: '1.20' });
 * if (!result.ok) for (const p of result.problems) console.error(`${p.file}:${p.line}:${p.column} ${p.message}`);
 * else console.log(result.locate('rules[0].level')); // { line: 4, column: 5 }
 * ```
 */
export function parsePolicy(input: string | Uint8Array, options: ParsePolicyOptions = {}): ParsePolicyResult {
  try {
    return read(input, options);
  } catch (error) {
    // Every input is handled above; this keeps the documented promise should a bug slip through.
    const problem: Problem = {
      severity: 'error',
      code: 'internal-error',
      path: '',
      message: `k8s-gen failed while reading this policy (${error instanceof Error ? error.message : String(error)}); this is a bug in k8s-gen.`,
      fix: 'Report it with the file that caused it.',
    };
    return { ok: false, problems: [options.file === undefined ? problem : { ...problem, file: options.file }], locate: NO_POSITION };
  }
}

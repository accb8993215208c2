/**
 * Reads a policy file (YAML or JSON) into a typed v1 Policy, with every problem located by line
 * and column.
 */
import { fromYamlComment, itemComment, nodeAtPath, pairFor, parseGoYaml } from '@k8s-gen/yaml';
import { isMap, isScalar, isSeq, Scalar, type Document, type Node } from 'yaml';
import { formatPath, setComment, type Policy, type Problem } from './generated/index.js';
import { DEFAULT_KUBERNETES_VERSION, kubernetesMinor } from './kubernetes-version.js';
import { toProblem, type Finding, type PathSegment } from './findings.js';
import { LEGACY_POLICY_API_VERSIONS, POLICY_API_VERSION, policyFindings, withoutNullFields } from './validate.js';

/** Options for {@link parsePolicy}. */
export interface ParsePolicyOptions {
  /** The file name to put on every problem (only used for reporting). */
  file?: string;
  /** The Kubernetes release to validate for; see `validate`. Defaults to `1.36`. */
  kubernetesVersion?: string;
}

/**
 * What {@link parsePolicy} found. `ok` is true when there is no error; `problems` then holds only
 * warnings (for example a v1beta1 file converted to v1). When `ok` is false there is no policy,
 * because the apiserver would refuse the file too.
 */
export type ParsePolicyResult = { ok: true; policy: Policy; problems: Problem[] } | { ok: false; policy?: undefined; problems: Problem[] };

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

/** Keys written twice in one mapping: the apiserver keeps the last (and from 1.26 logs a warning). */
function duplicateKeys(document: Document, positionOf: (offset: number) => { line: number; column: number }): Located[] {
  const problems: Located[] = [];
  const visit = (node: unknown, at: PathSegment[]): void => {
    if (isSeq(node)) node.items.forEach((item, i) => visit(item, [...at, i]));
    if (!isMap(node)) return;
    const firstLine = new Map<string, number>();
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const position = positionOf(pair.key.range?.[0] ?? 0);
      const earlier = firstLine.get(key);
      if (earlier === undefined) firstLine.set(key, position.line);
      else {
        problems.push({
          severity: 'error',
          code: 'duplicate-key',
          path: formatPath([...at, key]),
          message: `\`${key}\` is written twice in this mapping (first on line ${earlier}); kube-apiserver keeps only the last value.`,
          fix: `Merge the two \`${key}\` entries into one.`,
          line: position.line,
          column: position.column,
        });
      }
    }
    for (const pair of node.items) if (isScalar(pair.key)) visit(pair.value, [...at, String(pair.key.value)]);
  };
  visit(document.contents, []);
  return problems;
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

/**
 * Parses an audit policy file and validates it like the `validate` function does.
 *
 * - YAML and JSON are both accepted. Scalars are read with YAML 1.1 rules, as kube-apiserver's
 *   YAML library does, so an unquoted `yes` is a boolean and `0777` a number.
 * - `audit.k8s.io/v1beta1` and `v1alpha1` files are converted to v1 (the fields are the same):
 *   a warning for releases up to 1.23, an error from 1.24, where the apiserver refuses them.
 * - Duplicate keys are reported as errors (the apiserver quietly keeps the last value).
 * - Every problem carries `line` and `column` (1-based) and, when given, `file`.
 * - Comments above rules and above resources entries, and the file's header comment, are recorded
 *   with `setComment`, so `toYaml` writes them again.
 *
 * Never throws for bad input; only an invalid `kubernetesVersion` option throws a RangeError.
 */
export function parsePolicy(text: string, options: ParsePolicyOptions = {}): ParsePolicyResult {
  const version = options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  kubernetesMinor(version); // a bad option throws before any reading, whatever the text holds
  const { document, positionOf } = parseGoYaml(text, { uniqueKeys: false });
  const withFile = (problem: Located): Problem => (options.file === undefined ? problem : { file: options.file, ...problem });

  if (document.errors.length > 0) {
    const problems = document.errors.map((yamlError) => {
      const start = positionOf(yamlError.pos[0]);
      return withFile({
        severity: 'error',
        code: 'yaml-syntax',
        path: '',
        message: yamlError.message.split('\n')[0]!,
        fix: 'Correct the YAML syntax at this position.',
        line: start.line,
        column: start.column,
      });
    });
    return { ok: false, problems };
  }

  let decoded: unknown;
  try {
    decoded = document.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    // toJS only throws for alias expansion beyond the limit (a "billion laughs" document).
    return { ok: false, problems: [withFile({ severity: 'error', code: 'yaml-aliases', path: '', message: `The YAML could not be expanded: ${(cause as Error).message}.`, fix: 'Write the values out instead of repeating aliases.', line: 1, column: 1 })] };
  }
  const data = withoutNullFields(decoded);
  const located = (finding: Finding): Located => {
    const { node, offset } = nodeAtPath(document, finding.at, { pointsAt: finding.pointsAt, missing: 'parent-value' });
    return { ...toProblem(finding), fix: quotingFix(finding, node), ...positionOf(offset) };
  };
  const problems = [...duplicateKeys(document, positionOf), ...policyFindings(data, version).map(located)]
    .sort((a, b) => a.line! - b.line! || a.column! - b.column!)
    .map(withFile);
  if (problems.some((problem) => problem.severity === 'error')) return { ok: false, problems };

  const policy = data as Record<string, unknown>;
  if (LEGACY_POLICY_API_VERSIONS.includes(policy.apiVersion as string)) policy.apiVersion = POLICY_API_VERSION;
  attachComments(document, policy);
  return { ok: true, policy: policy as unknown as Policy, problems };
}

/**
 * Policy validation: what kube-apiserver's decoder refuses (`apiserver-decode.ts`), its own checks
 * (V1-V10, below), and what it accepts but drops or misreads, which is an error here unless the
 * caller asks for the apiserver's verdict.
 */
import { closestName, formatPath, isDnsSubdomain, type Problem } from '@k8s-gen/runtime';
import { LevelValues } from './generated/audit.k8s.io/v1/types/Level.js';
import { StageValues } from './generated/audit.k8s.io/v1/types/Stage.js';
import { decodePolicyDocument, LEGACY_POLICY_API_VERSIONS, POLICY_API_VERSION } from './apiserver-decode.js';
import { DEFAULT_KUBERNETES_VERSION, kubernetesMinor, kubernetesVersionProblem } from './kubernetes-version.js';
import { toProblem, type Finding, type PathSegment } from './findings.js';

export { LEGACY_POLICY_API_VERSIONS, POLICY_API_VERSION } from './apiserver-decode.js';

/** Options shared by {@link validate} and the readers that validate what they read. */
export interface ValidateOptions {
  /**
   * The Kubernetes release the policy is meant for, like `1.23` or `v1.36.2`. Decides which API
   * versions and fields exist and whether `group: "*"` is allowed. Defaults to `1.36`. A value
   * that is no release gives one `kubernetes-version` problem.
   */
  kubernetesVersion?: string;
  /**
   * Give kube-apiserver's own verdict for that release: everything it refuses is an error, and
   * what it accepts but drops or misreads (unknown or misspelled fields, fields of a later
   * release, null list items, keys written twice, documents after the first) is a warning.
   * Default false: those are errors too, since the setting meant never takes effect.
   */
  asApiserver?: boolean;
}

const levels: readonly string[] = LevelValues;
const stages: readonly string[] = StageValues;

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function nonEmptyList(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

function error(code: string, at: readonly PathSegment[], message: string, fix: string): Finding {
  return { severity: 'error', code, at, pointsAt: 'value', message, fix };
}

function stageFix(value: string): string {
  const suggestion = closestName(value, stages);
  return suggestion ? `Did you mean "${suggestion}"? Stages are case-sensitive.` : `Use one of ${stages.join(', ')}.`;
}

function groupFinding(group: string, at: readonly PathSegment[], apiserverPath: string, minor: number): Finding | undefined {
  if (group === '' || (group === '*' && minor >= 36)) return undefined;
  if (isDnsSubdomain(group)) return undefined;
  let fix = 'Use a lower-case DNS subdomain of at most 253 characters, like "apps" or "rbac.authorization.k8s.io" ("" is the core group).';
  if (group === '*') fix = 'List the groups one by one, or target Kubernetes 1.36 or later, where "*" means every group.';
  else if (group.includes('/')) fix = `Write the group without its version: "${group.slice(0, group.indexOf('/'))}".`;
  else if (isDnsSubdomain(group.toLowerCase())) fix = `Write it in lower case: "${group.toLowerCase()}".`;
  return error(
    'V7-group-name',
    at,
    `API group "${group}" is not a lower-case DNS subdomain${group === '*' ? ' ("*" is accepted only from Kubernetes 1.36)' : ''}; kube-apiserver reports this at ${apiserverPath}.`,
    fix,
  );
}

/** One rule: V2-V9. */
function ruleFindings(rule: Fields, i: number, minor: number): Finding[] {
  const findings: Finding[] = [];
  const at = ['rules', i] as const;
  const { level, nonResourceURLs, resources, namespaces, omitStages } = rule;
  if (level === undefined || level === '') {
    findings.push(error('V2-level-required', [...at, 'level'], `Rule ${i} has no level.`, `Add \`level\` with one of ${levels.join(', ')}.`));
  } else if (typeof level === 'string' && !levels.includes(level)) {
    const suggestion = closestName(level, levels);
    findings.push(
      error('V3-level-unsupported', [...at, 'level'], `"${level}" is not an audit level.`, suggestion ? `Did you mean "${suggestion}"? Levels are case-sensitive.` : `Use one of ${levels.join(', ')}.`),
    );
  }
  if (Array.isArray(nonResourceURLs)) {
    nonResourceURLs.forEach((url, j) => {
      if (typeof url !== 'string' || url === '*') return;
      const urlAt = [...at, 'nonResourceURLs', j];
      if (!url.startsWith('/')) {
        findings.push(error('V4-url-not-absolute', urlAt, `Non-resource URL ${JSON.stringify(url)} does not begin with "/".`, url === '' ? 'Remove the empty entry, or write "*" for every path.' : `Write "/${url}".`));
      }
      if (url.slice(0, -1).includes('*')) {
        findings.push(error('V5-url-wildcard-position', urlAt, `Non-resource URL "${url}" has a "*" before its last character.`, `Keep "*" only at the end, as a prefix match: "${url.slice(0, url.indexOf('*') + 1)}".`));
      }
    });
    if (nonEmptyList(nonResourceURLs) && (nonEmptyList(resources) || nonEmptyList(namespaces))) {
      findings.push(
        error('V6-urls-with-resources', [...at, 'nonResourceURLs'], `Rule ${i} sets \`nonResourceURLs\` together with \`${nonEmptyList(resources) ? 'resources' : 'namespaces'}\`; a rule cannot match both kinds of request.`, 'Split it into one rule for resources and namespaces and one for nonResourceURLs.'),
      );
    }
  }
  if (Array.isArray(resources)) {
    resources.forEach((entry, k) => {
      if (!isFields(entry)) return;
      const entryAt = [...at, 'resources', k];
      if (typeof entry.group === 'string') {
        const finding = groupFinding(entry.group, [...entryAt, 'group'], `${formatPath([...at, 'resources'])}.group`, minor);
        if (finding) findings.push(finding);
      }
      if (nonEmptyList(entry.resourceNames) && !nonEmptyList(entry.resources)) {
        findings.push(
          error('V8-resource-names-without-resources', [...entryAt, 'resourceNames'], `\`resourceNames\` needs at least one entry in \`resources\` (kube-apiserver reports this at ${formatPath([...at, 'resources'])}.resourceNames).`, 'Add the resource the names belong to, for example resources: ["configmaps"].'),
        );
      }
    });
  }
  if (Array.isArray(omitStages)) {
    omitStages.forEach((stage, j) => {
      if (typeof stage === 'string' && !stages.includes(stage)) {
        findings.push(error('V9-rule-omit-stage', [...at, 'omitStages', j], `"${stage}" is not an audit stage.`, stageFix(stage)));
      }
    });
  }
  return findings;
}

/** The checks of kube-apiserver's ValidatePolicy (V1-V9) and of its reader (V10). */
function apiserverFindings(document: Fields, minor: number): Finding[] {
  const findings: Finding[] = [];
  if (Array.isArray(document.omitStages)) {
    document.omitStages.forEach((stage, i) => {
      if (typeof stage === 'string' && !stages.includes(stage)) {
        findings.push(error('V1-omit-stage', ['omitStages', i], `"${stage}" is not an audit stage.`, stageFix(stage)));
      }
    });
  }
  const { rules } = document;
  if (rules === undefined || (Array.isArray(rules) && rules.length === 0)) {
    findings.push(error('V10-no-rules', ['rules'], 'The policy has no rules; kube-apiserver refuses to load a policy with 0 rules.', 'Add at least one rule, for example "- level: Metadata".'));
  }
  if (Array.isArray(rules)) {
    rules.forEach((rule, i) => {
      if (isFields(rule)) findings.push(...ruleFindings(rule, i, minor));
    });
  }
  return findings;
}

/** Whether a formatted path is `prefix` itself or lies under it. */
function isAtOrBelow(path: string, prefix: string): boolean {
  return path === prefix || prefix === '' || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
}

/** Options of {@link checkPolicyDocument}. */
export interface CheckPolicyOptions {
  /** See {@link ValidateOptions.asApiserver}. */
  asApiserver?: boolean;
  /** Whether the document was read from YAML, whose keys reach the apiserver's decoder sorted. */
  fromYaml?: boolean;
}

/**
 * Every finding for a decoded policy document, in a stable order (what the decoder makes of the
 * document, then the checks V1-V10 on what it decoded), and the policy as the apiserver holds it:
 * the fields of its release, apiVersion normalised to v1, kind set. The checks skip what already
 * failed to decode. `minor` must be a supported release (see `kubernetesMinor`).
 */
export function checkPolicyDocument(input: unknown, minor: number, options: CheckPolicyOptions = {}): { findings: Finding[]; policy: Record<string, unknown> | undefined } {
  const decoded = decodePolicyDocument(input, minor, { keysSorted: options.fromYaml ?? false });
  if (decoded.typed === undefined) return { findings: decoded.findings, policy: undefined };
  const failed = decoded.findings.filter((finding) => finding.severity === 'error' && !finding.ignoredByApiserver).map((finding) => formatPath(finding.at));
  const checks = apiserverFindings(decoded.typed, minor).filter((finding) => !failed.some((path) => isAtOrBelow(formatPath(finding.at), path)));
  const seen = new Set<string>();
  const findings = [...decoded.findings, ...checks]
    .filter((finding) => {
      const key = `${finding.code} ${formatPath(finding.at)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((finding): Finding => (options.asApiserver && finding.ignoredByApiserver ? { ...finding, severity: 'warning' } : finding));
  const policy = { ...decoded.typed, apiVersion: POLICY_API_VERSION, kind: 'Policy' };
  return { findings, policy };
}

/**
 * Checks an audit policy the way kube-apiserver does at startup, and more.
 *
 * Reported, all as errors unless noted:
 * - everything that makes kube-apiserver refuse the policy: a missing apiVersion or one it does
 *   not serve in that release, a kind other than Policy (a PolicyList, a misspelling), values its
 *   decoder cannot take (a number where text belongs, a time that is not RFC 3339, anywhere in
 *   `metadata` too), and the checks V1-V10 of its validation and reader code (bad stages and
 *   levels, malformed non-resource URLs, rules mixing URLs with resources, API groups that are
 *   not DNS subdomains, resourceNames without resources, no rules);
 * - version rules for `kubernetesVersion`: `group: "*"` only from 1.36, `omitManagedFields` only
 *   from 1.23, `audit.k8s.io/v1beta1` and `v1alpha1` only up to 1.23 (a warning there, because
 *   they are converted to v1);
 * - what the apiserver accepts but drops or misreads: unknown or misspelled fields (with a "did
 *   you mean"), fields the target release does not have yet, null list items (read as `""`).
 *   The setting the author wanted never takes effect, so they are errors; with `asApiserver`
 *   they are warnings and the verdict is exactly the apiserver's.
 * - a missing `kind` is a warning: the apiserver assumes Policy, other tools do not. Any field of
 *   `metadata` (ObjectMeta) is accepted, as the apiserver accepts it.
 *
 * Style and effectiveness findings (unreachable rules, upper-case verbs, ...) are out of scope;
 * they belong to the linter in `@k8s-gen/engine`.
 *
 * Paths are exact (`rules[3].resources[0].group`) even where kube-apiserver's own message leaves
 * out the list index; such messages mention the apiserver's form.
 *
 * @param policy - a built policy or any decoded document (for example from JSON.parse)
 * @returns the problems, empty when the policy is valid for that release; never throws
 * @example
 * ```ts
 * validate(policy().rule().level('Metadata').end().build(), { kubernetesVersion: '1.20' }); // []
 * validate({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'None', verb: ['get'] }] }, { asApiserver: true });
 * // [{ severity: 'warning', code: 'unknown-field', path: 'rules[0].verb', ... }]
 * ```
 */
export function validate(policy: unknown, options: ValidateOptions = {}): Problem[] {
  const version = options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  const versionProblem = kubernetesVersionProblem(version);
  if (versionProblem !== undefined) return [versionProblem];
  return checkPolicyDocument(policy, kubernetesMinor(version), { asApiserver: options.asApiserver ?? false }).findings.map(toProblem);
}

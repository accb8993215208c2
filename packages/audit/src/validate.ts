/**
 * Policy validation: the kube-apiserver's own checks (V1-V10), version rules, and structural
 * checks from the generated schema that the apiserver does not make.
 */
import { formatPath, LevelValues, PolicySchema, StageValues, typeMetadata, type Problem } from './generated/index.js';
import { DEFAULT_KUBERNETES_VERSION, isAtLeast, kubernetesMinor } from './kubernetes-version.js';
import { schemaFindings } from './schema-findings.js';
import { closestName } from './suggest.js';
import { describeValue, toProblem, type Finding, type PathSegment } from './findings.js';

/** Options shared by {@link validate} and the readers that validate what they read. */
export interface ValidateOptions {
  /**
   * The Kubernetes release the policy is meant for, like `1.23` or `v1.36.2`. Decides which API
   * versions and fields exist and whether `group: "*"` is allowed. Defaults to `1.36`.
   */
  kubernetesVersion?: string;
}

/** The API version this package models. */
export const POLICY_API_VERSION = 'audit.k8s.io/v1';

/** Older policy API versions: same fields as v1, accepted by kube-apiserver up to 1.23. */
export const LEGACY_POLICY_API_VERSIONS: readonly string[] = ['audit.k8s.io/v1beta1', 'audit.k8s.io/v1alpha1'];

const levels: readonly string[] = LevelValues;
const stages: readonly string[] = StageValues;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

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

/** apiVersion and kind, which the apiserver's decoder needs before anything else. */
function headerFindings(document: Fields, minor: number): Finding[] {
  const findings: Finding[] = [];
  const { apiVersion, kind } = document;
  if (apiVersion === undefined) {
    findings.push(error('missing-field', ['apiVersion'], '`apiVersion` is missing, so kube-apiserver cannot decode the file.', `Add "apiVersion: ${POLICY_API_VERSION}".`));
  } else if (typeof apiVersion !== 'string') {
    findings.push(error('invalid-type', ['apiVersion'], `\`apiVersion\` must be a string, not ${describeValue(apiVersion)}.`, `Write "apiVersion: ${POLICY_API_VERSION}".`));
  } else if (LEGACY_POLICY_API_VERSIONS.includes(apiVersion)) {
    findings.push(
      minor >= 24
        ? error('removed-api-version', ['apiVersion'], `${apiVersion} was removed in Kubernetes 1.24; from then on kube-apiserver refuses to start with this policy.`, `Change apiVersion to ${POLICY_API_VERSION}; the fields are the same.`)
        : {
            severity: 'warning',
            code: 'converted-api-version',
            at: ['apiVersion'],
            pointsAt: 'value',
            message: `${apiVersion} was read as ${POLICY_API_VERSION} (the fields are the same); it is removed in Kubernetes 1.24.`,
            fix: `Change apiVersion to ${POLICY_API_VERSION} before upgrading to 1.24.`,
          },
    );
  } else if (apiVersion !== POLICY_API_VERSION) {
    findings.push(error('unknown-api-version', ['apiVersion'], `"${apiVersion}" is not an API version of audit policies.`, `Use ${POLICY_API_VERSION}.`));
  }
  if (kind === undefined) {
    findings.push(error('missing-field', ['kind'], '`kind` is missing, so kube-apiserver cannot decode the file.', 'Add "kind: Policy".'));
  } else if (kind !== 'Policy') {
    findings.push(error('wrong-kind', ['kind'], `\`kind\` is ${describeValue(kind)}, but a policy file must hold a single Policy.`, 'Set "kind: Policy".'));
  }
  return findings;
}

/** Fields used on a release that does not have them yet (read from the generated field metadata). */
function versionFindings(document: Fields, version: string): Finding[] {
  const findings: Finding[] = [];
  const check = (object: unknown, type: string, at: readonly PathSegment[]): void => {
    if (!isFields(object)) return;
    const fields = typeMetadata[type] ?? {};
    for (const field of Object.keys(object)) {
      const since = fields[field]?.since;
      if (since !== undefined && object[field] !== undefined && !isAtLeast(version, since)) {
        findings.push({
          ...error(
            'field-not-in-version',
            [...at, field],
            `\`${field}\` exists from Kubernetes ${since}; a ${version} apiserver drops it without a word, so the setting has no effect.`,
            `Remove \`${field}\`, or target Kubernetes ${since} or later.`,
          ),
          pointsAt: 'key',
        });
      }
    }
  };
  check(document, 'Policy', []);
  if (Array.isArray(document.rules)) {
    document.rules.forEach((rule, i) => {
      check(rule, 'PolicyRule', ['rules', i]);
      if (isFields(rule) && Array.isArray(rule.resources)) {
        rule.resources.forEach((entry, k) => check(entry, 'GroupResources', ['rules', i, 'resources', k]));
      }
    });
  }
  return findings;
}

function groupFinding(group: string, at: readonly PathSegment[], apiserverPath: string, minor: number): Finding | undefined {
  if (group === '' || (group === '*' && minor >= 36)) return undefined;
  if (group.length <= 253 && DNS_SUBDOMAIN.test(group)) return undefined;
  let fix = 'Use a lower-case DNS subdomain of at most 253 characters, like "apps" or "rbac.authorization.k8s.io" ("" is the core group).';
  if (group === '*') fix = 'List the groups one by one, or target Kubernetes 1.36 or later, where "*" means every group.';
  else if (group.includes('/')) fix = `Write the group without its version: "${group.slice(0, group.indexOf('/'))}".`;
  else if (group.length <= 253 && DNS_SUBDOMAIN.test(group.toLowerCase())) fix = `Write it in lower case: "${group.toLowerCase()}".`;
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

/**
 * A copy of a decoded document without fields whose value is null. Go's decoder leaves a field
 * that is null (in YAML also `key:` with nothing after it) at its zero value, so for kube-apiserver
 * such a field is simply unset; `level:` then fails as a missing level, `users:` is no list at all.
 * Null list items are kept, so they are reported.
 */
export function withoutNullFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNullFields);
  if (!isFields(value)) return value;
  const copy: Fields = {};
  for (const [key, field] of Object.entries(value)) if (field !== null) copy[key] = withoutNullFields(field);
  return copy;
}

/**
 * Every finding for a decoded policy document, in a stable order: apiVersion and kind, then the
 * apiserver's checks, then version and structural checks that the apiserver checks do not already
 * cover at the same path.
 */
export function policyFindings(input: unknown, version: string): Finding[] {
  const minor = kubernetesMinor(version);
  const document = withoutNullFields(input);
  if (!isFields(document)) {
    return [error('not-a-policy', [], `The document is ${describeValue(document)}, not a Policy mapping.`, `Write a mapping with apiVersion: ${POLICY_API_VERSION}, kind: Policy and rules.`)];
  }
  const header = headerFindings(document, minor);
  const apiserver = apiserverFindings(document, minor);
  const covered = new Set([...header, ...apiserver].map((finding) => formatPath(finding.at)));
  const normalized = { ...document, apiVersion: POLICY_API_VERSION, kind: 'Policy' };
  const rest = [...versionFindings(document, version), ...schemaFindings(PolicySchema, normalized)].filter(
    (finding) => !covered.has(formatPath(finding.at)),
  );
  return [...header, ...apiserver, ...rest];
}

/**
 * Checks an audit policy the way kube-apiserver does at startup, and more.
 *
 * Reported, all as errors unless noted:
 * - everything that makes kube-apiserver refuse the policy: the checks V1-V10 of its validation
 *   and reader code (bad stages and levels, malformed non-resource URLs, rules mixing URLs with
 *   resources, API groups that are not DNS subdomains, resourceNames without resources, no rules),
 *   values of the wrong type, and a missing or unknown apiVersion or kind;
 * - version rules for `kubernetesVersion`: `group: "*"` only from 1.36, `omitManagedFields` only
 *   from 1.23, `audit.k8s.io/v1beta1` and `v1alpha1` only up to 1.23 (a warning there, because
 *   they are converted to v1);
 * - fields the apiserver silently ignores: unknown or misspelled fields (with a "did you mean") and
 *   fields the target release does not have yet. The apiserver only drops or warns about them, but
 *   the setting the author wanted never takes effect, so this package treats them as errors.
 *
 * Style and effectiveness findings (unreachable rules, upper-case verbs, ...) are out of scope;
 * they belong to the linter in `@k8s-gen/engine`.
 *
 * Paths are exact (`rules[3].resources[0].group`) even where kube-apiserver's own message leaves
 * out the list index; such messages mention the apiserver's form.
 *
 * @param policy - a built policy or any decoded document (for example from JSON.parse)
 * @returns the problems, empty when the policy is valid for that release
 * @throws RangeError when `kubernetesVersion` is not a 1.x version from 1.12 on
 */
export function validate(policy: unknown, options: ValidateOptions = {}): Problem[] {
  return policyFindings(policy, options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION).map(toProblem);
}

/**
 * What kube-apiserver's decoder makes of a policy document, before `ValidatePolicy` runs.
 *
 * `LoadPolicyFromBytes` (k8s.io/apiserver/pkg/audit/policy/reader.go) decodes the file with the
 * audit scheme's universal decoder into a typed Policy. From apimachinery's JSON serializer
 * (pkg/runtime/serializer/json/json.go, meta.go) and the reader, in order:
 * 1. the kind is read with encoding/json into `{apiVersion, kind}`: keys match case-insensitively,
 *    the last match wins (after YAML, keys come sorted), and a non-string value fails decoding;
 * 2. `gvkWithDefaults` fills what is missing from the target type: an empty kind becomes
 *    `Policy`, an empty apiVersion the internal version, which the reader then refuses
 *    ("unknown group version field");
 * 3. the group/version/kind must be registered in the audit scheme of that release (v1; up to
 *    1.23 also v1beta1 and v1alpha1) and convert into a Policy: a PolicyList or Event cannot;
 * 4. the document is decoded case-sensitively into the Go structs: a value of the wrong JSON type
 *    fails, a null leaves the zero value, an unknown field is dropped (1.26+ decodes strictly
 *    first, but falls back to this lenient decoding, so unknown and duplicate fields never fail).
 *
 * The Go structs are mirrored below, per release, including the whole ObjectMeta, whose fields the
 * apiserver decodes (and so type-checks) but never uses.
 */
import { typeMetadata } from './generated/audit.k8s.io/v1/metadata.js';
import { describeValue, type Finding, type PathSegment } from './findings.js';
import { closestName } from '@k8s-gen/runtime';
import { kubernetesMinor } from './kubernetes-version.js';

type Fields = Record<string, unknown>;

/** The Go type a JSON value is decoded into. */
type GoType = 'string' | 'bool' | 'int64' | 'time' | 'raw' | { list: GoType } | { map: GoType } | { struct: Readonly<Record<string, GoField>> };

/** A struct field and the releases that have it (minor versions, inclusive). */
interface GoField {
  type: GoType;
  since?: number;
  until?: number;
}

const minorSince = (type: string, field: string): number => kubernetesMinor(typeMetadata[type]?.[field]?.since ?? '1.12');

const STRINGS: GoType = { list: 'string' };
const field = (type: GoType, releases: Omit<GoField, 'type'> = {}): GoField => ({ type, ...releases });

/** k8s.io/apimachinery/pkg/apis/meta/v1 ObjectMeta, OwnerReference and ManagedFieldsEntry. */
const OBJECT_META: GoType = {
  struct: {
    name: field('string'),
    generateName: field('string'),
    namespace: field('string'),
    selfLink: field('string'),
    uid: field('string'),
    resourceVersion: field('string'),
    generation: field('int64'),
    creationTimestamp: field('time'),
    deletionTimestamp: field('time'),
    deletionGracePeriodSeconds: field('int64'),
    labels: field({ map: 'string' }),
    annotations: field({ map: 'string' }),
    ownerReferences: field({
      list: { struct: { apiVersion: field('string'), kind: field('string'), name: field('string'), uid: field('string'), controller: field('bool'), blockOwnerDeletion: field('bool') } },
    }),
    finalizers: field(STRINGS),
    // Renamed ZZZ_DeprecatedClusterName in 1.24, removed in 1.25.
    clusterName: field('string', { until: 24 }),
    managedFields: field({
      list: {
        struct: {
          manager: field('string'),
          operation: field('string'),
          apiVersion: field('string'),
          time: field('time'),
          fieldsType: field('string'),
          fieldsV1: field('raw'),
          subresource: field('string', { since: 22 }),
        },
      },
    }),
  },
};

const GROUP_RESOURCES: GoType = { struct: { group: field('string'), resources: field(STRINGS), resourceNames: field(STRINGS) } };

const POLICY_RULE: GoType = {
  struct: {
    level: field('string'),
    users: field(STRINGS),
    userGroups: field(STRINGS),
    verbs: field(STRINGS),
    resources: field({ list: GROUP_RESOURCES }),
    namespaces: field(STRINGS),
    nonResourceURLs: field(STRINGS),
    omitStages: field(STRINGS),
    omitManagedFields: field('bool', { since: minorSince('PolicyRule', 'omitManagedFields') }),
  },
};

/** k8s.io/apiserver/pkg/apis/audit/v1 Policy (v1beta1 and v1alpha1 have the same fields). */
const POLICY: GoType = {
  struct: {
    apiVersion: field('string'),
    kind: field('string'),
    metadata: field(OBJECT_META),
    rules: field({ list: POLICY_RULE }),
    omitStages: field(STRINGS),
    omitManagedFields: field('bool', { since: minorSince('Policy', 'omitManagedFields') }),
  },
};

const inRelease = (goField: GoField, minor: number): boolean => (goField.since === undefined || minor >= goField.since) && (goField.until === undefined || minor <= goField.until);

/** What {@link decodePolicyDocument} found. */
export interface DecodedPolicy {
  /** Everything wrong, each marked: refused by the apiserver, ignored by it, or advice. */
  findings: Finding[];
  /**
   * The policy as the apiserver holds it after decoding: only the fields its release has, nulls
   * left unset (a null list item becomes the zero value: `""`, `{}`), apiVersion and kind as
   * read. Undefined when the document is no mapping.
   */
  typed: Fields | undefined;
}

function refused(code: string, at: readonly PathSegment[], message: string, fix: string, extra: Partial<Finding> = {}): Finding {
  return { severity: 'error', code, at, pointsAt: 'value', message, fix, ...extra };
}

function ignored(code: string, at: readonly PathSegment[], message: string, fix: string, pointsAt: 'key' | 'value'): Finding {
  return { severity: 'error', code, at, pointsAt, message, fix, ignoredByApiserver: true };
}

const GO_TYPE_NAMES: Readonly<Record<string, string>> = { string: 'a string', bool: 'a boolean', int64: 'an integer', time: 'an RFC 3339 time text', raw: 'any value' };

function typeName(type: GoType): string {
  if (typeof type === 'string') return GO_TYPE_NAMES[type]!;
  if ('list' in type) return 'a list';
  return 'a mapping';
}

/** The type names the readers' quoting fix understands (`expected`). */
function expectedName(type: GoType): string {
  if (typeof type === 'string') return type === 'bool' ? 'boolean' : type === 'int64' ? 'number' : 'string';
  return 'list' in type ? 'array' : 'object';
}

/** The zero value Go leaves for a null list item. */
function zeroOf(type: GoType): unknown {
  if (type === 'string' || type === 'time') return '';
  if (type === 'bool') return false;
  if (type === 'int64') return 0;
  if (type === 'raw') return null;
  if ('list' in type) return [];
  return {};
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** Whether Go's `time.Parse(time.RFC3339, text)` accepts the text. */
function isRfc3339(text: string): boolean {
  const match = RFC3339.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second, zoneHour, zoneMinute] = match.slice(1).map((part) => (part === undefined ? 0 : Number(part))) as number[];
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  return month! >= 1 && month! <= 12 && day! >= 1 && day! <= daysInMonth && hour! < 24 && minute! < 60 && second! < 60 && zoneHour! < 24 && zoneMinute! < 60;
}

/** Whether a decoded number becomes a JSON integer that Go's decoder takes for an int64. */
function isGoInt64(value: number): boolean {
  // json.Marshal writes 1e21 and beyond with an exponent, which an int64 does not accept.
  return Number.isInteger(value) && Math.abs(value) < 1e21 && value >= -(2 ** 63) && value <= 2 ** 63;
}

function wrongType(type: GoType, value: unknown, at: readonly PathSegment[]): Finding {
  return refused(
    'invalid-type',
    at,
    `Expected ${typeName(type)}, got ${describeValue(value)}; kube-apiserver cannot decode it and refuses the file.`,
    `Give ${typeName(type)}.`,
    { expected: expectedName(type) },
  );
}

/**
 * Decodes `value` into `type` the way Go's JSON decoder does (step 4 of the module comment),
 * collecting findings; returns the decoded value, or undefined where decoding failed.
 */
function decodeAs(type: GoType, value: unknown, at: readonly PathSegment[], minor: number, findings: Finding[]): unknown {
  if (typeof type === 'string') {
    const fits =
      type === 'raw' ||
      (type === 'string' && typeof value === 'string') ||
      (type === 'bool' && typeof value === 'boolean') ||
      (type === 'int64' && typeof value === 'number' && isGoInt64(value)) ||
      (type === 'time' && typeof value === 'string');
    if (!fits) {
      findings.push(wrongType(type, value, at));
      return undefined;
    }
    if (type === 'time' && !isRfc3339(value as string)) {
      findings.push(refused('invalid-time', at, `${JSON.stringify(value)} is not an RFC 3339 time; kube-apiserver cannot decode it and refuses the file.`, 'Write it like "2024-01-02T03:04:05Z", or remove it.'));
      return undefined;
    }
    return value;
  }
  if ('list' in type) {
    if (!Array.isArray(value)) {
      findings.push(wrongType(type, value, at));
      return undefined;
    }
    return value.map((item: unknown, i) => {
      if (item !== null) return decodeAs(type.list, item, [...at, i], minor, findings);
      findings.push(ignored('invalid-type', [...at, i], `This list item is null; kube-apiserver reads it as ${JSON.stringify(zeroOf(type.list))}, which is rarely what was meant.`, 'Remove the item, or write the value meant.', 'value'));
      return zeroOf(type.list);
    });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    findings.push(wrongType(type, value, at));
    return undefined;
  }
  const out: Fields = {};
  const entries = Object.entries(value);
  if ('map' in type) {
    for (const [key, entry] of entries) Object.defineProperty(out, key, { value: entry === null ? zeroOf(type.map) : decodeAs(type.map, entry, [...at, key], minor, findings), enumerable: true, writable: true, configurable: true });
    return out;
  }
  const known = Object.keys(type.struct).filter((name) => inRelease(type.struct[name]!, minor));
  for (const [key, entry] of entries) {
    const goField = Object.hasOwn(type.struct, key) ? type.struct[key]! : undefined;
    if (goField === undefined || !inRelease(goField, minor)) {
      findings.push(unknownField(key, goField, [...at, key], known, minor));
      continue;
    }
    if (entry === null) continue;
    const decoded = decodeAs(goField.type, entry, [...at, key], minor, findings);
    if (decoded !== undefined) out[key] = decoded;
  }
  return out;
}

function unknownField(key: string, goField: GoField | undefined, at: readonly PathSegment[], known: readonly string[], minor: number): Finding {
  if (goField !== undefined) {
    const since = goField.since !== undefined && minor < goField.since;
    return ignored(
      'field-not-in-version',
      at,
      since
        ? `\`${key}\` exists from Kubernetes 1.${goField.since}; a 1.${minor} apiserver drops it without a word, so the setting has no effect.`
        : `\`${key}\` was removed after Kubernetes 1.${goField.until}; a 1.${minor} apiserver drops it without a word.`,
      since ? `Remove \`${key}\`, or target Kubernetes 1.${goField.since} or later.` : `Remove \`${key}\`.`,
      'key',
    );
  }
  const suggestion = closestName(key, known);
  return ignored(
    'unknown-field',
    at,
    `\`${key}\` is not a known field here; kube-apiserver drops it without a word, so it has no effect.`,
    suggestion !== undefined ? `Did you mean \`${suggestion}\`?` : `Remove it; the known fields are ${known.map((name) => `\`${name}\``).join(', ')}.`,
    'key',
  );
}

/** Go's byte order of strings (UTF-8 bytes compare like code points). */
function compareGoStrings(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < left.length && i < right.length; i++) {
    const difference = left[i]!.codePointAt(0)! - right[i]!.codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

/** A key as Go's case-insensitive field match folds it (Kelvin sign and long s fold to ASCII). */
const goFold = (key: string): string => key.replace(/[A-Z\u212a\u017f]/g, (ch) => (ch === '\u212a' ? 'k' : ch === '\u017f' ? 's' : ch.toLowerCase()));

/** The API versions of audit policies a release's scheme registers. */
export const POLICY_API_VERSION = 'audit.k8s.io/v1';
/** Older policy API versions: same fields as v1, accepted by kube-apiserver up to 1.23. */
export const LEGACY_POLICY_API_VERSIONS: readonly string[] = ['audit.k8s.io/v1beta1', 'audit.k8s.io/v1alpha1'];
const LAST_LEGACY_MINOR = 23;
const OTHER_AUDIT_KINDS: readonly string[] = ['PolicyList', 'Event', 'EventList'];

/**
 * Steps 1-3 of the module comment: what the decoder takes the document for. `otherObject` is set
 * when it is another audit object (a PolicyList, an Event), not a policy with a wrong header.
 */
function typeMetaFindings(document: Fields, minor: number, keysSorted: boolean): { findings: Finding[]; otherObject: boolean } {
  const done = (otherObject = false): { findings: Finding[]; otherObject: boolean } => ({ findings, otherObject });
  const keys = Object.keys(document);
  if (keysSorted) keys.sort(compareGoStrings);
  const read: Record<'apiversion' | 'kind', { key: string; value: string } | undefined> = { apiversion: undefined, kind: undefined };
  const findings: Finding[] = [];
  for (const key of keys) {
    const folded = goFold(key);
    if (folded !== 'apiversion' && folded !== 'kind') continue;
    const value = document[key];
    if (value === null) continue;
    if (typeof value !== 'string') {
      findings.push(refused('invalid-type', [key], `\`${key}\` must be a string, not ${describeValue(value)}; kube-apiserver cannot read the file's kind ("couldn't get version/kind").`, folded === 'kind' ? 'Write "kind: Policy".' : `Write "apiVersion: ${POLICY_API_VERSION}".`, { expected: 'string' }));
      return done();
    }
    read[folded] = { key, value };
  }
  const apiVersion = read.apiversion?.value ?? '';
  const apiVersionAt = [read.apiversion?.key ?? 'apiVersion'];
  const kind = read.kind?.value || 'Policy';
  if (read.kind === undefined || read.kind.value === '') {
    findings.push({ severity: 'warning', code: 'missing-field', at: [read.kind?.key ?? 'kind'], pointsAt: 'value', message: '`kind` is missing; kube-apiserver assumes Policy, but kubectl and other tools need it.', fix: 'Add "kind: Policy".' });
  }
  const slashes = apiVersion.split('/').length - 1;
  const [group, version] = slashes === 0 ? ['', apiVersion] : slashes === 1 ? (apiVersion.split('/') as [string, string]) : [undefined, undefined];
  if (apiVersion === '') {
    findings.push(refused('missing-field', apiVersionAt, '`apiVersion` is missing; kube-apiserver then reads the file as no API version it serves and refuses it ("unknown group version field").', `Add "apiVersion: ${POLICY_API_VERSION}".`));
    return done();
  }
  const legacy = LEGACY_POLICY_API_VERSIONS.includes(apiVersion);
  if (legacy && minor > LAST_LEGACY_MINOR) {
    findings.push(refused('removed-api-version', apiVersionAt, `${apiVersion} was removed in Kubernetes 1.24; from then on kube-apiserver refuses to start with this policy.`, `Change apiVersion to ${POLICY_API_VERSION}; the fields are the same.`));
    return done();
  }
  if (group !== 'audit.k8s.io' || (version !== 'v1' && !legacy)) {
    const fix = closestName(apiVersion, [POLICY_API_VERSION]) !== undefined || group === 'audit.k8s.io' ? `Write "${POLICY_API_VERSION}".` : `Use ${POLICY_API_VERSION}.`;
    findings.push(refused('unknown-api-version', apiVersionAt, `"${apiVersion}" is not an API version of audit policies, so kube-apiserver refuses the file (${slashes > 1 ? '"unexpected GroupVersion string"' : `no kind "${kind}" is registered for it`}).`, fix));
    return done();
  }
  if (kind !== 'Policy') {
    const other = OTHER_AUDIT_KINDS.includes(kind);
    const suggestion = other ? undefined : closestName(kind, ['Policy']);
    findings.push(
      refused(
        'wrong-kind',
        [read.kind!.key],
        other
          ? `The kind is ${kind}; kube-apiserver reads a policy file into a single Policy and cannot convert a ${kind} into one, so it refuses the file.`
          : `The kind "${kind}" does not exist in ${apiVersion}, so kube-apiserver refuses the file.`,
        suggestion !== undefined ? `Did you mean "kind: Policy"?` : 'Write "kind: Policy", with the rules at the top level of the file.',
      ),
    );
    return done(other);
  }
  if (legacy) {
    findings.push({
      severity: 'warning',
      code: 'converted-api-version',
      at: apiVersionAt,
      pointsAt: 'value',
      message: `${apiVersion} was read as ${POLICY_API_VERSION} (the fields are the same); it is removed in Kubernetes 1.24.`,
      fix: `Change apiVersion to ${POLICY_API_VERSION} before upgrading to 1.24.`,
    });
  }
  return done();
}

/** Options of {@link decodePolicyDocument}. */
export interface DecodePolicyOptions {
  /** Whether the keys come sorted, as they do after YAML (sigs.k8s.io/yaml writes JSON with sorted keys). */
  keysSorted: boolean;
}

/**
 * Decodes a policy document as kube-apiserver of release `1.<minor>` does (see the module
 * comment). Refusals are errors; what the apiserver drops or reads as a zero value is marked
 * `ignoredByApiserver`.
 */
export function decodePolicyDocument(document: unknown, minor: number, options: DecodePolicyOptions): DecodedPolicy {
  if (document === null || document === undefined || typeof document !== 'object' || Array.isArray(document)) {
    const empty = document === null || document === undefined;
    return {
      findings: [
        refused(
          'not-a-policy',
          [],
          empty
            ? 'The file holds no YAML document (it is empty, or only comments); kube-apiserver refuses it ("unknown group version field").'
            : `The document is ${describeValue(document)}, not a Policy mapping; kube-apiserver refuses it.`,
          `Write a mapping with apiVersion: ${POLICY_API_VERSION}, kind: Policy and rules.`,
        ),
      ],
      typed: undefined,
    };
  }
  const { findings, otherObject } = typeMetaFindings(document as Fields, minor, options.keysSorted);
  // A PolicyList or an Event is another object altogether: checking it as a policy says nothing.
  if (otherObject) return { findings, typed: undefined };
  const typed = decodeAs(POLICY, document, [], minor, findings) as Fields;
  return { findings, typed };
}

/**
 * Policy files and what kube-apiserver does with each, by category, with the upstream source
 * line each verdict follows. Paths are in kubernetes/apiserver (reader.go =
 * pkg/audit/policy/reader.go, validation.go = pkg/apis/audit/validation/validation.go),
 * kubernetes/apimachinery (json.go and meta.go = pkg/runtime/serializer/json/, recognizer.go =
 * pkg/runtime/serializer/recognizer/, versioning.go = pkg/runtime/serializer/versioning/),
 * go-yaml v2 and sigs.k8s.io/yaml v1.2.0, at the release tags named (kubernetes-1.N.0).
 */

/** Why a case is here. */
export type PolicyCaseCategory = 'documents' | 'kind-and-version' | 'metadata' | 'decoding' | 'reading-limits' | 'encoding' | 'options';

/** A policy file and the verdicts on it. */
export interface PolicyCase {
  name: string;
  category: PolicyCaseCategory;
  input: string | Uint8Array;
  /** The release checked against; 1.36 when left out. */
  kubernetesVersion?: string;
  /** What kube-apiserver of that release does at startup with this file. */
  apiserver: 'loads' | 'refuses';
  /** `parsePolicy` by default (strict: what the apiserver drops is an error too). */
  strict: 'ok' | 'refused';
  /** The problem codes by default, in order. */
  codes: readonly string[];
  /** The upstream line the apiserver verdict follows. */
  source: string;
  /** Why `asApiserver` refuses what the apiserver loads (the reading limits), when it does. */
  deviation?: string;
}

const HEAD = 'apiVersion: audit.k8s.io/v1\nkind: Policy\n';
const RULES = 'rules:\n- level: Metadata\n';
const POLICY = `${HEAD}${RULES}`;
const bytes = (...parts: (string | number[])[]): Uint8Array => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))));

function billionLaughs(): string {
  const lines = ['x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let level = 1; level <= 9; level++) lines.push(`x${level}: &x${level} [${Array.from({ length: 10 }, () => `*x${level - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

export const POLICY_CASES: readonly PolicyCase[] = [
  // documents
  { name: 'an empty file', category: 'documents', input: '', apiserver: 'refuses', strict: 'refused', codes: ['not-a-policy'], source: 'go-yaml v2 yaml.go:142 finds no node, so YAMLToJSON gives null; json.go:247 (1.20) / :192 (1.36) then defaults to the internal version, which reader.go:76 (1.20) / :86 (1.26, 1.36) refuses' },
  { name: 'a comment-only file', category: 'documents', input: '# audit policy\n# (to be written)\n', apiserver: 'refuses', strict: 'refused', codes: ['not-a-policy'], source: 'as for an empty file: comments are no document (go-yaml v2 yaml.go:142)' },
  { name: 'a lone document marker', category: 'documents', input: '---\n', apiserver: 'refuses', strict: 'refused', codes: ['not-a-policy'], source: 'an empty document is null: json.go:247 (1.20) / :192 (1.36) and reader.go:76 / :86' },
  { name: 'a policy followed by a second document', category: 'documents', input: `${POLICY}---\n${HEAD}rules: []\n`, apiserver: 'loads', strict: 'refused', codes: ['ignored-document'], source: 'go-yaml v2 yaml.go:142 decodes the first document only; reader.go:70 (1.20) hands it the whole file' },
  { name: 'a policy followed by a broken document', category: 'documents', input: `${POLICY}---\nrules: [\n`, apiserver: 'loads', strict: 'refused', codes: ['ignored-document'], source: 'go-yaml v2 yaml.go:142: the second document is never parsed' },
  { name: 'an empty document before the policy', category: 'documents', input: `---\n---\n${POLICY}`, apiserver: 'refuses', strict: 'refused', codes: ['not-a-policy', 'ignored-document'], source: 'go-yaml v2 yaml.go:142 reads the empty first document; reader.go:76 (1.20) / :86 (1.36) refuses it' },

  // kind and version
  { name: 'kind: PolicyList', category: 'kind-and-version', input: `apiVersion: audit.k8s.io/v1\nkind: PolicyList\nitems: []\n`, apiserver: 'refuses', strict: 'refused', codes: ['wrong-kind'], source: 'json.go:259 (1.20) / :204 (1.36) creates a v1 PolicyList; versioning.go:159 (1.20) / :178 (1.36) cannot convert it into the Policy reader.go:70 decodes into' },
  { name: 'apiVersion: v1 with kind: Policy', category: 'kind-and-version', input: `apiVersion: v1\nkind: Policy\n${RULES}`, apiserver: 'refuses', strict: 'refused', codes: ['unknown-api-version'], source: 'json.go:259 (1.20) / :204 (1.36): no kind "Policy" is registered for version "v1"' },
  { name: 'a misspelled kind', category: 'kind-and-version', input: `apiVersion: audit.k8s.io/v1\nkind: Polcy\n${RULES}`, apiserver: 'refuses', strict: 'refused', codes: ['wrong-kind'], source: 'json.go:259 (1.20) / :204 (1.36): no kind "Polcy" is registered in audit.k8s.io/v1' },
  { name: 'a misspelled API group', category: 'kind-and-version', input: `apiVersion: audt.k8s.io/v1\nkind: Policy\n${RULES}`, apiserver: 'refuses', strict: 'refused', codes: ['unknown-api-version'], source: 'json.go:259 (1.20) / :204 (1.36): the group is not in the audit scheme' },
  { name: 'an API version that does not exist', category: 'kind-and-version', input: `apiVersion: audit.k8s.io/v2\nkind: Policy\n${RULES}`, apiserver: 'refuses', strict: 'refused', codes: ['unknown-api-version'], source: 'json.go:259 (1.20) / :204 (1.36): v2 is not registered' },
  { name: 'apiVersion with no kind', category: 'kind-and-version', input: `apiVersion: audit.k8s.io/v1\n${RULES}`, apiserver: 'loads', strict: 'ok', codes: ['missing-field'], source: 'json.go:247 (1.20) / :192 (1.36): gvkWithDefaults takes the kind of the typed target, Policy' },
  { name: 'an empty kind', category: 'kind-and-version', input: `apiVersion: audit.k8s.io/v1\nkind: ""\n${RULES}`, apiserver: 'loads', strict: 'ok', codes: ['missing-field'], source: 'json.go:188 (1.20) / :117 (1.36): an empty kind is filled in like a missing one' },
  { name: 'kind with no apiVersion', category: 'kind-and-version', input: `kind: Policy\n${RULES}`, apiserver: 'refuses', strict: 'refused', codes: ['missing-field'], source: 'json.go:193 (1.20) / :122 (1.36) fills the internal version, which reader.go:76 (1.20) / :86 (1.36) refuses' },
  { name: 'apiVersion and kind in capitals', category: 'kind-and-version', input: `APIVERSION: audit.k8s.io/v1\nKIND: Policy\n${RULES}`, apiserver: 'loads', strict: 'refused', codes: ['unknown-field', 'unknown-field'], source: 'meta.go:55 reads apiVersion and kind with encoding/json, which matches keys case-insensitively; json.go:264 (1.20) then drops the keys as unknown' },
  { name: 'a kind that is a number', category: 'kind-and-version', input: `apiVersion: audit.k8s.io/v1\nkind: 5\n${RULES}`, apiserver: 'refuses', strict: 'refused', codes: ['invalid-type'], source: 'meta.go:55: "couldn\'t get version/kind; json parse error"' },
  { name: 'v1beta1 on 1.20', category: 'kind-and-version', input: `apiVersion: audit.k8s.io/v1beta1\nkind: Policy\n${RULES}`, kubernetesVersion: '1.20', apiserver: 'loads', strict: 'ok', codes: ['converted-api-version'], source: 'reader.go:36 (1.20) lists v1beta1' },
  { name: 'v1beta1 on 1.24', category: 'kind-and-version', input: `apiVersion: audit.k8s.io/v1beta1\nkind: Policy\n${RULES}`, kubernetesVersion: '1.24', apiserver: 'refuses', strict: 'refused', codes: ['removed-api-version'], source: 'reader.go:34 (1.24) lists only v1' },
  { name: 'JSON', category: 'kind-and-version', input: '{"apiVersion": "audit.k8s.io/v1", "kind": "Policy", "rules": [{"level": "None"}]}\n', apiserver: 'loads', strict: 'ok', codes: [], source: 'recognizer.go:107 (1.20) / :102 (1.36) picks the JSON serializer for text starting with "{"' },
  { name: 'JSON with a comment after it', category: 'kind-and-version', input: '{"apiVersion": "audit.k8s.io/v1", "kind": "Policy", "rules": [{"level": "None"}]} # the policy\n', apiserver: 'refuses', strict: 'refused', codes: ['json-syntax'], source: 'recognizer.go:107 (1.20) / :102 (1.36) decodes it as JSON only, and JSON has no comments' },

  // metadata
  { name: 'metadata.generation', category: 'metadata', input: `${HEAD}metadata:\n  name: audit\n  generation: 3\n${RULES}`, apiserver: 'loads', strict: 'ok', codes: [], source: 'types.go:157 (apis/audit/v1, 1.20) embeds ObjectMeta, which has generation; nothing reads it' },
  {
    name: 'every ObjectMeta field',
    category: 'metadata',
    input: `${HEAD}metadata:\n  name: a\n  generateName: a-\n  namespace: ns\n  selfLink: /x\n  uid: u\n  resourceVersion: "1"\n  generation: 1\n  creationTimestamp: 2024-01-02T03:04:05Z\n  deletionTimestamp: "2024-01-02T03:04:05.5+01:00"\n  deletionGracePeriodSeconds: 30\n  labels: {a: b}\n  annotations: {c: d}\n  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: c, uid: u, controller: true}]\n  finalizers: [x]\n  managedFields: [{manager: m, operation: Apply, time: "2024-01-02T03:04:05Z", fieldsType: FieldsV1, fieldsV1: {f:a: {}}}]\n${RULES}`,
    apiserver: 'loads',
    strict: 'ok',
    codes: [],
    source: 'types.go:157 (apis/audit/v1, 1.20): ObjectMeta of k8s.io/apimachinery/pkg/apis/meta/v1, decoded by json.go:264 (1.20)',
  },
  { name: 'metadata.generation as text', category: 'metadata', input: `${HEAD}metadata:\n  generation: "3"\n${RULES}`, apiserver: 'refuses', strict: 'refused', codes: ['invalid-type'], source: 'json.go:264 (1.20): a string cannot be decoded into the int64 generation' },
  { name: 'a creationTimestamp that is no time', category: 'metadata', input: `${HEAD}metadata:\n  creationTimestamp: yesterday\n${RULES}`, apiserver: 'refuses', strict: 'refused', codes: ['invalid-time'], source: 'apimachinery pkg/apis/meta/v1/time.go:110 (1.20): time.Parse(time.RFC3339, ...) fails' },
  { name: 'a misspelled metadata field', category: 'metadata', input: `${HEAD}metadata:\n  lables: {a: b}\n${RULES}`, apiserver: 'loads', strict: 'refused', codes: ['unknown-field'], source: 'json.go:264 (1.20) drops unknown fields; reader.go:68-81 (1.26, 1.36) falls back to that lenient decoding' },

  // decoding
  { name: 'a misspelled rule field', category: 'decoding', input: `${HEAD}rules:\n- level: None\n  verb: [get]\n`, apiserver: 'loads', strict: 'refused', codes: ['unknown-field'], source: 'json.go:264 (1.20) drops unknown fields; reader.go:68-81 (1.26, 1.36) falls back to that lenient decoding with a warning' },
  { name: 'omitManagedFields on 1.22', category: 'decoding', input: `${HEAD}omitManagedFields: true\n${RULES}`, kubernetesVersion: '1.22', apiserver: 'loads', strict: 'refused', codes: ['field-not-in-version'], source: 'pkg/apis/audit/v1/types.go has omitManagedFields from 1.23 only; json.go:264 (1.20) drops unknown fields' },
  { name: 'omitManagedFields as text', category: 'decoding', input: `${HEAD}omitManagedFields: "true"\n${RULES}`, apiserver: 'refuses', strict: 'refused', codes: ['invalid-type'], source: 'json.go:264 (1.20): a JSON string cannot be decoded into the bool' },
  { name: 'an unquoted octal user', category: 'decoding', input: `${HEAD}rules:\n- level: None\n  users: [0777]\n`, apiserver: 'refuses', strict: 'refused', codes: ['invalid-type'], source: 'go-yaml v2 reads 0777 as the number 511; json.go:264 (1.20) cannot decode it into a string' },
  { name: 'a null user', category: 'decoding', input: `${HEAD}rules:\n- level: None\n  users: [~]\n`, apiserver: 'loads', strict: 'refused', codes: ['invalid-type'], source: 'json.go:264 (1.20): a null list item is left as "", which validation.go never checks' },
  { name: 'a null non-resource URL', category: 'decoding', input: `${HEAD}rules:\n- level: None\n  nonResourceURLs: [~]\n`, apiserver: 'refuses', strict: 'refused', codes: ['invalid-type', 'V4-url-not-absolute'], source: 'json.go:264 (1.20) leaves "", which validation.go:87 (1.20) refuses: it must begin with "/"' },
  { name: 'a null rule', category: 'decoding', input: `${HEAD}rules: [~]\n`, apiserver: 'refuses', strict: 'refused', codes: ['invalid-type', 'V2-level-required'], source: 'json.go:264 (1.20) leaves an empty rule, whose level validation.go:73 (1.20) requires' },
  { name: 'a key written twice', category: 'decoding', input: `${HEAD}rules:\n- level: None\n  verbs: [get]\n  verbs: [list]\n`, apiserver: 'loads', strict: 'refused', codes: ['duplicate-key'], source: 'go-yaml v2 keeps the last value; reader.go:68-81 (1.26, 1.36) only warns about the strict error' },
  { name: '.inf in an unknown field', category: 'decoding', input: `${HEAD}${RULES}extra: .inf\n`, apiserver: 'refuses', strict: 'refused', codes: ['yaml-value'], source: 'sigs.k8s.io/yaml yaml.go:139 (v1.2.0): json.Marshal refuses +Inf before any field is looked at' },
  { name: 'a null key', category: 'decoding', input: `${HEAD}${RULES}~: x\n`, apiserver: 'refuses', strict: 'refused', codes: ['yaml-key'], source: 'sigs.k8s.io/yaml yaml.go:208 (v1.2.0): "Unsupported map key"' },

  // reading limits
  { name: 'billion laughs', category: 'reading-limits', input: `${POLICY}${billionLaughs()}`, apiserver: 'refuses', strict: 'refused', codes: ['yaml-alias-expansion'], source: 'go-yaml v2 decode.go:356: "document contains excessive aliasing"' },
  { name: 'an alias inside what it names', category: 'reading-limits', input: `${POLICY}extra: &a [*a]\n`, apiserver: 'refuses', strict: 'refused', codes: ['yaml-alias-recursive'], source: "go-yaml v2 decode.go:393: \"anchor 'a' value contains itself\"" },
  { name: 'an alias of no anchor', category: 'reading-limits', input: `${HEAD}rules:\n- level: *level\n`, apiserver: 'refuses', strict: 'refused', codes: ['yaml-alias-undefined'], source: "go-yaml v2 decode.go:185: \"unknown anchor 'level' referenced\"" },
  { name: '10,000 nested lists', category: 'reading-limits', input: `${POLICY}extra: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, apiserver: 'refuses', strict: 'refused', codes: ['yaml-too-deep'], source: 'go-yaml v2 scannerc.go:912 allows 10,000 levels and Go\'s JSON decoder refuses the 10,001st (kubectl shows both)' },
  { name: 'a 50 MB policy', category: 'reading-limits', input: `${HEAD}rules:\n${'- level: Metadata\n  users: ["system:kube-proxy"]\n  verbs: [watch]\n'.repeat(800_000)}`, apiserver: 'loads', strict: 'refused', codes: ['input-too-large'], source: 'reader.go reads the whole file (ioutil.ReadFile), with no limit', deviation: 'k8s-gen reads at most maxBytes (4 MiB by default) in every mode.' },

  // encoding
  { name: 'a control character in a comment', category: 'encoding', input: `${POLICY}# \u0007\n`, apiserver: 'refuses', strict: 'refused', codes: ['yaml-control-character'], source: 'go-yaml v2 readerc.go:357: "control characters are not allowed"' },
  { name: 'malformed UTF-8', category: 'encoding', input: bytes(HEAD, 'rules:\n- level: None\n  users: [', [0xc3, 0x28], ']\n'), apiserver: 'refuses', strict: 'refused', codes: ['yaml-invalid-encoding'], source: 'go-yaml v2 readerc.go: "invalid trailing UTF-8 octet"' },
  { name: 'UTF-16 with its byte-order mark', category: 'encoding', input: bytes([0xff, 0xfe], [...Buffer.from(POLICY, 'utf16le')]), apiserver: 'loads', strict: 'ok', codes: [], source: 'go-yaml v2 readerc.go: yaml_parser_determine_encoding honours the UTF-16LE byte-order mark' },
  { name: 'U+2028 ending a comment', category: 'encoding', input: `${HEAD}# note\u2028omitStages: [RequestReceived]\n${RULES}`, apiserver: 'loads', strict: 'refused', codes: ['yaml-line-break-character'], source: 'go-yaml v2 yamlprivateh.go:102 (is_break) counts U+2028 as a line break, so the comment ends and omitStages is set', deviation: 'k8s-gen refuses text whose meaning editors do not show, in every mode.' },

  // options
  { name: 'kubernetesVersion banana', category: 'options', input: POLICY, kubernetesVersion: 'banana', apiserver: 'loads', strict: 'refused', codes: ['kubernetes-version'], source: 'not the apiserver: a bad option is a problem, never a RangeError', deviation: 'there is no such release to check against.' },
];

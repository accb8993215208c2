/**
 * Files of unknown kind for `validateDocuments`, by category: what it must recognise them as
 * and the error codes it must give. Nothing may pass as "not checked".
 */

/** Why a case is here. */
export type DocumentsCaseCategory = 'empty' | 'other-objects' | 'policy-headers' | 'documents' | 'hostile-yaml';

/** A file and the verdict on it. */
export interface DocumentsCase {
  name: string;
  category: DocumentsCaseCategory;
  input: string | Uint8Array;
  /** What the file is checked as; empty when it is none of the three. */
  kinds: readonly string[];
  /** The error codes, in order. */
  errors: readonly string[];
}

const POLICY = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n';
const SINK = 'apiVersion: auditregistration.k8s.io/v1alpha1\nkind: AuditSink\nmetadata:\n  name: mysink\nspec:\n  policy:\n    level: Metadata\n    stages: [ResponseComplete]\n  webhook:\n    clientConfig:\n      url: https://audit.example.com\n';

export const DOCUMENTS_CASES: readonly DocumentsCase[] = [
  { name: 'an empty file', category: 'empty', input: '', kinds: [], errors: ['empty-file'] },
  { name: 'a comment-only file', category: 'empty', input: '# nothing yet\n', kinds: [], errors: ['empty-file'] },
  { name: 'white space and document markers', category: 'empty', input: '\n---\n\n---\n', kinds: [], errors: ['empty-file'] },
  { name: 'a Deployment', category: 'other-objects', input: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n', kinds: [], errors: ['unknown-document'] },
  { name: 'a list', category: 'other-objects', input: '- a\n- b\n', kinds: [], errors: ['unknown-document'] },
  { name: 'a scalar', category: 'other-objects', input: 'just text\n', kinds: [], errors: ['unknown-document'] },
  { name: 'kind: PolicyList', category: 'policy-headers', input: 'apiVersion: audit.k8s.io/v1\nkind: PolicyList\nitems: []\n', kinds: ['policy'], errors: ['wrong-kind'] },
  { name: 'apiVersion: v1 with kind: Policy', category: 'policy-headers', input: POLICY.replace('audit.k8s.io/v1', 'v1'), kinds: ['policy'], errors: ['unknown-api-version'] },
  { name: 'a misspelled kind', category: 'policy-headers', input: POLICY.replace('kind: Policy', 'kind: Polcy'), kinds: ['policy'], errors: ['wrong-kind'] },
  { name: 'a misspelled apiVersion', category: 'policy-headers', input: POLICY.replace('audit.k8s.io', 'audt.k8s.io'), kinds: ['policy'], errors: ['unknown-api-version'] },
  { name: 'a ClusterRole, which has rules too', category: 'other-objects', input: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nrules: []\n', kinds: [], errors: ['unknown-document'] },
  { name: 'a misspelled kind and apiVersion', category: 'policy-headers', input: POLICY.replace('audit.k8s.io', 'audt.k8s.io').replace('kind: Policy', 'kind: Polcy'), kinds: ['policy'], errors: ['unknown-api-version'] },
  { name: 'no kind', category: 'policy-headers', input: POLICY.replace('kind: Policy\n', ''), kinds: ['policy'], errors: [] },
  { name: 'metadata.generation', category: 'policy-headers', input: POLICY.replace('rules:', 'metadata:\n  generation: 2\nrules:'), kinds: ['policy'], errors: [] },
  { name: 'a policy with a second document', category: 'documents', input: `${POLICY}---\n${POLICY}`, kinds: ['policy'], errors: ['ignored-document'] },
  { name: 'a kubeconfig with a second document', category: 'documents', input: 'apiVersion: v1\nkind: Config\nclusters: []\n---\nkind: Config\n', kinds: ['kubeconfig'], errors: ['ignored-document'] },
  // The RBAC that guards a sink comes in the same manifest: named as not checked, a warning.
  { name: 'an AuditSink next to a ClusterRole', category: 'documents', input: `${SINK}---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: x\n`, kinds: ['auditsink'], errors: [] },
  { name: 'a ClusterRole before an AuditSink', category: 'documents', input: `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: x\n---\n${SINK}`, kinds: ['auditsink'], errors: [] },
  { name: 'an AuditSink next to a misspelt one', category: 'documents', input: `${SINK}---\n${SINK.replace('kind: AuditSink', 'kind: AuditSnk')}`, kinds: ['auditsink'], errors: ['not-an-audit-sink'] },
  // Refused while its kind is being told, so no kind is reported: the reading limits come first.
  { name: 'an alias bomb', category: 'hostile-yaml', input: `${POLICY}x0: &x0 [a, a, a, a, a, a, a, a, a, a]\n${Array.from({ length: 9 }, (_, i) => `x${i + 1}: &x${i + 1} [${Array(10).fill(`*x${i}`).join(', ')}]`).join('\n')}\n`, kinds: [], errors: ['yaml-alias-expansion'] },
  { name: 'an alias inside what it names', category: 'hostile-yaml', input: 'a: &a [*a]\n', kinds: [], errors: ['yaml-alias-recursive'] },
  { name: 'an alias of no anchor', category: 'hostile-yaml', input: `${POLICY}x: *nothing\n`, kinds: [], errors: ['yaml-alias-undefined'] },
  { name: '10,000 nested lists', category: 'hostile-yaml', input: `${'['.repeat(10_000)}${']'.repeat(10_000)}`, kinds: [], errors: ['yaml-too-deep'] },
  { name: 'a control character', category: 'hostile-yaml', input: `${POLICY}# \u0001\n`, kinds: [], errors: ['yaml-control-character'] },
  { name: 'malformed UTF-8', category: 'hostile-yaml', input: Buffer.concat([Buffer.from(POLICY), Buffer.from([0xfe, 0x0a])]), kinds: [], errors: ['yaml-invalid-encoding'] },
  { name: 'a 50 MB policy', category: 'hostile-yaml', input: `${POLICY}${'- level: None\n  users: [a]\n'.repeat(2_000_000)}`, kinds: [], errors: ['input-too-large'] },
];

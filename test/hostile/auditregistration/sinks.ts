/**
 * Hostile AuditSink manifests, by category, with the problem `parseAuditSinks` must give first.
 */

/** Why a case is here. */
export type AuditSinkCaseCategory = 'reading-limits' | 'aliases' | 'characters' | 'documents';

/** A hostile manifest and the first problem code it must give. */
export interface AuditSinkCase {
  name: string;
  category: AuditSinkCaseCategory;
  input: string | Uint8Array;
  code: string;
}

export const SINK = 'apiVersion: auditregistration.k8s.io/v1alpha1\nkind: AuditSink\nmetadata:\n  name: mysink\nspec:\n  policy:\n    level: Metadata\n    stages: [ResponseComplete]\n  webhook:\n    clientConfig:\n      url: https://audit.example.com\n';

function billionLaughs(): string {
  const lines = ['x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let level = 1; level <= 9; level++) lines.push(`x${level}: &x${level} [${Array.from({ length: 10 }, () => `*x${level - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

export const AUDIT_SINK_CASES: readonly AuditSinkCase[] = [
  { name: 'billion laughs', category: 'aliases', input: `${SINK}${billionLaughs()}`, code: 'yaml-alias-expansion' },
  { name: 'a webhook that contains itself', category: 'aliases', input: SINK.replace('  webhook:\n', '  webhook: &w\n    extra: [*w]\n'), code: 'yaml-alias-recursive' },
  { name: '10,000 nested lists', category: 'reading-limits', input: `${SINK}extra: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, code: 'yaml-too-deep' },
  { name: 'a 5 MB manifest', category: 'reading-limits', input: `${SINK}extra: ${'x'.repeat(5 * 1024 * 1024)}\n`, code: 'input-too-large' },
  { name: 'a control character in the URL', category: 'characters', input: SINK.replace('https://audit.example.com', '"https://audit.example.com\u0007"'), code: 'yaml-control-character' },
  { name: 'a misspelt AuditSink next to the sink', category: 'documents', input: `${SINK}---\n${SINK.replace('kind: AuditSink', 'kind: AuditSnk')}`, code: 'not-an-audit-sink' },
  { name: 'a document that is no object', category: 'documents', input: `${SINK}---\n- just\n- a list\n`, code: 'not-an-audit-sink' },
  { name: 'a broken second document', category: 'documents', input: `${SINK}---\nkind: [\n`, code: 'yaml-syntax' },
];

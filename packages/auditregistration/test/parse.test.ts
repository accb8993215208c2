import { describe, expect, it } from 'vitest';
import { parseAuditSinks } from '../src/index.js';
import { AUDIT_SINK_CASES, SINK } from '../../../test/hostile/auditregistration/sinks.js';

describe('parseAuditSinks', () => {
  it.each(AUDIT_SINK_CASES.map((c) => [`${c.category}: ${c.name}`, c] as const))('refuses %s', (_, hostile) => {
    const result = parseAuditSinks(hostile.input, { file: 'sink.yaml', kubernetesVersion: '1.16' });
    expect(result.sinks).toEqual([]);
    expect(result.problems[0]).toMatchObject({ severity: 'error', code: hostile.code, file: 'sink.yaml' });
  });

  it('reads every document, as kubectl apply does, skipping empty ones', () => {
    const result = parseAuditSinks(`---\n${SINK}---\n---\n${SINK.replace('mysink', 'other')}`, { kubernetesVersion: '1.16' });
    expect(result.problems).toEqual([]);
    expect(result.sinks.map((sink) => (sink as { metadata: { name: string } }).metadata.name)).toEqual(['mysink', 'other']);
  });

  it('locates validation problems, with the document in the path when there are several', () => {
    const result = parseAuditSinks(`${SINK}---\n${SINK.replace('mysink', 'Bad_Name')}`, { file: 'sinks.yaml', kubernetesVersion: '1.16' });
    expect(result.problems).toMatchObject([{ code: 'name-invalid', path: 'documents[1].metadata.name', file: 'sinks.yaml', line: 16, column: 3 }]);
    expect(parseAuditSinks(SINK.replace('mysink', 'Bad_Name')).problems).toMatchObject([{ path: 'metadata.name', line: 4, column: 3 }]);
  });

  it('names the other objects a manifest carries as not checked', () => {
    const result = parseAuditSinks(`${SINK}---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: auditsink-writer}\n`, { kubernetesVersion: '1.16' });
    expect(result.problems).toMatchObject([{ severity: 'warning', code: 'not-checked', path: 'documents[1]', line: 12, column: 1 }]);
    expect(result.sinks).toHaveLength(1);
  });

  it('checks each item of an AuditSinkList', () => {
    const list = `apiVersion: auditregistration.k8s.io/v1alpha1\nkind: AuditSinkList\nitems:\n${SINK.replace(/^/gm, '  ').replace(/^  /, '- ').replace('mysink', 'Bad_Name')}`;
    expect(parseAuditSinks(list, { kubernetesVersion: '1.16' }).problems).toMatchObject([{ code: 'name-invalid', path: 'items[0].metadata.name', line: 7, column: 5 }]);
  });

  it('refuses the API where the release lacks it, and reads bytes', () => {
    expect(parseAuditSinks(Buffer.from(SINK), { kubernetesVersion: '1.20' }).problems[0]).toMatchObject({ code: 'api-removed' });
  });
});

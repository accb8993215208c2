import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { type AuditSink, auditSink, type AuditSinkList, toYaml } from '../src/index.js';

const sink: AuditSink = {
  spec: { webhook: { clientConfig: { service: { port: 443, path: '/on', name: 'yes', namespace: 'audit' } } }, policy: { stages: ['ResponseComplete'], level: 'Request' } },
  metadata: { name: 'sink' },
  kind: 'AuditSink',
  apiVersion: 'auditregistration.k8s.io/v1alpha1',
};

describe('toYaml', () => {
  it('prints fields in API order whatever the input order, and quotes YAML 1.1 look-alikes', () => {
    const text = toYaml(sink);
    expect(text).toBe(
      [
        'apiVersion: auditregistration.k8s.io/v1alpha1',
        'kind: AuditSink',
        'metadata:',
        '  name: sink',
        'spec:',
        '  policy:',
        '    level: Request',
        '    stages:',
        '    - ResponseComplete',
        '  webhook:',
        '    clientConfig:',
        '      service:',
        '        namespace: audit',
        '        name: "yes"',
        '        path: /on',
        '        port: 443',
        '',
      ].join('\n'),
    );
    expect(parse(text, { version: '1.1' })).toEqual(sink);
  });

  it('prints lists of sinks and builder comments', () => {
    const built = auditSink().comment('ships metadata to the SIEM').metadata({ name: 'siem' }).spec({ policy: { level: 'None' }, webhook: { clientConfig: { url: 'https://siem' } } }).build();
    const list: AuditSinkList = { apiVersion: 'auditregistration.k8s.io/v1alpha1', kind: 'AuditSinkList', items: [built, sink] };
    const text = toYaml(list);
    expect(text).toContain('items:\n# ships metadata to the SIEM\n- apiVersion: auditregistration.k8s.io/v1alpha1\n  kind: AuditSink\n');
    expect(parse(text)).toEqual(list);
  });
});

import { describe, expect, it } from 'vitest';
import { type AuditSink, withDefaults } from '../src/index.js';

function sink(clientConfig: AuditSink['spec']['webhook']['clientConfig'], throttle?: AuditSink['spec']['webhook']['throttle']): AuditSink {
  const webhook: AuditSink['spec']['webhook'] = { clientConfig };
  if (throttle !== undefined) webhook.throttle = throttle;
  return { apiVersion: 'auditregistration.k8s.io/v1alpha1', kind: 'AuditSink', metadata: { name: 's' }, spec: { policy: { level: 'None' }, webhook } };
}

describe('withDefaults', () => {
  it('fills a missing throttle with qps 10 and burst 15', () => {
    expect(withDefaults(sink({ url: 'https://x' })).spec.webhook.throttle).toEqual({ qps: 10, burst: 15 });
  });

  it('fills only the missing half of a throttle', () => {
    expect(withDefaults(sink({ url: 'https://x' }, { qps: 3 })).spec.webhook.throttle).toEqual({ qps: 3, burst: 15 });
    expect(withDefaults(sink({ url: 'https://x' }, { burst: 2 })).spec.webhook.throttle).toEqual({ burst: 2, qps: 10 });
  });

  it('adds service port 443 from 1.15, but not for 1.13 and 1.14 where the field does not exist', () => {
    const input = sink({ service: { namespace: 'audit', name: 'collector' } });
    expect(withDefaults(input).spec.webhook.clientConfig.service?.port).toBe(443);
    expect(withDefaults(input, { kubernetesVersion: '1.15' }).spec.webhook.clientConfig.service?.port).toBe(443);
    expect(withDefaults(input, { kubernetesVersion: '1.14' }).spec.webhook.clientConfig.service?.port).toBeUndefined();
    expect(withDefaults(sink({ service: { namespace: 'a', name: 'c', port: 8443 } })).spec.webhook.clientConfig.service?.port).toBe(8443);
  });

  it('does not modify its input', () => {
    const input = sink({ service: { namespace: 'audit', name: 'collector' } });
    const before = structuredClone(input);
    withDefaults(input);
    expect(input).toEqual(before);
  });
});

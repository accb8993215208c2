import { describe, expect, it } from 'vitest';
import { type AuditSink, type Problem, validateAuditSink, type ValidateAuditSinkOptions } from '../src/index.js';

function base(): AuditSink {
  return {
    apiVersion: 'auditregistration.k8s.io/v1alpha1',
    kind: 'AuditSink',
    metadata: { name: 'my-sink' },
    spec: {
      policy: { level: 'Metadata', stages: ['ResponseComplete'] },
      webhook: { throttle: { qps: 10, burst: 15 }, clientConfig: { url: 'https://audit.example.com/events' } },
    },
  };
}

type Sink = AuditSink & Record<string, any>;
type Mutate = (s: Sink) => void;
const cc = (s: AuditSink): Record<string, any> => s.spec.webhook.clientConfig as Record<string, any>;
const toService = (s: AuditSink, service: Record<string, unknown>): void => {
  delete cc(s)['url'];
  cc(s)['service'] = service;
};

interface RuleCase {
  code: string;
  path: string;
  severity?: Problem['severity'];
  bad: Mutate;
  good: Mutate;
  options?: ValidateAuditSinkOptions;
}

const cases: RuleCase[] = [
  { code: 'unknown-field', path: 'spec.webhook.clientConfig.caBundel', bad: (s) => { cc(s)['caBundel'] = 'QUJD'; }, good: (s) => { cc(s)['caBundle'] = 'QUJD'; } },
  { code: 'missing-field', path: 'spec.webhook', bad: (s) => { delete (s.spec as unknown as Record<string, unknown>)['webhook']; }, good: () => {} },
  { code: 'name-required', path: 'metadata.name', bad: (s) => { s.metadata = {}; }, good: () => {} },
  { code: 'name-invalid', path: 'metadata.name', bad: (s) => { s.metadata.name = 'My_Sink'; }, good: (s) => { s.metadata.name = 'my.sink-1'; } },
  { code: 'name-invalid', path: 'metadata.name', bad: (s) => { s.metadata.name = 'a'.repeat(254); }, good: (s) => { s.metadata.name = 'a'.repeat(253); } },
  { code: 'namespace-not-allowed', path: 'metadata.namespace', bad: (s) => { s.metadata.namespace = 'default'; }, good: (s) => { s.metadata.namespace = ''; } },
  { code: 'level-required', path: 'spec.policy.level', bad: (s) => { s.spec.policy = { level: '' as never, stages: ['ResponseComplete'] }; }, good: () => {} },
  { code: 'level-unsupported', path: 'spec.policy.level', bad: (s) => { s.spec.policy.level = 'metadata' as never; }, good: (s) => { s.spec.policy.level = 'RequestResponse'; } },
  { code: 'stage-unsupported', path: 'spec.policy.stages[1]', bad: (s) => { s.spec.policy.stages = ['ResponseComplete', 'Complete' as never]; }, good: (s) => { s.spec.policy.stages = ['ResponseComplete', 'Panic']; } },
  { code: 'stages-required', path: 'spec.policy.stages', bad: (s) => { s.spec.policy.stages = []; }, good: (s) => { s.spec.policy = { level: 'None', stages: [] }; } },
  { code: 'throttle-not-positive', path: 'spec.webhook.throttle.qps', bad: (s) => { s.spec.webhook.throttle = { qps: 0, burst: 15 }; }, good: (s) => { s.spec.webhook.throttle = { qps: 1_000_000 }; } },
  { code: 'throttle-not-positive', path: 'spec.webhook.throttle.burst', bad: (s) => { s.spec.webhook.throttle = { burst: -1 }; }, good: (s) => { s.spec.webhook.throttle = { burst: 1 }; } },
  { code: 'url-or-service', path: 'spec.webhook.clientConfig', bad: (s) => { cc(s)['service'] = { namespace: 'audit', name: 'collector' }; }, good: (s) => { toService(s, { namespace: 'audit', name: 'collector' }); } },
  { code: 'url-or-service', path: 'spec.webhook.clientConfig', bad: (s) => { delete cc(s)['url']; }, good: () => {} },
  { code: 'url-invalid', path: 'spec.webhook.clientConfig.url', bad: (s) => { cc(s)['url'] = 'https://audit.example.com:https/events'; }, good: (s) => { cc(s)['url'] = 'https://audit.example.com:8443/events'; } },
  { code: 'url-host-required', path: 'spec.webhook.clientConfig.url', bad: (s) => { cc(s)['url'] = 'audit.example.com/events'; }, good: (s) => { cc(s)['url'] = 'https://audit.example.com/events'; } },
  { code: 'url-userinfo', path: 'spec.webhook.clientConfig.url', bad: (s) => { cc(s)['url'] = 'https://user:pass@audit.example.com/'; }, good: () => {} },
  { code: 'url-fragment', path: 'spec.webhook.clientConfig.url', bad: (s) => { cc(s)['url'] = 'https://audit.example.com/events#top'; }, good: () => {} },
  { code: 'url-query', path: 'spec.webhook.clientConfig.url', bad: (s) => { cc(s)['url'] = 'https://audit.example.com/events?token=x'; }, good: () => {} },
  { code: 'url-not-https', path: 'spec.webhook.clientConfig.url', severity: 'warning', bad: (s) => { cc(s)['url'] = 'http://audit.example.com/events'; }, good: () => {} },
  { code: 'service-name-required', path: 'spec.webhook.clientConfig.service.name', bad: (s) => { toService(s, { namespace: 'audit', name: '' }); }, good: (s) => { toService(s, { namespace: 'audit', name: 'collector' }); } },
  { code: 'service-namespace-required', path: 'spec.webhook.clientConfig.service.namespace', bad: (s) => { toService(s, { namespace: '', name: 'collector' }); }, good: (s) => { toService(s, { namespace: 'audit', name: 'collector' }); } },
  { code: 'service-port-range', path: 'spec.webhook.clientConfig.service.port', bad: (s) => { toService(s, { namespace: 'a', name: 'c', port: 65536 }); }, good: (s) => { toService(s, { namespace: 'a', name: 'c', port: 65535 }); } },
  { code: 'service-port-range', path: 'spec.webhook.clientConfig.service.port', bad: (s) => { toService(s, { namespace: 'a', name: 'c', port: 0 }); }, good: (s) => { toService(s, { namespace: 'a', name: 'c', port: 1 }); } },
  { code: 'field-not-in-version', path: 'spec.webhook.clientConfig.service.port', options: { kubernetesVersion: '1.14' }, bad: (s) => { toService(s, { namespace: 'a', name: 'c', port: 8443 }); }, good: (s) => { toService(s, { namespace: 'a', name: 'c' }); } },
  { code: 'service-path-invalid', path: 'spec.webhook.clientConfig.service.path', bad: (s) => { toService(s, { namespace: 'a', name: 'c', path: '//' }); }, good: (s) => { toService(s, { namespace: 'a', name: 'c', path: '/' }); } },
  { code: 'service-path-invalid', path: 'spec.webhook.clientConfig.service.path', bad: (s) => { toService(s, { namespace: 'a', name: 'c', path: 'audit' }); }, good: (s) => { toService(s, { namespace: 'a', name: 'c', path: '/audit' }); } },
  { code: 'service-path-invalid', path: 'spec.webhook.clientConfig.service.path', bad: (s) => { toService(s, { namespace: 'a', name: 'c', path: '/Audit' }); }, good: (s) => { toService(s, { namespace: 'a', name: 'c', path: '/audit/v1/' }); } },
  { code: 'service-path-invalid', path: 'spec.webhook.clientConfig.service.path', bad: (s) => { toService(s, { namespace: 'a', name: 'c', path: '/my_path' }); }, good: (s) => { toService(s, { namespace: 'a', name: 'c', path: '' }); } },
  { code: 'service-path-invalid', path: 'spec.webhook.clientConfig.service.path', bad: (s) => { toService(s, { namespace: 'a', name: 'c', path: '/audit//v1' }); }, good: (s) => { toService(s, { namespace: 'a', name: 'c', path: '/audit.v1' }); } },
  { code: 'ca-bundle-base64', path: 'spec.webhook.clientConfig.caBundle', bad: (s) => { cc(s)['caBundle'] = '-----BEGIN CERTIFICATE-----'; }, good: (s) => { cc(s)['caBundle'] = Buffer.from('-----BEGIN CERTIFICATE-----\n').toString('base64'); } },
  { code: 'api-removed', path: 'apiVersion', options: { kubernetesVersion: 'v1.20.2' }, bad: () => {}, good: () => {} },
  { code: 'api-not-available', path: 'apiVersion', options: { kubernetesVersion: '1.12' }, bad: () => {}, good: () => {} },
  { code: 'invalid-kubernetes-version', path: '', options: { kubernetesVersion: 'eighteen' }, bad: () => {}, good: () => {} },
];

function run(mutate: Mutate, options?: ValidateAuditSinkOptions): Problem[] {
  const sink = base() as Sink;
  mutate(sink);
  return validateAuditSink(sink, options);
}

describe('validateAuditSink', () => {
  it('accepts the base sink', () => {
    expect(validateAuditSink(base(), { kubernetesVersion: '1.18' })).toEqual([]);
  });

  describe.each(cases.map((c, i) => [`${c.code} #${i}`, c] as const))('%s', (_, rule) => {
    it('reports the bad case', () => {
      const problems = run(rule.bad, rule.options);
      expect(problems.find((p) => p.code === rule.code), JSON.stringify(problems)).toMatchObject({ path: rule.path, severity: rule.severity ?? 'error' });
    });

    it('accepts the corrected case', () => {
      const versionRule = ['api-removed', 'api-not-available', 'invalid-kubernetes-version'].includes(rule.code);
      const options = versionRule ? { kubernetesVersion: '1.16' } : rule.options;
      expect(run(rule.good, options).filter((p) => p.code === rule.code || p.severity === 'error')).toEqual([]);
    });
  });

  it('reports only the stages error for a non-None level without stages (the apiserver early return)', () => {
    const problems = run((s) => { s.spec.policy = { level: 'Bogus' as never, stages: [] }; });
    expect(problems).toEqual([expect.objectContaining({ code: 'stages-required', path: 'spec.policy.stages' })]);
    // with stages present, the level error shows up again alongside the stage error
    const both = run((s) => { s.spec.policy = { level: 'Bogus' as never, stages: ['Later' as never] }; });
    expect(both.map((p) => p.code).sort()).toEqual(['level-unsupported', 'stage-unsupported']);
  });

  it('accepts level None with no stages at all', () => {
    expect(run((s) => { s.spec.policy = { level: 'None' }; })).toEqual([]);
  });

  it('does not check the URL scheme beyond a warning', () => {
    const problems = run((s) => { cc(s)['url'] = 'ftp://audit.example.com/'; });
    expect(problems).toEqual([expect.objectContaining({ code: 'url-not-https', severity: 'warning' })]);
  });

  it('mentions the swapped apiserver message for a missing service name', () => {
    const [problem] = run((s) => { toService(s, { namespace: 'audit', name: '' }); });
    expect(problem!.message).toContain('service namespace is required');
  });

  it('copies the file into problems and never throws on garbage', () => {
    expect(validateAuditSink('not a sink', { file: 'sink.yaml' })[0]).toMatchObject({ file: 'sink.yaml', severity: 'error' });
    expect(validateAuditSink(null).length).toBeGreaterThan(0);
  });
});

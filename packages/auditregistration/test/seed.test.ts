import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { auditSink, auditSinkSpec, policy, toYaml, validateAuditSink, webhook, webhookClientConfig, withDefaults } from '../src/index.js';
import { describeWithShared, readShared, SHARED_FILES } from '../../../test/support/shared-data.js';

/** The AuditSink example of seed 001 (the dynamic backend section), as text. */
function seedAuditSink(): string {
  const lines = readShared(SHARED_FILES.seed).split('\n');
  const start = lines.findIndex((l) => l.trim() === 'apiVersion: auditregistration.k8s.io/v1alpha1');
  const end = lines.findIndex((l, i) => i > start && l.trim().startsWith('url:'));
  if (start < 0 || end < 0) throw new Error('AuditSink example not found in seed 001');
  return `${lines.slice(start, end + 1).join('\n')}\n`;
}

describeWithShared('the seed AuditSink example', [SHARED_FILES.seed], () => {
  const seed = parse(seedAuditSink(), { version: '1.1' }) as unknown;
  const built = auditSink()
    .metadata({ name: 'mysink' })
    .spec(
      auditSinkSpec()
        .policy(policy().level('Metadata').stages('ResponseComplete'))
        .webhook(webhook().throttle({ qps: 10, burst: 15 }).clientConfig(webhookClientConfig().url('https://audit.app'))),
    )
    .build();

  it('is rebuilt with builders into an equal object', () => {
    expect(built).toEqual(seed);
  });

  it('is valid for 1.13 to 1.18 and rejected for 1.19, where the API was removed', () => {
    for (const version of ['1.13', '1.15', '1.18']) expect(validateAuditSink(seed, { kubernetesVersion: version })).toEqual([]);
    expect(validateAuditSink(seed, { kubernetesVersion: '1.19' })).toEqual([expect.objectContaining({ code: 'api-removed', message: expect.stringContaining('removed in Kubernetes 1.19') })]);
  });

  it('already carries the defaults the apiserver would add', () => {
    expect(withDefaults(built)).toEqual(seed);
  });

  it('prints as YAML that reads back to the same object, in the seed key order', () => {
    const text = toYaml(built);
    expect(parse(text)).toEqual(seed);
    const keys = (t: string): string[] => t.split('\n').map((l) => l.trim().split(':')[0]!).filter((k) => k !== '' && !k.startsWith('-'));
    expect(keys(text)).toEqual(keys(seedAuditSink()));
  });
});

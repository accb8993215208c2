// Legacy dynamic backend: an AuditSink for a Kubernetes 1.13 to 1.18 cluster.
import { auditSink, toYaml, validateAuditSink, withDefaults } from '@k8s-gen/auditregistration';

const sink = auditSink()
  .metadata({ name: 'mysink' })
  .spec({
    // One level for every request, and an allow-list of stages (not omitStages).
    policy: { level: 'Metadata', stages: ['ResponseComplete'] },
    webhook: {
      throttle: { qps: 10, burst: 15 },
      clientConfig: { url: 'https://audit.app' },
    },
  })
  .build();

const problems = validateAuditSink(sink, { kubernetesVersion: '1.18' });
if (problems.length > 0) throw new Error(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));

// What the API server stores after defaulting (throttle, service port).
process.stdout.write(toYaml(withDefaults(sink)));

// The same object on a 1.19 cluster: the API no longer exists.
for (const problem of validateAuditSink(sink, { kubernetesVersion: '1.19' })) {
  console.log(`# on 1.19: ${problem.message}`);
}

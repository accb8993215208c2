// Concepts: how a policy treats a few requests, including the matching corners.
import { policy } from '@k8s-gen/audit';
import { evaluate, nonResourceRequest, resourceRequest } from '@k8s-gen/engine';

const alice = { name: 'alice', groups: ['system:authenticated', 'developers'] };

const auditPolicy = policy()
  .omitStages('RequestReceived')
  .rule().level('None').nonResourceURLs('/healthz*')
  .rule().level('RequestResponse').resources({ group: '', resources: ['pods/*'] })
  .rule().level('Request').namespaces('')
  .rule().level('Metadata')
  .build();

const requests = {
  // "pods/*" covers the pod itself too, not only its subresources.
  'get a pod': resourceRequest({ user: alice, verb: 'get', resource: 'pods', namespace: 'web', name: 'api-0' }),
  'read pod logs': resourceRequest({ user: alice, verb: 'get', resource: 'pods', subresource: 'log', namespace: 'web', name: 'api-0' }),
  // namespaces: [""] matches cluster-scoped requests...
  'list nodes': resourceRequest({ user: alice, verb: 'list', resource: 'nodes' }),
  // ...but reading a Namespace object happens "in" that namespace.
  'get namespace web': resourceRequest({ user: alice, verb: 'get', resource: 'namespaces', namespace: 'web', name: 'web' }),
  // A prefix pattern: "/healthz*" also matches "/healthzfoo".
  'health check': nonResourceRequest({ user: alice, verb: 'get', path: '/healthz/etcd' }),
  // A watch is long-running, so it also produces ResponseStarted.
  'watch deployments': resourceRequest({ user: alice, verb: 'watch', apiGroup: 'apps', resource: 'deployments', namespace: 'web' }),
};

for (const [label, request] of Object.entries(requests)) {
  const result = evaluate(auditPolicy, request);
  const rule = result.ruleIndex === undefined ? 'no rule' : `rules[${result.ruleIndex}]`;
  console.log(`${label.padEnd(18)} ${rule.padEnd(9)} ${result.level.padEnd(16)} ${result.stages.join(', ')}`);
}

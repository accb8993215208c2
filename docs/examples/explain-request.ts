// Explain, lint and cost: why a request gets the level it gets.
import { docsExamplePolicy } from '@k8s-gen/audit';
import { explain, formatExplanation, resourceRequest } from '@k8s-gen/engine';

const auditPolicy = docsExamplePolicy().build();

// kube-proxy listing (not watching) services: the rule for kube-proxy only covers watches.
const request = resourceRequest({
  user: { name: 'system:kube-proxy', groups: ['system:authenticated'] },
  verb: 'list',
  resource: 'services',
});

const explanation = explain(auditPolicy, request);
console.log(formatExplanation(explanation));
console.log(`=> level ${explanation.result.level}, stages: ${explanation.result.stages.join(', ')}`);

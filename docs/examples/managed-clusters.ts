// A managed cluster's audit log, filtered downstream: an EKS export replayed through our own policy,
// and the same policy compiled for Fluent Bit (Lua) and Vector (VRL).
import { writeFileSync } from 'node:fs';
import { policy } from '@k8s-gen/audit';
import { policyFilter } from '@k8s-gen/collectors';
import { costReplay } from '@k8s-gen/engine';

const ours = policy()
  .omitStages('RequestReceived')
  .rule()
  .level('None')
  .nonResourceURLs('/healthz*', '/livez*', '/readyz*')
  .rule()
  .level('Metadata')
  .end()
  .build();

// `aws logs filter-log-events` output: each message is the apiserver's Event.
const event = (auditID: string, verb: string, requestURI: string) => ({
  kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Request', auditID, stage: 'ResponseComplete', requestURI, verb,
  user: { username: 'alice', groups: ['system:authenticated'] }, requestObject: { kind: 'DeleteOptions' },
  requestReceivedTimestamp: '2024-05-16T17:03:59.000000Z', stageTimestamp: '2024-05-16T17:03:59.002000Z',
});
const events = [event('a1', 'get', '/healthz'), event('a2', 'delete', '/api/v1/namespaces/shop/pods/web'), event('a3', 'get', '/readyz')];
writeFileSync('eks-audit.json', JSON.stringify({ events: events.map((e, i) => ({ logStreamName: 'kube-apiserver-audit-1a2b', timestamp: 1715878000000 + i, message: JSON.stringify(e), eventId: String(i) })) }));

const report = await costReplay({ policy: ours, log: 'eks-audit.json' });
console.log(`format: ${report.input.format.format}`);
console.log(`events: ${report.log.events} in the export, ${report.candidate.events} kept by our policy`);

const lua = policyFilter.policyToLuaFilter(ours, { call: 'k8s_gen_policy' });
const vrl = policyFilter.policyToVrlFilter(ours);
if (lua.ok && vrl.ok) {
  console.log(`Lua filter: ${lua.value.script.split('\n').length} lines, call ${lua.value.call}`);
  console.log(`VRL program: ${vrl.value.source.split('\n').length} lines`);
  const kept = policyFilter.runVrl(vrl.value.program, events[1] as unknown as policyFilter.VrlValue);
  console.log(`VRL on the delete: ${kept.aborted ? 'dropped' : `kept at ${String((kept.event as { level?: string }).level)}`}`);
}

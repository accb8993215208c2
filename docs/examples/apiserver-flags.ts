// Log and webhook backends: kube-apiserver flags for both backends, checked for one release.
import { AUDIT_FLAGS_RANGE, auditFlags, flagsToArgs } from '@k8s-gen/apiserver';
import { parseKubernetesVersion } from '@k8s-gen/runtime';

const version = parseKubernetesVersion('1.30', AUDIT_FLAGS_RANGE);
if (!version.ok) throw new Error(`${version.message}; ${version.fix}`);

const { flags, problems } = auditFlags(
  {
    policyFile: '/etc/kubernetes/audit-policy.yaml',
    log: { path: '/var/log/kubernetes/audit/audit.log', maxAge: 7, maxBackup: 10, maxSize: 100, compress: true },
    webhook: {
      kubeconfigPath: '/etc/kubernetes/audit-webhook-kubeconfig',
      initialBackoff: '5s',
      batch: { maxSize: 200, maxWait: '10s', throttleQps: 20, throttleBurst: 30 },
    },
  },
  version.version,
);

for (const problem of problems) console.log(`${problem.severity}: ${problem.path}: ${problem.message}`);
console.log(flagsToArgs(flags).join('\n'));

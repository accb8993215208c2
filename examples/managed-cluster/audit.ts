// A managed cluster's audit log, filtered downstream. On EKS the control plane's policy is AWS's
// and cannot be changed; its audit events reach CloudWatch Logs, each log event's message being
// the apiserver's Event. A subscription lands them in a file, one Event per line, and Fluent Bit
// applies our own policy to them (a Lua filter compiled from it: drop, or lower the level) before
// they go to the SIEM. `k8s-gen cost --policy <ours> <export> --input-format eks` shows what that
// policy keeps of a real export, and `k8s-gen lint <ours> --log <export>` which rules it never uses.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fluentbit } from '@k8s-gen/collectors';
import { App, AuditChart, FluentBitCollector } from '@k8s-gen/constructs';
import { siemPolicy } from './policy.js';

const app = new App({ outdir: join(dirname(fileURLToPath(import.meta.url)), 'dist') });

// The folder of the EKS cluster: no apiserver flags to set, only the shipper's files.
const eks = new AuditChart(app, 'eks', { kubernetesVersion: '1.31' });
new FluentBitCollector(eks, 'FluentBit', {
  logPath: '/var/log/eks-audit/audit.log',
  // EKS does not say what bounds its events; bodies are logged, so lines are read up to 16 MiB.
  externalLog: { eventSize: { maxLevel: 'RequestResponse' } },
  sinks: [{ name: 'siem', output: fluentbit.output('http', { host: 'siem.example.com', port: 443, uri: '/ingest', format: 'json_lines', tls: true }), policy: siemPolicy }],
});

app.synth();

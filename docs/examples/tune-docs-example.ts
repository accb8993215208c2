// Batch tuning: the worked example of the Kubernetes documentation.
import { renderTuneReport, tune } from '@k8s-gen/engine';

const result = tune({
  backend: 'webhook',
  requestsPerSecond: 100,
  stagesPerRequest: 2,
  eventsPerBatch: 100,
  backendLatency: 5,
  // 1 reproduces the documentation's bare figures; the default 1.5 leaves room to catch up.
  headroom: 1,
  kubernetesVersion: '1.30',
});

// The report walks through each step with its numbers, then lists the flags (also in result.flags).
console.log(renderTuneReport(result));

// Preloaded into cdk8s-cli for the benchmark (node --require). cdk8s-cli downloads its schema from
// a fixed public address; the machine has no network, and a fair comparison reads the same spec
// from the same local server as k8s-gen does. This hook sends that one download to
// K8S_GEN_BENCH_SPEC_URL instead; every other request is left alone.
const http = require('node:http');
const https = require('node:https');

const target = process.env.K8S_GEN_BENCH_SPEC_URL;
if (!target) throw new Error('K8S_GEN_BENCH_SPEC_URL is not set');
const originalGet = https.get;

https.get = function patchedGet(url, ...rest) {
  const href = typeof url === 'string' ? url : url instanceof URL ? url.href : '';
  if (href.includes('/kubernetes-schemas/')) return http.get(target, ...rest);
  return originalGet.call(https, url, ...rest);
};

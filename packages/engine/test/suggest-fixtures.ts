// A small audit log written at RequestResponse, made here so the suggest tests know every event:
// secrets read by alice (with the secret in the response), pods created by bob (with the pod in
// the request), health checks, configmap lists and pod watches.
import type { Level } from '@k8s-gen/audit';

export interface FixtureRequest {
  verb: string;
  user: string;
  groups?: string[];
  uri: string;
  objectRef?: { resource: string; namespace?: string; name?: string; apiGroup?: string; subresource?: string };
  requestObject?: unknown;
  responseObject?: unknown;
}

const body = (kind: string, size: number): unknown => ({ kind, apiVersion: 'v1', metadata: { name: `x${size}` }, data: { blob: 'b'.repeat(size) } });

/** The requests of the fixture log, each with a count. */
export const FIXTURE_REQUESTS: ReadonlyArray<readonly [FixtureRequest, number]> = [
  [{ verb: 'get', user: 'alice', uri: '/api/v1/namespaces/team-a/secrets/db', objectRef: { resource: 'secrets', namespace: 'team-a', name: 'db' }, responseObject: body('Secret', 900) }, 6],
  [{ verb: 'create', user: 'bob', uri: '/api/v1/namespaces/team-a/pods', objectRef: { resource: 'pods', namespace: 'team-a' }, requestObject: body('Pod', 1500), responseObject: body('Pod', 2500) }, 3],
  [{ verb: 'get', user: 'system:kube-probe', groups: ['system:authenticated'], uri: '/healthz' }, 20],
  [{ verb: 'list', user: 'system:kube-controller-manager', uri: '/api/v1/configmaps', objectRef: { resource: 'configmaps' }, responseObject: body('ConfigMapList', 4000) }, 4],
  [{ verb: 'watch', user: 'system:kube-proxy', uri: '/api/v1/pods?watch=true', objectRef: { resource: 'pods' } }, 5],
];

/** The events of the fixture log at a level (RequestReceived and ResponseComplete of each request), as JSON lines. */
export function fixtureLog(level: Level = 'RequestResponse'): string[] {
  const lines: string[] = [];
  let id = 0;
  for (const [request, count] of FIXTURE_REQUESTS) {
    for (let n = 0; n < count; n++) {
      id += 1;
      const auditID = `00000000-0000-0000-0000-${String(id).padStart(12, '0')}`;
      const base = {
        kind: 'Event',
        apiVersion: 'audit.k8s.io/v1',
        level,
        auditID,
        requestURI: request.uri,
        verb: request.verb,
        user: { username: request.user, groups: request.groups ?? ['system:authenticated'] },
        sourceIPs: ['10.0.0.1'],
        ...(request.objectRef ? { objectRef: { ...request.objectRef, apiVersion: 'v1' } } : {}),
      };
      const stamp = `2026-01-01T00:00:${String(id % 60).padStart(2, '0')}.000000Z`;
      const withRequest = level !== 'Metadata' && request.requestObject !== undefined ? { requestObject: request.requestObject } : {};
      const withResponse = level === 'RequestResponse' && request.responseObject !== undefined ? { responseObject: request.responseObject } : {};
      lines.push(JSON.stringify({ ...base, stage: 'RequestReceived', ...withRequest, requestReceivedTimestamp: stamp, stageTimestamp: stamp }));
      lines.push(JSON.stringify({ ...base, stage: 'ResponseComplete', responseStatus: { metadata: {}, code: 200 }, ...withRequest, ...withResponse, requestReceivedTimestamp: stamp, stageTimestamp: stamp }));
    }
  }
  return lines;
}

/** A log source of the fixture for suggestPolicy (read afresh each time). */
export function fixtureSource(level: Level = 'RequestResponse'): () => AsyncIterable<string> {
  const lines = fixtureLog(level);
  return async function* () {
    for (const line of lines) yield line;
  };
}

// requestFromHttp on the requests a real client sends: kubectl talks to a small fake apiserver on
// 127.0.0.1 that records each method and URL, and the engine reads them as the apiserver would.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docsExamplePolicy } from '@k8s-gen/audit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, requestFromHttp, type RequestAttributes } from '../src/index.js';

const KUBECTL = '/usr/bin/kubectl';
const seen: Array<{ method: string; url: string }> = [];

const resource = (name: string, kind: string, namespaced: boolean) => ({ name, singularName: '', namespaced, kind, verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'] });
const DISCOVERY: Record<string, unknown> = {
  '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] },
  '/apis': { kind: 'APIGroupList', apiVersion: 'v1', groups: [] },
  '/api/v1': {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [
      resource('pods', 'Pod', true),
      { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
      resource('namespaces', 'Namespace', false),
      resource('secrets', 'Secret', true),
      resource('configmaps', 'ConfigMap', true),
    ],
  },
};

function answer(request: IncomingMessage, response: ServerResponse, body: string): void {
  const url = request.url ?? '/';
  const path = url.split('?')[0] as string;
  const json = (status: number, value: unknown) => {
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(value));
  };
  if (path in DISCOVERY) return json(200, DISCOVERY[path]);
  if (path === '/version') return json(200, { major: '1', minor: '36', gitVersion: 'v1.36.0' });
  if (path === '/healthz') {
    response.writeHead(200, { 'Content-Type': 'text/plain' });
    return void response.end('ok');
  }
  if (/[?&]watch=(true|1)/.test(url)) {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    return void response.end();
  }
  if (path.endsWith('/log')) {
    response.writeHead(200, { 'Content-Type': 'text/plain' });
    return void response.end('hello\n');
  }
  const namespaceObject = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(path);
  if (namespaceObject) return json(200, { kind: 'Namespace', apiVersion: 'v1', metadata: { name: namespaceObject[1], resourceVersion: '5' } });
  const named = /^\/api\/v1\/namespaces\/([^/]+)\/(pods|secrets|configmaps)\/([^/]+)$/.exec(path);
  if (named) {
    const kind = { pods: 'Pod', secrets: 'Secret', configmaps: 'ConfigMap' }[named[2] as 'pods'];
    return json(200, { kind, apiVersion: 'v1', metadata: { name: named[3], namespace: named[1], resourceVersion: '7' }, spec: { containers: [{ name: 'c', image: 'i' }] } });
  }
  if (request.method === 'POST') {
    // kubectl may send the object as JSON or as protobuf: echo JSON back, otherwise answer with a
    // minimal object of the collection's kind (only the request line matters to these tests).
    try {
      return json(201, JSON.parse(body) as Record<string, unknown>);
    } catch {
      const created = /\/namespaces\/([^/]+)\/(pods|secrets|configmaps)$/.exec(path);
      const kind = created ? { pods: 'Pod', secrets: 'Secret', configmaps: 'ConfigMap' }[created[2] as 'pods'] : 'Status';
      return json(201, { kind, apiVersion: 'v1', metadata: { name: 'created', namespace: created?.[1] } });
    }
  }
  const collection = /\/(pods|secrets|configmaps|namespaces)$/.exec(path);
  if (collection) return json(200, { kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: '9' }, items: [] });
  json(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
}

const server = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => (body += String(chunk)));
  request.on('end', () => {
    seen.push({ method: request.method ?? 'GET', url: request.url ?? '/' });
    answer(request, response, body);
  });
});
let base = '';
const cacheDir = mkdtempSync(join(tmpdir(), 'k8s-gen-kubectl-'));

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Runs kubectl against the fake server and returns the requests it sent (discovery excluded). */
async function kubectl(...args: string[]): Promise<Array<{ method: string; url: string }>> {
  const start = seen.length;
  await new Promise<void>((resolve) => {
    execFile(
      KUBECTL,
      [`--server=${base}`, `--cache-dir=${cacheDir}`, '--kubeconfig=/dev/null', '--request-timeout=5s', ...args],
      { timeout: 15_000, env: { PATH: process.env.PATH ?? '', HOME: cacheDir } },
      () => resolve(),
    );
  });
  return seen.slice(start).filter((request) => !(request.url.split('?')[0]! in DISCOVERY));
}

const attributesOf = (request: { method: string; url: string }): RequestAttributes => requestFromHttp({ ...request, user: 'alice' });
const summary = (request: RequestAttributes) =>
  request.isResourceRequest
    ? `${request.verb} ${request.resource}${request.subresource ? `/${request.subresource}` : ''} ns=${request.namespace} name=${request.name}`
    : `${request.verb} ${request.path}`;

describe.skipIf(!existsSync(KUBECTL))('requests sent by kubectl', () => {
  it('get, list and watch', async () => {
    expect((await kubectl('get', 'pods', '-n', 'a')).map(attributesOf).map(summary)).toContain('list pods ns=a name=');
    expect((await kubectl('get', 'pod', 'x', '-n', 'a')).map(attributesOf).map(summary)).toContain('get pods ns=a name=x');
    // Watching one object: a watch whose metadata.name field selector names it.
    const watched = (await kubectl('get', 'pod', 'x', '-n', 'a', '--watch')).map(attributesOf);
    expect(watched.map(summary)).toContain('watch pods ns=a name=x');
    expect(watched.find((request) => request.verb === 'watch')?.longRunning).toBe(true);
  });

  it('a Namespace object is in its own namespace', async () => {
    expect((await kubectl('get', 'namespace', 'foo')).map(attributesOf).map(summary)).toContain('get namespaces ns=foo name=foo');
  });

  it('create, delete and logs', async () => {
    expect((await kubectl('create', 'secret', 'generic', 's', '-n', 'a', '--from-literal=k=v')).map(attributesOf).map(summary)).toContain('create secrets ns=a name=');
    expect((await kubectl('delete', 'configmap', 'c', '-n', 'a', '--wait=false')).map(attributesOf).map(summary)).toContain('delete configmaps ns=a name=c');
    const logs = (await kubectl('logs', 'x', '-n', 'a')).map(attributesOf);
    expect(logs.map(summary)).toContain('get pods/log ns=a name=x');
    expect(logs.find((request) => request.subresource === 'log')?.longRunning).toBe(true);
  });

  it('non-resource requests', async () => {
    expect((await kubectl('get', '--raw', '/healthz')).map(attributesOf).map(summary)).toContain('get /healthz');
  });

  it('the docs example policy decides them as expected', async () => {
    const policy = docsExamplePolicy().build();
    const create = (await kubectl('create', 'secret', 'generic', 't', '-n', 'a', '--from-literal=k=v')).map(attributesOf).find((r) => r.verb === 'create')!;
    expect(evaluate(policy, create)).toMatchObject({ ruleIndex: 6, level: 'Metadata' });
    const logs = (await kubectl('logs', 'y', '-n', 'a')).map(attributesOf).find((r) => r.subresource === 'log')!;
    expect(evaluate(policy, logs)).toMatchObject({ ruleIndex: 1, stages: ['ResponseStarted', 'ResponseComplete'] });
  });
});

// evaluate() on the corners of the apiserver's policy checker (facts sheet sections 1, 3 and 12).
import type { Policy, PolicyRule } from '@k8s-gen/audit';
import { docsExamplePolicy, gceProductionPolicy } from '@k8s-gen/audit';
import { describe, expect, it } from 'vitest';
import { evaluate, nonResourceRequest, requestFromHttp, resourceRequest } from '../src/index.js';

const alice = { name: 'alice', groups: ['dev', 'system:authenticated'] };
const policyOf = (...rules: PolicyRule[]): Policy => ({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules });
const ruleFor = (policy: Policy, method: string, url: string, user = 'alice', groups: string[] = []) =>
  evaluate(policy, requestFromHttp({ method, url, user, groups })).ruleIndex;

describe('rule selection', () => {
  it('takes the first matching rule and falls back to None when none matches', () => {
    const policy = policyOf({ level: 'None', verbs: ['watch'] }, { level: 'Metadata', verbs: ['get', 'watch'] });
    expect(evaluate(policy, resourceRequest({ user: alice, verb: 'watch', resource: 'pods' }))).toMatchObject({ ruleIndex: 0, level: 'None', stages: [] });
    expect(evaluate(policy, resourceRequest({ user: alice, verb: 'get', resource: 'pods', name: 'p' }))).toMatchObject({ ruleIndex: 1, level: 'Metadata' });
    const none = evaluate(policy, resourceRequest({ user: alice, verb: 'create', resource: 'pods' }));
    expect(none.ruleIndex).toBeUndefined();
    expect(none.level).toBe('None');
    expect(none.stages).toEqual([]);
  });

  it('matches users and groups of the authenticated user, never a request without user', () => {
    const policy = policyOf({ level: 'None', users: ['alice'] }, { level: 'Request', userGroups: ['ops', 'dev'] }, { level: 'Metadata' });
    expect(evaluate(policy, nonResourceRequest({ user: alice, verb: 'get', path: '/x' })).ruleIndex).toBe(0);
    expect(evaluate(policy, nonResourceRequest({ user: { name: 'bob', groups: ['dev'] }, verb: 'get', path: '/x' })).ruleIndex).toBe(1);
    expect(evaluate(policy, nonResourceRequest({ user: { name: 'bob', groups: [] }, verb: 'get', path: '/x' })).ruleIndex).toBe(2);
    expect(evaluate(policy, nonResourceRequest({ verb: 'get', path: '/x' })).ruleIndex).toBe(2);
  });

  it('matches the impersonator, not the impersonated user', () => {
    const policy = policyOf({ level: 'None', users: ['bob'] }, { level: 'Metadata', users: ['admin'] });
    const request = requestFromHttp({ method: 'GET', url: '/api/v1/pods', user: 'admin', impersonate: { user: 'bob' } });
    expect(evaluate(policy, request).ruleIndex).toBe(1);
  });

  it('compares verbs exactly: GET never matches', () => {
    const policy = policyOf({ level: 'None', verbs: ['GET'] }, { level: 'Metadata' });
    expect(ruleFor(policy, 'GET', '/api/v1/namespaces/a/pods/p')).toBe(1);
  });

  it('keeps resource rules off non-resource requests and URL rules off resource requests; rules with neither match both', () => {
    const policy = policyOf(
      { level: 'None', namespaces: ['a'] },
      { level: 'Request', nonResourceURLs: ['*'] },
      { level: 'Metadata' },
    );
    expect(ruleFor(policy, 'GET', '/api/v1/namespaces/a/pods')).toBe(0);
    expect(ruleFor(policy, 'GET', '/api/v1/namespaces/b/pods')).toBe(2);
    expect(ruleFor(policy, 'GET', '/healthz')).toBe(1);
  });
});

describe('resource matching', () => {
  const resourceRule = (resources: string[], extra: Partial<PolicyRule> = {}): Policy =>
    policyOf({ level: 'Request', resources: [{ group: '', resources }], ...extra }, { level: 'Metadata' });

  it('matches exact resources only: pods does not cover pods/log', () => {
    const policy = resourceRule(['pods']);
    expect(ruleFor(policy, 'GET', '/api/v1/namespaces/a/pods/p')).toBe(0);
    expect(ruleFor(policy, 'GET', '/api/v1/namespaces/a/pods/p/log')).toBe(1);
  });

  it('matches pods/* against pods itself and every pods subresource', () => {
    const policy = resourceRule(['pods/*']);
    expect(ruleFor(policy, 'GET', '/api/v1/namespaces/a/pods/p')).toBe(0);
    expect(ruleFor(policy, 'GET', '/api/v1/namespaces/a/pods/p/status')).toBe(0);
    expect(ruleFor(policy, 'GET', '/api/v1/namespaces/a/pods')).toBe(0);
    expect(ruleFor(policy, 'GET', '/api/v1/namespaces/a/secrets/s')).toBe(1);
  });

  it('matches */status against the status subresource of anything, not the plain resource', () => {
    const policy = resourceRule(['*/status']);
    expect(ruleFor(policy, 'PUT', '/api/v1/namespaces/a/pods/p/status')).toBe(0);
    expect(ruleFor(policy, 'PUT', '/api/v1/nodes/n/status')).toBe(0);
    expect(ruleFor(policy, 'PUT', '/api/v1/namespaces/a/pods/p')).toBe(1);
  });

  it('matches * against every resource and subresource, and */* against no real request', () => {
    expect(ruleFor(resourceRule(['*']), 'GET', '/api/v1/namespaces/a/pods/p/log')).toBe(0);
    const starSlashStar = resourceRule(['*/*']);
    expect(ruleFor(starSlashStar, 'GET', '/api/v1/namespaces/a/pods/p')).toBe(1);
    expect(ruleFor(starSlashStar, 'GET', '/api/v1/namespaces/a/pods/p/status')).toBe(1);
  });

  it('requires the exact group; an empty resources list takes the whole group', () => {
    const policy = policyOf({ level: 'Request', resources: [{ group: 'apps' }] }, { level: 'Metadata' });
    expect(ruleFor(policy, 'GET', '/apis/apps/v1/namespaces/a/deployments/d')).toBe(0);
    expect(ruleFor(policy, 'GET', '/apis/batch/v1/namespaces/a/jobs/j')).toBe(1);
    expect(ruleFor(policy, 'GET', '/api/v1/namespaces/a/pods/p')).toBe(1);
  });

  it('treats group "*" as every group from 1.36 only', () => {
    const policy = policyOf({ level: 'Request', resources: [{ group: '*', resources: ['deployments'] }] }, { level: 'Metadata' });
    const request = requestFromHttp({ method: 'GET', url: '/apis/apps/v1/namespaces/a/deployments/d', user: 'alice' });
    expect(evaluate(policy, request, { kubernetesVersion: '1.36' }).ruleIndex).toBe(0);
    expect(evaluate(policy, request).ruleIndex).toBe(0);
    expect(evaluate(policy, request, { kubernetesVersion: 'v1.35.2' }).ruleIndex).toBe(1);
  });

  it('never matches resourceNames for create, list or watch, unless a metadata.name field selector names the object', () => {
    const policy = resourceRule(['configmaps'], {});
    policy.rules[0] = { level: 'None', resources: [{ group: '', resources: ['configmaps'], resourceNames: ['leader'] }] };
    expect(ruleFor(policy, 'GET', '/api/v1/namespaces/a/configmaps/leader')).toBe(0);
    expect(ruleFor(policy, 'PUT', '/api/v1/namespaces/a/configmaps/leader')).toBe(0);
    expect(ruleFor(policy, 'POST', '/api/v1/namespaces/a/configmaps')).toBe(1);
    expect(ruleFor(policy, 'GET', '/api/v1/namespaces/a/configmaps')).toBe(1);
    expect(ruleFor(policy, 'GET', '/api/v1/namespaces/a/configmaps?watch=1')).toBe(1);
    expect(ruleFor(policy, 'GET', '/api/v1/namespaces/a/configmaps?watch=1&fieldSelector=metadata.name%3Dleader')).toBe(0);
    expect(ruleFor(policy, 'GET', '/api/v1/namespaces/a/configmaps/other')).toBe(1);
  });
});

describe('namespaces', () => {
  const policy = policyOf({ level: 'None', namespaces: [''] }, { level: 'Metadata', namespaces: ['foo'] }, { level: 'Request' });

  it('matches "" for cluster-scoped requests', () => {
    expect(ruleFor(policy, 'GET', '/api/v1/nodes/n')).toBe(0);
    expect(ruleFor(policy, 'GET', '/api/v1/namespaces')).toBe(0);
    expect(ruleFor(policy, 'POST', '/api/v1/namespaces')).toBe(0);
  });

  it('gives a Namespace object its own name, so namespaces: [""] misses GET/UPDATE of it', () => {
    expect(ruleFor(policy, 'GET', '/api/v1/namespaces/foo')).toBe(1);
    expect(ruleFor(policy, 'PUT', '/api/v1/namespaces/foo/finalize')).toBe(1);
    expect(ruleFor(policy, 'DELETE', '/api/v1/namespaces/bar')).toBe(2);
  });
});

describe('non-resource URLs', () => {
  const policy = policyOf({ level: 'None', nonResourceURLs: ['/healthz*', '/version'] }, { level: 'Metadata' });

  it('matches exact paths and prefix* patterns, ignoring the query string', () => {
    expect(ruleFor(policy, 'GET', '/healthz')).toBe(0);
    expect(ruleFor(policy, 'GET', '/healthz/etcd')).toBe(0);
    expect(ruleFor(policy, 'GET', '/healthzfoo')).toBe(0);
    expect(ruleFor(policy, 'GET', '/version?x=1')).toBe(0);
    expect(ruleFor(policy, 'GET', '/version/')).toBe(1);
    expect(ruleFor(policy, 'GET', '/livez')).toBe(1);
  });
});

describe('stages and omitted stages', () => {
  const policy: Policy = { ...policyOf({ level: 'Metadata', omitStages: ['ResponseComplete'] }, { level: 'Request' }), omitStages: ['RequestReceived'] };

  it('emits RequestReceived + ResponseComplete for a normal request, minus the joined omitStages', () => {
    expect(evaluate(policyOf({ level: 'Metadata' }), resourceRequest({ user: alice, verb: 'get', resource: 'pods', name: 'p' })).stages).toEqual(['RequestReceived', 'ResponseComplete']);
    const evaluation = evaluate(policy, resourceRequest({ user: alice, verb: 'get', resource: 'pods', name: 'p' }));
    expect(evaluation.omitStages).toEqual(['RequestReceived', 'ResponseComplete']);
    expect(evaluation.stages).toEqual([]);
  });

  it('adds ResponseStarted for long-running requests', () => {
    const watch = requestFromHttp({ method: 'GET', url: '/api/v1/pods?watch=1', user: 'u' });
    expect(evaluate(policyOf({ level: 'Metadata' }), watch).stages).toEqual(['RequestReceived', 'ResponseStarted', 'ResponseComplete']);
    expect(evaluate(policy, watch).stages).toEqual(['ResponseStarted']);
  });

  it('ends a panicked request with Panic', () => {
    const panicked = requestFromHttp({ method: 'GET', url: '/api/v1/pods', user: 'u', panicked: true });
    expect(evaluate(policyOf({ level: 'Metadata' }), panicked).stages).toEqual(['RequestReceived', 'Panic']);
  });

  it('emits only ResponseStarted, with no user, for failed authentication', () => {
    const failed = requestFromHttp({ method: 'GET', url: '/api/v1/namespaces/a/secrets', authenticationFailed: true });
    expect(evaluate(policyOf({ level: 'Request', users: ['alice'] }, { level: 'Metadata' }), failed)).toMatchObject({ ruleIndex: 1, stages: ['ResponseStarted'] });
    expect(evaluate(policyOf({ level: 'Metadata', omitStages: ['ResponseStarted'] }), failed).stages).toEqual([]);
  });

  it('reports no stages at level None and the policy omitStages when no rule matches', () => {
    const evaluation = evaluate({ ...policyOf({ level: 'Metadata', verbs: ['get'] }), omitStages: ['Panic'] }, nonResourceRequest({ user: alice, verb: 'post', path: '/x' }));
    expect(evaluation).toMatchObject({ ruleIndex: undefined, level: 'None', stages: [], omitStages: ['Panic'] });
  });
});

describe('omitManagedFields', () => {
  it('takes the rule value when set, else the policy value, else false', () => {
    const request = resourceRequest({ user: alice, verb: 'get', resource: 'pods', name: 'p' });
    expect(evaluate(policyOf({ level: 'Request' }), request).omitManagedFields).toBe(false);
    expect(evaluate({ ...policyOf({ level: 'Request' }), omitManagedFields: true }, request).omitManagedFields).toBe(true);
    expect(evaluate({ ...policyOf({ level: 'Request', omitManagedFields: false }), omitManagedFields: true }, request).omitManagedFields).toBe(false);
    expect(evaluate(policyOf({ level: 'Request', omitManagedFields: true }), request).omitManagedFields).toBe(true);
  });
});

describe('the reference policies', () => {
  const gce = gceProductionPolicy().build();
  const docs = docsExamplePolicy().build();

  it('GCE: drops events writes, keeps secrets at Metadata, reads at Request and writes at RequestResponse', () => {
    expect(evaluate(gce, requestFromHttp({ method: 'POST', url: '/api/v1/namespaces/a/events', user: 'kubelet' }))).toMatchObject({ ruleIndex: 9, level: 'None' });
    expect(evaluate(gce, requestFromHttp({ method: 'GET', url: '/api/v1/namespaces/a/secrets/s', user: 'alice' }))).toMatchObject({ ruleIndex: 13, level: 'Metadata', stages: ['ResponseComplete'] });
    expect(evaluate(gce, requestFromHttp({ method: 'GET', url: '/apis/apps/v1/deployments', user: 'alice' }))).toMatchObject({ ruleIndex: 14, level: 'Request' });
    expect(evaluate(gce, requestFromHttp({ method: 'PATCH', url: '/apis/apps/v1/namespaces/a/deployments/d', user: 'alice' }))).toMatchObject({ ruleIndex: 15, level: 'RequestResponse' });
    expect(evaluate(gce, requestFromHttp({ method: 'PUT', url: '/apis/coordination.k8s.io/v1/namespaces/a/leases/l', user: 'alice' }))).toMatchObject({ ruleIndex: 16, level: 'Metadata' });
    expect(evaluate(gce, requestFromHttp({ method: 'GET', url: '/healthz/ready', user: 'alice' }))).toMatchObject({ ruleIndex: 8, level: 'None' });
    expect(evaluate(gce, requestFromHttp({ method: 'GET', url: '/api/v1/namespaces/kube-system', user: 'system:apiserver' }))).toMatchObject({ ruleIndex: 5 });
    expect(evaluate(gce, requestFromHttp({ method: 'GET', url: '/api/v1/nodes/n1', user: 'system:node:n1', groups: ['system:nodes'] }))).toMatchObject({ ruleIndex: 3 });
  });

  it('docs example: authenticated discovery is dropped, anonymous discovery is not', () => {
    expect(evaluate(docs, requestFromHttp({ method: 'GET', url: '/apis/apps/v1', user: 'alice' }))).toMatchObject({ ruleIndex: 4, level: 'None' });
    expect(evaluate(docs, requestFromHttp({ method: 'GET', url: '/apis/apps/v1' }))).toMatchObject({ ruleIndex: 8, level: 'Metadata', stages: ['ResponseComplete'] });
    expect(evaluate(docs, requestFromHttp({ method: 'GET', url: '/api/v1/namespaces/a/pods/p/log', user: 'alice' }))).toMatchObject({ ruleIndex: 1, stages: ['ResponseStarted', 'ResponseComplete'] });
  });
});

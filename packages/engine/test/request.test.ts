// requestFromHttp against the apiserver's RequestInfoFactory rules (facts sheet, section 3).
import { describe, expect, it } from 'vitest';
import { isLongRunning, RequestParseError, requestFromHttp, type RequestAttributes } from '../src/index.js';

const pick = (request: RequestAttributes) => ({
  verb: request.verb,
  isResourceRequest: request.isResourceRequest,
  apiGroup: request.apiGroup,
  apiVersion: request.apiVersion,
  namespace: request.namespace,
  resource: request.resource,
  subresource: request.subresource,
  name: request.name,
});
const http = (method: string, url: string) => pick(requestFromHttp({ method, url, user: 'alice' }));

describe('requestFromHttp: resource requests', () => {
  it('reads a namespaced object of the core group', () => {
    expect(http('GET', '/api/v1/namespaces/a/secrets/x')).toEqual({
      verb: 'get', isResourceRequest: true, apiGroup: '', apiVersion: 'v1', namespace: 'a', resource: 'secrets', subresource: '', name: 'x',
    });
  });

  it('reads a named group and a subresource', () => {
    expect(http('PUT', '/apis/apps/v1/namespaces/prod/deployments/web/scale')).toEqual({
      verb: 'update', isResourceRequest: true, apiGroup: 'apps', apiVersion: 'v1', namespace: 'prod', resource: 'deployments', subresource: 'scale', name: 'web',
    });
  });

  it('turns GET of a collection into list, and into watch with ?watch=true or ?watch=1', () => {
    expect(http('GET', '/api/v1/namespaces/a/pods').verb).toBe('list');
    expect(http('GET', '/api/v1/namespaces/a/pods?watch=true').verb).toBe('watch');
    expect(http('GET', '/api/v1/namespaces/a/pods?watch=1').verb).toBe('watch');
    expect(http('GET', '/api/v1/namespaces/a/pods?watch=false').verb).toBe('list');
    expect(http('GET', '/api/v1/namespaces/a/pods?watch=0').verb).toBe('list');
    expect(http('GET', '/api/v1/pods?watch=FALSE').verb).toBe('list');
  });

  it('maps the other methods to kube verbs, HEAD to get and DELETE of a collection to deletecollection', () => {
    expect(http('POST', '/api/v1/namespaces/a/pods')).toMatchObject({ verb: 'create', name: '' });
    expect(http('PATCH', '/api/v1/namespaces/a/pods/p').verb).toBe('patch');
    expect(http('DELETE', '/api/v1/namespaces/a/pods/p').verb).toBe('delete');
    expect(http('DELETE', '/api/v1/namespaces/a/pods').verb).toBe('deletecollection');
    expect(http('HEAD', '/api/v1/namespaces/a/pods/p').verb).toBe('get');
    expect(http('HEAD', '/api/v1/namespaces/a/pods').verb).toBe('list');
    // Methods without a kube verb leave the verb empty on resource paths.
    expect(http('OPTIONS', '/api/v1/namespaces/a/pods/p').verb).toBe('');
  });

  it('gives a Namespace object its own name as namespace, also for /status and /finalize', () => {
    expect(http('GET', '/api/v1/namespaces/foo')).toMatchObject({ resource: 'namespaces', name: 'foo', namespace: 'foo' });
    expect(http('PUT', '/api/v1/namespaces/foo/status')).toMatchObject({ resource: 'namespaces', subresource: 'status', name: 'foo', namespace: 'foo' });
    expect(http('PUT', '/api/v1/namespaces/foo/finalize')).toMatchObject({ resource: 'namespaces', subresource: 'finalize', name: 'foo', namespace: 'foo' });
    expect(http('GET', '/api/v1/namespaces')).toMatchObject({ verb: 'list', resource: 'namespaces', name: '', namespace: '' });
    expect(http('POST', '/api/v1/namespaces')).toMatchObject({ verb: 'create', namespace: '' });
  });

  it('treats cluster-scoped resources as namespace ""', () => {
    expect(http('GET', '/api/v1/nodes/n1')).toMatchObject({ resource: 'nodes', name: 'n1', namespace: '' });
    expect(http('GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles')).toMatchObject({ verb: 'list', apiGroup: 'rbac.authorization.k8s.io', namespace: '' });
  });

  it('reads the legacy /watch/ and /proxy/ prefixes as verbs', () => {
    expect(http('GET', '/api/v1/watch/namespaces/a/pods')).toMatchObject({ verb: 'watch', resource: 'pods', namespace: 'a', name: '' });
    expect(http('GET', '/api/v1/watch/namespaces/a/pods/p')).toMatchObject({ verb: 'watch', resource: 'pods', name: 'p' });
    // proxy takes no subresource: the rest of the path is the proxied path.
    expect(http('GET', '/api/v1/proxy/namespaces/a/pods/p/metrics')).toMatchObject({ verb: 'proxy', resource: 'pods', name: 'p', subresource: '' });
    // The modern form is a subresource named proxy.
    expect(http('GET', '/api/v1/namespaces/a/pods/p/proxy/metrics')).toMatchObject({ verb: 'get', subresource: 'proxy', name: 'p' });
  });

  it('names the object of a list or watch from a metadata.name field selector', () => {
    expect(http('GET', '/api/v1/namespaces/a/configmaps?fieldSelector=metadata.name%3Dcfg')).toMatchObject({ verb: 'list', name: 'cfg' });
    expect(http('GET', '/api/v1/namespaces/a/configmaps?fieldSelector=metadata.name==cfg&watch=1')).toMatchObject({ verb: 'watch', name: 'cfg' });
    expect(http('GET', '/api/v1/namespaces/a/configmaps?fieldSelector=metadata.namespace=a,metadata.name=cfg')).toMatchObject({ name: 'cfg' });
    expect(http('GET', '/api/v1/namespaces/a/configmaps?fieldSelector=metadata.name!=cfg')).toMatchObject({ name: '' });
    expect(http('GET', '/api/v1/namespaces/a/configmaps?fieldSelector=status.phase=Running')).toMatchObject({ name: '' });
    // The terms are sorted before the first pinning one is taken; keys are not trimmed.
    expect(http('GET', '/api/v1/namespaces/a/configmaps?fieldSelector=metadata.name%3Db,metadata.name%3Da')).toMatchObject({ name: 'a' });
    expect(http('GET', '/api/v1/namespaces/a/configmaps?fieldSelector=metadata.name%20%3Dcfg')).toMatchObject({ name: '' });
    // A selector that does not parse (bare "=" in a value, unknown escape) names nothing.
    expect(http('GET', '/api/v1/namespaces/a/configmaps?fieldSelector=metadata.name%3Da%3Db')).toMatchObject({ verb: 'list', name: '' });
    expect(http('GET', '/api/v1/namespaces/a/configmaps?fieldSelector=metadata.name%3Da%5Cx&watch')).toMatchObject({ verb: 'watch', name: '' });
    expect(http('GET', '/api/v1/namespaces/a/configmaps?fieldSelector=metadata.name%3Da%5C%3Db')).toMatchObject({ name: 'a=b' });
    // Any list option that fails to decode drops the selector too (the watch flag survives).
    expect(http('GET', '/api/v1/namespaces/a/configmaps?fieldSelector=metadata.name%3Dcfg&limit=ten&watch=1')).toMatchObject({ verb: 'watch', name: '' });
    expect(http('GET', '/api/v1/namespaces/a/configmaps?fieldSelector=metadata.name%3Dcfg&limit=10')).toMatchObject({ verb: 'list', name: 'cfg' });
    // Not a valid path segment name: ignored.
    expect(http('GET', '/api/v1/namespaces/a/configmaps?fieldSelector=metadata.name=..')).toMatchObject({ name: '' });
    // A field selector never renames a get or names a delete.
    expect(http('DELETE', '/api/v1/namespaces/a/configmaps?fieldSelector=metadata.name=cfg')).toMatchObject({ verb: 'deletecollection', name: '' });
  });

  it('decodes %-escapes in the path before splitting it', () => {
    expect(http('GET', '/api/v1/namespaces/a/pods/my%20pod')).toMatchObject({ name: 'my pod' });
    expect(() => requestFromHttp({ method: 'GET', url: '/api/v1/pods/%zz' })).toThrow(RequestParseError);
  });

  it('accepts absolute URLs', () => {
    expect(http('GET', 'https://10.0.0.1:6443/api/v1/namespaces/a/pods/p?pretty=1')).toMatchObject({ verb: 'get', name: 'p', namespace: 'a' });
  });

  it('rejects /watch without a resource, which the apiserver answers with 500 before auditing', () => {
    expect(() => requestFromHttp({ method: 'GET', url: '/api/v1/watch' })).toThrow(/without a resource/);
  });
});

describe('requestFromHttp: non-resource requests', () => {
  it('uses the lower-cased HTTP method as verb and keeps the path', () => {
    expect(requestFromHttp({ method: 'GET', url: '/healthz/etcd?verbose' })).toMatchObject({ isResourceRequest: false, verb: 'get', path: '/healthz/etcd' });
    expect(requestFromHttp({ method: 'HEAD', url: '/version' })).toMatchObject({ isResourceRequest: false, verb: 'head' });
    expect(requestFromHttp({ method: 'POST', url: '/apis' })).toMatchObject({ isResourceRequest: false, verb: 'post' });
  });

  it('treats discovery paths that stop at the version as non-resource', () => {
    expect(requestFromHttp({ method: 'GET', url: '/api/v1' }).isResourceRequest).toBe(false);
    expect(requestFromHttp({ method: 'GET', url: '/apis/apps/v1' }).isResourceRequest).toBe(false);
    expect(requestFromHttp({ method: 'GET', url: '/apis/apps' }).isResourceRequest).toBe(false);
    expect(requestFromHttp({ method: 'GET', url: '/openapi/v2/x' }).isResourceRequest).toBe(false);
  });
});

describe('requestFromHttp: identity and request kind', () => {
  it('adds system:authenticated to named users and makes missing users anonymous', () => {
    expect(requestFromHttp({ method: 'GET', url: '/version', user: 'alice', groups: ['dev'] }).user).toEqual({ name: 'alice', groups: ['dev', 'system:authenticated'] });
    expect(requestFromHttp({ method: 'GET', url: '/version' }).user).toEqual({ name: 'system:anonymous', groups: ['system:unauthenticated'] });
    expect(requestFromHttp({ method: 'GET', url: '/version', authenticationFailed: true }).user).toBeUndefined();
  });

  it('keeps the impersonator as the user and records the impersonated identity aside', () => {
    const request = requestFromHttp({ method: 'GET', url: '/api/v1/pods', user: 'admin', impersonate: { user: 'bob', groups: ['ops'] } });
    expect(request.user?.name).toBe('admin');
    expect(request.impersonatedUser).toEqual({ name: 'bob', groups: ['ops'] });
  });

  it('marks watch, proxy, exec/attach/log/portforward/proxy subresources and /debug/pprof/ as long-running', () => {
    const longRunning = (method: string, url: string) => requestFromHttp({ method, url, user: 'u' }).longRunning;
    expect(longRunning('GET', '/api/v1/pods?watch=1')).toBe(true);
    expect(longRunning('GET', '/api/v1/proxy/namespaces/a/pods/p')).toBe(true);
    for (const sub of ['exec', 'attach', 'log', 'portforward', 'proxy']) expect(longRunning('POST', `/api/v1/namespaces/a/pods/p/${sub}`)).toBe(true);
    expect(longRunning('GET', '/debug/pprof/profile')).toBe(true);
    expect(longRunning('GET', '/debug/pprof')).toBe(false);
    expect(longRunning('GET', '/api/v1/pods')).toBe(false);
    expect(longRunning('GET', '/api/v1/namespaces/a/pods/p/status')).toBe(false);
    expect(isLongRunning({ verb: 'get', isResourceRequest: false, subresource: 'exec', path: '/exec' })).toBe(false);
  });
});

// requestFromHttp then evaluate equals evaluate on attributes built by hand from the same parts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, nonResourceRequest, requestFromHttp, resourceRequest } from '../src/index.js';
import { PATHS, policyArbitrary } from './arbitraries.js';

const METHOD_VERBS: Record<string, string> = { GET: 'get', HEAD: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

const resourceUrl = fc
  .record({
    method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'),
    group: fc.constantFrom('', 'apps'),
    namespace: fc.constantFrom(undefined, 'a', 'kube-system'),
    resource: fc.constantFrom('pods', 'secrets', 'namespaces', 'deployments'),
    name: fc.constantFrom(undefined, 'a', 'b', 'leader'),
    subresource: fc.constantFrom(undefined, 'log', 'status', 'exec', 'finalize'),
    watch: fc.constantFrom(undefined, 'true', '1', 'false', '0', ''),
    selectedName: fc.constantFrom(undefined, 'a', 'leader'),
    legacyWatch: fc.boolean(),
    user: fc.constantFrom('alice', 'bob', 'system:kube-proxy'),
    groups: fc.uniqueArray(fc.constantFrom('dev', 'ops'), { maxLength: 2 }),
  })
  // A namespace path followed by anything but status/finalize is read as a namespaced collection.
  .filter((parts) => !(parts.resource === 'namespaces' && parts.namespace === undefined && parts.subresource !== undefined && !['status', 'finalize'].includes(parts.subresource)))
  .filter((parts) => parts.name !== undefined || parts.subresource === undefined);

describe('requestFromHttp agrees with hand-built attributes', () => {
  it('for resource URLs', () => {
    fc.assert(
      fc.property(resourceUrl, policyArbitrary, (parts, policy) => {
        const query = [
          ...(parts.watch !== undefined ? [`watch=${parts.watch}`] : []),
          ...(parts.selectedName !== undefined ? [`fieldSelector=metadata.name%3D${parts.selectedName}`] : []),
        ];
        const legacyWatch = parts.legacyWatch && parts.method === 'GET';
        const url = [
          parts.group === '' ? '/api/v1' : `/apis/${parts.group}/v1`,
          legacyWatch ? '/watch' : '',
          parts.namespace !== undefined ? `/namespaces/${parts.namespace}` : '',
          `/${parts.resource}`,
          parts.name !== undefined ? `/${parts.name}` : '',
          parts.subresource !== undefined ? `/${parts.subresource}` : '',
          query.length > 0 ? `?${query.join('&')}` : '',
        ].join('');

        // What the apiserver makes of it, worked out by hand for these URL shapes.
        let verb = legacyWatch ? 'watch' : (METHOD_VERBS[parts.method] as string);
        let name = parts.name ?? '';
        if (name === '' && verb === 'get') {
          verb = parts.watch !== undefined && parts.watch !== 'false' && parts.watch !== '0' ? 'watch' : 'list';
          name = parts.selectedName ?? '';
        }
        if (name === '' && verb === 'delete') verb = 'deletecollection';
        const namespace = parts.namespace ?? (parts.resource === 'namespaces' ? (parts.name ?? '') : '');
        const user = { name: parts.user, groups: [...parts.groups, 'system:authenticated'] };
        const expected = resourceRequest({ user, verb, apiGroup: parts.group, resource: parts.resource, subresource: parts.subresource ?? '', name, namespace });

        const actual = requestFromHttp({ method: parts.method, url, user: parts.user, groups: parts.groups });
        expect({ ...actual, path: '' }).toEqual({ ...expected, path: '' });
        expect(evaluate(policy, actual)).toEqual(evaluate(policy, expected));
      }),
      { numRuns: 1000 },
    );
  });

  it('for non-resource URLs', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATHS), fc.constantFrom('GET', 'POST', 'HEAD', 'OPTIONS'), policyArbitrary, (path, method, policy) => {
        const actual = requestFromHttp({ method, url: `${path}?q=1`, user: 'alice' });
        const expected = nonResourceRequest({ user: { name: 'alice', groups: ['system:authenticated'] }, verb: method.toLowerCase(), path });
        expect(actual).toEqual(expected);
        expect(evaluate(policy, actual)).toEqual(evaluate(policy, expected));
      }),
      { numRuns: 500 },
    );
  });
});

// Generated audit events for the policy-filter differential test: the engine's property-test
// alphabet (users, groups, verbs, resources, paths) so that random policies' rules meet them, every
// stage and level, bodies with managed fields in the three places the apiserver removes them from
// (an object, list items, Table rows), and now and then a field of the wrong type.
import fc from 'fast-check';
import { API_GROUPS, GROUPS, NAMES, NAMESPACES, PATHS, RESOURCES, SUBRESOURCES, USERS, VERBS } from '../packages/engine/test/arbitraries.js';

const STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'];
const LEVELS = ['Metadata', 'Request', 'RequestResponse'];

/** A value of the wrong type, for the robustness of the three derivations (TS, Lua, VRL). */
const wrongType = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}), fc.constant(['x']));

/** Usually a value of `arbitrary`, sometimes left out or of the wrong type. */
function mostly<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | unknown | undefined> {
  return fc.oneof({ weight: 12, arbitrary }, { weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: wrongType });
}

const managedFields = fc.array(fc.record({ manager: fc.constantFrom('kubectl', 'kube-controller-manager'), operation: fc.constantFrom('Update', 'Apply') }), { minLength: 1, maxLength: 2 });

const objectBody = fc.record(
  {
    kind: fc.constantFrom('Pod', 'Secret', 'Deployment'),
    apiVersion: fc.constant('v1'),
    metadata: fc.oneof(
      fc.record({ name: fc.constantFrom('a', 'b'), managedFields }, { requiredKeys: ['name'] }),
      fc.record({ name: fc.constant('n'), managedFields: fc.constant(null) }),
      wrongType,
    ),
    spec: fc.record({ replicas: fc.integer({ min: 0, max: 3 }), ratio: fc.constantFrom(0.1, 1.5, -2.25) }),
  },
  { requiredKeys: ['kind'] },
);

const body = fc.oneof(
  { weight: 4, arbitrary: objectBody },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('PodList'), metadata: fc.constant({ resourceVersion: '7' }), items: fc.array(objectBody, { maxLength: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('Table'), rows: fc.array(fc.oneof(fc.record({ cells: fc.constant(['x']), object: objectBody }), wrongType), { maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('Table'), rows: wrongType }) },
  { weight: 1, arbitrary: fc.record({ metadata: fc.record({ managedFields }) }) },
  { weight: 1, arbitrary: wrongType },
);

const requestURI = fc.oneof(
  fc.constantFrom(...PATHS),
  fc.tuple(fc.constantFrom(...PATHS, '/api/v1/namespaces/a/pods'), fc.constantFrom('?watch=1', '?fieldSelector=metadata.name%3Da', '?', '?a?b')).map(([p, q]) => p + q),
);

const objectRef = fc.record(
  {
    resource: mostly(fc.constantFrom(...RESOURCES)),
    namespace: mostly(fc.constantFrom(...NAMESPACES)),
    name: mostly(fc.constantFrom(...NAMES)),
    apiGroup: mostly(fc.constantFrom(...API_GROUPS, '*')),
    apiVersion: fc.constant('v1'),
    subresource: mostly(fc.constantFrom(...SUBRESOURCES)),
  },
  { requiredKeys: [] },
);

const user = fc.record(
  {
    username: mostly(fc.constantFrom(...USERS, 'carol', '')),
    groups: mostly(fc.array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...GROUPS, 'qa') }, { weight: 1, arbitrary: wrongType }), { maxLength: 3 })),
    uid: fc.constant('u-1'),
  },
  { requiredKeys: [] },
);

/** One audit.k8s.io/v1 event, JSON-ready (undefined fields are left out by JSON.stringify). */
export const auditEventArbitrary = fc.record(
  {
    kind: fc.constant('Event'),
    apiVersion: fc.constant('audit.k8s.io/v1'),
    level: mostly(fc.constantFrom(...LEVELS)),
    auditID: fc.uuid(),
    stage: mostly(fc.constantFrom(...STAGES)),
    requestURI: mostly(requestURI),
    verb: mostly(fc.constantFrom(...VERBS, 'post', 'proxy')),
    user: mostly(user),
    objectRef: fc.oneof({ weight: 4, arbitrary: objectRef }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: wrongType }),
    requestObject: fc.option(body, { nil: undefined }),
    responseObject: fc.option(body, { nil: undefined }),
    annotations: fc.constant({ 'authorization.k8s.io/decision': 'allow' }),
  },
  { requiredKeys: ['kind', 'apiVersion', 'auditID'] },
);

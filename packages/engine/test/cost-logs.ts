// Audit logs for comparing the cost engines: one over the small alphabet of test/arbitraries.ts,
// so random policies meet its requests often, with every corner the checker has (subresources,
// Namespace objects, names filled in after RequestReceived, field selectors, failed logins,
// non-resource paths, long-running requests) and bodies carrying managed fields.
import { API_GROUPS, GROUPS, NAMES, NAMESPACES, PATHS, RESOURCES, SUBRESOURCES, USERS, VERBS } from './arbitraries.js';
import { auditEvent } from '../../../test/hostile/engine/cost.js';

/** A deterministic stream of choices (a linear congruential generator). */
function chooser(seed: number): <T>(values: readonly T[]) => T {
  let state = seed >>> 0;
  return <T>(values: readonly T[]): T => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return values[state % values.length] as T;
  };
}

const managedFields = [{ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { '.': {}, 'f:key': {} } } }];
const object = (name: string): Record<string, unknown> => ({ kind: 'Thing', apiVersion: 'v1', metadata: { name, namespace: 'a', managedFields }, data: { key: 'value '.repeat(8) } });

/**
 * The lines of a RequestResponse log of `requests` requests over the alphabet, as the apiserver
 * writes them (its field order, bodies before the timestamps).
 */
export function alphabetLog(requests: number, seed = 7): string[] {
  const pick = chooser(seed);
  const lines: string[] = [];
  for (let index = 0; index < requests; index++) {
    const base = index * 4;
    const authenticated = pick([true, true, true, true, true, false]);
    const name = pick(USERS.concat('carol'));
    const groups = [...new Set([pick(GROUPS.concat('qa')), pick(GROUPS)])];
    const user = authenticated ? { username: name, groups } : {};
    const resourceRequest = pick([true, true, true, false]);
    const stamp = (offset: number): string => `2026-11-22T03:${String(10 + (index % 50)).padStart(2, '0')}:${String(offset).padStart(2, '0')}.000100Z`;
    if (!resourceRequest) {
      const path = pick(PATHS);
      const fields = { verb: pick(['get', 'post']), requestURI: pick([path, `${path}?timeout=32s`]), user, objectRef: undefined, level: 'RequestResponse' };
      if (!authenticated) {
        lines.push(JSON.stringify(auditEvent(base, { ...fields, stage: 'ResponseStarted', responseStatus: { metadata: {}, code: 401 }, stageTimestamp: stamp(1) })));
        continue;
      }
      lines.push(JSON.stringify(auditEvent(base, { ...fields, stage: 'RequestReceived', responseStatus: undefined, stageTimestamp: stamp(1) })));
      lines.push(JSON.stringify(auditEvent(base, { ...fields, stage: 'ResponseComplete', responseStatus: { metadata: {}, code: 200 }, stageTimestamp: stamp(2) })));
      continue;
    }
    const verb = pick(VERBS.concat('proxy'));
    const apiGroup = pick(API_GROUPS);
    const resource = pick(RESOURCES.filter((entry) => entry !== ''));
    const subresource = pick(SUBRESOURCES);
    const objectName = pick(NAMES);
    // A Namespace object's namespace is its own name, as the apiserver's request info has it.
    const namespace = resource === 'namespaces' ? objectName : pick(NAMESPACES);
    const ref = (withName: boolean): Record<string, unknown> => {
      const entry: Record<string, unknown> = { resource };
      if (namespace !== '') entry.namespace = namespace;
      if (withName && objectName !== '') entry.name = objectName;
      if (apiGroup !== '') entry.apiGroup = apiGroup;
      entry.apiVersion = 'v1';
      if (subresource !== '') entry.subresource = subresource;
      return entry;
    };
    const prefix = apiGroup === '' ? '/api/v1' : `/apis/${apiGroup}/v1`;
    const collection = `${prefix}${namespace !== '' && resource !== 'namespaces' ? `/namespaces/${namespace}` : ''}/${resource}`;
    const listing = verb === 'list' || verb === 'watch';
    // A list or watch of one object names it through a field selector: the log's objectRef has the name.
    const requestURI = listing ? `${collection}${objectName !== '' ? `?fieldSelector=metadata.name%3D${objectName}` : ''}` : `${collection}${objectName !== '' ? `/${objectName}` : ''}${subresource !== '' ? `/${subresource}` : ''}`;
    // A create names its object only once the body is read: RequestReceived has no name yet.
    const receivedRef = ref(verb !== 'create');
    const finalRef = ref(true);
    const longRunning = verb === 'watch' || verb === 'proxy' || ['exec', 'log'].includes(subresource);
    const writes = ['create', 'update', 'patch'].includes(verb);
    const common = { verb, requestURI, user, level: 'RequestResponse' };
    if (!authenticated) {
      lines.push(JSON.stringify(auditEvent(base, { ...common, stage: 'ResponseStarted', objectRef: receivedRef, responseStatus: { metadata: {}, code: 401 }, stageTimestamp: stamp(1) })));
      continue;
    }
    const requestObject = writes ? object(objectName || 'created') : undefined;
    lines.push(JSON.stringify(auditEvent(base, { ...common, stage: 'RequestReceived', objectRef: receivedRef, responseStatus: undefined, requestObject, stageTimestamp: stamp(1) })));
    if (longRunning) lines.push(JSON.stringify(auditEvent(base, { ...common, stage: 'ResponseStarted', objectRef: finalRef, responseStatus: { metadata: {}, code: 200 }, requestObject, stageTimestamp: stamp(2) })));
    const responseObject = verb === 'list' ? { kind: 'ThingList', apiVersion: 'v1', metadata: {}, items: [object('a'), object('b')] } : verb === 'watch' ? undefined : object(objectName || 'x');
    lines.push(JSON.stringify(auditEvent(base, { ...common, stage: 'ResponseComplete', objectRef: finalRef, responseStatus: { metadata: {}, code: 200 }, requestObject, responseObject, stageTimestamp: stamp(3) })));
  }
  return lines;
}

// The --keep syntax: what it reads, and a clear problem for everything it refuses.
import { describe, expect, it } from 'vitest';
import { parseKeep } from '../src/index.js';

const selector = (text: string, version?: string) => {
  const parsed = parseKeep(text, 0, version === undefined ? {} : { kubernetesVersion: version });
  expect(parsed.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
  return parsed.requirement!;
};
const refused = (text: string, version?: string) => {
  const parsed = parseKeep(text, 3, version === undefined ? {} : { kubernetesVersion: version });
  expect(parsed.requirement).toBeUndefined();
  const error = parsed.problems.find((problem) => problem.severity === 'error')!;
  expect(error.path.startsWith('keep[3]')).toBe(true);
  return error;
};

describe('parseKeep reads', () => {
  it('the examples of the issue', () => {
    expect(selector('secrets:Metadata')).toMatchObject({ id: 'keep[0]', source: 'keep', selector: { resources: [{ group: '', resources: ['secrets'] }] }, atLeast: 'Metadata' });
    // The level follows the last colon, so user names keep theirs.
    expect(selector('user=system:admin:RequestResponse')).toMatchObject({ selector: { users: ['system:admin'] }, atLeast: 'RequestResponse' });
    expect(selector('group=apps,resource=deployments,verb=create:Request')).toMatchObject({ selector: { verbs: ['create'], resources: [{ group: 'apps', resources: ['deployments'] }] }, atLeast: 'Request' });
  });

  it('exact and upper bounds', () => {
    expect(selector('secrets:=Metadata')).toMatchObject({ atLeast: 'Metadata', atMost: 'Metadata' });
    const drop = selector('url=/healthz*|/readyz*:<=None');
    expect(drop).toMatchObject({ selector: { nonResourceURLs: ['/healthz*', '/readyz*'] }, atMost: 'None' });
    expect(drop.atLeast).toBeUndefined();
    expect(selector('secrets:>=Request').atLeast).toBe('Request');
  });

  it('resource shorthands with subresources and groups, names, namespaces and user groups', () => {
    expect(selector('pods/exec,namespace=prod|staging:Metadata').selector).toEqual({ namespaces: ['prod', 'staging'], resources: [{ group: '', resources: ['pods/exec'] }] });
    expect(selector('deployments/scale.apps,tokenreviews.authentication.k8s.io:Metadata').selector.resources).toEqual([
      { group: 'apps', resources: ['deployments/scale'] },
      { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
    ]);
    expect(selector('configmaps,name=controller-leader:<=None').selector.resources).toEqual([{ group: '', resources: ['configmaps'], resourceNames: ['controller-leader'] }]);
    expect(selector('usergroup=system:nodes,verb=patch|update:Request').selector).toEqual({ userGroups: ['system:nodes'], verbs: ['patch', 'update'] });
    expect(selector('group=apps|batch,resource=*:Metadata').selector.resources).toEqual([
      { group: 'apps', resources: ['*'] },
      { group: 'batch', resources: ['*'] },
    ]);
  });

  it('"*" as every request, which is a floor', () => {
    expect(selector('*:Metadata')).toMatchObject({ selector: {}, atLeast: 'Metadata', floor: true });
    expect(selector('*:<=Request').floor).toBeUndefined();
  });

  it('group=* from Kubernetes 1.36 only', () => {
    expect(selector('group=*,resource=leases:Metadata', '1.36').selector.resources).toEqual([{ group: '*', resources: ['leases'] }]);
    expect(refused('group=*,resource=leases:Metadata', '1.35').code).toBe('keep-value');
  });

  it('warns about a verb requests never have, with the closest one', () => {
    const parsed = parseKeep('verb=craete:Request', 0);
    expect(parsed.requirement).toBeDefined();
    expect(parsed.problems).toMatchObject([{ severity: 'warning', code: 'keep-verb', fix: 'did you mean create?' }]);
  });
});

describe('parseKeep refuses, saying what to write', () => {
  it.each([
    ['', 'keep-syntax', /empty/],
    ['secrets', 'keep-syntax', /has no ":LEVEL"/],
    ['secrets:Metdata', 'keep-level', /not an audit level/],
    ['secrets:None', 'keep-level', /at least None/],
    [':Metadata', 'keep-syntax', /no selector/],
    ['secrets,,pods:Metadata', 'keep-syntax', /empty term/],
    ['usr=alice:Metadata', 'keep-unknown-key', /not a key/],
    ['verb=get,verb=list:Metadata', 'keep-repeated-key', /twice/],
    ['user=:Metadata', 'keep-value', /empty value/],
    ['url=/healthz,resource=pods:Metadata', 'keep-conflict', /either a resource request or a URL request/],
    ['pods,group=apps,resource=deployments:Metadata', 'keep-conflict', /both/],
    ['group=apps:Metadata', 'keep-syntax', /group= needs resource=/],
    ['name=x:Metadata', 'keep-syntax', /name= needs a resource/],
    ['Pods:Metadata', 'keep-value', /capital letters/],
    ['verb=GET:Metadata', 'keep-verb', /capital letters/],
    ['url=healthz:Metadata', 'V4-url-not-absolute', /does not begin with/],
    ['url=/a*b:Metadata', 'V5-url-wildcard-position', /before its last character/],
    ['group=apps/v1,resource=deployments:Metadata', 'V7-group-name', /./],
  ])('%j', (text, code, message) => {
    const error = refused(text);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.fix.length).toBeGreaterThan(0);
  });

  it('gives the closest key and level', () => {
    expect(refused('namspace=a:Metadata').fix).toBe('did you mean namespace?');
    expect(refused('secrets:requestresponse').fix).toBe('did you mean RequestResponse?');
  });

  it('values that could change the file they reach: control and invisible characters, white space, overlong text', () => {
    for (const text of ['user=alice\n- level: None:Metadata', 'user=al ice:Metadata', 'user=a\u2028b:Metadata', 'user=a\u200bb:Metadata']) {
      const error = refused(text);
      expect(error.code).toBe('keep-value');
      // The message names the position, never echoes the value.
      expect(error.message).not.toContain('alice');
    }
    expect(refused(`user=${'a'.repeat(2000)}:Metadata`).code).toBe('keep-value');
    expect(refused(`user=${'a'.repeat(5000)}:Metadata`).code).toBe('keep-syntax');
  });
});

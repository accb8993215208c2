// explain(): per-rule reasons and the final result.
import type { Policy } from '@k8s-gen/audit';
import { describe, expect, it } from 'vitest';
import { explain, formatExplanation, requestFromHttp } from '../src/index.js';

const policy: Policy = {
  apiVersion: 'audit.k8s.io/v1',
  kind: 'Policy',
  omitStages: ['RequestReceived'],
  rules: [
    { level: 'None', users: ['system:kube-proxy'], verbs: ['watch'], resources: [{ group: '', resources: ['endpoints'] }] },
    { level: 'None', nonResourceURLs: ['/healthz*'] },
    { level: 'None', namespaces: [''] },
    { level: 'Request', resources: [{ group: 'apps' }, { group: '', resources: ['configmaps'], resourceNames: ['leader'] }] },
    { level: 'Metadata', userGroups: ['dev'], verbs: ['get'], resources: [{ group: '', resources: ['secrets'] }] },
    { level: 'RequestResponse' },
  ],
};

describe('explain', () => {
  const request = requestFromHttp({ method: 'GET', url: '/api/v1/namespaces/a/secrets/x', user: 'alice', groups: ['dev'] });
  const explanation = explain(policy, request);

  it('lists the rules up to the match with the fields that failed', () => {
    expect(explanation.rules.map((rule) => rule.matched)).toEqual([false, false, false, false, true]);
    const failed = explanation.rules.map((rule) => rule.checks.filter((check) => check.outcome === 'mismatch').map((check) => check.detail));
    expect(failed[0]).toEqual([
      'users ["system:kube-proxy"] does not include "alice"',
      'verbs ["watch"] does not include "get"',
      'resources[0] resources ["endpoints"] do not match "secrets"',
    ]);
    expect(failed[1]).toEqual(['the rule names only nonResourceURLs, so it never matches a resource request']);
    expect(failed[2]).toEqual(['namespaces [""] does not include "a"']);
    expect(failed[3]).toEqual([
      'resources[0] is for group "apps", the request\'s group is ""; resources[1] resourceNames ["leader"] does not include "x"',
    ]);
    expect(explanation.result).toMatchObject({ ruleIndex: 4, level: 'Metadata', stages: ['ResponseComplete'] });
  });

  it('explains resourceNames against a create, and a Namespace object', () => {
    const create = explain(policy, requestFromHttp({ method: 'POST', url: '/api/v1/namespaces/a/configmaps', user: 'bob' }));
    expect(create.rules[3]!.checks.find((check) => check.field === 'resources')!.detail).toContain('the create request names no object');
    const ns = explain(policy, requestFromHttp({ method: 'GET', url: '/api/v1/namespaces/foo', user: 'bob' }));
    expect(ns.rules[2]!.checks.find((check) => check.field === 'namespaces')!.detail).toBe(
      'namespaces [""] does not include "foo" (a Namespace object\'s namespace is its own name)',
    );
  });

  it('explains users and groups against a failed authentication', () => {
    const failed = explain(policy, requestFromHttp({ method: 'GET', url: '/api/v1/namespaces/a/secrets/x', authenticationFailed: true }));
    expect(failed.rules[4]!.checks.find((check) => check.field === 'userGroups')!.detail).toContain('failed authentication');
    expect(failed.result).toMatchObject({ ruleIndex: 5, stages: ['ResponseStarted'] });
  });

  it('covers every rule when none matches', () => {
    const short: Policy = { ...policy, rules: policy.rules.slice(0, 2) };
    const none = explain(short, request);
    expect(none.rules).toHaveLength(2);
    expect(formatExplanation(none)).toContain('result: no rule matches, so the request is not audited (level None)');
  });

  it('renders text', () => {
    const text = formatExplanation(explanation);
    expect(text).toContain('rules[0] (level None): does not match\n  - users ["system:kube-proxy"] does not include "alice"\n  - verbs ["watch"] does not include "get"');
    expect(text).toContain('rules[4] (level Metadata): MATCHES\n  - userGroups ["dev"] includes the user\'s group "dev"\n  - verbs ["get"] includes "get"');
    expect(text).toContain('result: rules[4] decides level Metadata\n  stages emitted: ResponseComplete\n  omitted stages: RequestReceived\n');
  });
});

// The policy playground's analysis (docs/.vitepress/playground/analyze.ts), as the page's worker
// runs it: parsePolicy's problems with their fixes, lint's findings, explain's deciding rule, and
// problems rather than exceptions for hostile text and bad requests. The page itself is tested
// in Chromium by playground.test.ts.
import { describe, expect, it } from 'vitest';
import { analyze, type PlaygroundRequest } from '../.vitepress/playground/analyze.js';
import { STARTING_REQUEST } from '../.vitepress/playground/starting-form.js';
import { aliasBomb, fixturePolicy } from './playground-fixtures.js';

const policy = fixturePolicy;

const run = (text: string, request: Partial<PlaygroundRequest> = {}, kubernetesVersion = '1.36') =>
  analyze({ policy: text, kubernetesVersion, request: { ...STARTING_REQUEST, ...request } });

describe('policy playground analysis', () => {
  it('gives a typo in a key and in a level their "did you mean" fixes, with line and column', () => {
    const report = run(policy.replace('- level: Metadata', '- levle: Metadata').replace('level: Request\n', 'level: Metdata\n'));
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'unknown-field', path: 'rules[0].levle', line: 6, fix: expect.stringContaining('`level`') }),
        expect.objectContaining({ path: 'rules[1].level', line: 9, fix: expect.stringContaining('"Metadata"') }),
      ]),
    );
    expect(report.problemSummary).toMatch(/^\d+ errors$/);
    // lint and explain need a valid policy
    expect(report.findings).toEqual([]);
    expect(report.explanation).toBeUndefined();
  });

  it('names the deciding rule, its level, the stages and whether the asked stage is logged', () => {
    const report = run(policy);
    expect(report.problems).toEqual([]);
    expect(report.explanation).toMatchObject({
      deciding: { index: 0, label: 'rules[0], line 6 "secrets: who and when, never their content"' },
      level: 'Metadata',
      stages: ['ResponseComplete'],
      omitStages: ['RequestReceived'],
      stage: { stage: 'ResponseComplete', logged: true },
    });
    expect(run(policy, { stage: 'RequestReceived' }).explanation?.stage).toMatchObject({ logged: false, reason: expect.stringContaining('omitStages') });
    const log = run(policy, { resource: 'pods/log', name: 'web' }).explanation;
    expect(log).toMatchObject({ deciding: { index: 1 }, level: 'Request', stages: ['ResponseStarted', 'ResponseComplete'] });
    expect(log?.rules[0]).toMatchObject({ matched: false, checks: expect.arrayContaining([expect.objectContaining({ field: 'resources', outcome: 'mismatch' })]) });
    expect(log?.text).toContain('decides level Request');
  });

  it('explains non-resource and unauthenticated requests', () => {
    expect(run(policy, { kind: 'non-resource', path: '/healthz' }).explanation).toMatchObject({ deciding: { index: 3 }, level: 'None', stage: { logged: false } });
    const failed = run(policy, { authenticationFailed: true, user: '' }).explanation;
    expect(failed?.text).toContain('no user (authentication failed)');
  });

  it('reports lint findings at their line', () => {
    const report = run(`apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
  - level: RequestResponse
    resources: [{ group: "", resources: [secrets] }]
`);
    expect(report.findings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'dead-rule', path: 'rules[1]', line: 5 })]));
  });

  it('reports a bad request as problems of its fields', () => {
    const report = run(policy, { verb: ' ', resource: 'pods/log/x' });
    expect(report.requestProblems.map((problem) => problem.path)).toEqual(['request.verb', 'request.resource']);
    expect(report.explanation).toBeUndefined();
    expect(run(policy, { kind: 'non-resource', path: 'healthz' }).requestProblems).toEqual([expect.objectContaining({ path: 'request.path', fix: expect.stringContaining('/healthz') })]);
    expect(run(policy, { user: '' }).requestProblems).toEqual([expect.objectContaining({ path: 'request.user' })]);
  });

  it('refuses hostile text with a problem: an alias bomb, 5 MB, a bad version', () => {
    expect(run(aliasBomb()).problems).toEqual([expect.objectContaining({ severity: 'error', code: 'yaml-alias-expansion' })]);
    expect(run(`${policy}#${'x'.repeat(5 * 1024 * 1024)}\n`).problems).toEqual([expect.objectContaining({ code: 'input-too-large' })]);
    expect(run(policy, {}, 'banana').problems).toEqual([expect.objectContaining({ code: 'kubernetes-version' })]);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectKind, validateDocuments, validateFile } from '../src/index.js';
import { DOCUMENTS_CASES } from '../../../test/hostile/engine/documents.js';

const errorCodes = (report: { problems: { severity: string; code: string }[] }): string[] => report.problems.filter((p) => p.severity === 'error').map((p) => p.code);
const scratch = mkdtempSync(join(tmpdir(), 'k8s-gen-validate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const POLICY = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n';
const KUBECONFIG = 'apiVersion: v1\nkind: Config\nclusters:\n- name: sink\n  cluster:\n    server: https://audit.example.com/events\ncontexts:\n- name: default\n  context:\n    cluster: sink\n    user: ""\ncurrent-context: default\nusers: []\n';
const SINK = 'apiVersion: auditregistration.k8s.io/v1alpha1\nkind: AuditSink\nmetadata:\n  name: mysink\nspec:\n  policy:\n    level: Metadata\n    stages: [ResponseComplete]\n  webhook:\n    clientConfig:\n      url: https://audit.example.com\n';

describe('validateDocuments', () => {
  it('tells policies, kubeconfigs and AuditSinks apart and checks each with its reader', () => {
    expect(validateDocuments(POLICY, { file: 'p.yaml' })).toEqual({ file: 'p.yaml', kinds: ['policy'], problems: [], readable: true });
    expect(validateDocuments(KUBECONFIG)).toMatchObject({ kinds: ['kubeconfig'], problems: [] });
    expect(validateDocuments(`${SINK}---\n${SINK.replace('mysink', 'other')}`, { kubernetesVersion: '1.16' })).toMatchObject({ kinds: ['auditsink', 'auditsink'], problems: [] });
  });

  it.each(DOCUMENTS_CASES.map((c) => [`${c.category}: ${c.name}`, c] as const))('%s', (_, documentsCase) => {
    const report = validateDocuments(documentsCase.input, { file: 'f.yaml', kubernetesVersion: '1.16' });
    expect(report.kinds).toEqual(documentsCase.kinds);
    expect(errorCodes(report)).toEqual(documentsCase.errors);
    for (const problem of report.problems) expect(problem.file).toBe('f.yaml');
  });

  it('locates problems with the reader of the kind', () => {
    const report = validateDocuments(`${POLICY}- level: Loud\n`, { file: 'p.yaml' });
    expect(report.problems).toMatchObject([{ code: 'V3-level-unsupported', path: 'rules[1].level', file: 'p.yaml', line: 5, column: 10 }]);
    const kubeconfig = validateDocuments(KUBECONFIG.replace('current-context: default', 'current-context: missing'));
    expect(kubeconfig.problems).toMatchObject([{ code: 'current-context-not-found', line: 12, column: 1 }]);
  });

  it('gives the apiserver verdict with asApiserver, and refuses a bad release as data', () => {
    const twoDocuments = `${POLICY}  verb: [get]\n---\nkind: Other\n`;
    expect(errorCodes(validateDocuments(twoDocuments))).toEqual(['unknown-field', 'ignored-document']);
    expect(validateDocuments(twoDocuments, { asApiserver: true }).problems.map((p) => `${p.severity} ${p.code}`)).toEqual(['warning unknown-field', 'warning ignored-document']);
    expect(validateDocuments(POLICY, { kubernetesVersion: 'banana' }).problems).toMatchObject([{ code: 'kubernetes-version' }]);
  });

  it('recognises a JSON policy that YAML\'s character rules would refuse', () => {
    const json = '{"apiVersion": "audit.k8s.io/v1", "kind": "Policy", "rules": [{"level": "None", "users": ["a\u0085b"]}]}';
    expect(validateDocuments(Buffer.from(json))).toMatchObject({ kinds: ['policy'], problems: [] });
  });
});

describe('validateFile', () => {
  it('reads the file as bytes and checks it', async () => {
    const file = join(scratch, 'policy.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(POLICY)]));
    expect(await validateFile(file)).toEqual({ file, kinds: ['policy'], problems: [], readable: true });
  });

  it('says when a file cannot be read, and refuses an endless one without reading it', async () => {
    expect(await validateFile(join(scratch, 'missing.yaml'))).toMatchObject({ readable: false, problems: [{ code: 'file-unreadable' }] });
    expect(await validateFile('/dev/zero')).toMatchObject({ readable: true, problems: [{ code: 'input-too-large', file: '/dev/zero' }] });
  });
});

describe('detectKind', () => {
  it('recognises the three kinds, misspelt policy headers included, and nothing else', () => {
    expect(detectKind({ apiVersion: 'audit.k8s.io/v1', kind: 'Polcy', rules: [] })).toBe('policy');
    expect(detectKind({ KIND: 'Policy', rules: [] })).toBe('policy');
    expect(detectKind({ apiVersion: 'auditregistration.k8s.io/v1alpha1', kind: 'AuditSink' })).toBe('auditsink');
    expect(detectKind({ 'current-context': 'x' })).toBe('kubeconfig');
    expect(detectKind({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', rules: [] })).toBeUndefined();
    expect(detectKind(['a'])).toBeUndefined();
  });
});

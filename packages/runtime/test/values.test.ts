// Names, versions and the checks for values that reach emitted files.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkEmittedText,
  checkNodePath,
  checkSecretText,
  closestName,
  compareStrings,
  editDistance,
  findKubernetesRelease,
  kubernetesMinor,
  NEWEST_KUBERNETES_VERSION,
  parseKubernetesVersion,
  summarizeProblems,
  unsafeCharacterIn,
} from '../src/index.js';

describe('closestName', () => {
  it('prefers a case or separator variant, then the nearest within a third of the length', () => {
    expect(closestName('requestresponse', ['Request', 'RequestResponse'])).toBe('RequestResponse');
    expect(closestName('client_key', ['client-key', 'client-key-data'])).toBe('client-key');
    expect(closestName('Metdata', ['None', 'Metadata'])).toBe('Metadata');
    expect(closestName('verb', ['verbs', 'users'])).toBe('verbs');
    expect(closestName('tokne', ['token', 'tokenFile'])).toBe('token');
    expect(closestName('banana', ['Request', 'None'])).toBeUndefined();
    expect(closestName('xy', ['as'])).toBeUndefined();
  });

  it('counts a swap of neighbours as one edit and is symmetric', () => {
    expect(editDistance('tokne', 'token')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    fc.assert(fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => editDistance(a, b) === editDistance(b, a)));
    fc.assert(fc.property(fc.string({ maxLength: 12 }), (a) => editDistance(a, a) === 0));
  });
});

describe('compareStrings', () => {
  it('orders by code unit, not by locale', () => {
    expect(['b', 'B', 'a', 'ä'].sort(compareStrings)).toEqual(['B', 'a', 'b', 'ä']);
  });
});

describe('Kubernetes versions', () => {
  it('reads the forms people and managed clusters write', () => {
    for (const [text, minor] of [['1.20', 20], ['v1.20', 20], ['1.20.2', 20], ['v1.29.4-eks-036c24b', 29], ['1.29.4-gke.1043002', 29], ['v1.30.1+k3s1', 30]] as const) {
      const result = parseKubernetesVersion(text, { oldest: 8 });
      expect(result.ok && result.version.minor).toBe(minor);
    }
  });

  it('keeps the patch number when the text names one', () => {
    const patchOf = (text: string) => {
      const result = parseKubernetesVersion(text, { oldest: 8 });
      return result.ok ? result.version.patch : 'refused';
    };
    expect(['v1.22.11', '1.24.2', 'v1.29.4-eks-036c24b', '1.29.4-gke.1043002', 'v1.30.1+k3s1', '1.20', 'v1.20'].map(patchOf)).toEqual([11, 2, 4, 4, 1, undefined, undefined]);
  });

  it('refuses anything else with the fix naming the supported range', () => {
    for (const text of ['banana', '2.0', '1', '1.x', '', ' 1.20 --x', '1.20.2\nrm']) {
      const result = parseKubernetesVersion(text, { oldest: 12 });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.fix).toContain(`1.12 to ${NEWEST_KUBERNETES_VERSION}`);
    }
    const old = parseKubernetesVersion('1.7', { oldest: 8, subject: 'audit flags' });
    expect(old.ok).toBe(false);
    expect(() => kubernetesMinor('1.99', { oldest: 8 })).toThrow(RangeError);
  });

  it('finds the release in spec file names', () => {
    expect(findKubernetesRelease('kubernetes-v1.18.0.definitions.json')).toBe('1.18');
    expect(findKubernetesRelease('swagger.json')).toBeUndefined();
  });
});

describe('values that reach emitted files', () => {
  const injections = [
    '/etc/kubernetes/audit-policy.yaml\n--authorization-mode=AlwaysAllow',
    '/var/log/a.log\u2028    authorization-mode:\u2028      AlwaysAllow',
    '/var/log/a.log\u0085x',
    '/var/log/a.log\u2029x',
    '/var/log/a\u0000.log',
    '/var/log/a.log --other-flag',
    '/var/log/a.log\t--x',
    '/var/log/a\u202e.log',
    '/var/log/a\ud800.log',
    '--authorization-mode=AlwaysAllow',
    'relative/path.yaml',
    '',
  ];

  it('refuses every path that could add a flag, a YAML key or a line', () => {
    for (const value of injections) {
      const problem = checkNodePath(value, 'log.path');
      expect(problem, JSON.stringify(value)).toBeDefined();
      expect(problem!.path).toBe('log.path');
      expect(problem!.fix).not.toBe('');
    }
    expect(checkNodePath('/var/log/kubernetes/audit/audit.log', 'log.path')).toBeUndefined();
    expect(checkNodePath('-', 'log.path', { allowStdout: true })).toBeUndefined();
    expect(checkNodePath('-', 'log.path')).toBeDefined();
  });

  it('accepts exactly the absolute paths made of visible characters', () => {
    const visible = fc.string({ unit: 'grapheme', maxLength: 20 }).filter((s) => unsafeCharacterIn(s, { allowWhiteSpace: false }) === undefined);
    fc.assert(fc.property(visible, (tail) => checkNodePath(`/${tail}`, 'p') === undefined));
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), fc.constantFrom('\n', '\r', '\u2028', '\u2029', '\u0085', '\u0000', ' ', '\u00a0', '\ufeff'), fc.string({ maxLength: 10 }), (a, bad, b) => checkNodePath(`/${a}${bad}${b}`, 'p') !== undefined),
    );
  });

  it('names the position but never the value of a credential', () => {
    const problem = checkSecretText('s3cr3t-token\nX-Evil: 1', 'credentials.token');
    expect(problem?.message).toContain('position 13');
    expect(problem?.message).not.toContain('s3cr3t');
    expect(checkSecretText('abc.def-ghi_jkl', 'credentials.token')).toBeUndefined();
  });

  it('allows spaces in names and text only where asked', () => {
    expect(checkEmittedText('audit webhook', 'name')).toBeUndefined();
    expect(checkEmittedText('audit webhook', 'name', { allowSpaces: false })).toBeDefined();
    expect(checkEmittedText('a\nb', 'name')).toBeDefined();
  });
});

describe('summarizeProblems', () => {
  it('counts in words with plurals', () => {
    const e = { severity: 'error' } as const;
    const w = { severity: 'warning' } as const;
    expect(summarizeProblems([e, w, w, w, w, w, w])).toBe('1 error, 6 warnings');
    expect(summarizeProblems([w, { severity: 'info' }])).toBe('1 warning, 1 note');
    expect(summarizeProblems([])).toBe('no problems');
  });
});

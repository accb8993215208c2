import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMap, isSeq } from 'yaml';
import { describe, expect, it } from 'vitest';
import { fromYamlComment, itemComment, keyText, nodeAtPath, pairFor, parseGoYaml, toYamlComment } from '../src/index.js';

/** Plain scalars on which YAML 1.1 readers disagree; `.inf` and `.nan` are left out because kubectl cannot print them as JSON. */
const PLAIN_SCALARS = [
  'yes', 'Yes', 'YES', 'no', 'on', 'Off', 'y', 'Y', 'n', 'N', 'true', 'True', 'TRUE', 'tRUE', 'oN', 'false', 'null', 'Null', 'NULL', '~',
  '0777', '0o17', '0O17', '-0o17', '0o1_7', '0x1F', '0X1F', '0x_1F', '+0x1F', '0b101', '0B11', '-0b11', '0b1_1', '0_x1', '0o8', '0xg',
  '1e3', '1E3', 'e0', 'E5', '1.5e+3', '1e1_0', '.5e3', '5.e3', '1e', '1e+', '1_000', '1__0', '_1', '1_', '+1', '-1', '+12', '.5', '1.', '-.5', '+.5', '1_0.5', '0.1_5',
  '12:30:45', '1:30', '-1:30', '190:20:30.15', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '0', '00', '08', '09', '0.1', 'x1', '=',
];

describe('parseGoYaml', () => {
  it.skipIf(!existsSync('/usr/bin/kubectl'))('resolves plain scalars exactly as the Go decoder of kubectl does', () => {
    // kubectl decodes kubeconfig extensions into untyped values with sigs.k8s.io/yaml and go-yaml v2,
    // the decoder of kube-apiserver's configuration files, and prints them back as JSON.
    const body = PLAIN_SCALARS.map((text, i) => `k${i}: ${text}`).join('\n');
    const indented = body.replace(/^/gm, '      ');
    const dir = mkdtempSync(join(tmpdir(), 'k8s-gen-yaml-'));
    try {
      writeFileSync(join(dir, 'config'), `apiVersion: v1\nkind: Config\npreferences:\n  extensions:\n  - name: x\n    extension:\n${indented}\n`);
      const output = execFileSync('/usr/bin/kubectl', ['config', 'view', '--kubeconfig', join(dir, 'config'), '-o', 'json'], { encoding: 'utf8' });
      const goValues = (JSON.parse(output) as { preferences: { extensions: { extension: Record<string, unknown> }[] } }).preferences.extensions[0]!.extension;
      const parsed = parseGoYaml(body, { uniqueKeys: true });
      expect(parsed.document.errors).toEqual([]);
      expect(JSON.parse(JSON.stringify(parsed.document.toJS()))).toEqual(goValues);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps dates, sexagesimal look-alikes and letter-led exponents as strings', () => {
    expect(parseGoYaml('[2024-01-02, 1:30, e0, E5, 0o17, 1e3, yes]', { uniqueKeys: true }).document.toJS()).toEqual(['2024-01-02', '1:30', 'e0', 'E5', 15, 1000, true]);
  });

  it('reports duplicate keys as errors only when asked to', () => {
    expect(parseGoYaml('a: 1\na: 2\n', { uniqueKeys: true }).document.errors.map((e) => e.code)).toEqual(['DUPLICATE_KEY']);
    expect(parseGoYaml('a: 1\na: 2\n', { uniqueKeys: false }).document.errors).toEqual([]);
  });

  it('maps offsets to 1-based lines and columns', () => {
    const { positionOf } = parseGoYaml('a: 1\nbb:\n  c: 2\n', { uniqueKeys: true });
    expect(positionOf(0)).toEqual({ line: 1, column: 1 });
    expect(positionOf(11)).toEqual({ line: 3, column: 3 });
  });
});

describe('nodeAtPath', () => {
  const text = 'base: &b\n  x: 1\nrules:\n  - level: None\n    users: [a, b]\n  - level: x\n    level: Metadata\nalias: *b\nempty:\n';
  const { document, positionOf } = parseGoYaml(text, { uniqueKeys: false });
  const at = (path: (string | number)[], pointsAt: 'key' | 'value', missing: 'parent-value' | 'parent-key' = 'parent-value') => {
    const target = nodeAtPath(document, path, { pointsAt, missing });
    return { ...positionOf(target.offset), found: target.found };
  };

  it('points at a key or at the value under it', () => {
    expect(at(['rules', 0, 'level'], 'key')).toEqual({ line: 4, column: 5, found: true });
    expect(at(['rules', 0, 'level'], 'value')).toEqual({ line: 4, column: 12, found: true });
    expect(at(['rules', 0, 'users', 1], 'key')).toEqual({ line: 5, column: 16, found: true });
  });

  it('takes the last of two equal keys, the one decoders keep', () => {
    expect(at(['rules', 1, 'level'], 'key')).toEqual({ line: 7, column: 5, found: true });
  });

  it('follows aliases', () => {
    expect(at(['alias', 'x'], 'value')).toEqual({ line: 2, column: 6, found: true });
  });

  it('points a missing path at the closest parent, its value or its key', () => {
    expect(at(['rules', 0, 'verbs'], 'key')).toEqual({ line: 4, column: 5, found: false });
    expect(at(['rules', 0, 'verbs'], 'key', 'parent-key')).toEqual({ line: 4, column: 5, found: false });
    expect(at(['rules', 5], 'key', 'parent-key')).toEqual({ line: 3, column: 1, found: false });
    expect(at(['rules', 5], 'key')).toEqual({ line: 4, column: 3, found: false });
    expect(at(['nothing'], 'key', 'parent-key')).toEqual({ line: 1, column: 1, found: false });
    expect(at(['empty', 'x'], 'key', 'parent-key')).toEqual({ line: 9, column: 1, found: false });
  });

  it('finds pairs by key text', () => {
    const root = document.contents;
    if (!isMap(root)) throw new Error('expected a map');
    const rules = pairFor(root, 'rules');
    expect(rules && keyText(rules)).toBe('rules');
    expect(pairFor(root, 'missing')).toBeUndefined();
  });
});

describe('comment text', () => {
  it('turns text into inert comment lines and reads it back', () => {
    const stored = toYamlComment('first\r\nsecond\u2028third  \n\nbell\u0007');
    expect(stored).toBe(' first\n second\n third\n\n bell\ufffd');
    expect(fromYamlComment(stored)).toBe('first\nsecond\nthird\n\nbell\ufffd');
  });

  it('finds the comment above a list item, including the first one the library files under the list', () => {
    const { document } = parseGoYaml('items:\n  # one\n  - a: 1\n  # two\n  - b: 2\n  - c: 3\n', { uniqueKeys: true });
    const root = document.contents;
    if (!isMap(root)) throw new Error('expected a map');
    const items = pairFor(root, 'items')?.value;
    if (!isSeq(items)) throw new Error('expected a list');
    expect([0, 1, 2].map((i) => itemComment(items, i))).toEqual([' one', ' two', undefined]);
  });
});

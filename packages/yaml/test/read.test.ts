import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMap, isSeq } from 'yaml';
import { describe, expect, it } from 'vitest';
import { fromYamlComment, itemComment, keyText, nodeAtPath, pairFor, pathSegments, readYaml, toYamlComment } from '../src/index.js';

/** The first document of a text: its yaml-library document, its Go data and its problems. */
function first(text: string) {
  const read = readYaml(text);
  const document = read.documents[0]!;
  return { ...document, positionOf: read.positionOf, problems: [...read.problems, ...document.problems] };
}

/** Plain scalars on which YAML 1.1 readers disagree; `.inf` and `.nan` are left out because kubectl cannot print them as JSON. */
const pathText = (at: readonly (string | number)[]): string => at.map((s) => (typeof s === 'number' ? `[${s}]` : s)).join('.').replace(/\.\[/g, '[');

const PLAIN_SCALARS = [
  'yes', 'Yes', 'YES', 'no', 'on', 'Off', 'y', 'Y', 'n', 'N', 'true', 'True', 'TRUE', 'tRUE', 'oN', 'false', 'null', 'Null', 'NULL', '~',
  '0777', '0o17', '0O17', '-0o17', '0o1_7', '0x1F', '0X1F', '0x_1F', '+0x1F', '0b101', '0B11', '-0b11', '0b1_1', '0_x1', '0o8', '0xg',
  '1e3', '1E3', 'e0', 'E5', '1.5e+3', '1e1_0', '.5e3', '5.e3', '1e', '1e+', '1_000', '1__0', '_1', '1_', '+1', '-1', '+12', '.5', '1.', '-.5', '+.5', '1_0.5', '0.1_5',
  '12:30:45', '1:30', '-1:30', '190:20:30.15', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '0', '00', '08', '09', '0.1', 'x1', '=',
];

describe('readYaml scalars', () => {
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
      const parsed = first(body);
      expect(parsed.problems).toEqual([]);
      expect(JSON.parse(JSON.stringify(parsed.data))).toEqual(goValues);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps dates, sexagesimal look-alikes and letter-led exponents as strings', () => {
    expect(first('[2024-01-02, 1:30, e0, E5, 0o17, 1e3, yes]').data).toEqual(['2024-01-02', '1:30', 'e0', 'E5', 15, 1000, true]);
  });

  it('keeps the last of duplicate keys, like Go, and lists each duplicate where it is written', () => {
    const read = first('a: 1\nb: &b {c: 1, c: 2}\nd: *b\na: 3\n');
    expect(read.data).toEqual({ a: 3, b: { c: 2 }, d: { c: 2 } });
    expect(read.duplicateKeys.map((p) => `${p.line}:${p.column} ${p.code} ${pathText(p.at)}`)).toEqual(['2:14 duplicate-key b.c', '4:1 duplicate-key a']);
  });

  it('maps offsets to 1-based lines and columns', () => {
    const { positionOf } = readYaml('a: 1\nbb:\n  c: 2\n');
    expect(positionOf(0)).toEqual({ line: 1, column: 1 });
    expect(positionOf(11)).toEqual({ line: 3, column: 3 });
  });
});

describe('nodeAtPath', () => {
  const text = 'base: &b\n  x: 1\nrules:\n  - level: None\n    users: [a, b]\n  - level: x\n    level: Metadata\nalias: *b\nempty:\n';
  const { document, positionOf } = first(text);
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

describe('pathSegments', () => {
  it('reads the paths problems carry back into segments', () => {
    expect(pathSegments('rules[3].resources[0].group')).toEqual(['rules', 3, 'resources', 0, 'group']);
    expect(pathSegments('users[0].user["a.b/c"]')).toEqual(['users', 0, 'user', 'a.b/c']);
    expect(pathSegments('x["bad\\q"]')).toEqual(['x', 'bad\\q']);
    expect(pathSegments('')).toEqual([]);
  });
});

describe('comment text', () => {
  it('turns text into inert comment lines and reads it back', () => {
    const stored = toYamlComment('first\r\nsecond\u2028third  \n\nbell\u0007');
    expect(stored).toBe(' first\n second\n third\n\n bell\ufffd');
    expect(fromYamlComment(stored)).toBe('first\nsecond\nthird\n\nbell\ufffd');
  });

  it('finds the comment above a list item, including the first one the library files under the list', () => {
    const { document } = first('items:\n  # one\n  - a: 1\n  # two\n  - b: 2\n  - c: 3\n');
    const root = document.contents;
    if (!isMap(root)) throw new Error('expected a map');
    const items = pairFor(root, 'items')?.value;
    if (!isSeq(items)) throw new Error('expected a list');
    expect([0, 1, 2].map((i) => itemComment(items, i))).toEqual([' one', ' two', undefined]);
  });
});

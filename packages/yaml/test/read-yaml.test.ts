import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_READ_LIMITS, MAX_READ_DEPTH, type ReadProblem, readInputFile, readYaml, withoutNullFields, type YamlRead } from '../src/index.js';
import { HOSTILE_YAML_CASES } from '../../../test/hostile/yaml/cases.js';

/** Every problem of a read: the input's, then each document's, then duplicate keys. */
const problemsOf = (read: YamlRead): ReadProblem[] => [...read.problems, ...read.documents.flatMap((d) => [...d.problems, ...d.duplicateKeys])];
const codesOf = (read: YamlRead): string[] => problemsOf(read).map((p) => p.code);
const where = (read: YamlRead): string[] => problemsOf(read).map((p) => `${p.line}:${p.column} ${p.code}`);

const scratch = mkdtempSync(join(tmpdir(), 'k8s-gen-read-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('hostile inputs', () => {
  it.each(HOSTILE_YAML_CASES.map((c) => [`${c.category}: ${c.name}`, c] as const))('%s', (_, hostile) => {
    const read = readYaml(hostile.input);
    const codes = codesOf(read);
    if (hostile.code === undefined) expect(codes).toEqual([]);
    else expect(codes[0]).toBe(hostile.code);
    for (const problem of problemsOf(read)) {
      expect(problem.message.length).toBeGreaterThan(20);
      expect(problem.fix.length).toBeGreaterThan(10);
    }
  });

  // kubectl loads kubeconfigs with go-yaml v2 and sigs.k8s.io/yaml, the readers of kube-apiserver:
  // its verdict on the same bytes shows the recorded Go behaviour is real.
  it.skipIf(!existsSync('/usr/bin/kubectl'))('kubectl gives the verdict recorded for each case', () => {
    const verdicts = HOSTILE_YAML_CASES.filter((c) => c.kubectl !== 'not-run').map((hostile, i) => {
      const file = join(scratch, `case-${i}.yaml`);
      writeFileSync(file, hostile.input);
      const run = spawnSync('/usr/bin/kubectl', ['config', 'view', '--kubeconfig', file, '-o', 'json'], { encoding: 'utf8' });
      return `${hostile.name}: ${run.status === 0 ? 'loads' : 'refuses'}`;
    });
    expect(verdicts).toEqual(HOSTILE_YAML_CASES.filter((c) => c.kubectl !== 'not-run').map((c) => `${c.name}: ${c.kubectl}`));
  });

  it('every case k8s-gen refuses while kubectl loads it says why', () => {
    for (const hostile of HOSTILE_YAML_CASES) if (hostile.code !== undefined && hostile.kubectl !== 'refuses') expect(hostile.deviation, hostile.name).toBeDefined();
  });

  it('locates what it refuses', () => {
    expect(where(readYaml('a: 1\nb: "x\u0007y"\n'))).toEqual(['2:6 yaml-control-character']);
    expect(where(readYaml(Buffer.from([0x61, 0x3a, 0x0a, 0x62, 0x3a, 0x20, 0xc3, 0x28])))).toEqual(['2:4 yaml-invalid-encoding']);
    expect(where(readYaml('x:\n  y: *nope\n'))).toEqual(['2:6 yaml-alias-undefined']);
    expect(where(readYaml('x: &a\n  - *a\n'))).toEqual(['2:5 yaml-alias-recursive']);
    // The mapping is the first level, so the 100th bracket (column 103) is the 101st level.
    expect(where(readYaml(`x: ${'['.repeat(101)}`))).toEqual(['1:103 yaml-too-deep']);
    const tooLarge = problemsOf(readYaml('x'.repeat(DEFAULT_READ_LIMITS.maxBytes + 1)))[0]!;
    expect(tooLarge.code).toBe('input-too-large');
    expect('line' in tooLarge).toBe(false);
  });

  it('reports the first refused character in reading order, as go-yaml does', () => {
    expect(codesOf(readYaml(Buffer.from([0x01, 0x0a, 0xff])))).toEqual(['yaml-control-character']);
    expect(codesOf(readYaml(Buffer.from([0xff, 0x0a, 0x01])))).toEqual(['yaml-invalid-encoding']);
  });
});

describe('reading limits', () => {
  it('documents its defaults', () => {
    expect(DEFAULT_READ_LIMITS).toEqual({ maxBytes: 4_194_304, maxDepth: 100, maxAliases: 1000, maxExpandedValues: 1_000_000 });
  });

  it('stops exactly at each limit', () => {
    const flow = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    expect(codesOf(readYaml(flow(100)))).toEqual([]);
    expect(codesOf(readYaml(flow(101)))).toEqual(['yaml-too-deep']);
    const block = (depth: number) => `${Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}a:`).join('\n')} x\n`;
    expect(codesOf(readYaml(block(100)))).toEqual([]);
    expect(codesOf(readYaml(block(101)))).toEqual(['yaml-too-deep']);
    const aliases = (n: number) => `a: &a x\nb: [${Array.from({ length: n }, () => '*a').join(', ')}]\n`;
    expect(codesOf(readYaml(aliases(1000)))).toEqual([]);
    expect(codesOf(readYaml(aliases(1001)))).toEqual(['yaml-too-many-aliases']);
    expect(codesOf(readYaml('a'.repeat(DEFAULT_READ_LIMITS.maxBytes)))).toEqual([]);
    expect(codesOf(readYaml('é'.repeat(DEFAULT_READ_LIMITS.maxBytes / 2 + 1)))).toEqual(['input-too-large']);
  });

  it('takes each limit as an option', () => {
    expect(codesOf(readYaml(`x: ${'y'.repeat(100)}`, { limits: { maxBytes: 50 } }))).toEqual(['input-too-large']);
    expect(codesOf(readYaml(`x: ${'['.repeat(150)}${']'.repeat(150)}`, { limits: { maxDepth: 200 } }))).toEqual([]);
    expect(codesOf(readYaml('a: &a x\nb: [*a, *a, *a]\n', { limits: { maxAliases: 2 } }))).toEqual(['yaml-too-many-aliases']);
    expect(codesOf(readYaml('a: &a [1, 2, 3]\nb: [*a, *a]\n', { limits: { maxExpandedValues: 10 } }))).toEqual(['yaml-alias-expansion']);
  });

  it('caps maxDepth where every walk over the data is still safe, and reads that deep', () => {
    const flow = (depth: number) => `x: ${'['.repeat(depth)}${']'.repeat(depth)}`;
    const block = (depth: number) => `x:\n${'- '.repeat(depth)}y\n`;
    const mappings = (depth: number) => `${Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}a:`).join('\n')} y\n`;
    for (const text of [flow(MAX_READ_DEPTH - 1), block(MAX_READ_DEPTH - 1), mappings(MAX_READ_DEPTH)]) {
      const read = readYaml(text, { limits: { maxDepth: 100_000 } });
      expect(codesOf(read)).toEqual([]);
      expect(JSON.stringify(read.documents[0]!.data).length).toBeGreaterThan(MAX_READ_DEPTH);
    }
    expect(codesOf(readYaml(flow(10_000), { limits: { maxDepth: 100_000 } }))).toEqual(['yaml-too-deep']);
  });
});

describe('what the data is', () => {
  const data = (text: string) => readYaml(text).documents[0]!.data;

  it('expands aliases into copies, as Go does', () => {
    const read = data('a: &a {x: [1]}\nb: *a\n') as { a: { x: number[] }; b: { x: number[] } };
    expect(read).toEqual({ a: { x: [1] }, b: { x: [1] } });
    expect(read.a).not.toBe(read.b);
    expect(read.a.x).not.toBe(read.b.x);
  });

  it('applies merge keys the way go-yaml v2 does: in place, earlier maps of a list winning', () => {
    // decode.go (v2) mapping(): a merge sets its keys where it stands, so it overrides keys before it.
    expect(data('b: &b {x: 1, z: 2}\nm:\n  x: 0\n  <<: *b\n  z: 3\n')).toEqual({ b: { x: 1, z: 2 }, m: { x: 1, z: 3 } });
    // decode.go (v2) merge(): "Step backwards as earlier nodes take precedence."
    expect(data('a: &a {k: first}\nb: &b {k: second, o: 1}\nm:\n  <<: [*a, *b]\n')).toMatchObject({ m: { k: 'first', o: 1 } });
    expect(data('m:\n  "<<": {k: 1}\n')).toEqual({ m: { '<<': { k: 1 } } });
  });

  it('writes keys the way sigs.k8s.io/yaml does', () => {
    expect(data('1: a\n1.5: b\n123456789.0: c\n0.00001: d\n1e21: e\nyes: f\nnull_: g\n0x1F: h\n')).toEqual({
      '1': 'a',
      '1.5': 'b',
      '1.2345679e+08': 'c',
      '1e-05': 'd',
      '1e+21': 'e',
      true: 'f',
      null_: 'g',
      '31': 'h',
    });
  });

  it('keeps a __proto__ key as data', () => {
    const read = data('__proto__: {polluted: true}\n') as Record<string, unknown>;
    expect(Object.keys(read)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
  });

  it('keeps every document, and an empty or comment-only text has none', () => {
    expect(readYaml('a: 1\n---\nb: 2\n').documents.map((d) => d.data)).toEqual([{ a: 1 }, { b: 2 }]);
    expect(readYaml('a: 1\n---\nb: 2\n').documents[1]!.start).toEqual({ line: 2, column: 1 });
    expect(readYaml('').documents).toEqual([]);
    expect(readYaml('# only a comment\n').documents).toEqual([]);
    expect(readYaml('a: 1\n---\nb: [\n').documents.map((d) => d.problems.map((p) => p.code))).toEqual([[], ['yaml-syntax']]);
  });
});

describe('JSON, as apimachinery recognises it', () => {
  it('reads text that starts with "{" as JSON: no comments, nothing after it', () => {
    const json = readYaml('  {"a": 1, "a": 2}\n', { format: 'yaml-or-json' });
    expect(json.format).toBe('json');
    expect(json.documents[0]!.data).toEqual({ a: 2 });
    expect(codesOf(json)).toEqual(['duplicate-key']);
    expect(codesOf(readYaml('{"a": 1} # note\n', { format: 'yaml-or-json' }))).toEqual(['json-syntax']);
    expect(codesOf(readYaml('{a: 1}\n', { format: 'yaml-or-json' }))).toEqual(['json-syntax']);
    expect(codesOf(readYaml('{"a": 1} # note\n'))).toEqual([]);
  });

  it('replaces malformed UTF-8 in JSON, as Go\'s JSON decoder does, and applies no YAML character rules', () => {
    const read = readYaml(Buffer.concat([Buffer.from('{"a": "x'), Buffer.from([0xff]), Buffer.from('y\u0085"}')]), { format: 'yaml-or-json' });
    expect(codesOf(read)).toEqual([]);
    expect(read.documents[0]!.data).toEqual({ a: 'x\ufffdy\u0085' });
  });

  it('is YAML after a byte-order mark, or when the "{" starts beyond the peeked bytes', () => {
    expect(readYaml('\ufeff{"a": 1} # yaml comment\n', { format: 'yaml-or-json' }).format).toBe('yaml');
    expect(readYaml(`${' '.repeat(3000)}{"a": 1}`, { format: 'yaml-or-json', jsonPeekBytes: 2048 }).format).toBe('yaml');
    expect(readYaml(`${' '.repeat(3000)}{"a": 1}`, { format: 'yaml-or-json' }).format).toBe('json');
  });
});

describe('never throws', () => {
  it('for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const read = readYaml(text, { format: 'yaml-or-json' });
        expect(Array.isArray(read.documents)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(Array.isArray(readYaml(bytes).problems)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('for YAML-shaped noise', () => {
    const piece = fc.constantFrom('a', ': ', '- ', '\n', '  ', '[', ']', '{', '}', ',', '&x ', '*x', '<<: ', '? ', '"q"', "'s'", '|\n', '#c', '---\n', '!!int ', '~', '.inf', '\t');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const read = readYaml(pieces.join(''));
        for (const problem of problemsOf(read)) expect(problem.code).not.toBe('');
      }),
      { numRuns: 1000 },
    );
  });
});

describe('readInputFile', () => {
  it('reads a file as bytes', async () => {
    const file = join(scratch, 'small.yaml');
    writeFileSync(file, 'a: é\n');
    const read = await readInputFile(file);
    expect(read.ok && Buffer.from(read.bytes).toString('utf8')).toBe('a: é\n');
  });

  it('stops after maxBytes + 1 bytes, so an endless file is refused quickly', async () => {
    expect(await readInputFile('/dev/zero')).toMatchObject({ ok: false, problem: { code: 'input-too-large' } });
    const file = join(scratch, 'ten.yaml');
    writeFileSync(file, '0123456789');
    expect(await readInputFile(file, { maxBytes: 9 })).toMatchObject({ ok: false, problem: { code: 'input-too-large' } });
    expect((await readInputFile(file, { maxBytes: 10 })).ok).toBe(true);
  });

  it('names why a file cannot be read', async () => {
    expect(await readInputFile(join(scratch, 'missing.yaml'))).toMatchObject({ ok: false, problem: { code: 'file-unreadable', message: expect.stringContaining('ENOENT') }, systemError: 'ENOENT' });
    expect(await readInputFile(scratch)).toMatchObject({ ok: false, problem: { code: 'file-unreadable', message: expect.stringContaining('EISDIR') } });
  });
});

describe('withoutNullFields', () => {
  it('drops null fields, keeps null items, and copies a __proto__ key as data', () => {
    expect(withoutNullFields({ level: null, users: [null, 'a'], nested: { x: null, y: 1 } })).toEqual({ users: [null, 'a'], nested: { y: 1 } });
    const copy = withoutNullFields(readYaml('__proto__: {polluted: true}\n').documents[0]!.data) as Record<string, unknown>;
    expect(Object.keys(copy)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
  });
});

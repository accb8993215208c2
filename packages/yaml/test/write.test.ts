import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { knownKeysFirst, readYaml, type StringQuoting, writeManifestYaml, writeYaml, type WriteYamlOptions } from '../src/index.js';
import { libyamlEvents } from '../../../test/support/libyaml.js';
import { TRICKY } from './tricky-strings.js';

const MODES: readonly StringQuoting[] = ['unless-plain-safe', 'go-yaml'];

/** Comments kept in a side table, the way the generated runtimes keep builder comments. */
function commentTable(): { comments: WeakMap<object, string>; commentOf: (value: object) => string | undefined } {
  const comments = new WeakMap<object, string>();
  return { comments, commentOf: (value) => comments.get(value) };
}

const sortedKeys = (quoting: StringQuoting, extra: Partial<WriteYamlOptions> = {}): WriteYamlOptions => ({
  commentOf: () => undefined,
  keyOrder: (keys) => keys.sort(),
  quoting,
  indentSequences: quoting === 'unless-plain-safe',
  ...extra,
});

describe('writeYaml strings', () => {
  it.each(MODES)('%s: every tricky string reads back unchanged under YAML 1.2 and go-yaml rules', (quoting) => {
    const text = writeYaml({ values: TRICKY }, sortedKeys(quoting));
    expect(parse(text, { version: '1.2' }).values).toEqual(TRICKY);
    expect((readYaml(text).documents[0]!.data as { values: string[] }).values).toEqual(TRICKY);
  });

  it('unless-plain-safe output also reads back under the yaml library\'s YAML 1.1 rules', () => {
    expect(parse(writeYaml({ values: TRICKY }, sortedKeys('unless-plain-safe')), { version: '1.1' }).values).toEqual(TRICKY);
  });

  it('unless-plain-safe quotes everything but plain words, and escapes line-break look-alikes', () => {
    const text = writeYaml({ values: ['', 'yes', '0777', '*', 'system:kube-proxy', '/api*', 'a\u2028b', 'del\u007f'] }, sortedKeys('unless-plain-safe'));
    expect(text).toBe('values:\n  - ""\n  - "yes"\n  - "0777"\n  - "*"\n  - system:kube-proxy\n  - /api*\n  - "a\\Lb"\n  - "del\\u007f"\n');
  });

  it('go-yaml quotes what go-yaml v2 would read as something else and leaves the rest plain', () => {
    const text = writeYaml({ values: ['on', '0o17', '0X1F', '1:30', '2001-12-14', 'e5', 'hello world', 'a\u0085b'], '<<': 'y' }, sortedKeys('go-yaml'));
    expect(text).toBe('"<<": "y"\nvalues:\n- "on"\n- "0o17"\n- "0X1F"\n- "1:30"\n- "2001-12-14"\n- e5\n- hello world\n- "a\\Nb"\n');
  });

  it.skipIf(!existsSync('/usr/bin/kubectl')).each(MODES)('%s: the Go YAML decoder of kubectl and kube-apiserver reads every tricky string back', (quoting) => {
    // kubectl loads kubeconfig files through the same sigs.k8s.io/yaml decoder kube-apiserver uses
    // for its configuration files, so this is a real-decoder check of the quoting.
    const contexts = TRICKY.map((namespace, i) => ({ name: `c${i}`, context: { cluster: 'c', user: 'u', namespace } }));
    const text = writeYaml({ apiVersion: 'v1', kind: 'Config', contexts }, sortedKeys(quoting));
    const dir = mkdtempSync(join(tmpdir(), 'k8s-gen-yaml-'));
    try {
      writeFileSync(join(dir, 'config'), text);
      const output = execFileSync('/usr/bin/kubectl', ['config', 'view', '--kubeconfig', join(dir, 'config'), '-o', 'json'], { encoding: 'utf8' });
      const read = JSON.parse(output) as { contexts: { name: string; context: { namespace?: string } }[] };
      // kubectl lists contexts by name; an empty namespace is left out of its output.
      const byName = new Map(read.contexts.map((entry) => [entry.name, entry.context.namespace ?? '']));
      expect(TRICKY.map((_, i) => byName.get(`c${i}`))).toEqual(TRICKY);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('writeYaml structure', () => {
  it('orders keys with the key-order function, which sees the path of each object', () => {
    const seen: string[] = [];
    const text = writeYaml(
      { b: 1, a: { z: 1, w: 2 }, c: [{ q: 1, p: 2 }] },
      sortedKeys('go-yaml', {
        keyOrder: (keys, path) => {
          seen.push(JSON.stringify(path));
          return path.length === 0 ? knownKeysFirst(keys, ['c', 'b']) : keys.sort();
        },
      }),
    );
    expect(text).toBe('c:\n- p: 2\n  q: 1\nb: 1\na:\n  w: 2\n  z: 1\n');
    expect(seen.sort()).toEqual(['["a"]', '["c",0]', '[]']);
  });

  it('knownKeysFirst keeps the known order and sorts the rest after it', () => {
    expect(knownKeysFirst(['zeta', 'level', 'alpha', 'users'], ['level', 'users', 'verbs'])).toEqual(['level', 'users', 'alpha', 'zeta']);
  });

  it('leaves out undefined fields, writes empty collections in flow style and never folds', () => {
    const long = 'x'.repeat(300);
    expect(writeYaml({ a: undefined, b: [], c: {}, d: long, e: null, f: true, g: 1.5 }, sortedKeys('go-yaml'))).toBe(`b: []\nc: {}\nd: ${long}\ne: null\nf: true\ng: 1.5\n`);
  });

  it('refuses values YAML cannot express', () => {
    expect(() => writeYaml({ f: () => 1 }, sortedKeys('go-yaml'))).toThrow(TypeError);
    expect(() => writeYaml({ n: 1n }, sortedKeys('go-yaml'))).toThrow(TypeError);
  });

  it.each(MODES)('%s: is deterministic and round-trips any JSON-like data through readYaml', (quoting) => {
    const key = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...TRICKY));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('tree'), { maxLength: 4 }), fc.dictionary(key, tie('tree'), { maxKeys: 4 })),
      leaf: fc.oneof(fc.string(), fc.constantFrom(...TRICKY), fc.integer(), fc.boolean(), fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0))),
    }));
    fc.assert(
      fc.property(fc.dictionary(key, tree, { maxKeys: 5 }), (value) => {
        const text = writeYaml(value, sortedKeys(quoting));
        expect(writeYaml(structuredClone(value), sortedKeys(quoting))).toBe(text);
        const parsed = readYaml(text);
        expect([...parsed.problems, ...parsed.documents.flatMap((d) => [...d.problems, ...d.duplicateKeys])]).toEqual([]);
        expect(parsed.documents[0]!.data).toEqual(value);
      }),
      { numRuns: 200 },
    );
  });
});

describe('writeYaml comments', () => {
  it('writes a header, comments above list items and above the keys of commented objects', () => {
    const { comments, commentOf } = commentTable();
    const item = { name: 'first' };
    const nested = { x: 1 };
    const root = { items: [item, { name: 'second' }], nested };
    comments.set(root, 'file header');
    comments.set(item, 'about the first\nitem');
    comments.set(nested, 'about nested');
    expect(writeYaml(root, sortedKeys('go-yaml', { commentOf }))).toBe('# file header\n\nitems:\n# about the first\n# item\n- name: first\n- name: second\n# about nested\nnested:\n  x: 1\n');
    expect(writeYaml(root, sortedKeys('go-yaml', { commentOf, header: 'generated' })).startsWith('# generated\n\nitems:')).toBe(true);
    expect(writeYaml(root, sortedKeys('go-yaml', { commentOf, header: '' })).startsWith('items:')).toBe(true);
  });

  it.each(MODES)('%s: a comment can never inject YAML', (quoting) => {
    const { comments, commentOf } = commentTable();
    const hostile = 'innocent\nrules: []\r\n- level: RequestResponse\u2028kind: Other\u0085y: 2\rx: 1\u0000\u0007  ';
    const item = { level: 'None' };
    const root = { rules: [item] };
    comments.set(root, hostile);
    comments.set(item, hostile);
    const text = writeYaml(root, sortedKeys(quoting, { commentOf }));
    for (const version of ['1.1', '1.2'] as const) expect(parse(text, { version })).toEqual({ rules: [{ level: 'None' }] });
    for (const line of text.split('\n')) expect(line === '' || /^\s*#/.test(line) || /^\s*(- )?[A-Za-z]+:/.test(line)).toBe(true);
    expect(text).toContain('# x: 1\ufffd\ufffd\n');
  });
});

describe('writeManifestYaml', () => {
  // Every character a YAML 1.1 reader or Go's decoder takes for a line break, alone and in the
  // payloads that added `authorization-mode: AlwaysAllow` to kubeadm's extraArgs when written raw.
  const BREAKS = ['\n', '\r', '\r\n', '\u0085', '\u2028', '\u2029'];
  // Lines of nothing but spaces or tabs, which the library's block scalars used to lose.
  const blank = [' \n', 'a\n \nb', '\t\n', 'a\n  '];
  const payloads = [...BREAKS.flatMap((brk) => [`/var/log/a.log${brk}    authorization-mode:${brk}      AlwaysAllow`, `a${brk}b`, `${brk}`, `x${brk}`, `${brk}- item`]), ...blank];

  it('keeps the order of the data, indents lists and writes no comment', () => {
    expect(writeManifestYaml({ kind: 'Cluster', apiVersion: 'v1', nodes: [{ role: 'control-plane' }] })).toBe('kind: Cluster\napiVersion: v1\nnodes:\n  - role: control-plane\n');
  });

  it('never writes a raw break character other than the line feeds of its own layout', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...payloads), fc.string({ unit: fc.constantFrom('a', ':', ' ', '-', '#', ...BREAKS) })), { maxLength: 6 }), (values) => {
        const text = writeManifestYaml({ apiServer: { extraArgs: Object.fromEntries(values.map((value, i) => [`k${i}`, value])), list: values } });
        expect(text).not.toMatch(/[\r\u0085\u2028\u2029]/);
        const back = parse(text, { version: '1.1' });
        expect(Object.keys(back.apiServer.extraArgs)).toEqual(values.map((_, i) => `k${i}`));
        expect(back.apiServer.list).toEqual(values);
      }),
      { numRuns: 300 },
    );
  });

  it("Go's decoder (kubectl) reads every payload back as one value, adding no key", () => {
    const contexts = payloads.map((namespace, i) => ({ name: `c${i}`, context: { cluster: 'c', user: 'u', namespace } }));
    const dir = mkdtempSync(join(tmpdir(), 'k8s-gen-yaml-'));
    try {
      writeFileSync(join(dir, 'config'), writeManifestYaml({ apiVersion: 'v1', kind: 'Config', contexts }));
      const read = JSON.parse(execFileSync('/usr/bin/kubectl', ['config', 'view', '--kubeconfig', join(dir, 'config'), '-o', 'json'], { encoding: 'utf8' })) as { contexts: { name: string; context: Record<string, unknown> }[] };
      // kubectl lists contexts sorted by name.
      expect(read.contexts.map((entry) => entry.name).sort()).toEqual(payloads.map((_, i) => `c${i}`).sort());
      for (const entry of read.contexts) expect(Object.keys(entry.context).sort()).toEqual(['cluster', 'namespace', 'user']);
      const byName = new Map(read.contexts.map((entry) => [entry.name, entry.context.namespace]));
      expect(payloads.map((_, i) => byName.get(`c${i}`))).toEqual(payloads);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('writeYaml read by libyaml', () => {
  // libyaml is the C reader go-yaml was ported from (the apiserver reads policies with go-yaml);
  // the multi-line strings the library writes as block scalars are where readers part ways.
  const piece = fc.constantFrom(' ', '  ', '\t', '\n', '\n\n', 'a', '- ', ': ', '#', '"', "'", '|', '>', '\u00e9', '\u2028', '\u0085', '\r', '...', '---');
  const text = fc.array(piece, { minLength: 1, maxLength: 12 }).map((pieces) => pieces.join(''));

  it.each(MODES)('%s: every string, multi-line ones included, reads back as the same text', (quoting) => {
    const values = fc.sample(text, 2000);
    const documents = values.map((value) => writeYaml({ top: value, nested: { list: [value, { key: value }] } }, sortedKeys(quoting)));
    const read = libyamlEvents(documents);
    values.forEach((value, index) => {
      expect(read[index], documents[index]).toEqual(['{', '=nested', '{', '=list', '[', `=${value}`, '{', '=key', `=${value}`, '}', ']', '}', '=top', `=${value}`, '}']);
    });
  });
});

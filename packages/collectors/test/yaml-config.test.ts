// The YAML printer's block literals (the form VRL programs and other code take): whatever text the
// caller marks as code, at whatever depth, reads back exactly through our reader, through the yaml
// library reading YAML 1.1, and through the real libyaml (Fluent Bit's reader, and the C original
// of Vector's).
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { libyamlEvents } from '../../../test/support/libyaml.js';
import { yamlEvents } from './helpers.js';
import { printYaml, readConfigYaml, yamlList, yamlMap, yamlScalar, type YamlMap, type YamlNode } from '../src/yaml-config.js';

/** The tree holding `code` at three depths: a top key, a nested key and a list item. */
function treeWith(code: string): YamlMap {
  const block = yamlScalar(code, true);
  return yamlMap([
    { key: 'top', value: block },
    { key: 'nested', value: yamlMap([{ key: 'inner', value: yamlMap([{ key: 'source', value: block }]) }]) },
    { key: 'items', value: yamlList([block, yamlMap([{ key: 'source', value: block }])]) },
    { key: 'after', value: yamlScalar('end') },
  ]);
}

function codesIn(node: YamlNode | undefined): unknown[] {
  if (node === undefined) return [];
  if (node.kind === 'scalar') return [node.value];
  if (node.kind === 'list') return node.items.flatMap((item) => codesIn(item.value));
  return node.entries.flatMap((entry) => codesIn(entry.value));
}

/** Prints each code's tree and expects libyaml to read every one as the tree it came from. */
function expectLibyamlReadsBack(codes: readonly string[]): void {
  const texts = codes.map((code) => printYaml(treeWith(code)));
  const read = libyamlEvents(texts);
  codes.forEach((code, index) => {
    expect(read[index], texts[index]).toEqual(yamlEvents(treeWith(code)));
  });
}

function expectReadsBack(code: string): void {
  const text = printYaml(treeWith(code));
  const read = readConfigYaml(text, { scalars: 'strings', language: 'test' });
  expect(read.ok ? [] : read.problems, text).toEqual([]);
  if (!read.ok) return;
  expect(codesIn(read.value), text).toEqual([code, code, code, code, 'end']);
  const yaml11 = parse(text, { version: '1.1' }) as { top: string; nested: { inner: { source: string } }; items: [string, { source: string }]; after: string };
  expect([yaml11.top, yaml11.nested.inner.source, yaml11.items[0], yaml11.items[1].source, yaml11.after], text).toEqual([code, code, code, code, 'end']);
}

describe('block literals', () => {
  it.each([
    ['one line feed', '\n'],
    ['only line feeds', '\n\n\n'],
    ['a space, then a line feed', ' \n'],
    ['an empty first line, then an indented one', '\n  x\n'],
    ['an indented first line', '  .a = 1\n.b = 2'],
    ['a line of spaces inside', '.a = 1\n   \n.b = 2\n'],
    ['a tab-indented first line', '\t.a = 1\n'],
    ['trailing empty lines', '.a = 1\n\n\n'],
    ['no final line feed', '.a = 1\n.b = 2'],
    ['a tab-indented line', '.a = 1\n\t.b = 2\n'],
    ['a comment sign and a document marker', '# c\n---\n...\n'],
  ])('%s reads back exactly', (_, code) => {
    expectReadsBack(code);
    expectLibyamlReadsBack([code]);
  });

  const piece = fc.constantFrom(' ', '  ', '\t', '\n', '\n\n', 'a', '.a = 1', '#', '- ', ': ', '|', '"', "'", '\u00e9', '\u2028');
  const code = fc.array(piece, { minLength: 1, maxLength: 12 }).map((pieces) => pieces.join('')).filter((text) => text.includes('\n'));

  it('any multi-line text of spaces, tabs, line feeds and code characters reads back exactly', () => {
    fc.assert(fc.property(code, (text) => expectReadsBack(text)), { numRuns: 2000 });
  });

  it('libyaml reads any such text back exactly', () => {
    expectLibyamlReadsBack(fc.sample(code, 3000));
  });
});

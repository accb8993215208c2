/**
 * Hostile inputs for the YAML reader, by category. Each is a whole file shaped like a kubeconfig,
 * so that kubectl (go-yaml v2 and sigs.k8s.io/yaml, the readers of kube-apiserver) can be asked
 * for its own verdict on the same bytes.
 */

/** Why an input is hostile. */
export type HostileCategory = 'size' | 'depth' | 'aliases' | 'encoding' | 'characters' | 'keys-and-values';

/** A hostile input and what the reader must do with it. */
export interface HostileYamlCase {
  name: string;
  category: HostileCategory;
  input: string | Uint8Array;
  /** The problem code `readYaml` must give; `undefined` when the input must be read cleanly. */
  code: string | undefined;
  /**
   * What `kubectl config view` does with the same file: `refuses` or `loads`; `not-run` for
   * inputs too large to be worth handing to it. Where `loads` meets a `code`, `deviation` says
   * why k8s-gen refuses what Go reads.
   */
  kubectl: 'loads' | 'refuses' | 'not-run';
  deviation?: string;
}

const HEADER = 'apiVersion: v1\nkind: Config\n';
const kubeconfig = (body: string): string => `${HEADER}${body}`;
const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))));

/** The classic "billion laughs": nine levels of ten aliases each, 10^9 values once expanded. */
function billionLaughs(): string {
  const lines = ['x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let level = 1; level <= 9; level++) lines.push(`x${level}: &x${level} [${Array.from({ length: 10 }, () => `*x${level - 1}`).join(', ')}]`);
  return lines.join('\n');
}

/** A policy-shaped text of about `megabytes` MB. */
function largeText(megabytes: number): string {
  const rule = '- level: Metadata\n  users: ["system:kube-proxy"]\n  verbs: [watch]\n  resources:\n  - group: ""\n    resources: [endpoints, services]\n';
  return kubeconfig(`x:\n${rule.repeat(Math.ceil((megabytes * 1024 * 1024) / rule.length))}`);
}

export const HOSTILE_YAML_CASES: readonly HostileYamlCase[] = [
  // size
  { name: 'a 50 MB file', category: 'size', input: largeText(50), code: 'input-too-large', kubectl: 'not-run', deviation: 'Go has no size limit; k8s-gen reads at most maxBytes (4 MiB by default).' },
  { name: 'a 5 MB single line', category: 'size', input: kubeconfig(`x: ${'y'.repeat(5 * 1024 * 1024)}\n`), code: 'input-too-large', kubectl: 'not-run', deviation: 'Go has no size limit.' },

  // depth
  { name: '10,000 nested flow lists', category: 'depth', input: kubeconfig(`x: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`), code: 'yaml-too-deep', kubectl: 'refuses' },
  { name: '10,000 nested flow mappings', category: 'depth', input: kubeconfig(`x: ${'{a: '.repeat(10_000)}b${'}'.repeat(10_000)}\n`), code: 'yaml-too-deep', kubectl: 'refuses' },
  { name: '10,000 nested block lists on one line', category: 'depth', input: kubeconfig(`x:\n${'- '.repeat(10_000)}y\n`), code: 'yaml-too-deep', kubectl: 'refuses' },
  { name: '1,000 nested block mappings', category: 'depth', input: kubeconfig(`x:\n${Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i + 1)}a:`).join('\n')} b\n`), code: 'yaml-too-deep', kubectl: 'loads', deviation: 'go-yaml allows 10,000 levels; k8s-gen allows maxDepth (100 by default).' },
  { name: '150 nested flow lists', category: 'depth', input: kubeconfig(`x: ${'['.repeat(150)}${']'.repeat(150)}\n`), code: 'yaml-too-deep', kubectl: 'loads', deviation: 'go-yaml allows 10,000 levels; k8s-gen allows maxDepth (100 by default).' },
  {
    name: 'depth built from aliases',
    category: 'depth',
    input: kubeconfig(`a: &a ${'['.repeat(40)}${']'.repeat(40)}\nb: &b ${'['.repeat(40)}*a${']'.repeat(40)}\nc: ${'['.repeat(40)}*b${']'.repeat(40)}\n`),
    code: 'yaml-too-deep',
    kubectl: 'loads',
    deviation: 'go-yaml counts the depth of the text only; k8s-gen counts it with aliases expanded, as its walks see it.',
  },

  // aliases
  { name: 'billion laughs', category: 'aliases', input: kubeconfig(`${billionLaughs()}\n`), code: 'yaml-alias-expansion', kubectl: 'refuses' },
  { name: 'an alias inside the list it names', category: 'aliases', input: kubeconfig('x: &a [1, *a]\n'), code: 'yaml-alias-recursive', kubectl: 'refuses' },
  { name: 'an alias inside the mapping it names', category: 'aliases', input: kubeconfig('preferences: &p {extensions: [{name: x, extension: *p}]}\n'), code: 'yaml-alias-recursive', kubectl: 'refuses' },
  { name: 'an alias of no anchor', category: 'aliases', input: kubeconfig('current-context: *missing\n'), code: 'yaml-alias-undefined', kubectl: 'refuses' },
  { name: 'an alias before its anchor', category: 'aliases', input: kubeconfig('current-context: *later\nx: &later ctx\n'), code: 'yaml-alias-undefined', kubectl: 'refuses' },
  {
    name: '1,001 aliases',
    category: 'aliases',
    input: kubeconfig(`a: &a x\nb: [${Array.from({ length: 1001 }, () => '*a').join(', ')}]\n`),
    code: 'yaml-too-many-aliases',
    kubectl: 'loads',
    deviation: 'go-yaml limits the share of values that come from aliases, not their number; k8s-gen allows maxAliases (1,000 by default).',
  },

  // encoding
  { name: 'an invalid leading byte', category: 'encoding', input: bytes(HEADER, 'current-context: a', [0xff], 'b\n'), code: 'yaml-invalid-encoding', kubectl: 'refuses' },
  { name: 'an invalid trailing byte', category: 'encoding', input: bytes(HEADER, 'current-context: a', [0xe2, 0x28, 0xa1], '\n'), code: 'yaml-invalid-encoding', kubectl: 'refuses' },
  { name: 'a truncated sequence at the end', category: 'encoding', input: bytes(HEADER, 'current-context: a', [0xe2, 0x82]), code: 'yaml-invalid-encoding', kubectl: 'refuses' },
  { name: 'an overlong slash', category: 'encoding', input: bytes(HEADER, 'current-context: a', [0xc0, 0xaf], '\n'), code: 'yaml-invalid-encoding', kubectl: 'refuses' },
  { name: 'an encoded surrogate', category: 'encoding', input: bytes(HEADER, 'current-context: a', [0xed, 0xa0, 0x80], '\n'), code: 'yaml-invalid-encoding', kubectl: 'refuses' },
  { name: 'a code point above U+10FFFF', category: 'encoding', input: bytes(HEADER, 'current-context: a', [0xf4, 0x90, 0x80, 0x80], '\n'), code: 'yaml-invalid-encoding', kubectl: 'refuses' },
  { name: 'UTF-16 without a byte-order mark', category: 'encoding', input: Buffer.from(`${HEADER}current-context: a\n`, 'utf16le'), code: 'yaml-control-character', kubectl: 'refuses' },
  { name: 'UTF-16LE with an unpaired surrogate', category: 'encoding', input: bytes([0xff, 0xfe], [...Buffer.from(`${HEADER}current-context: a`, 'utf16le')], [0x00, 0xd8, 0x0a, 0x00]), code: 'yaml-invalid-encoding', kubectl: 'refuses' },
  { name: 'a UTF-8 byte-order mark', category: 'encoding', input: bytes([0xef, 0xbb, 0xbf], `${HEADER}current-context: a\n`), code: undefined, kubectl: 'loads' },
  { name: 'UTF-16LE with its byte-order mark', category: 'encoding', input: bytes([0xff, 0xfe], [...Buffer.from(`${HEADER}current-context: a\n`, 'utf16le')]), code: undefined, kubectl: 'loads' },
  { name: 'UTF-16BE with its byte-order mark', category: 'encoding', input: bytes([0xfe, 0xff], [...Buffer.from(`${HEADER}current-context: a\n`, 'utf16le').swap16()]), code: undefined, kubectl: 'loads' },

  // characters
  { name: 'NUL in a quoted string', category: 'characters', input: kubeconfig('current-context: "a\u0000b"\n'), code: 'yaml-control-character', kubectl: 'refuses' },
  { name: 'BEL in a comment', category: 'characters', input: kubeconfig('# ring \u0007\ncurrent-context: a\n'), code: 'yaml-control-character', kubectl: 'refuses' },
  { name: 'ESC starting a terminal sequence', category: 'characters', input: kubeconfig('current-context: "\u001b[31mred"\n'), code: 'yaml-control-character', kubectl: 'refuses' },
  { name: 'DEL', category: 'characters', input: kubeconfig('current-context: a\u007fb\n'), code: 'yaml-control-character', kubectl: 'refuses' },
  { name: 'a C1 control', category: 'characters', input: kubeconfig('current-context: a\u0086b\n'), code: 'yaml-control-character', kubectl: 'refuses' },
  { name: 'the non-character U+FFFE', category: 'characters', input: kubeconfig('current-context: a\ufffeb\n'), code: 'yaml-control-character', kubectl: 'refuses' },
  { name: 'a tab inside quotes', category: 'characters', input: kubeconfig('current-context: "a\tb"\n'), code: undefined, kubectl: 'loads' },
  {
    name: 'U+2028 ending a comment early',
    category: 'characters',
    input: kubeconfig('# harmless note\u2028current-context: evil\n'),
    code: 'yaml-line-break-character',
    kubectl: 'loads',
    deviation: 'go-yaml reads U+2028 as a line break, so the "comment" sets current-context; k8s-gen refuses text that means something other than what editors show.',
  },
  { name: 'U+0085 inside a value', category: 'characters', input: kubeconfig('current-context: "a\u0085b"\n'), code: 'yaml-line-break-character', kubectl: 'loads', deviation: 'go-yaml folds NEL into a space inside quotes; editors show none.' },
  { name: 'a byte-order mark inside the file', category: 'characters', input: kubeconfig('\ufeffcurrent-context: a\n'), code: 'yaml-byte-order-mark', kubectl: 'loads', deviation: 'go-yaml skips it at the start of a line (and then current-context is lost, as kubectl shows) but keeps it elsewhere.' },

  // keys and values
  { name: 'a null key', category: 'keys-and-values', input: kubeconfig('~: 1\n'), code: 'yaml-key', kubectl: 'refuses' },
  { name: 'a list as a key', category: 'keys-and-values', input: kubeconfig('? [a, b]\n: 1\n'), code: 'yaml-key', kubectl: 'refuses' },
  { name: 'a mapping as a key', category: 'keys-and-values', input: kubeconfig('? {a: 1}\n: 1\n'), code: 'yaml-key', kubectl: 'refuses' },
  { name: 'an infinite value', category: 'keys-and-values', input: kubeconfig('x: .inf\n'), code: 'yaml-value', kubectl: 'refuses' },
  { name: 'a NaN value', category: 'keys-and-values', input: kubeconfig('x: [1, .NaN]\n'), code: 'yaml-value', kubectl: 'refuses' },
  { name: 'text under an !!int tag', category: 'keys-and-values', input: kubeconfig('x: !!int twelve\n'), code: 'yaml-tag', kubectl: 'refuses' },
  { name: 'a merge of a list', category: 'keys-and-values', input: kubeconfig('a: &a [1, 2]\nx:\n  <<: *a\n'), code: 'yaml-merge', kubectl: 'refuses' },
  { name: 'a key named __proto__', category: 'keys-and-values', input: kubeconfig('x:\n  __proto__: {polluted: true}\n'), code: undefined, kubectl: 'loads' },
];

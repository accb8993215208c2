// `@k8s-gen/engine/policy`: the policy semantics without Node.js, for browsers (the docs site's
// playground). Its functions are the main entry's own, and none of them needs a Node global.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as engine from '../src/index.js';
import * as policyEntry from '../src/policy.js';

describe('@k8s-gen/engine/policy', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('exports the very functions of the main entry', () => {
    const names = Object.keys(policyEntry);
    expect(names).toEqual(expect.arrayContaining(['evaluate', 'explain', 'lint', 'resourceRequest', 'nonResourceRequest', 'requestFromHttp', 'ruleLabel']));
    for (const name of names) expect(policyEntry[name as keyof typeof policyEntry], name).toBe(engine[name as keyof typeof engine]);
  });

  it('decodes %-escapes in a URL without Buffer, as a browser has none', () => {
    vi.stubGlobal('Buffer', undefined);
    expect(policyEntry.requestFromHttp({ method: 'GET', url: '/api/v1/namespaces/a/pods/my%20p%C3%B6d', user: 'alice' }).name).toBe('my pöd');
  });

  it('reads back any %-escaped path, as Go\'s url.PathUnescape does, without Buffer', () => {
    vi.stubGlobal('Buffer', undefined);
    // Any text, each character either written as it is or %-escaped byte by byte, decodes to itself.
    const piece = fc.tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }).filter((text) => !/[%?#]/.test(text)), fc.boolean());
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const raw = pieces.map(([text, escaped]) => (escaped ? [...new TextEncoder().encode(text)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('') : text)).join('');
        const text = pieces.map(([piece]) => piece).join('');
        expect(policyEntry.requestFromHttp({ method: 'GET', url: `/x/${raw}` }).path).toBe(`/x/${text}`);
      }),
    );
  });

  it('keeps a character outside the Basic Multilingual Plane whole', () => {
    expect(policyEntry.requestFromHttp({ method: 'GET', url: '/healthz/\u{1F600}%21' }).path).toBe('/healthz/\u{1F600}!');
  });
});

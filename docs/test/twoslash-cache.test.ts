// The twoslash cache answers a repeated snippet from disk, and any change to what twoslash reads
// (a package source, the lock file, the options) gives a fresh cache.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TwoslashReturn } from 'twoslash';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedTwoslasher, sourcesFingerprint } from '../.vitepress/twoslash-cache.js';

const work = mkdtempSync(path.join(tmpdir(), 'k8s-gen-docs-twoslash-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A stand-in twoslasher that counts its calls and echoes the code as a hover. */
function countingTwoslasher(): { calls: string[]; run: (code: string) => TwoslashReturn } {
  const calls: string[] = [];
  return {
    calls,
    run: (code) => {
      calls.push(code);
      return { code, nodes: [{ type: 'hover', text: code, docs: 'see {@link X}', start: 0, length: 1, target: 'x', line: 0, character: 0 }] } as unknown as TwoslashReturn;
    },
  };
}

describe('cachedTwoslasher', () => {
  it('runs a snippet once and answers it again from the cache, also in a later build', () => {
    const cacheRoot = path.join(work, 'cache-a');
    const first = countingTwoslasher();
    const cached = cachedTwoslasher(first.run, cacheRoot, 'f1');
    const fresh = cached('const a = 1;');
    expect(cached('const a = 1;')).toEqual(fresh);
    expect(first.calls).toEqual(['const a = 1;']);
    const later = countingTwoslasher();
    expect(cachedTwoslasher(later.run, cacheRoot, 'f1')('const a = 1;').code).toBe('const a = 1;');
    expect(later.calls).toEqual([]);
  });

  it('starts over, and drops the old results, when the fingerprint changes', () => {
    const cacheRoot = path.join(work, 'cache-b');
    cachedTwoslasher(countingTwoslasher().run, cacheRoot, 'old')('x');
    const next = countingTwoslasher();
    cachedTwoslasher(next.run, cacheRoot, 'new')('x');
    expect(next.calls).toEqual(['x']);
    expect(readdirSync(cacheRoot)).toEqual(['new']);
  });
});

describe('sourcesFingerprint', () => {
  it('changes with a source file, the lock file or the options, and with nothing else', () => {
    const repo = path.join(work, 'repo');
    mkdirSync(path.join(repo, 'pkg', 'src', '.old-generation'), { recursive: true });
    writeFileSync(path.join(repo, 'package-lock.json'), '{}');
    writeFileSync(path.join(repo, 'pkg', 'package.json'), '{}');
    writeFileSync(path.join(repo, 'pkg', 'src', 'index.ts'), 'export const a = 1;');
    const sources = ['pkg/package.json', 'pkg/src'];
    const base = sourcesFingerprint(repo, sources, { strict: true });
    expect(sourcesFingerprint(repo, sources, { strict: true })).toBe(base);
    writeFileSync(path.join(repo, 'pkg', 'src', '.old-generation', 'stale.ts'), 'export const stale = 1;');
    writeFileSync(path.join(repo, 'pkg', 'README.md'), 'not read');
    expect(sourcesFingerprint(repo, sources, { strict: true })).toBe(base);
    expect(sourcesFingerprint(repo, sources, { strict: false })).not.toBe(base);
    writeFileSync(path.join(repo, 'pkg', 'src', 'index.ts'), 'export const a = 2;');
    const changedSource = sourcesFingerprint(repo, sources, { strict: true });
    expect(changedSource).not.toBe(base);
    writeFileSync(path.join(repo, 'package-lock.json'), '{"lockfileVersion":3}');
    expect(sourcesFingerprint(repo, sources, { strict: true })).not.toBe(changedSource);
  });
});

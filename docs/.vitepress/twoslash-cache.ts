// A cache of twoslash results across builds, so a build whose examples and packages did not change
// skips the TypeScript language service. An entry is keyed by the snippet and its options, inside
// a folder named by a fingerprint of everything else twoslash reads: the packages' sources (the
// snippets resolve them through the `@k8s-gen/source` condition), the lock file (the
// dependencies' types) and the compiler options. A change to any of them starts a new folder; the
// old folders are removed, so the cache holds one build's results.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TwoslashExecuteOptions, TwoslashReturn } from 'twoslash';

export type Twoslasher = (code: string, extension?: string, options?: TwoslashExecuteOptions) => TwoslashReturn;

/** Every file below `folder` whose name ends with one of `extensions`, sorted. */
function filesBelow(folder: string, extensions: readonly string[]): string[] {
  if (!existsSync(folder)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    // Dot folders hold earlier generations of generated code; src/generated links to the current one.
    if (entry.name.startsWith('.')) continue;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory() || (entry.isSymbolicLink() && statSync(full).isDirectory())) out.push(...filesBelow(full, extensions));
    else if (extensions.some((extension) => entry.name.endsWith(extension))) out.push(full);
  }
  return out.sort();
}

/**
 * A hash of what twoslash results depend on besides the snippet itself: `sources` (files, or
 * folders of `.ts` and `.json` files, relative to `repoRoot`), the lock file and `options`.
 */
export function sourcesFingerprint(repoRoot: string, sources: readonly string[], options: unknown): string {
  const hash = createHash('sha256').update(JSON.stringify(options));
  const expand = (source: string): string[] => {
    const full = path.join(repoRoot, source);
    return existsSync(full) && statSync(full).isFile() ? [full] : filesBelow(full, ['.ts', '.json']);
  };
  const files = [path.join(repoRoot, 'package-lock.json'), ...sources.flatMap(expand)];
  for (const file of files) hash.update(path.relative(repoRoot, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/** `twoslasher` with its results kept in `cacheRoot/<fingerprint>/`. */
export function cachedTwoslasher(twoslasher: Twoslasher, cacheRoot: string, fingerprint: string): Twoslasher {
  const folder = path.join(cacheRoot, fingerprint);
  if (existsSync(cacheRoot)) {
    for (const old of readdirSync(cacheRoot)) if (old !== fingerprint) rmSync(path.join(cacheRoot, old), { recursive: true, force: true });
  }
  mkdirSync(folder, { recursive: true });
  return (code, extension, options) => {
    const key = createHash('sha256').update(JSON.stringify([code, extension ?? '', options ?? {}])).digest('hex').slice(0, 24);
    const file = path.join(folder, `${key}.json`);
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as TwoslashReturn;
    const result = twoslasher(code, extension, options);
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(result));
    renameSync(temporary, file);
    return result;
  };
}

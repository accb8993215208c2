/**
 * Emits `_runtime.ts`, the helpers every generated file of an output folder shares. Its text is the
 * real TypeScript module `src/runtime/_runtime.ts` of the generator, which is type-checked and
 * unit-tested like any other source, copied with the generated-file header.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Candidate locations of the runtime source: next to this module (sources) or in the package's `src` (build). */
const CANDIDATES = ['../runtime/_runtime.ts', '../src/runtime/_runtime.ts'];

let cached: string | undefined;

/** The text of the runtime module. */
export function runtimeSource(): string {
  if (cached !== undefined) return cached;
  // The CommonJS build gets import.meta.url from tsup's shims (`tsup --shims`).
  for (const candidate of CANDIDATES) {
    const file = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(file)) {
      cached = readFileSync(file, 'utf8');
      return cached;
    }
  }
  throw new Error('k8s-gen generator: runtime/_runtime.ts is missing from the installed package; reinstall @k8s-gen/generator');
}

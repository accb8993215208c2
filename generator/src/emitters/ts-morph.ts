/**
 * Access to ts-morph at run time, needed only by the reference printer (`printer: 'ts-morph'`).
 * ts-morph is CommonJS and bundles the whole TypeScript compiler, so it is loaded with `require`
 * (importing it from an ES module makes Node first scan all that code for named exports, about
 * 50 ms) and only on first use, so that a default generation never loads it. The emitters use
 * ts-morph's types through `import type` only.
 */
import { createRequire } from 'node:module';
import type * as TsMorph from 'ts-morph';

let loaded: typeof TsMorph | undefined;

/** The ts-morph module, loaded on the first call. */
export function tsMorph(): typeof TsMorph {
  loaded ??= createRequire(import.meta.url)('ts-morph') as typeof TsMorph;
  return loaded;
}

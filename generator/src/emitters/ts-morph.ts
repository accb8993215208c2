/**
 * Access to ts-morph at run time, needed only by the reference printer (`printer: 'ts-morph'`).
 * ts-morph bundles the whole TypeScript compiler, so it is an optional peer dependency: installing
 * the generator (or the CLI) does not pull TypeScript in, and only that printer asks for it.
 * It is CommonJS and loaded with `require` (importing it from an ES module makes Node first scan
 * all that code for named exports, about 50 ms) and only on first use. The emitters use
 * ts-morph's types through `import type` only.
 */
import { createRequire } from 'node:module';
import type * as TsMorph from 'ts-morph';
import { GeneratorError } from '../errors.js';

let loaded: typeof TsMorph | undefined;

/**
 * The ts-morph module, loaded on the first call.
 *
 * @throws GeneratorError when ts-morph is not installed
 */
export function tsMorph(): typeof TsMorph {
  if (loaded !== undefined) return loaded;
  try {
    loaded = createRequire(import.meta.url)('ts-morph') as typeof TsMorph;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    throw new GeneratorError(
      "the `ts-morph` printer needs the ts-morph package, an optional peer dependency of @k8s-gen/generator; install it (npm install --save-dev ts-morph) or use the default printer ('fast', the same output)",
    );
  }
  return loaded;
}

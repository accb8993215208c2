#!/usr/bin/env node
// Thin launcher: all behaviour lives in src/main.ts (built to dist/main.js).
import module, { createRequire } from 'node:module';

enableCompileCache();
// Imported only now, so that the modules it loads (ts-morph and the TypeScript compiler for
// `k8s-gen import`) are compiled with the cache enabled above.
const { main } = await import('../dist/main.js');

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    // main() reports expected failures itself; anything reaching here is a bug in k8s-gen.
    process.stderr.write(`k8s-gen: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 70;
  },
);

/**
 * Keeps V8's compiled code of CommonJS dependencies between runs. `k8s-gen import` loads the
 * whole TypeScript compiler (through ts-morph), and compiling it again on every run costs
 * 70 to 150 ms. Node 22.1+ has this built in; on older Node the v8-compile-cache-lib package
 * does the same for `require`d modules. The cache lives in the OS temp folder (per user) and
 * is only an optimisation, so any failure to set it up is ignored.
 */
function enableCompileCache() {
  try {
    if (typeof module.enableCompileCache === 'function') {
      module.enableCompileCache();
      return;
    }
    createRequire(import.meta.url)('v8-compile-cache-lib').install({ prefix: 'k8s-gen' });
  } catch {
    // No cache: slower, still correct.
  }
}

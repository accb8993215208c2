#!/usr/bin/env node
// Thin launcher: all behaviour lives in src/main.ts (built to dist/main.js).
import module from 'node:module';

// Node 22.1+ can keep V8's compiled code between runs (in the OS temp folder); it shortens the
// start of commands that load large dependencies (tsx for `synth`). Older Node simply skips it.
try {
  module.enableCompileCache?.();
} catch {
  // Only an optimisation: without it k8s-gen is slower to start, never wrong.
}
// Imported only now, so that the modules it loads are compiled with the cache enabled above.
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

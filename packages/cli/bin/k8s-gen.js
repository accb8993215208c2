#!/usr/bin/env node
// Thin launcher: all behaviour lives in src/main.ts (built to dist/main.js).
import { main } from '../dist/main.js';

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

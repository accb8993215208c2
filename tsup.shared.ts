// The one tsup configuration of the library packages: ESM + CJS + .d.ts from src/index.ts.
// Each package's tsup.config.ts re-exports it, so a build setting changes in one place.
import { defineConfig, type Options } from 'tsup';

const common = {
  entry: ['src/index.ts'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
} satisfies Options;

export default defineConfig({ ...common, format: ['esm', 'cjs'] });

/**
 * For the packages that end up in browser bundles (runtime, yaml, audit, kubeconfig,
 * auditregistration): tsup builds only their CommonJS file (and its `.d.cts`); their ES modules
 * and declarations are built file by file by `tsc -p tsconfig.build.json` (see
 * tsconfig.build.base.json), so that with `sideEffects: false` a bundler keeps only the modules a
 * program uses (a builder without the validators, a validator without the YAML reader).
 */
export const commonJsOnly: Options = { ...common, format: ['cjs'] };

// The one tsup configuration of the library packages: ESM + CJS + .d.ts from src/index.ts.
// Each package's tsup.config.ts re-exports it, so a build setting changes in one place.
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});

import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.js';

// Type tests (`*.test-d.ts`) run in `vitest run` too: a wrong type or an unused
// `@ts-expect-error` fails the run, in CI as everywhere.
export default mergeConfig(
  shared,
  defineConfig({ test: { typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.type-tests.json' } } }),
);

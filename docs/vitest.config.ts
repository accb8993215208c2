import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.js';

// Browser tests start Chromium and walk the built site; give them room on a shared 2-core machine.
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout: 120_000,
      hookTimeout: 180_000,
      fileParallelism: false,
    },
  }),
);

// Shared vitest settings for every workspace.
// The `@k8s-gen/source` export condition makes workspace packages resolve to their TypeScript
// sources, so a package's tests never need its dependencies to be rebuilt first.
import { fileURLToPath } from 'node:url';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

const conditions = ['@k8s-gen/source', ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Fixes the seed of every property test (K8S_GEN_PROPERTY_SEED=random explores; see the file).
    setupFiles: [fileURLToPath(new URL('./vitest.property-seed.ts', import.meta.url))],
  },
});

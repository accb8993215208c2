import { defineConfig } from 'tsup';

export default defineConfig({
  // app-watchdog is loaded into the app process by `k8s-gen synth`, so it is a file of its own.
  entry: ['src/index.ts', 'src/main.ts', 'src/app-watchdog.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'node20',
});

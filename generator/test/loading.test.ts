// ts-morph (with the whole TypeScript compiler) is loaded on first use only: reading and modelling
// a schema must not load it, emitting must. Checked in a fresh Node process, whose CommonJS module
// cache shows exactly what was loaded.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';

const here = import.meta.dirname;

it('loads ts-morph when emitting, not when reading and modelling', () => {
  const entry = pathToFileURL(resolve(here, '../src/index.ts')).href;
  const schema = resolve(here, '../schemas/audit.k8s.io_v1.json');
  const script = `
    import { createRequire } from 'node:module';
    import { buildModel, emitModel } from ${JSON.stringify(entry)};
    const require = createRequire(import.meta.url);
    const tsMorphLoaded = () => Object.keys(require.cache).some((file) => file.includes('/node_modules/ts-morph/'));
    const model = await buildModel({ sources: [${JSON.stringify(schema)}] });
    const afterModel = tsMorphLoaded();
    const files = emitModel(model);
    console.log(JSON.stringify({ afterModel, afterEmit: tsMorphLoaded(), files: files.size }));
  `;
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const result = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout) as { afterModel: boolean; afterEmit: boolean; files: number };
  expect(report.afterModel).toBe(false);
  expect(report.afterEmit).toBe(true);
  expect(report.files).toBeGreaterThan(0);
});

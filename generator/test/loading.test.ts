// ts-morph (with the whole TypeScript compiler) must not be loaded by a default generation: the
// fast printer prints the structures, and the emitters use ts-morph for its types only. It is
// loaded only when the reference printer is asked for. Checked in a fresh Node process, whose
// CommonJS module cache shows exactly what was loaded.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';

const here = import.meta.dirname;

it('does not load ts-morph for a default generation, only for the ts-morph printer', () => {
  const entry = pathToFileURL(resolve(here, '../src/index.ts')).href;
  const schema = resolve(here, '../schemas/audit.k8s.io_v1.json');
  const outDir = join(mkdtempSync(join(tmpdir(), 'k8s-gen-loading-')), 'generated');
  const script = `
    import { createRequire } from 'node:module';
    import { buildModel, emitModel, generate } from ${JSON.stringify(entry)};
    const require = createRequire(import.meta.url);
    const tsMorphLoaded = () => Object.keys(require.cache).some((file) => file.includes('/node_modules/ts-morph/'));
    const model = await buildModel({ sources: [${JSON.stringify(schema)}] });
    const afterModel = tsMorphLoaded();
    const files = emitModel(model);
    const afterEmit = tsMorphLoaded();
    const summary = await generate({ sources: [${JSON.stringify(schema)}], outDir: ${JSON.stringify(outDir)} });
    const afterGenerate = tsMorphLoaded();
    const reference = emitModel(model, { printer: 'ts-morph' });
    const same = reference.size === files.size && [...files].every(([path, text]) => reference.get(path) === text);
    console.log(JSON.stringify({ afterModel, afterEmit, afterGenerate, written: summary.files, afterReference: tsMorphLoaded(), files: files.size, same }));
  `;
  try {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const result = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ afterModel: false, afterEmit: false, afterGenerate: false, afterReference: true, same: true });
    expect(report.files).toBeGreaterThan(0);
    expect(report.written).toBe(report.files);
  } finally {
    rmSync(resolve(outDir, '..'), { recursive: true, force: true });
  }
});

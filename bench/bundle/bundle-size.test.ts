// The bundle ceilings of issue 9, as a test (sizes only, never times): the programs of
// bundle/fixtures bundled by esbuild, minified, for the browser, against the built packages.
// Run after `npm run build` (turbo builds them before `npm test`).
import { describe, expect, it } from 'vitest';
import { bundleSize, ENGINE_FIXTURE, FIXTURES } from './measure.js';

describe('bundle weight', () => {
  it('keeps a policy() builder program under 10 KB gzip, without zod or YAML', async () => {
    const size = await bundleSize(FIXTURES.builder);
    expect(size.gzip).toBeLessThanOrEqual(FIXTURES.builder.ceiling);
    expect(size.byPackage.map(([name]) => name)).not.toContain('zod');
    expect(size.byPackage.map(([name]) => name)).not.toContain('yaml');
  });

  it('keeps builder + validate + toYaml under 50 KB gzip, without Node built-ins or the event readers', async () => {
    const size = await bundleSize(FIXTURES.full);
    expect(size.gzip).toBeLessThanOrEqual(FIXTURES.full.ceiling);
    expect(size.text).not.toMatch(/from\s*"node:/);
    // The event readers' own problem code: the policy decoder names the EventList kind too, so
    // the kind's name alone proves nothing.
    expect(size.text).not.toContain('not-an-event-list');
    expect(size.nodeImports).toEqual([]);
  });

  it('keeps the docs playground (parsePolicy + lint + explain) under 64 KB gzip, with no Node built-in or global', async () => {
    const size = await bundleSize(FIXTURES.playground);
    expect(size.gzip).toBeLessThanOrEqual(FIXTURES.playground.ceiling);
    expect(size.nodeImports).toEqual([]);
    expect(size.text).not.toMatch(/\bBuffer\.|\bprocess\./);
  });

  it('bundles the engine without DuckDB, whose native module only the DuckDB replay imports, when it runs', async () => {
    // A literal import() would be followed into @duckdb/node-bindings' .node files and fail the build.
    const size = await bundleSize(ENGINE_FIXTURE, 'node');
    expect(size.byPackage.map(([name]) => name)).toContain('@k8s-gen/engine');
    expect(size.byPackage.map(([name]) => name).filter((name) => name.startsWith('@duckdb/'))).toEqual([]);
    expect(size.text).not.toContain('.node"');
    for (const fixture of [FIXTURES.builder, FIXTURES.full]) expect((await bundleSize(fixture)).text).not.toMatch(/duckdb/i);
  });
});

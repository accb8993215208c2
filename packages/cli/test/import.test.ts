// `k8s-gen import` as the CLI shell over the generator: the generator's syntax for releases and
// group/versions, usage errors with exit 2, and a note naming the packages the generated code
// needs when the output folder cannot find them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.js';

// Outside the repository, so that nothing the generated code imports can be found from there.
const outside = mkdtempSync(join(tmpdir(), 'k8s-gen-import-'));
afterAll(() => rmSync(outside, { recursive: true, force: true }));

function spec(name: string, fields: string[]): string {
  const file = join(outside, name);
  const properties = Object.fromEntries(fields.map((f) => [f, { type: 'string' }]));
  writeFileSync(file, JSON.stringify({ definitions: { 'io.k8s.api.core.v1.Thing': { type: 'object', properties } } }));
  return file;
}

describe('k8s-gen import', () => {
  it('merges releases given as RELEASE=SPEC, the syntax the generator names', async () => {
    const out = join(outside, 'merged');
    const run = await runCli(['import', 'core', '--spec', `1.18=${spec('old.json', ['a'])}`, '--spec', `1.20=${spec('new.json', ['a', 'b'])}`, '--out', out, '--self-contained']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`wrote 7 files to ${out} (core/v1: 1 types)\n`);
    expect(readFileSync(join(out, 'core/v1/metadata.ts'), 'utf8')).toContain("'b': { since: '1.20' },");
  });

  it('refuses a release that is none, and a selector that is no group/version, with exit 2', async () => {
    const badRelease = await runCli(['import', 'core', '--spec', '1.x=swagger.json']);
    expect(badRelease.code).toBe(2);
    expect(badRelease.stderr).toBe('error: `1.x` in `1.x=swagger.json` is not a Kubernetes release\n  fix: write the release like 1.20=swagger.json, or write a file whose name starts like this with a folder in front (./1.x=swagger.json)\n');
    const badSelector = await runCli(['import', 'core/v1/Pod', '--spec', 'x.json']);
    expect(badSelector.code).toBe(2);
    expect(badSelector.stderr).toBe('error: "core/v1/Pod" is not an API group/version\n  fix: name one such as core, core/v1 or apps/v1\n');
  });

  it('says which packages the generated code needs when the output folder cannot find them', async () => {
    const out = join(outside, 'needs-runtime');
    const run = await runCli(['import', 'core', '--spec', spec('one.json', ['a']), '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      `note: the generated code imports @k8s-gen/runtime and zod, which are not installed where ${out} can find them\n` +
        '  fix: npm install @k8s-gen/runtime zod (or run again with --self-contained to write the runtime into the output)\n',
    );
    const self = await runCli(['import', 'core', '--spec', spec('one.json', ['a']), '--out', join(outside, 'self'), '--self-contained']);
    expect(self.stderr).toBe(`note: the generated code imports zod, which is not installed where ${join(outside, 'self')} can find it\n  fix: npm install zod\n`);
  });
});

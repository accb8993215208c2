// The command-line syntax both command lines share: sources with their release in front, and
// group/versions.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GeneratorError, generate, parseGroupVersion, parseSourceArgument } from '../src/index.js';

const work = resolve(import.meta.dirname, '../test-output/arguments');

function failure(run: () => unknown): { message: string; fix: string | undefined } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GeneratorError);
    return { message: (error as GeneratorError).message, fix: (error as GeneratorError).issues[0]?.fix };
  }
  throw new Error('expected a GeneratorError');
}

describe('source arguments', () => {
  it('reads a release in front of the spec, in each form a release is written', () => {
    expect(parseSourceArgument('1.20=specs/swagger.json')).toEqual({ input: 'specs/swagger.json', kubernetesVersion: '1.20' });
    expect(parseSourceArgument('v1.20.2=-')).toEqual({ input: '-', kubernetesVersion: 'v1.20.2' });
    expect(parseSourceArgument('1.36=https://example.com/openapi/v2?timeout=32s')).toEqual({ input: 'https://example.com/openapi/v2?timeout=32s', kubernetesVersion: '1.36' });
  });

  it('leaves alone what only looks like a release elsewhere: drive letters, `@` and `=` in URLs', () => {
    for (const plain of [
      'C:\\specs\\swagger.json',
      'C:/specs/1.20=swagger.json',
      'https://user@example.com/specs/swagger.json@1.20',
      'https://example.com/spec?version=1.20',
      './1.20=swagger.json',
      'spec.json@1.20',
      '-',
    ]) {
      expect(parseSourceArgument(plain)).toBe(plain);
    }
  });

  it('refuses a release that is none, and a release without a spec', () => {
    expect(failure(() => parseSourceArgument('1.2.3.4=swagger.json'))).toEqual({
      message: '`1.2.3.4` in `1.2.3.4=swagger.json` is not a Kubernetes release; write the release like 1.20=swagger.json, or write a file whose name starts like this with a folder in front (./1.2.3.4=swagger.json)',
      fix: 'write the release like 1.20=swagger.json, or write a file whose name starts like this with a folder in front (./1.2.3.4=swagger.json)',
    });
    expect(failure(() => parseSourceArgument('1.20=')).message).toBe('`1.20=` names a release but no spec; write the spec after =, as in 1.20=swagger.json');
  });

  it('tells users to write a release the way the command lines read it', async () => {
    mkdirSync(work, { recursive: true });
    const spec = { definitions: { 'io.k8s.api.core.v1.Thing': { type: 'object', properties: { name: { type: 'string' } } } } };
    writeFileSync(join(work, 'a.json'), JSON.stringify(spec));
    writeFileSync(join(work, 'b.json'), JSON.stringify(spec));
    const error = await generate({ sources: [join(work, 'a.json'), join(work, 'b.json')], select: ['core/v1'], outDir: join(work, 'out') }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('`1.20=swagger.json` on the command line');
    // and that syntax is what the bin reads
    const bin = resolve(import.meta.dirname, '../src/bin/k8s-gen-generate.mjs');
    const run = spawnSync(process.execPath, [bin, '--quiet', '--select', 'core/v1', '--out', join(work, 'out'), `1.19=${join(work, 'a.json')}`, `1.20=${join(work, 'b.json')}`], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const bad = spawnSync(process.execPath, [bin, '--out', join(work, 'out'), '1.x=a.json'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^k8s-gen-generate: `1\.x` in `1\.x=a\.json` is not a Kubernetes release/);
  });
});

describe('group/version arguments', () => {
  it('reads core and group/versions', () => {
    expect(parseGroupVersion('core')).toEqual({ group: 'core', version: 'v1' });
    expect(parseGroupVersion('core/v1')).toEqual({ group: 'core', version: 'v1' });
    expect(parseGroupVersion('networking.k8s.io/v1')).toEqual({ group: 'networking.k8s.io', version: 'v1' });
  });

  it('refuses what names no group/version, with the fix', () => {
    expect(failure(() => parseGroupVersion('core/v1/Pod'))).toEqual({ message: '"core/v1/Pod" is not an API group/version; name one such as core, core/v1 or apps/v1', fix: 'name one such as core, core/v1 or apps/v1' });
    expect(failure(() => parseGroupVersion('apps')).fix).toBe('name a group/version such as core, core/v1, apps/v1 or batch/v1');
    expect(failure(() => parseGroupVersion('apps/')).fix).toBe('name one such as core, core/v1 or apps/v1');
    expect(failure(() => parseGroupVersion('')).fix).toBe('name one such as core, core/v1 or apps/v1');
  });
});

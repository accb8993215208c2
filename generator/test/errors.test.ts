// Bad inputs give one clear message naming the input and the fix; failed generations leave the
// previous output untouched.
import { mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate, GeneratorError } from '../src/index.js';
import { smallSchema } from './fixtures/small-schema.js';

const here = import.meta.dirname;
const work = resolve(here, '../test-output/errors');

function write(name: string, value: unknown): string {
  const file = join(work, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

async function messageOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GeneratorError);
    return (error as Error).message;
  }
  throw new Error('expected the generation to fail');
}

beforeAll(() => mkdirSync(work, { recursive: true }));

describe('bad inputs', () => {
  it('names a missing file', async () => {
    const missing = join(work, 'nope.json');
    expect(await messageOf(generate({ sources: [missing], outDir: join(work, 'out') }))).toBe(
      `${missing}: file not found; pass the path of a JSON spec file, an http(s) URL or - for standard input`,
    );
  });

  it('names a file that is not JSON', async () => {
    const file = write('broken.json', '{ "definitions": ');
    expect(await messageOf(generate({ sources: [file], outDir: join(work, 'out') }))).toMatch(new RegExp(`^${file}: not valid JSON \\(`));
  });

  it('says what a spec must contain', async () => {
    const file = write('swagger.json', { swagger: '2.0', paths: {} });
    expect(await messageOf(generate({ sources: [file], select: ['core/v1'], outDir: join(work, 'out') }))).toBe(
      `${file}: not an OpenAPI v2 document or Kubernetes definitions file (no \`definitions\` object); pass the swagger.json of a Kubernetes release (api/openapi-spec/swagger.json) or a _definitions.json`,
    );
  });

  it('lists the available group/versions for an unknown selection', async () => {
    const file = write('tiny.json', {
      definitions: {
        'io.k8s.api.core.v1.Thing': { type: 'object', properties: { name: { type: 'string' } } },
        'io.k8s.api.apps.v1.Other': { type: 'object', properties: { thing: { $ref: '#/definitions/io.k8s.api.core.v1.Thing' } } },
      },
    });
    expect(await messageOf(generate({ sources: [file], select: ['batch/v1'], outDir: join(work, 'out') }))).toBe(
      `${file}: no definitions for \`batch/v1\`; available group/versions: apps/v1, core/v1`,
    );
  });

  it('names a dangling reference', async () => {
    const file = write('dangling.json', {
      definitions: { 'io.k8s.api.core.v1.Thing': { type: 'object', properties: { other: { $ref: '#/definitions/io.k8s.api.core.v1.Missing' } } } },
    });
    expect(await messageOf(generate({ sources: [file], select: ['core/v1'], outDir: join(work, 'out') }))).toBe(
      `${file}: definition \`io.k8s.api.core.v1.Thing\` refers to \`#/definitions/io.k8s.api.core.v1.Missing\`, which the file does not define`,
    );
  });

  it('names the path of a bad $ref in an authored schema', async () => {
    const schema = structuredClone(smallSchema) as unknown as { $defs: { Rule: { properties: { child: { $ref: string } } } } };
    schema.$defs.Rule.properties.child.$ref = '#/$defs/Nod';
    const file = write('bad-ref.json', schema);
    expect(await messageOf(generate({ sources: [file], outDir: join(work, 'out') }))).toBe(
      `bad-ref.json: $defs.Rule.properties.child: \`$ref\` "#/$defs/Nod" does not name an entry of $defs (use "#/$defs/<Name>")`,
    );
  });

  it('asks for a selection when given a Kubernetes spec without one', async () => {
    const file = write('noselect.json', { definitions: {} });
    expect(await messageOf(generate({ sources: [file], outDir: join(work, 'out') }))).toBe(
      `${file}: a Kubernetes spec needs a group/version to import, such as \`core/v1\` (option \`select\`)`,
    );
  });

  it('reads a schema from an http URL and names the URL when the download fails', async () => {
    const server = createServer((request, response) => {
      if (request.url === '/schema.json') response.end(JSON.stringify(smallSchema));
      else response.writeHead(404).end('not found');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const summary = await generate({ sources: [`${base}/schema.json`], outDir: join(work, 'from-url') });
      expect(summary.typesPerGroupVersion).toEqual({ 'example.k8s.io/v1': 5 });
      expect(summary.sources).toEqual([`${base}/schema.json`]);
      expect(await messageOf(generate({ sources: [`${base}/missing.json`], outDir: join(work, 'from-url') }))).toBe(
        `${base}/missing.json: download failed with HTTP 404; check the URL or download the file and pass its path`,
      );
    } finally {
      server.close();
    }
  });

  it('follows redirects when downloading, and gives up on a redirect loop', async () => {
    const server = createServer((request, response) => {
      if (request.url === '/schema.json') response.end(JSON.stringify(smallSchema));
      else if (request.url === '/moved.json') response.writeHead(302, { location: '/schema.json' }).end();
      else response.writeHead(301, { location: '/loop.json' }).end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const summary = await generate({ sources: [`${base}/moved.json`], outDir: join(work, 'from-redirect') });
      expect(summary.typesPerGroupVersion).toEqual({ 'example.k8s.io/v1': 5 });
      expect(await messageOf(generate({ sources: [`${base}/loop.json`], outDir: join(work, 'from-redirect') }))).toBe(
        `${base}/loop.json: cannot download (too many redirects); check the URL or download the file and pass its path`,
      );
    } finally {
      server.close();
    }
  });

  it('prints one line and no stack from the bin', () => {
    const bin = resolve(here, '../src/bin/k8s-gen-generate.mjs');
    const result = spawnSync(process.execPath, [bin, '--out', join(work, 'out'), '--select', 'core/v1', join(work, 'nope.json')], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`k8s-gen-generate: ${join(work, 'nope.json')}: file not found; pass the path of a JSON spec file, an http(s) URL or - for standard input\n`);
  });

  it('reads a spec from standard input through the bin', () => {
    const bin = resolve(here, '../src/bin/k8s-gen-generate.mjs');
    const result = spawnSync(process.execPath, [bin, '--quiet', '--out', join(work, 'stdin-out'), '-'], { encoding: 'utf8', input: JSON.stringify(smallSchema) });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(readFileSync(join(work, 'stdin-out/example.k8s.io/v1/types/Policy.ts'), 'utf8')).toMatch(/^\/\/ Generated by k8s-gen from <stdin>\./);
  });
});

describe('atomic output', () => {
  it('leaves the previous output untouched when generation fails', async () => {
    const outDir = join(work, 'kept');
    for (const old of [outDir, join(work, '.kept.k8s-gen')]) rmSync(old, { recursive: true, force: true });
    const good = write('good.json', smallSchema);
    await generate({ sources: [good], outDir });
    const before = readFileSync(join(outDir, 'example.k8s.io/v1/types/Policy.ts'), 'utf8');
    const bad = write('bad.json', { ...smallSchema, 'x-k8s-gen-version': undefined });
    await expect(generate({ sources: [bad], outDir })).rejects.toThrow('missing file-level `x-k8s-gen-version`');
    expect(readFileSync(join(outDir, 'example.k8s.io/v1/types/Policy.ts'), 'utf8')).toBe(before);
    // the output is still the one generation written before, and nothing else was left in its store
    expect(readdirSync(join(work, '.kept.k8s-gen')).sort()).toEqual(['.gitignore', readlinkSync(outDir).split('/')[1]]);
  });

  it('never replaces a folder holding files the generator did not write', async () => {
    const outDir = join(work, 'hand-written');
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir);
    writeFileSync(join(outDir, 'mine.ts'), 'export const mine = 1;\n');
    await expect(generate({ sources: [write('good2.json', smallSchema)], outDir })).rejects.toThrow(/did not write/);
    expect(readFileSync(join(outDir, 'mine.ts'), 'utf8')).toBe('export const mine = 1;\n');
  });

  it('replaces the whole folder, removing files of types that no longer exist', async () => {
    const outDir = join(work, 'replaced');
    await generate({ sources: [write('first.json', smallSchema)], outDir });
    const fewer = structuredClone(smallSchema) as unknown as { $defs: Record<string, unknown> };
    delete fewer.$defs.Node;
    delete fewer.$defs.Target;
    delete (fewer.$defs.Policy as { properties: Record<string, unknown> }).properties.targets;
    delete (fewer.$defs.Rule as { properties: Record<string, unknown> }).properties.child;
    await generate({ sources: [write('second.json', fewer)], outDir });
    expect(readdirSync(join(outDir, 'example.k8s.io/v1/types')).sort()).toEqual(['Level.ts', 'Policy.ts', 'Rule.ts']);
  });
});

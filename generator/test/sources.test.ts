// The Kubernetes reader and the release merger on small specs written here: shape mapping,
// transitive closure, folders, release detection and since/until.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel, detectKubernetesVersion, readKubernetesSpec, type StructTypeModel } from '../src/index.js';

const work = resolve(import.meta.dirname, '../test-output/sources');
mkdirSync(work, { recursive: true });

const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1';
function spec(extraWidgetFields: Record<string, unknown>) {
  return {
    definitions: {
      'io.k8s.api.core.v1.Widget': {
        description: 'A widget.',
        'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Widget' }],
        required: ['size'],
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          metadata: { $ref: `#/definitions/${meta}.ObjectMeta` },
          size: { $ref: '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity' },
          port: { $ref: '#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString' },
          created: { $ref: `#/definitions/${meta}.Time` },
          raw: { $ref: '#/definitions/io.k8s.apimachinery.pkg.runtime.RawExtension' },
          anything: { $ref: '#/definitions/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON' },
          free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          mode: { type: 'string', description: 'How to run.\n\nPossible enum values:\n - `"Fast"` goes fast' },
          ...extraWidgetFields,
        },
      },
      [`${meta}.ObjectMeta`]: { properties: { name: { type: 'string' }, labels: { type: 'object', additionalProperties: { type: 'string' } } } },
      [`${meta}.Time`]: { type: 'string', format: 'date-time' },
      'io.k8s.apimachinery.pkg.api.resource.Quantity': { oneOf: [{ type: 'string' }, { type: 'number' }] },
      'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { type: 'string', format: 'int-or-string' },
      'io.k8s.apimachinery.pkg.runtime.RawExtension': { type: 'object' },
      'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON': { description: 'Any JSON.' },
      'io.k8s.api.apps.v1.Unrelated': { properties: { name: { type: 'string' } } },
    },
  };
}

describe('readKubernetesSpec', () => {
  const model = readKubernetesSpec(spec({}), { name: 'spec.json', select: ['core/v1'] });
  const widget = model.groupVersions.find((g) => g.group === 'core')!.types.find((t) => t.name === 'Widget') as StructTypeModel;
  const field = (name: string) => widget.fields.find((f) => f.wireName === name)!;

  it('places the selection and what it references in their own folders, and nothing else', () => {
    expect(model.groupVersions.map((g) => [g.group, g.version, g.types.map((t) => t.name)])).toEqual([
      ['core', 'v1', ['Widget']],
      ['meta', 'v1', ['ObjectMeta']],
    ]);
    expect(model.primary).toEqual(['core/v1']);
  });

  it('maps odd shapes to plain TypeScript types', () => {
    const numberOrString = { kind: 'union', members: [{ kind: 'primitive', name: 'number' }, { kind: 'primitive', name: 'string' }] };
    expect(field('size').type).toEqual(numberOrString);
    expect(field('port').type).toEqual(numberOrString);
    expect(field('created').type).toEqual({ kind: 'primitive', name: 'string', format: 'date-time' });
    expect(field('raw').type).toEqual({ kind: 'object' });
    expect(field('anything').type).toEqual({ kind: 'unknown' });
    expect(field('free').type).toEqual({ kind: 'object' });
    expect(field('metadata').type).toEqual({ kind: 'ref', group: 'meta', version: 'v1', name: 'ObjectMeta' });
  });

  it('types apiVersion and kind of a kind as literals and keeps enum prose as prose', () => {
    expect(field('apiVersion').type).toEqual({ kind: 'literal', value: 'v1' });
    expect(field('kind').type).toEqual({ kind: 'literal', value: 'Widget' });
    expect(field('size').required).toBe(true);
    expect(field('mode').enumValues).toBeUndefined();
    expect(field('mode').type).toEqual({ kind: 'primitive', name: 'string' });
    expect(field('mode').description).toContain('Possible enum values');
  });
});

describe('releases', () => {
  it('detects the release from info.version or the file name', () => {
    expect(detectKubernetesVersion({ info: { version: 'v1.20.2' } }, 'swagger.json')).toBe('1.20');
    expect(detectKubernetesVersion({ info: { version: 'unversioned' } }, 'specs/kubernetes-v1.20.2.swagger.json')).toBe('1.20');
    expect(detectKubernetesVersion({}, '/tmp/kubernetes-v1.18.0.definitions.json')).toBe('1.18');
    expect(detectKubernetesVersion({}, 'swagger.json')).toBeUndefined();
  });

  it('records since/until when merging several releases, and nothing for a single one', async () => {
    const old = join(work, 'kubernetes-v1.18.0.json');
    const mid = join(work, 'mid.json');
    const current = join(work, 'kubernetes-v1.36.0.json');
    writeFileSync(old, JSON.stringify(spec({ legacy: { type: 'boolean' } })));
    writeFileSync(mid, JSON.stringify({ ...spec({ legacy: { type: 'boolean' }, added: { type: 'string' } }), info: { version: 'v1.20.2' } }));
    writeFileSync(current, JSON.stringify(spec({ added: { type: 'string' } })));
    const merged = await buildModel({ sources: [current, old, { input: mid, kubernetesVersion: '1.20.2' }], select: ['core/v1'] });
    const widget = merged.groupVersions.find((g) => g.group === 'core')!.types[0] as StructTypeModel;
    const versions = Object.fromEntries(widget.fields.map((f) => [f.wireName, f.versions]));
    expect(versions.added).toEqual({ since: '1.20' });
    expect(versions.legacy).toEqual({ until: '1.20' });
    expect(versions.size).toBeUndefined();
    expect(merged.sources).toEqual(['kubernetes-v1.18.0.json (Kubernetes 1.18)', 'mid.json (Kubernetes 1.20)', 'kubernetes-v1.36.0.json (Kubernetes 1.36)']);

    const single = await buildModel({ sources: [current], select: ['core/v1'] });
    const alone = single.groupVersions.find((g) => g.group === 'core')!.types[0] as StructTypeModel;
    expect(alone.fields.every((f) => f.versions === undefined)).toBe(true);
  });

  it('asks for the release when merging a spec it cannot date', async () => {
    const undated = join(work, 'swagger.json');
    writeFileSync(undated, JSON.stringify(spec({})));
    await expect(buildModel({ sources: [undated, join(work, 'kubernetes-v1.36.0.json')], select: ['core/v1'] })).rejects.toThrow(
      'swagger.json: cannot tell which Kubernetes release this spec describes',
    );
  });
});

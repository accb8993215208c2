// The fast printer (src/emitters/printer.ts) must print every structure the emitters build exactly
// as ts-morph's printStructure does: every generated file of the small test schema, the authored
// schemas and core/v1 of each official spec is printed both ways and compared byte for byte.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tsMorph from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { buildModel, type SourceInput } from '../src/index.js';
import { emitStructures, printStructureWith } from '../src/emitters/index.js';
import { printSourceFile, UnsupportedStructureError } from '../src/emitters/printer.js';
import { StructureKind, VariableDeclarationKind } from '../src/emitters/structure-kind.js';
import { smallSchema } from './fixtures/small-schema.js';

const here = import.meta.dirname;
const repoRoot = resolve(here, '../..');
const specsDir = resolve(repoRoot, '../shared/specs');
const schemasDir = resolve(here, '../schemas');

it('mirrors the values of ts-morph StructureKind and VariableDeclarationKind', () => {
  const mirrored = Object.entries(StructureKind);
  expect(mirrored.length).toBeGreaterThan(10);
  for (const [name, value] of mirrored) expect([name, value]).toEqual([name, tsMorph.StructureKind[name as keyof typeof tsMorph.StructureKind]]);
  for (const [name, value] of Object.entries(VariableDeclarationKind)) {
    expect([name, value]).toEqual([name, tsMorph.VariableDeclarationKind[name as keyof typeof tsMorph.VariableDeclarationKind]]);
  }
});

/** Prints every structure of the sources both ways; returns how many files were compared. */
async function compareBothPrinters(sources: SourceInput[], select?: string[]): Promise<number> {
  const model = await buildModel({ sources, select });
  let compared = 0;
  for (const { path, structure } of emitStructures(model)) {
    const reference = printStructureWith('ts-morph', structure);
    const fast = printStructureWith('fast', structure);
    if (fast !== reference) expect({ path, fast }).toEqual({ path, fast: reference });
    compared++;
  }
  return compared;
}

describe('fast printer equals ts-morph printStructure', () => {
  it('for the small test schema', async () => {
    const work = resolve(here, '../test-output/printer');
    mkdirSync(work, { recursive: true });
    const file = join(work, 'example.k8s.io_v1.json');
    writeFileSync(file, JSON.stringify(smallSchema, null, 2));
    expect(await compareBothPrinters([file])).toBeGreaterThan(5);
  });

  for (const schema of ['audit.k8s.io_v1.json', 'auditregistration.k8s.io_v1alpha1.json', 'kubeconfig_v1.json']) {
    it(`for the authored schema ${schema}`, async () => {
      const file = join(schemasDir, schema);
      expect(existsSync(file)).toBe(true);
      expect(await compareBothPrinters([file])).toBeGreaterThan(5);
    });
  }

  const specs = ['kubernetes-v1.18.0.definitions.json', 'kubernetes-v1.20.2.swagger.json', 'kubernetes-v1.36.0.definitions.json'];
  for (const spec of specs) {
    it.skipIf(!existsSync(specsDir))(`for core/v1 of ${spec}`, { timeout: 300_000 }, async () => {
      expect(await compareBothPrinters([join(specsDir, spec)], ['core/v1'])).toBeGreaterThan(500);
    });
  }
});

describe('fast printer refuses what it does not implement', () => {
  it('rejects an unknown field', () => {
    const structure: tsMorph.SourceFileStructure = {
      kind: StructureKind.SourceFile,
      statements: [{ kind: StructureKind.Interface, name: 'A', isExported: true, isDefaultExport: true }],
    };
    expect(() => printSourceFile(structure)).toThrow(UnsupportedStructureError);
    expect(() => printSourceFile(structure)).toThrow(/isDefaultExport/);
  });

  it('rejects an unknown statement kind', () => {
    const structure: tsMorph.SourceFileStructure = {
      kind: StructureKind.SourceFile,
      statements: [{ kind: tsMorph.StructureKind.Enum, name: 'E', members: [] }],
    };
    expect(() => printSourceFile(structure)).toThrow(/structure kind/);
  });
});

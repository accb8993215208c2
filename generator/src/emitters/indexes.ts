/**
 * Emits the barrels: `<G>/<V>/index.ts` re-exports everything of a group/version, and the top
 * `index.ts` re-exports the runtime names generated code is used with and every group/version. When two group/versions export the
 * same name, the top barrel keeps the one of the group/version the user asked for (then the first
 * in sorted order) and still offers every group/version as a namespace (`metaV1.ObjectMeta`).
 */
import type { ExportDeclarationStructure, SourceFileStructure } from 'ts-morph';
import { StructureKind } from './structure-kind.js';
import type { ApiModel, GroupVersionModel } from '../model/model.js';
import { compareStrings } from '@k8s-gen/runtime';
import { declaredNames } from '../model/declarations.js';
import {
  groupVersionIdentifier,
  groupVersionIndexPath,
  groupVersionKey,
  metadataFilePath,
  moduleSpecifier,
  RUNTIME_EXPORTS,
  runtimeSpecifier,
  TOP_INDEX_PATH,
  typeFilePath,
  type RuntimeSource,
} from '../model/naming.js';

/** The names a group/version barrel exports, split into values and type-only names. */
export function exportedNames(gv: GroupVersionModel): { values: string[]; types: string[] } {
  const names = declaredNames(gv);
  const of = (space: 'type' | 'value') => names.filter((n) => n.space === space).map((n) => n.name).sort(compareStrings);
  return { values: of('value'), types: of('type') };
}

/** The structure of `<G>/<V>/index.ts`. */
export function emitGroupVersionIndex(gv: GroupVersionModel): { path: string; structure: SourceFileStructure } {
  const path = groupVersionIndexPath(gv);
  const exports: ExportDeclarationStructure[] = [];
  for (const section of ['types', 'schemas', 'builders'] as const) {
    for (const type of gv.types) {
      if (section === 'builders' && type.kind !== 'struct') continue;
      exports.push({ kind: StructureKind.ExportDeclaration, moduleSpecifier: moduleSpecifier(path, typeFilePath(gv, section, type.name)) });
    }
  }
  exports.push({ kind: StructureKind.ExportDeclaration, moduleSpecifier: moduleSpecifier(path, metadataFilePath(gv)) });
  return { path, structure: { kind: StructureKind.SourceFile, statements: exports } };
}

/** The structure of the top `index.ts`. */
export function emitTopIndex(model: ApiModel, runtime: RuntimeSource): { path: string; structure: SourceFileStructure } {
  const primary = new Set(model.primary);
  const ordered = [...model.groupVersions].sort((a, b) => {
    const aPrimary = primary.has(groupVersionKey(a));
    const bPrimary = primary.has(groupVersionKey(b));
    return aPrimary !== bPrimary ? (aPrimary ? -1 : 1) : compareStrings(groupVersionKey(a), groupVersionKey(b));
  });
  const claimed = new Set<string>([...RUNTIME_EXPORTS.values, ...RUNTIME_EXPORTS.types]);
  const runtimeModule = runtimeSpecifier(TOP_INDEX_PATH, runtime);
  const statements: ExportDeclarationStructure[] = [
    { kind: StructureKind.ExportDeclaration, moduleSpecifier: runtimeModule, namedExports: [...RUNTIME_EXPORTS.values] },
    { kind: StructureKind.ExportDeclaration, moduleSpecifier: runtimeModule, namedExports: [...RUNTIME_EXPORTS.types], isTypeOnly: true },
  ];
  for (const gv of ordered) {
    const specifier = moduleSpecifier(TOP_INDEX_PATH, groupVersionIndexPath(gv));
    const names = exportedNames(gv);
    const free = (list: string[]) => list.filter((n) => !claimed.has(n));
    const values = free(names.values);
    const types = free(names.types);
    if (values.length === names.values.length && types.length === names.types.length) {
      statements.push({ kind: StructureKind.ExportDeclaration, moduleSpecifier: specifier });
    } else {
      if (values.length > 0) statements.push({ kind: StructureKind.ExportDeclaration, moduleSpecifier: specifier, namedExports: values });
      if (types.length > 0) statements.push({ kind: StructureKind.ExportDeclaration, moduleSpecifier: specifier, namedExports: types, isTypeOnly: true });
    }
    for (const n of [...values, ...types]) claimed.add(n);
  }
  if (model.groupVersions.length > 1) {
    for (const gv of [...model.groupVersions].sort((a, b) => compareStrings(groupVersionKey(a), groupVersionKey(b)))) {
      statements.push({ kind: StructureKind.ExportDeclaration, moduleSpecifier: moduleSpecifier(TOP_INDEX_PATH, groupVersionIndexPath(gv)), namespaceExport: groupVersionIdentifier(gv) });
    }
  }
  return { path: TOP_INDEX_PATH, structure: { kind: StructureKind.SourceFile, statements } };
}

/**
 * Emits the barrels: `<G>/<V>/index.ts` re-exports everything of a group/version, and the top
 * `index.ts` re-exports the runtime and every group/version. When two group/versions export the
 * same name, the top barrel keeps the one of the group/version the user asked for (then the first
 * in sorted order) and still offers every group/version as a namespace (`metaV1.ObjectMeta`).
 */
import type { ExportDeclarationStructure, SourceFileStructure } from 'ts-morph';
import { StructureKind } from './structure-kind.js';
import { compareStrings, groupVersionKey, type ApiModel, type GroupVersionModel } from '../model/model.js';
import { factoryName } from '../model/naming.js';
import { childBuilderName } from './builders.js';
import { groupVersionIdentifier } from './context.js';

/** Names the runtime exports; group/version names never shadow them in the top barrel. */
export const RUNTIME_EXPORTS = {
  values: ['Builder', 'commentOf', 'formatPath', 'problemsFromZod', 'setComment'],
  types: ['Buildable', 'Problem', 'ProblemsFromZodOptions', 'ValidationIssue'],
};

/** The names a group/version barrel exports, split into values and type-only names. */
export function exportedNames(gv: GroupVersionModel): { values: string[]; types: string[] } {
  const values = ['typeMetadata', 'typeVersions'];
  const types = ['FieldMetadata'];
  for (const type of gv.types) {
    types.push(type.name);
    values.push(`${type.name}Schema`);
    if (type.kind === 'enum') values.push(`${type.name}Values`);
    if (type.kind === 'struct') {
      values.push(`${type.name}Builder`, factoryName(type.name));
      for (const field of type.fields) {
        if (field.builder?.child !== undefined && field.type.kind === 'array' && field.type.items.kind === 'ref') {
          values.push(childBuilderName(field.type.items.name, type.name));
        }
      }
    }
  }
  return { values: values.sort(compareStrings), types: types.sort(compareStrings) };
}

/** The structure of `<G>/<V>/index.ts`. */
export function emitGroupVersionIndex(gv: GroupVersionModel): { path: string; structure: SourceFileStructure } {
  const exports: ExportDeclarationStructure[] = [];
  for (const section of ['types', 'schemas', 'builders'] as const) {
    for (const type of gv.types) {
      if (section === 'builders' && type.kind !== 'struct') continue;
      exports.push({ kind: StructureKind.ExportDeclaration, moduleSpecifier: `./${section}/${type.name}.js` });
    }
  }
  exports.push({ kind: StructureKind.ExportDeclaration, moduleSpecifier: './metadata.js' });
  return { path: `${gv.group}/${gv.version}/index.ts`, structure: { kind: StructureKind.SourceFile, statements: exports } };
}

/** The structure of the top `index.ts`. */
export function emitTopIndex(model: ApiModel): { path: string; structure: SourceFileStructure } {
  const primary = new Set(model.primary);
  const ordered = [...model.groupVersions].sort((a, b) => {
    const aPrimary = primary.has(groupVersionKey(a));
    const bPrimary = primary.has(groupVersionKey(b));
    return aPrimary !== bPrimary ? (aPrimary ? -1 : 1) : compareStrings(groupVersionKey(a), groupVersionKey(b));
  });
  const claimed = new Set([...RUNTIME_EXPORTS.values, ...RUNTIME_EXPORTS.types]);
  const statements: ExportDeclarationStructure[] = [{ kind: StructureKind.ExportDeclaration, moduleSpecifier: './_runtime.js' }];
  for (const gv of ordered) {
    const specifier = `./${gv.group}/${gv.version}/index.js`;
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
      statements.push({ kind: StructureKind.ExportDeclaration, moduleSpecifier: `./${gv.group}/${gv.version}/index.js`, namespaceExport: groupVersionIdentifier(gv) });
    }
  }
  return { path: 'index.ts', structure: { kind: StructureKind.SourceFile, statements } };
}

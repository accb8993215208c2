/**
 * Emits `<G>/<V>/metadata.ts`: the facts validators need about fields that the TypeScript types
 * cannot carry (which Kubernetes releases have a field, which fields hold secrets, the allowed
 * values of enum fields), keyed by type name and wire field name.
 */
import type { SourceFileStructure, WriterFunction } from 'ts-morph';
import { StructureKind, VariableDeclarationKind } from './structure-kind.js';
import { findType, type ApiModel, type FieldModel, type GroupVersionModel, type TypeRef } from '../model/model.js';
import { groupVersionKey, METADATA_NAMES, metadataFilePath, stringLiteral } from '../model/naming.js';
import { docs } from './context.js';

/** Allowed values of a field: declared inline, or those of the enum type it refers to (directly or as list items). */
function enumOf(model: ApiModel, field: FieldModel): readonly string[] | undefined {
  if (field.enumValues !== undefined) return field.enumValues;
  const target: TypeRef = field.type.kind === 'array' ? field.type.items : field.type;
  if (target.kind !== 'ref') return undefined;
  const type = findType(model, target);
  return type?.kind === 'enum' ? type.values : undefined;
}

/** The metadata entries of a field, as `key: value` code; empty when there is nothing to say. */
function fieldEntries(model: ApiModel, field: FieldModel): string[] {
  const entries: string[] = [];
  if (field.versions?.since !== undefined) entries.push(`since: ${stringLiteral(field.versions.since)}`);
  if (field.versions?.until !== undefined) entries.push(`until: ${stringLiteral(field.versions.until)}`);
  if (field.secret === true) entries.push('secret: true');
  const values = enumOf(model, field);
  if (values !== undefined) entries.push(`enum: [${values.map(stringLiteral).join(', ')}]`);
  return entries;
}

/** The structure of the metadata file of a group/version. */
export function emitMetadataFile(model: ApiModel, gv: GroupVersionModel): { path: string; structure: SourceFileStructure } {
  const rows: { type: string; fields: { wire: string; entries: string[] }[] }[] = [];
  const typeRanges: { type: string; entries: string[] }[] = [];
  for (const type of gv.types) {
    const range: string[] = [];
    if (type.versions?.since !== undefined) range.push(`since: ${stringLiteral(type.versions.since)}`);
    if (type.versions?.until !== undefined) range.push(`until: ${stringLiteral(type.versions.until)}`);
    if (range.length > 0) typeRanges.push({ type: type.name, entries: range });
    if (type.kind !== 'struct') continue;
    const fields = type.fields.map((f) => ({ wire: f.wireName, entries: fieldEntries(model, f) })).filter((f) => f.entries.length > 0);
    if (fields.length > 0) rows.push({ type: type.name, fields });
  }
  const typeMetadata: WriterFunction = (writer) => {
    writer.inlineBlock(() => {
      for (const row of rows) {
        writer.writeLine(`${stringLiteral(row.type)}: {`);
        writer.indent(() => {
          for (const field of row.fields) writer.writeLine(`${stringLiteral(field.wire)}: { ${field.entries.join(', ')} },`);
        });
        writer.writeLine('},');
      }
    });
  };
  const typeVersions: WriterFunction = (writer) => {
    writer.inlineBlock(() => {
      for (const row of typeRanges) writer.writeLine(`${stringLiteral(row.type)}: { ${row.entries.join(', ')} },`);
    });
  };
  return {
    path: metadataFilePath(gv),
    structure: {
      kind: StructureKind.SourceFile,
      statements: [
        {
          kind: StructureKind.Interface,
          name: METADATA_NAMES.fieldMetadata,
          isExported: true,
          docs: [docs({ fallback: 'What validators need to know about one field beyond its type.', example: "const info: FieldMetadata = { since: '1.23', enum: ['None', 'Metadata'] };" })],
          properties: [
            { name: 'since', hasQuestionToken: true, isReadonly: true, type: 'string', docs: [docs({ fallback: 'First Kubernetes release that has the field.', example: "const since = '1.23';" })] },
            { name: 'until', hasQuestionToken: true, isReadonly: true, type: 'string', docs: [docs({ fallback: 'Last Kubernetes release that has the field.', example: "const until = '1.18';" })] },
            { name: 'secret', hasQuestionToken: true, isReadonly: true, type: 'true', docs: [docs({ fallback: 'Set when the field holds a credential that must never be printed.', example: 'const secret = true;' })] },
            { name: 'enum', hasQuestionToken: true, isReadonly: true, type: 'readonly string[]', docs: [docs({ fallback: 'The values the field allows.', example: "const values = ['None', 'Metadata'];" })] },
          ],
        },
        {
          kind: StructureKind.VariableStatement,
          declarationKind: VariableDeclarationKind.Const,
          isExported: true,
          declarations: [{ kind: StructureKind.VariableDeclaration, name: METADATA_NAMES.typeMetadata, type: `Readonly<Record<string, Readonly<Record<string, ${METADATA_NAMES.fieldMetadata}>>>>`, initializer: typeMetadata }],
          docs: [
            docs({
              fallback: `Field metadata of ${groupVersionKey(gv)}, by type name and wire field name. Fields with nothing to record are left out.`,
              example: "const values = typeMetadata['PolicyRule']?.['level']?.enum;",
            }),
          ],
        },
        {
          kind: StructureKind.VariableStatement,
          declarationKind: VariableDeclarationKind.Const,
          isExported: true,
          declarations: [
            { kind: StructureKind.VariableDeclaration, name: METADATA_NAMES.typeVersions, type: `Readonly<Record<string, Pick<${METADATA_NAMES.fieldMetadata}, 'since' | 'until'>>>`, initializer: typeVersions },
          ],
          docs: [docs({ fallback: `The Kubernetes releases that have each type of ${groupVersionKey(gv)}; types every known release has are left out.`, example: "const range = typeVersions['AuditSink'];" })],
        },
      ],
    },
  };
}

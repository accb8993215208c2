/**
 * Emits `<G>/<V>/types/<Name>.ts`: an interface for each struct, a string-literal union plus a
 * `<Name>Values` array for each enum, a type alias for each alias.
 */
import type { SourceFileStructure, StatementStructures } from 'ts-morph';
import { StructureKind, VariableDeclarationKind } from './structure-kind.js';
import type { ApiModel, GroupVersionModel, TypeModel } from '../model/model.js';
import { apiVersionOf, propertyKey, stringLiteral, typeFilePath, valuesName } from '../model/naming.js';
import { builderExample, docs, ImportTracker, jsonToCode, sampleValue, typeText } from './context.js';

/** The structure of the types file of `type`. */
export function emitTypeFile(model: ApiModel, gv: GroupVersionModel, type: TypeModel): { path: string; structure: SourceFileStructure } {
  const path = typeFilePath(gv, 'types', type.name);
  const ownNames = type.kind === 'enum' ? [type.name, valuesName(type.name)] : [type.name];
  const imports = new ImportTracker(path, ownNames);
  const statements: StatementStructures[] = [];
  const typeDocs = docs({
    description: type.description,
    fallback: `The ${type.name} type.`,
    versions: type.versions,
    example: type.examples?.[0] !== undefined ? `const value: ${type.name} = ${jsonToCode(type.examples[0])};` : builderExample(type, model),
    remarks: type.kind === 'struct' && type.gvk !== undefined ? [`Kind \`${type.gvk.kind}\` of API version \`${apiVersionOf(type.gvk.group, type.gvk.version)}\`.`] : undefined,
  });
  if (type.kind === 'struct') {
    statements.push({
      kind: StructureKind.Interface,
      name: type.name,
      isExported: true,
      docs: [typeDocs],
      properties: type.fields.map((field) => ({
        kind: StructureKind.PropertySignature,
        name: propertyKey(field.wireName),
        hasQuestionToken: !field.required,
        type: typeText(field.type, imports),
        docs: [
          docs({
            description: field.description,
            fallback: `The \`${field.wireName}\` field.`,
            enumValues: field.enumValues,
            default: field.default,
            versions: field.versions,
            secret: field.secret,
            deprecated: field.deprecated,
            example: `const value: ${type.name}['${field.wireName}'] = ${sampleValue(field.type, model, field)};`,
          }),
        ],
      })),
    });
  } else if (type.kind === 'enum') {
    statements.push({
      kind: StructureKind.TypeAlias,
      name: type.name,
      isExported: true,
      type: type.values.map(stringLiteral).join(' | '),
      docs: [typeDocs],
    });
    statements.push({
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      isExported: true,
      declarations: [{ kind: StructureKind.VariableDeclaration, name: valuesName(type.name), initializer: `[${type.values.map(stringLiteral).join(', ')}] as const` }],
      docs: [
        docs({
          fallback: `Every value of {@link ${type.name}}, in the order the API documents them.`,
          example: `${valuesName(type.name)}.includes(${stringLiteral(type.values[0] ?? '')}); // true`,
        }),
      ],
    });
  } else {
    statements.push({ kind: StructureKind.TypeAlias, name: type.name, isExported: true, type: typeText(type.type, imports), docs: [typeDocs] });
  }
  return { path, structure: { kind: StructureKind.SourceFile, statements: [...imports.structures(), ...statements] } };
}

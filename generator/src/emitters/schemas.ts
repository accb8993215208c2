/**
 * Emits `<G>/<V>/schemas/<Name>.ts`: a zod 4 schema per type, written with zod's tree-shakeable
 * mini API (`import * as z from 'zod/mini'`, functions such as `z.optional(x)` rather than methods,
 * so bundlers keep only what a program uses) and typed `z.ZodMiniType<Name>`. Objects are
 * strict (unknown keys are errors). Fields that refer to other types are getters, so schemas that
 * refer to each other (directly or in a cycle) work whatever order their modules load in.
 */
import type { SourceFileStructure, StatementStructures, WriterFunction } from 'ts-morph';
import { StructureKind, VariableDeclarationKind } from './structure-kind.js';
import type { ApiModel, FieldModel, GroupVersionModel, TypeModel, TypeRef } from '../model/model.js';
import { propertyKey, schemaName as schemaNameOf, stringLiteral, typeFilePath, valuesName, ZOD_MODULE } from '../model/naming.js';
import { docs, ImportTracker, typeText } from './context.js';

/** True when the type reference mentions another generated type. */
function hasRef(ref: TypeRef): boolean {
  switch (ref.kind) {
    case 'ref':
      return true;
    case 'array':
      return hasRef(ref.items);
    case 'map':
      return hasRef(ref.values);
    case 'union':
      return ref.members.some(hasRef);
    default:
      return false;
  }
}

/** The zod expression validating values of `ref`. */
function zodExpression(ref: TypeRef, imports: ImportTracker): string {
  switch (ref.kind) {
    case 'primitive':
      return ref.name === 'integer' ? 'z.int()' : `z.${ref.name}()`;
    case 'literal':
      return `z.literal(${stringLiteral(ref.value)})`;
    case 'ref':
      return imports.use(typeFilePath(ref, 'schemas', ref.name), schemaNameOf(ref.name), false, ref);
    case 'array':
      return `z.array(${zodExpression(ref.items, imports)})`;
    case 'map':
      return `z.record(z.string(), ${zodExpression(ref.values, imports)})`;
    case 'union':
      if (ref.members.every((m) => m.kind === 'literal')) return `z.enum([${ref.members.map((m) => stringLiteral((m as { value: string }).value)).join(', ')}])`;
      return `z.union([${ref.members.map((m) => zodExpression(m, imports)).join(', ')}])`;
    case 'unknown':
      return 'z.unknown()';
    case 'object':
      return 'z.record(z.string(), z.unknown())';
  }
}

/** One property of a strict object schema: a plain property, or a getter when it refers to other schemas. */
type SchemaProperty = { getter: false; text: string } | { getter: true; signature: string; body: string };

function fieldProperty(field: FieldModel, imports: ImportTracker): SchemaProperty {
  const base = zodExpression(field.type, imports);
  const expression = field.required ? base : `z.optional(${base})`;
  const key = propertyKey(field.wireName);
  if (!hasRef(field.type)) return { getter: false, text: `${key}: ${expression},` };
  // The getter needs an explicit type: without one TypeScript cannot type schemas that refer to each other.
  const valueType = typeText(field.type, imports);
  const annotation = field.required ? `z.ZodMiniType<${valueType}>` : `z.ZodMiniOptional<z.ZodMiniType<${valueType}>>`;
  return { getter: true, signature: `get ${key}(): ${annotation} {`, body: `return ${expression};` };
}

/** The structure of the schema file of `type`. */
export function emitSchemaFile(_model: ApiModel, gv: GroupVersionModel, type: TypeModel): { path: string; structure: SourceFileStructure } {
  const path = typeFilePath(gv, 'schemas', type.name);
  const schemaName = schemaNameOf(type.name);
  const imports = new ImportTracker(path, [schemaName, 'z']);
  imports.useNamespace(ZOD_MODULE, 'z');
  const typeName = imports.use(typeFilePath(gv, 'types', type.name), type.name, true, gv);
  let initializer: string | WriterFunction;
  if (type.kind === 'struct') {
    const properties = type.fields.map((f) => fieldProperty(f, imports));
    initializer = (writer) => {
      if (properties.length === 0) {
        writer.write('z.strictObject({})');
        return;
      }
      writer.write('z.strictObject(');
      writer.inlineBlock(() => {
        for (const property of properties) {
          if (!property.getter) writer.writeLine(property.text);
          else writer.writeLine(property.signature).indent(() => writer.writeLine(property.body)).writeLine('},');
        }
      });
      writer.write(')');
    };
  } else if (type.kind === 'enum') {
    initializer = `z.enum(${imports.use(typeFilePath(gv, 'types', type.name), valuesName(type.name), false, gv)})`;
  } else {
    initializer = hasRef(type.type) ? `z.lazy(() => ${zodExpression(type.type, imports)})` : zodExpression(type.type, imports);
  }
  const statements: StatementStructures[] = [
    {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      isExported: true,
      declarations: [{ kind: StructureKind.VariableDeclaration, name: schemaName, type: `z.ZodMiniType<${typeName}>`, initializer }],
      docs: [
        docs({
          fallback:
            type.kind === 'struct'
              ? `Validates a {@link ${typeName}}: required fields must be present and unknown fields are rejected.`
              : `Validates a {@link ${typeName}}.`,
          example: `const result = ${schemaName}.safeParse(value);`,
        }),
      ],
    },
  ];
  return { path, structure: { kind: StructureKind.SourceFile, statements: [...imports.structures(), ...statements] } };
}

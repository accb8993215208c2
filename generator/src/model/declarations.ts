/**
 * What is declared for each type of a model: the names a group/version exports (types, schemas,
 * value lists, builders, factories, child builders, metadata) and the members of each builder.
 * Shared by the emitters and the model check, which refuses models where two of these collide.
 */
import type { FieldModel, GroupVersionModel, StructTypeModel, TypeModel } from './model.js';
import { builderName, childBuilderName, factoryName, METADATA_NAMES, schemaName, valuesName } from './naming.js';

/**
 * Fields that get a setter: all but the `apiVersion` and `kind` that a kind's builder fills in.
 *
 * @example
 * ```ts
 * settableFields(policyType).map((f) => f.memberName); // ['omitStages', 'rules', ...]
 * ```
 */
export function settableFields(type: StructTypeModel): FieldModel[] {
  return type.fields.filter((f) => !(type.gvk !== undefined && (f.wireName === 'apiVersion' || f.wireName === 'kind')));
}

/** A field with a child-builder hint, and the type of its entries. */
export interface ChildField {
  field: FieldModel;
  /** The child method (`rule`). */
  method: string;
  /** The type of the list's entries. */
  items: { group: string; version: string; name: string };
}

/**
 * The fields of a struct that get a child builder (`x-k8s-gen-builder: { child }` on a list of
 * references to a struct).
 *
 * @example
 * ```ts
 * childFields(policyType).map((c) => c.method); // ['rule']
 * ```
 */
export function childFields(type: StructTypeModel): ChildField[] {
  const out: ChildField[] = [];
  for (const field of type.fields) {
    const method = field.builder?.child;
    if (method !== undefined && field.type.kind === 'array' && field.type.items.kind === 'ref') out.push({ field, method, items: field.type.items });
  }
  return out;
}

/** One name a group/version exports, with what declares it. */
export interface DeclaredName {
  name: string;
  /** `type` for type-only exports, `value` for everything else. */
  space: 'type' | 'value';
  /** The type the name is generated for; undefined for the metadata names every group/version has. */
  type?: TypeModel;
  /** What the name is, in words: `the schema of type Policy`. */
  role: string;
}

/**
 * Every name a group/version exports, in declaration order: for each type its own name, its
 * schema, its value list (enums), its builder, factory and child builders (structs), then the
 * metadata names.
 *
 * @example
 * ```ts
 * declaredNames(gv).map((d) => d.name); // ['Level', 'LevelSchema', 'LevelValues', 'Policy', ...]
 * ```
 */
export function declaredNames(gv: GroupVersionModel): DeclaredName[] {
  const out: DeclaredName[] = [];
  for (const type of gv.types) {
    out.push({ name: type.name, space: 'type', type, role: `type ${type.name}` });
    out.push({ name: schemaName(type.name), space: 'value', type, role: `the schema of type ${type.name}` });
    if (type.kind === 'enum') out.push({ name: valuesName(type.name), space: 'value', type, role: `the values of enum ${type.name}` });
    if (type.kind === 'struct') {
      out.push({ name: builderName(type.name), space: 'value', type, role: `the builder of type ${type.name}` });
      out.push({ name: factoryName(type.name), space: 'value', type, role: `the builder factory of type ${type.name}` });
      for (const child of childFields(type)) {
        out.push({ name: childBuilderName(child.items.name, type.name), space: 'value', type, role: `the ${child.method}() child builder of type ${type.name}` });
      }
    }
  }
  out.push({ name: METADATA_NAMES.fieldMetadata, space: 'type', role: 'the field metadata interface' });
  out.push({ name: METADATA_NAMES.typeMetadata, space: 'value', role: 'the field metadata table' });
  out.push({ name: METADATA_NAMES.typeVersions, space: 'value', role: 'the type versions table' });
  return out;
}

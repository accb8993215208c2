/**
 * Reader for the authored JSON Schemas in `generator/schemas/` (draft 2020-12 style, types under
 * `$defs`). One file describes one group/version, named by the file-level `x-k8s-gen-group` and
 * `x-k8s-gen-version`. Our extensions:
 *
 * - `x-kubernetes-group-version-kind: [{ group, version, kind }]` on a def makes it a kind;
 * - `x-k8s-gen-versions: { since?, until? }` on a def or property records the Kubernetes releases
 *   that have it;
 * - `x-k8s-gen-builder: { child: 'rule' }` on an array-of-object property adds a child builder;
 * - `x-k8s-gen-secret: true` on a property marks a credential.
 */
import { GeneratorError } from '../errors.js';
import {
  type ApiModel,
  type FieldModel,
  type GroupVersionKind,
  type StructTypeModel,
  type TypeModel,
  type TypeRef,
  type VersionRange,
} from '../model/model.js';
import { apiVersionOf, groupVersionKey, hoistedPartName, hoistedTypeName, toMemberName, toTypeName } from '../model/naming.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when the document looks like an authored schema (it has `$defs` or our file-level keys). */
export function isAuthoredSchema(document: unknown): boolean {
  return isObject(document) && (isObject(document.$defs) || 'x-k8s-gen-group' in document);
}

/** Reads one authored schema file. `name` is the input name used in messages. */
export function readJsonSchema(document: unknown, name: string): ApiModel {
  if (!isObject(document)) throw new GeneratorError('not a JSON Schema object', name);
  const group = document['x-k8s-gen-group'];
  const version = document['x-k8s-gen-version'];
  if (typeof group !== 'string' || group === '') {
    throw new GeneratorError('missing file-level `x-k8s-gen-group` (the API group, e.g. "audit.k8s.io")', name);
  }
  if (typeof version !== 'string' || version === '') {
    throw new GeneratorError('missing file-level `x-k8s-gen-version` (the API version, e.g. "v1")', name);
  }
  if (!isObject(document.$defs)) throw new GeneratorError('missing `$defs` object holding the type definitions', name);
  const defs = document.$defs;
  const types: TypeModel[] = [];
  const context: ReadContext = { name, group, version, defs, types };
  for (const [defName, raw] of Object.entries(defs)) {
    if (!isObject(raw)) throw new GeneratorError(`\`$defs.${defName}\` is not a schema object`, name);
    readDef(context, defName, raw, `$defs.${defName}`);
  }
  return { sources: [name], groupVersions: [{ group, version, types }], primary: [groupVersionKey({ group, version })] };
}

interface ReadContext {
  name: string;
  group: string;
  version: string;
  defs: Json;
  /** Types in the order they were read; two with one name are left for the model check to report. */
  types: TypeModel[];
}

function versionsOf(schema: Json, path: string, context: ReadContext): VersionRange | undefined {
  const raw = schema['x-k8s-gen-versions'];
  if (raw === undefined) return undefined;
  if (!isObject(raw)) throw new GeneratorError(`${path}: \`x-k8s-gen-versions\` must be an object like { "since": "1.23" }`, context.name);
  const range: VersionRange = {};
  for (const key of ['since', 'until'] as const) {
    const value = raw[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !/^\d+\.\d+$/.test(value)) {
      throw new GeneratorError(`${path}: \`x-k8s-gen-versions.${key}\` must be a release like "1.23"`, context.name);
    }
    range[key] = value;
  }
  return range;
}

function commonOf(schema: Json, path: string, context: ReadContext): Pick<TypeModel, 'description' | 'examples' | 'versions'> {
  const common: Pick<TypeModel, 'description' | 'examples' | 'versions'> = {};
  if (typeof schema.description === 'string') common.description = schema.description;
  if (Array.isArray(schema.examples)) common.examples = schema.examples;
  const versions = versionsOf(schema, path, context);
  if (versions !== undefined) common.versions = versions;
  return common;
}

function gvkOf(schema: Json, path: string, context: ReadContext): GroupVersionKind | undefined {
  const list = schema['x-kubernetes-group-version-kind'];
  if (list === undefined) return undefined;
  const first: unknown = Array.isArray(list) ? list[0] : undefined;
  if (!isObject(first) || typeof first.group !== 'string' || typeof first.version !== 'string' || typeof first.kind !== 'string') {
    throw new GeneratorError(`${path}: \`x-kubernetes-group-version-kind\` must be [{ "group", "version", "kind" }]`, context.name);
  }
  return { group: first.group, version: first.version, kind: first.kind };
}

function isStringEnum(schema: Json): schema is Json & { enum: string[] } {
  return Array.isArray(schema.enum) && schema.enum.length > 0 && schema.enum.every((v) => typeof v === 'string');
}

/** Reads one `$defs` entry (or a hoisted inline object) into the type map. */
function readDef(context: ReadContext, defName: string, schema: Json, path: string): string {
  const name = toTypeName(defName);
  const common = commonOf(schema, path, context);
  const origin = `#/${path.replace(/\./g, '/')}`;
  if (isStringEnum(schema)) {
    context.types.push({ kind: 'enum', name, origin, values: [...schema.enum], ...common });
  } else if (isObject(schema.properties) || (schema.type === 'object' && schema.additionalProperties === false)) {
    // An object with declared properties (or explicitly none) is a struct; a bare `type: object`
    // is free-form and becomes an alias of Record<string, unknown>.
    const struct: StructTypeModel = { kind: 'struct', name, origin, fields: [], ...common };
    context.types.push(struct);
    const gvk = gvkOf(schema, path, context);
    if (gvk !== undefined) struct.gvk = gvk;
    struct.fields = readFields(context, name, schema, path, gvk);
  } else {
    context.types.push({ kind: 'alias', name, origin, type: toType(context, schema, path, name), ...common });
  }
  return name;
}

function readFields(context: ReadContext, typeName: string, schema: Json, path: string, gvk: GroupVersionKind | undefined): FieldModel[] {
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
  const properties = isObject(schema.properties) ? schema.properties : {};
  for (const key of required) {
    if (!(key in properties)) throw new GeneratorError(`${path}.required lists \`${key}\`, which is not a property`, context.name);
  }
  const fields: FieldModel[] = [];
  for (const [wireName, raw] of Object.entries(properties)) {
    const fieldPath = `${path}.properties.${wireName}`;
    if (!isObject(raw)) throw new GeneratorError(`${fieldPath} is not a schema object`, context.name);
    let type = toType(context, raw, fieldPath, hoistedTypeName(typeName, wireName));
    if (gvk !== undefined && wireName === 'apiVersion') type = { kind: 'literal', value: apiVersionOf(gvk.group, gvk.version) };
    if (gvk !== undefined && wireName === 'kind') type = { kind: 'literal', value: gvk.kind };
    const field: FieldModel = { wireName, memberName: toMemberName(wireName), type, required: required.has(wireName) };
    if (typeof raw.description === 'string') field.description = raw.description;
    if (raw.default !== undefined) field.default = raw.default;
    if (Array.isArray(raw.examples)) field.examples = raw.examples;
    const enumSource = isStringEnum(raw) ? raw : isObject(raw.items) && isStringEnum(raw.items) ? raw.items : undefined;
    if (enumSource !== undefined) field.enumValues = [...enumSource.enum];
    const versions = versionsOf(raw, fieldPath, context);
    if (versions !== undefined) field.versions = versions;
    if (raw['x-k8s-gen-secret'] === true) field.secret = true;
    if (raw.deprecated === true) field.deprecated = typeof raw.description === 'string' ? 'See the description.' : 'This field is deprecated.';
    const builder = raw['x-k8s-gen-builder'];
    if (builder !== undefined) {
      if (!isObject(builder) || typeof builder.child !== 'string' || !/^[a-z][A-Za-z0-9]*$/.test(builder.child)) {
        throw new GeneratorError(`${fieldPath}: \`x-k8s-gen-builder\` must be { "child": "<lowerCamel method name>" }`, context.name);
      }
      if (type.kind !== 'array' || type.items.kind !== 'ref') {
        throw new GeneratorError(`${fieldPath}: \`x-k8s-gen-builder.child\` needs an array whose items are a $ref to an object type`, context.name);
      }
      field.builder = { child: builder.child };
    }
    fields.push(field);
  }
  return fields;
}

/** Maps a schema to a type reference, hoisting inline objects with properties to named types. */
function toType(context: ReadContext, schema: Json, path: string, hoistName: string): TypeRef {
  if (typeof schema.$ref === 'string') {
    const match = /^#\/\$defs\/(.+)$/.exec(schema.$ref);
    if (match === null || !isObject(context.defs[match[1]!])) {
      throw new GeneratorError(`${path}: \`$ref\` "${schema.$ref}" does not name an entry of $defs (use "#/$defs/<Name>")`, context.name);
    }
    return { kind: 'ref', group: context.group, version: context.version, name: toTypeName(match[1]!) };
  }
  if (typeof schema.const === 'string') return { kind: 'literal', value: schema.const };
  if (isStringEnum(schema)) {
    const members: TypeRef[] = schema.enum.map((value) => ({ kind: 'literal', value }));
    return members.length === 1 ? members[0]! : { kind: 'union', members };
  }
  const options = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : undefined;
  if (options !== undefined) {
    return { kind: 'union', members: options.filter(isObject).map((o, i) => toType(context, o, `${path}.oneOf[${i}]`, hoistedPartName(hoistName, 'member', i))) };
  }
  if (schema['x-kubernetes-int-or-string'] === true) {
    return { kind: 'union', members: [{ kind: 'primitive', name: 'number' }, { kind: 'primitive', name: 'string' }] };
  }
  if (Array.isArray(schema.type)) {
    const members = schema.type.filter((t) => t !== 'null').map((t) => toType(context, { ...schema, type: t }, path, hoistName));
    return members.length === 1 ? members[0]! : { kind: 'union', members };
  }
  switch (schema.type) {
    case 'string':
      return typeof schema.format === 'string' ? { kind: 'primitive', name: 'string', format: schema.format } : { kind: 'primitive', name: 'string' };
    case 'integer':
    case 'number':
    case 'boolean':
      return { kind: 'primitive', name: schema.type };
    case 'array':
      return { kind: 'array', items: isObject(schema.items) ? toType(context, schema.items, `${path}.items`, hoistedPartName(hoistName, 'item')) : { kind: 'unknown' } };
    case 'object':
    case undefined:
      if (isObject(schema.properties)) {
        const name = readDef(context, hoistName, schema, path);
        return { kind: 'ref', group: context.group, version: context.version, name };
      }
      if (isObject(schema.additionalProperties)) {
        return { kind: 'map', values: toType(context, schema.additionalProperties, `${path}.additionalProperties`, hoistedPartName(hoistName, 'value')) };
      }
      if (schema['x-kubernetes-preserve-unknown-fields'] === true || schema.type === 'object') return { kind: 'object' };
      return { kind: 'unknown' };
    default:
      throw new GeneratorError(`${path}: unsupported \`type\` ${JSON.stringify(schema.type)}`, context.name);
  }
}

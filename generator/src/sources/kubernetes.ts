/**
 * Reader for the official Kubernetes API definitions: the OpenAPI v2 `swagger.json` of a release
 * and the JSON-Schema `_definitions.json` derived from it. Both keep every definition under
 * `definitions`, named like `io.k8s.api.core.v1.Pod`, and refer to each other with
 * `#/definitions/<name>`.
 *
 * Shapes that have a natural TypeScript form are mapped to it instead of to wrapper types:
 * IntOrString and Quantity become `number | string`, Time and MicroTime `string`, RawExtension,
 * FieldsV1 and objects with unknown fields `Record<string, unknown>`, JSON `unknown`.
 */
import { GeneratorError } from '../errors.js';
import { type ApiModel, type FieldModel, type GroupVersionKind, type GroupVersionModel, type StructTypeModel, type TypeRef } from '../model/model.js';
import { compareStrings, findKubernetesRelease } from '@k8s-gen/runtime';
import { apiVersionOf, groupVersionKey, locateDefinition, selectionKey, toMemberName, type GroupVersionName } from '../model/naming.js';

/** Options of {@link readKubernetesSpec}. */
export interface KubernetesSpecOptions {
  /** Name of the input, used in messages. */
  name: string;
  /** Group/versions to import, as `core/v1`, `apps/v1` or `networking.k8s.io/v1`. */
  select: string[];
  /** Called after each phase with the number of types handled so far. */
  onProgress?: (event: { phase: string; done: number; total: number }) => void;
}

type Json = Record<string, unknown>;

/** Where a definition lands in the output: its folder and TypeScript name (see `locateDefinition`). */
type Location = GroupVersionName & { name: string };

/** True when `value` is a plain JSON object. */
function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Extracts the definitions object, failing with a message that says what was expected. */
export function definitionsOf(document: unknown, name: string): Record<string, Json> {
  if (!isObject(document) || !isObject(document.definitions)) {
    throw new GeneratorError(
      'not an OpenAPI v2 document or Kubernetes definitions file (no `definitions` object); pass the swagger.json of a Kubernetes release (api/openapi-spec/swagger.json) or a _definitions.json',
      name,
    );
  }
  return document.definitions as Record<string, Json>;
}

/**
 * The shape of a definition that is not an object with properties, expressed as the type a field
 * referring to it gets; undefined for definitions that become named structs.
 */
function inlineShape(definitionName: string, definition: Json): TypeRef | undefined {
  if (definitionName.endsWith('.intstr.IntOrString') || definitionName.endsWith('.resource.Quantity')) {
    return { kind: 'union', members: [{ kind: 'primitive', name: 'number' }, { kind: 'primitive', name: 'string' }] };
  }
  if (isObject(definition.properties)) return undefined;
  return schemaToType(definition, () => ({ kind: 'unknown' }));
}

/** Maps a property schema to a type reference; `resolveRef` handles `$ref`. */
function schemaToType(schema: Json, resolveRef: (ref: string) => TypeRef): TypeRef {
  if (typeof schema.$ref === 'string') return resolveRef(schema.$ref);
  if (schema['x-kubernetes-int-or-string'] === true || schema.format === 'int-or-string') {
    return { kind: 'union', members: [{ kind: 'primitive', name: 'number' }, { kind: 'primitive', name: 'string' }] };
  }
  if (schema['x-kubernetes-preserve-unknown-fields'] === true && schema.type !== 'array') return { kind: 'object' };
  if (Array.isArray(schema.oneOf) || Array.isArray(schema.anyOf)) {
    const options = ((schema.oneOf ?? schema.anyOf) as unknown[]).filter(isObject);
    const members = options.map((o) => schemaToType(o, resolveRef));
    return members.length === 0 ? { kind: 'unknown' } : unionOf(members);
  }
  if (Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === 'string')) {
    return unionOf((schema.enum as string[]).map((value) => ({ kind: 'literal', value })));
  }
  switch (schema.type) {
    case 'string':
      return schema.format === undefined ? { kind: 'primitive', name: 'string' } : { kind: 'primitive', name: 'string', format: String(schema.format) };
    case 'integer':
    case 'number':
    case 'boolean':
      return { kind: 'primitive', name: schema.type };
    case 'array':
      return { kind: 'array', items: isObject(schema.items) ? schemaToType(schema.items, resolveRef) : { kind: 'unknown' } };
    case 'object':
      if (isObject(schema.additionalProperties)) {
        return { kind: 'map', values: schemaToType(schema.additionalProperties, resolveRef) };
      }
      return { kind: 'object' };
    default:
      return { kind: 'unknown' };
  }
}

/** A union with duplicate members removed; a single member stands for itself. */
function unionOf(members: TypeRef[]): TypeRef {
  const seen = new Map<string, TypeRef>();
  for (const member of members) {
    const integerAsNumber: TypeRef = member.kind === 'primitive' && member.name === 'integer' ? { kind: 'primitive', name: 'number' } : member;
    seen.set(JSON.stringify(integerAsNumber), integerAsNumber);
  }
  const unique = [...seen.values()];
  return unique.length === 1 ? unique[0]! : { kind: 'union', members: unique };
}

/** The single group/version/kind of a top-level object, or undefined for plain structs. */
function gvkOf(definition: Json): GroupVersionKind | undefined {
  const list = definition['x-kubernetes-group-version-kind'];
  if (!Array.isArray(list) || list.length !== 1 || !isObject(list[0])) return undefined;
  const properties = isObject(definition.properties) ? definition.properties : {};
  if (!('apiVersion' in properties) || !('kind' in properties)) return undefined;
  const { group, version, kind } = list[0] as Record<string, unknown>;
  if (typeof group !== 'string' || typeof version !== 'string' || typeof kind !== 'string') return undefined;
  return { group, version, kind };
}

/** The deprecation notice of a description that starts with "Deprecated". */
function deprecationOf(description: string | undefined): string | undefined {
  if (description === undefined) return undefined;
  const match = /^(?:deprecated)\b[:.]?\s*(.*)$/is.exec(description.trim());
  return match === null ? undefined : (match[1]!.split(/\n/)[0] ?? '').trim() || 'This field is deprecated.';
}

/** All group/version keys a definition answers to: its folder (`core/v1`) and its GVK (`apps/v1`). */
function selectionKeys(location: Location, definition: Json): string[] {
  const keys = [groupVersionKey(location)];
  const list = definition['x-kubernetes-group-version-kind'];
  if (Array.isArray(list) && list.length === 1 && isObject(list[0])) {
    const { group, version } = list[0] as { group?: unknown; version?: unknown };
    if (typeof group === 'string' && typeof version === 'string') keys.push(selectionKey(group, version));
  }
  return keys;
}

/**
 * Reads the selected group/versions of a Kubernetes spec, with every definition they reference
 * (directly or not) placed in its own group/version.
 */
export function readKubernetesSpec(document: unknown, options: KubernetesSpecOptions): ApiModel {
  const definitions = definitionsOf(document, options.name);
  const names = Object.keys(definitions).sort(compareStrings);
  const locations = new Map(names.map((n) => [n, locateDefinition(n)]));
  const inline = new Map<string, TypeRef>();
  for (const name of names) {
    const shape = inlineShape(name, definitions[name]!);
    if (shape !== undefined) inline.set(name, shape);
  }

  const wanted = new Set(options.select);
  const roots = names.filter(
    (n) => !inline.has(n) && selectionKeys(locations.get(n)!, definitions[n]!).some((k) => wanted.has(k)),
  );
  const missing = options.select.filter((s) => !roots.some((n) => selectionKeys(locations.get(n)!, definitions[n]!).includes(s)));
  if (missing.length > 0) {
    const available = [...new Set(names.filter((n) => !inline.has(n)).map((n) => groupVersionKey(locations.get(n)!)))].sort(compareStrings);
    throw new GeneratorError(
      `no definitions for ${missing.map((m) => `\`${m}\``).join(', ')}; available group/versions: ${available.join(', ')}`,
      options.name,
    );
  }
  options.onProgress?.({ phase: 'select', done: roots.length, total: roots.length });

  // Collect the transitive closure of referenced definitions, breadth first for a stable order.
  const included = new Set<string>();
  const queue = [...roots];
  const refTarget = (ref: string, from: string): string => {
    const target = ref.replace(/^#\/definitions\//, '');
    if (!(target in definitions)) {
      throw new GeneratorError(`definition \`${from}\` refers to \`${ref}\`, which the file does not define`, options.name);
    }
    return target;
  };
  const collectRefs = (schema: unknown, from: string, into: string[]): void => {
    if (Array.isArray(schema)) for (const item of schema) collectRefs(item, from, into);
    else if (isObject(schema)) {
      for (const [key, value] of Object.entries(schema)) {
        if (key === '$ref' && typeof value === 'string') into.push(refTarget(value, from));
        else if (key !== 'description') collectRefs(value, from, into);
      }
    }
  };
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (included.has(name) || inline.has(name)) continue;
    included.add(name);
    const refs: string[] = [];
    collectRefs(definitions[name], name, refs);
    queue.push(...refs);
  }

  const groupVersions = new Map<string, GroupVersionModel>();
  const resolveRef =
    (from: string) =>
    (ref: string): TypeRef => {
      const target = refTarget(ref, from);
      const shape = inline.get(target);
      if (shape !== undefined) return shape;
      const location = locations.get(target)!;
      return { kind: 'ref', group: location.group, version: location.version, name: location.name };
    };
  let done = 0;
  const ordered = [...included].sort(compareStrings);
  // Two definitions that land on one name (`a.v1.X`, `b.v1.X` in different Go packages named
  // alike) are both kept, for the model check to report.
  for (const name of ordered) {
    const definition = definitions[name]!;
    const location = locations.get(name)!;
    const type = readStruct(name, definition, location, resolveRef(name));
    const gvKey = groupVersionKey(location);
    let gv = groupVersions.get(gvKey);
    if (gv === undefined) {
      gv = { group: location.group, version: location.version, types: [] };
      groupVersions.set(gvKey, gv);
    }
    gv.types.push(type);
    done++;
  }
  options.onProgress?.({ phase: 'read', done, total: ordered.length });
  const rootKeys = new Set(roots.map((n) => groupVersionKey(locations.get(n)!)));
  return {
    sources: [options.name],
    groupVersions: [...groupVersions.values()],
    primary: [...rootKeys].sort(compareStrings),
  };
}

/** Turns one object definition into a struct type. */
function readStruct(definitionName: string, definition: Json, location: Location, resolveRef: (ref: string) => TypeRef): StructTypeModel {
  const gvk = gvkOf(definition);
  const required = new Set(Array.isArray(definition.required) ? (definition.required as unknown[]).filter((r) => typeof r === 'string') : []);
  const properties = isObject(definition.properties) ? definition.properties : {};
  const fields: FieldModel[] = [];
  for (const [wireName, raw] of Object.entries(properties)) {
    const schema = isObject(raw) ? raw : {};
    let type = schemaToType(schema, resolveRef);
    if (gvk !== undefined && wireName === 'apiVersion') {
      type = { kind: 'literal', value: apiVersionOf(gvk.group, gvk.version) };
    } else if (gvk !== undefined && wireName === 'kind') {
      type = { kind: 'literal', value: gvk.kind };
    }
    const field: FieldModel = { wireName, memberName: toMemberName(wireName), type, required: required.has(wireName) };
    const description = typeof schema.description === 'string' ? schema.description : undefined;
    if (description !== undefined) field.description = description;
    const deprecated = deprecationOf(description);
    if (deprecated !== undefined) field.deprecated = deprecated;
    if (type.kind === 'union' && type.members.every((m) => m.kind === 'literal') && wireName !== 'kind') {
      field.enumValues = type.members.map((m) => (m as { value: string }).value);
    }
    if (schema.default !== undefined) field.default = schema.default;
    fields.push(field);
  }
  const struct: StructTypeModel = { kind: 'struct', name: location.name, origin: definitionName, fields };
  if (gvk !== undefined) struct.gvk = gvk;
  if (typeof definition.description === 'string') struct.description = definition.description;
  return struct;
}

/**
 * The Kubernetes release (`1.20`) a spec describes: `info.version` of a swagger document when it
 * holds one, else the first `1.N` in the file name. Undefined when neither says.
 */
export function detectKubernetesVersion(document: unknown, inputName: string): string | undefined {
  if (isObject(document) && isObject(document.info) && typeof document.info.version === 'string') {
    const release = findKubernetesRelease(document.info.version);
    if (release !== undefined) return release;
  }
  return findKubernetesRelease(inputName.split(/[\\/]/).pop() ?? inputName);
}

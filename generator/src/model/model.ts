/**
 * The typed model of an API that every source reader produces and every emitter consumes.
 *
 * It is plain data (no classes, no methods) so that readers, the version merger and emitters stay
 * independent, and so that a model can be inspected or snapshotted in a test as JSON.
 *
 * @packageDocumentation
 */
import { compareStrings } from '@k8s-gen/runtime';
import { groupVersionKey } from './naming.js';

/** A Kubernetes release such as `'1.23'` (major.minor only). */
export type KubeVersion = string;

/** The Kubernetes releases that have a type or a field. Both ends are inclusive. */
export interface VersionRange {
  /** First release that has it; absent when every known release has it. */
  since?: KubeVersion;
  /** Last release that has it; absent when the newest known release still has it. */
  until?: KubeVersion;
}

/** Scalar types JSON can carry. `integer` is kept apart from `number` for validation. */
export type PrimitiveName = 'string' | 'integer' | 'number' | 'boolean';

/** How a field's value is typed. */
export type TypeRef =
  | { kind: 'primitive'; name: PrimitiveName; format?: string }
  | { kind: 'literal'; value: string }
  | { kind: 'ref'; group: string; version: string; name: string }
  | { kind: 'array'; items: TypeRef }
  | { kind: 'map'; values: TypeRef }
  | { kind: 'union'; members: TypeRef[] }
  | { kind: 'unknown' }
  | { kind: 'object' };

/** Hints that change the shape of a generated builder. */
export interface BuilderHints {
  /**
   * Name of the child-builder method for an array of objects (`rule` for `rules`), see the builder
   * protocol in ARCHITECTURE.md.
   */
  child?: string;
}

/** One property of an object type. */
export interface FieldModel {
  /** The key on the wire (`current-context`). */
  wireName: string;
  /** A name usable as a TypeScript method name (`currentContext`). */
  memberName: string;
  type: TypeRef;
  required: boolean;
  description?: string;
  /** Default value the server or consumer applies when the field is absent. */
  default?: unknown;
  /** Allowed values when the field is a closed set of strings declared inline. */
  enumValues?: string[];
  examples?: unknown[];
  versions?: VersionRange;
  /** True when the value is a credential (token, key, password) and must never be printed. */
  secret?: boolean;
  builder?: BuilderHints;
  /** Deprecation notice when the source marks the field as deprecated. */
  deprecated?: string;
}

/** The group, version and kind of a top-level API object. */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

interface TypeModelBase {
  /** TypeScript name, unique inside its group/version. */
  name: string;
  description?: string;
  examples?: unknown[];
  versions?: VersionRange;
  /** Where the type came from, e.g. `io.k8s.api.core.v1.Pod` or `#/$defs/Policy`. */
  origin: string;
}

/** An object type: a kind (when `gvk` is set) or a plain struct. */
export interface StructTypeModel extends TypeModelBase {
  kind: 'struct';
  gvk?: GroupVersionKind;
  /** Fields in wire order (the order objects are built and printed in). */
  fields: FieldModel[];
}

/** A closed set of string values. */
export interface EnumTypeModel extends TypeModelBase {
  kind: 'enum';
  values: string[];
}

/** A named alias of a non-object type (`type Quantity = number | string`). */
export interface AliasTypeModel extends TypeModelBase {
  kind: 'alias';
  type: TypeRef;
}

/** Any type of the model. */
export type TypeModel = StructTypeModel | EnumTypeModel | AliasTypeModel;

/** The types of one group/version (the output folder `<group>/<version>`). */
export interface GroupVersionModel {
  /** Folder name of the group: `core` for the legacy core group, `meta`, `audit.k8s.io`, ... */
  group: string;
  version: string;
  /** Types sorted by name. */
  types: TypeModel[];
}

/** A whole API as read from one or more sources. */
export interface ApiModel {
  /** Human-readable names of the inputs, printed in the header of every generated file. */
  sources: string[];
  /** Group/versions sorted by group then version. */
  groupVersions: GroupVersionModel[];
  /**
   * The group/versions the user asked for (`core/v1`); the others were pulled in because they are
   * referenced. The top index re-exports names of primary group/versions first.
   */
  primary: string[];
}

/** Looks a type up by reference; undefined when the model does not hold it. */
export function findType(model: ApiModel, ref: { group: string; version: string; name: string }): TypeModel | undefined {
  const gv = model.groupVersions.find((g) => g.group === ref.group && g.version === ref.version);
  return gv?.types.find((t) => t.name === ref.name);
}

/** Returns the model with group/versions and types in their canonical (sorted) order. */
export function sortModel(model: ApiModel): ApiModel {
  const groupVersions = [...model.groupVersions]
    .map((gv) => ({ ...gv, types: [...gv.types].sort((a, b) => compareStrings(a.name, b.name)) }))
    .sort((a, b) => compareStrings(groupVersionKey(a), groupVersionKey(b)));
  return { ...model, groupVersions, primary: [...model.primary].sort(compareStrings) };
}

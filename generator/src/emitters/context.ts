/**
 * Helpers shared by the emitters: file paths of generated files, per-file import bookkeeping,
 * TypeScript text of type references, TSDoc comments and sample values for examples.
 */
import type { ImportDeclarationStructure, WriterFunction } from 'ts-morph';
import { StructureKind } from './structure-kind.js';
import { type ApiModel, type FieldModel, type TypeModel, type TypeRef, type VersionRange } from '../model/model.js';
import { compareStrings } from '@k8s-gen/runtime';
import { factoryName, importAlias, moduleSpecifier, propertyKey, stringLiteral, typeFilePath, type GroupVersionName } from '../model/naming.js';

interface ImportEntry {
  typeOnly: Set<string>;
  values: Set<string>;
  /** The local name of a namespace import (`import * as z`), when the module is imported whole. */
  namespace?: string;
}

/**
 * Collects the imports of one generated file and gives each imported symbol a local name that
 * does not clash with the file's own declarations or with a same-named symbol of another
 * group/version.
 */
export class ImportTracker {
  readonly #file: string;
  readonly #modules = new Map<string, ImportEntry>();
  readonly #localNames = new Map<string, string>(); // local name -> owner key

  constructor(file: string, ownNames: string[]) {
    this.#file = file;
    for (const name of ownNames) this.#localNames.set(name, `own:${name}`);
  }

  /**
   * Imports `name` from the generated file `target` (of group/version `from`) and returns the
   * local name to use.
   */
  use(target: string, name: string, typeOnly: boolean, from: GroupVersionName): string {
    if (target === this.#file) return name;
    const owner = `${target}#${name}`;
    let local = name;
    const taken = this.#localNames.get(local);
    if (taken !== undefined && taken !== owner) local = importAlias(from, name);
    this.#localNames.set(local, owner);
    const specifier = moduleSpecifier(this.#file, target);
    const entry = this.#modules.get(specifier) ?? { typeOnly: new Set<string>(), values: new Set<string>() };
    const clause = local === name ? name : `${name} as ${local}`;
    if (typeOnly) entry.typeOnly.add(clause);
    else entry.values.add(clause);
    this.#modules.set(specifier, entry);
    return local;
  }

  /**
   * Imports a package whole under `name` (`import * as z from 'zod/mini'`): bundlers drop the
   * members a namespace import does not use, where a named re-export of a namespace
   * (`import { z }`) keeps all of them.
   */
  useNamespace(specifier: string, name: string): string {
    const entry = this.#modules.get(specifier) ?? { typeOnly: new Set<string>(), values: new Set<string>() };
    entry.namespace = name;
    this.#modules.set(specifier, entry);
    return name;
  }

  /** Adds a fixed named import such as the runtime's `Builder`. */
  useModule(specifier: string, name: string, typeOnly: boolean): string {
    const entry = this.#modules.get(specifier) ?? { typeOnly: new Set<string>(), values: new Set<string>() };
    (typeOnly ? entry.typeOnly : entry.values).add(name);
    this.#modules.set(specifier, entry);
    return name;
  }

  /**
   * Import declarations, sorted so output does not depend on the order symbols were used in,
   * followed by a blank line when there are any.
   */
  structures(): (ImportDeclarationStructure | WriterFunction)[] {
    const out: (ImportDeclarationStructure | WriterFunction)[] = [];
    const specifiers = [...this.#modules.keys()].sort((a, b) => {
      const aPackage = !a.startsWith('.');
      const bPackage = !b.startsWith('.');
      return aPackage !== bPackage ? (aPackage ? -1 : 1) : compareStrings(a, b);
    });
    for (const specifier of specifiers) {
      const entry = this.#modules.get(specifier)!;
      if (entry.namespace !== undefined) out.push({ kind: StructureKind.ImportDeclaration, moduleSpecifier: specifier, namespaceImport: entry.namespace });
      const values = [...entry.values].sort(compareStrings);
      const types = [...entry.typeOnly].filter((t) => !entry.values.has(t)).sort(compareStrings);
      if (values.length > 0) out.push({ kind: StructureKind.ImportDeclaration, moduleSpecifier: specifier, namedImports: values });
      if (types.length > 0) out.push({ kind: StructureKind.ImportDeclaration, moduleSpecifier: specifier, namedImports: types, isTypeOnly: true });
    }
    if (out.length > 0) out.push((writer) => writer.blankLineIfLastNot());
    return out;
  }
}

/** Imports the type a reference points at and returns its local name. */
export function importType(imports: ImportTracker, ref: Extract<TypeRef, { kind: 'ref' }>): string {
  return imports.use(typeFilePath(ref, 'types', ref.name), ref.name, true, ref);
}

/** The TypeScript type text of a reference, importing what it needs. */
export function typeText(ref: TypeRef, imports: ImportTracker): string {
  switch (ref.kind) {
    case 'primitive':
      return ref.name === 'integer' ? 'number' : ref.name;
    case 'literal':
      return stringLiteral(ref.value);
    case 'ref':
      return importType(imports, ref);
    case 'array': {
      const items = typeText(ref.items, imports);
      return ref.items.kind === 'union' ? `(${items})[]` : `${items}[]`;
    }
    case 'map':
      return `Record<string, ${typeText(ref.values, imports)}>`;
    case 'union':
      return ref.members.map((m) => typeText(m, imports)).join(' | ');
    case 'unknown':
      return 'unknown';
    case 'object':
      return 'Record<string, unknown>';
  }
}


/** What a TSDoc comment says about a type, field or method. */
export interface DocParts {
  description?: string;
  /** Used when there is no description. */
  fallback: string;
  enumValues?: readonly string[];
  default?: unknown;
  versions?: VersionRange;
  secret?: boolean;
  deprecated?: string;
  /** Code shown under `@example`. */
  example?: string;
  /** Extra sentences for the remarks section. */
  remarks?: string[];
}

/** Makes prose safe inside a TSDoc comment. */
function escapeDoc(text: string): string {
  return text.replace(/@/g, '\\@').replace(/\r\n?/g, '\n').trim();
}

/** "Available in Kubernetes 1.23 and later." and the like. */
export function versionSentence(versions: VersionRange | undefined): string | undefined {
  if (versions === undefined) return undefined;
  if (versions.since !== undefined && versions.until !== undefined) return `Available in Kubernetes ${versions.since} to ${versions.until}.`;
  if (versions.since !== undefined) return `Available in Kubernetes ${versions.since} and later.`;
  if (versions.until !== undefined) return `Available in Kubernetes ${versions.until} and earlier.`;
  return undefined;
}

/**
 * Builds the TSDoc comment of a declaration, tags included, as the text the structure printer
 * puts between the comment delimiters. One string per comment (rather than one tag structure per
 * tag) keeps printing fast: the printer creates a writer for every tag structure.
 */
export function docs(parts: DocParts): string {
  const sections: string[] = [];
  sections.push(parts.description !== undefined && parts.description.trim() !== '' ? escapeDoc(parts.description) : parts.fallback);
  const remarks: string[] = [...(parts.remarks ?? [])];
  if (parts.enumValues !== undefined && parts.enumValues.length > 0) {
    remarks.push(`Allowed values: ${parts.enumValues.map((v) => `\`${escapeDoc(v)}\``).join(', ')}.`);
  }
  const versions = versionSentence(parts.versions);
  if (versions !== undefined) remarks.push(versions);
  if (parts.secret === true) remarks.push('Holds a credential: it is never printed or logged, and files holding it are written with mode 0600.');
  if (remarks.length > 0) sections.push(`@remarks\n${remarks.join('\n\n')}`);
  if (parts.default !== undefined) sections.push(`@defaultValue \`${escapeDoc(JSON.stringify(parts.default))}\``);
  if (parts.deprecated !== undefined) sections.push(`@deprecated ${escapeDoc(parts.deprecated)}`);
  if (parts.example !== undefined) sections.push(`@example\n\`\`\`ts\n${parts.example}\n\`\`\``);
  // Names from the input (wire names, kinds) reach fallbacks and examples unescaped: no text may
  // end the comment.
  return sections.join('\n').replace(/\*\//g, '*\\/');
}

/** A short sample value of a type, as code, for examples. */
export function sampleValue(ref: TypeRef, model: ApiModel, field?: FieldModel, depth = 0): string {
  if (field?.examples !== undefined && field.examples.length > 0) return jsonToCode(field.examples[0]);
  if (field?.enumValues !== undefined && field.enumValues.length > 0) {
    return ref.kind === 'array' ? `[${stringLiteral(field.enumValues[0]!)}]` : stringLiteral(field.enumValues[0]!);
  }
  switch (ref.kind) {
    case 'primitive':
      return ref.name === 'string' ? (ref.format === 'date-time' ? "'2024-01-01T00:00:00Z'" : "'example'") : ref.name === 'boolean' ? 'true' : '1';
    case 'literal':
      return stringLiteral(ref.value);
    case 'union':
      return sampleValue(ref.members[0]!, model, undefined, depth);
    case 'array':
      return `[${sampleValue(ref.items, model, undefined, depth + 1)}]`;
    case 'map':
      return `{ key: ${sampleValue(ref.values, model, undefined, depth + 1)} }`;
    case 'unknown':
    case 'object':
      return '{}';
    case 'ref': {
      const target = model.groupVersions.find((g) => g.group === ref.group && g.version === ref.version)?.types.find((t) => t.name === ref.name);
      if (target === undefined || depth > 1) return '{}';
      if (target.kind === 'enum') return stringLiteral(target.values[0] ?? '');
      if (target.kind === 'alias') return sampleValue(target.type, model, undefined, depth + 1);
      const firstField = target.fields.find((f) => f.type.kind !== 'literal');
      if (firstField === undefined) return '{}';
      return `{ ${propertyKey(firstField.wireName)}: ${sampleValue(firstField.type, model, firstField, depth + 1)} }`;
    }
  }
}

/** A JSON value written as TypeScript code with single-quoted strings. */
export function jsonToCode(value: unknown): string {
  if (typeof value === 'string') return stringLiteral(value);
  if (Array.isArray(value)) return `[${value.map(jsonToCode).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([k, v]) => `${propertyKey(k)}: ${jsonToCode(v)}`);
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** The arguments of a setter call in an example. */
export function exampleArguments(model: ApiModel, field: FieldModel): string {
  if (field.type.kind === 'array') {
    const example = field.examples?.[0];
    if (Array.isArray(example) && example.length > 0) return example.map(jsonToCode).join(', ');
    const { examples: _ignored, ...withoutExamples } = field;
    return sampleValue(field.type.items, model, withoutExamples);
  }
  return sampleValue(field.type, model, field);
}

/** A short builder chain that creates a value of the type, for the type's `@example`. */
export function builderExample(type: TypeModel, model: ApiModel): string {
  const factory = factoryName(type.name);
  if (type.kind !== 'struct') return `const value: ${type.name} = ${type.kind === 'enum' ? stringLiteral(type.values[0] ?? '') : sampleValue(type.type, model)};`;
  const setters = type.fields.filter((f) => f.type.kind !== 'literal' && f.memberName !== 'status').slice(0, 2);
  const calls = setters.map((f) => `.${f.memberName}(${exampleArguments(model, f)})`).join('');
  return `const value: ${type.name} = ${factory}()${calls}.build();`;
}

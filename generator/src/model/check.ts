/**
 * The model check: the pass between building a model and emitting it. It refuses every model the
 * emitters would turn into code that does not compile, that silently drops a field, or whose
 * structure an input could change: names that collide in a group/version (also when only their
 * case differs, as files on macOS and Windows do), builder members that collide after
 * camel-casing or with the builder's own members, dangling references, duplicate wire names,
 * shapes the emitters cannot express, and names of folders or inputs that would leave their place
 * in the output. Each issue says where in the input it is (a JSON pointer) and what to do.
 */
import { isDnsSubdomain, unsafeCharacterIn } from '@k8s-gen/runtime';
import type { GeneratorIssue } from '../errors.js';
import { childFields, declaredNames, settableFields, type DeclaredName } from './declarations.js';
import { findType, type ApiModel, type FieldModel, type GroupVersionModel, type StructTypeModel, type TypeModel, type TypeRef } from './model.js';
import { BUILDER_MEMBERS, groupVersionKey, isIdentifier, RUNTIME_IMPORTS_OF_BUILDERS, VERSION_SEGMENT } from './naming.js';

/** A JSON pointer segment: `~` and `/` escaped. */
function pointerSegment(text: string): string {
  return text.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Where a type is in its input, as a JSON pointer: authored types record one as their origin
 * (`#/$defs/Policy`); Kubernetes definitions are named (`io.k8s.api.core.v1.Pod`) and live under
 * `#/definitions`.
 */
export function typePointer(type: TypeModel): string {
  return type.origin.startsWith('#') ? type.origin : `#/definitions/${pointerSegment(type.origin)}`;
}

/** Where a field of a type is in its input. */
function fieldPointer(type: TypeModel, field: FieldModel): string {
  return `${typePointer(type)}/properties/${pointerSegment(field.wireName)}`;
}

/** A folder name of the output: lower-case words joined by `.` or `-`, as API groups and Go packages are named. */

/** What a name is, for messages: `type Pod (#/definitions/io.k8s.api.core.v1.Pod)`. */
function described(declared: DeclaredName): string {
  return declared.type === undefined ? declared.role : `${declared.role} (${typePointer(declared.type)})`;
}

/** The folder names of a group/version. */
function checkFolders(gv: GroupVersionModel, at: string, issues: GeneratorIssue[]): void {
  if (!isDnsSubdomain(gv.group)) {
    issues.push({
      path: at,
      message: `the group \`${gv.group}\` cannot name an output folder (only lower-case letters, digits, \`-\` and \`.\` between them)`,
      fix: 'name the group like an API group, e.g. `example.k8s.io`',
    });
  }
  if (!VERSION_SEGMENT.test(gv.version) && gv.version !== 'unversioned') {
    issues.push({ path: at, message: `the version \`${gv.version}\` is not an API version`, fix: 'write it like `v1`, `v1beta1` or `v2alpha1`' });
  }
}

/** Every name a group/version declares must be declared once, whatever its case for file names. */
function checkNames(gv: GroupVersionModel, issues: GeneratorIssue[]): void {
  const byName = new Map<string, DeclaredName>();
  for (const declared of declaredNames(gv)) {
    const earlier = byName.get(declared.name);
    if (earlier === undefined) {
      byName.set(declared.name, declared);
      continue;
    }
    if (earlier.type !== undefined && earlier.type.name === declared.type?.name) {
      // Two types of one name: reported once, for the type, not again for each derived name.
      if (declared.space === 'type') {
        issues.push({
          path: typePointer(declared.type),
          message: `two types are named \`${declared.name}\` in ${groupVersionKey(gv)}: ${typePointer(earlier.type)} and ${typePointer(declared.type)}`,
          fix: 'rename one of the two definitions',
        });
      }
      continue;
    }
    const owner = declared.type ?? earlier.type;
    issues.push({
      path: owner === undefined ? '' : typePointer(owner),
      message: `\`${declared.name}\` would name both ${described(earlier)} and ${described(declared)} in ${groupVersionKey(gv)}`,
      fix: 'rename one of the two definitions',
    });
  }
  const files = new Map<string, TypeModel>();
  for (const type of gv.types) {
    const earlier = files.get(type.name.toLowerCase());
    if (earlier !== undefined && earlier.name !== type.name) {
      issues.push({
        path: typePointer(type),
        message: `types \`${earlier.name}\` and \`${type.name}\` differ only in case, so their files collide on case-insensitive file systems (macOS, Windows)`,
        fix: 'rename one of the two definitions',
      });
    }
    files.set(type.name.toLowerCase(), type);
    if (!isIdentifier(type.name)) {
      issues.push({ path: typePointer(type), message: `\`${type.name}\` is not a TypeScript identifier`, fix: 'name the type with letters and digits only' });
    } else if (RUNTIME_IMPORTS_OF_BUILDERS.includes(type.name)) {
      issues.push({
        path: typePointer(type),
        message: `a type named \`${type.name}\` clashes with the runtime's \`${type.name}\`, which every generated builder imports`,
        fix: 'rename the definition',
      });
    }
  }
}

/** The problems of one type reference: dangling references and shapes the emitters cannot express. */
function checkRef(model: ApiModel, ref: TypeRef, at: string, issues: GeneratorIssue[]): void {
  switch (ref.kind) {
    case 'ref':
      if (findType(model, ref) === undefined) {
        issues.push({
          path: at,
          message: `refers to \`${ref.name}\` of ${groupVersionKey(ref)}, which no input defines`,
          fix: `define \`${ref.name}\`, or give the input that defines ${groupVersionKey(ref)} as well`,
        });
      }
      return;
    case 'array':
      checkRef(model, ref.items, at, issues);
      return;
    case 'map':
      checkRef(model, ref.values, at, issues);
      return;
    case 'union':
      if (ref.members.length === 0) issues.push({ path: at, message: 'is a union of no types (an empty `oneOf` or `anyOf`), which no value matches', fix: 'list at least one type, or remove the field' });
      for (const member of ref.members) checkRef(model, member, at, issues);
      return;
    default:
      return;
  }
}

/** The builder of a struct must have one member per name, none of them the builder's own. */
function checkBuilder(model: ApiModel, type: StructTypeModel, issues: GeneratorIssue[]): void {
  const members = new Map<string, FieldModel>();
  for (const field of settableFields(type)) {
    const at = fieldPointer(type, field);
    if (!isIdentifier(field.memberName) || BUILDER_MEMBERS.has(field.memberName)) {
      issues.push({
        path: at,
        message: `the builder member \`${field.memberName}\` of \`${field.wireName}\` is ${BUILDER_MEMBERS.has(field.memberName) ? `one of the builder's own members (${[...BUILDER_MEMBERS].join(', ')})` : 'not an identifier'}`,
        fix: 'give the field a member name of letters and digits that the builder does not use',
      });
      continue;
    }
    const earlier = members.get(field.memberName);
    if (earlier !== undefined) {
      issues.push({
        path: at,
        message: `\`${earlier.wireName}\` and \`${field.wireName}\` of ${type.name} both become the builder method \`${field.memberName}()\``,
        fix: 'rename one of the two properties',
      });
    }
    members.set(field.memberName, field);
  }
  const methods = new Map<string, FieldModel>();
  for (const { field, method, items } of childFields(type)) {
    const at = `${fieldPointer(type, field)}/x-k8s-gen-builder/child`;
    if (!/^[a-z][A-Za-z0-9]*$/.test(method)) {
      issues.push({ path: at, message: `the child builder method \`${method}\` is not a lowerCamel identifier`, fix: 'name it like `rule`' });
    }
    const clash = BUILDER_MEMBERS.has(method) ? "the builder's own member" : members.has(method) ? `the setter of \`${members.get(method)!.wireName}\`` : methods.has(method) ? `the child builder of \`${methods.get(method)!.wireName}\`` : undefined;
    if (clash !== undefined) {
      issues.push({ path: at, message: `the child builder method \`${method}()\` of ${type.name}.${field.wireName} clashes with ${clash} of that name`, fix: 'pick another method name' });
    }
    methods.set(method, field);
    const child = findType(model, items);
    if (child === undefined) continue; // reported as a dangling reference
    if (child.kind !== 'struct') {
      issues.push({ path: at, message: `a child builder needs a list of objects, but the entries of \`${field.wireName}\` are ${child.kind === 'enum' ? 'enum values' : 'not objects'}`, fix: 'remove `x-k8s-gen-builder` from the field' });
      continue;
    }
    const shadowed = settableFields(child).find((f) => f.memberName === method);
    if (shadowed !== undefined && shadowed.type.kind === 'array') {
      issues.push({
        path: at,
        message: `the child builder method \`${method}()\` of ${type.name}.${field.wireName} clashes with the list field \`${shadowed.wireName}\` of ${child.name}`,
        fix: 'pick another method name',
      });
    }
  }
  for (const field of type.fields) {
    if (field.builder?.child !== undefined && !(field.type.kind === 'array' && field.type.items.kind === 'ref')) {
      issues.push({ path: `${fieldPointer(type, field)}/x-k8s-gen-builder`, message: 'a child builder needs a list whose entries refer to an object type', fix: 'remove `x-k8s-gen-builder`, or make the field an array of `$ref`s' });
    }
  }
}

/** The problems of one type. */
function checkType(model: ApiModel, type: TypeModel, issues: GeneratorIssue[]): void {
  if (type.kind === 'enum') {
    if (type.values.length === 0) issues.push({ path: typePointer(type), message: `enum \`${type.name}\` has no values`, fix: 'list at least one value' });
    return;
  }
  if (type.kind === 'alias') {
    checkRef(model, type.type, typePointer(type), issues);
    return;
  }
  const wireNames = new Set<string>();
  for (const field of type.fields) {
    if (wireNames.has(field.wireName)) {
      issues.push({ path: fieldPointer(type, field), message: `\`${field.wireName}\` is a field of ${type.name} twice`, fix: 'keep one of the two' });
    }
    wireNames.add(field.wireName);
    checkRef(model, field.type, fieldPointer(type, field), issues);
  }
  checkBuilder(model, type, issues);
}

/**
 * Checks a model before it is emitted and returns what is wrong with it, empty when it can be
 * emitted. `generate` and `buildModel` run it on every model they read; call it yourself when you
 * build or change a model by hand before `emitModel`.
 *
 * @example
 * ```ts
 * const issues = checkModel(model);
 * if (issues.length > 0) throw GeneratorError.fromIssues(issues, 'my-model');
 * ```
 */
export function checkModel(model: ApiModel): GeneratorIssue[] {
  const issues: GeneratorIssue[] = [];
  for (const source of model.sources) {
    const unsafe = unsafeCharacterIn(source, { allowWhiteSpace: true });
    if (unsafe !== undefined) {
      issues.push({
        path: '',
        message: `the name of the input holds ${unsafe.description} at position ${unsafe.index}, which would break the header comment of every generated file`,
        fix: 'rename the file, or pass it on standard input (-)',
      });
    }
  }
  for (const gv of model.groupVersions) {
    const first = gv.types[0];
    checkFolders(gv, first === undefined ? '' : first.origin.startsWith('#') ? '#/x-k8s-gen-group' : typePointer(first), issues);
    checkNames(gv, issues);
    for (const type of gv.types) checkType(model, type, issues);
  }
  return issues;
}

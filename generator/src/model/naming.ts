/**
 * Every name the generator writes, in one place, so that a name never depends on which reader or
 * emitter computed it: TypeScript names of types and of what is generated for them (schemas,
 * value lists, builders, factories, child builders), member names, the folders and files of the
 * output, namespace exports, and the `apiVersion` of a group/version. Readers and emitters only
 * call these functions; `test/naming.test.ts` holds one test per rule.
 */
import { posix } from 'node:path';

/** Words that cannot name a function, class or variable in strict-mode ES modules. */
const RESERVED_WORDS = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally ' +
    'for function if import in instanceof new null return super switch this throw true try typeof var void ' +
    'while with yield let static implements interface package private protected public await arguments eval'
  ).split(' '),
);

/**
 * Members every generated builder has (from the runtime's `Builder` and the child-builder
 * protocol); a field whose member name would be one of them gets a `Field` suffix.
 */
export const BUILDER_MEMBERS: ReadonlySet<string> = new Set(['build', 'end', 'comment', 'constructor', 'buildSelf', 'setField', 'appendField']);

/** Splits a raw name at every character that cannot be part of an identifier. */
function words(raw: string): string[] {
  return raw.split(/[^A-Za-z0-9]+/).filter((part) => part.length > 0);
}

/** `Foo` for `foo`: the first character upper-cased. */
function capitalize(word: string): string {
  return word.length === 0 ? word : word[0]!.toUpperCase() + word.slice(1);
}

/**
 * The lowerCamel builder member of a wire name: `current-context` gives `currentContext`; names
 * starting with a digit get a `field` prefix, names of builder members a `Field` suffix.
 *
 * @example
 * ```ts
 * toMemberName('current-context'); // 'currentContext'
 * toMemberName('build');           // 'buildField'
 * ```
 */
export function toMemberName(wireName: string): string {
  const parts = words(wireName);
  if (parts.length === 0) return 'field';
  const joined = parts.map((p, i) => (i === 0 ? p : capitalize(p))).join('');
  const camel = joined[0]!.toLowerCase() + joined.slice(1);
  const safe = /^[0-9]/.test(camel) ? `field${camel}` : camel;
  return BUILDER_MEMBERS.has(safe) ? `${safe}Field` : safe;
}

/**
 * The PascalCase TypeScript name of a schema or definition name; names starting with a digit get
 * a `T` prefix.
 *
 * @example
 * ```ts
 * toTypeName('group-resources'); // 'GroupResources'
 * ```
 */
export function toTypeName(raw: string): string {
  const joined = words(raw).map(capitalize).join('');
  if (joined.length === 0) return 'Unnamed';
  return /^[0-9]/.test(joined) ? `T${joined}` : joined;
}

/**
 * The name of a type hoisted from an inline object of an authored schema: the parent's name and
 * the field's (`Policy` + `spec` gives `PolicySpec`).
 *
 * @example
 * ```ts
 * hoistedTypeName('Policy', 'spec'); // 'PolicySpec'
 * ```
 */
export function hoistedTypeName(parentType: string, wireName: string): string {
  return parentType + toTypeName(wireName);
}

/**
 * The names inline objects in other places of a field get, derived from the field's hoisted
 * name: list items drop a plural `s`, map values add `Value`, union members their index.
 *
 * @example
 * ```ts
 * hoistedPartName('PolicyRules', 'item');       // 'PolicyRule'
 * hoistedPartName('PolicyLabels', 'value');     // 'PolicyLabelsValue'
 * hoistedPartName('PolicyTarget', 'member', 1); // 'PolicyTarget1'
 * ```
 */
export function hoistedPartName(hoistName: string, part: 'item' | 'value' | 'member', index = 0): string {
  if (part === 'item') return hoistName.replace(/s$/, '');
  if (part === 'value') return `${hoistName}Value`;
  return `${hoistName}${index}`;
}

/**
 * The factory function of a type's builder: `Pod` gives `pod`, `HTTPGetAction` `httpGetAction`,
 * and a reserved word gets a trailing `_` (`Function` gives `function_`).
 *
 * @example
 * ```ts
 * factoryName('PolicyRule'); // 'policyRule'
 * ```
 */
export function factoryName(typeName: string): string {
  const lower = typeName.replace(/^[A-Z]+(?=[A-Z][a-z]|$)|^[A-Z]/, (m) => m.toLowerCase());
  return RESERVED_WORDS.has(lower) ? `${lower}_` : lower;
}

/**
 * The zod schema constant of a type: `PolicySchema`.
 *
 * @example
 * ```ts
 * schemaName('Policy'); // 'PolicySchema'
 * ```
 */
export function schemaName(typeName: string): string {
  return `${typeName}Schema`;
}

/**
 * The constant listing every value of an enum type: `LevelValues`.
 *
 * @example
 * ```ts
 * valuesName('Level'); // 'LevelValues'
 * ```
 */
export function valuesName(enumName: string): string {
  return `${enumName}Values`;
}

/**
 * The builder class of a struct: `PolicyBuilder`.
 *
 * @example
 * ```ts
 * builderName('Policy'); // 'PolicyBuilder'
 * ```
 */
export function builderName(typeName: string): string {
  return `${typeName}Builder`;
}

/**
 * The class of a child builder started from a parent builder: `<Child>In<Parent>Builder`.
 *
 * @example
 * ```ts
 * childBuilderName('PolicyRule', 'Policy'); // 'PolicyRuleInPolicyBuilder'
 * ```
 */
export function childBuilderName(childType: string, parentType: string): string {
  return `${childType}In${parentType}Builder`;
}

/** The constant of a builder module holding the wire names in schema order. */
export const FIELD_ORDER_NAME = 'FIELD_ORDER';

/** Names every group/version's `metadata.ts` exports. */
export const METADATA_NAMES = { fieldMetadata: 'FieldMetadata', typeMetadata: 'typeMetadata', typeVersions: 'typeVersions' } as const;

/**
 * The module generated schemas import zod from: its tree-shakeable mini API, imported whole
 * (`import * as z`), so that a bundle keeps only the validators a program uses.
 */
export const ZOD_MODULE = 'zod/mini';

/** The package generated files take the builder base, problems and comments from. */
export const RUNTIME_PACKAGE = '@k8s-gen/runtime';

/** What the runtime exports for generated code; the top barrel re-exports them under these names. */
export const RUNTIME_EXPORTS = {
  values: ['Builder', 'commentOf', 'formatPath', 'ProblemCollector', 'problemsFromZod', 'setComment'],
  types: ['Buildable', 'Problem', 'ProblemsFromZodOptions', 'ValidationIssue'],
} as const;

/** The runtime names generated builder files import and so cannot also name a type. */
export const RUNTIME_IMPORTS_OF_BUILDERS: readonly string[] = ['Builder', 'Buildable'];

/** A group and version, as the model and the output folders address them. */
export interface GroupVersionName {
  group: string;
  version: string;
}

/**
 * The key of a group/version, also the folder its files are written to: `core/v1`,
 * `audit.k8s.io/v1`.
 *
 * @example
 * ```ts
 * groupVersionKey({ group: 'core', version: 'v1' }); // 'core/v1'
 * ```
 */
export function groupVersionKey(gv: GroupVersionName): string {
  return `${gv.group}/${gv.version}`;
}

/**
 * The `apiVersion` objects of an API group and version carry: the bare version for the legacy
 * core group (`''`), `group/version` otherwise.
 *
 * @example
 * ```ts
 * apiVersionOf('', 'v1');             // 'v1'
 * apiVersionOf('audit.k8s.io', 'v1'); // 'audit.k8s.io/v1'
 * ```
 */
export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/**
 * The name users give the legacy core API group (`''`) when they select it: `core`.
 *
 * @example
 * ```ts
 * groupSelectorName('');     // 'core'
 * groupSelectorName('apps'); // 'apps'
 * ```
 */
export function groupSelectorName(apiGroup: string): string {
  return apiGroup === '' ? 'core' : apiGroup;
}

/**
 * A selection key (`core/v1`, `apps/v1`) of an API group and version, as `select` and `k8s-gen
 * import` take it.
 *
 * @example
 * ```ts
 * selectionKey('', 'v1'); // 'core/v1'
 * ```
 */
export function selectionKey(apiGroup: string, version: string): string {
  return groupVersionKey({ group: groupSelectorName(apiGroup), version });
}

/** A version segment of a Go package path or an API version: `v1`, `v1beta1`, `v2alpha1`. */
export const VERSION_SEGMENT = /^v\d+((alpha|beta)\d+)?$/;

/**
 * Where a definition of a Kubernetes spec lands: the folder of its Go package and its TypeScript
 * name. `io.k8s.api.core.v1.Pod` goes to `core/v1/Pod`,
 * `io.k8s.apimachinery.pkg.apis.meta.v1.Time` to `meta/v1/Time`; a definition without a version
 * segment goes to `<package>/unversioned`.
 *
 * @example
 * ```ts
 * locateDefinition('io.k8s.api.networking.v1.Ingress'); // { group: 'networking', version: 'v1', name: 'Ingress' }
 * ```
 */
export function locateDefinition(definitionName: string): GroupVersionName & { name: string } {
  const segments = definitionName.split('.');
  const name = toTypeName(segments[segments.length - 1] ?? definitionName);
  for (let i = segments.length - 2; i >= 1; i--) {
    if (VERSION_SEGMENT.test(segments[i]!)) return { group: segments[i - 1]!, version: segments[i]!, name };
  }
  return { group: segments[segments.length - 2] ?? 'unknown', version: 'unversioned', name };
}

/**
 * An identifier for a group/version, used for namespace exports of the top barrel (`coreV1`,
 * `auditK8sIoV1`) and for aliases of imported names that clash.
 *
 * @example
 * ```ts
 * groupVersionIdentifier({ group: 'meta', version: 'v1' }); // 'metaV1'
 * ```
 */
export function groupVersionIdentifier(gv: GroupVersionName): string {
  const parts = words(`${gv.group} ${gv.version}`);
  return parts.map((p, i) => (i === 0 ? p.toLowerCase() : capitalize(p))).join('');
}

/**
 * The local name of an imported symbol that clashes with another one in the importing file:
 * prefixed with its group/version identifier (`metaV1_Status`).
 *
 * @example
 * ```ts
 * importAlias({ group: 'meta', version: 'v1' }, 'Status'); // 'metaV1_Status'
 * ```
 */
export function importAlias(gv: GroupVersionName, name: string): string {
  return `${groupVersionIdentifier(gv)}_${name}`;
}

/** The folders of one group/version's generated files. */
export type Section = 'types' | 'schemas' | 'builders';

/**
 * Path of a type's generated file relative to the output folder: `core/v1/types/Pod.ts`.
 *
 * @example
 * ```ts
 * typeFilePath({ group: 'core', version: 'v1' }, 'builders', 'Pod'); // 'core/v1/builders/Pod.ts'
 * ```
 */
export function typeFilePath(gv: GroupVersionName, section: Section, typeName: string): string {
  return `${groupVersionKey(gv)}/${section}/${typeName}.ts`;
}

/**
 * Path of a group/version's barrel: `core/v1/index.ts`.
 *
 * @example
 * ```ts
 * groupVersionIndexPath({ group: 'core', version: 'v1' }); // 'core/v1/index.ts'
 * ```
 */
export function groupVersionIndexPath(gv: GroupVersionName): string {
  return `${groupVersionKey(gv)}/index.ts`;
}

/**
 * Path of a group/version's field metadata: `core/v1/metadata.ts`.
 *
 * @example
 * ```ts
 * metadataFilePath({ group: 'core', version: 'v1' }); // 'core/v1/metadata.ts'
 * ```
 */
export function metadataFilePath(gv: GroupVersionName): string {
  return `${groupVersionKey(gv)}/metadata.ts`;
}

/** Path of the top barrel. */
export const TOP_INDEX_PATH = 'index.ts';

/** Path of the self-contained copy of the runtime, written instead of importing the runtime package. */
export const RUNTIME_COPY_PATH = '_runtime.ts';

/** Where generated files take the runtime from: the `@k8s-gen/runtime` package, or a copy in the output. */
export type RuntimeSource = 'package' | 'self-contained';

/**
 * The module specifier with which the generated file `from` imports the runtime.
 *
 * @example
 * ```ts
 * runtimeSpecifier('core/v1/builders/Pod.ts', 'package');        // '@k8s-gen/runtime'
 * runtimeSpecifier('core/v1/builders/Pod.ts', 'self-contained'); // '../../../_runtime.js'
 * ```
 */
export function runtimeSpecifier(from: string, runtime: RuntimeSource): string {
  return runtime === 'package' ? RUNTIME_PACKAGE : moduleSpecifier(from, RUNTIME_COPY_PATH);
}

/**
 * The module specifier with which the generated file `from` imports the generated file `target`
 * (both relative to the output folder), as NodeNext resolution wants it: relative, ending in `.js`.
 *
 * @example
 * ```ts
 * moduleSpecifier('core/v1/builders/Pod.ts', 'meta/v1/types/ObjectMeta.ts'); // '../../../meta/v1/types/ObjectMeta.js'
 * ```
 */
export function moduleSpecifier(from: string, target: string): string {
  const relative = posix.relative(posix.dirname(from), target).replace(/\.ts$/, '.js');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

/**
 * A single-quoted TypeScript string literal of any text: backslashes, quotes and line breaks
 * (including U+2028 and U+2029) are escaped, so the text can never end the literal.
 *
 * @example
 * ```ts
 * stringLiteral("it's"); // "'it\\'s'"
 * ```
 */
export function stringLiteral(value: string): string {
  return `'${value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')}'`;
}

/**
 * True when `key` can be written unquoted as a property name.
 *
 * @example
 * ```ts
 * isIdentifier('current-context'); // false
 * ```
 */
export function isIdentifier(key: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key);
}

/**
 * The property key as written in generated code: bare when possible, otherwise a string literal.
 *
 * @example
 * ```ts
 * propertyKey('current-context'); // "'current-context'"
 * ```
 */
export function propertyKey(key: string): string {
  return isIdentifier(key) ? key : stringLiteral(key);
}

/**
 * Emits `<G>/<V>/builders/<Name>.ts` for each struct: a `<Name>Builder` class with one setter per
 * field, a lowerCamel factory (`pod()`), and for each field with a child-builder hint a child
 * builder class `<Child>In<Name>Builder` implementing the protocol of ARCHITECTURE.md.
 */
import type { ClassDeclarationStructure, MethodDeclarationStructure, OptionalKind, SourceFileStructure, StatementStructures } from 'ts-morph';
import { StructureKind, VariableDeclarationKind } from './structure-kind.js';
import { findType, type ApiModel, type FieldModel, type GroupVersionModel, type StructTypeModel, type TypeRef } from '../model/model.js';
import {
  apiVersionOf,
  builderName,
  childBuilderName,
  factoryName,
  FIELD_ORDER_NAME,
  moduleSpecifier,
  runtimeSpecifier,
  stringLiteral,
  typeFilePath,
  type RuntimeSource,
} from '../model/naming.js';
import { childFields, settableFields } from '../model/declarations.js';
import { docs, exampleArguments, ImportTracker, sampleValue, typeText } from './context.js';

/** True when values of `ref` are objects a builder can produce. */
function isStructRef(model: ApiModel, ref: TypeRef): ref is Extract<TypeRef, { kind: 'ref' }> {
  return ref.kind === 'ref' && findType(model, ref)?.kind === 'struct';
}

/** The setter of one field. */
function setter(model: ApiModel, type: StructTypeModel, field: FieldModel, imports: ImportTracker, buildable: () => string): OptionalKind<MethodDeclarationStructure> {
  const fieldDocs = (example: string) =>
    docs({
      description: field.description,
      fallback: `Sets the \`${field.wireName}\` field.`,
      enumValues: field.enumValues,
      default: field.default,
      versions: field.versions,
      secret: field.secret,
      deprecated: field.deprecated,
      example,
      remarks: field.type.kind === 'array' ? ['Appends its arguments to the list; call it again to add more.'] : undefined,
    });
  const example = `${factoryName(type.name)}().${field.memberName}(${exampleArguments(model, field)});`;
  const wire = stringLiteral(field.wireName);
  if (field.type.kind === 'array') {
    const itemType = isStructRef(model, field.type.items) ? `${buildable()}<${typeText(field.type.items, imports)}>` : typeText(field.type.items, imports);
    const needsParens = field.type.items.kind === 'union' && !isStructRef(model, field.type.items);
    return {
      name: field.memberName,
      parameters: [{ name: 'values', isRestParameter: true, type: needsParens ? `(${itemType})[]` : `${itemType}[]` }],
      returnType: 'this',
      statements: [`return this.appendField(${wire}, values);`],
      docs: [fieldDocs(example)],
    };
  }
  const valueType = isStructRef(model, field.type) ? `${buildable()}<${typeText(field.type, imports)}>` : typeText(field.type, imports);
  return {
    name: field.memberName,
    parameters: [{ name: 'value', type: valueType }],
    returnType: 'this',
    statements: [`return this.setField(${wire}, value);`],
    docs: [fieldDocs(example)],
  };
}

/** Everything a child-builder method needs to know about its field. */
interface ChildInfo {
  method: string;
  field: FieldModel;
  childType: string;
  childBuilder: string;
  childClass: string;
  childFactory: string;
  /** The factory of the parent type, named in examples. */
  parentFactory: string;
  /**
   * The child type's own field whose setter has the same name as the child method (kubeconfig's
   * `clusters[].cluster`): on the child builder, the method without arguments starts the next
   * entry and with an argument sets that field.
   */
  shadowed?: FieldModel;
}

/** The overloaded child method (`rule()`, `rule(fn)`, `rule(obj)`) on the parent or on a child delegating to it. */
function childMethod(info: ChildInfo, parentClass: string, onChild: boolean, buildable: () => string): OptionalKind<MethodDeclarationStructure> {
  const entryType = `${buildable()}<${info.childType}>`;
  const started = `${info.childClass}<R>`;
  const back = onChild ? `${parentClass}<R>` : 'this';
  const wire = stringLiteral(info.field.wireName);
  const describe = (what: string, example: string) =>
    docs({ fallback: what, versions: info.field.versions, example });
  const parentFactory = info.parentFactory;
  return {
    name: info.method,
    overloads: [
      {
        parameters: [],
        returnType: started,
        docs: [
          describe(
            `Starts a new entry of \`${info.field.wireName}\` and returns its builder; call \`${info.method}()\` on it again for the next entry, \`end()\` to come back, or \`build()\` to build everything.`,
            `${parentFactory}().${info.method}().end();`,
          ),
        ],
      },
      {
        parameters: [{ name: 'configure', type: `(${info.method}: ${info.childBuilder}) => unknown` }],
        returnType: back,
        docs: [describe(`Adds an entry to \`${info.field.wireName}\`, configured by a function given a fresh builder.`, `${parentFactory}().${info.method}((b) => b.comment('first'));`)],
      },
      {
        parameters: [{ name: 'value', type: entryType }],
        returnType: back,
        docs: [describe(`Adds an entry to \`${info.field.wireName}\` given as a plain object or a builder.`, `${parentFactory}().${info.method}(${info.childFactory}());`)],
      },
    ],
    parameters: [{ name: 'entry', hasQuestionToken: true, type: `((${info.method}: ${info.childBuilder}) => unknown) | ${entryType}` }],
    returnType: `${started} | ${back}`,
    statements: onChild
      ? [
          `if (entry === undefined) return this.#parent.${info.method}();`,
          `if (typeof entry === 'function') return this.#parent.${info.method}(entry);`,
          `return this.#parent.${info.method}(entry);`,
        ]
      : [
          `if (entry === undefined) {`,
          `  const child = new ${info.childClass}<R>(this);`,
          `  this.appendField(${wire}, [child]);`,
          `  return child;`,
          `}`,
          `if (typeof entry === 'function') {`,
          `  const child = new ${info.childBuilder}();`,
          `  entry(child);`,
          `  return this.appendField(${wire}, [child]);`,
          `}`,
          `return this.appendField(${wire}, [entry]);`,
        ],
  };
}

/**
 * The child method on a child builder whose type has a field of the same name: without arguments
 * it starts the next entry, with one it sets the field (the inherited setter).
 */
function shadowingChildMethod(model: ApiModel, info: ChildInfo, imports: ImportTracker, buildable: () => string): OptionalKind<MethodDeclarationStructure> {
  const field = info.shadowed!;
  const valueType = isStructRef(model, field.type) ? `${buildable()}<${typeText(field.type, imports)}>` : typeText(field.type, imports);
  return {
    name: info.method,
    hasOverrideKeyword: true,
    overloads: [
      {
        hasOverrideKeyword: true,
        parameters: [],
        returnType: `${info.childClass}<R>`,
        docs: [docs({ fallback: `Starts the next entry of \`${info.field.wireName}\` and returns its builder.`, example: `builder.${info.method}();` })],
      },
      {
        hasOverrideKeyword: true,
        parameters: [{ name: 'value', type: valueType }],
        returnType: 'this',
        docs: [
          docs({
            description: field.description,
            fallback: `Sets the \`${field.wireName}\` field of this entry.`,
            versions: field.versions,
            secret: field.secret,
            example: `builder.${info.method}(${sampleValue(field.type, model, field)});`,
          }),
        ],
      },
    ],
    parameters: [{ name: 'value', hasQuestionToken: true, type: valueType }],
    returnType: `${info.childClass}<R> | this`,
    statements: [`if (value === undefined) return this.#parent.${info.method}();`, `return super.${info.method}(value);`],
  };
}

/** The structure of the builder file of a struct. */
export function emitBuilderFile(model: ApiModel, gv: GroupVersionModel, type: StructTypeModel, runtime: RuntimeSource): { path: string; structure: SourceFileStructure } {
  const path = typeFilePath(gv, 'builders', type.name);
  const className = builderName(type.name);
  const factory = factoryName(type.name);
  const children = childFields(type);
  const childClassNames = children.map((c) => childBuilderName(c.items.name, type.name));
  const imports = new ImportTracker(path, [className, factory, FIELD_ORDER_NAME, ...childClassNames]);
  const runtimeModule = runtimeSpecifier(path, runtime);
  const runtimeBuilder = imports.useModule(runtimeModule, 'Builder', false);
  // Imported on first use, so files without object-valued fields do not import it.
  const buildable = () => imports.useModule(runtimeModule, 'Buildable', true);
  const typeName = imports.use(typeFilePath(gv, 'types', type.name), type.name, true, gv);
  const fields = settableFields(type);

  // The model check has refused child methods that clash with members or with list fields.
  const childInfos: ChildInfo[] = children.map(({ field, method, items }, index) => {
    const childType = imports.use(typeFilePath(items, 'types', items.name), items.name, true, items);
    const childBuilder = imports.use(typeFilePath(items, 'builders', items.name), builderName(items.name), false, items);
    const childFactory = factoryName(items.name); // only named in examples, so not imported
    const childStruct = findType(model, items);
    const shadowed = childStruct?.kind === 'struct' ? settableFields(childStruct).find((f) => f.memberName === method) : undefined;
    const info: ChildInfo = { method, field, childType, childBuilder, childClass: childClassNames[index]!, childFactory, parentFactory: factory };
    if (shadowed !== undefined) info.shadowed = shadowed;
    return info;
  });

  const methods = fields.map((f) => setter(model, type, f, imports, buildable));
  methods.push(...childInfos.map((info) => childMethod(info, className, false, buildable)));

  const constructorStatements = [`super(${FIELD_ORDER_NAME}, parent);`];
  if (type.gvk !== undefined) {
    const apiVersion = apiVersionOf(type.gvk.group, type.gvk.version);
    if (type.fields.some((f) => f.wireName === 'apiVersion')) constructorStatements.push(`this.setField('apiVersion', ${stringLiteral(apiVersion)});`);
    if (type.fields.some((f) => f.wireName === 'kind')) constructorStatements.push(`this.setField('kind', ${stringLiteral(type.gvk.kind)});`);
  }

  const builderClass: ClassDeclarationStructure = {
    kind: StructureKind.Class,
    name: className,
    isExported: true,
    typeParameters: [{ name: 'R', default: typeName }],
    extends: `${runtimeBuilder}<${typeName}, R>`,
    docs: [
      docs({
        fallback:
          `Builds a {@link ${typeName}} step by step; \`build()\` returns a fresh plain object with the fields in schema order.` +
          (type.gvk !== undefined ? ' `apiVersion` and `kind` are filled in.' : ''),
        versions: type.versions,
        example: `const value = ${factory}()${fields.slice(0, 1).map((f) => `.${f.memberName}(${exampleArguments(model, f)})`).join('')}.build();`,
      }),
    ],
    ctors: [
      {
        parameters: [{ name: 'parent', hasQuestionToken: true, type: `${runtimeBuilder}<unknown, R>` }],
        statements: constructorStatements,
        docs: [docs({ fallback: `Starts an empty ${type.name}; prefer the {@link ${factory}} factory.`, remarks: ['`parent` is the builder a child builder was started from; `build()` builds it.'], example: `const builder = new ${className}();` })],
      },
    ],
    methods,
  };

  const statements: StatementStructures[] = [
    // The built type travels with its builder, so one builder module is a complete entry point
    // (`import { pod, type Pod } from '@k8s-gen/core/v1/Pod'`) that loads only what it refers to.
    {
      kind: StructureKind.ExportDeclaration,
      isTypeOnly: true,
      namedExports: [type.name],
      moduleSpecifier: moduleSpecifier(path, typeFilePath(gv, 'types', type.name)),
      trailingTrivia: (writer) => writer.blankLine(),
    },
    {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      declarations: [{ kind: StructureKind.VariableDeclaration, name: FIELD_ORDER_NAME, initializer: `[${type.fields.map((f) => stringLiteral(f.wireName)).join(', ')}] as const` }],
      leadingTrivia: '// Wire names in schema order: the key order of built objects.\n',
    },
    builderClass,
    {
      kind: StructureKind.Function,
      name: factory,
      isExported: true,
      returnType: className,
      statements: [`return new ${className}();`],
      docs: [docs({ fallback: `Starts building a {@link ${typeName}}.`, versions: type.versions, example: `const value = ${factory}().build();` })],
    },
  ];

  for (const info of childInfos) {
    statements.push({
      kind: StructureKind.Class,
      name: info.childClass,
      isExported: true,
      typeParameters: [{ name: 'R', default: typeName }],
      extends: `${info.childBuilder}<R>`,
      docs: [
        docs({
          fallback: `A {@link ${info.childBuilder}} started from \`${factory}().${info.method}()\`: it adds \`${info.method}()\` for the next entry and \`end()\` to return to the ${type.name} builder.`,
          example: `${factory}().${info.method}().end();`,
        }),
      ],
      properties: [{ name: '#parent', isReadonly: true, type: `${className}<R>` }],
      ctors: [
        {
          parameters: [{ name: 'parent', type: `${className}<R>` }],
          statements: ['super(parent);', 'this.#parent = parent;'],
          docs: [docs({ fallback: `Binds the entry to the ${type.name} builder it belongs to.`, example: `${factory}().${info.method}();` })],
        },
      ],
      methods: [
        info.shadowed === undefined ? childMethod(info, className, true, buildable) : shadowingChildMethod(model, info, imports, buildable),
        {
          name: 'end',
          returnType: `${className}<R>`,
          statements: ['return this.#parent;'],
          docs: [docs({ fallback: `Returns to the ${type.name} builder this entry belongs to.`, example: `${factory}().${info.method}().end();` })],
        },
      ],
    });
  }
  return { path, structure: { kind: StructureKind.SourceFile, statements: [...imports.structures(), ...statements] } };
}

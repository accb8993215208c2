/**
 * A printer for the ts-morph structures the emitters build that gives the same text as ts-morph's
 * `printStructure(structure, { indentNumberOfSpaces: 2, useSingleQuote: true })` without loading
 * ts-morph and the TypeScript compiler it bundles.
 *
 * It drives the same writer ts-morph prints with (`code-block-writer`, a small package without
 * dependencies) through the same sequence of calls as ts-morph's structure printers, so
 * indentation, blank lines, quoting and `WriterFunction`s behave exactly alike. It supports only
 * the structure kinds and fields the emitters use and throws on anything else, so a new field can
 * never be dropped silently; `test/printer.test.ts` compares its output with ts-morph's for every
 * generated file of the authored schemas and of core/v1 of each bundled Kubernetes spec.
 */
import CodeBlockWriter from 'code-block-writer';
import type {
  ClassDeclarationStructure,
  ConstructorDeclarationStructure,
  ExportDeclarationStructure,
  FunctionDeclarationStructure,
  ImportDeclarationStructure,
  InterfaceDeclarationStructure,
  MethodDeclarationOverloadStructure,
  MethodDeclarationStructure,
  OptionalKind,
  ParameterDeclarationStructure,
  PropertyDeclarationStructure,
  PropertySignatureStructure,
  SourceFileStructure,
  TypeAliasDeclarationStructure,
  TypeParameterDeclarationStructure,
  VariableDeclarationStructure,
  VariableStatementStructure,
  WriterFunction,
} from 'ts-morph';
import { StructureKind } from './structure-kind.js';

const WRITER_OPTIONS = { indentNumberOfSpaces: 2, useTabs: false, newLine: '\n', useSingleQuote: true } as const;

type Writer = CodeBlockWriter;
type TextOrWriter = string | WriterFunction;
type Fields = Record<string, unknown>;

/** Thrown when a structure uses something this printer does not implement. */
export class UnsupportedStructureError extends Error {
  constructor(what: string) {
    super(`the fast printer does not support ${what}; print with the 'ts-morph' printer or extend emitters/printer.ts (and its equivalence test)`);
    this.name = 'UnsupportedStructureError';
  }
}

/** Rejects fields outside `allowed` that hold a value ts-morph would print. */
function checkFields(structure: object, what: string, allowed: readonly string[]): void {
  for (const [key, value] of Object.entries(structure)) {
    if (key === 'kind' || allowed.includes(key)) continue;
    if (value === undefined || value === false) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    throw new UnsupportedStructureError(`the field \`${key}\` of ${what}`);
  }
}

/**
 * Text of an item of a comma-separated list. ts-morph inserts the commas after printing, at the end
 * of each item's last token; for a one-line item without comments or a trailing comma that is its end.
 */
function listItem(text: string, what: string): string {
  if (/[\r\n]|\/\/|\/\*|[,\s]$/.test(text)) throw new UnsupportedStructureError(`the ${what} \`${text}\` (multi-line, a comment or a trailing comma or space)`);
  return text;
}

function isWhitespace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 11 || code === 12 || code === 0xa0 || code === 0xfeff;
}

function lastNonWhitespaceIsCloseBrace(writer: Writer): boolean {
  return writer.iterateLastCharCodes((code) => (code === 125 ? true : isWhitespace(code) ? undefined : false)) ?? false;
}

function isNullOrWhitespace(text: string): boolean {
  return text.trim().length === 0;
}

function printTextOrWriter(writer: Writer, text: TextOrWriter | undefined): void {
  if (typeof text === 'string') writer.write(text);
  else if (text !== undefined) text(writer);
}

/** What ts-morph gets by printing into a fresh writer; a one-line string prints as itself. */
function textOf(text: TextOrWriter): string {
  if (typeof text === 'string' && !/[\r\n]/.test(text)) return text;
  const writer = new CodeBlockWriter(WRITER_OPTIONS);
  printTextOrWriter(writer, text);
  return writer.toString();
}

function printTrivia(writer: Writer, trivia: unknown, what: string): void {
  if (trivia === undefined) return;
  if (typeof trivia !== 'string' && typeof trivia !== 'function') throw new UnsupportedStructureError(`a list of trivia on ${what}`);
  printTextOrWriter(writer, trivia as TextOrWriter);
}

/** ts-morph's `NodePrinter.printText`: leading trivia, the node, trailing trivia. */
function printNode<T extends object>(writer: Writer, structure: T, what: string, body: (structure: T) => void): void {
  const { leadingTrivia, trailingTrivia } = structure as { leadingTrivia?: unknown; trailingTrivia?: unknown };
  if (leadingTrivia !== undefined) {
    printTrivia(writer, leadingTrivia, what);
    if (writer.isInComment()) writer.closeComment();
  }
  writer.closeComment();
  body(structure);
  printTrivia(writer, trailingTrivia, what);
}

function printDocs(writer: Writer, docs: unknown, what: string): void {
  if (docs === undefined) return;
  for (const doc of docs as unknown[]) {
    if (typeof doc !== 'string') throw new UnsupportedStructureError(`a JSDoc structure on ${what} (only strings are supported)`);
    writer.closeComment();
    const lines = doc.split(/\r?\n/);
    const single = lines.length <= 1;
    writer.write('/**');
    if (single) writer.space();
    else writer.newLine();
    if (single) writer.write(lines[0]!);
    else {
      for (let i = lines[0]!.length === 0 ? 1 : 0; i < lines.length; i++) {
        writer.write(' *');
        if (lines[i]!.length > 0) writer.write(` ${lines[i]}`);
        writer.newLine();
      }
    }
    writer.spaceIfLastNot();
    writer.write('*/');
    writer.newLine();
  }
}

interface Modifiers {
  isExported?: boolean;
  hasOverrideKeyword?: boolean;
  isReadonly?: boolean;
}

function printModifiers(writer: Writer, structure: Modifiers): void {
  if (structure.isExported === true) writer.write('export ');
  if (structure.hasOverrideKeyword === true) writer.write('override ');
  if (structure.isReadonly === true) writer.write('readonly ');
}

function printTyped(writer: Writer, separator: string, type: TextOrWriter | undefined, alwaysWrite = false): void {
  if (type === undefined && !alwaysWrite) return;
  const text = textOf(type ?? 'any');
  if (!isNullOrWhitespace(text)) writer.hangingIndent(() => writer.write(`${separator} ${text}`));
}

function printInitializer(writer: Writer, initializer: TextOrWriter | undefined): void {
  if (initializer === undefined) return;
  const text = textOf(initializer);
  if (!isNullOrWhitespace(text)) {
    writer.hangingIndent(() => {
      writer.spaceIfLastNot();
      writer.write(`= ${text}`);
    });
  }
}

function printTypeParameters(writer: Writer, typeParameters: readonly (OptionalKind<TypeParameterDeclarationStructure> | string)[] | undefined): void {
  if (typeParameters === undefined || typeParameters.length === 0) return;
  writer.write('<');
  typeParameters.forEach((parameter, index) => {
    if (index > 0) writer.write(', ');
    if (typeof parameter === 'string') {
      writer.write(listItem(parameter, 'type parameter'));
      return;
    }
    printNode(writer, parameter, 'a type parameter', (p) => {
      checkFields(p, 'a type parameter', ['name', 'default']);
      writer.hangingIndent(() => {
        writer.write(listItem(p.name, 'type parameter'));
        if (p.default !== undefined) {
          const text = textOf(p.default);
          if (!isNullOrWhitespace(text)) writer.write(listItem(` = ${text}`, 'type parameter default'));
        }
      });
    });
  });
  writer.write('>');
}

function printParameters(writer: Writer, parameters: readonly OptionalKind<ParameterDeclarationStructure>[] | undefined): void {
  writer.write('(');
  if (parameters !== undefined && parameters.length > 0) {
    writer.hangingIndent(() => {
      parameters.forEach((parameter, index) => {
        if (index > 0) writer.write(', ');
        printNode(writer, parameter, 'a parameter', (p) => {
          checkFields(p, 'a parameter', ['name', 'isRestParameter', 'hasQuestionToken', 'type']);
          if (typeof p.type === 'function') throw new UnsupportedStructureError(`a writer function as the type of parameter \`${p.name}\``);
          listItem(`${p.name}: ${p.type ?? 'any'}`, 'parameter');
          writer.conditionalWrite(p.isRestParameter, '...');
          writer.write(p.name);
          writer.conditionalWrite(p.hasQuestionToken, '?');
          printTyped(writer, ':', p.type, p.hasQuestionToken);
        });
      });
    });
  }
  writer.write(')');
}

function printReturnType(writer: Writer, returnType: TextOrWriter | undefined): void {
  if (returnType === undefined) return;
  const text = textOf(returnType);
  if (!isNullOrWhitespace(text)) writer.hangingIndent(() => writer.write(`: ${text}`));
}

/** Statements of a body or a source file (ts-morph's `StatementStructurePrinter.printTexts`). */
function printStatements(writer: Writer, statements: SourceFileStructure['statements']): void {
  if (statements === undefined) return;
  if (typeof statements === 'string' || typeof statements === 'function') {
    printTextOrWriter(writer, statements);
    return;
  }
  const ensureBlankLine = () => {
    if (!writer.isAtStartOfFirstLineOfBlock()) writer.blankLineIfLastNot();
  };
  for (const statement of statements) {
    if (lastNonWhitespaceIsCloseBrace(writer)) writer.blankLineIfLastNot();
    else if (!writer.isAtStartOfFirstLineOfBlock()) writer.newLineIfLastNot();
    if (typeof statement === 'string' || typeof statement === 'function') {
      printTextOrWriter(writer, statement);
      continue;
    }
    switch (statement.kind) {
      case StructureKind.ImportDeclaration:
        printNode(writer, statement, 'an import declaration', (s) => printImport(writer, s));
        break;
      case StructureKind.ExportDeclaration:
        printNode(writer, statement, 'an export declaration', (s) => printExport(writer, s));
        break;
      case StructureKind.VariableStatement:
        printNode(writer, statement, 'a variable statement', (s) => printVariableStatement(writer, s));
        break;
      case StructureKind.TypeAlias:
        printNode(writer, statement, 'a type alias', (s) => printTypeAlias(writer, s));
        break;
      case StructureKind.Interface:
        ensureBlankLine();
        printNode(writer, statement, 'an interface', (s) => printInterface(writer, s));
        break;
      case StructureKind.Class:
        ensureBlankLine();
        printNode(writer, statement, 'a class', (s) => printClass(writer, s));
        break;
      case StructureKind.Function:
        ensureBlankLine();
        printNode(writer, statement, 'a function', (s) => printFunction(writer, s));
        break;
      default:
        throw new UnsupportedStructureError(`statements of structure kind ${(statement as { kind: number }).kind}`);
    }
  }
}

function printBody(writer: Writer, statements: SourceFileStructure['statements']): void {
  writer.inlineBlock(() => printStatements(writer, statements));
}

function bracedNames(names: readonly unknown[], what: string): string {
  return `{ ${names
    .map((name) => {
      if (typeof name !== 'string') throw new UnsupportedStructureError(`a structured ${what} (only strings are supported)`);
      return listItem(name, what);
    })
    .join(', ')} }`;
}

function printImport(writer: Writer, s: OptionalKind<ImportDeclarationStructure>): void {
  checkFields(s, 'an import declaration', ['moduleSpecifier', 'namedImports', 'namespaceImport', 'isTypeOnly', 'leadingTrivia', 'trailingTrivia']);
  const names = (s.namedImports ?? []) as readonly unknown[];
  if (names.length > 0 && s.namespaceImport !== undefined) throw new UnsupportedStructureError('an import declaration with both named and namespace imports');
  writer.write('import');
  if (s.isTypeOnly === true) writer.write(' type');
  if (s.namespaceImport !== undefined) writer.write(` * as ${s.namespaceImport}`);
  if (names.length > 0) {
    writer.space();
    writer.write(bracedNames(names, 'named import'));
  }
  writer.conditionalWrite(names.length > 0 || s.namespaceImport !== undefined, ' from');
  writer.write(' ');
  writer.quote(s.moduleSpecifier);
  writer.write(';');
}

function printExport(writer: Writer, s: OptionalKind<ExportDeclarationStructure>): void {
  checkFields(s, 'an export declaration', ['moduleSpecifier', 'namedExports', 'namespaceExport', 'isTypeOnly', 'leadingTrivia', 'trailingTrivia']);
  const names = (s.namedExports ?? []) as readonly unknown[];
  const hasModule = s.moduleSpecifier !== undefined && s.moduleSpecifier.length > 0;
  if (names.length > 0 && s.namespaceExport !== undefined) throw new UnsupportedStructureError('an export declaration with both named and namespace exports');
  if (!hasModule) throw new UnsupportedStructureError('an export declaration without a module specifier');
  writer.write('export');
  if (s.isTypeOnly === true) writer.write(' type');
  if (names.length > 0) {
    writer.space();
    writer.write(bracedNames(names, 'named export'));
  } else if (s.namespaceExport !== undefined) {
    writer.write(' *');
    if (!isNullOrWhitespace(s.namespaceExport)) writer.write(` as ${s.namespaceExport}`);
  } else {
    writer.write(' *');
  }
  writer.write(' from ');
  writer.quote(s.moduleSpecifier!);
  writer.write(';');
}

function printVariableStatement(writer: Writer, s: OptionalKind<VariableStatementStructure>): void {
  checkFields(s, 'a variable statement', ['declarationKind', 'isExported', 'declarations', 'docs', 'leadingTrivia', 'trailingTrivia']);
  printDocs(writer, s.docs, 'a variable statement');
  writer.hangingIndent(() => {
    printModifiers(writer, s);
    writer.write(`${s.declarationKind ?? 'let'} `);
    if (s.declarations.length === 0) throw new UnsupportedStructureError('a variable statement without declarations');
    if (s.declarations.length > 1) throw new UnsupportedStructureError('a variable statement with several declarations');
    for (const declaration of s.declarations) {
      printNode(writer, declaration, 'a variable declaration', (d: OptionalKind<VariableDeclarationStructure>) => {
        checkFields(d, 'a variable declaration', ['name', 'type', 'initializer']);
        writer.write(d.name);
        printTyped(writer, ':', d.type);
        printInitializer(writer, d.initializer);
      });
    }
    writer.write(';');
  });
}

function printTypeAlias(writer: Writer, s: OptionalKind<TypeAliasDeclarationStructure>): void {
  checkFields(s, 'a type alias', ['name', 'isExported', 'type', 'docs', 'leadingTrivia', 'trailingTrivia']);
  printDocs(writer, s.docs, 'a type alias');
  printModifiers(writer, s);
  writer.write(`type ${s.name}`);
  printTyped(writer, ' =', s.type);
  writer.write(';');
}

function printInterface(writer: Writer, s: OptionalKind<InterfaceDeclarationStructure>): void {
  checkFields(s, 'an interface', ['name', 'isExported', 'docs', 'properties', 'leadingTrivia', 'trailingTrivia']);
  printDocs(writer, s.docs, 'an interface');
  printModifiers(writer, s);
  writer.write(`interface ${s.name}`);
  writer.space();
  writer.inlineBlock(() => {
    const properties = s.properties ?? [];
    if (properties.length > 0 && !writer.isAtStartOfFirstLineOfBlock()) writer.newLine();
    properties.forEach((property, index) => {
      writer.conditionalNewLine(index > 0);
      printNode(writer, property, 'a property signature', (p: OptionalKind<PropertySignatureStructure>) => {
        checkFields(p, 'a property signature', ['name', 'hasQuestionToken', 'isReadonly', 'type', 'docs']);
        printDocs(writer, p.docs, 'a property signature');
        printModifiers(writer, p);
        writer.write(p.name);
        writer.conditionalWrite(p.hasQuestionToken, '?');
        printTyped(writer, ':', p.type);
        writer.write(';');
      });
    });
  });
}

function printFunction(writer: Writer, s: OptionalKind<FunctionDeclarationStructure>): void {
  checkFields(s, 'a function', ['name', 'isExported', 'typeParameters', 'parameters', 'returnType', 'statements', 'docs', 'leadingTrivia', 'trailingTrivia']);
  printDocs(writer, s.docs, 'a function');
  printModifiers(writer, s);
  writer.write('function');
  if (s.name !== undefined && !isNullOrWhitespace(s.name)) writer.write(` ${s.name}`);
  printTypeParameters(writer, s.typeParameters);
  printParameters(writer, s.parameters);
  printReturnType(writer, s.returnType);
  writer.space();
  printBody(writer, s.statements);
}

function printClass(writer: Writer, s: OptionalKind<ClassDeclarationStructure>): void {
  checkFields(s, 'a class', ['name', 'isExported', 'typeParameters', 'extends', 'docs', 'properties', 'ctors', 'methods', 'leadingTrivia', 'trailingTrivia']);
  printDocs(writer, s.docs, 'a class');
  printModifiers(writer, s);
  writer.write('class');
  if (s.name !== undefined && !isNullOrWhitespace(s.name)) writer.space().write(s.name);
  printTypeParameters(writer, s.typeParameters);
  writer.space();
  writer.hangingIndent(() => {
    if (s.extends !== undefined) {
      const text = textOf(s.extends);
      if (!isNullOrWhitespace(text)) writer.write(`extends ${text} `);
    }
  });
  const separator = () => {
    if (!writer.isAtStartOfFirstLineOfBlock()) writer.blankLine();
  };
  writer.inlineBlock(() => {
    (s.properties ?? []).forEach((property, index) => {
      writer.conditionalNewLine(index > 0);
      printNode(writer, property, 'a property', (p: OptionalKind<PropertyDeclarationStructure>) => {
        checkFields(p, 'a property', ['name', 'isReadonly', 'type', 'docs']);
        printDocs(writer, p.docs, 'a property');
        printModifiers(writer, p);
        writer.write(p.name);
        printTyped(writer, ':', p.type);
        writer.write(';');
      });
    });
    for (const ctor of s.ctors ?? []) {
      separator();
      printNode(writer, ctor, 'a constructor', (c: OptionalKind<ConstructorDeclarationStructure>) => {
        checkFields(c, 'a constructor', ['parameters', 'statements', 'docs']);
        printDocs(writer, c.docs, 'a constructor');
        writer.write('constructor');
        printParameters(writer, c.parameters);
        writer.space();
        printBody(writer, c.statements);
      });
    }
    const methods = s.methods ?? [];
    if (methods.length > 0) {
      separator();
      methods.forEach((method, index) => {
        if (index > 0) writer.blankLine();
        printNode(writer, method, 'a method', (m) => printMethod(writer, m));
      });
    }
  });
}

function printMethodHeader(writer: Writer, name: string, m: OptionalKind<MethodDeclarationStructure> | OptionalKind<MethodDeclarationOverloadStructure>): void {
  printDocs(writer, m.docs, `the method \`${name}\``);
  printModifiers(writer, m);
  writer.write(name);
  printParameters(writer, m.parameters);
  printReturnType(writer, m.returnType);
}

function printMethod(writer: Writer, m: OptionalKind<MethodDeclarationStructure>): void {
  checkFields(m, 'a method', ['name', 'hasOverrideKeyword', 'parameters', 'returnType', 'statements', 'docs', 'overloads']);
  for (const overload of m.overloads ?? []) {
    checkFields(overload, `an overload of \`${m.name}\``, ['hasOverrideKeyword', 'parameters', 'returnType', 'docs', 'leadingTrivia', 'trailingTrivia']);
    printTrivia(writer, overload.leadingTrivia, 'a method overload');
    printMethodHeader(writer, m.name, overload);
    writer.write(';');
    printTrivia(writer, overload.trailingTrivia, 'a method overload');
    writer.newLine();
  }
  printMethodHeader(writer, m.name, m);
  writer.spaceIfLastNot();
  printBody(writer, m.statements);
}

/**
 * Prints a source file structure exactly as ts-morph's `printStructure` does with 2-space
 * indentation and single quotes.
 *
 * @throws UnsupportedStructureError when the structure uses a kind or field this printer does not implement.
 */
export function printSourceFile(structure: SourceFileStructure): string {
  checkFields(structure, 'a source file', ['statements']);
  if (structure.kind !== StructureKind.SourceFile) throw new UnsupportedStructureError(`top-level structures of kind ${String(structure.kind)}`);
  const writer = new CodeBlockWriter(WRITER_OPTIONS);
  writer.closeComment();
  printStatements(writer, structure.statements);
  writer.conditionalNewLine(!writer.isAtStartOfFirstLineOfBlock() && !writer.isLastNewLine());
  return writer.toString();
}

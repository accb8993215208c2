/**
 * The values of ts-morph's `StructureKind` and `VariableDeclarationKind` enums the emitters use,
 * mirrored here so that building structures at run time does not load ts-morph (and with it the
 * whole TypeScript compiler). `test/printer.test.ts` checks every value against ts-morph's enums.
 */
import type { StructureKind as TsMorphStructureKind, VariableDeclarationKind as TsMorphVariableDeclarationKind } from 'ts-morph';

/** The structure kinds the emitters build, with ts-morph's numeric values. */
export const StructureKind = {
  Class: 2 as TsMorphStructureKind.Class,
  Constructor: 5 as TsMorphStructureKind.Constructor,
  ConstructorOverload: 6 as TsMorphStructureKind.ConstructorOverload,
  ExportDeclaration: 11 as TsMorphStructureKind.ExportDeclaration,
  Function: 13 as TsMorphStructureKind.Function,
  ImportDeclaration: 16 as TsMorphStructureKind.ImportDeclaration,
  Interface: 19 as TsMorphStructureKind.Interface,
  Method: 26 as TsMorphStructureKind.Method,
  MethodOverload: 27 as TsMorphStructureKind.MethodOverload,
  Parameter: 30 as TsMorphStructureKind.Parameter,
  Property: 31 as TsMorphStructureKind.Property,
  PropertySignature: 33 as TsMorphStructureKind.PropertySignature,
  SourceFile: 36 as TsMorphStructureKind.SourceFile,
  TypeAlias: 38 as TsMorphStructureKind.TypeAlias,
  TypeParameter: 39 as TsMorphStructureKind.TypeParameter,
  VariableDeclaration: 40 as TsMorphStructureKind.VariableDeclaration,
  VariableStatement: 41 as TsMorphStructureKind.VariableStatement,
} as const;

/** The variable declaration kinds the emitters use, with ts-morph's string values. */
export const VariableDeclarationKind = {
  Const: 'const' as TsMorphVariableDeclarationKind.Const,
} as const;

// The one reference page of a package documented as a summary (see `summaryPackages`): its README,
// then a table per generated group/version of every type it exports, with the factory that builds
// it, its schema and the first sentence of its description. Read from the generated sources with
// the TypeScript parser (no type-check), following the generated layout of ARCHITECTURE.md:
// `src/generated/<G>/<V>/types/<Name>.ts`, `builders/<Name>.ts`, `schemas/<Name>.ts`.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { repoRoot, type DocumentedPackage } from './workspace.js';

export interface SummaryType {
  /** The type's name, e.g. `ConfigMap`. */
  name: string;
  /** Whether it is a kind (carries literal `apiVersion` and `kind`). */
  kind: boolean;
  /** The factory of its builder, e.g. `configMap`; absent when the type has no builder. */
  factory?: string;
  /** Its builder class, e.g. `ConfigMapBuilder`. */
  builder?: string;
  /** Its zod schema, e.g. `ConfigMapSchema`; absent when there is none. */
  schema?: string;
  /** The first sentence of its TSDoc. */
  summary: string;
}

export interface SummaryGroupVersion {
  /** `<G>/<V>` as the generated folders name it, e.g. `core/v1`. */
  groupVersion: string;
  types: SummaryType[];
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

function isExported(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** The first sentence of a declaration's TSDoc, on one line and without `{@link}` markup. */
function firstSentence(node: ts.Node): string {
  const doc = ts.getJSDocCommentsAndTags(node).find(ts.isJSDoc);
  const text = (ts.getTextOfJSDocComment(doc?.comment) ?? '').replace(/\{@link(?:code|plain)?\s+([^}|\s]+)[^}]*\}/g, '$1').replace(/\s+/g, ' ').trim();
  const end = /[.!?](?=\s|$)/.exec(text);
  return end === null ? text : text.slice(0, end.index + 1);
}

/** The literal-typed `kind` property that marks a kind. */
function hasLiteralKind(declaration: ts.InterfaceDeclaration): boolean {
  return declaration.members.some(
    (member) => ts.isPropertySignature(member) && member.name.getText() === 'kind' && member.type !== undefined && ts.isLiteralTypeNode(member.type),
  );
}

/** The exported factory function and builder class of a builder module. */
function builderNames(file: string): { factory?: string; builder?: string } {
  if (!existsSync(file)) return {};
  const statements = parse(file).statements;
  const factory = statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && isExported(s))?.name?.text;
  const builder = statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && isExported(s))?.name?.text;
  return { ...(factory === undefined ? {} : { factory }), ...(builder === undefined ? {} : { builder }) };
}

function exportedConstName(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const statement = parse(file).statements.find((s): s is ts.VariableStatement => ts.isVariableStatement(s) && isExported(s));
  const name = statement?.declarationList.declarations[0]?.name;
  return name !== undefined && ts.isIdentifier(name) ? name.text : undefined;
}

/** Every generated group/version of a package with the types it exports, sorted by name. */
export function summaryGroupVersions(pkg: DocumentedPackage): SummaryGroupVersion[] {
  const generated = path.join(repoRoot, pkg.folder, 'src', 'generated');
  const out: SummaryGroupVersion[] = [];
  const folders = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  for (const group of existsSync(generated) ? folders(generated) : []) {
    const groupFolder = path.join(generated, group);
    for (const version of folders(groupFolder)) {
      const typesFolder = path.join(groupFolder, version, 'types');
      if (!existsSync(typesFolder)) continue;
      const types: SummaryType[] = [];
      for (const file of readdirSync(typesFolder).filter((f) => f.endsWith('.ts')).sort()) {
        const name = file.replace(/\.ts$/, '');
        const declaration = parse(path.join(typesFolder, file)).statements.find(
          (s): s is ts.InterfaceDeclaration | ts.TypeAliasDeclaration => (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) && isExported(s) && s.name.text === name,
        );
        if (declaration === undefined) continue;
        const schema = exportedConstName(path.join(groupFolder, version, 'schemas', file));
        types.push({
          name,
          kind: ts.isInterfaceDeclaration(declaration) && hasLiteralKind(declaration),
          ...builderNames(path.join(groupFolder, version, 'builders', file)),
          ...(schema === undefined ? {} : { schema }),
          summary: firstSentence(declaration),
        });
      }
      out.push({ groupVersion: `${group}/${version}`, types });
    }
  }
  return out;
}

/** The `id` a type's table row carries, so guides and hover links can point at it. */
export function summaryAnchor(groupVersion: string, name: string): string {
  return `${groupVersion.replace(/[^a-z0-9]+/gi, '-')}-${name}`.toLowerCase();
}

/** Markdown table cells must not break the table. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;');
}

function table(groupVersion: string, types: SummaryType[]): string[] {
  return [
    '| type | build with | check with | what it is |',
    '|---|---|---|---|',
    ...types.map((type) => {
      const anchor = `<span id="${summaryAnchor(groupVersion, type.name)}"></span>`;
      const factory = type.factory === undefined ? '' : `\`${type.factory}()\``;
      const schema = type.schema === undefined ? '' : `\`${type.schema}\``;
      return `| ${anchor}\`${type.name}\` | ${factory} | ${schema} | ${cell(type.summary)} |`;
    }),
  ];
}

/**
 * The page: the README (its own title first), then the kinds and the other types of each
 * group/version. `readme` is the README text as the site shows it.
 */
export function summaryPageMarkdown(pkg: DocumentedPackage, readme: string, groupVersions: SummaryGroupVersion[]): string {
  const lines = ['[k8s-gen API](../../index.md) / ' + pkg.name, '', readme.trimEnd(), ''];
  const total = groupVersions.reduce((sum, gv) => sum + gv.types.length, 0);
  lines.push(
    '## What it exports',
    '',
    `${total} generated types. Each comes with its TSDoc (field descriptions, allowed values, defaults)`,
    'in your editor; the tables list them with the factory that builds one and the schema that checks one.',
    '',
  );
  for (const { groupVersion, types } of groupVersions) {
    const kinds = types.filter((type) => type.kind);
    const others = types.filter((type) => !type.kind);
    if (kinds.length > 0) lines.push(`### ${groupVersion} kinds`, '', ...table(groupVersion, kinds), '');
    if (others.length > 0) lines.push(`### ${groupVersion} ${kinds.length > 0 ? 'other types' : 'types'}`, '', ...table(groupVersion, others), '');
  }
  return `${lines.join('\n')}\n`;
}

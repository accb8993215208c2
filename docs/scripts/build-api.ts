// Writes everything under docs/api/ that the site is built from, in three steps:
//  1. typedoc (+ typedoc-plugin-markdown, typedoc-vitepress-theme) turns each package's TSDoc into
//     Markdown pages and a sidebar; the summary packages (workspace.ts) get one page each instead;
//  2. the pages get a "Guides" section linking to every guide whose examples use the symbol,
//     api/guide-links.json tells each guide which API pages its examples use, and
//     api/hover-links.json tells the twoslash popups where a `{@link Name}` points;
//  3. the CLI reference is captured from the real `k8s-gen --help` output of this checkout.
// Run with tsx from the docs folder: `npx tsx scripts/build-api.ts` (part of `npm run site`).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { compareStrings } from '@k8s-gen/runtime';
import { writeFileAtomically } from '@k8s-gen/runtime/node';
import { cliHelpTree } from './cli-help.js';
import { summaryAnchor, summaryGroupVersions, summaryPageMarkdown, type SummaryGroupVersion } from './summary-page.js';
import { apiRoot, docsRoot, documentedPackages, examplesRoot, guideRoot, repoRoot, siteUrl, summaryPackages, type DocumentedPackage } from './workspace.js';

/** Runs a command and resolves to its stdout; rejects with its output when it fails. */
function run(command: string, args: string[], cwd: string): Promise<string> {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(' ')} failed with exit code ${String(code)}\n${stdout}${stderr}`));
    });
  });
}

/** Writes a file (and its folders) atomically, so readers never see half a file. */
function writeAtomic(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomically(file, content);
}

function listFiles(root: string, extension: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full, extension));
    else if (entry.name.endsWith(extension)) out.push(full);
  }
  return out.sort();
}

// ---------------------------------------------------------------------------------------------
// 1. typedoc, and the summary pages of the packages documented on one page

/** Starts typedoc on the packages documented per symbol; resolves when it has written api/. */
function runTypedoc(packages: DocumentedPackage[]): Promise<string> {
  for (const p of packages.filter((p) => !p.hasEntryPoint)) {
    process.stderr.write(`docs: ${p.name} has no src/index.ts yet; its API reference is skipped\n`);
  }
  const entryArgs = packages
    .filter((p) => p.hasEntryPoint && !p.summary)
    .flatMap((p) => ['--entryPoints', path.relative(docsRoot, path.join(repoRoot, p.folder))]);
  const typedoc = path.join(repoRoot, 'node_modules', '.bin', 'typedoc');
  return run(typedoc, ['--options', 'typedoc.json', ...entryArgs], docsRoot);
}

/** The README as the site shows it: links to the published site become links inside this site. */
function siteReadme(pkg: DocumentedPackage): string {
  return readFileSync(path.join(repoRoot, pkg.folder, 'README.md'), 'utf8').replaceAll(siteUrl, '/');
}

/** What the summary pages list, read from each summary package's generated sources. */
function readSummaries(packages: DocumentedPackage[]): Array<{ pkg: DocumentedPackage; groupVersions: SummaryGroupVersion[] }> {
  return packages.filter((p) => p.hasEntryPoint && p.summary).map((pkg) => ({ pkg, groupVersions: summaryGroupVersions(pkg) }));
}

/** Writes the one page of each summary package and returns the symbols it lists. */
function writeSummaryPages(summaries: ReturnType<typeof readSummaries>): ApiSymbol[] {
  const symbols: ApiSymbol[] = [];
  for (const { pkg, groupVersions } of summaries) {
    const file = path.join(apiRoot, pkg.name, 'index.md');
    writeAtomic(file, summaryPageMarkdown(pkg, siteReadme(pkg), groupVersions));
    for (const { groupVersion, types } of groupVersions) {
      for (const type of types) {
        const href = `/api/${pkg.name}/#${summaryAnchor(groupVersion, type.name)}`;
        for (const symbol of [type.name, type.factory, type.builder, type.schema]) {
          if (symbol !== undefined) symbols.push({ packageName: pkg.name, symbol, href, file });
        }
      }
    }
  }
  return symbols;
}

/** typedoc's sidebar lists the packages it documented; the summary packages join it in name order. */
function addSummaryPackagesToSidebar(packages: DocumentedPackage[]): void {
  const file = path.join(apiRoot, 'typedoc-sidebar.json');
  const sidebar = JSON.parse(readFileSync(file, 'utf8')) as Array<{ text: string; link?: string }>;
  for (const pkg of packages.filter((p) => p.hasEntryPoint && p.summary)) sidebar.push({ text: pkg.name, link: `/api/${pkg.name}/` });
  sidebar.sort((a, b) => compareStrings(a.text, b.text));
  writeAtomic(file, `${JSON.stringify(sidebar)}\n`);
}

/** typedoc copies each README into its package page: point its links to the published site here. */
function rewriteSiteLinks(packages: DocumentedPackage[]): void {
  for (const pkg of packages.filter((p) => p.hasEntryPoint && !p.summary)) {
    const file = path.join(apiRoot, packagePageOf(pkg.name) + '.md');
    writeAtomic(file, readFileSync(file, 'utf8').replaceAll(siteUrl, '/'));
  }
}

/** typedoc writes its own index; this one explains the layout and links each package's page. */
/**
 * Vue compiles every page, so text such as `%{{...}}` in a doc comment would be read as a template
 * expression and stop the build. Generated API pages never use Vue, so their text is shown as is:
 * everything outside fenced code (already kept literal) gets Vue's `v-pre` container.
 */
function showVerbatim(root: string): void {
  for (const file of listFiles(root, '.md')) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('{{')) continue;
    const frontmatter = /^---\n[\s\S]*?\n---\n/.exec(text)?.[0] ?? '';
    writeAtomic(file, `${frontmatter}::: v-pre\n${text.slice(frontmatter.length).trimEnd()}\n:::\n`);
  }
}

function apiIndexPage(packages: DocumentedPackage[]): string {
  const lines = [
    '# API reference',
    '',
    'Generated by typedoc from the TSDoc of each package in this checkout: every function, class,',
    'interface and type the packages export. Field descriptions, allowed values, defaults and the',
    'Kubernetes versions that have a field come from the JSON Schemas the generator reads, so they',
    'match the generated code exactly.',
    '',
    'Each page ends with the guides that use the symbol; each guide ends with the API it uses.',
    `${[...summaryPackages].map((name) => `\`${name}\``).join(', ')}: generated from Kubernetes' own specification, documented`,
    'on one page that lists every type it exports; the full descriptions show in your editor.',
    '',
    '| package | what it is for |',
    '|---|---|',
    ...packages.filter((p) => p.hasEntryPoint).map((p) => `| [${p.name}](./${packagePageOf(p.name)}) | ${p.description} |`),
    '',
  ];
  return lines.join('\n');
}

/** The page typedoc-plugin-markdown writes for a package (module) in packages mode. */
function packagePageOf(name: string): string {
  for (const candidate of [`${name}/index`, `${name}/README`, name]) {
    if (existsSync(path.join(apiRoot, `${candidate}.md`))) return candidate;
  }
  throw new Error(`typedoc wrote no page for package ${name} under ${apiRoot}`);
}

// ---------------------------------------------------------------------------------------------
// 2. the symbol index, and links between guides and API pages

interface ApiSymbol {
  /** Package the symbol belongs to, e.g. `@k8s-gen/audit`. */
  packageName: string;
  /** Its name, e.g. `policy`; members are `Owner.member`, namespaced symbols `ns.name`. */
  symbol: string;
  /** Where it is documented, e.g. `/api/@k8s-gen/audit/functions/policy.html`. */
  href: string;
  /** The Markdown file of that page. */
  file: string;
}

/** Folders typedoc-plugin-markdown uses for one page per exported symbol. */
const symbolFolders = new Set(['functions', 'classes', 'interfaces', 'type-aliases', 'variables', 'enumerations']);

/**
 * The `id` VitePress gives a heading that is one identifier, optionally with `()`: what its
 * slugify makes of it (separators become `-`, lower case). The links test checks every one.
 */
function identifierAnchor(heading: string): string {
  return heading.replace(/\(\)$/, '').replace(/[_$]+/g, '-').replace(/^-+|-+$/g, '').replace(/^(\d)/, '_$1').toLowerCase();
}

/** Level-3 headings that name one member (`### omitStages()`), outside code blocks. */
function memberHeadings(markdown: string): string[] {
  const names: string[] = [];
  let inCode = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inCode = !inCode;
    const member = inCode ? null : /^### ([A-Za-z_$][\w$]*)(\(\))?$/.exec(line);
    if (member !== null) names.push(member[1]!);
  }
  return names;
}

function indexTypedocSymbols(packageNames: string[]): ApiSymbol[] {
  const symbols: ApiSymbol[] = [];
  for (const file of listFiles(apiRoot, '.md')) {
    const relative = path.relative(apiRoot, file).split(path.sep).join('/');
    const packageName = packageNames.find((name) => relative.startsWith(`${name}/`));
    if (packageName === undefined) continue;
    const rest = relative.slice(packageName.length + 1).split('/');
    const folder = rest[rest.length - 2];
    if (folder === undefined || !symbolFolders.has(folder)) continue;
    const name = rest[rest.length - 1]!.replace(/\.md$/, '');
    const namespace = rest[0] === 'namespaces' ? `${rest[1]!}.` : '';
    const href = `/api/${relative.replace(/\.md$/, '.html')}`;
    symbols.push({ packageName, symbol: `${namespace}${name}`, href, file });
    const seen = new Set<string>();
    for (const member of memberHeadings(readFileSync(file, 'utf8'))) {
      if (seen.has(member) || member === 'Constructor') continue;
      seen.add(member);
      symbols.push({ packageName, symbol: `${namespace}${name}.${member}`, href: `${href}#${identifierAnchor(member)}`, file });
    }
  }
  return symbols;
}

/** Named imports from k8s-gen packages in one example file, e.g. `policy` from `@k8s-gen/audit`. */
function importsOf(exampleFile: string): Array<{ packageName: string; symbol: string }> {
  const source = readFileSync(exampleFile, 'utf8');
  const found: Array<{ packageName: string; symbol: string }> = [];
  const pattern = /import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+['"]((?:@k8s-gen\/[\w-]+)|k8s-gen)['"]/g;
  for (const match of source.matchAll(pattern)) {
    for (const specifier of match[1]!.split(',')) {
      const symbol = specifier.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!.trim();
      if (symbol !== '') found.push({ packageName: match[2]!, symbol });
    }
  }
  return found;
}

interface Guide {
  /** VitePress relative path, e.g. `guide/cookbook.md`. */
  relativePath: string;
  title: string;
  link: string;
  apiSymbols: ApiSymbol[];
}

/** The page part of an href: `/api/x/functions/f.html#a` → `/api/x/functions/f`. */
function pageOf(href: string): string {
  return href.replace(/#.*$/, '').replace(/(\.html|\.md)$/, '').replace(/\/$/, '/index');
}

function collectGuides(symbols: ApiSymbol[]): Guide[] {
  const pages = symbols.filter((s) => !s.href.includes('#'));
  const byPage = new Map(pages.map((s) => [pageOf(s.href), s]));
  const guides: Guide[] = [];
  for (const file of listFiles(guideRoot, '.md')) {
    const markdown = readFileSync(file, 'utf8');
    const title = /^#\s+(.+)$/m.exec(markdown)?.[1]?.trim() ?? path.basename(file, '.md');
    const used = new Map<string, ApiSymbol>();
    for (const include of markdown.matchAll(/^<<<\s+@\/examples\/([\w./-]+\.ts)/gm)) {
      const example = path.join(examplesRoot, include[1]!);
      if (!existsSync(example)) {
        // VitePress stops the build on a missing snippet; this message names every missing one first.
        process.stderr.write(`docs: ${path.relative(docsRoot, file)} includes a missing example ${include[1]!}\n`);
        continue;
      }
      for (const { packageName, symbol } of importsOf(example)) {
        const found = symbols.find((s) => s.packageName === packageName && s.symbol === symbol);
        if (found !== undefined) used.set(`${found.packageName}:${found.symbol}`, found);
      }
    }
    for (const link of markdown.matchAll(/\]\((\/api\/[^)#\s]+?)(?:\.md|\.html)?(?:#[^)]*)?\)/g)) {
      const found = byPage.get(pageOf(link[1]!));
      if (found !== undefined) used.set(`${found.packageName}:${found.symbol}`, found);
    }
    const relativePath = path.relative(docsRoot, file).split(path.sep).join('/');
    guides.push({
      relativePath,
      title,
      link: `/${relativePath.replace(/\.md$/, '')}`,
      apiSymbols: [...used.values()].sort((a, b) => compareStrings(a.href, b.href) || compareStrings(a.symbol, b.symbol)),
    });
  }
  return guides;
}

/**
 * `{@link Name}` targets for the hover popups: each name documented in one package, or in several
 * of which one is below all the others (the re-exported original, e.g. `Problem` in runtime).
 */
function hoverLinkTargets(symbols: ApiSymbol[], packages: DocumentedPackage[]): Record<string, string> {
  const below = dependencyClosure(packages);
  const byName = new Map<string, ApiSymbol[]>();
  for (const s of symbols) byName.set(s.symbol, [...(byName.get(s.symbol) ?? []), s]);
  const targets: Record<string, string> = {};
  for (const [name, candidates] of [...byName].sort(([a], [b]) => compareStrings(a, b))) {
    const origin = candidates.find((c) => candidates.every((other) => other.packageName === c.packageName || below.get(other.packageName)?.has(c.packageName)));
    if (origin !== undefined) targets[name] = origin.href;
  }
  return targets;
}

/** For each documented package, the documented packages it depends on, directly or not. */
function dependencyClosure(packages: DocumentedPackage[]): Map<string, Set<string>> {
  const direct = new Map(
    packages.map((p) => {
      const manifest = JSON.parse(readFileSync(path.join(repoRoot, p.folder, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
      return [p.name, Object.keys(manifest.dependencies ?? {})] as const;
    }),
  );
  const closure = new Map<string, Set<string>>();
  const visit = (name: string): Set<string> => {
    const known = closure.get(name);
    if (known !== undefined) return known;
    const all = new Set<string>();
    closure.set(name, all);
    for (const dependency of direct.get(name) ?? []) {
      if (!direct.has(dependency)) continue;
      all.add(dependency);
      for (const further of visit(dependency)) all.add(further);
    }
    return all;
  };
  for (const name of direct.keys()) visit(name);
  return closure;
}

function linkGuidesAndApi(packages: DocumentedPackage[], summarySymbols: ApiSymbol[]): void {
  const symbols = [...indexTypedocSymbols(packages.map((p) => p.name)), ...summarySymbols];
  const guides = collectGuides(symbols);

  const guideLinks: Record<string, Array<{ text: string; link: string }>> = {};
  for (const guide of guides) {
    guideLinks[guide.relativePath] = guide.apiSymbols.map((s) => ({ text: `${s.packageName}: ${s.symbol}`, link: s.href }));
  }
  writeAtomic(path.join(apiRoot, 'guide-links.json'), `${JSON.stringify(guideLinks, null, 2)}\n`);
  writeAtomic(path.join(apiRoot, 'hover-links.json'), `${JSON.stringify(hoverLinkTargets(symbols, packages), null, 2)}\n`);

  for (const file of new Set(symbols.map((s) => s.file))) {
    const users = guides.filter((guide) => guide.apiSymbols.some((used) => used.file === file));
    if (users.length === 0) continue;
    const section = ['', '## Guides', '', 'Guides whose examples use this:', '', ...users.map((g) => `- [${g.title}](${g.link})`), ''];
    writeAtomic(file, `${readFileSync(file, 'utf8').trimEnd()}\n${section.join('\n')}`);
  }
}

// ---------------------------------------------------------------------------------------------
// 3. CLI reference from the real --help output

/** The CLI reference: every command's `--help`, parents before their subcommands. */
function cliReferenceMarkdown(): string {
  const sections: string[] = [];
  for (const { words, help } of cliHelpTree()) {
    const heading = '#'.repeat(Math.min(2 + words.length, 4));
    sections.push(`${heading} \`k8s-gen${words.map((w) => ` ${w}`).join('')}\``, '', '```text', help, '```', '');
  }
  return `${sections.join('\n')}\n`;
}

const packages = documentedPackages();
rmSync(apiRoot, { recursive: true, force: true });
// typedoc is most of this script's time and runs in its own process: read the CLI's help and the
// summary packages' sources on the other core meanwhile, and write them once typedoc is done
// (it empties api/ when it starts writing).
const typedoc = runTypedoc(packages);
const cliReference = cliReferenceMarkdown();
const summaries = readSummaries(packages);
process.stdout.write(await typedoc);
showVerbatim(apiRoot);
const summarySymbols = writeSummaryPages(summaries);
addSummaryPackagesToSidebar(packages);
rewriteSiteLinks(packages);
writeAtomic(path.join(apiRoot, 'index.md'), apiIndexPage(packages));
linkGuidesAndApi(packages, summarySymbols);
writeAtomic(path.join(apiRoot, '_partials', 'cli-commands.md'), cliReference);

// Paths and package facts shared by the docs scripts and tests.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The docs folder (where this site's package.json lives). */
export const docsRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The monorepo root. */
export const repoRoot = path.resolve(docsRoot, '..');
/** Where typedoc writes the API reference (git-ignored, rebuilt on every build). */
export const apiRoot = path.join(docsRoot, 'api');
/** The folder VitePress builds the static site into. */
export const siteRoot = path.join(docsRoot, '.vitepress', 'dist');
/** Typed examples that guides include and the tests compile and run. */
export const examplesRoot = path.join(docsRoot, 'examples');
/** Guide pages. */
export const guideRoot = path.join(docsRoot, 'guide');

/** The docs site's public address (docs/package.json `homepage`); package READMEs link to it. */
export const siteUrl: string = (JSON.parse(readFileSync(path.join(docsRoot, 'package.json'), 'utf8')) as { homepage: string }).homepage;

/**
 * Packages whose reference is one page (their README plus a generated list of what they export)
 * instead of a page per symbol. `@k8s-gen/core` is Kubernetes' own core/v1 API, generated from
 * its spec: ~1000 symbols whose TSDoc reaches users in their editor and in the core-builders guide,
 * and whose per-symbol pages would be most of the site and most of its search index.
 */
export const summaryPackages: ReadonlySet<string> = new Set(['@k8s-gen/core']);

export interface DocumentedPackage {
  /** Folder relative to the repository root, e.g. `packages/audit`. */
  folder: string;
  /** npm package name, e.g. `@k8s-gen/audit`. */
  name: string;
  /** package.json `description`. */
  description: string;
  /** Whether `src/index.ts` exists yet (typedoc's entry point). */
  hasEntryPoint: boolean;
  /** Documented on one summary page (see {@link summaryPackages}) rather than a page per symbol. */
  summary: boolean;
}

interface Manifest {
  name: string;
  description?: string;
  workspaces?: string[];
  devDependencies?: Record<string, string>;
}

function readManifest(folder: string): Manifest {
  return JSON.parse(readFileSync(path.join(repoRoot, folder, 'package.json'), 'utf8')) as Manifest;
}

/** Every workspace folder of the repository by its package name. */
function workspaceFolders(): Map<string, string> {
  const folders = new Map<string, string>();
  for (const pattern of readManifest('.').workspaces ?? []) {
    const candidates = pattern.endsWith('/*')
      ? readdirSync(path.join(repoRoot, pattern.slice(0, -2))).map((name) => `${pattern.slice(0, -2)}/${name}`)
      : [pattern];
    for (const folder of candidates) {
      if (existsSync(path.join(repoRoot, folder, 'package.json'))) folders.set(readManifest(folder).name, folder);
    }
  }
  return folders;
}

/**
 * Every documented package: the workspace packages the docs site depends on (docs/package.json
 * `devDependencies`, which also makes turbo generate their code before the site is built), sorted
 * by npm name. Documenting one more package is one line there.
 */
export function documentedPackages(): DocumentedPackage[] {
  const folders = workspaceFolders();
  const names = Object.keys(readManifest('docs').devDependencies ?? {}).filter((name) => folders.has(name));
  return names.sort().map((name) => {
    const folder = folders.get(name)!;
    return {
      folder,
      name,
      description: readManifest(folder).description ?? '',
      hasEntryPoint: existsSync(path.join(repoRoot, folder, 'src', 'index.ts')),
      summary: summaryPackages.has(name),
    };
  });
}

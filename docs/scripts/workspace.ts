// Paths and package facts shared by the docs scripts and tests.
import { existsSync, readFileSync } from 'node:fs';
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

/** The workspace folders whose public API the reference documents, in sidebar order. */
export const documentedPackageFolders = [
  'packages/audit',
  'packages/engine',
  'packages/constructs',
  'packages/kubeconfig',
  'packages/auditregistration',
  'packages/core',
  'packages/yaml',
  'generator',
  'packages/cli',
] as const;

export interface DocumentedPackage {
  /** Folder relative to the repository root. */
  folder: string;
  /** npm package name, e.g. `@k8s-gen/audit`. */
  name: string;
  /** Whether `src/index.ts` exists yet (typedoc's entry point). */
  hasEntryPoint: boolean;
}

/** Every documented package with its npm name and whether its entry point exists. */
export function documentedPackages(): DocumentedPackage[] {
  return documentedPackageFolders.map((folder) => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, folder, 'package.json'), 'utf8')) as {
      name: string;
    };
    return {
      folder,
      name: manifest.name,
      hasEntryPoint: existsSync(path.join(repoRoot, folder, 'src', 'index.ts')),
    };
  });
}

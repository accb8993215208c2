// The package READMEs are what users read first: on npm, in the tarball, and as each package's page
// on this site. They say what the package is, how to install it, show a typed example and link to
// the site; developer notes (tests, ../shared, monorepo commands) live in <package>/test/README.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { documentedPackages, docsRoot, repoRoot, siteUrl } from '../scripts/workspace.js';
import { coreGenerated } from '../../test/support/shared-data.js';

const packages = documentedPackages();
const readmeOf = (folder: string): string => readFileSync(path.join(repoRoot, folder, 'README.md'), 'utf8');

/** The fenced ```ts blocks of a Markdown text. */
function typescriptBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
}

/** Text a user outside this repository could not act on, with why. */
const developerOnly: Array<[RegExp, string]> = [
  [/\.\.\//, 'a relative path out of the package (../)'],
  [/\bshared\//, 'the ../shared material beside the repository'],
  [/(^|[\s(`'"])(packages|generator|docs|examples|bench|test)\/[\w.-]/m, 'a path inside this repository'],
  [/\bnpm run\b|\bnpx (vitest|tsx|turbo)\b|\bturbo run\b|\s-w [\w@/-]+/, 'a monorepo command'],
  [/^#+ Tests\b/m, 'a "Tests" section (developer notes belong in test/README.md)'],
  [/@k8s-gen\/source/, 'the workspace-only export condition'],
];

describe('package READMEs', () => {
  const work = mkdtempSync(path.join(docsRoot, 'test', '.tmp-readmes-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each(packages.map((p) => [p.name, p.folder]))('%s: user-facing, with an install line, a typed example and links to the site', (name, folder) => {
    const readme = readmeOf(folder);
    const found = developerOnly.filter(([pattern]) => pattern.test(readme)).map(([pattern, why]) => `${why}: ${pattern.exec(readme)![0].trim()}`);
    expect(found).toEqual([]);
    expect(readme).toMatch(new RegExp(`^npm install (--save-dev )?${name.replace('/', '\\/')}\\b`, 'm'));
    expect(typescriptBlocks(readme).length).toBeGreaterThan(0);
    expect(readme).toContain(`](${siteUrl}`);
  });

  it.each(packages.filter((p) => existsSync(path.join(repoRoot, p.folder, 'test'))).map((p) => [p.name, p.folder]))(
    '%s: keeps its developer notes in test/README.md',
    (_name, folder) => {
      const notes = path.join(repoRoot, folder, 'test', 'README.md');
      expect(existsSync(notes), notes).toBe(true);
      expect(readFileSync(notes, 'utf8')).toMatch(/^## Tests\b/m);
    },
  );

  it(`every TypeScript example type-checks (strict) against the packages${coreGenerated ? '' : ' (but core\'s: @k8s-gen/core was not generated)'}`, () => {
    const files: string[] = [];
    // A clone without a Kubernetes spec has no generated @k8s-gen/core to check core's README against.
    for (const pkg of packages.filter((p) => p.name !== '@k8s-gen/core' || coreGenerated)) {
      typescriptBlocks(readmeOf(pkg.folder)).forEach((block, index) => {
        const file = `${pkg.name.replace(/[@/]/g, '_')}-${index}.ts`;
        // `export {}` makes every block a module, so top-level await and local names are its own.
        writeFileSync(path.join(work, file), `${block}\nexport {};\n`);
        files.push(file);
      });
    }
    writeFileSync(path.join(work, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(
      path.join(work, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noUncheckedIndexedAccess: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
          // The packages' sources, as the repository's own tests and the site's examples read them.
          customConditions: ['@k8s-gen/source'],
        },
        files,
      }),
    );
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', work], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
    // Checking core/v1 from its sources (~700 files) takes most of this; give a shared machine room.
  }, 300_000);
});

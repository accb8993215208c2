// Generates the code of the workspace packages the site documents (their src/generated/ folders,
// which needs the generator built) before typedoc, twoslash and the CLI reference read the
// packages' sources. Under turbo the same happens through docs/turbo.json's `^generate`
// dependency, so the step is skipped there (turbo sets TURBO_HASH for the tasks it runs).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { documentedPackages, repoRoot } from './workspace.js';

/** Packages with a `generate` script. Filtering on exactly these keeps turbo from building the
 * packages that merely depend on them (a `generate` task of a package without the script would
 * still pull in its dependencies' builds). */
function packagesWithGenerate(): string[] {
  return documentedPackages()
    .filter((p) => {
      const manifest = JSON.parse(readFileSync(path.join(repoRoot, p.folder, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
      return manifest.scripts?.generate !== undefined;
    })
    .map((p) => p.name);
}

if (process.env.TURBO_HASH === undefined) {
  const turbo = path.join(repoRoot, 'node_modules', '.bin', 'turbo');
  const filters = packagesWithGenerate().map((name) => `--filter=${name}`);
  const result = spawnSync(turbo, ['run', 'generate', ...filters, '--output-logs=errors-only'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    process.stderr.write('docs: generating the packages\' code failed; the site is built from their sources\n');
    process.exit(result.status ?? 1);
  }
}

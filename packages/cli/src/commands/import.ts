// `k8s-gen import`: generate typed code for a Kubernetes API group/version from an official spec.
import type { Command } from 'commander';
import { importSpec, isGeneratorError, type GenerateProgress, type SourceInput } from '@k8s-gen/generator';
import { CliError } from '../output.js';
import { createProgress } from '../progress.js';

/** `core` means the legacy core group (""), as in `k8s-gen import core`. */
function parseGroupVersion(selector: string): { group: string; version: string } {
  const [left, right, extra] = selector.split('/');
  if (extra !== undefined || left === undefined || left === '') {
    throw new CliError(`"${selector}" is not an API group/version`, 'name one such as core, core/v1 or apps/v1', 2);
  }
  if (right === undefined) {
    if (left === 'core') return { group: 'core', version: 'v1' };
    throw new CliError(
      `cannot tell the API group and version from "${selector}"`,
      'name a group/version such as core, core/v1, apps/v1 or batch/v1',
      2,
    );
  }
  return { group: left, version: right };
}

/** `--spec 1.20=swagger.json` pins the release; a bare spec lets the generator detect it. */
function collectSpecs(value: string, previous: SourceInput[]): SourceInput[] {
  const pinned = /^(\d+\.\d+(?:\.\d+)?)=(.+)$/.exec(value);
  return [...previous, pinned ? { input: pinned[2]!, kubernetesVersion: pinned[1]! } : value];
}

export function register(program: Command): void {
  program
    .command('import')
    .description('Generate TypeScript types, zod schemas and builders for an API group/version from an official Kubernetes spec.')
    .argument('<group-version>', 'what to generate: core (= core/v1), or a group/version such as apps/v1')
    .option(
      '--spec <file|url|->',
      'the Kubernetes OpenAPI v2 swagger.json or _definitions.json: a path, an http(s) URL, or - for stdin; ' +
        'repeat it (optionally as VERSION=SPEC) to merge several releases and record which ones have each field',
      collectSpecs,
      [] as SourceInput[],
    )
    .option('--out <dir>', 'where to write the generated code', 'imports')
    .addHelpText(
      'after',
      `
Examples:
  $ k8s-gen import core --spec swagger.json --out src/imports
  $ k8s-gen import core --spec 1.18=v1.18.json --spec 1.36=v1.36.json --out src/imports
  $ curl -sL <your cluster's /openapi/v2> | k8s-gen import apps/v1 --spec - --out src/imports`,
    )
    .action(async (selector: string, options: { spec: SourceInput[]; out: string }) => {
      const { group, version } = parseGroupVersion(selector);
      if (options.spec.length === 0) {
        throw new CliError('k8s-gen import needs a spec', 'pass --spec swagger.json (a path, an http(s) URL, or - for stdin)', 2);
      }
      const progress = createProgress('import');
      try {
        const summary = await importSpec({
          spec: options.spec,
          group,
          version,
          outDir: options.out,
          onProgress: (event: GenerateProgress) => progress.update(event),
        });
        progress.stop();
        const types = Object.entries(summary.typesPerGroupVersion)
          .map(([groupVersion, count]) => `${groupVersion}: ${count} types`)
          .join(', ');
        process.stdout.write(`wrote ${summary.files} files to ${summary.outDir} (${types})\n`);
      } catch (error) {
        progress.stop();
        throw toCliError(error);
      }
    });
}

/** Generator errors are expected failures (bad spec, unknown group): show them without a stack. */
function toCliError(error: unknown): unknown {
  if (error instanceof CliError) return error;
  if (isGeneratorError(error)) return new CliError(error.message);
  return error;
}

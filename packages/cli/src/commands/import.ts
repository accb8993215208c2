// `k8s-gen import`: generate typed code for a Kubernetes API group/version from an official spec.
import type { Command } from 'commander';
import { importSpec, type ImportProgress } from '@k8s-gen/generator';
import { CliError } from '../output.js';
import { createProgress } from '../progress.js';

/** `core` means the legacy core group (""), as in `k8s-gen import core`. */
function parseGroupVersion(selector: string): { group: string; version: string } {
  const [left, right] = selector.split('/');
  if (right === undefined) {
    if (left === 'core') return { group: '', version: 'v1' };
    throw new CliError(
      `cannot tell the API group and version from "${selector}"`,
      'name a group/version such as core, core/v1, apps/v1 or batch/v1',
      2,
    );
  }
  return { group: left === 'core' ? '' : left!, version: right };
}

export function register(program: Command): void {
  program
    .command('import')
    .description('Generate TypeScript types, zod schemas and builders for an API group/version from an official Kubernetes spec.')
    .argument('<group-version>', 'what to generate: core (= core/v1), or a group/version such as apps/v1')
    .requiredOption('--spec <file|url|->', 'the Kubernetes OpenAPI v2 swagger.json or _definitions.json: a path, an http(s) URL, or - for stdin')
    .option('--out <dir>', 'where to write the generated code', 'imports')
    .addHelpText(
      'after',
      `
Examples:
  $ k8s-gen import core --spec swagger.json --out src/imports
  $ curl -sL <your cluster's /openapi/v2> | k8s-gen import apps/v1 --spec - --out src/imports`,
    )
    .action(async (selector: string, options: { spec: string; out: string }) => {
      const { group, version } = parseGroupVersion(selector);
      const progress = createProgress('import');
      try {
        const summary = await importSpec({
          spec: options.spec,
          group,
          version,
          outDir: options.out,
          onProgress: (event: ImportProgress) => progress.update(event),
        });
        progress.stop();
        process.stdout.write(`${summary.message}\n`);
      } catch (error) {
        progress.stop();
        throw toCliError(error);
      }
    });
}

/** Generator errors are expected failures (bad spec, unknown group): show them without a stack. */
function toCliError(error: unknown): unknown {
  if (error instanceof CliError) return error;
  if (error instanceof Error && error.name === 'GeneratorError') {
    const fix = (error as Error & { fix?: string }).fix;
    return new CliError(error.message, fix);
  }
  return error;
}

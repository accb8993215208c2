// `k8s-gen import`: generate typed code for a Kubernetes API group/version from an official spec.
// The generator is loaded only when the command runs (not to register it, nor for `--help`), so
// no other command ever loads it; its syntax (group/versions, `1.20=spec`) is parsed there too.
import type { Command } from 'commander';
import type * as Generator from '@k8s-gen/generator';
import { CliError } from '../output.js';
import { createProgress } from '../progress.js';

/** Loads the generator, or says how to install it when it is not. */
async function loadGenerator(): Promise<typeof Generator> {
  try {
    return await import('@k8s-gen/generator');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw new CliError('k8s-gen import needs the code generator, @k8s-gen/generator, which is not installed', 'install it beside k8s-gen: npm install --save-dev @k8s-gen/generator', 2);
  }
}

/** A generator error from parsing the command line: the user's words, so exit 2 with the fix. */
function usageError(generator: typeof Generator, error: unknown): unknown {
  if (!generator.isGeneratorError(error)) return error;
  const [issue] = error.issues;
  return issue === undefined ? new CliError(error.message, undefined, 2) : new CliError(issue.message, issue.fix, 2);
}

export function register(program: Command): void {
  program
    .command('import')
    .description('Generate TypeScript types, zod schemas and builders for an API group/version from an official Kubernetes spec.')
    .argument('<group-version>', 'what to generate: core (= core/v1), or a group/version such as apps/v1')
    .option(
      '--spec <[release=]file|url|->',
      'the Kubernetes OpenAPI v2 swagger.json or _definitions.json: a path, an http(s) URL, or - for stdin; ' +
        'repeat it, each with its release in front (1.20=swagger.json), to merge several releases and record which ones have each field',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--out <dir>', 'where to write the generated code', 'imports')
    .option(
      '--self-contained',
      'write the runtime the generated code needs into the output (_runtime.ts) instead of importing @k8s-gen/runtime; the project then needs only zod',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ k8s-gen import core --spec swagger.json --out src/imports
  $ k8s-gen import core --spec 1.18=v1.18.json --spec 1.36=v1.36.json --out src/imports
  $ curl -sL <your cluster's /openapi/v2> | k8s-gen import apps/v1 --spec - --out src/imports

The generated code imports zod and @k8s-gen/runtime: install both in the project that uses it
(npm install zod @k8s-gen/runtime), or pass --self-contained to need zod only.`,
    )
    .action(async (selector: string, options: { spec: string[]; out: string; selfContained?: boolean }) => {
      const generator = await loadGenerator();
      let group: string;
      let version: string;
      let specs: Generator.SourceInput[];
      try {
        ({ group, version } = generator.parseGroupVersion(selector));
        specs = options.spec.map(generator.parseSourceArgument);
      } catch (error) {
        throw usageError(generator, error);
      }
      if (specs.length === 0) {
        throw new CliError('k8s-gen import needs a spec', `pass --spec swagger.json (a path, an http(s) URL, or - for stdin; ${generator.PINNED_SOURCE_SYNTAX} names its release)`, 2);
      }
      const progress = createProgress('import');
      try {
        const summary = await generator.importSpec({
          spec: specs,
          group,
          version,
          outDir: options.out,
          runtime: options.selfContained === true ? 'self-contained' : 'package',
          onProgress: (event) => progress.update(event),
        });
        progress.stop();
        const types = Object.entries(summary.typesPerGroupVersion)
          .map(([groupVersion, count]) => `${groupVersion}: ${count} types`)
          .join(', ');
        process.stdout.write(`wrote ${summary.files} files to ${summary.outDir} (${types})\n`);
        const missing = summary.dependencies.filter((dependency) => !dependency.resolvable).map((dependency) => dependency.name);
        if (missing.length > 0) {
          const names = missing.join(' and ');
          process.stderr.write(
            `note: the generated code imports ${names}, which ${missing.length === 1 ? 'is' : 'are'} not installed where ${summary.outDir} can find ${missing.length === 1 ? 'it' : 'them'}\n` +
              `  fix: npm install ${missing.join(' ')}${missing.includes('@k8s-gen/runtime') ? ' (or run again with --self-contained to write the runtime into the output)' : ''}\n`,
          );
        }
      } catch (error) {
        progress.stop();
        throw generator.isGeneratorError(error) ? new CliError(error.message) : error;
      }
    });
}

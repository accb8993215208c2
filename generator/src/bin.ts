/**
 * `k8s-gen-generate`: generates code from sources into a folder; the SDK packages' `generate`
 * scripts run it. Usage:
 *
 *   k8s-gen-generate --out <dir> [--select core/v1 ...] <source>[@<release>] ...
 *
 * A source is a path, an http(s) URL or `-`. Bad input prints one clear line, never a stack.
 */
import { parseArgs } from 'node:util';
import { isGeneratorError } from './errors.js';
import { generate, type SourceInput } from './generate.js';

const USAGE = 'usage: k8s-gen-generate --out <dir> [--select <group>/<version> ...] <source>[@<release>] ...';

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' }, select: { type: 'string', multiple: true }, quiet: { type: 'boolean' } } });
  } catch (error) {
    process.stderr.write(`k8s-gen-generate: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.out === undefined || positionals.length === 0) {
    process.stderr.write(`k8s-gen-generate: ${values.out === undefined ? 'missing --out' : 'no sources given'}\n${USAGE}\n`);
    return 2;
  }
  const sources: SourceInput[] = positionals.map((p) => {
    const match = /^(.*)@(\d+\.\d+)$/.exec(p);
    return match === null ? p : { input: match[1]!, kubernetesVersion: match[2]! };
  });
  const started = performance.now();
  try {
    const summary = await generate({ sources, outDir: values.out, ...(values.select === undefined ? {} : { select: values.select }) });
    if (values.quiet !== true) {
      const counts = Object.entries(summary.typesPerGroupVersion).map(([gv, n]) => `${gv}: ${n} types`).join(', ');
      process.stdout.write(`k8s-gen-generate: wrote ${summary.files} files to ${summary.outDir} (${counts}) in ${Math.round(performance.now() - started)} ms\n`);
    }
    return 0;
  } catch (error) {
    if (isGeneratorError(error)) {
      process.stderr.write(`k8s-gen-generate: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));

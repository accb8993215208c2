/**
 * `k8s-gen-generate`: generates code from sources into a folder; the SDK packages' `generate`
 * scripts run it. Usage:
 *
 *   k8s-gen-generate --out <dir> [--select core/v1 ...] [<release>=]<source> ...
 *
 * A source is a path, an http(s) URL or `-`, with its Kubernetes release in front when it is
 * given (`1.20=swagger.json`, the syntax of `k8s-gen import --spec` too; see arguments.ts). Bad
 * input prints one clear line, never a stack.
 */
import { parseArgs } from 'node:util';
import { parseSourceArgument } from './arguments.js';
import { isGeneratorError } from './errors.js';
import { generate } from './generate.js';

const USAGE = 'usage: k8s-gen-generate --out <dir> [--select <group>/<version> ...] [<release>=]<source> ...';

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
  let sources;
  try {
    sources = positionals.map(parseSourceArgument);
  } catch (error) {
    if (!isGeneratorError(error)) throw error;
    process.stderr.write(`k8s-gen-generate: ${error.message}\n${USAGE}\n`);
    return 2;
  }
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

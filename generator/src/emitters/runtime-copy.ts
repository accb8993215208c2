/**
 * The self-contained runtime: for projects that do not want to depend on `@k8s-gen/runtime`,
 * `_runtime.ts` holds the runtime modules generated code uses, built from the installed runtime
 * package's own TypeScript sources (never a second hand-written copy):
 *
 * 1. start from the modules of the runtime's `src/index.ts` that export a name generated code
 *    imports (`RUNTIME_EXPORTS`), and add every module they import, relatively, in turn;
 * 2. write them one after the other, dependencies first, without their relative imports (the
 *    names they import are now declared in the same file); their exports stay exports.
 *
 * Only the shapes the runtime's sources use are accepted (one-line `export { … } from './x.js'` in
 * the index, `import { … } from './x.js'` in modules, no other imports); anything else is an
 * error naming the file, so a change in the runtime that this cannot copy is found at once, never
 * copied wrongly. `test/self-contained.test.ts` type-checks and runs the copy.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GeneratorError } from '../errors.js';
import { RUNTIME_EXPORTS, RUNTIME_PACKAGE } from '../model/naming.js';

const INDEX_EXPORT = /^export\s*\{([^}]*)\}\s*from\s*'\.\/([\w-]+)\.js';$/gm;
const RELATIVE_IMPORT = /^import\s+(?:type\s+)?\{[^}]*\}\s*from\s*'\.\/([\w-]+)\.js';\n/gm;
const ANY_IMPORT = /^\s*import\s|^\s*export\s[^;]*\sfrom\s/m;

/** The folder of the installed runtime's TypeScript sources. */
function runtimeSourceFolder(): string {
  try {
    const manifest = createRequire(import.meta.url).resolve(`${RUNTIME_PACKAGE}/package.json`);
    return join(dirname(manifest), 'src');
  } catch {
    throw new GeneratorError(`a self-contained output is built from the sources of ${RUNTIME_PACKAGE}, which is not installed beside the generator; install it, or generate without the self-contained runtime`);
  }
}

function read(folder: string, file: string): string {
  try {
    return readFileSync(join(folder, file), 'utf8');
  } catch (error) {
    throw new GeneratorError(`cannot read ${RUNTIME_PACKAGE}/src/${file} (${(error as Error).message}) to build the self-contained runtime; reinstall ${RUNTIME_PACKAGE}`);
  }
}

/**
 * The text of `_runtime.ts` (without the generated-file header): the runtime modules generated
 * code needs, from the installed runtime's sources.
 *
 * @example
 * ```ts
 * const text = selfContainedRuntime(); // 'export interface Problem { ...'
 * ```
 */
export function selfContainedRuntime(): string {
  const folder = runtimeSourceFolder();
  const needed = new Set<string>([...RUNTIME_EXPORTS.values, ...RUNTIME_EXPORTS.types]);
  const roots: string[] = [];
  for (const match of read(folder, 'index.ts').matchAll(INDEX_EXPORT)) {
    const names = match[1]!.split(',').map((n) => n.trim().replace(/^type\s+/, ''));
    if (names.some((n) => needed.has(n))) roots.push(match[2]!);
  }
  const ordered: string[] = [];
  const bodies = new Map<string, string>();
  const visit = (module: string, chain: string[]): void => {
    if (bodies.has(module)) return;
    if (chain.includes(module)) throw new GeneratorError(`the runtime's modules ${[...chain, module].join(' -> ')} import each other in a cycle; the self-contained runtime cannot order them`);
    const text = read(folder, `${module}.ts`);
    const dependencies = [...text.matchAll(RELATIVE_IMPORT)].map((m) => m[1]!);
    const body = text.replace(RELATIVE_IMPORT, '');
    if (ANY_IMPORT.test(body)) {
      throw new GeneratorError(`${RUNTIME_PACKAGE}/src/${module}.ts imports or re-exports in a way the self-contained runtime cannot copy; generate without it, and report this to k8s-gen`);
    }
    for (const dependency of dependencies) visit(dependency, [...chain, module]);
    bodies.set(module, body.trim());
    ordered.push(module);
  };
  for (const root of roots) visit(root, []);
  const missing = [...needed].filter((name) => !ordered.some((module) => new RegExp(`export (?:abstract )?(?:class|function|interface|type|const) ${name}\\b`).test(bodies.get(module)!)));
  if (missing.length > 0) {
    throw new GeneratorError(`the sources of ${RUNTIME_PACKAGE} do not declare ${missing.join(', ')}, which generated code imports; install the ${RUNTIME_PACKAGE} that goes with this generator`);
  }
  const sections = ordered.map((module) => `// From ${RUNTIME_PACKAGE}/src/${module}.ts\n\n${bodies.get(module)!}`);
  return `${sections.join('\n\n')}\n`;
}

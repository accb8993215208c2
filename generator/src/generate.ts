/**
 * The library entry of the generator: read sources, build the model, emit, write. The SDK packages'
 * `generate` scripts (through the `k8s-gen-generate` bin) and the CLI's `k8s-gen import` call it.
 */
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { GeneratorError } from './errors.js';
import { emitModel, GENERATED_MARK, type PrinterName } from './emitters/index.js';
import { checkModel } from './model/check.js';
import { sortModel, type ApiModel } from './model/model.js';
import { groupVersionKey, RUNTIME_PACKAGE, selectionKey, type RuntimeSource } from './model/naming.js';
import { compareStrings, parseKubernetesVersion } from '@k8s-gen/runtime';
import { readTree, TreeWriteError, writeTreeAtomically } from '@k8s-gen/runtime/node';
import { PINNED_SOURCE_SYNTAX } from './arguments.js';
import { readInput, type SourceInput } from './sources/input.js';
import { isAuthoredSchema, readJsonSchema } from './sources/json-schema.js';
import { definitionsOf, detectKubernetesVersion, readKubernetesSpec } from './sources/kubernetes.js';
import { mergeVersionedModels, type VersionedModel } from './sources/merge.js';

export type { SourceInput } from './sources/input.js';

/** A step of generation, reported so that a CLI can show progress. */
export interface GenerateProgress {
  phase: 'read' | 'select' | 'model' | 'emit' | 'write' | 'done';
  /** Units (inputs, types or files) handled so far in this phase. */
  done: number;
  total: number;
  /** The input being read, during `read`. */
  input?: string;
}

/** Options of {@link generate}. */
export interface GenerateOptions {
  /** Authored JSON Schemas and/or Kubernetes specs. Several Kubernetes specs are merged by release. */
  sources: SourceInput[];
  /** Group/versions to import from Kubernetes specs, e.g. `['core/v1']`. Required for those specs. */
  select?: string[];
  /** Folder to (re)write; it is replaced as a whole. */
  outDir: string;
  onProgress?: (event: GenerateProgress) => void;
  /**
   * The printer that turns the emitters' structures into text: `fast` (default, does not load the
   * TypeScript compiler) or `ts-morph` (the reference; byte-identical output, slower; needs the
   * optional `ts-morph` package).
   */
  printer?: PrinterName;
  /**
   * Where generated code takes the runtime from: the `@k8s-gen/runtime` package (default; the
   * project must depend on it), or `self-contained`: a copy in `_runtime.ts` beside the generated
   * files, built from the installed runtime's sources.
   */
  runtime?: RuntimeSource;
}

/** A package the generated code imports, and whether it can be found from the output folder. */
export interface GeneratedDependency {
  /** The package name, such as `zod`. */
  name: string;
  /** False when Node's resolution from the output folder does not find it: the project must install it. */
  resolvable: boolean;
}

/** What {@link generate} did. */
export interface GenerateSummary {
  outDir: string;
  /** Number of files written. */
  files: number;
  /** Types generated per group/version (`core/v1`), sorted. */
  typesPerGroupVersion: Record<string, number>;
  /** Names of the inputs as recorded in file headers. */
  sources: string[];
  /** The packages the generated code imports (zod, and the runtime unless it is self-contained). */
  dependencies: GeneratedDependency[];
}

/** Whether Node's module resolution finds `name` from files in `folder`. */
function resolvableFrom(folder: string, name: string): boolean {
  const require = createRequire(join(resolve(folder), 'index.js'));
  for (const request of [`${name}/package.json`, name]) {
    try {
      require.resolve(request);
      return true;
    } catch {
      // Not found this way; packages that do not export package.json are tried by name.
    }
  }
  return false;
}

/** The name of an input as written in headers: the file name for paths, the URL for URLs. */
function displayName(input: string): string {
  if (input === '-') return '<stdin>';
  return /^https?:\/\//i.test(input) ? input : basename(input);
}

/** `1.20`, `v1.20` or `1.20.2` as the release `1.20`; anything else is an error. */
function releaseOf(given: string, input: string): string {
  const parsed = parseKubernetesVersion(given, { oldest: 0, newest: 999 });
  if (!parsed.ok) throw new GeneratorError(`\`${given}\` is not a Kubernetes release; write it like 1.20 (on the command line ${PINNED_SOURCE_SYNTAX})`, input);
  return `1.${parsed.version.minor}`;
}

/** Throws the model check's issues of a model read from `input`, if it has any. */
function checked(model: ApiModel, input: string): ApiModel {
  const issues = checkModel(model);
  if (issues.length > 0) throw GeneratorError.fromIssues(issues, input);
  return model;
}

/**
 * Reads all sources into one model and checks it (see `checkModel`): every model it returns can
 * be emitted.
 *
 * @example
 * ```ts
 * const model = await buildModel({ sources: ['generator/schemas/audit.k8s.io_v1.json'] });
 * ```
 */
export async function buildModel(options: Pick<GenerateOptions, 'sources' | 'select' | 'onProgress'>): Promise<ApiModel> {
  if (options.sources.length === 0) throw new GeneratorError('no sources given; pass at least one JSON Schema or Kubernetes spec');
  const authored: ApiModel[] = [];
  const kubernetes: VersionedModel[] = [];
  let index = 0;
  for (const source of options.sources) {
    const { input, kubernetesVersion } = typeof source === 'string' ? { input: source, kubernetesVersion: undefined } : source;
    options.onProgress?.({ phase: 'read', done: index, total: options.sources.length, input });
    const document = await readInput(input);
    const name = displayName(input);
    if (isAuthoredSchema(document.value)) {
      const inputName = document.name === '<stdin>' ? '<stdin>' : name;
      authored.push(checked(readJsonSchema(document.value, inputName), inputName));
    } else {
      definitionsOf(document.value, document.name);
      if (options.select === undefined || options.select.length === 0) {
        throw new GeneratorError('a Kubernetes spec needs a group/version to import, such as `core/v1` (option `select`)', document.name);
      }
      const model = readKubernetesSpec(document.value, {
        name: document.name,
        select: options.select,
        onProgress: (e) => options.onProgress?.({ phase: e.phase === 'select' ? 'select' : 'model', done: e.done, total: e.total }),
      });
      const version = kubernetesVersion === undefined ? detectKubernetesVersion(document.value, input) : releaseOf(kubernetesVersion, document.name);
      model.sources = [version === undefined ? name : `${name} (Kubernetes ${version})`];
      checked(model, document.name);
      kubernetes.push({ kubernetesVersion: version ?? '', model });
    }
    index++;
  }
  if (kubernetes.length > 1) {
    const unknown = kubernetes.find((k) => k.kubernetesVersion === '');
    if (unknown !== undefined) {
      throw new GeneratorError(
        `cannot tell which Kubernetes release this spec describes, which merging several specs needs; give it explicitly (\`{ input, kubernetesVersion: "1.20" }\`, or \`${PINNED_SOURCE_SYNTAX}\` on the command line)`,
        unknown.model.sources[0],
      );
    }
    const versions = kubernetes.map((k) => k.kubernetesVersion);
    const duplicate = versions.find((v, i) => versions.indexOf(v) !== i);
    if (duplicate !== undefined) throw new GeneratorError(`two specs describe Kubernetes ${duplicate}; give each spec a different release`);
  }
  const parts: ApiModel[] = [...authored];
  if (kubernetes.length === 1) parts.push(kubernetes[0]!.model);
  // Merging adds the fields of older releases, which can collide with the newer ones.
  if (kubernetes.length > 1) parts.push(checked(mergeVersionedModels(kubernetes), kubernetes.map((k) => k.model.sources[0]).join(', ')));
  const seen = new Set<string>();
  for (const part of parts) {
    for (const gv of part.groupVersions) {
      const key = groupVersionKey(gv);
      if (seen.has(key)) throw new GeneratorError(`two sources both define group/version ${key}; generate them into different folders`);
      seen.add(key);
    }
  }
  return sortModel({
    sources: parts.flatMap((p) => p.sources),
    groupVersions: parts.flatMap((p) => p.groupVersions),
    primary: parts.flatMap((p) => p.primary),
  });
}

/** Whether every file of a folder was written by the generator (an empty folder counts). */
function isGeneratedFolder(folder: string): boolean {
  return [...readTree(folder).values()].every((text) => text.startsWith(GENERATED_MARK));
}

/**
 * Generates types, zod schemas, builders, metadata and barrels for the given sources into
 * `outDir`, replacing it atomically.
 *
 * @example
 * ```ts
 * await generate({ sources: ['generator/schemas/audit.k8s.io_v1.json'], outDir: 'src/generated' });
 * ```
 */
export async function generate(options: GenerateOptions): Promise<GenerateSummary> {
  const model = await buildModel(options);
  const runtime = options.runtime ?? 'package';
  const files = emitModel(model, { onProgress: (e) => options.onProgress?.(e), printer: options.printer, runtime });
  options.onProgress?.({ phase: 'write', done: 0, total: files.size });
  try {
    // Generated code is rebuilt on demand, so it is not fsynced; a folder is replaced only when
    // everything in it was generated by k8s-gen.
    writeTreeAtomically(
      options.outDir,
      [...files].map(([path, contents]) => ({ path, contents })),
      { durable: false, replaceFolder: isGeneratedFolder },
    );
  } catch (error) {
    if (error instanceof TreeWriteError) throw new GeneratorError(`${error.message}; ${error.fix}`, options.outDir);
    throw new GeneratorError(`cannot write the generated files (${(error as Error).message}); check that the folder and its parent are writable`, options.outDir);
  }
  options.onProgress?.({ phase: 'done', done: files.size, total: files.size });
  const typesPerGroupVersion: Record<string, number> = {};
  for (const gv of [...model.groupVersions].sort((a, b) => compareStrings(groupVersionKey(a), groupVersionKey(b)))) {
    typesPerGroupVersion[groupVersionKey(gv)] = gv.types.length;
  }
  const imported = runtime === 'package' ? [RUNTIME_PACKAGE, 'zod'] : ['zod'];
  const dependencies = imported.map((name) => ({ name, resolvable: resolvableFrom(options.outDir, name) }));
  return { outDir: options.outDir, files: files.size, typesPerGroupVersion, sources: model.sources, dependencies };
}

/** Options of {@link importSpec}. */
export interface ImportSpecOptions {
  /** The spec: a path, an http(s) URL or `-`, or several releases to merge. */
  spec: SourceInput | SourceInput[];
  /** API group: `core` (or `''`) for the legacy core group, else e.g. `apps` or `networking.k8s.io`. */
  group: string;
  /** API version; `v1` when absent. */
  version?: string;
  outDir: string;
  onProgress?: (event: GenerateProgress) => void;
  /** See {@link GenerateOptions.runtime}. */
  runtime?: RuntimeSource;
}

/**
 * Imports one group/version of an official Kubernetes spec (with everything it references), as
 * `k8s-gen import core --spec swagger.json --out src/imports` does.
 *
 * @example
 * ```ts
 * await importSpec({ spec: 'swagger.json', group: 'core', outDir: 'src/imports' });
 * ```
 */
export async function importSpec(options: ImportSpecOptions): Promise<GenerateSummary> {
  const select = [selectionKey(options.group, options.version ?? 'v1')];
  const sources = Array.isArray(options.spec) ? options.spec : [options.spec];
  const generateOptions: GenerateOptions = { sources, select, outDir: options.outDir };
  if (options.onProgress !== undefined) generateOptions.onProgress = options.onProgress;
  if (options.runtime !== undefined) generateOptions.runtime = options.runtime;
  return generate(generateOptions);
}

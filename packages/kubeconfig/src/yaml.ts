/**
 * Kubeconfig YAML: a deterministic writer that orders keys the way kubectl writes them, and a
 * reader that reports syntax and structure problems with line and column.
 */
import path from 'node:path';
import { pathSegments, readInputFile, readYaml, type ReadLimits, type ReadProblem, type SourcePosition, withoutNullFields, writeYaml } from '@k8s-gen/yaml';
import { commentOf, type Config, ConfigSchema, formatPath, type Problem } from './model.js';
import { structuralProblems } from './structure.js';
import { validateKubeconfig, type ValidateKubeconfigOptions } from './validate.js';

const isLetter = (ch: string): boolean => /\p{L}/u.test(ch);
const isDigit = (ch: string): boolean => /\p{Nd}/u.test(ch);

/**
 * Orders map keys exactly like the YAML library kubectl uses (go-yaml v2): character by
 * character, letters by code point, a non-letter before a letter, runs of digits compared as
 * numbers, and a prefix before the longer key. This is why kubectl writes `apiVersion, clusters,
 * contexts, current-context, kind, preferences, users` and `as, as-groups, ..., tokenFile`.
 */
export function compareKubectlKeys(a: string, b: string): number {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ac = ar[i]!;
    const bc = br[i]!;
    if (ac === bc) continue;
    const al = isLetter(ac);
    const bl = isLetter(bc);
    if (al && bl) return ac.codePointAt(0)! - bc.codePointAt(0)!;
    if (al || bl) return bl ? -1 : 1;
    let an = 0;
    let bn = 0;
    if (ac === '0' || bc === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an - bn;
    if (ai !== bi) return ai - bi;
    return ac.codePointAt(0)! - bc.codePointAt(0)!;
  }
  return ar.length - br.length;
}

/**
 * Serializes a kubeconfig as YAML, byte-for-byte the way `kubectl config view --raw` lays out the
 * same data: keys in kubectl's order, lists not indented under their key, strings that go-yaml
 * would read as booleans, numbers or null (`on`, `yes`, `0777`, `""`) double-quoted, and no line
 * folding (long base64 values stay on one line). Same input, same bytes.
 */
export function toYaml(config: Config): string {
  return writeYaml(config, {
    commentOf,
    keyOrder: (keys) => keys.sort(compareKubectlKeys),
    quoting: 'go-yaml',
    indentSequences: false,
  });
}

export type { SourcePosition } from '@k8s-gen/yaml';

/** The result of {@link parseKubeconfig}. */
export interface ParsedKubeconfig {
  /** The kubeconfig, when the text is valid YAML with the kubeconfig structure; undefined otherwise. */
  config: Config | undefined;
  /** The decoded data, whatever its shape (undefined when the YAML itself is broken). */
  data: unknown;
  /** Syntax and structure problems, each with file, line and column. */
  problems: Problem[];
  /** Position of the key (or value) at a problem path such as `users[0].user.token`; nearest existing ancestor otherwise. */
  locate(problemPath: string): SourcePosition | undefined;
}

/** Options of {@link parseKubeconfig}. */
export interface ParseKubeconfigOptions {
  /** File name put into problems. */
  file?: string;
  /** Reading limits (size, depth, aliases); see `@k8s-gen/yaml`'s `DEFAULT_READ_LIMITS`. */
  limits?: Partial<ReadLimits>;
}

/** The data of a kubeconfig as the Go loader reads it, and the problems found on the way. */
interface KubeconfigRead {
  data: unknown;
  problems: Problem[];
  locate(problemPath: string): SourcePosition | undefined;
}

/**
 * Reads kubeconfig bytes or text the way client-go's loader does: YAML through go-yaml v2 (its
 * character rules, YAML 1.1 scalars: `on` is a boolean, `0123` a number, so either is a type
 * error where a string is expected, exactly as kubectl and kube-apiserver report it), only the
 * first document, a null or empty value counting as absent, and an empty file an empty config.
 */
function readKubeconfig(input: string | Uint8Array, options: ParseKubeconfigOptions): KubeconfigRead {
  const withFile = (problem: ReadProblem): Problem => {
    const { at, ...rest } = problem;
    return { ...rest, path: formatPath(at), ...(options.file !== undefined ? { file: options.file } : {}) };
  };
  const stream = readYaml(input, options.limits ? { limits: options.limits } : {});
  const [first, ...rest] = stream.documents;
  const locate = (problemPath: string): SourcePosition | undefined => first?.locate(pathSegments(problemPath));
  if (stream.problems.length > 0) return { data: undefined, problems: stream.problems.map(withFile), locate };
  const problems = [...(first?.problems ?? []), ...(first?.duplicateKeys ?? [])].map(withFile);
  if (rest.length > 0) {
    // client-go decodes the file with go-yaml v2, which reads only its first document.
    problems.push(
      withFile({
        severity: 'error',
        code: 'ignored-document',
        at: [],
        message: 'kubectl and kube-apiserver read only the first YAML document of a kubeconfig; the rest is ignored.',
        fix: 'Put everything in the first document and remove the others (or the "---" line).',
        ...rest[0]!.start,
      }),
    );
  }
  if (first !== undefined && first.problems.length > 0) return { data: undefined, problems, locate };
  const data = first === undefined || first.data === null ? {} : withoutNullFields(first.data);
  return { data, problems, locate };
}

/**
 * Parses a kubeconfig (YAML or JSON, bytes or text) the way kubectl and kube-apiserver load it,
 * within the reading limits of `@k8s-gen/yaml` (input too large, too deep or with too many
 * aliases is refused with a problem). YAML 1.1 rules apply, as in the Go loader: `yes`/`on` are
 * booleans where a boolean is expected. Only the first document counts. Never throws for bad
 * input: problems are returned with file, line and column.
 *
 * @example
 * ```ts
 * const { config, problems, locate } = parseKubeconfig(readFileSync('webhook.yaml'), { file: 'webhook.yaml' });
 * locate('clusters[0].cluster.server'); // { line: 4, column: 5 }
 * ```
 */
export function parseKubeconfig(input: string | Uint8Array, options: ParseKubeconfigOptions = {}): ParsedKubeconfig {
  const read = readKubeconfig(input, options);
  if (read.data === undefined) return { config: undefined, ...read };
  const structural = structuralProblems(ConfigSchema, read.data).map((problem) => ({ ...problem, ...(options.file !== undefined ? { file: options.file } : {}), ...read.locate(problem.path) }));
  const problems = [...read.problems, ...structural];
  const config = problems.some((p) => p.severity === 'error') ? undefined : (read.data as Config);
  return { config, data: read.data, problems, locate: read.locate };
}

/** Options of {@link loadKubeconfig}. */
export type LoadKubeconfigOptions = Omit<ValidateKubeconfigOptions, 'file' | 'baseDir'> & {
  /** Check that referenced files exist (relative to the kubeconfig's directory). Default true. */
  checkFiles?: boolean;
  /** Reading limits; the file is never read beyond `maxBytes + 1` bytes. */
  limits?: Partial<ReadLimits>;
};

/**
 * Reads, parses and validates a kubeconfig file the way kube-apiserver would load it, returning
 * every problem with its file, line and column. `config` is set only when there is no error.
 */
export async function loadKubeconfig(file: string, options: LoadKubeconfigOptions = {}): Promise<{ config: Config | undefined; problems: Problem[] }> {
  const bytes = await readInputFile(file, options.limits?.maxBytes === undefined ? {} : { maxBytes: options.limits.maxBytes });
  if (!bytes.ok) {
    const { at: _at, ...problem } = bytes.problem;
    return { config: undefined, problems: [{ ...problem, path: '', file }] };
  }
  const read = readKubeconfig(bytes.bytes, { file, ...(options.limits ? { limits: options.limits } : {}) });
  if (read.data === undefined) return { config: undefined, problems: read.problems };
  const { checkFiles = true, limits: _limits, ...rest } = options;
  const validateOptions: ValidateKubeconfigOptions = { ...rest, file };
  if (checkFiles) validateOptions.baseDir = path.dirname(path.resolve(file));
  const problems = [...read.problems, ...validateKubeconfig(read.data, validateOptions)].map((problem) => {
    if (problem.line !== undefined) return problem;
    const pos = read.locate(problem.path);
    return pos === undefined ? problem : { ...problem, ...pos };
  });
  return { config: problems.some((p) => p.severity === 'error') ? undefined : (read.data as Config), problems };
}

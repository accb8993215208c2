/**
 * Kubeconfig YAML: a deterministic writer that orders keys the way kubectl writes them, and a
 * reader that reports syntax and structure problems with line and column.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { keyText, nodeAtPath, parseGoYaml, writeYaml } from '@k8s-gen/yaml';
import { isMap, isScalar, isSeq } from 'yaml';
import { commentOf, type Config, ConfigSchema, type Problem } from './model.js';
import { structuralProblems } from './structure.js';
import { pathSegments, validateKubeconfig, type ValidateKubeconfigOptions } from './validate.js';

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

/** Line and column (both 1-based) of a place in the source text. */
export interface SourcePosition {
  line: number;
  column: number;
}

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
}

/**
 * Converts the parsed YAML to plain data the way the Go loader sees it: YAML 1.1 scalars keep
 * their resolved type (`on` is a boolean, `0123` a number, so either is a type error where a
 * string is expected, exactly as kubectl and kube-apiserver report it), a null or empty value
 * counts as absent, and dates stay text (go-yaml v2 rules, see `parseGoYaml`).
 */
function toData(node: unknown): unknown {
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const value = toData(pair.value);
      if (value !== undefined) out[keyText(pair)] = value;
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((item) => toData(item) ?? null);
  if (isScalar(node)) return node.value === null ? undefined : node.value;
  return undefined;
}

/**
 * Parses kubeconfig text (YAML or JSON). YAML 1.1 rules apply, as in the Go loader: `yes`/`on`
 * are booleans where a boolean is expected. Never throws for bad input: problems are returned
 * with file, line and column.
 */
export function parseKubeconfig(text: string, options: ParseKubeconfigOptions = {}): ParsedKubeconfig {
  const { document: doc, positionOf: at } = parseGoYaml(text, { uniqueKeys: true, prettyErrors: false });
  const withFile = (problem: Problem): Problem => (options.file !== undefined ? { ...problem, file: options.file } : problem);
  const locate = (problemPath: string): SourcePosition => at(nodeAtPath(doc, pathSegments(problemPath), { pointsAt: 'key', missing: 'parent-key' }).offset);

  const syntax: Problem[] = [...doc.errors, ...doc.warnings].map((error) => {
    const pos = at(error.pos[0]);
    const problem: Problem = withFile({
      severity: doc.errors.includes(error) ? 'error' : 'warning',
      code: error.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax',
      path: '',
      message: error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
      fix: error.code === 'DUPLICATE_KEY' ? 'Remove one of the two keys; the loader would keep only one of them.' : 'Fix the YAML syntax at this position.',
    });
    problem.line = pos.line;
    problem.column = pos.column;
    return problem;
  });
  if (doc.errors.length > 0) return { config: undefined, data: undefined, problems: syntax, locate };

  const data = doc.contents === null ? {} : toData(doc.contents) ?? {};
  const structural = structuralProblems(ConfigSchema, data).map((problem) => ({ ...withFile(problem), ...locate(problem.path) }));
  const problems = [...syntax, ...structural];
  const config = problems.some((p) => p.severity === 'error') ? undefined : (data as Config);
  return { config, data, problems, locate };
}

/** Options of {@link loadKubeconfig}. */
export type LoadKubeconfigOptions = Omit<ValidateKubeconfigOptions, 'file' | 'baseDir'> & {
  /** Check that referenced files exist (relative to the kubeconfig's directory). Default true. */
  checkFiles?: boolean;
};

/**
 * Reads, parses and validates a kubeconfig file the way kube-apiserver would load it, returning
 * every problem with its file, line and column. `config` is set only when there is no error.
 */
export async function loadKubeconfig(file: string, options: LoadKubeconfigOptions = {}): Promise<{ config: Config | undefined; problems: Problem[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    return { config: undefined, problems: [{ severity: 'error', code: 'file-unreadable', path: '', file, message: `The kubeconfig cannot be read (${reason}).`, fix: 'Check the path and its permissions.' }] };
  }
  const parsed = parseKubeconfig(text, { file });
  if (parsed.data === undefined) return { config: undefined, problems: parsed.problems };
  const { checkFiles = true, ...rest } = options;
  const validateOptions: ValidateKubeconfigOptions = { ...rest, file };
  if (checkFiles) validateOptions.baseDir = path.dirname(path.resolve(file));
  const problems = [...parsed.problems.filter((p) => p.code === 'yaml-syntax' || p.code === 'duplicate-key'), ...validateKubeconfig(parsed.data, validateOptions)].map((problem) => {
    if (problem.line !== undefined) return problem;
    const pos = parsed.locate(problem.path);
    return pos === undefined ? problem : { ...problem, ...pos };
  });
  return { config: problems.some((p) => p.severity === 'error') ? undefined : (parsed.data as Config), problems };
}

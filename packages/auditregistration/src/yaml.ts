/** Deterministic YAML for AuditSink objects, and the reader of AuditSink manifests. */
import { knownKeysFirst, type PathSegment, pathSegments, readYaml, type ReadLimits, type ReadProblem, writeYaml } from '@k8s-gen/yaml';
import { type AuditSink, type AuditSinkList, AuditSinkListSchema, AuditSinkSchema, commentOf, formatPath, type Problem } from './generated/index.js';
import { validateAuditSink, type ValidateAuditSinkOptions } from './validate.js';

interface ZodDefLike {
  type: string;
  shape?: Record<string, unknown>;
  element?: unknown;
  innerType?: unknown;
  getter?: () => unknown;
}

function defOf(schema: unknown): ZodDefLike | undefined {
  return (schema as { _zod?: { def?: ZodDefLike } } | undefined)?._zod?.def;
}

function unwrap(schema: unknown): unknown {
  let current = schema;
  for (let def = defOf(current); def !== undefined; def = defOf(current)) {
    if (def.innerType !== undefined) current = def.innerType;
    else if (def.type === 'lazy' && def.getter !== undefined) current = def.getter();
    else break;
  }
  return current;
}

/**
 * The field names, in schema order, of the object at `path` below an object of `schema`; none
 * where the path leaves the schema (an unknown field, a map of arbitrary keys).
 */
function fieldsAt(schema: unknown, path: readonly PathSegment[]): string[] {
  let current = schema;
  for (const segment of path) {
    const def = defOf(unwrap(current));
    current = typeof segment === 'number' ? (def?.type === 'array' ? def.element : undefined) : def?.type === 'object' ? def.shape?.[segment] : undefined;
  }
  const def = defOf(unwrap(current));
  return def?.type === 'object' && def.shape !== undefined ? Object.keys(def.shape) : [];
}

/**
 * Serializes an AuditSink (or a list of them) as YAML: fields in the API's order (apiVersion,
 * kind, metadata, spec, ...), strings that YAML 1.1 would misread (`on`, `yes`, `0777`) quoted,
 * no line folding, builder comments above their objects. Same input, same bytes.
 *
 * AuditSink exists only in Kubernetes 1.13 to 1.18.
 *
 * @example
 * ```ts
 * writeFileSync('sink.yaml', toYaml(auditSink().metadata({ name: 'mysink' }).spec(spec).build()));
 * ```
 */
export function toYaml(sink: AuditSink | AuditSinkList): string {
  const schema = sink.kind === 'AuditSinkList' ? AuditSinkListSchema : AuditSinkSchema;
  return writeYaml(sink, {
    commentOf,
    keyOrder: (keys, path) => knownKeysFirst(keys, fieldsAt(schema, path)),
    quoting: 'go-yaml',
    indentSequences: false,
  });
}

/** Options of {@link parseAuditSinks}. */
export interface ParseAuditSinksOptions extends ValidateAuditSinkOptions {
  /** Reading limits (size, depth, aliases); see `@k8s-gen/yaml`'s `DEFAULT_READ_LIMITS`. */
  limits?: Partial<ReadLimits>;
}

/** What {@link parseAuditSinks} found. */
export interface ParsedAuditSinks {
  /** The AuditSinks and AuditSinkLists, one per non-empty document, when no document has an error. */
  sinks: (AuditSink | AuditSinkList)[];
  /**
   * Reading and validation problems, with file, line and column; in a file of several documents
   * each path starts with `documents[i]`.
   */
  problems: Problem[];
}

const SINK_KINDS: readonly string[] = ['AuditSink', 'AuditSinkList'];
const SINK_GROUP = 'auditregistration.k8s.io';

/**
 * The problem for a document that is no AuditSink. A manifest often carries other objects with
 * its sinks (the RBAC that guards them, the webhook's Service): those are named as not checked.
 * What looks like a misspelt AuditSink, or is no Kubernetes object at all, is an error.
 */
function otherDocument(kind: unknown, apiVersion: unknown): Omit<Problem, 'path'> {
  const group = typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  // Meant as a sink: the kind starts like one, or the group is (nearly) auditregistration's.
  const misspelt = typeof kind === 'string' && (/^audit/i.test(kind) || /^auditreg/i.test(group));
  if (typeof kind === 'string' && kind !== '' && typeof apiVersion === 'string' && apiVersion !== '' && !misspelt) {
    return { severity: 'warning', code: 'not-checked', message: `This document is a ${kind}; k8s-gen checks only the AuditSinks of this file.`, fix: 'Check it with kubectl apply --dry-run=server.' };
  }
  return {
    severity: 'error',
    code: 'not-an-audit-sink',
    message: typeof kind === 'string' && kind !== '' ? `This document is a ${kind} (apiVersion ${String(apiVersion)}), not an AuditSink.` : 'This document has no kind and apiVersion, so it is no Kubernetes object.',
    fix: misspelt ? `Write "apiVersion: ${SINK_GROUP}/v1alpha1" and "kind: AuditSink".` : 'Keep only Kubernetes objects in this file, each with its apiVersion and kind.',
  };
}

/**
 * Reads an AuditSink manifest (bytes or text), as `kubectl apply -f` reads one: every document is
 * an object of its own (empty documents are skipped), each read by `@k8s-gen/yaml` with go-yaml's
 * rules and the reading limits, then checked with {@link validateAuditSink} (the items of an
 * AuditSinkList each). Another Kubernetes object (the RBAC or Service that comes with a sink) is
 * a `not-checked` warning; a misspelt AuditSink, or a document that is no object, is an error.
 * Never throws for bad input.
 *
 * @example
 * ```ts
 * const { sinks, problems } = parseAuditSinks(readFileSync('sink.yaml'), { file: 'sink.yaml', kubernetesVersion: '1.16' });
 * ```
 */
export function parseAuditSinks(input: string | Uint8Array, options: ParseAuditSinksOptions = {}): ParsedAuditSinks {
  const { limits, ...validateOptions } = options;
  const withFile = (problem: Omit<Problem, 'file'>): Problem => (options.file === undefined ? problem : { ...problem, file: options.file });
  const fromReader = ({ at, ...problem }: ReadProblem, prefix: readonly PathSegment[]): Problem => withFile({ ...problem, path: formatPath([...prefix, ...at]) });
  const stream = readYaml(input, limits ? { limits } : {});
  if (stream.problems.length > 0) return { sinks: [], problems: stream.problems.map((problem) => fromReader(problem, [])) };
  const problems: Problem[] = [];
  const sinks: (AuditSink | AuditSinkList)[] = [];
  const several = stream.documents.length > 1;
  stream.documents.forEach((document, index) => {
    const prefix: PathSegment[] = several ? ['documents', index] : [];
    const at = (path: string): string => formatPath([...prefix, ...pathSegments(path)]);
    problems.push(...[...document.problems, ...document.duplicateKeys].map((problem) => fromReader(problem, prefix)));
    if (document.problems.length > 0 || document.data === null) return;
    const data = document.data as { apiVersion?: unknown; kind?: unknown; items?: unknown } | undefined;
    const object = typeof data === 'object' && data !== null && !Array.isArray(data);
    const kind = object ? data.kind : undefined;
    if (typeof kind !== 'string' || !SINK_KINDS.includes(kind)) {
      problems.push(withFile({ ...otherDocument(kind, object ? data.apiVersion : undefined), path: formatPath(prefix), ...document.start }));
      return;
    }
    const objects = kind === 'AuditSinkList' && Array.isArray(data!.items) ? data!.items.map((item: unknown, i) => ({ item, path: `items[${i}]` })) : [{ item: data, path: '' }];
    for (const { item, path } of objects) {
      for (const problem of validateAuditSink(item, validateOptions)) {
        const full = path === '' ? problem.path : problem.path === '' ? path : `${path}.${problem.path}`;
        problems.push({ ...problem, path: at(full), ...document.locate(pathSegments(full)) });
      }
    }
    sinks.push(data as AuditSink | AuditSinkList);
  });
  return { sinks: problems.some((problem) => problem.severity === 'error') ? [] : sinks, problems };
}

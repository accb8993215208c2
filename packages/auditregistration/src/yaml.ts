/** Deterministic YAML for AuditSink objects. */
import { knownKeysFirst, type PathSegment, writeYaml } from '@k8s-gen/yaml';
import { type AuditSink, type AuditSinkList, AuditSinkListSchema, AuditSinkSchema, commentOf } from './generated/index.js';

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

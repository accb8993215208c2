/** Deterministic YAML for AuditSink objects. */
import { Document, isMap, isSeq, type Node } from 'yaml';
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

/** A copy of `value` whose object keys follow the schema's field order (unknown keys last, sorted). */
function inSchemaOrder(value: unknown, schema: unknown): unknown {
  const def = defOf(unwrap(schema));
  if (Array.isArray(value)) return value.map((item: unknown) => inSchemaOrder(item, def?.type === 'array' ? def.element : undefined));
  if (typeof value !== 'object' || value === null) return value;
  const shape = def?.type === 'object' ? def.shape : undefined;
  const known = shape === undefined ? [] : Object.keys(shape).filter((key) => key in value);
  const unknown = Object.keys(value).filter((key) => !known.includes(key)).sort();
  const out: Record<string, unknown> = {};
  for (const key of [...known, ...unknown]) out[key] = inSchemaOrder((value as Record<string, unknown>)[key], shape?.[key]);
  return out;
}

function commentText(text: string): string {
  return text
    .split('\n')
    .map((line) => ` ${line}`)
    .join('\n');
}

/** Copies builder comments of nested objects onto the YAML nodes that print them. */
function attachComments(value: unknown, node: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value) && isSeq(node)) {
    value.forEach((item: unknown, index) => {
      const child = node.items[index] as Node | undefined;
      const text = typeof item === 'object' && item !== null ? commentOf(item) : undefined;
      if (text !== undefined && child !== undefined) child.commentBefore = commentText(text);
      attachComments(item, child);
    });
  } else if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key as Node & { value?: unknown };
      const child = (value as Record<string, unknown>)[String(key.value)];
      const text = typeof child === 'object' && child !== null ? commentOf(child) : undefined;
      if (text !== undefined) key.commentBefore = commentText(text);
      attachComments(child, pair.value);
    }
  }
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
  const ordered = inSchemaOrder(sink, sink.kind === 'AuditSinkList' ? AuditSinkListSchema : AuditSinkSchema);
  const doc = new Document(ordered, { version: '1.1' });
  const rootComment = commentOf(sink);
  if (rootComment !== undefined) doc.commentBefore = commentText(rootComment);
  attachComments(sink, doc.contents);
  return doc.toString({ lineWidth: 0, indentSeq: false });
}

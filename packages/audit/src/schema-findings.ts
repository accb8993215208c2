/**
 * Structural checks with the generated zod schemas (unknown fields with a "did you mean", wrong
 * types, values outside an enum), as findings that keep their path segments.
 */
import type * as z from 'zod/mini';
import { en } from 'zod/locales';
import { problemsFromZod } from '@k8s-gen/runtime';
import type { Finding, PathSegment } from './findings.js';

/** zod's English messages. */
const ENGLISH = en().localeError;

/** Options for {@link schemaFindings}. */
export interface SchemaFindingOptions {
  /**
   * Accept fields the schema does not know. Used for audit events, which newer apiservers extend;
   * the known fields are still type-checked.
   */
  allowUnknownFields?: boolean;
}

/**
 * Checks `value` against `schema` and turns each zod issue into findings through the runtime's
 * `problemsFromZod`, keeping the path as segments so readers can locate it. All are errors: the
 * apiserver refuses wrong types, and an unknown field is almost always a typo whose setting
 * silently does nothing.
 */
export function schemaFindings(schema: z.ZodMiniType, value: unknown, options: SchemaFindingOptions = {}): Finding[] {
  // zod's mini API loads no messages; problemsFromZod shows zod's own for issues it has no words
  // of its own for, so the English ones are given here, as zod's classic API sets them.
  const result = schema.safeParse(value, { error: ENGLISH });
  if (result.success) return [];
  const findings: Finding[] = [];
  for (const issue of result.error.issues) {
    const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : undefined;
    if (unknownKeys && options.allowUnknownFields) continue;
    const at = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
    problemsFromZod({ issues: [issue] }, { input: value, schema }).forEach(({ path: _path, ...problem }, index) => {
      const findingAt = unknownKeys ? [...at, unknownKeys[index]!] : at;
      findings.push({
        ...problem,
        at: findingAt,
        pointsAt: unknownKeys ? 'key' : 'value',
        ...(issue.code === 'invalid_type' ? { expected: issue.expected } : {}),
      });
    });
  }
  return findings;
}

// Serializers for synthesized files. Output must be byte-identical for the same input, readable
// by kubectl (YAML 1.1 readers), and never fold long strings.
import { stringify } from 'yaml';

/**
 * YAML for Kubernetes-style documents: keys in the order they were built (apiVersion, kind,
 * metadata first, as every builder here writes them), no line folding, and the YAML 1.1 schema
 * so strings like `yes`, `on` or `0755` are quoted for 1.1 readers.
 */
export function toYaml(value: unknown): string {
  return stringify(value, { version: '1.1', lineWidth: 0, indentSeq: true, aliasDuplicateObjects: false });
}

/** Several YAML documents joined by `---`, as `kubectl apply -f` reads them. */
export function toYamlDocuments(values: readonly unknown[]): string {
  return values.map(toYaml).join('---\n');
}

/** JSON with two-space indentation and a final newline. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

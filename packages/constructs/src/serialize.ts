// Serializers for synthesized files. Every YAML file goes through @k8s-gen/yaml's manifest writer,
// which quotes whatever YAML 1.1 or Go would read as a line break; output is byte-identical for
// the same input.
import { writeManifestYaml } from '@k8s-gen/yaml';

/**
 * YAML for Kubernetes-style documents: keys in the order they were built (apiVersion, kind,
 * metadata first, as every builder here writes them), no line folding, strings quoted the way
 * kubectl's YAML 1.1 reader needs.
 *
 * @example
 * ```ts
 * toYaml({ apiVersion: 'v1', kind: 'ConfigMap', data: { on: 'yes' } }); // 'apiVersion: v1\nkind: ConfigMap\ndata:\n  "on": "yes"\n'
 * ```
 */
export function toYaml(value: unknown): string {
  return writeManifestYaml(value);
}

/**
 * Several YAML documents joined by `---`, as `kubectl apply -f` reads them.
 *
 * @example
 * ```ts
 * toYamlDocuments([{ kind: 'A' }, { kind: 'B' }]); // 'kind: A\n---\nkind: B\n'
 * ```
 */
export function toYamlDocuments(values: readonly unknown[]): string {
  return values.map(toYaml).join('---\n');
}

/**
 * JSON with two-space indentation and a final newline.
 *
 * @example
 * ```ts
 * toJson({ a: 1 }); // '{\n  "a": 1\n}\n'
 * ```
 */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

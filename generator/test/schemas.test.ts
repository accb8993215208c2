// Structural checks on the authored JSON Schemas in generator/schemas/: they are hand-written, so
// these tests catch typos (dangling $refs, missing descriptions) before the generator trips on them.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const schemasDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../schemas');
const schemaFiles = readdirSync(schemasDir).filter((f) => f.endsWith('.json')).sort();

type JsonObject = { [key: string]: unknown };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Visits every sub-schema, reporting its JSON pointer-ish location. */
function walk(node: unknown, where: string, visit: (schema: JsonObject, where: string) => void): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => walk(item, `${where}[${i}]`, visit));
    return;
  }
  if (!isObject(node)) return;
  visit(node, where);
  for (const [key, value] of Object.entries(node)) {
    // examples and defaults are data, not schemas
    if (key === 'examples' || key === 'default' || key === 'const' || key === 'enum') continue;
    walk(value, `${where}/${key}`, visit);
  }
}

function load(file: string): JsonObject {
  const parsed: unknown = JSON.parse(readFileSync(path.join(schemasDir, file), 'utf8'));
  if (!isObject(parsed)) throw new Error(`${file}: top level is not an object`);
  return parsed;
}

describe('authored schemas', () => {
  it('includes the three expected files', () => {
    expect(schemaFiles).toEqual([
      'audit.k8s.io_v1.json',
      'auditregistration.k8s.io_v1alpha1.json',
      'kubeconfig_v1.json',
    ]);
  });

  describe.each(schemaFiles)('%s', (file) => {
    const schema = load(file);
    const defs = schema['$defs'] as Record<string, JsonObject>;

    it('has the header the generator expects', () => {
      expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(typeof schema['$comment']).toBe('string');
      expect(typeof schema['x-k8s-gen-group']).toBe('string');
      expect(schema['x-k8s-gen-version']).toMatch(/^v\d+((alpha|beta)\d+)?$/);
      expect(isObject(defs)).toBe(true);
    });

    it('resolves every $ref to a definition in the same file', () => {
      const dangling: string[] = [];
      walk(schema, '#', (node, where) => {
        const ref = node['$ref'];
        if (ref === undefined) return;
        const match = /^#\/\$defs\/(.+)$/.exec(String(ref));
        if (!match?.[1] || !(match[1] in defs)) dangling.push(`${where}: ${String(ref)}`);
      });
      expect(dangling).toEqual([]);
    });

    it('describes every definition and every property, with examples', () => {
      const undocumented: string[] = [];
      for (const [name, def] of Object.entries(defs)) {
        if (typeof def['description'] !== 'string' || def['description'].length < 10) undocumented.push(name);
        const properties = (def['properties'] ?? {}) as Record<string, JsonObject>;
        for (const [prop, propSchema] of Object.entries(properties)) {
          if (typeof propSchema['description'] !== 'string' || propSchema['description'].length < 5) {
            undocumented.push(`${name}.${prop} (description)`);
          }
          if (!Array.isArray(propSchema['examples']) || propSchema['examples'].length === 0) {
            undocumented.push(`${name}.${prop} (examples)`);
          }
        }
      }
      expect(undocumented).toEqual([]);
    });

    it('lists only existing properties as required and closes plain objects', () => {
      const problems: string[] = [];
      for (const [name, def] of Object.entries(defs)) {
        if (def['type'] !== 'object') continue;
        const properties = (def['properties'] ?? {}) as Record<string, JsonObject>;
        for (const req of (def['required'] ?? []) as string[]) {
          if (!(req in properties)) problems.push(`${name}.required names missing ${req}`);
        }
        if (def['additionalProperties'] !== false) problems.push(`${name} is not closed`);
      }
      expect(problems).toEqual([]);
    });

    it('gives kinds a group-version-kind that agrees with apiVersion and kind', () => {
      const problems: string[] = [];
      for (const [name, def] of Object.entries(defs)) {
        const gvks = def['x-kubernetes-group-version-kind'] as { group: string; version: string; kind: string }[] | undefined;
        if (!gvks) continue;
        const properties = def['properties'] as Record<string, JsonObject>;
        const gvk = gvks[0]!;
        const expectedApiVersion = gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`;
        if (properties['apiVersion']?.['const'] !== expectedApiVersion) problems.push(`${name}.apiVersion`);
        if (properties['kind']?.['const'] !== gvk.kind || gvk.kind !== name) problems.push(`${name}.kind`);
      }
      expect(problems).toEqual([]);
    });

    it('uses version marks of the form major.minor', () => {
      const bad: string[] = [];
      walk(schema, '#', (node, where) => {
        const versions = node['x-k8s-gen-versions'];
        if (versions === undefined) return;
        if (!isObject(versions)) { bad.push(where); return; }
        for (const [key, value] of Object.entries(versions)) {
          if (!['since', 'until'].includes(key) || !/^1\.\d+$/.test(String(value))) bad.push(`${where}.${key}`);
        }
      });
      expect(bad).toEqual([]);
    });
  });

  it('marks the kubeconfig secrets and child builders', () => {
    const defs = load('kubeconfig_v1.json')['$defs'] as Record<string, { properties: Record<string, JsonObject> }>;
    const secrets = Object.entries(defs).flatMap(([name, def]) =>
      Object.entries(def.properties ?? {})
        .filter(([, p]) => p['x-k8s-gen-secret'] === true)
        .map(([prop]) => `${name}.${prop}`),
    );
    expect(secrets.sort()).toEqual([
      'AuthInfo.client-key-data',
      'AuthInfo.password',
      'AuthInfo.token',
      'AuthProviderConfig.config',
    ]);
    const config = defs['Config']!.properties;
    expect(config['clusters']!['x-k8s-gen-builder']).toEqual({ child: 'cluster' });
    expect(config['users']!['x-k8s-gen-builder']).toEqual({ child: 'user' });
    expect(config['contexts']!['x-k8s-gen-builder']).toEqual({ child: 'context' });
  });

  it('marks the audit fields that arrived after 1.12', () => {
    const defs = load('audit.k8s.io_v1.json')['$defs'] as Record<string, { properties: Record<string, JsonObject> }>;
    expect(defs['Policy']!.properties['omitManagedFields']!['x-k8s-gen-versions']).toEqual({ since: '1.23' });
    expect(defs['PolicyRule']!.properties['omitManagedFields']!['x-k8s-gen-versions']).toEqual({ since: '1.23' });
    expect(defs['Event']!.properties['authenticationMetadata']!['x-k8s-gen-versions']).toEqual({ since: '1.35' });
    expect(defs['Policy']!.properties['rules']!['x-k8s-gen-builder']).toEqual({ child: 'rule' });
  });
});

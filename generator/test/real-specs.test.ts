// Generates core/v1 from the official Kubernetes specs in ../shared/specs (1.18, 1.20, 1.36) and
// type-checks the output; merges the three and checks the recorded releases against the specs.
// Slow: it runs the TypeScript compiler over hundreds of files per spec.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../src/index.js';
import { typecheck } from './helpers/typecheck.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const specsDir = resolve(repoRoot, '../shared/specs');
const haveSpecs = existsSync(specsDir);
const specs = ['kubernetes-v1.18.0.definitions.json', 'kubernetes-v1.20.2.swagger.json', 'kubernetes-v1.36.0.definitions.json'];
const out = resolve(import.meta.dirname, '../test-output/real');

if (!haveSpecs) {
  console.warn(`real-spec tests skipped: ${specsDir} is absent (it holds the official Kubernetes specs beside the repo)`);
}

function readTree(dir: string, prefix = ''): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) for (const [k, v] of readTree(full, `${prefix}${entry}/`)) files.set(k, v);
    else files.set(`${prefix}${entry}`, readFileSync(full, 'utf8'));
  }
  return files;
}

type Definitions = Record<string, { properties?: Record<string, unknown> }>;
function definitionsOf(spec: string): Definitions {
  return (JSON.parse(readFileSync(join(specsDir, spec), 'utf8')) as { definitions: Definitions }).definitions;
}

describe.skipIf(!haveSpecs)('core/v1 from the official specs', () => {
  for (const spec of specs) {
    it(`${spec}: generates code that type-checks (strict, NodeNext)`, { timeout: 300_000 }, async () => {
      const outDir = join(out, spec.replace(/\.json$/, ''));
      const summary = await generate({ sources: [join(specsDir, spec)], select: ['core/v1'], outDir });
      const definitions = definitionsOf(spec);
      expect(summary.typesPerGroupVersion['core/v1']).toBeGreaterThan(150);
      expect(summary.typesPerGroupVersion['meta/v1']).toBeGreaterThan(5);
      // Every property of the spec's Pod is a field of the generated Pod type.
      const pod = readFileSync(join(outDir, 'core/v1/types/Pod.ts'), 'utf8');
      for (const key of Object.keys(definitions['io.k8s.api.core.v1.Pod']!.properties!)) expect(pod).toMatch(new RegExp(`^  ${key}\\?:`, 'm'));
      expect(pod).toContain("kind?: 'Pod';");
      const containerPort = readFileSync(join(outDir, 'core/v1/types/ContainerPort.ts'), 'utf8');
      expect(containerPort).toMatch(/containerPort: number;/); // required in every release
      const probe = readFileSync(join(outDir, 'core/v1/types/HTTPGetAction.ts'), 'utf8');
      expect(probe).toMatch(/port: number \| string;/); // IntOrString
      expect(typecheck(outDir)).toEqual([]);
    });
  }

  it('is deterministic: two runs give byte-identical trees', { timeout: 120_000 }, async () => {
    const source = join(specsDir, 'kubernetes-v1.36.0.definitions.json');
    await generate({ sources: [source], select: ['core/v1'], outDir: join(out, 'det-a') });
    await generate({ sources: [source], select: ['core/v1'], outDir: join(out, 'det-b') });
    const a = readTree(join(out, 'det-a'));
    const b = readTree(join(out, 'det-b'));
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [path, text] of a) expect(b.get(path), path).toBe(text);
  });

  it('merges releases and records which ones have each field', { timeout: 300_000 }, async () => {
    const outDir = join(out, 'merged');
    await generate({ sources: specs.map((s) => join(specsDir, s)), select: ['core/v1'], outDir });
    const [old, mid, current] = specs.map(definitionsOf) as [Definitions, Definitions, Definitions];
    const podSpec = (d: Definitions) => new Set(Object.keys(d['io.k8s.api.core.v1.PodSpec']!.properties!));
    const metadata = (await import(join(outDir, 'core/v1/metadata.ts'))) as { typeMetadata: Record<string, Record<string, { since?: string; until?: string }>> };
    const fields = metadata.typeMetadata.PodSpec ?? {};
    for (const key of podSpec(current)) {
      const expected = podSpec(old).has(key) ? undefined : podSpec(mid).has(key) ? '1.20' : '1.36';
      expect(fields[key]?.since, key).toBe(expected);
    }
    const removed = [...podSpec(old)].filter((k) => !podSpec(current).has(k));
    for (const key of removed) expect(fields[key]?.until, key).toBe(podSpec(mid).has(key) ? '1.20' : '1.18');
    expect(readFileSync(join(outDir, 'core/v1/types/Pod.ts'), 'utf8')).toContain('(Kubernetes 1.18), kubernetes-v1.20.2.swagger.json (Kubernetes 1.20)');
    expect(typecheck(outDir)).toEqual([]);
  });

  it('pulls in apps/v1 with its references', { timeout: 120_000 }, async () => {
    const outDir = join(out, 'apps');
    const summary = await generate({ sources: [join(specsDir, 'kubernetes-v1.36.0.definitions.json')], select: ['apps/v1'], outDir });
    expect(Object.keys(summary.typesPerGroupVersion)).toEqual(['apps/v1', 'core/v1', 'meta/v1']);
    const deployment = readFileSync(join(outDir, 'apps/v1/types/Deployment.ts'), 'utf8');
    expect(deployment).toContain("apiVersion?: 'apps/v1';");
  });
});

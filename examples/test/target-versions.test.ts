// Every core/v1 object the examples produce must be valid for the Kubernetes version each target
// names, not only for the newest one: core/v1 is generated here from the official spec closest to
// (and not newer than) that version, and the objects are checked against its zod schemas.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importSpec } from '@k8s-gen/generator';
import { main } from 'k8s-gen';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { KUBECTL, patchedApiserverPod } from './apiserver-pod.js';

const examples = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const specsDir = resolve(examples, '../../shared/specs');
const specs = existsSync(specsDir)
  ? readdirSync(specsDir)
      .map((file) => ({ file: join(specsDir, file), minor: Number(/v1\.(\d+)\./.exec(file)?.[1]) }))
      .filter((spec) => Number.isInteger(spec.minor))
      .sort((a, b) => a.minor - b.minor)
  : [];
const generatedRoot = mkdtempSync(join(examples, 'test', '.tmp-core-'));
afterAll(() => rmSync(generatedRoot, { recursive: true, force: true }));

type Schema = { safeParse(value: unknown): { success: boolean; error?: { issues: unknown[] } } };
const schemaModules = new Map<number, Promise<Record<string, Schema>>>();

/** core/v1 zod schemas generated from the newest spec not newer than `minor` (or the oldest spec). */
function coreSchemasFor(minor: number): Promise<Record<string, Schema>> {
  const spec = [...specs].reverse().find((candidate) => candidate.minor <= minor) ?? specs[0]!;
  if (!schemaModules.has(spec.minor)) {
    const outDir = join(generatedRoot, `v1.${spec.minor}`);
    schemaModules.set(
      spec.minor,
      importSpec({ spec: spec.file, group: 'core', outDir }).then(() => import(join(outDir, 'index.ts')) as Promise<Record<string, Schema>>),
    );
  }
  return schemaModules.get(spec.minor)!;
}

/** Every file below `dir`, relative. */
function filesBelow(dir: string, sub = ''): string[] {
  return readdirSync(join(dir, sub), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesBelow(dir, join(sub, entry.name)) : [join(sub, entry.name)],
  );
}

describe.skipIf(specs.length === 0 || !existsSync(KUBECTL))('core/v1 objects of every example, at each target\'s Kubernetes version', () => {
  it.each(['fluentd', 'logstash', 'kubeadm', 'legacy-auditsink'])('%s', async (example) => {
    const out = join(mkdtempSync(join(tmpdir(), `k8s-gen-versions-${example}-`)), 'dist');
    process.exitCode = undefined;
    expect(await main(['node', 'k8s-gen', 'synth', join(examples, example, 'audit.ts'), '--out', out])).toBe(0);
    let checked = 0;
    for (const target of readdirSync(out)) {
      const manifest = JSON.parse(readFileSync(join(out, target, 'manifest.json'), 'utf8')) as { kubernetesVersion: string };
      const schemas = await coreSchemasFor(Number(manifest.kubernetesVersion.split('.')[1]));
      const objects: Array<{ where: string; value: { apiVersion?: string; kind?: string } }> = [];
      for (const file of filesBelow(join(out, target))) {
        const text = readFileSync(join(out, target, file), 'utf8');
        if (/\.ya?ml$/.test(file)) {
          for (const doc of parseAllDocuments(text)) objects.push({ where: `${target}/${file}`, value: doc.toJS() ?? {} });
        }
        if (file === 'kube-apiserver.patch.json') objects.push({ where: `${target}/${file} applied`, value: patchedApiserverPod(join(out, target, file)) });
      }
      for (const { where, value } of objects) {
        if (value.apiVersion !== 'v1' || value.kind === undefined || value.kind === 'Config') continue;
        const schema = schemas[`${value.kind}Schema`];
        expect(schema, `${where}: no core/v1 schema for kind ${value.kind}`).toBeDefined();
        const result = schema!.safeParse(value);
        expect(result.success, `${where} at ${manifest.kubernetesVersion}: ${JSON.stringify(result.error?.issues)}`).toBe(true);
        checked += 1;
      }
    }
    // The fluentd example writes a ConfigMap, and every kube-apiserver target a patched Pod.
    if (example !== 'legacy-auditsink') expect(checked).toBeGreaterThan(0);
  }, 120_000);
});

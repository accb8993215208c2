// `runtime: 'self-contained'` (k8s-gen import --self-contained): the output carries its own
// `_runtime.ts`, made of the runtime package's own sources, and works like the output that
// imports @k8s-gen/runtime.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate, type GenerateSummary } from '../src/index.js';
import { smallSchema } from './fixtures/small-schema.js';
import { typecheck } from './helpers/typecheck.js';

const work = resolve(import.meta.dirname, '../test-output/self-contained');
const withPackage = join(work, 'package');
const selfContained = join(work, 'self-contained');
let summary: GenerateSummary;

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => (statSync(join(dir, entry)).isDirectory() ? allFiles(join(dir, entry)) : [join(dir, entry)]));
}

beforeAll(async () => {
  mkdirSync(work, { recursive: true });
  const schema = join(work, 'example.k8s.io_v1.json');
  writeFileSync(schema, JSON.stringify(smallSchema));
  await generate({ sources: [schema], outDir: withPackage });
  summary = await generate({ sources: [schema], outDir: selfContained, runtime: 'self-contained' });
});

describe('self-contained output', () => {
  it('imports no runtime package and says it needs only zod', () => {
    const texts = allFiles(selfContained).map((file) => readFileSync(file, 'utf8'));
    expect(texts.some((text) => text.includes("from '@k8s-gen/runtime'"))).toBe(false);
    expect(readFileSync(join(selfContained, 'example.k8s.io/v1/builders/Policy.ts'), 'utf8')).toContain("from '../../../_runtime.js';");
    expect(summary.dependencies.map((d) => d.name)).toEqual(['zod']);
  });

  it('is made of the runtime package sources, without their relative imports', () => {
    const runtimeSource = join(dirname(createRequire(import.meta.url).resolve('@k8s-gen/runtime/package.json')), 'src');
    const copy = readFileSync(join(selfContained, '_runtime.ts'), 'utf8');
    const sections = copy.split(/^\/\/ From @k8s-gen\/runtime\/src\/([\w-]+)\.ts\n\n/m).slice(1);
    const modules = sections.filter((_, i) => i % 2 === 0);
    expect(modules).toEqual(['problem', 'builder', 'names', 'zod-problems']);
    for (let i = 0; i < sections.length; i += 2) {
      const original = readFileSync(join(runtimeSource, `${sections[i]}.ts`), 'utf8').replace(/^import .* from '\.\/[\w-]+\.js';\n/gm, '');
      expect(sections[i + 1]!.trim()).toBe(original.trim());
    }
  });

  it('type-checks under strict NodeNext', () => {
    expect(typecheck(selfContained)).toEqual([]);
  });

  it('builds, validates and reports problems as the output that imports the runtime does', async () => {
    const own = await import(join(selfContained, 'index.ts'));
    const shared = await import(join(withPackage, 'index.ts'));
    const problems: unknown[][] = [];
    for (const m of [own, shared]) {
      const built = m.policy().rule().level('None').comment('quiet').rule().level('Metadata').end().build();
      expect(m.commentOf(built.rules[0])).toBe('quiet');
      const doc = { ...built, rules: [{ level: 'Everything', verb: ['get'] }] };
      const result = m.PolicySchema.safeParse(doc);
      expect(result.success).toBe(false);
      problems.push(m.problemsFromZod(result.error, { input: doc, schema: m.PolicySchema }));
    }
    expect(problems[0]).toEqual(problems[1]);
    expect(problems[0]!.length).toBeGreaterThan(0);
  });
});

#!/usr/bin/env node
// Generates src/generated (core/v1 and the apimachinery types it references) from an official
// Kubernetes spec. The spec is never committed: it comes from K8S_GEN_CORE_SPEC (a path or an
// http(s) URL), or else from ../shared/specs beside the repository when that exists.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(packageDir, '../..');
const fallback = resolve(repoRoot, '../shared/specs/kubernetes-v1.36.0.definitions.json');

const spec = process.env.K8S_GEN_CORE_SPEC || (existsSync(fallback) ? fallback : undefined);
if (spec === undefined) {
  // Not an error: nothing else in the repository needs core/v1 to build. Say so in one line.
  process.stdout.write('@k8s-gen/core: not generated, no Kubernetes spec given (set K8S_GEN_CORE_SPEC to a swagger.json path or URL)\n');
  process.exit(0);
}

const generatorBin = fileURLToPath(new URL('./src/bin/k8s-gen-generate.mjs', import.meta.resolve('@k8s-gen/generator/package.json')));
const result = spawnSync(process.execPath, [generatorBin, '--select', 'core/v1', '--out', resolve(packageDir, 'src/generated'), spec], { stdio: 'inherit' });
process.exit(result.status ?? 1);

// Where the tests' outside data is and whether it is there: the shared reference data beside the
// clone (`../shared`) and the generated @k8s-gen/core. Plain Node (no vitest), so that
// scripts/test-summary.ts can name what a run had to skip.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Where the shared data is expected: `../shared` beside the clone. */
export const sharedRoot = path.resolve(repoRoot, '../shared');

/** The path of a shared file, whether or not it exists, e.g. `sharedPath('specs', 'kubernetes-v1.20.2.swagger.json')`. */
export function sharedPath(...segments: string[]): string {
  return path.join(sharedRoot, ...segments);
}

/** Whether every named shared file (paths relative to `../shared`) is there. */
export function hasShared(...files: string[]): boolean {
  return files.every((file) => existsSync(sharedPath(file)));
}

/** The shared files the tests read, by what they are; the summary names the missing ones. */
export const SHARED_FILES = {
  seed: 'seeds/001_a3d167e59b2d0592.txt',
  spec118: 'specs/kubernetes-v1.18.0.definitions.json',
  spec120: 'specs/kubernetes-v1.20.2.swagger.json',
  spec136: 'specs/kubernetes-v1.36.0.definitions.json',
  sampleLog: 'samples/audit-log-all-requestresponse.jsonl',
  samplePolicy: 'samples/audit-log-all-requestresponse.policy.yaml',
} as const;

/**
 * Whether `@k8s-gen/core` was generated: it is built from an official spec (K8S_GEN_CORE_SPEC or
 * ../shared/specs), so a clone with nothing but npm has none and skips the tests that need it.
 */
export const coreGenerated = existsSync(path.join(repoRoot, 'packages', 'core', 'src', 'generated', 'index.ts'));

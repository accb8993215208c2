// The shared reference data the tests read (the Kubernetes docs seeds, the official specs, a real
// audit log), expected in `../shared` beside the clone. Without it the tests that need it are
// skipped, each saying what it needs, and `npm test` ends with one line naming what was missing
// (scripts/test-summary.ts). Tests reach the data only through these functions, so that no test
// fails on a clone that has nothing but npm.
import { readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import { coreGenerated, hasShared, sharedPath } from './shared-files.js';

export { coreGenerated, hasShared, repoRoot, SHARED_FILES, sharedPath, sharedRoot } from './shared-files.js';

/** A shared file's text. Call it inside a test or a `describeWithShared` block, never at module load. */
export function readShared(file: string): string {
  return readFileSync(sharedPath(file), 'utf8');
}

/** The title of a block skipped for missing data, naming what it needs. */
function title(name: string, files: readonly string[]): string {
  return hasShared(...files) ? name : `${name} (skipped: needs ../shared/${files.join(', ../shared/')})`;
}

/**
 * `describe` that runs only when the named shared files exist. Otherwise the block is skipped
 * without running its body (which may read the data while collecting its tests), as one skipped
 * test saying what it needs.
 */
export function describeWithShared(name: string, files: readonly string[], body: () => void): void {
  if (hasShared(...files)) describe(name, body);
  else describe(name, () => it.skip(title('the tests of this block', files), () => undefined));
}

/** `it` that runs only when the named shared files exist; otherwise skipped, saying which it needs. */
export function itWithShared(name: string, files: readonly string[], body: () => void | Promise<void>, timeout?: number): void {
  it.skipIf(!hasShared(...files))(title(name, files), body, timeout);
}

const CORE_REASON = '(skipped: needs @k8s-gen/core, generated from a Kubernetes spec: set K8S_GEN_CORE_SPEC or provide ../shared/specs)';

/** `describe` that runs only when `@k8s-gen/core` was generated; otherwise one skipped test saying so. */
export function describeWithCore(name: string, body: () => void): void {
  if (coreGenerated) describe(name, body);
  else describe(name, () => it.skip(`the tests of this block ${CORE_REASON}`, () => undefined));
}

/** `it` that runs only when `@k8s-gen/core` was generated. */
export function itWithCore(name: string, body: () => void | Promise<void>, timeout?: number): void {
  it.skipIf(!coreGenerated)(coreGenerated ? name : `${name} ${CORE_REASON}`, body, timeout);
}

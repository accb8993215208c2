// What a synth changes: the new output compared with what is on disk, and a diff of it. Writing is
// done by the one atomic tree writer of @k8s-gen/runtime/node.
import { createHash } from 'node:crypto';
import { createTwoFilesPatch } from 'diff';

/** One file of the output tree. */
export interface OutputFile {
  /** Path under the output folder, `/`-separated. */
  readonly path: string;
  readonly contents: string;
  /** Holds credentials: mode 0600 and never shown in diffs. */
  readonly secret: boolean;
}

/** How one output file differs from what is on disk. */
export interface FileChange {
  readonly path: string;
  readonly change: 'added' | 'changed' | 'removed' | 'unchanged';
}

/** The SHA-256 of a text, hex. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Compares the new output with the files on disk, sorted by path. */
export function compareTree(files: readonly OutputFile[], existing: ReadonlyMap<string, string>): FileChange[] {
  const changes: FileChange[] = files.map((file) => {
    const old = existing.get(file.path);
    return { path: file.path, change: old === undefined ? 'added' : old === file.contents ? 'unchanged' : 'changed' };
  });
  const produced = new Set(files.map((file) => file.path));
  for (const path of existing.keys()) if (!produced.has(path)) changes.push({ path, change: 'removed' });
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * A unified diff of the changes. Files holding credentials appear by name only: their contents
 * are never shown.
 */
export function unifiedDiff(files: readonly OutputFile[], existing: ReadonlyMap<string, string>, changes: readonly FileChange[]): string {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const secretBefore = secretPathsOnDisk(existing);
  const parts: string[] = [];
  for (const change of changes) {
    if (change.change === 'unchanged') continue;
    const file = byPath.get(change.path);
    const secret = file?.secret === true || secretBefore.has(change.path);
    if (secret) {
      parts.push(`--- a/${change.path}\n+++ b/${change.path}\n(${change.change}; credential file, contents not shown)\n`);
      continue;
    }
    const before = existing.get(change.path) ?? '';
    const after = file?.contents ?? '';
    parts.push(
      createTwoFilesPatch(
        change.change === 'added' ? '/dev/null' : `a/${change.path}`,
        change.change === 'removed' ? '/dev/null' : `b/${change.path}`,
        before,
        after,
        undefined,
        undefined,
        { context: 3 },
      ).replace(/^=+\n/, ''),
    );
  }
  return parts.join('');
}

/** Paths the previous output's manifests mark as credential files (mode 0600). */
function secretPathsOnDisk(existing: ReadonlyMap<string, string>): Set<string> {
  const secret = new Set<string>();
  for (const [path, text] of existing) {
    const match = /^([^/]+)\/manifest\.json$/.exec(path);
    if (!match) continue;
    try {
      const manifest = JSON.parse(text) as { files?: Array<{ path: string; mode: string }> };
      for (const entry of manifest.files ?? []) if (entry.mode === '0600') secret.add(`${match[1]}/${entry.path}`);
    } catch {
      // A damaged manifest marks nothing; its own change shows up in the diff.
    }
  }
  return secret;
}

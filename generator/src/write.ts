/**
 * Writes a generated tree atomically: every file goes to a temporary folder next to the target,
 * which then replaces the target in two renames. A failure before the swap leaves the previous
 * output untouched and removes the temporary folder.
 *
 * The files are written with synchronous calls, one after the other, into the temporary folder:
 * for hundreds of small files that is two to three times faster than `fs.promises` (each
 * asynchronous write is an open, a write and a close, each a round trip through libuv's thread
 * pool), measured at about 20 ms against 50 to 60 ms for the 726 files of core/v1.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Replaces folder `outDir` with exactly `files` (paths relative to it). */
export async function writeTreeAtomically(outDir: string, files: ReadonlyMap<string, string>): Promise<void> {
  const parent = dirname(outDir);
  await mkdir(parent, { recursive: true });
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const staging = join(parent, `.${basename(outDir)}.tmp-${suffix}`);
  const previous = join(parent, `.${basename(outDir)}.old-${suffix}`);
  try {
    const folders = new Set<string>();
    for (const path of files.keys()) folders.add(dirname(join(staging, path)));
    for (const folder of [...folders].sort()) mkdirSync(folder, { recursive: true });
    for (const [path, text] of files) writeFileSync(join(staging, path), text);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  let moved = false;
  try {
    await rename(outDir, previous);
    moved = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
  }
  try {
    await rename(staging, outDir);
  } catch (error) {
    if (moved) await rename(previous, outDir);
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  if (moved) await rm(previous, { recursive: true, force: true });
}

/**
 * Writing one file atomically with an exact mode: a temporary file beside the target, written in
 * full with the final mode and fsynced, then renamed over the target. A reader sees the old file or
 * the new one, never a part; a credential is never readable by others, not even for an instant.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** Options of {@link writeFileAtomically}. */
export interface WriteFileOptions {
  /** The file's mode, applied whatever the umask. Default 0o644; use 0o600 for credentials. */
  readonly mode?: number;
}

/** The temporary names this module gives, so leftovers of killed writers can be recognised. */
function temporaryName(target: string): string {
  return `.${basename(target)}.k8s-gen-${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
}

/** Removes temporary files that writers of `target` left when they were killed. */
function removeLeftovers(target: string): void {
  const prefix = `.${basename(target)}.k8s-gen-`;
  let entries: string[];
  try {
    entries = readdirSync(dirname(target));
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !entry.endsWith('.tmp')) continue;
    const pid = Number(entry.slice(prefix.length).split('-')[0]);
    let alive = false;
    try {
      if (pid !== process.pid) {
        process.kill(pid, 0);
        alive = true;
      }
    } catch (error) {
      alive = (error as NodeJS.ErrnoException).code === 'EPERM';
    }
    if (!alive) rmSync(join(dirname(target), entry), { force: true });
  }
}

/**
 * Writes `contents` to `file` atomically with exactly `mode`.
 *
 * @example
 * ```ts
 * writeFileAtomically('/etc/kubernetes/audit-webhook.token', token, { mode: 0o600 });
 * ```
 */
export function writeFileAtomically(file: string, contents: string | Uint8Array, options: WriteFileOptions = {}): void {
  const target = resolve(file);
  const mode = options.mode ?? 0o644;
  removeLeftovers(target);
  const temporary = join(dirname(target), temporaryName(target));
  const fd = openSync(temporary, 'wx', mode);
  try {
    try {
      const data = typeof contents === 'string' ? Buffer.from(contents, 'utf8') : contents;
      let written = 0;
      while (written < data.length) written += writeSync(fd, data, written, data.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(temporary, mode);
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Reading a file for the readers without ever holding more of it than the size limit allows.
 */
import { inputTooLarge, readLimits } from './limits.js';
import { readError, type ReadProblem } from './problem.js';

/**
 * What {@link readInputFile} read: the bytes, or why there are none (`systemError`: the
 * system's code, like `ENOENT`, when the file could not be read at all).
 */
export type InputFile = { ok: true; bytes: Uint8Array } | { ok: false; problem: ReadProblem; systemError?: string };

/** Standard input read the same way: stop as soon as it is over the limit. */
async function readStandardInput(maxBytes: number): Promise<InputFile> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of process.stdin as AsyncIterable<Uint8Array>) {
      chunks.push(chunk);
      total += chunk.length;
      if (total > maxBytes) {
        process.stdin.destroy();
        return { ok: false, problem: inputTooLarge(undefined, maxBytes) };
      }
    }
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    return { ok: false, problem: readError('file-unreadable', undefined, `Standard input cannot be read (${reason}).`, 'Pipe the file in, or give its path.'), systemError: reason };
  }
  return { ok: true, bytes: concat(chunks, total) };
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/**
 * Reads a file as bytes for {@link readYaml} or a package's own reader, stopping after
 * `maxBytes + 1` bytes, so a huge file (or `/dev/zero`) is refused with the same
 * `input-too-large` problem the readers give, without being read whole. `-` reads standard input
 * (once per process: a second `-` finds it empty). A file that cannot be read gives
 * `file-unreadable` with the system's error code (`ENOENT`, `EACCES`, `EISDIR`). Never throws.
 *
 * @example
 * ```ts
 * const file = await readInputFile('audit-policy.yaml');
 * const result = file.ok ? parsePolicy(file.bytes, { file: 'audit-policy.yaml' }) : undefined;
 * ```
 */
export async function readInputFile(path: string, options: { maxBytes?: number } = {}): Promise<InputFile> {
  const { maxBytes } = readLimits(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes });
  if (path === '-') return readStandardInput(maxBytes);
  // Loaded here rather than imported at the top, so that a browser bundle of the readers (which
  // never reads files) has no static import of a Node built-in: Rollup and Vite refuse those.
  const { open } = await import('node:fs/promises');
  let handle;
  try {
    handle = await open(path, 'r');
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(Math.min(1 << 20, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) return { ok: false, problem: inputTooLarge(undefined, maxBytes) };
    }
    return { ok: true, bytes: concat(chunks, total) };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    return { ok: false, problem: readError('file-unreadable', undefined, `The file cannot be read (${reason}).`, 'Check the path and its permissions.'), systemError: reason };
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

// Reading an audit log as lines with their exact byte lengths, from a file (plain or gzip) or from
// any async iterable of lines, without holding more than one chunk in memory.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

/** One line of the log: its text and its length in bytes without the newline. */
export interface LogLine {
  text: string;
  bytes: number;
}

/** Where an audit log comes from: a file path (`.gz` or gzip content is decompressed), or lines. */
export type LogSource = string | AsyncIterable<string>;

/** Called as input is consumed: bytes read from the source so far (compressed bytes for gzip files) and the total when known. */
export type ProgressCallback = (bytesRead: number, totalBytes: number | undefined) => void;

const NEWLINE = 0x0a;

/** Reads lines from a log source. Empty lines are skipped; a trailing `\r` is removed. */
export async function* readLogLines(source: LogSource, onProgress?: ProgressCallback): AsyncGenerator<LogLine> {
  if (typeof source !== 'string') {
    let read = 0;
    for await (const text of source) {
      const bytes = Buffer.byteLength(text);
      read += bytes + 1;
      onProgress?.(read, undefined);
      const line = text.endsWith('\r') ? text.slice(0, -1) : text;
      if (line.length > 0) yield { text: line, bytes: line === text ? bytes : bytes - 1 };
    }
    return;
  }
  const total = (await stat(source)).size;
  const gzip = source.endsWith('.gz') || (await startsWithGzipMagic(source));
  const file = createReadStream(source, { highWaterMark: 1 << 20 });
  let read = 0;
  file.on('data', (chunk) => {
    read += chunk.length;
    onProgress?.(read, total);
  });
  const stream = gzip ? file.pipe(createGunzip()) : file;
  if (gzip) file.on('error', (error) => stream.destroy(error));
  yield* splitLines(stream as AsyncIterable<Buffer>);
}

/** Splits a byte stream into lines; byte lengths come from the buffers, not from re-encoding. */
export async function* splitLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<LogLine> {
  // Only the unfinished tail of a chunk is copied, never the whole chunk.
  let carry: Buffer | undefined;
  for await (const chunk of chunks) {
    let start = 0;
    if (carry) {
      const end = chunk.indexOf(NEWLINE);
      if (end < 0) {
        carry = Buffer.concat([carry, chunk]);
        continue;
      }
      const line = Buffer.concat([carry, chunk.subarray(0, end)]);
      carry = undefined;
      const made = lineOf(line, 0, line.length);
      if (made) yield made;
      start = end + 1;
    }
    for (let end = chunk.indexOf(NEWLINE, start); end >= 0; end = chunk.indexOf(NEWLINE, start)) {
      const made = lineOf(chunk, start, end);
      if (made) yield made;
      start = end + 1;
    }
    if (start < chunk.length) carry = Buffer.from(chunk.subarray(start));
  }
  if (carry) {
    const made = lineOf(carry, 0, carry.length);
    if (made) yield made;
  }
}

/** The line in buffer[start, end) without a trailing carriage return; undefined when empty. */
function lineOf(buffer: Buffer, start: number, end: number): LogLine | undefined {
  const stop = end > start && buffer[end - 1] === 0x0d ? end - 1 : end;
  return stop > start ? { text: buffer.toString('utf8', start, stop), bytes: stop - start } : undefined;
}

async function startsWithGzipMagic(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

// Reading an audit log as lines with their exact byte lengths, from a file (plain or gzip) or from
// any async iterable of lines. Linear in the input whatever the line lengths: an unfinished line
// is kept as a list of pieces and joined once, and a line over the size limit is counted, not
// kept. A source that fails part-way (a truncated or corrupt gzip file) ends the lines and says
// where it stopped.
import { createGunzip } from 'node:zlib';
import { open, stat } from 'node:fs/promises';

/** One line of the log: its text and its length in bytes without the newline. */
export interface LogLine {
  text: string;
  bytes: number;
}

/** A line longer than the size limit: its length and its first bytes only (the rest was never kept). */
export interface OverlongLine {
  text: undefined;
  bytes: number;
  /** The first {@link OVERLONG_HEAD_BYTES} bytes of the line, as text. */
  head: string;
}

/** Where an audit log comes from: a file path (`.gz` or gzip content is decompressed), or lines. */
export type LogSource = string | AsyncIterable<string>;

/** Called as input is consumed: bytes read from the source so far (compressed bytes for gzip files) and the total when known. */
export type ProgressCallback = (bytesRead: number, totalBytes: number | undefined) => void;

/** Default of {@link ReadLogOptions.maxLineBytes}: 16 MiB, four times the apiserver's 3 MiB request limit with room for the response. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

/** Bytes of an overlong line kept to describe it. */
export const OVERLONG_HEAD_BYTES = 512;

/** Options of {@link readLogLines}. */
export interface ReadLogOptions {
  onProgress?: ProgressCallback;
  /**
   * Lines longer than this many bytes are not kept: they come out as an {@link OverlongLine}
   * (default {@link DEFAULT_MAX_LINE_BYTES}), so memory stays bounded by this limit.
   */
  maxLineBytes?: number;
  /** Filled in while reading: where the source failed, and the most bytes held for one line. */
  status?: LogReadStatus;
}

/** What {@link readLogLines} reports about the reading itself. */
export interface LogReadStatus {
  /** Set when the source failed before its end (a truncated or corrupt gzip file, a read error). */
  stopped?: LogReadStop;
  /** The most bytes held at once for an unfinished line (bounded by the line limit plus one chunk). */
  peakLineBufferBytes: number;
}

/** Where and why reading stopped early. */
export interface LogReadStop {
  /** What went wrong, e.g. `the gzip data ends before its end marker (unexpected end of file)`. */
  message: string;
  /** Bytes of the file consumed when it stopped: compressed bytes for gzip input. */
  inputOffset: number;
  /** Bytes of (decompressed) log text read before it stopped. */
  textOffset: number;
  /** True when the file is gzip-compressed (then `inputOffset` counts compressed bytes). */
  gzip: boolean;
}

const NEWLINE = 0x0a;

/**
 * Reads lines from a log source. Empty lines are skipped; a trailing `\r` is removed; lines over
 * the limit come out as {@link OverlongLine}. A source that fails after it was opened ends the
 * lines and records why in `options.status.stopped`; a file that cannot be opened throws.
 *
 * @example
 * const status = { peakLineBufferBytes: 0 };
 * for await (const line of readLogLines('/var/log/kube-audit.log.gz', { status })) if (line.text !== undefined) JSON.parse(line.text);
 * if (status.stopped) console.error(`stopped at byte ${status.stopped.inputOffset}: ${status.stopped.message}`);
 */
export async function* readLogLines(source: LogSource, options: ReadLogOptions = {}): AsyncGenerator<LogLine | OverlongLine> {
  const status = options.status ?? { peakLineBufferBytes: 0 };
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  if (typeof source !== 'string') {
    yield* stringLines(source, maxLineBytes, options.onProgress);
    return;
  }
  const info = await stat(source);
  if (info.isDirectory()) throw new Error(`${source} is a directory, not an audit log file`);
  const handle = await open(source, 'r');
  let consumed = 0;
  let text = 0;
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    const gzip = source.endsWith('.gz') || (bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b);
    const file = handle.createReadStream({ start: 0, highWaterMark: 1 << 20, autoClose: false });
    file.on('data', (chunk) => {
      consumed += chunk.length;
      options.onProgress?.(consumed, info.size);
    });
    const gunzip = gzip ? createGunzip() : undefined;
    const chunks: AsyncIterable<Buffer> = gunzip ? file.pipe(gunzip) : file;
    if (gunzip) file.on('error', (error) => gunzip.destroy(error));
    // Errors of the source end the lines; what was read before them still counts.
    async function* guarded(): AsyncGenerator<Buffer> {
      try {
        for await (const chunk of chunks) {
          text += chunk.length;
          yield chunk;
        }
      } catch (error) {
        status.stopped = {
          message: describeReadError(error, gzip),
          inputOffset: gunzip ? Math.min(consumed, gunzip.bytesWritten) : consumed,
          textOffset: text,
          gzip,
        };
      } finally {
        file.destroy();
      }
    }
    yield* splitLines(guarded(), { maxLineBytes, status });
  } finally {
    await handle.close();
  }
}

/** Lines given as strings; the limit applies to each string's UTF-8 length. */
async function* stringLines(source: AsyncIterable<string>, maxLineBytes: number, onProgress: ProgressCallback | undefined): AsyncGenerator<LogLine | OverlongLine> {
  let read = 0;
  for await (const text of source) {
    const bytes = Buffer.byteLength(text);
    read += bytes + 1;
    onProgress?.(read, undefined);
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    const length = line === text ? bytes : bytes - 1;
    if (length > maxLineBytes) yield overlong(Buffer.from(line.slice(0, OVERLONG_HEAD_BYTES)).subarray(0, OVERLONG_HEAD_BYTES), length);
    else if (line.length > 0) yield { text: line, bytes: length };
  }
}

/** Options of {@link splitLines}. */
export interface SplitLinesOptions {
  /** Lines longer than this many bytes come out as {@link OverlongLine} (default {@link DEFAULT_MAX_LINE_BYTES}). */
  maxLineBytes?: number;
  /** Receives the most bytes held at once for an unfinished line. */
  status?: LogReadStatus;
}

/**
 * Splits a byte stream into lines; byte lengths come from the buffers, not from re-encoding.
 * Linear in the input: each byte is scanned for a newline once, and the bytes of a line that
 * spans chunks are copied twice at most (into its pieces, then joined once at its newline).
 *
 * @example
 * for await (const line of splitLines(createReadStream('audit.log'))) console.log(line.bytes);
 */
export async function* splitLines(chunks: AsyncIterable<Buffer>, options: SplitLinesOptions = {}): AsyncGenerator<LogLine | OverlongLine> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const status = options.status;
  // The unfinished line: its pieces (copies, so the chunks they came from can go, and so a source
  // may reuse its buffers), joined once at its newline. Once it passes the limit only its length
  // and first bytes are kept.
  let pieces: Buffer[] = [];
  let pending = 0;
  let head: Buffer | undefined;
  const keep = (piece: Buffer): void => {
    if (head !== undefined) {
      pending += piece.length;
      return;
    }
    if (pending + piece.length > maxLineBytes) {
      head = firstBytes([...pieces, piece], OVERLONG_HEAD_BYTES);
      pieces = [];
      pending += piece.length;
      return;
    }
    pieces.push(Buffer.from(piece));
    pending += piece.length;
    if (status !== undefined && pending > status.peakLineBufferBytes) status.peakLineBufferBytes = pending;
  };
  /** Ends the unfinished line with `last` (the chunk part before its newline). */
  const finish = (last: Buffer): LogLine | OverlongLine | undefined => {
    let line: LogLine | OverlongLine | undefined;
    if (head === undefined && pending + last.length <= maxLineBytes) {
      const length = pending + last.length;
      if (status !== undefined && length > status.peakLineBufferBytes) status.peakLineBufferBytes = length;
      line = lineOf(Buffer.concat([...pieces, last], length), 0, length);
    } else {
      keep(last);
      line = overlong(head as Buffer, pending);
    }
    pieces = [];
    pending = 0;
    head = undefined;
    return line;
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end >= 0; end = chunk.indexOf(NEWLINE, start)) {
      let line: LogLine | OverlongLine | undefined;
      if (pending > 0 || head !== undefined) line = finish(chunk.subarray(start, end));
      else if (end - start > maxLineBytes) line = overlong(chunk.subarray(start, start + OVERLONG_HEAD_BYTES), end - start);
      else line = lineOf(chunk, start, end);
      if (line) yield line;
      start = end + 1;
    }
    if (start < chunk.length) keep(chunk.subarray(start));
  }
  if (pending > 0) {
    const line = finish(Buffer.alloc(0));
    if (line) yield line;
  }
}

/** An overlong line of `bytes` bytes (a `\r` before its newline included) whose first bytes are `head`. */
function overlong(head: Buffer, bytes: number): OverlongLine {
  return { text: undefined, bytes, head: head.toString('utf8') };
}

/** The first `count` bytes of the pieces together. */
function firstBytes(pieces: readonly Buffer[], count: number): Buffer {
  const taken: Buffer[] = [];
  let length = 0;
  for (const piece of pieces) {
    if (length >= count) break;
    taken.push(piece.subarray(0, count - length));
    length += Math.min(piece.length, count - length);
  }
  return Buffer.concat(taken, length);
}

/** The line in buffer[start, end) without a trailing carriage return; undefined when empty. */
function lineOf(buffer: Buffer, start: number, end: number): LogLine | undefined {
  const stop = end > start && buffer[end - 1] === 0x0d ? end - 1 : end;
  return stop > start ? { text: buffer.toString('utf8', start, stop), bytes: stop - start } : undefined;
}

/** A sentence for a failed read; zlib's own messages are kept in parentheses. */
function describeReadError(error: unknown, gzip: boolean): string {
  const { code, message } = error as NodeJS.ErrnoException;
  if (gzip && code === 'Z_BUF_ERROR') return `the gzip data ends before its end marker, so the file was cut short (${message})`;
  if (gzip && typeof code === 'string' && code.startsWith('Z_')) return `the gzip data is corrupt (${message})`;
  return `reading failed (${code ?? message})`;
}

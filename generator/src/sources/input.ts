/**
 * Reads an input document from a file path, an http(s) URL or `-` (standard input) and parses it
 * as JSON. Every failure becomes a {@link GeneratorError} naming the input.
 */
import { readFile } from 'node:fs/promises';
import { GeneratorError } from '../errors.js';

/** A document read from an input, with the name used in messages and file headers. */
export interface InputDocument {
  /** The input as the user gave it (path, URL or `<stdin>`). */
  name: string;
  /** The parsed JSON value. */
  value: unknown;
}

/** Reads all of standard input as UTF-8 text. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads the raw text of an input. */
async function readText(input: string): Promise<string> {
  if (input === '-') return readStdin();
  if (/^https?:\/\//i.test(input)) {
    let response: Response;
    try {
      response = await fetch(input);
    } catch (error) {
      throw new GeneratorError(`cannot download (${(error as Error).message}); check the URL or download the file and pass its path`, input);
    }
    if (!response.ok) {
      throw new GeneratorError(`download failed with HTTP ${response.status}; check the URL or download the file and pass its path`, input);
    }
    return response.text();
  }
  try {
    return await readFile(input, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, not a file' : (error as Error).message;
    throw new GeneratorError(`${reason}; pass the path of a JSON spec file, an http(s) URL or - for standard input`, input);
  }
}

/** Reads and parses one input. */
export async function readInput(input: string): Promise<InputDocument> {
  const name = input === '-' ? '<stdin>' : input;
  const text = await readText(input);
  try {
    return { name, value: JSON.parse(text) as unknown };
  } catch (error) {
    throw new GeneratorError(`not valid JSON (${(error as Error).message})`, name);
  }
}

/**
 * Reads an input document from a file path, an http(s) URL or `-` (standard input) and parses it
 * as JSON. Every failure becomes a {@link GeneratorError} naming the input.
 */
import { readFile } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { GeneratorError } from '../errors.js';

/**
 * One input of a generation: a path, an http(s) URL or `-`, optionally with the Kubernetes
 * release it describes (on the command line `1.20=swagger.json`, see `parseSourceArgument`).
 */
export type SourceInput = string | { input: string; kubernetesVersion?: string };

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

/** Redirects followed before a download gives up, as many as browsers and `fetch` allow. */
const MAX_REDIRECTS = 20;

/**
 * Downloads a URL as UTF-8 text, following redirects. Written with `node:http(s)` rather than
 * `fetch`: Node loads `fetch`'s HTTP client on first use, which takes longer (about 30 ms) than
 * downloading a spec from a nearby server.
 */
function download(url: string, redirectsLeft = MAX_REDIRECTS): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const get = new URL(url).protocol === 'https:' ? httpsGet : httpGet;
    const request = get(url, (response) => {
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location !== undefined) {
        response.resume();
        if (redirectsLeft === 0) reject(new Error('too many redirects'));
        else download(new URL(location, url).href, redirectsLeft - 1).then(resolve, reject);
        return;
      }
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

/** Reads the raw text of an input. */
async function readText(input: string): Promise<string> {
  if (input === '-') return readStdin();
  if (/^https?:\/\//i.test(input)) {
    let response: { status: number; text: string };
    try {
      response = await download(input);
    } catch (error) {
      throw new GeneratorError(`cannot download (${(error as Error).message}); check the URL or download the file and pass its path`, input);
    }
    if (response.status < 200 || response.status > 299) {
      throw new GeneratorError(`download failed with HTTP ${response.status}; check the URL or download the file and pass its path`, input);
    }
    return response.text;
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

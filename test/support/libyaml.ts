// libyaml as a reference reader: the C helper in libyaml-events.c, compiled once per machine with
// the system's cc and libyaml (Debian's libyaml-dev; .ci/run installs it), prints each document's
// parse events, so that tests can compare what our printer meant with what libyaml reads.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SOURCE = new URL('./libyaml-events.c', import.meta.url);

/** One document's parse events: "{", "}", "[", "]", "*", or "=" followed by a scalar's text. */
export type LibyamlEvents = readonly string[];

/** A document libyaml refused. */
export interface LibyamlError {
  readonly error: string;
  readonly line: number;
}

let binary: string | undefined;

/** The compiled helper's path; compiles it on first use (keyed by the source's hash). */
function helper(): string {
  if (binary !== undefined) return binary;
  const source = readFileSync(SOURCE);
  const folder = join(tmpdir(), `k8s-gen-libyaml-${createHash('sha256').update(source).digest('hex').slice(0, 16)}`);
  const path = join(folder, 'events');
  if (!existsSync(path)) {
    mkdirSync(folder, { recursive: true });
    const scratch = `${path}.${process.pid}`;
    const cc = process.env.CC ?? 'cc';
    const built = spawnSync(cc, ['-O2', '-o', scratch, SOURCE.pathname, '-lyaml'], { encoding: 'utf8' });
    if (built.error !== undefined || built.status !== 0) {
      throw new Error(`cannot build the libyaml helper with ${cc} (install a C compiler and libyaml-dev; .ci/run does): ${built.error?.message ?? built.stderr}`);
    }
    renameSync(scratch, path);
  }
  binary = path;
  return path;
}

/** libyaml's parse events of each document, in order. */
export function libyamlEvents(documents: readonly string[]): (LibyamlEvents | LibyamlError)[] {
  for (const text of documents) if (text.includes('\0')) throw new Error('a document holds a NUL byte, which separates documents here');
  const run = spawnSync(helper(), [], { input: documents.map((text) => `${text}\0`).join(''), encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.error !== undefined || run.status !== 0) throw new Error(`the libyaml helper failed: ${run.error?.message ?? run.stderr}`);
  const lines = run.stdout.split('\n').filter((line) => line !== '');
  if (lines.length !== documents.length) throw new Error(`the libyaml helper printed ${lines.length} results for ${documents.length} documents`);
  return lines.map((line) => JSON.parse(line) as LibyamlEvents | LibyamlError);
}

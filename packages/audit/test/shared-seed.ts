// Reads the audit policy examples out of the Spanish seed document in ../shared (never copied).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The folder beside the repository that holds the source material. */
export const sharedDir = fileURLToPath(new URL('../../../../shared/', import.meta.url));

const seedLines = readFileSync(`${sharedDir}seeds/001_a3d167e59b2d0592.txt`, 'utf8').split('\n');

/** The lines from the first line starting with `first` to the first later line equal to `last`. */
function block(first: string, last: string): string {
  const start = seedLines.findIndex((line) => line.startsWith(first));
  const end = seedLines.findIndex((line, i) => i > start && line === last);
  if (start < 0 || end < 0) throw new Error(`seed block ${first} ... ${last} not found`);
  return seedLines.slice(start, end + 1).join('\n');
}

/** The nine-rule example policy of the docs (seed lines 193-260). */
export const seedExamplePolicyYaml = block('apiVersion: audit.k8s.io/v1 # ', '      - "RequestReceived"');

/** The minimal Metadata policy of the docs (seed lines 264-268). */
export const seedMinimalPolicyYaml = block('# Log all requests at the Metadata level.', '- level: Metadata');

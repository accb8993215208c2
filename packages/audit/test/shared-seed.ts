// Reads the audit policy examples out of the Spanish seed document in ../shared (never copied).
// Each reader is a function, called inside a `describeWithShared` block, so a clone without
// ../shared skips those tests instead of failing while collecting them.
import { readShared, SHARED_FILES } from '../../../test/support/shared-data.js';

export { describeWithShared, hasShared, readShared, SHARED_FILES, sharedPath } from '../../../test/support/shared-data.js';

/** The lines from the first line starting with `first` to the first later line equal to `last`. */
function block(first: string, last: string): string {
  const seedLines = readShared(SHARED_FILES.seed).split('\n');
  const start = seedLines.findIndex((line) => line.startsWith(first));
  const end = seedLines.findIndex((line, i) => i > start && line === last);
  if (start < 0 || end < 0) throw new Error(`seed block ${first} ... ${last} not found`);
  return seedLines.slice(start, end + 1).join('\n');
}

/** The nine-rule example policy of the docs (seed lines 193-260). */
export const seedExamplePolicyYaml = (): string => block('apiVersion: audit.k8s.io/v1 # ', '      - "RequestReceived"');

/** The minimal Metadata policy of the docs (seed lines 264-268). */
export const seedMinimalPolicyYaml = (): string => block('# Log all requests at the Metadata level.', '- level: Metadata');

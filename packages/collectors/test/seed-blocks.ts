// Reads the fluentd and logstash examples out of the seed document at test time (the repository
// holds no copy of them). A block runs from its heredoc line to the next line that is only `EOF`.
import { readShared, SHARED_FILES, sharedPath } from '../../../test/support/shared-data.js';

/** The shared file the blocks come from; tests that read it run only when it is there. */
export const SEED = SHARED_FILES.seed;
const seedFile = sharedPath(SEED);

/** The text between `marker` and the closing `EOF`, with the common indentation removed. */
export function seedBlock(marker: string): string {
  const lines = readShared(SEED).split('\n');
  const start = lines.findIndex((line) => line.trim() === marker);
  if (start < 0) throw new Error(`marker ${marker} not found in ${seedFile}`);
  const end = lines.findIndex((line, i) => i > start && line.trim() === 'EOF');
  if (end < 0) throw new Error(`no EOF after ${marker} in ${seedFile}`);
  const body = lines.slice(start + 1, end);
  const indent = Math.min(...body.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  return `${body.map((l) => l.slice(indent)).join('\n')}\n`;
}

/** The seed's fluentd config (`/etc/fluentd/config`). */
export const seedFluentd = () => seedBlock("cat <<'EOF' > /etc/fluentd/config");

/** The seed's logstash pipeline (`/etc/logstash/config`). */
export const seedLogstash = () => seedBlock('cat <<EOF > /etc/logstash/config');

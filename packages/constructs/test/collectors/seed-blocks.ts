// Reads the fluentd and logstash examples out of the seed document at test time (the repository
// holds no copy of them). A block runs from its heredoc line to the next line that is only `EOF`.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const seedFile = resolve(repoRoot, '../shared/seeds/001_a3d167e59b2d0592.txt');

/** The text between `marker` and the closing `EOF`, with the common indentation removed. */
export function seedBlock(marker: string): string {
  const lines = readFileSync(seedFile, 'utf8').split('\n');
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

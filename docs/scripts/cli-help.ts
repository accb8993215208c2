// Runs the k8s-gen CLI of this checkout to read its --help output, in-process through tsx and
// against the packages' sources (the `@k8s-gen/source` condition), so no build is needed.
import { spawnSync } from 'node:child_process';
import { docsRoot } from './workspace.js';

/** The help text of `k8s-gen <words...> --help`; throws with stderr when the command fails. */
export function cliHelp(words: readonly string[]): string {
  const script = [
    "const { main } = await import('k8s-gen');",
    "process.exitCode = await main(['node', 'k8s-gen', ...JSON.parse(process.env.K8S_GEN_DOCS_ARGS)]);",
  ].join('\n');
  const result = spawnSync(process.execPath, ['--conditions=@k8s-gen/source', '--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: docsRoot,
    encoding: 'utf8',
    env: { ...process.env, K8S_GEN_DOCS_ARGS: JSON.stringify([...words, '--help']), NO_COLOR: '1' },
  });
  if (result.status !== 0) {
    throw new Error(`k8s-gen ${words.join(' ')} --help failed (exit ${String(result.status)}):\n${result.stderr}`);
  }
  return result.stdout.trimEnd();
}

/** Command names listed in the "Commands:" block of a commander help text (without `help`). */
export function subcommandsOf(help: string): string[] {
  const lines = help.split('\n');
  const start = lines.indexOf('Commands:');
  if (start < 0) return [];
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith(' ')) break;
    // A command line starts with two spaces; its wrapped description lines are indented further.
    const name = /^ {2}(\S+)/.exec(line)?.[1];
    if (name !== undefined && name !== 'help') names.push(name);
  }
  return names;
}

// Runs the k8s-gen CLI of this checkout to read its --help output, in-process through tsx and
// against the packages' sources (the `@k8s-gen/source` condition), so no build is needed. One
// child process answers a whole batch of commands: starting tsx and loading the CLI costs about a
// second of CPU, which the reference's ten help texts used to pay ten times.
import { spawnSync } from 'node:child_process';
import { docsRoot } from './workspace.js';

// Runs in the child: calls main() once per command line, with stdout captured for each, then
// prints every help text as one JSON array (or the first failure on stderr, exit code 1).
const childScript = `
const { main } = await import('k8s-gen');
const write = process.stdout.write.bind(process.stdout);
const helps = [];
for (const words of JSON.parse(process.env.K8S_GEN_DOCS_COMMANDS)) {
  let captured = '';
  process.stdout.write = (chunk) => { captured += String(chunk); return true; };
  const code = await main(['node', 'k8s-gen', ...words, '--help']);
  process.stdout.write = write;
  if (code !== 0) { process.stderr.write('k8s-gen ' + words.join(' ') + ' --help exited with ' + code + '\\n'); process.exit(1); }
  helps.push(captured.trimEnd());
}
write(JSON.stringify(helps));
`;

/** The help texts of `k8s-gen <words...> --help` for each command line, in one child process. */
export function cliHelps(commands: ReadonlyArray<readonly string[]>): string[] {
  if (commands.length === 0) return [];
  const result = spawnSync(process.execPath, ['--conditions=@k8s-gen/source', '--import', 'tsx', '--input-type=module', '-e', childScript], {
    cwd: docsRoot,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, K8S_GEN_DOCS_COMMANDS: JSON.stringify(commands), NO_COLOR: '1' },
  });
  if (result.status !== 0) {
    throw new Error(`k8s-gen --help failed (exit ${String(result.status)}):\n${result.stderr}`);
  }
  return JSON.parse(result.stdout) as string[];
}

/** The help text of `k8s-gen <words...> --help`; throws with stderr when the command fails. */
export function cliHelp(words: readonly string[]): string {
  return cliHelps([words])[0]!;
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

export interface CliCommandHelp {
  words: string[];
  help: string;
}

/**
 * Every command's help, parents before their subcommands (depth first), read level by level so
 * each level of the command tree costs one child process.
 */
export function cliHelpTree(): CliCommandHelp[] {
  const children = new Map<string, CliCommandHelp[]>();
  const root: CliCommandHelp = { words: [], help: cliHelp([]) };
  let level = [root];
  while (level.length > 0) {
    const next = level.flatMap((parent) => subcommandsOf(parent.help).map((name) => [...parent.words, name]));
    const helps = cliHelps(next);
    const found = next.map((words, i) => ({ words, help: helps[i]! }));
    for (const command of found) {
      const parentKey = command.words.slice(0, -1).join(' ');
      children.set(parentKey, [...(children.get(parentKey) ?? []), command]);
    }
    level = found;
  }
  const ordered: CliCommandHelp[] = [];
  const visit = (command: CliCommandHelp): void => {
    ordered.push(command);
    for (const child of children.get(command.words.join(' ')) ?? []) visit(child);
  };
  visit(root);
  return ordered;
}

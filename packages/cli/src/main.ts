// The k8s-gen command line. Each command lives in its own file under commands/ and is a thin
// shell over a library function that users can call the same way from TypeScript.
import { Command, CommanderError } from 'commander';
import { CliError, reportError } from './output.js';
import { version } from './version.js';

type Register = (program: Command) => void;

/** Commands in the order `--help` lists them. Each module exports `register(program)`. */
const commandModules: Array<() => Promise<{ register: Register }>> = [
  // (one line per command; keep this list sorted by the order users meet the commands)
  () => import('./commands/import.js'),
  () => import('./commands/init.js'),
  () => import('./commands/synth.js'),
  () => import('./commands/validate.js'),
  () => import('./commands/lint.js'),
  () => import('./commands/explain.js'),
  () => import('./commands/cost.js'),
  () => import('./commands/tune.js'),
  () => import('./commands/apf-odds.js'),
];

export function buildProgram(registers: Register[]): Command {
  const program = new Command('k8s-gen')
    .description('Typed code, validation, synthesis and analysis for Kubernetes API-server auditing.')
    .version(version, '-v, --version', 'print the k8s-gen version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of registers) register(program);
  return program;
}

/** Runs the CLI and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  // Commands signal findings (exit 1) through process.exitCode; start clean so that in-process
  // callers running several commands do not inherit the previous one's code.
  process.exitCode = undefined;
  const registers = await Promise.all(commandModules.map(async (load) => (await load()).register));
  const program = buildProgram(registers);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof CliError) {
      reportError(error);
      return error.exitCode;
    }
    throw error;
  }
}

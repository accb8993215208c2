// The k8s-gen command line. Each command lives in its own file under commands/ and is a thin
// shell over a library function that users can call the same way from TypeScript.
import { Command, CommanderError } from 'commander';
import { CliError, EXIT_CODE_HELP, EXIT_CODES, reportError } from './output.js';
import { version } from './version.js';

type Register = (program: Command) => void;

/**
 * Commands in the order `--help` lists them, by name. Each module exports `register(program)`.
 * Modules are loaded on demand: each one pulls in its library (the generator loads the TypeScript
 * compiler, the engine and constructs load theirs), so `k8s-gen import` loads only the generator.
 */
const commandModules: ReadonlyArray<readonly [name: string, load: () => Promise<{ register: Register }>]> = [
  // (one line per command; keep this list sorted by the order users meet the commands)
  ['import', () => import('./commands/import.js')],
  ['init', () => import('./commands/init.js')],
  ['synth', () => import('./commands/synth.js')],
  ['validate', () => import('./commands/validate.js')],
  ['lint', () => import('./commands/lint.js')],
  ['explain', () => import('./commands/explain.js')],
  ['cost', () => import('./commands/cost.js')],
  ['suggest', () => import('./commands/suggest.js')],
  ['check', () => import('./commands/check.js')],
  ['tune', () => import('./commands/tune.js')],
  ['apf-odds', () => import('./commands/apf-odds.js')],
];

/**
 * The command modules a run needs: only the named command's when the first argument names one,
 * none for `--version`, else all of them (the overall `--help`, `help <command>`, and the "did
 * you mean" suggestions for a mistyped command list every command).
 */
function modulesFor(argv: string[]): Array<() => Promise<{ register: Register }>> {
  if (argv.length === 3 && (argv[2] === '-v' || argv[2] === '--version')) return [];
  const named = commandModules.find(([name]) => name === argv[2]);
  return named === undefined ? commandModules.map(([, load]) => load) : [named[1]];
}

export function buildProgram(registers: Register[]): Command {
  const program = new Command('k8s-gen')
    .description('Typed code, validation, synthesis and analysis for Kubernetes API-server auditing.')
    .version(version, '-v, --version', 'print the k8s-gen version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_CODE_HELP)
    .exitOverride();
  for (const register of registers) register(program);
  // Every command states the exit codes in its own help too.
  for (const command of program.commands) command.addHelpText('after', EXIT_CODE_HELP);
  return program;
}

/**
 * A reader that closes the pipe early (`k8s-gen help lint | head -1`) is not an error: stop
 * quietly instead of printing an EPIPE stack.
 */
let pipeHandlersInstalled = false;
function exitQuietlyOnClosedPipe(): void {
  if (pipeHandlersInstalled) return;
  pipeHandlersInstalled = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(EXIT_CODES.clean);
      throw error;
    });
  }
}

/** Runs the CLI and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  exitQuietlyOnClosedPipe();
  // Commands signal findings (exit 1) through process.exitCode; start clean so that in-process
  // callers running several commands do not inherit the previous one's code.
  process.exitCode = undefined;
  const registers = await Promise.all(modulesFor(argv).map(async (load) => (await load()).register));
  const program = buildProgram(registers);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? EXIT_CODES.clean : EXIT_CODES.usage;
    }
    if (error instanceof CliError) {
      reportError(error);
      return error.exitCode;
    }
    throw error;
  }
}

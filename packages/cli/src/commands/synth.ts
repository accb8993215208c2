// `k8s-gen synth`: runs a TypeScript audit app (no build step) and reports what its `app.synth()`
// wrote. The app runs in a child process with tsx; options travel through the K8S_GEN_*
// environment variables that `App.synth()` reads, and the result comes back through a report file.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os, { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { SYNTH_ENV, type ConstructProblem, type FileChange } from '@k8s-gen/constructs';
import { CliError, formatProblem } from '../output.js';

/** Options of {@link runSynthApp}. */
export interface RunSynthOptions {
  /** Output folder (default: the app's own, usually `dist`). */
  outdir?: string;
  dryRun?: boolean;
  diff?: boolean;
  /** Working directory of the app (default: the app file's folder). */
  cwd?: string;
}

/** What running an app produced. */
export type RunSynthResult =
  | { kind: 'ok'; outdir: string; written: boolean; changes: FileChange[]; diff?: string; warnings: ConstructProblem[] }
  | { kind: 'problems'; problems: ConstructProblem[] }
  | { kind: 'crashed'; message: string; location?: string }
  | { kind: 'interrupted'; signal: NodeJS.Signals }
  | { kind: 'no-synth' };

const require = createRequire(import.meta.url);
// When the CLI itself runs from TypeScript sources (tests, development), the app resolves the
// workspace packages to their sources too.
const runningFromSource = fileURLToPath(import.meta.url).endsWith('.ts');

/** The signals a person or a supervisor ends the CLI with; each is passed on to the app. */
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The app's exit code and standard error. */
interface ChildExit {
  status: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  error?: Error;
}

/**
 * Runs the app and waits for it. The app never outlives the CLI: signals the CLI receives are
 * passed on to it, and if the CLI dies without a chance to pass anything on (SIGKILL), the app's
 * watchdog sees the IPC channel close and exits.
 */
function runChild(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<ChildExit> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const forwarders = FORWARDED_SIGNALS.map((signal) => {
      const forward = () => {
        child.kill(signal);
      };
      process.on(signal, forward);
      return () => process.off(signal, forward);
    });
    const done = (exit: ChildExit) => {
      for (const remove of forwarders) remove();
      resolvePromise(exit);
    };
    child.on('error', (error) => done({ status: null, signal: null, stderr, error }));
    child.on('close', (status, signal) => done({ status, signal, stderr }));
  });
}

/**
 * Runs a TypeScript (or JavaScript) audit app in a child Node process with tsx and returns what
 * its `app.synth()` did. Errors in the app come back as a message and the app location, never as
 * a stack trace.
 */
export async function runSynthApp(appFile: string, options: RunSynthOptions = {}): Promise<RunSynthResult> {
  const app = resolve(appFile);
  const reportDir = mkdtempSync(join(tmpdir(), 'k8s-gen-synth-'));
  const report = join(reportDir, 'report.json');
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, [SYNTH_ENV.report]: report };
    if (options.outdir !== undefined) env[SYNTH_ENV.outdir] = resolve(options.outdir);
    if (options.dryRun) env[SYNTH_ENV.dryRun] = '1';
    if (options.diff) env[SYNTH_ENV.diff] = '1';
    const watchdog = new URL(runningFromSource ? '../app-watchdog.ts' : './app-watchdog.js', import.meta.url).href;
    const args = ['--import', pathToFileURL(require.resolve('tsx')).href, '--import', watchdog];
    if (runningFromSource) args.push('--conditions=@k8s-gen/source');
    const child = await runChild([...args, app], options.cwd ?? dirname(app), env);
    if (child.signal !== null && FORWARDED_SIGNALS.includes(child.signal as (typeof FORWARDED_SIGNALS)[number])) {
      return { kind: 'interrupted', signal: child.signal };
    }
    if (existsSync(report)) {
      const data = JSON.parse(readFileSync(report, 'utf8')) as
        | { ok: true; outdir: string; written: boolean; changes: FileChange[]; diff?: string; warnings: ConstructProblem[] }
        | { ok: false; problems: ConstructProblem[] };
      if (data.ok) return { kind: 'ok', outdir: data.outdir, written: data.written, changes: data.changes, warnings: data.warnings, ...(data.diff !== undefined ? { diff: data.diff } : {}) };
      return { kind: 'problems', problems: data.problems };
    }
    if (child.status !== 0 || child.error) return { kind: 'crashed', ...describeCrash(child.stderr ?? String(child.error), app) };
    return { kind: 'no-synth' };
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
}

/** The error message and the first location inside the user's app, from a Node error report. */
function describeCrash(stderr: string, app: string): { message: string; location?: string } {
  const lines = stderr.split('\n');
  const index = lines.findIndex((line) => /^(?:\w+Error|Error)(?: \[[\w-]+\])?: /.test(line));
  let message = index >= 0 ? lines[index]!.trim() : (lines.find((line) => line.trim() !== '') ?? 'the app exited with an error').trim();
  // esbuild syntax errors put the real message on the next line: "<file>:<line>:<col>: ERROR: ..."
  const esbuild = lines.find((line) => / ERROR: /.test(line));
  if (esbuild) message = esbuild.trim();
  const appDir = dirname(app);
  const frame = lines
    .map((line) => /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?\s*$/.exec(line))
    .find((match) => match && !match[1]!.includes('/node_modules/') && (match[1]!.replace(/^file:\/\//, '')).startsWith(appDir));
  const location = frame ? `${relative(process.cwd(), frame[1]!.replace(/^file:\/\//, ''))}:${frame[2]}:${frame[3]}` : undefined;
  return location ? { message, location } : { message };
}

/** Prints a construct problem: construct path, file, message and fix. */
function printConstructProblem(problem: ConstructProblem): void {
  process.stderr.write(`${formatProblem({ ...problem, path: [problem.constructPath, problem.path].filter(Boolean).join(' ') })}\n`);
}

/** Adds `k8s-gen synth` to the program. */
export function register(program: Command): void {
  program
    .command('synth')
    .description('Run an audit app (TypeScript, no build step) and write every file its apiserver targets need.')
    .argument('[app]', 'the app file that builds the construct tree and calls app.synth()', 'audit.ts')
    .option('-o, --out <dir>', 'output folder (default: the app\'s outdir, usually dist)')
    .option('--dry-run', 'show which files would change, write nothing')
    .option('--diff', 'print a unified diff of the changes (credential files by name only)')
    .addHelpText(
      'after',
      `
Examples:
  $ k8s-gen synth                     # runs ./audit.ts, writes ./dist
  $ k8s-gen synth audit.ts --out build
  $ k8s-gen synth --dry-run --diff    # what would change, nothing written`,
    )
    .action(async (appFile: string, options: { out?: string; dryRun?: boolean; diff?: boolean }) => {
      if (!existsSync(appFile)) {
        throw new CliError(`the app file ${appFile} does not exist`, 'pass the path of your audit app, or run `k8s-gen init` to create one');
      }
      const result = await runSynthApp(appFile, {
        cwd: process.cwd(),
        ...(options.out !== undefined ? { outdir: options.out } : {}),
        ...(options.dryRun ? { dryRun: true } : {}),
        ...(options.diff ? { diff: true } : {}),
      });
      switch (result.kind) {
        case 'problems': {
          for (const problem of result.problems) printConstructProblem(problem);
          const errors = result.problems.filter((problem) => problem.severity === 'error').length;
          throw new CliError(`${appFile}: synth refused with ${errors} error(s); nothing was written`, 'fix the problems above (each names the construct and the file)');
        }
        case 'crashed':
          throw new CliError(`${result.location ?? appFile}: the app failed: ${result.message}`, 'fix the error in your app and run k8s-gen synth again');
        case 'interrupted':
          // The app ended because the CLI was asked to end; end the same way (128 + signal number).
          process.exitCode = 128 + (os.constants.signals[result.signal] ?? 15);
          return;
        case 'no-synth':
          throw new CliError(`${appFile} ran but never called app.synth()`, 'end your app with app.synth()');
        case 'ok': {
          for (const warning of result.warnings) printConstructProblem(warning);
          const changed = result.changes.filter((change) => change.change !== 'unchanged');
          for (const change of changed) process.stdout.write(`${change.change.padEnd(8)} ${change.path}\n`);
          if (result.diff) process.stdout.write(result.diff);
          const where = relative(process.cwd(), result.outdir) || '.';
          if (options.dryRun) process.stdout.write(`dry run: ${changed.length} file(s) would change in ${where}\n`);
          else if (result.written) process.stdout.write(`wrote ${where} (${changed.length} file(s) changed)\n`);
          else process.stdout.write(`${where} is up to date\n`);
        }
      }
    });
}

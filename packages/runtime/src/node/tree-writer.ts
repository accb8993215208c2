/**
 * The one atomic writer of k8s-gen's output folders (synthesized targets, generated code).
 *
 * The guarantee: at no instant is the output folder missing, partly written or a mix of two runs,
 * whatever kills the writer and when. Technique: the folder the user names (`dist`) is a symbolic
 * link to a complete generation kept beside it in `.dist.k8s-gen/`. A run writes the new generation
 * there in full (each file with its final mode, fsynced when `durable`), then makes a new link and
 * renames it over `dist`: rename(2) replaces a link in one step, so every reader resolves `dist` to
 * either the old generation or the new one. The replaced generation is kept until the next run, so
 * a reader that resolved the link just before the switch can finish reading it (readers that want
 * one consistent view resolve the link once, as {@link readTree} does, and read again when the
 * link names another generation by the time they are done: the one they held may have been removed).
 *
 * - Debris of killed runs (half-written generations, links, older generations) is removed by the
 *   next run, under a lock file that names the writer's process, so two runs never write at once.
 * - The generation store holds a `.gitignore` of `*`: git ignores it without being told.
 * - Folders on the way to a credential file are 0700 and credential files 0600, other folders 0755
 *   and files 0644, whatever the umask.
 * - A folder already at the output path (from an older k8s-gen, or an empty one) is turned into a
 *   link once, when the caller says it may be replaced: that one switch is two renames, so the folder
 *   is briefly absent. A link that k8s-gen did not make is refused, never followed.
 * - Paths are checked before anything is written: nothing can land outside the output folder.
 */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { unsafeCharacterIn } from '../emitted-values.js';

/** One file of a tree to write. */
export interface TreeFile {
  /** Path under the output folder, `/`-separated, e.g. `cluster/audit-policy.yaml`. */
  readonly path: string;
  readonly contents: string | Uint8Array;
  /** Holds credentials: mode 0600, and every folder on its way 0700. */
  readonly secret?: boolean;
}

/** Options of {@link writeTreeAtomically}. */
export interface WriteTreeOptions {
  /**
   * fsync every file and folder before the switch, so that even a power loss right after it leaves
   * the new tree complete. Default true; generated code (rebuilt on demand) may turn it off.
   */
  readonly durable?: boolean;
  /**
   * Whether a real folder found at the output path (not yet a k8s-gen link) may be replaced. Gets
   * the folder's absolute path. Default: only an empty folder may.
   */
  readonly replaceFolder?: (folder: string) => boolean;
  /** How long to wait for another process writing the same folder, in ms. Default 30000. */
  readonly lockTimeoutMs?: number;
}

/** What {@link writeTreeAtomically} did. */
export interface WriteTreeResult {
  /** The output folder (the link), absolute. */
  readonly outdir: string;
  /** The generation folder the link now points at, absolute. */
  readonly generation: string;
}

/** Why a tree could not be written; nothing was changed at the output path. */
export class TreeWriteError extends Error {
  constructor(
    /** `unsafe-path`, `foreign-link`, `foreign-folder`, `not-a-folder`, `locked` or `write-failed`. */
    readonly code: 'unsafe-path' | 'foreign-link' | 'foreign-folder' | 'not-a-folder' | 'locked' | 'write-failed',
    message: string,
    /** What to do about it. */
    readonly fix: string,
  ) {
    super(message);
    this.name = 'TreeWriteError';
  }
}

/** The folder beside `outdir` that holds its generations. */
export function generationStore(outdir: string): string {
  const absolute = resolve(outdir);
  return join(dirname(absolute), `.${basename(absolute)}.k8s-gen`);
}

/**
 * Checks the relative paths of a tree: `/`-separated, no empty, `.` or `..` segment, no absolute
 * path, no backslash, no character an emitted value may not hold; no file inside another file.
 * Returns the first reason a path is refused.
 */
export function treePathProblem(paths: readonly string[]): string | undefined {
  const files = new Set<string>();
  for (const path of paths) {
    const bad = unsafeCharacterIn(path, { allowWhiteSpace: true });
    if (bad !== undefined) return `"${path.slice(0, 80)}" holds ${bad.description}`;
    if (path === '' || path.startsWith('/') || path.includes('\\')) return `"${path}" is not a relative path with / separators`;
    if (path.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) return `"${path}" has an empty, . or .. segment, which could reach outside the output folder`;
    if (files.has(path)) return `"${path}" is written twice`;
    files.add(path);
  }
  for (const path of files) {
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const folder = segments.slice(0, i).join('/');
      if (files.has(folder)) return `"${folder}" is both a file and the folder of "${path}"`;
    }
  }
  return undefined;
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

/** Whether a process with this id runs (and may be ours to respect). */
function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process id a lock or claim names: its first word (older versions wrote only the id). */
function holderOf(text: string): number {
  return Number(text.trim().split(/\s+/)[0]);
}

/** A lock this process holds: its path and its text, which no other claim shares. */
interface HeldLock {
  readonly path: string;
  readonly text: string;
}

/** Whether the store's lock is still this one. */
function holds(lock: HeldLock): boolean {
  try {
    return readFileSync(lock.path, 'utf8') === lock.text;
  } catch {
    return false;
  }
}

/**
 * Takes the store's lock: a file named `lock` holding the writer's process id and a random token
 * (a process id alone can be reused, and a lock must never pass for another holder's). It is
 * created whole, by hard-linking a claim already written, so no other writer ever reads it empty
 * (an empty lock used to look like a dead writer's, and two writers then wrote at once). A lock
 * whose process is gone is removed by {@link breakStaleLock}, one writer at a time.
 */
function acquireLock(store: string, timeoutMs: number): HeldLock {
  const lock = join(store, 'lock');
  const deadline = Date.now() + timeoutMs;
  const text = `${process.pid} ${randomBytes(6).toString('hex')}\n`;
  const claim = join(store, `lock-${process.pid}-${randomBytes(4).toString('hex')}`);
  writeFileSync(claim, text, { mode: 0o644 });
  try {
    for (;;) {
      try {
        linkSync(claim, lock);
        return { path: lock, text };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      let found: string;
      try {
        found = readFileSync(lock, 'utf8');
      } catch {
        // Removed in between: try again at once.
        continue;
      }
      const holder = holderOf(found);
      if (!processAlive(holder)) {
        // A writer that was killed left its lock behind.
        if (breakStaleLock(store, found, claim)) continue;
        if (Date.now() > deadline) {
          throw new TreeWriteError('locked', `another k8s-gen process is clearing a dead writer's lock of ${dirname(store)} and does not finish`, 'stop the other k8s-gen processes writing there, then run again');
        }
        sleep(1);
        continue;
      }
      if (Date.now() > deadline) {
        throw new TreeWriteError('locked', `another k8s-gen process (pid ${holder}) is writing ${dirname(store)}`, 'wait for it to finish, or stop it, then run again');
      }
      sleep(50);
    }
  } finally {
    rmSync(claim, { force: true });
  }
}

/**
 * Removes the store's `lock` if it still holds `staleText`, the text of a lock whose process was
 * found dead. Writers that found the same dead lock take turns through a second lock, `clearing`
 * (the `claim` file linked there), and each reads the lock again inside it, so none can remove a
 * lock that a live writer took after another one cleared the dead one. (Moving the lock aside and
 * putting it back when it turns out to have changed hands would leave a moment without a lock, in
 * which a third writer could take it while the live holder goes on.) Only a dead holder's lock or a
 * clearer is ever removed, and a dead holder never writes again, so the lock cannot change
 * between that read and its removal. Returns false when another writer is clearing.
 *
 * A clearer killed within its few steps leaves `clearing` behind; that one is moved aside and
 * removed when still the one found dead, the older scheme, which is safe unless a third writer
 * runs into the same instant. Exported for the tests, not from the package.
 *
 * @internal
 */
export function breakStaleLock(store: string, staleText: string, claim: string): boolean {
  const lock = join(store, 'lock');
  const clearing = join(store, 'clearing');
  try {
    linkSync(claim, clearing);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    let text: string;
    try {
      text = readFileSync(clearing, 'utf8');
    } catch {
      return true; // that clearer is done: look at the lock again
    }
    if (processAlive(holderOf(text))) return false;
    const aside = join(store, `stale-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      renameSync(clearing, aside);
    } catch {
      return true; // another writer moved it first
    }
    if (readFileSync(aside, 'utf8') !== text) {
      try {
        linkSync(aside, clearing);
      } catch {
        // Taken again meanwhile; its holder keeps it.
      }
    }
    rmSync(aside, { force: true });
    return true;
  }
  try {
    let current: string;
    try {
      current = readFileSync(lock, 'utf8');
    } catch {
      return true; // already removed
    }
    if (current === staleText) unlinkSync(lock);
    return true;
  } finally {
    unlinkSync(clearing);
  }
}

type Existing = { kind: 'absent' } | { kind: 'link'; generation: string } | { kind: 'folder' };

function inspect(outdir: string, store: string): Existing {
  let stat;
  try {
    stat = lstatSync(outdir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw error;
  }
  if (stat.isSymbolicLink()) {
    const target = readlinkSync(outdir);
    const prefix = `${basename(store)}/`;
    const generation = target.startsWith(prefix) ? target.slice(prefix.length) : '';
    if (generation === '' || generation.includes('/')) {
      throw new TreeWriteError(
        'foreign-link',
        `${outdir} is a symbolic link to ${target}, which k8s-gen did not make; k8s-gen replaces its output by switching a link of its own and never writes through other links`,
        'give the real folder as the output, or remove the link',
      );
    }
    return { kind: 'link', generation };
  }
  if (stat.isDirectory()) return { kind: 'folder' };
  throw new TreeWriteError('not-a-folder', `${outdir} exists and is not a folder`, 'choose another output path, or remove that file');
}

function isEmptyFolder(folder: string): boolean {
  return readdirSync(folder).length === 0;
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes every file into `root` (which must not exist yet) with exact modes. */
function writeGeneration(root: string, files: readonly TreeFile[], durable: boolean): void {
  const secretFolders = new Set<string>();
  const folders = new Set<string>(['']);
  for (const file of files) {
    const segments = file.path.split('/');
    for (let i = 1; i < segments.length; i++) folders.add(segments.slice(0, i).join('/'));
    if (file.secret === true) for (let i = 0; i < segments.length; i++) secretFolders.add(segments.slice(0, i).join('/'));
  }
  const ordered = [...folders].sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1));
  for (const folder of ordered) {
    const path = folder === '' ? root : join(root, ...folder.split('/'));
    const mode = secretFolders.has(folder) ? 0o700 : 0o755;
    mkdirSync(path, { mode });
    chmodSync(path, mode); // the umask may have changed the mode mkdir was given
  }
  for (const file of files) {
    const path = join(root, ...file.path.split('/'));
    const mode = file.secret === true ? 0o600 : 0o644;
    const fd = openSync(path, 'wx', mode);
    try {
      const data = typeof file.contents === 'string' ? Buffer.from(file.contents, 'utf8') : file.contents;
      let written = 0;
      while (written < data.length) written += writeSync(fd, data, written, data.length - written);
      if (durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(path, mode);
  }
  if (durable) for (const folder of [...ordered].reverse()) fsyncPath(folder === '' ? root : join(root, ...folder.split('/')));
}

/**
 * Replaces the output folder `outdir` with exactly `files`, atomically (see the module comment for
 * the technique and its guarantees). Synchronous: the work is a handful of renames around plain
 * file writes.
 *
 * @throws TreeWriteError when a path is unsafe, `outdir` is a file, a foreign link or a folder the
 *   caller does not allow to replace, or another process holds the folder for longer than the
 *   timeout; nothing at `outdir` has changed then.
 * @example
 * ```ts
 * writeTreeAtomically('dist', [{ path: 'cluster/audit-policy.yaml', contents: yaml }]);
 * ```
 */
export function writeTreeAtomically(outdir: string, files: readonly TreeFile[], options: WriteTreeOptions = {}): WriteTreeResult {
  const absolute = resolve(outdir);
  const unsafe = treePathProblem(files.map((file) => file.path));
  if (unsafe !== undefined) throw new TreeWriteError('unsafe-path', `refusing to write ${absolute}: ${unsafe}`, 'give every output file a relative path inside the output folder');
  const durable = options.durable ?? true;
  const parent = dirname(absolute);
  const store = generationStore(absolute);
  mkdirSync(parent, { recursive: true });
  mkdirSync(store, { recursive: true, mode: 0o755 });
  const ignore = join(store, '.gitignore');
  try {
    writeFileSync(ignore, '# k8s-gen output generations: never commit them\n*\n', { flag: 'wx', mode: 0o644 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const lock = acquireLock(store, options.lockTimeoutMs ?? 30_000);
  try {
    const existing = inspect(absolute, store);
    if (existing.kind === 'folder' && !(options.replaceFolder ?? isEmptyFolder)(absolute)) {
      throw new TreeWriteError('foreign-folder', `${absolute} is a folder that k8s-gen did not write`, 'choose an empty folder, a new path, or a previous k8s-gen output folder');
    }
    // Everything in the store but the live generation is left over from earlier or killed runs.
    const live = existing.kind === 'link' ? existing.generation : undefined;
    for (const entry of readdirSync(store)) {
      if (entry === live || entry === 'lock' || entry === 'clearing' || entry === '.gitignore') continue;
      // Lock claims of writers still waiting (and locks being cleared) belong to live processes.
      const claimant = /^(?:lock|stale)-(\d+)-/.exec(entry);
      if (claimant !== null && (Number(claimant[1]) === process.pid || processAlive(Number(claimant[1])))) continue;
      rmSync(join(store, entry), { recursive: true, force: true });
    }
    const id = randomBytes(6).toString('hex');
    const generationName = `g-${id}`;
    const generation = join(store, generationName);
    try {
      writeGeneration(generation, files, durable);
    } catch (error) {
      rmSync(generation, { recursive: true, force: true });
      throw new TreeWriteError('write-failed', `cannot write ${absolute}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'check that the folder and its parent are writable and the disk has room');
    }
    // The link's target is relative to the folder the link ends up in, so moving that folder keeps it valid.
    const link = join(store, `link-${id}`);
    symlinkSync(`${basename(store)}/${generationName}`, link);
    // The lock is still ours (see breakStaleLock for the one case where it might not be): never
    // switch the link while another writer may be removing generations.
    if (!holds(lock)) {
      rmSync(link, { force: true });
      rmSync(generation, { recursive: true, force: true });
      throw new TreeWriteError('locked', `another k8s-gen process took over the lock of ${absolute} while this one was writing; nothing was changed`, 'run again once the other process is done');
    }
    if (existing.kind === 'folder') renameSync(absolute, join(store, `old-${id}`));
    renameSync(link, absolute);
    if (durable) fsyncPath(parent);
    // The generation just replaced stays until the next run, so a reader that resolved the link a
    // moment before the switch can finish reading it.
    return { outdir: absolute, generation };
  } finally {
    if (holds(lock)) rmSync(lock.path, { force: true });
  }
}

/**
 * Every regular file under `dir` (through k8s-gen's output link), by `/`-separated relative path;
 * empty when `dir` does not exist. The link is resolved once, so the files all come from one
 * generation. A read counts only if the link still names that generation when it ends: a writer
 * removes generations that are no longer live, and a folder being removed can list as empty
 * before it vanishes, so a read that the link outlived is done again from the generation the
 * link then names (at most 20 times).
 *
 * @example
 * ```ts
 * readTree('dist').get('cluster/audit-policy.yaml');
 * ```
 */
export function readTree(dir: string): Map<string, string> {
  const absolute = resolve(dir);
  /** The folder the link names now (an absolute path); `absent` when there is nothing at `dir`;
   * `moving` when the link names a generation already removed (it was replaced between reading
   * it and following it, or the store was deleted). */
  const resolved = (): string => {
    try {
      return realpathSync(absolute);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      try {
        lstatSync(absolute);
      } catch {
        return 'absent';
      }
      return 'moving';
    }
  };
  const attempts = 20;
  for (let attempt = 1; ; attempt++) {
    const root = resolved();
    if (root === 'absent') return new Map();
    if (root === 'moving') {
      // A link whose generation stays missing (its store was deleted by hand) names no output.
      if (attempt >= attempts) return new Map();
      continue;
    }
    let files: Map<string, string> | undefined;
    let failure: unknown;
    try {
      files = readGeneration(root);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      failure = error;
    }
    // Generation names are never reused, so a link that names `root` after the read named it
    // throughout: that generation was live, hence never touched, while it was read.
    if (resolved() === root) {
      if (files !== undefined) return files;
      throw failure;
    }
    if (attempt >= attempts) {
      throw new Error(`${dir} was replaced by newer writes ${attempts} times while it was being read; read it again once the writer is done`);
    }
  }
}

/** The files of one resolved folder; a folder or file that disappears midway throws ENOENT. */
function readGeneration(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string, prefix: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(folder, entry.name);
      const relativePath = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) walk(path, relativePath);
      else if (entry.isFile()) files.set(relativePath, readFileSync(path, 'utf8'));
    }
  };
  try {
    walk(root, '');
  } catch (error) {
    // The path names a file: nothing to read there.
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR' && files.size === 0 && !lstatSync(root).isDirectory()) return files;
    throw error;
  }
  return files;
}

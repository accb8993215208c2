/**
 * Checks for values a user gives that end up in an emitted file: an apiserver flag, a YAML or JSON
 * document, a shipper's configuration. Each check runs where the value enters (a construct's props,
 * a builder option) and turns anything that could change the structure of some output into a
 * {@link Problem} naming the option and the fix. The writers escape what they write as well; these
 * checks make sure a value means the same thing in every output it reaches.
 *
 * Refused everywhere: control characters (C0, DEL, C1 including U+0085 NEL), the Unicode line and
 * paragraph separators U+2028 and U+2029 (YAML 1.1 readers such as Go's take all of these as line
 * breaks), invisible format characters (bidirectional overrides, zero-width characters, byte-order
 * marks) and unpaired surrogates. Paths are also refused with any white space: a flags file is read
 * one argument per line, and tools that split it on white space would see a new argument.
 */
import type { Problem } from './problem.js';

/** What was found at which position of a refused value. */
export interface UnsafeCharacter {
  /** 0-based index of the character in the value. */
  readonly index: number;
  /** The character named for people, e.g. `a line feed (U+000A)`. */
  readonly description: string;
}

const NAMES: Readonly<Record<number, string>> = {
  0x00: 'a NUL character',
  0x09: 'a tab',
  0x0a: 'a line feed',
  0x0d: 'a carriage return',
  0x20: 'a space',
  0x85: 'a next-line character',
  0xa0: 'a no-break space',
  0x2028: 'a line separator',
  0x2029: 'a paragraph separator',
  0x202e: 'a right-to-left override',
  0xfeff: 'a byte-order mark',
};

// eslint-disable-next-line no-control-regex
const ALWAYS_UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u;
const UNSAFE_OR_SPACE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{White_Space}]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u;

/**
 * The first character of `text` that no emitted value may hold (see the module comment), with
 * white space included when `allowWhiteSpace` is false.
 *
 * @example
 * ```ts
 * unsafeCharacterIn('/var/log/a.log\n--x', { allowWhiteSpace: false }); // { index: 14, description: 'a line feed (U+000A)' }
 * ```
 */
export function unsafeCharacterIn(text: string, options: { allowWhiteSpace: boolean }): UnsafeCharacter | undefined {
  const match = (options.allowWhiteSpace ? ALWAYS_UNSAFE : UNSAFE_OR_SPACE).exec(text);
  if (match === null) return undefined;
  const code = match[0].codePointAt(0)!;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = NAMES[code] ?? (code >= 0xd800 && code <= 0xdfff ? 'an unpaired surrogate' : 'an invisible or control character');
  return { index: match.index, description: `${name} (${hex})` };
}

const MAX_PATH_LENGTH = 4096;

/** Options of {@link checkNodePath}. */
export interface NodePathOptions {
  /** Accept `-` (the log backend's "write to stdout"). */
  readonly allowStdout?: boolean;
  /** An example to put in the fix, e.g. `/etc/kubernetes/audit-policy.yaml`. */
  readonly example?: string;
}

function problem(option: string, message: string, fix: string): Problem {
  return { severity: 'error', code: 'unsafe-value', path: option, message, fix };
}

/**
 * Checks a path on a node (a file the apiserver reads or writes, a collector's input): it must be
 * absolute (so it cannot start with `-` and pass for a flag), at most 4096 characters, and free of
 * white space and of the characters every emitted value is refused with.
 *
 * @param option - the option's name as the user wrote it, e.g. `nodePath` or `log.path`.
 * @example
 * ```ts
 * checkNodePath('/etc/kubernetes/audit-policy.yaml\n--authorization-mode=AlwaysAllow', 'nodePath'); // a Problem
 * checkNodePath('/etc/kubernetes/audit-policy.yaml', 'nodePath'); // undefined
 * ```
 */
export function checkNodePath(value: unknown, option: string, options: NodePathOptions = {}): Problem | undefined {
  const example = options.example ?? '/etc/kubernetes/audit/file.yaml';
  if (typeof value !== 'string') return problem(option, `${option} must be a path (a string), not ${typeof value}`, `set ${option} to an absolute path such as ${example}`);
  if (options.allowStdout === true && value === '-') return undefined;
  const bad = unsafeCharacterIn(value, { allowWhiteSpace: false });
  if (bad !== undefined) {
    return problem(option, `${option} holds ${bad.description} at position ${bad.index + 1}; it would change the structure of the files it is written into (flags, YAML, collector configs)`, `give ${option} a path without white space or control characters, such as ${example}`);
  }
  if (!value.startsWith('/')) {
    return problem(option, `${option} ${value === '' ? 'is empty' : `"${value}" is not an absolute path`}; the apiserver and the collectors resolve paths on the node, not here`, `set ${option} to an absolute path such as ${example}${options.allowStdout === true ? " (or '-' for stdout)" : ''}`);
  }
  if (value.length > MAX_PATH_LENGTH) return problem(option, `${option} is ${value.length} characters long; Linux paths are at most ${MAX_PATH_LENGTH}`, `shorten ${option}`);
  return undefined;
}

/**
 * Checks a name or other single-line text that reaches an emitted file (a kubeconfig entry name,
 * a label, a tag): not empty, and free of the characters every emitted value is refused with.
 * Spaces are allowed unless `allowSpaces` is false.
 *
 * @example
 * ```ts
 * checkEmittedText('audit-webhook', 'clusterName'); // undefined
 * checkEmittedText('a\u2028b', 'clusterName'); // a Problem
 * ```
 */
export function checkEmittedText(value: unknown, option: string, options: { allowSpaces?: boolean; allowEmpty?: boolean } = {}): Problem | undefined {
  if (typeof value !== 'string') return problem(option, `${option} must be a string, not ${typeof value}`, `set ${option} to a string`);
  if (value === '' && options.allowEmpty !== true) return problem(option, `${option} is empty`, `give ${option} a value`);
  const bad = unsafeCharacterIn(value, { allowWhiteSpace: options.allowSpaces !== false });
  if (bad !== undefined) return problem(option, `${option} holds ${bad.description} at position ${bad.index + 1}, which could change the structure of the file it is written into`, `remove that character from ${option}`);
  return undefined;
}

/**
 * Checks a credential (a bearer token, a password) before it is written into a 0600 file. The
 * message never quotes the value: it names the option and the position only.
 *
 * @example
 * ```ts
 * checkSecretText('abc\ndef', 'credentials.token')?.message; // 'credentials.token holds a line feed (U+000A) at position 4; ...'
 * ```
 */
export function checkSecretText(value: unknown, option: string): Problem | undefined {
  if (typeof value !== 'string') return problem(option, `${option} must be a string, not ${typeof value}`, `set ${option} to the credential as text`);
  if (value === '') return problem(option, `${option} is empty`, `give ${option} the credential, or leave the option out`);
  const bad = unsafeCharacterIn(value, { allowWhiteSpace: false });
  if (bad !== undefined) return problem(option, `${option} holds ${bad.description} at position ${bad.index + 1}; credentials never contain white space or control characters, so this is likely a copy-and-paste error (the value is not shown)`, `remove the white space or control character from ${option}`);
  return undefined;
}

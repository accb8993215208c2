/**
 * Checks of preset options, so that a refused value is reported under the option's own name
 * (`outputPathPattern`) rather than under the config field it ends up in. Each check adds its
 * problem to the list it is given and returns the value when it is accepted.
 */
import { checkNodePath, isDnsLabel, isDnsSubdomain, type Problem } from '@k8s-gen/runtime';
import { refusal } from './problems.js';
import { quoted } from './text.js';

/** A rule of a tool about what a path means to it, with the characters that rule makes special. */
export interface PathRule {
  /** Characters (or sequences) the tool reads specially in this option. */
  readonly pattern: RegExp;
  /** What the tool does with them, e.g. `in_tail reads path as a comma-separated list of globs`. */
  readonly reason: string;
  /** What to do instead. */
  readonly fix: string;
}

/** Adds a problem for `option` and returns undefined. */
export function refuseOption(problems: Problem[], option: string, message: string, fix: string): undefined {
  problems.push(refusal('invalid-option', option, message, fix));
  return undefined;
}

/**
 * An absolute path on the node (runtime's `checkNodePath`: no white space, no control or format
 * characters, no U+2028/U+2029/U+0085), without `.` or `..` segments (a path that seems to be inside
 * a folder must be inside it) and without what `rules` make special. `allowed` (a global regex)
 * marks text the rules do not look at, such as the placeholders an option takes.
 */
export function pathOption(problems: Problem[], option: string, value: unknown, rules: readonly PathRule[] = [], example = '/var/log/kube-audit', allowed?: RegExp): string | undefined {
  const problem = checkNodePath(value, option, { example });
  if (problem !== undefined) {
    problems.push(problem);
    return undefined;
  }
  const path = value as string;
  if (path.split('/').some((segment) => segment === '.' || segment === '..')) {
    return refuseOption(problems, option, `${option} ${quoted(path)} has a . or .. segment, so it may resolve outside the folder it seems to be in`, `give ${option} as a normalized absolute path such as ${example}`);
  }
  // Masking keeps positions: each allowed character becomes one space, which no rule matches.
  const probe = allowed === undefined ? path : path.replace(allowed, (text) => ' '.repeat(text.length));
  for (const rule of rules) {
    const found = rule.pattern.exec(probe);
    if (found !== null) {
      return refuseOption(problems, option, `${option} holds ${quoted(found[0])} at position ${found.index + 1}; ${rule.reason}`, rule.fix);
    }
  }
  return path;
}

/** A TCP port, given as a number or a decimal string, in 1..65535. */
export function portOption(problems: Problem[], option: string, value: unknown): number | undefined {
  const port = typeof value === 'string' && /^[0-9]{1,5}$/.test(value) ? Number(value) : value;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    return refuseOption(problems, option, `${option} ${quoted(value)} is not a TCP port`, `set ${option} to an integer from 1 to 65535`);
  }
  return port;
}


/** A Kubernetes object name (DNS-1123 subdomain, at most 253 characters). */
export function objectNameOption(problems: Problem[], option: string, value: unknown): string | undefined {
  if (typeof value !== 'string' || !isDnsSubdomain(value)) {
    return refuseOption(problems, option, `${option} ${quoted(value)} is not a valid Kubernetes object name`, `use lower-case letters, digits, - and . in ${option}, starting and ending with a letter or digit (at most 253 characters)`);
  }
  return value;
}

/** A Kubernetes namespace name (DNS-1123 label, at most 63 characters). */
export function namespaceOption(problems: Problem[], option: string, value: unknown): string | undefined {
  if (typeof value !== 'string' || !isDnsLabel(value)) {
    return refuseOption(problems, option, `${option} ${quoted(value)} is not a valid namespace name`, `use lower-case letters, digits and - in ${option}, at most 63 characters`);
  }
  return value;
}

/** One of `allowed` (an enum option). */
export function choiceOption<T extends string>(problems: Problem[], option: string, value: unknown, allowed: readonly T[]): T | undefined {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  return refuseOption(problems, option, `${option} ${quoted(value)} is not one of ${allowed.join(', ')}`, `set ${option} to ${allowed.map((a) => `'${a}'`).join(' or ')}`);
}

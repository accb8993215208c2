// Checks of preset options, so that a refused value is reported under the option's own name
// (`outputPathPattern`) rather than under the config field it ends up in.
import { CollectorConfigError, hasLoneSurrogate } from './errors.js';

/** Throws a `CollectorConfigError` for the preset option `option`. */
export function rejectOption(option: string, message: string, fix: string): never {
  throw new CollectorConfigError({ code: 'collector-option', path: option, message, fix });
}

/**
 * An absolute file path on one line, with no surrounding whitespace and no control characters.
 * `extra` adds a check of its own (return a message to refuse).
 */
export function checkAbsolutePath(option: string, value: unknown, extra?: (path: string) => string | undefined): string {
  if (typeof value !== 'string' || value === '') rejectOption(option, 'is missing or not a string', 'pass an absolute path such as /var/log/kube-audit');
  const path = value as string;
  if (/[\u0000-\u001f\u007f]/.test(path) || hasLoneSurrogate(path)) {
    rejectOption(option, 'contains a line break, a control character or a lone surrogate', 'pass a single-line path of well-formed text');
  }
  if (!path.startsWith('/')) rejectOption(option, `${JSON.stringify(path)} is not an absolute path`, 'start the path with /');
  if (/\s$/.test(path)) rejectOption(option, 'ends with whitespace', 'remove the trailing whitespace');
  const problem = extra?.(path);
  if (problem) rejectOption(option, problem, 'see the option documentation for the placeholders it accepts');
  return path;
}

/** A TCP port, given as a number or a decimal string, in 1..65535. */
export function checkPort(option: string, value: unknown): number {
  const port = typeof value === 'string' && /^[0-9]{1,5}$/.test(value) ? Number(value) : value;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    rejectOption(option, `${JSON.stringify(value)} is not a TCP port`, 'pass an integer from 1 to 65535');
  }
  return port as number;
}

/** A DNS-1123 subdomain (Kubernetes object names such as ConfigMap names). */
export function checkObjectName(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(value)) {
    rejectOption(option, `${JSON.stringify(value)} is not a valid Kubernetes object name`, 'use lower-case letters, digits, - and ., starting and ending with a letter or digit (at most 253 characters)');
  }
  return value as string;
}

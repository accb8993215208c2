/**
 * Text checks shared by every collector language, built on `@k8s-gen/runtime`'s checks for
 * emitted values: no control or format characters, no Unicode line breaks, no lone surrogates.
 */
import { checkEmittedText, unsafeCharacterIn, type Problem } from '@k8s-gen/runtime';

/** Options of {@link checkConfigText}. */
export interface ConfigTextOptions {
  /** Accept tabs (a language that escapes them, or reads them as plain data). Default false. */
  readonly allowTabs?: boolean;
  /** Accept line feeds (multi-line code such as a logstash ruby filter's `code`). Default false. */
  readonly allowLineFeeds?: boolean;
  /** Accept ''. Default true. */
  readonly allowEmpty?: boolean;
}

/**
 * Checks text that a builder or a preset puts into a config: refused are the characters no
 * emitted value may hold (see `unsafeCharacterIn` of `@k8s-gen/runtime`), except tabs and line
 * feeds where the options allow them. The problem names `path` and the position.
 *
 * @example
 * ```ts
 * checkConfigText('a\u2028b', 'param(path)'); // a Problem: a line separator (U+2028) at position 2
 * checkConfigText('a\tb', 'param(delimiter)', { allowTabs: true }); // undefined
 * ```
 */
export function checkConfigText(value: unknown, path: string, options: ConfigTextOptions = {}): Problem | undefined {
  if (typeof value !== 'string') return checkEmittedText(value, path);
  // Replacing an allowed character by a space keeps every other character at its position.
  let probe = value;
  if (options.allowTabs === true) probe = probe.replace(/\t/g, ' ');
  if (options.allowLineFeeds === true) probe = probe.replace(/\n/g, ' ');
  return checkEmittedText(probe, path, { allowEmpty: options.allowEmpty !== false });
}

/**
 * The first character of `text` that a writer cannot put into a file, after the characters the
 * writer escapes (`escaped`) are set aside; undefined when there is none.
 */
export function unwritableCharacterIn(text: string, escaped: RegExp): ReturnType<typeof unsafeCharacterIn> {
  return unsafeCharacterIn(text.replace(escaped, ' '), { allowWhiteSpace: true });
}

/** `JSON.stringify` of a value cut to `max` characters, for messages that quote user input. */
export function quoted(value: unknown, max = 60): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Which strings must be quoted so that every YAML reader, including YAML 1.1 readers such as the
 * go-yaml v2 library behind kube-apiserver, reads them back as the same string.
 */
import type { ScalarTag } from 'yaml';

/** Words YAML 1.1 or 1.2 read as booleans or null. */
const RESERVED_WORDS = new Set(
  ['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null', '~']
    .flatMap((word) => [word, word.toUpperCase(), word.charAt(0).toUpperCase() + word.slice(1)]),
);

/**
 * A plain (unquoted) scalar is used only for text made of these characters. The first character
 * must be a letter, `_` or `/`: that keeps out every indicator (`-?:,[]{}#&*!|>'"%@\``), and
 * every number, octal, date and sexagesimal form, which all start with a digit, a sign or a dot.
 */
const PLAIN_SAFE = /^[A-Za-z_/][A-Za-z0-9_./:@+=*-]*$/;

/**
 * True when `text` may be written unquoted in a block context and still read back as this exact
 * string under YAML 1.1 and 1.2. Everything else is double-quoted.
 */
export function isPlainSafe(text: string): boolean {
  return (
    PLAIN_SAFE.test(text) &&
    !text.endsWith(':') &&
    !RESERVED_WORDS.has(text) &&
    !/^\.?(inf|nan)$/i.test(text) &&
    // Some YAML 1.1 readers (the yaml package among them) take `e0` or `E5` for a number.
    !/^[eE][-+]?[0-9]+$/.test(text) &&
    text !== '<<'
  );
}

/**
 * Characters the yaml library would print raw inside double quotes although YAML forbids them
 * there (DEL and the C1 controls) or YAML 1.1 readers take them as line breaks (U+0085 NEL,
 * U+2028, U+2029), which go-yaml then folds into a space.
 */
// eslint-disable-next-line no-control-regex
const RAW_UNSAFE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;

const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\u0085': '\\N', '\u2028': '\\L', '\u2029': '\\P' };

/**
 * A double-quoted YAML scalar for `text` that every YAML 1.1 and 1.2 reader reads back as `text`:
 * JSON's escapes, plus DEL, the C1 controls, U+2028, U+2029 and the non-characters escaped.
 *
 * @example
 * ```ts
 * escapedDoubleQuoted('a\u2028b'); // '"a\\Lb"'
 * ```
 */
export function escapedDoubleQuoted(text: string): string {
  // A JSON string literal is a valid YAML double-quoted scalar; escape what JSON leaves raw.
  return JSON.stringify(text).replace(RAW_UNSAFE, (ch) => NAMED_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A replacement for the yaml library's string tag, used only for strings holding characters from
 * `RAW_UNSAFE`, so they are written with escapes instead of raw.
 */
export const escapedStringTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:str',
  default: true,
  identify: (value) => typeof value === 'string' && new RegExp(RAW_UNSAFE.source).test(value),
  resolve: (text) => text,
  stringify: (item) => escapedDoubleQuoted(String(item.value)),
};

/**
 * How comment text is written as YAML `#` lines and read back.
 *
 * A comment is plain text: every line break (`\n`, `\r\n`, `\r`, and the YAML 1.1 breaks U+0085,
 * U+2028, U+2029) starts a new `#` line and nothing else in it has any meaning, so a comment can
 * never add YAML content. Trailing white space on a line is dropped, and characters YAML does not
 * allow in a file (control characters other than tab, a byte-order mark) become U+FFFD.
 */

const LINE_BREAK = /\r\n|[\n\r\u0085\u2028\u2029]/;
// eslint-disable-next-line no-control-regex
const NOT_PRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Splits comment text into the lines that follow each `#`. */
function commentLines(text: string): string[] {
  return text.split(LINE_BREAK).map((line) => line.replace(NOT_PRINTABLE, '\ufffd').trimEnd());
}

/**
 * The text to store as a yaml-library `commentBefore`: each line prefixed with one space, so the
 * printed comment reads `# text` (an empty line stays empty and prints as a bare `#`).
 */
export function toYamlComment(text: string): string {
  return commentLines(text)
    .map((line) => (line === '' ? '' : ` ${line}`))
    .join('\n');
}

/** Turns a parsed yaml-library comment back into comment text (drops one space after each `#`). */
export function fromYamlComment(comment: string): string {
  return comment
    .split('\n')
    .map((line) => (line.startsWith(' ') ? line.slice(1) : line))
    .join('\n');
}

/** Prints a stored comment as `#` lines; passed to the yaml library as its `commentString`. */
export function printComment(comment: string): string {
  return comment
    .split('\n')
    .map((line) => `#${line}`)
    .join('\n');
}

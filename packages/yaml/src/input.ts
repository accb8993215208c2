/**
 * From bytes (or a string) to the text a reader parses, with go-yaml v2's reader rules: the byte
 * order marks it honours, the UTF-8 and UTF-16 it accepts and the characters it refuses.
 *
 * go-yaml v2 (`readerc.go`, used through sigs.k8s.io/yaml by kube-apiserver and kubectl):
 * - a leading UTF-8 BOM is skipped; a leading UTF-16LE (`FF FE`) or UTF-16BE (`FE FF`) BOM makes
 *   it decode UTF-16; anything else is UTF-8;
 * - malformed UTF-8 (a bad leading or trailing byte, a truncated or overlong sequence, a surrogate,
 *   a code point above U+10FFFF) and unpaired UTF-16 surrogates are refused;
 * - only tab, LF, CR, U+0020-U+007E, U+0085, U+00A0-U+D7FF, U+E000-U+FFFD and U+10000-U+10FFFF
 *   are allowed, anywhere in the file (comments included): "control characters are not allowed".
 *
 * Two more refusals are this package's own, because go-yaml would read the text differently from
 * what an editor shows and the yaml library cannot reproduce its reading: U+0085, U+2028 and
 * U+2029 are line breaks for go-yaml (a `#` comment ends there and YAML resumes), and a U+FEFF
 * after the first character is skipped at the start of a line but kept inside text.
 */
import { inputTooLarge } from './limits.js';
import { positionsOf, readError, type ReadProblem } from './problem.js';

/** The characters Go's `unicode.IsSpace` accepts, which apimachinery skips before looking for JSON. */
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const JSON_START = new RegExp(`^[${GO_SPACE}]*\\{`);
const LEADING_GO_SPACE = new RegExp(`^[${GO_SPACE}]*`);

/**
 * The first character go-yaml refuses, or that this package refuses (see the module comment):
 * everything outside the allowed ranges, plus U+0085, U+2028, U+2029 and U+FEFF. With the `u`
 * flag an unpaired surrogate is a code point of its own and matches too.
 */
const NOT_READABLE = /[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]/u;

/** Options for {@link decodeInput}. */
export interface DecodeInputOptions {
  maxBytes: number;
  /**
   * Whether text starting with `{` (after white space) is JSON, as apimachinery's universal
   * decoder (used for audit policy files) treats it; then go-yaml's reader rules do not apply.
   */
  json: boolean;
  /** JSON is recognised only when its `{` starts within this many bytes (1.20 peeked at 2,048). */
  jsonPeekBytes?: number;
}

/** The text to parse, or the problem that stops reading. */
export type DecodedInput = { ok: true; text: string; json: boolean } | { ok: false; problem: ReadProblem };

const hex = (n: number, width: number): string => n.toString(16).toUpperCase().padStart(width, '0');

/** UTF-8 length of a string, counted without building the bytes. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** The problem for the character at `index` of `text` that {@link NOT_READABLE} found. */
function characterProblem(text: string, index: number): ReadProblem {
  const position = positionsOf(text)(index);
  const codePoint = text.codePointAt(index)!;
  const name = `U+${hex(codePoint, 4)}`;
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) {
    return readError('yaml-invalid-encoding', position, `The text holds an unpaired surrogate (${name}), which is not a Unicode character; go-yaml refuses it ("invalid Unicode character").`, 'Save the file as valid UTF-8.');
  }
  if (codePoint === 0x85 || codePoint === 0x2028 || codePoint === 0x2029) {
    const escape = codePoint === 0x85 ? '\\N' : codePoint === 0x2028 ? '\\L' : '\\P';
    return readError(
      'yaml-line-break-character',
      position,
      `${name} is a line break for kube-apiserver's and kubectl's YAML reader (go-yaml), though editors show none, so the file would not mean what it shows (a comment would end there, for example).`,
      `Remove it, or write it as the escape "${escape}" inside a double-quoted string.`,
    );
  }
  if (codePoint === 0xfeff) {
    return readError(
      'yaml-byte-order-mark',
      position,
      'A byte-order mark (U+FEFF) inside the file: go-yaml skips it at the start of a line and keeps it elsewhere, so the text would not mean what it shows.',
      'Remove it; only the very first character of a file may be a byte-order mark.',
    );
  }
  const escape = codePoint <= 0xff ? `\\x${hex(codePoint, 2)}` : `\\u${hex(codePoint, 4)}`;
  return readError(
    'yaml-control-character',
    position,
    `${name} is a control character; kube-apiserver's and kubectl's YAML reader (go-yaml) refuses any file holding one, even in a comment ("control characters are not allowed").`,
    `Remove it, or write it as the escape "${escape}" inside a double-quoted string.`,
  );
}

/** The first go-yaml UTF-8 error in `bytes`: its byte offset and go-yaml's wording. */
function utf8Error(bytes: Uint8Array): { offset: number; reason: string } | undefined {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i]!;
    const width = lead < 0x80 ? 1 : (lead & 0xe0) === 0xc0 ? 2 : (lead & 0xf0) === 0xe0 ? 3 : (lead & 0xf8) === 0xf0 ? 4 : 0;
    if (width === 0) return { offset: i, reason: 'invalid leading UTF-8 octet' };
    if (i + width > bytes.length) return { offset: i, reason: 'incomplete UTF-8 octet sequence' };
    let value = width === 1 ? lead : lead & (0xff >> (width + 1));
    for (let k = 1; k < width; k++) {
      const trail = bytes[i + k]!;
      if ((trail & 0xc0) !== 0x80) return { offset: i, reason: 'invalid trailing UTF-8 octet' };
      value = (value << 6) | (trail & 0x3f);
    }
    if ((width === 2 && value < 0x80) || (width === 3 && value < 0x800) || (width === 4 && value < 0x10000)) return { offset: i, reason: 'invalid length of a UTF-8 sequence' };
    if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) return { offset: i, reason: 'invalid Unicode character' };
    i += width;
  }
  return undefined;
}

/** UTF-16 decoded the way go-yaml does, or its first error with go-yaml's wording. */
function decodeUtf16(bytes: Uint8Array, littleEndian: boolean): { text: string } | { text: string; reason: string } {
  const units: number[] = [];
  let text = '';
  const flush = (): void => {
    text += String.fromCharCode(...units);
    units.length = 0;
  };
  const unitAt = (i: number): number => (littleEndian ? bytes[i]! | (bytes[i + 1]! << 8) : (bytes[i]! << 8) | bytes[i + 1]!);
  for (let i = 0; i < bytes.length; ) {
    if (i + 2 > bytes.length) return { text: text + String.fromCharCode(...units), reason: 'incomplete UTF-16 character' };
    const unit = unitAt(i);
    if ((unit & 0xfc00) === 0xdc00) return { text: text + String.fromCharCode(...units), reason: 'unexpected low surrogate area' };
    if ((unit & 0xfc00) === 0xd800) {
      if (i + 4 > bytes.length) return { text: text + String.fromCharCode(...units), reason: 'incomplete UTF-16 surrogate pair' };
      const low = unitAt(i + 2);
      if ((low & 0xfc00) !== 0xdc00) return { text: text + String.fromCharCode(...units), reason: 'expected low surrogate area' };
      units.push(unit, low);
      i += 4;
    } else {
      units.push(unit);
      i += 2;
    }
    if (units.length >= 8192) flush();
  }
  flush();
  return { text };
}

function encodingProblem(prefix: string, reason: string, what: string): ReadProblem {
  return readError(
    'yaml-invalid-encoding',
    positionsOf(prefix)(prefix.length),
    `The bytes here are not valid ${what} ("${reason}"); kube-apiserver's and kubectl's YAML reader (go-yaml) refuses the file.`,
    what === 'UTF-8' ? 'Save the file as UTF-8.' : `Save the file as valid ${what}, or as UTF-8.`,
  );
}

/** The text with the go-yaml character rules applied: the same text, or the first refusal. */
function checkedCharacters(text: string): DecodedInput {
  const bad = NOT_READABLE.exec(text);
  return bad === null ? { ok: true, text, json: false } : { ok: false, problem: characterProblem(text, bad.index) };
}

function looksLikeJson(text: string, options: DecodeInputOptions): boolean {
  if (!options.json || !JSON_START.test(text)) return false;
  return options.jsonPeekBytes === undefined || utf8Length(LEADING_GO_SPACE.exec(text)![0]) < options.jsonPeekBytes;
}

/**
 * Decodes a reader's input: checks its size before anything else, then its encoding and
 * characters as go-yaml does (see the module comment). A string is taken as already decoded; a
 * leading U+FEFF is dropped from it like a UTF-8 byte-order mark.
 */
export function decodeInput(input: string | Uint8Array, options: DecodeInputOptions): DecodedInput {
  if (typeof input === 'string') {
    if (input.length > options.maxBytes) return { ok: false, problem: inputTooLarge(undefined, options.maxBytes) };
    const bytes = utf8Length(input);
    if (bytes > options.maxBytes) return { ok: false, problem: inputTooLarge(bytes, options.maxBytes) };
    const hasBom = input.charCodeAt(0) === 0xfeff;
    const text = hasBom ? input.slice(1) : input;
    // A byte-order mark is no white space for apimachinery, so such a file is never JSON to it.
    if (!hasBom && looksLikeJson(text, options)) return { ok: true, text, json: true };
    return checkedCharacters(text);
  }
  if (input.byteLength > options.maxBytes) return { ok: false, problem: inputTooLarge(input.byteLength, options.maxBytes) };
  const [b0, b1, b2] = [input[0], input[1], input[2]];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    const decoded = decodeUtf16(input.subarray(2), b0 === 0xff);
    const checked = checkedCharacters(decoded.text);
    if ('reason' in decoded && checked.ok) return { ok: false, problem: encodingProblem(decoded.text, decoded.reason, b0 === 0xff ? 'UTF-16LE' : 'UTF-16BE') };
    return checked;
  }
  const hasBom = b0 === 0xef && b1 === 0xbb && b2 === 0xbf;
  const body = hasBom ? input.subarray(3) : input;
  if (!hasBom && options.json) {
    // Go's JSON decoder replaces malformed UTF-8 instead of refusing it.
    const lenient = new TextDecoder('utf-8', { ignoreBOM: true }).decode(body);
    if (looksLikeJson(lenient, options)) return { ok: true, text: lenient, json: true };
  }
  const error = utf8Error(body);
  const valid = new TextDecoder('utf-8', { ignoreBOM: true }).decode(error === undefined ? body : body.subarray(0, error.offset));
  const checked = checkedCharacters(valid);
  if (error !== undefined && checked.ok) return { ok: false, problem: encodingProblem(valid, error.reason, 'UTF-8') };
  return checked;
}

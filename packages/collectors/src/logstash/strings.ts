/**
 * What logstash makes of the text of a string setting, and the checks that run on a string as a
 * whole (after its parts are joined), so that no split of text across parts can form a
 * substitution. logstash reads a string in three steps:
 *
 * 1. the grammar (logstash-core `lscl_grammar.treetop`): `"..."` or `'...'`, where a backslash
 *    before the quote does not end the string; with `config.support_escapes` the escapes
 *    `\" \' \\ \n \r \t \0` are then replaced (`StringEscape.process_escapes`);
 * 2. when the pipeline loads, every `${NAME}` or `${NAME:default}` is replaced with the keystore
 *    entry or environment variable (`SubstitutionVariables`, `ConfigVariableExpander`:
 *    `\$\{([a-zA-Z_.][a-zA-Z0-9_.]*)(:([^}]*))?\}`), and a setting whose value then starts and ends
 *    with a quote loses the quotes, and one in `[...]` becomes a list ("refine");
 * 3. per event, plugins that format a setting (file `path`, elasticsearch `index`, ...) replace
 *    `%{...}` up to the first `}` (`StringInterpolation.evaluate`): `%{+fmt}` is the event time in a
 *    Joda format, `%{{fmt}}` a java.time format, `%{+%s}` epoch seconds, anything else a field.
 */
import type { Problem } from '@k8s-gen/runtime';
import { refusal } from '../problems.js';
import { checkConfigText, quoted } from '../text.js';

/** Literal text inside a string. */
export interface TextPart {
  readonly kind: 'text';
  readonly text: string;
}

/** `%{[a][b]}`: the value of an event field, substituted per event (sprintf). */
export interface FieldPart {
  readonly kind: 'field';
  readonly path: readonly string[];
}

/** `%{+yyyy.MM.dd}`: the event's @timestamp in a Joda-time format, substituted per event. */
export interface DatePart {
  readonly kind: 'date';
  readonly format: string;
}

/** `${NAME}` or `${NAME:default}`: a keystore entry or environment variable, read at load time. */
export interface EnvPart {
  readonly kind: 'env';
  readonly name: string;
  readonly default?: string;
}

/** One piece of a string value. */
export type StringPart = TextPart | FieldPart | DatePart | EnvPart;

/** logstash's substitution-variable pattern (step 2). */
const ENV_REFERENCE = /\$\{([a-zA-Z_.][a-zA-Z0-9_.]*)(?::([^}]*))?\}/g;

/** Names the model accepts for environment variables and keystore keys: logstash's key pattern. */
export const ENV_NAME = /^[a-zA-Z_.][a-zA-Z0-9_.]*$/;

// Field names the model accepts: enough for Kubernetes audit fields (`objectRef`, `@timestamp`,
// annotation keys such as `authorization.k8s.io/decision`), nothing that means something to
// logstash's field-reference or sprintf syntax (`[ ] { } % $ ,` and quotes).
const FIELD_NAME = /^[A-Za-z0-9_@.:/-]+$/;

// Joda-time pattern letters with separators; no `{`, `}` or `%`, which would end or change the reference.
const DATE_FORMAT = /^[A-Za-z0-9.:_ '/-]+$/;

/** Where {@link readStringContent} found a substitution the model cannot represent. */
export interface UnsupportedSubstitution {
  readonly unsupported: string;
  /** Offset in the content. */
  readonly index: number;
}

/**
 * Splits the content of a string (after the grammar and escapes) into literal text and the
 * substitutions logstash performs on it (steps 2 and 3 above), or names the first substitution the
 * model has no part for (`%{{...}}`, `%{+%s}`, `%{}`, a malformed field reference).
 *
 * @example
 * ```ts
 * readStringContent('/var/log/${HOME}/%{[user]}'); // { parts: [text '/var/log/', env HOME, text '/', field ['user']] }
 * ```
 */
export function readStringContent(content: string): { readonly parts: StringPart[] } | UnsupportedSubstitution {
  const parts: StringPart[] = [];
  let last = 0;
  for (const m of content.matchAll(ENV_REFERENCE)) {
    const text = readSprintf(content.slice(last, m.index), last, parts);
    if (text !== undefined) return text;
    parts.push(m[2] === undefined ? { kind: 'env', name: m[1]! } : { kind: 'env', name: m[1]!, default: m[2] });
    last = m.index + m[0].length;
  }
  const rest = readSprintf(content.slice(last), last, parts);
  return rest ?? { parts: mergeText(parts) };
}

// Step 3 on a piece of text between environment references: `%{` up to the first `}`.
function readSprintf(segment: string, offset: number, parts: StringPart[]): UnsupportedSubstitution | undefined {
  let pos = 0;
  for (;;) {
    const open = segment.indexOf('%{', pos);
    const close = open < 0 ? -1 : segment.indexOf('}', open);
    if (open < 0 || close < 0) {
      if (pos < segment.length) parts.push({ kind: 'text', text: segment.slice(pos) });
      return undefined;
    }
    if (open > pos) parts.push({ kind: 'text', text: segment.slice(pos, open) });
    const inner = segment.slice(open + 2, close);
    const part = sprintfPart(inner, segment[close + 1]);
    if (part === undefined) return { unsupported: `%{${inner}}`, index: offset + open };
    parts.push(part);
    pos = close + 1;
  }
}

function sprintfPart(inner: string, after: string | undefined): StringPart | undefined {
  if ('+%s'.startsWith(inner)) return undefined; // '', '+', '+%', '+%s': epoch seconds
  if (inner.startsWith('{') && after === '}') return undefined; // %{{java.time}}
  if (inner.startsWith('+')) return DATE_FORMAT.test(inner.slice(1)) ? { kind: 'date', format: inner.slice(1) } : undefined;
  if (/^(?:\[[^[\],]+\])+$/.test(inner)) return fieldPart(inner.slice(1, -1).split(']['));
  if (/^[^[\],]+$/.test(inner)) return fieldPart([inner]);
  return undefined;
}

function fieldPart(path: string[]): FieldPart | undefined {
  return path.every((name) => FIELD_NAME.test(name)) ? { kind: 'field', path } : undefined;
}

/** Adjacent text joined, empty text dropped, every part a fresh object in one key order: the one form of a part list. */
export function mergeText(parts: readonly StringPart[]): StringPart[] {
  const merged: StringPart[] = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if (part.kind === 'text' && part.text === '') continue;
    if (part.kind === 'text' && last?.kind === 'text') merged[merged.length - 1] = { kind: 'text', text: last.text + part.text };
    else merged.push(canonicalPart(part));
  }
  return merged;
}

function canonicalPart(part: StringPart): StringPart {
  switch (part.kind) {
    case 'text':
      return { kind: 'text', text: part.text };
    case 'field':
      return { kind: 'field', path: [...part.path] };
    case 'date':
      return { kind: 'date', format: part.format };
    case 'env':
      return part.default === undefined ? { kind: 'env', name: part.name } : { kind: 'env', name: part.name, default: part.default };
  }
}

/** The content of a string as logstash reads it once the file is parsed (before steps 2 and 3). */
export function stringContent(parts: readonly StringPart[]): string {
  return parts
    .map((part) => {
      switch (part.kind) {
        case 'text':
          return part.text;
        case 'field':
          return `%{${part.path.map((name) => `[${name}]`).join('')}}`;
        case 'date':
          return `%{+${part.format}}`;
        case 'env':
          return part.default === undefined ? `\${${part.name}}` : `\${${part.name}:${part.default}}`;
      }
    })
    .join('');
}

/** Problem of a field name, or undefined. */
export function fieldNameProblem(name: unknown, path: string): Problem | undefined {
  if (typeof name === 'string' && FIELD_NAME.test(name)) return undefined;
  return refusal('logstash-field-name', path, `${quoted(name)} is not a field name the model accepts: [ ] { } % $ , and quotes mean something to logstash's field references and sprintf`, 'use letters, digits and _ @ . : / - (nested fields are separate path elements)');
}

/** Problem of a Joda-time format, or undefined. */
export function dateFormatProblem(format: unknown, path: string): Problem | undefined {
  if (typeof format === 'string' && DATE_FORMAT.test(format)) return undefined;
  return refusal('logstash-date-format', path, `${quoted(format)} is not a date format the model accepts: { } and % would end or change the %{+...} reference`, "use Joda-time letters with . : _ ' / - and spaces, e.g. yyyy.MM.dd");
}

/** Problem of an environment reference, or undefined. */
export function envPartProblem(name: unknown, defaultValue: unknown, path: string): Problem | undefined {
  if (typeof name !== 'string' || !ENV_NAME.test(name)) {
    return refusal('logstash-env-name', path, `${quoted(name)} is not an environment variable or keystore name`, 'use letters, digits, _ and ., not starting with a digit');
  }
  if (defaultValue === undefined) return undefined;
  const bad = checkConfigText(defaultValue, path);
  if (bad !== undefined) return { ...bad, code: 'logstash-env-default' };
  if (/[{}"'\\$%[\]]/.test(defaultValue as string)) {
    return refusal('logstash-env-default', path, `the default ${quoted(defaultValue)} holds one of { } " ' \\ $ % [ ], which would end the reference or form another one`, 'pass a plain default value');
  }
  return undefined;
}

/** Problem of literal text in a string, or undefined: one line without control characters. */
export function textPartProblem(text: unknown, path: string): Problem | undefined {
  const bad = checkConfigText(text, path);
  return bad === undefined ? undefined : { ...bad, code: 'logstash-unsafe-character', fix: `${bad.fix}; multi-line code goes through script()` };
}

/** Options of {@link stringPartsProblems}. */
export interface StringCheckOptions {
  /**
   * Check the characters of literal text with the entry rules (one line, no control characters).
   * Default true; the writer turns it off, escapes what the chosen quoting can escape and refuses
   * the rest itself.
   */
  readonly checkCharacters?: boolean;
}

/**
 * Problems of a string's parts taken as a whole: the parts are joined first, then each is checked,
 * then the joined content as logstash reads it. Literal text may not hold `${` or `%{` (even split
 * over adjacent parts, such as `'/var/log/$'` and `'{HOME}/'`), may not end with a backslash (it
 * would pair with the closing quote), must read back as exactly the intended parts, and may not
 * combine with an environment reference into something else once the variable is replaced.
 */
export function stringPartsProblems(parts: readonly StringPart[], path: string, options: StringCheckOptions = {}): Problem[] {
  const malformed = parts.map((part) => shapeProblem(part, path)).find((p) => p !== undefined);
  if (malformed !== undefined) return [malformed];
  const merged = mergeText(parts);
  const checkCharacters = options.checkCharacters !== false;
  for (const part of merged) {
    const problem = part.kind === 'text' ? (checkCharacters ? textPartProblem(part.text, path) : undefined) : partProblem(part, path);
    if (problem !== undefined) return [problem];
  }
  const content = stringContent(merged);
  const joined = parts.length > merged.length ? ' (formed by adjacent parts)' : '';
  for (const [index, part] of merged.entries()) {
    if (part.kind === 'text') {
      const marker = /\$\{|%\{/.exec(part.text);
      if (marker !== null) {
        const env = marker[0] === '${';
        return [
          refusal(
            env ? 'logstash-env-in-text' : 'logstash-sprintf-in-text',
            path,
            `the string as logstash reads it, ${quoted(content)}, has ${marker[0]} in its literal text${joined}, which logstash ${env ? 'replaces with an environment variable when it loads the pipeline' : 'replaces with an event field'}`,
            env ? 'reference variables with envRef() and remove ${ from the text' : 'build field references with sprintf(fieldRef(...)) and remove %{ from the text',
          ),
        ];
      }
    }
    if (part.kind === 'env') {
      const before = merged[index - 1];
      const after = merged[index + 1];
      if (before?.kind === 'text' && before.text.endsWith('%')) {
        return [refusal('logstash-env-joins', path, `a % right before \${${part.name}} would join the variable's value into a %{...} reference, since logstash replaces variables before it formats events`, 'remove the % before the environment reference')];
      }
      if (after?.kind === 'text' && after.text.startsWith('{')) {
        return [refusal('logstash-env-joins', path, `a { right after \${${part.name}} would form a %{...} reference with a variable value ending in %`, 'remove the { after the environment reference')];
      }
    }
  }
  if (content.endsWith('\\')) {
    return [refusal('logstash-trailing-backslash', path, `the string ${quoted(content)} ends with a backslash${joined}, which would escape the closing quote`, 'remove the trailing backslash')];
  }
  if (merged.some((part) => part.kind === 'env') && (/^['"[]/.test(content) || /['"\]]$/.test(content))) {
    return [refusal('logstash-env-refine', path, `${quoted(content)} holds an environment reference and starts or ends with a quote or bracket: once the variable is replaced, logstash strips enclosing quotes and turns [...] into a list`, 'remove the leading or trailing quote or bracket')];
  }
  const reread = readStringContent(content);
  if ('unsupported' in reread || JSON.stringify(reread.parts) !== JSON.stringify(merged)) {
    return [refusal('logstash-interpolation', path, `the string as logstash reads it, ${quoted(content)}, does not split into the intended text and references`, 'build references with sprintf(), dateFormat() and envRef(), and keep $ { } % out of the text around them')];
  }
  return [];
}

function shapeProblem(part: StringPart, path: string): Problem | undefined {
  const ok =
    (part?.kind === 'text' && typeof part.text === 'string') ||
    (part?.kind === 'field' && Array.isArray(part.path)) ||
    (part?.kind === 'date' && typeof part.format === 'string') ||
    (part?.kind === 'env' && typeof part.name === 'string');
  return ok ? undefined : refusal('logstash-string-part', path, `${quoted(part)} is not a string part`, 'build strings with str(...)');
}

function partProblem(part: StringPart, path: string): Problem | undefined {
  switch (part?.kind) {
    case 'text':
      return textPartProblem(part.text, path);
    case 'field':
      if (!Array.isArray(part.path) || part.path.length === 0) return refusal('logstash-field-name', path, 'the field path is empty', 'pass at least one field name');
      return part.path.map((name, i) => fieldNameProblem(name, `${path}.field[${i}]`)).find((p) => p !== undefined);
    case 'date':
      return dateFormatProblem(part.format, path);
    case 'env':
      return envPartProblem(part.name, part.default, path);
    default:
      return refusal('logstash-string-part', path, `${quoted(part)} is not a string part`, 'build strings with str(...)');
  }
}

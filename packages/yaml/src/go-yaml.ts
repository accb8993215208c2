/**
 * go-yaml v2's rules for which plain scalars are numbers, as kube-apiserver, kubectl and
 * sigs.k8s.io/yaml apply them, expressed as changes to the yaml library's YAML 1.1 tags.
 *
 * go-yaml removes every `_` from a plain scalar that starts with a digit or a sign, then tries Go's
 * `strconv.ParseInt(text, 0, 64)` and a float pattern. That makes `0o17`, `0X1F`, `0B11` and
 * `0_x1` integers and `1e1_0` a float, which the yaml library's YAML 1.1 tags leave as strings; and
 * it makes `e5` a string (an exponent float needs digits first), which the library reads as a number.
 */
import type { ScalarTag, Tags } from 'yaml';

/** An integer with a Go base prefix (`0x`, `0o`, `0b`, either case), `_` allowed anywhere after the first character. */
const GO_PREFIXED_INT = /^[-+]?_*0_*(?:[xX](?:_*[0-9a-fA-F])+|[oO](?:_*[0-7])+|[bB](?:_*[01])+)_*$/;

const BASES: Readonly<Record<string, number>> = { x: 16, o: 8, b: 2 };

/** Go-style prefixed integers; placed before the library's own integer tags. */
const goPrefixedIntTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  // Numbers are written by the library's own integer tags; this one only reads and guards strings.
  identify: () => false,
  test: GO_PREFIXED_INT,
  resolve: (text) => {
    const clean = text.replace(/_/g, '');
    const negative = clean.startsWith('-');
    const digits = clean.replace(/^[-+]/, '');
    const value = parseInt(digits.slice(2), BASES[digits.charAt(1).toLowerCase()]);
    return negative ? -value : value;
  },
};

/**
 * go-yaml's float pattern for numbers with an exponent, with `_` allowed anywhere after the first
 * character: digits (or a dot and digits) come first, so `e0` stays a string.
 */
const GO_EXPONENT_FLOAT = /^[-+]?_*(?:\.(?:_*[0-9])+|[0-9](?:_*[0-9])*(?:_*\.[0-9_]*)?)_*[eE]_*[-+]?_*[0-9][0-9_]*$/;

const isTag = (tag: Tags[number], name: string, format?: string): boolean =>
  typeof tag !== 'string' && !tag.collection && tag.tag === `tag:yaml.org,2002:${name}` && (format === undefined || tag.format === format);

/** The library's tags with go-yaml's integer and exponent-float rules. */
function withGoNumbers(tags: Tags): Tags {
  const adjusted = tags.map((tag): Tags[number] => (isTag(tag, 'float', 'EXP') ? { ...(tag as ScalarTag), test: GO_EXPONENT_FLOAT } : tag));
  return [goPrefixedIntTag, ...adjusted];
}

/**
 * `customTags` for reading YAML 1.1 (`version: '1.1'`) the way go-yaml v2 decodes into untyped
 * values: its number rules (above), dates and `12:30:45`-style sexagesimal numbers stay strings.
 */
export function goYamlScalars(tags: Tags): Tags {
  return withGoNumbers(tags.filter((tag) => !isTag(tag, 'timestamp') && tag !== 'timestamp' && !isTag(tag, 'int', 'TIME') && !isTag(tag, 'float', 'TIME')));
}

/**
 * `customTags` for writing YAML 1.1 the way go-yaml v2's encoder quotes: a string is quoted when
 * go-yaml would read it as something else, and also when it looks like a date or a sexagesimal
 * number, which go-yaml's encoder quotes although its decoder keeps them as strings.
 */
export function goYamlQuoting(tags: Tags): Tags {
  // Without this the library writes the string `<<` through the merge tag, as a bare merge key;
  // writeYaml quotes it instead.
  return withGoNumbers(tags.filter((tag) => !isTag(tag, 'merge') && tag !== 'merge'));
}

/**
 * Naming rules shared by the readers and emitters, in one place so that a name never depends on
 * which emitter computed it.
 */

/** Words that cannot name a function, class or variable in strict-mode ES modules. */
const RESERVED_WORDS = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally ' +
    'for function if import in instanceof new null return super switch this throw true try typeof var void ' +
    'while with yield let static implements interface package private protected public await arguments eval'
  ).split(' '),
);

/** Members of every generated builder; a field whose member name clashes gets a `Field` suffix. */
const BUILDER_MEMBERS = new Set(['build', 'end', 'comment', 'constructor', 'buildSelf', 'setField', 'appendField']);

/** Turns a wire name into a lowerCamel identifier: `current-context` becomes `currentContext`. */
export function toMemberName(wireName: string): string {
  const parts = wireName.split(/[^A-Za-z0-9]+/).filter((p) => p.length > 0);
  if (parts.length === 0) return 'field';
  const joined = parts.map((p, i) => (i === 0 ? p : p[0]!.toUpperCase() + p.slice(1))).join('');
  const camel = joined[0]!.toLowerCase() + joined.slice(1);
  const safe = /^[0-9]/.test(camel) ? `field${camel}` : camel;
  return BUILDER_MEMBERS.has(safe) ? `${safe}Field` : safe;
}

/** Name of the factory function of a type's builder: `Pod` gives `pod`, `Function` gives `function_`. */
export function factoryName(typeName: string): string {
  const lower = typeName.replace(/^[A-Z]+(?=[A-Z][a-z]|$)|^[A-Z]/, (m) => m.toLowerCase());
  return RESERVED_WORDS.has(lower) ? `${lower}_` : lower;
}

/** Turns a schema or definition name into a PascalCase TypeScript type name. */
export function toTypeName(raw: string): string {
  const parts = raw.split(/[^A-Za-z0-9]+/).filter((p) => p.length > 0);
  const joined = parts.map((p) => p[0]!.toUpperCase() + p.slice(1)).join('');
  if (joined.length === 0) return 'Unnamed';
  return /^[0-9]/.test(joined) ? `T${joined}` : joined;
}

/** True when `key` can be written unquoted as a property name. */
export function isIdentifier(key: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key);
}

/** The property key as written in generated code: bare when possible, otherwise single-quoted. */
export function propertyKey(key: string): string {
  return isIdentifier(key) ? key : `'${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

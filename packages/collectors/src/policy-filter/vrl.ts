/**
 * The subset of VRL (Vector Remap Language, github.com/vectordotdev/vrl) the policy compiler
 * emits, as data, and its printer. The grammar facts (from `src/parser/parser.lalrpop` and
 * `src/parser/lex.rs`):
 * - a program is expressions separated by line feeds or `;`; `#` starts a comment to the end of
 *   the line; a line feed before `else` is skipped;
 * - string literals are `"..."` with the escapes `\" \\ \n \r \t \0 \{ \}`, and `{{ name }}` inside
 *   one is a template that reads a variable, so the printer escapes every `{` and `}`;
 * - `||` and `&&` share one precedence level (left-associative), below `==`/`!=`, below `<`,
 *   `<=`, `>`, `>=`, below `+`; `??` is the lowest; the printer puts every nested operation in
 *   parentheses, so precedence never decides anything;
 * - `if` is an expression whose value is the value of the branch taken; `abort` stops the program
 *   (the remap transform drops the event with `drop_on_abort`, its default);
 * - a function name followed by `!` aborts on error; a closure is `-> |name| { ... }`.
 */

/** A path query: the event (`.a.b`) or a variable (`name.a`). */
export interface VrlPath {
  readonly kind: 'path';
  /** `.` for the event, otherwise a variable name. */
  readonly root: string;
  /** Field names, or indexes into arrays. */
  readonly segments: readonly (string | number)[];
}

/** An expression of the subset. */
export type VrlExpr =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'integer'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'array'; readonly items: readonly VrlExpr[] }
  | VrlPath
  | { readonly kind: 'call'; readonly name: string; readonly bang: boolean; readonly args: readonly VrlExpr[]; readonly closure?: VrlClosure }
  | { readonly kind: 'binary'; readonly op: VrlOperator; readonly left: VrlExpr; readonly right: VrlExpr }
  | { readonly kind: 'not'; readonly expr: VrlExpr }
  | { readonly kind: 'if'; readonly condition: VrlExpr; readonly then: readonly VrlExpr[]; readonly else?: readonly VrlExpr[] }
  | { readonly kind: 'assign'; readonly target: VrlPath; readonly value: VrlExpr }
  | { readonly kind: 'abort' };

/** A closure of a function call: parameter names and the block. */
export interface VrlClosure {
  readonly params: readonly string[];
  readonly body: readonly VrlExpr[];
}

/** The binary operators of the subset. */
export type VrlOperator = '==' | '!=' | '&&' | '||' | '<' | '<=' | '>' | '>=' | '+' | '??';

/** A program: comment lines on top, then expressions. */
export interface VrlProgram {
  readonly header: readonly string[];
  readonly body: readonly VrlExpr[];
}

/** Identifiers of variables and functions. */
export const VRL_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Words the VRL lexer reserves; none may name a variable. */
export const VRL_KEYWORDS: ReadonlySet<string> = new Set(['if', 'else', 'null', 'true', 'false', 'abort', 'return', 'for', 'while', 'loop', 'in', 'break', 'continue', 'as', 'type', 'let', 'module', 'import', 'std', 'this', 'self']);

const ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0', '{': '\\{', '}': '\\}' };

/**
 * A VRL string literal holding exactly `text`, never a template. Other control characters have
 * no escape in VRL (before `\u{...}`, 2026) and are refused by the compiler before printing.
 *
 * @example
 * ```ts
 * vrlString('{{ x }}'); // '"\\{\\{ x \\}\\}"'
 * ```
 */
export function vrlString(text: string): string {
  return `"${text.replace(/["\\\n\r\t\0{}]/g, (c) => ESCAPES[c]!)}"`;
}

function pathText(path: VrlPath): string {
  const segments = path.segments.map((s) => (typeof s === 'number' ? `[${s}]` : VRL_IDENTIFIER.test(s) ? `.${s}` : `.${vrlString(s)}`)).join('');
  if (path.root === '.') return segments === '' ? '.' : segments;
  return `${path.root}${segments}`;
}

function operand(expr: VrlExpr, indent: string): string {
  return expr.kind === 'binary' || expr.kind === 'if' || expr.kind === 'assign' ? `(${exprText(expr, indent)})` : exprText(expr, indent);
}

function blockText(body: readonly VrlExpr[], indent: string): string {
  const inner = `${indent}  `;
  return `{\n${body.map((e) => `${inner}${exprText(e, inner)}`).join('\n')}\n${indent}}`;
}

/** Prints one expression; `indent` is the indentation of the line it starts on. */
export function exprText(expr: VrlExpr, indent = ''): string {
  switch (expr.kind) {
    case 'string':
      return vrlString(expr.value);
    case 'integer':
      return String(expr.value);
    case 'boolean':
      return String(expr.value);
    case 'null':
      return 'null';
    case 'array':
      return `[${expr.items.map((item) => exprText(item, indent)).join(', ')}]`;
    case 'path':
      return pathText(expr);
    case 'call': {
      const call = `${expr.name}${expr.bang ? '!' : ''}(${expr.args.map((a) => exprText(a, indent)).join(', ')})`;
      return expr.closure === undefined ? call : `${call} -> |${expr.closure.params.join(', ')}| ${blockText(expr.closure.body, indent)}`;
    }
    case 'binary':
      return `${operand(expr.left, indent)} ${expr.op} ${operand(expr.right, indent)}`;
    case 'not':
      return `!${operand(expr.expr, indent)}`;
    case 'if': {
      let text = `if ${operand(expr.condition, indent)} ${blockText(expr.then, indent)}`;
      if (expr.else !== undefined) {
        const only = expr.else.length === 1 ? expr.else[0]! : undefined;
        text += only?.kind === 'if' ? ` else ${exprText(only, indent)}` : ` else ${blockText(expr.else, indent)}`;
      }
      return text;
    }
    case 'assign':
      return `${pathText(expr.target)} = ${exprText(expr.value, indent)}`;
    case 'abort':
      return 'abort';
  }
}

/**
 * Prints a program: `#` header lines, then one expression per line.
 *
 * @example
 * ```ts
 * printVrl({ header: ['a filter'], body: [{ kind: 'abort' }] }); // '# a filter\nabort\n'
 * ```
 */
export function printVrl(program: VrlProgram): string {
  return `${[...program.header.map((line) => (line === '' ? '#' : `# ${line}`)), ...program.body.map((e) => exprText(e))].join('\n')}\n`;
}

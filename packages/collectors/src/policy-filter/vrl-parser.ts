/**
 * A parser for the VRL subset of `vrl.ts`, written from VRL's grammar (`src/parser/parser.lalrpop`
 * and `src/parser/lex.rs` of github.com/vectordotdev/vrl) for the forms the compiler emits, and an
 * interpreter of that subset. There is no Vector binary to run the programs with here, so the
 * compiled policy filters are checked twice: the printer parses its own output back to the same
 * tree, and the tests run the interpreter over real and generated events and compare the
 * outcome with kube-apiserver's decision (`evaluate` of @k8s-gen/engine).
 *
 * Grammar rules followed: expressions are separated by line feeds or `;` (a line feed before
 * `else` and line feeds inside `( )` and `[ ]` are skipped); `#` comments run to the end of the
 * line; operators bind, loosest first: `??`, then `||` and `&&` together (left-associative), `==`
 * `!=`, `<` `<=` `>` `>=`, `+`, then `!`; a string literal knows `\" \\ \n \r \t \0 \{ \}` and a
 * `{{ ... }}` template (refused here); an identifier directly followed by `(` or `!(` is a call.
 * Refused: everything outside the subset (floats, regexes, timestamps, objects, `|=`, `return`,
 * metadata `%` paths, named arguments).
 */
import { DEFAULT_READER_LIMITS, failed, positionAt, refusal, succeeded, type CollectorResult, type ReaderLimits } from '../problems.js';
import { VRL_IDENTIFIER, type VrlClosure, type VrlExpr, type VrlOperator, type VrlPath, type VrlProgram } from './vrl.js';

type Token =
  | { readonly type: 'ident' | 'call' | 'string' | 'int' | 'op' | 'punct' | 'newline' | 'keyword'; readonly text: string; readonly at: number; readonly value?: string | number; readonly bang?: boolean }
  | { readonly type: 'eof'; readonly text: ''; readonly at: number };

class VrlSyntaxError {
  constructor(
    readonly at: number,
    readonly message: string,
  ) {}
}

const KEYWORDS = new Set(['if', 'else', 'null', 'true', 'false', 'abort', 'return']);
const STRING_ESCAPES: Readonly<Record<string, string>> = { '"': '"', "'": "'", '\\': '\\', n: '\n', r: '\r', t: '\t', '0': '\0', '{': '{', '}': '}' };

function lex(text: string): { tokens: Token[]; comments: string[] } {
  const tokens: Token[] = [];
  const comments: string[] = [];
  let depth = 0; // inside ( ) or [ ], where line feeds do not end an expression
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '#') {
      const end = text.indexOf('\n', i);
      comments.push(text.slice(i + 1, end < 0 ? text.length : end).replace(/^ /, ''));
      i = end < 0 ? text.length : end;
      continue;
    }
    if (c === '\n') {
      if (depth === 0) tokens.push({ type: 'newline', text: '\n', at: i });
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new VrlSyntaxError(i, 'a string literal is not closed');
        const d = text[j]!;
        if (d === '"') break;
        if (d === '\\') {
          const next = text[j + 1];
          if (next === undefined || STRING_ESCAPES[next] === undefined) throw new VrlSyntaxError(j, `the escape \\${next ?? ''} is not one this subset reads`);
          value += STRING_ESCAPES[next];
          j += 2;
          continue;
        }
        if (d === '{' && text[j + 1] === '{') throw new VrlSyntaxError(j, 'a {{ template in a string literal');
        value += d;
        j++;
      }
      tokens.push({ type: 'string', text: text.slice(i, j + 1), at: i, value });
      i = j + 1;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const match = /^-?[0-9]+/.exec(text.slice(i))![0];
      if (/^[.eE_]/.test(text[i + match.length] ?? '')) throw new VrlSyntaxError(i, 'only integer literals are in this subset');
      tokens.push({ type: 'int', text: match, at: i, value: Number(match) });
      i += match.length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))![0];
      const after = i + word.length;
      if (text[after] === '(' || (text[after] === '!' && text[after + 1] === '(')) {
        tokens.push({ type: 'call', text: word, at: i, bang: text[after] === '!' });
        i = after + (text[after] === '!' ? 1 : 0);
        continue;
      }
      tokens.push({ type: KEYWORDS.has(word) ? 'keyword' : 'ident', text: word, at: i });
      i = after;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (['==', '!=', '&&', '||', '<=', '>=', '??', '->', '|='].includes(two)) {
      if (two === '|=') throw new VrlSyntaxError(i, 'the merge assignment |= is not in this subset');
      tokens.push({ type: two === '->' ? 'punct' : 'op', text: two, at: i });
      i += 2;
      continue;
    }
    if ('<>+!='.includes(c)) {
      tokens.push({ type: c === '=' ? 'punct' : 'op', text: c, at: i });
      i++;
      continue;
    }
    if ('()[]{},.;|:'.includes(c)) {
      if (c === '(' || c === '[') depth++;
      if ((c === ')' || c === ']') && depth > 0) depth--;
      tokens.push({ type: c === ';' ? 'newline' : 'punct', text: c, at: i });
      i++;
      continue;
    }
    throw new VrlSyntaxError(i, `the character ${JSON.stringify(c)} is not in this subset`);
  }
  tokens.push({ type: 'eof', text: '', at: text.length });
  return { tokens, comments };
}

/** Options of {@link parseVrl}. */
export interface ParseVrlOptions extends ReaderLimits {
  readonly file?: string;
}

/**
 * Parses a program of the subset. Never throws: text it cannot read gives a problem with the line
 * and column.
 *
 * @example
 * ```ts
 * parseVrl('if .verb == "get" {\n  abort\n}\n').ok; // true
 * ```
 */
export function parseVrl(text: string, options: ParseVrlOptions = {}): CollectorResult<VrlProgram> {
  const maxLength = options.maxLength ?? DEFAULT_READER_LIMITS.maxLength;
  const maxDepth = options.maxDepth ?? DEFAULT_READER_LIMITS.maxDepth;
  const file = options.file === undefined ? {} : { file: options.file };
  if (typeof text !== 'string') return failed([{ ...refusal('vrl-parse', '', 'the program is not text', 'pass the program as a string'), ...file }]);
  if (text.length > maxLength) return failed([{ ...refusal('vrl-too-large', '', `the program is ${text.length} characters long, more than the limit of ${maxLength}`, 'raise maxLength'), ...file }]);
  try {
    const { tokens, comments } = lex(text);
    // Header comments are the leading `#` lines; others are dropped, as VRL drops them.
    const header: string[] = [];
    for (const line of text.split('\n')) {
      if (!line.startsWith('#')) break;
      header.push(comments[header.length]!);
    }
    let position = 0;
    let depth = 0;
    const peek = (): Token => tokens[position]!;
    const next = (): Token => tokens[position++]!;
    const is = (type: Token['type'], text?: string): boolean => peek().type === type && (text === undefined || peek().text === text);
    const expect = (type: Token['type'], text?: string): Token => {
      if (!is(type, text)) throw new VrlSyntaxError(peek().at, `expected ${text ?? type}, found ${peek().text === '\n' ? 'a line feed' : JSON.stringify(peek().text) || 'the end'}`);
      return next();
    };
    const skipNewlines = (): void => {
      while (is('newline')) next();
    };
    const enter = (at: number): void => {
      if (++depth > maxDepth) throw new VrlSyntaxError(at, `expressions are nested more than ${maxDepth} deep`);
    };

    const block = (): VrlExpr[] => {
      expect('punct', '{');
      skipNewlines();
      const body: VrlExpr[] = [];
      while (!is('punct', '}')) {
        body.push(expression());
        if (!is('punct', '}')) {
          expect('newline');
          skipNewlines();
        }
      }
      next();
      if (body.length === 0) throw new VrlSyntaxError(peek().at, 'an empty block');
      return body;
    };

    const pathSegments = (root: string): VrlPath => {
      const segments: (string | number)[] = [];
      for (;;) {
        if (is('punct', '.') && ['ident', 'keyword', 'string'].includes(tokens[position + 1]!.type)) {
          next();
          const field = next();
          segments.push(field.type === 'string' ? ((field as { value?: string | number }).value as string) : field.text);
        } else if (is('punct', '[') && tokens[position + 1]!.type === 'int' && tokens[position + 2]!.text === ']') {
          next();
          segments.push((next() as { value?: string | number }).value as number);
          next();
        } else break;
      }
      return { kind: 'path', root, segments };
    };

    const term = (): VrlExpr => {
      const token = peek();
      enter(token.at);
      try {
        if (token.type === 'string') return next(), { kind: 'string', value: token.value as string };
        if (token.type === 'int') return next(), { kind: 'integer', value: token.value as number };
        if (token.type === 'keyword' && (token.text === 'true' || token.text === 'false')) return next(), { kind: 'boolean', value: token.text === 'true' };
        if (token.type === 'keyword' && token.text === 'null') return next(), { kind: 'null' };
        if (token.type === 'ident') {
          next();
          return pathSegments(token.text);
        }
        if (token.type === 'punct' && token.text === '.') {
          next();
          if (is('ident') || is('keyword') || is('string')) {
            position--;
            return pathSegments('.');
          }
          return { kind: 'path', root: '.', segments: [] };
        }
        if (token.type === 'punct' && token.text === '[') {
          next();
          const items: VrlExpr[] = [];
          while (!is('punct', ']')) {
            items.push(arithmetic());
            if (!is('punct', ']')) expect('punct', ',');
          }
          next();
          return { kind: 'array', items };
        }
        if (token.type === 'punct' && token.text === '(') {
          next();
          const inner = arithmetic();
          expect('punct', ')');
          return inner;
        }
        if (token.type === 'call') {
          next();
          expect('punct', '(');
          const args: VrlExpr[] = [];
          while (!is('punct', ')')) {
            if (is('ident') && tokens[position + 1]!.text === ':') throw new VrlSyntaxError(peek().at, 'named arguments are not in this subset');
            args.push(arithmetic());
            if (!is('punct', ')')) expect('punct', ',');
          }
          next();
          let closure: VrlClosure | undefined;
          if (is('punct', '->')) {
            next();
            expect('punct', '|');
            const params: string[] = [];
            while (!is('punct', '|')) {
              params.push(expect('ident').text);
              if (!is('punct', '|')) expect('punct', ',');
            }
            next();
            closure = { params, body: block() };
          }
          return closure === undefined ? { kind: 'call', name: token.text, bang: token.bang === true, args } : { kind: 'call', name: token.text, bang: token.bang === true, args, closure };
        }
        throw new VrlSyntaxError(token.at, `unexpected ${token.type === 'eof' ? 'end of the program' : JSON.stringify(token.text)}`);
      } finally {
        depth--;
      }
    };

    const unary = (): VrlExpr => {
      if (is('op', '!')) {
        const at = next().at;
        enter(at);
        try {
          return { kind: 'not', expr: unary() };
        } finally {
          depth--;
        }
      }
      return term();
    };
    const levels: readonly (readonly VrlOperator[])[] = [['??'], ['||', '&&'], ['==', '!='], ['<', '<=', '>', '>='], ['+']];
    const binary = (level: number): VrlExpr => {
      if (level === levels.length) return unary();
      let left = binary(level + 1);
      while (peek().type === 'op' && (levels[level] as readonly string[]).includes(peek().text)) {
        const op = next().text as VrlOperator;
        skipNewlines();
        left = { kind: 'binary', op, left, right: binary(level + 1) };
      }
      return left;
    };
    const arithmetic = (): VrlExpr => binary(0);

    const expression = (): VrlExpr => {
      if (is('keyword', 'if')) return ifExpression();
      if (is('keyword', 'abort')) {
        next();
        return { kind: 'abort' };
      }
      if (is('keyword', 'return')) throw new VrlSyntaxError(peek().at, 'return is not in this subset');
      const start = position;
      const left = arithmetic();
      if (is('punct', '=')) {
        if (left.kind !== 'path' || position === start) throw new VrlSyntaxError(peek().at, 'only a path or a variable can be assigned to');
        next();
        skipNewlines();
        const value = is('keyword', 'if') ? ifExpression() : arithmetic();
        return { kind: 'assign', target: left, value };
      }
      return left;
    };

    const ifExpression = (): VrlExpr => {
      const at = expect('keyword', 'if').at;
      enter(at);
      try {
        const condition = arithmetic();
        skipNewlines();
        const then = block();
        // The lexer skips a line feed when the next significant token is `else`.
        let ahead = position;
        while (tokens[ahead]!.type === 'newline') ahead++;
        if (tokens[ahead]!.type === 'keyword' && tokens[ahead]!.text === 'else') position = ahead;
        if (is('keyword', 'else')) {
          next();
          skipNewlines();
          if (is('keyword', 'if')) return { kind: 'if', condition, then, else: [ifExpression()] };
          return { kind: 'if', condition, then, else: block() };
        }
        return { kind: 'if', condition, then };
      } finally {
        depth--;
      }
    };

    const body: VrlExpr[] = [];
    skipNewlines();
    while (!is('eof')) {
      body.push(expression());
      if (!is('eof')) {
        expect('newline');
        skipNewlines();
      }
    }
    for (const expr of body) checkIdentifiers(expr);
    return succeeded({ header, body });
  } catch (error) {
    if (error instanceof VrlSyntaxError) return failed([{ ...refusal('vrl-parse', '', error.message, 'write the program in the subset the compiler emits', positionAt(text, error.at)), ...file }]);
    throw error;
  }
}

function checkIdentifiers(expr: VrlExpr): void {
  const check = (name: string): void => {
    if (name !== '.' && !VRL_IDENTIFIER.test(name)) throw new VrlSyntaxError(0, `${name} is not an identifier`);
  };
  switch (expr.kind) {
    case 'path':
      check(expr.root);
      return;
    case 'array':
      expr.items.forEach(checkIdentifiers);
      return;
    case 'call':
      expr.args.forEach(checkIdentifiers);
      expr.closure?.params.forEach(check);
      expr.closure?.body.forEach(checkIdentifiers);
      return;
    case 'binary':
      checkIdentifiers(expr.left);
      checkIdentifiers(expr.right);
      return;
    case 'not':
      checkIdentifiers(expr.expr);
      return;
    case 'if':
      checkIdentifiers(expr.condition);
      expr.then.forEach(checkIdentifiers);
      expr.else?.forEach(checkIdentifiers);
      return;
    case 'assign':
      checkIdentifiers(expr.target);
      checkIdentifiers(expr.value);
      return;
    default:
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// The interpreter.

/** A VRL value as JSON holds it. */
export type VrlValue = null | boolean | number | string | VrlValue[] | { [key: string]: VrlValue };

/** The result of running a program over one event. */
export type VrlRun = { readonly aborted: true } | { readonly aborted: false; readonly event: VrlValue };

class VrlAbort {}
class VrlRuntimeError {
  constructor(readonly message: string) {}
}

const isObject = (v: VrlValue | undefined): v is { [key: string]: VrlValue } => typeof v === 'object' && v !== null && !Array.isArray(v);

function equal(a: VrlValue, b: VrlValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b) && typeof a === typeof b && Array.isArray(a) === Array.isArray(b);
}

function get(value: VrlValue | undefined, segments: readonly (string | number)[]): VrlValue {
  let current: VrlValue | undefined = value;
  for (const segment of segments) {
    if (typeof segment === 'number') current = Array.isArray(current) ? current[segment] : undefined;
    else current = isObject(current) ? current[segment] : undefined;
    if (current === undefined) return null;
  }
  return current ?? null;
}

function set(root: VrlValue, segments: readonly (string | number)[], value: VrlValue): VrlValue {
  if (segments.length === 0) return value;
  const [head, ...rest] = segments;
  if (typeof head === 'number') {
    const list = Array.isArray(root) ? [...root] : [];
    while (list.length < head) list.push(null);
    list[head] = set(list[head] ?? null, rest, value);
    return list;
  }
  const object = isObject(root) ? { ...root } : {};
  object[head!] = set(object[head!] ?? null, rest, value);
  return object;
}

function remove(root: VrlValue, segments: readonly (string | number)[]): VrlValue {
  if (segments.length === 0) return root;
  const [head, ...rest] = segments;
  if (typeof head === 'number') {
    if (!Array.isArray(root) || root[head] === undefined) return root;
    const list = [...root];
    if (rest.length === 0) list.splice(head, 1);
    else list[head] = remove(list[head]!, rest);
    return list;
  }
  if (!isObject(root) || !(head! in root)) return root;
  const object = { ...root };
  if (rest.length === 0) delete object[head!];
  else object[head!] = remove(object[head!]!, rest);
  return object;
}

/**
 * Runs a program of the subset over one event, as Vector's remap transform would: the event is
 * the program's `.`, `abort` drops it. Functions: `is_string`, `is_array`, `is_object`, `string`
 * (fallible), `string!`, `array!`, `includes`, `starts_with`, `split`, `del`, `map_values` and
 * `filter` (with a closure). Throws when the program fails at run time (a fallible function without `!` or `??`
 * is a compile error in VRL, so the compiler never emits one).
 *
 * @example
 * ```ts
 * runVrl(program, { verb: 'get' }); // { aborted: false, event: {...} } or { aborted: true }
 * ```
 */
export function runVrl(program: VrlProgram, event: VrlValue): VrlRun {
  // Updates copy along their path (set, remove), so the input is never changed and needs no copy.
  let root: VrlValue = event;
  const scopes: Map<string, VrlValue>[] = [new Map()];
  const lookup = (name: string): VrlValue => {
    for (let i = scopes.length - 1; i >= 0; i--) if (scopes[i]!.has(name)) return scopes[i]!.get(name)!;
    throw new VrlRuntimeError(`the variable ${name} is not defined`);
  };
  const assign = (name: string, value: VrlValue): void => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      if (scopes[i]!.has(name)) {
        scopes[i]!.set(name, value);
        return;
      }
    }
    scopes[scopes.length - 1]!.set(name, value);
  };
  const read = (path: VrlPath): VrlValue => get(path.root === '.' ? root : lookup(path.root), path.segments);
  const runBlock = (body: readonly VrlExpr[]): VrlValue => {
    let value: VrlValue = null;
    for (const expr of body) value = evaluate(expr);
    return value;
  };
  const boolean = (value: VrlValue, what: string): boolean => {
    if (typeof value !== 'boolean') throw new VrlRuntimeError(`${what} is not a boolean`);
    return value;
  };
  const call = (expr: Extract<VrlExpr, { kind: 'call' }>): VrlValue => {
    const fail = (message: string): never => {
      throw new VrlRuntimeError(`${expr.name}: ${message}`);
    };
    if (expr.name === 'del') {
      const target = expr.args[0];
      if (target?.kind !== 'path' || expr.args.length !== 1) return fail('takes one path');
      const old = read(target);
      if (target.root === '.') root = remove(root, target.segments);
      else assign(target.root, remove(lookup(target.root), target.segments));
      return old;
    }
    const args = expr.args.map(evaluate);
    const arg = (i: number): VrlValue => (i < args.length ? args[i]! : fail(`needs argument ${i + 1}`));
    switch (expr.name) {
      case 'is_string':
        return typeof arg(0) === 'string';
      case 'is_array':
        return Array.isArray(arg(0));
      case 'is_object':
        return isObject(arg(0));
      case 'string':
        return typeof arg(0) === 'string' ? arg(0) : fail('the value is not a string');
      case 'array':
        return Array.isArray(arg(0)) ? arg(0) : fail('the value is not an array');
      case 'includes': {
        const list = arg(0);
        if (!Array.isArray(list)) return fail('the first argument is not an array');
        return list.some((item) => equal(item, arg(1)));
      }
      case 'starts_with': {
        const value = arg(0);
        const prefix = arg(1);
        if (typeof value !== 'string' || typeof prefix !== 'string') return fail('both arguments must be strings');
        return value.startsWith(prefix);
      }
      case 'split': {
        const value = arg(0);
        const pattern = arg(1);
        const limit = args.length > 2 ? arg(2) : undefined;
        if (typeof value !== 'string' || typeof pattern !== 'string' || (limit !== undefined && typeof limit !== 'number')) return fail('split(string, string, integer)');
        if (limit === undefined) return value.split(pattern);
        // Rust's splitn: at most `limit` parts, the last holding the rest.
        const parts: string[] = [];
        let rest = value;
        while (parts.length < (limit as number) - 1) {
          const at = pattern === '' ? -1 : rest.indexOf(pattern);
          if (at < 0) break;
          parts.push(rest.slice(0, at));
          rest = rest.slice(at + pattern.length);
        }
        parts.push(rest);
        return parts;
      }
      case 'map_values': {
        const value = arg(0);
        const closure = expr.closure;
        if (closure === undefined || closure.params.length !== 1) return fail('needs a closure with one parameter');
        const apply = (item: VrlValue): VrlValue => {
          scopes.push(new Map([[closure.params[0]!, item]]));
          try {
            return runBlock(closure.body);
          } finally {
            scopes.pop();
          }
        };
        if (Array.isArray(value)) return value.map(apply);
        if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, apply(v)]));
        return fail('the value is not an array or object');
      }
      case 'filter': {
        const value = arg(0);
        const closure = expr.closure;
        if (closure === undefined || closure.params.length !== 2) return fail('needs a closure with two parameters');
        const keep = (key: VrlValue, item: VrlValue): boolean => {
          scopes.push(new Map([[closure.params[0]!, key], [closure.params[1]!, item]]));
          try {
            return boolean(runBlock(closure.body), 'a filter closure');
          } finally {
            scopes.pop();
          }
        };
        if (Array.isArray(value)) return value.filter((item, i) => keep(i, item));
        if (isObject(value)) return Object.fromEntries(Object.entries(value).filter(([k, v]) => keep(k, v)));
        return fail('the value is not an array or object');
      }
      default:
        return fail('is not a function of this subset');
    }
  };
  const evaluate = (expr: VrlExpr): VrlValue => {
    switch (expr.kind) {
      case 'string':
      case 'integer':
      case 'boolean':
        return expr.value;
      case 'null':
        return null;
      case 'array':
        return expr.items.map(evaluate);
      case 'path':
        return read(expr);
      case 'call': {
        if (!expr.bang) return call(expr);
        try {
          return call(expr);
        } catch (error) {
          // `name!(...)` turns an error into a failure of the whole program.
          if (error instanceof VrlRuntimeError) throw new VrlRuntimeError(`aborted: ${error.message}`);
          throw error;
        }
      }
      case 'binary': {
        if (expr.op === '??') {
          try {
            return evaluate(expr.left);
          } catch (error) {
            if (error instanceof VrlRuntimeError && !error.message.startsWith('aborted:')) return evaluate(expr.right);
            throw error;
          }
        }
        if (expr.op === '&&') return boolean(evaluate(expr.left), '&&') ? boolean(evaluate(expr.right), '&&') : false;
        if (expr.op === '||') return boolean(evaluate(expr.left), '||') ? true : boolean(evaluate(expr.right), '||');
        const left = evaluate(expr.left);
        const right = evaluate(expr.right);
        switch (expr.op) {
          case '==':
            return equal(left, right);
          case '!=':
            return !equal(left, right);
          case '+':
            if (typeof left === 'string' && typeof right === 'string') return left + right;
            if (typeof left === 'number' && typeof right === 'number') return left + right;
            throw new VrlRuntimeError('+ needs two strings or two integers');
          default: {
            if (typeof left !== 'number' || typeof right !== 'number') throw new VrlRuntimeError(`${expr.op} needs integers`);
            return expr.op === '<' ? left < right : expr.op === '<=' ? left <= right : expr.op === '>' ? left > right : left >= right;
          }
        }
      }
      case 'not':
        return !boolean(evaluate(expr.expr), '!');
      case 'if':
        if (boolean(evaluate(expr.condition), 'an if condition')) return runBlock(expr.then);
        return expr.else === undefined ? null : runBlock(expr.else);
      case 'assign': {
        const value = evaluate(expr.value);
        if (expr.target.root === '.') root = set(root, expr.target.segments, value);
        else if (expr.target.segments.length === 0) assign(expr.target.root, value);
        else assign(expr.target.root, set(lookup(expr.target.root), expr.target.segments, value));
        return value;
      }
      case 'abort':
        throw new VrlAbort();
    }
  };
  try {
    runBlock(program.body);
  } catch (error) {
    if (error instanceof VrlAbort) return { aborted: true };
    if (error instanceof VrlRuntimeError) throw new Error(`VRL program failed: ${error.message}`);
    throw error;
  }
  return { aborted: false, event: root };
}

/**
 * How deep a YAML text nests, measured on the yaml library's lexer tokens before anything is
 * composed: the library composes documents recursively, and deep enough nesting (about 900
 * block levels) exhausts the call stack, so depth is bounded before the composer runs.
 */
import { Lexer } from 'yaml';
import { tooDeep } from './limits.js';
import { positionsOf, type ReadProblem } from './problem.js';

// Zero-width markers the lexer puts into its token stream; they stand for no source text.
const DOCUMENT = '\x02';
const FLOW_END = '\x18';
const SCALAR = '\x1f';

interface OpenCollection {
  column: number;
  kind: 'map' | 'seq';
}

/**
 * The problem for the first place where lists and mappings nest deeper than `maxDepth`, or
 * undefined. Flow collections count one level per bracket; block collections one level per
 * indentation step that opens one (a list written in the column of its parent's key included),
 * which is what the composer recurses on. Linear in the text; stops at the first excess.
 */
export function nestingProblem(text: string, maxDepth: number): ReadProblem | undefined {
  const open: OpenCollection[] = [];
  let flow = 0;
  let offset = 0;
  let lineStart = 0;
  let atLineStart = true;
  let expectNode = true;
  let nodeColumn = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === DOCUMENT || token === FLOW_END || token === SCALAR || token.length === 0) {
      if (token === DOCUMENT) {
        open.length = 0;
        flow = 0;
      }
      continue;
    }
    const start = offset;
    offset += token.length;
    const column = start - lineStart;
    const lastBreak = token.lastIndexOf('\n');
    if (lastBreak !== -1) lineStart = start + lastBreak + 1;
    if (token === '\n' || token === '\r\n') {
      atLineStart = true;
      expectNode = true;
      continue;
    }
    const first = token.charAt(0);
    if (first === ' ' || first === '\t' || first === '#' || first === '%') {
      if (lastBreak !== -1 && token.endsWith('\n')) atLineStart = true;
      continue;
    }
    if (token === '---' || token === '...') {
      open.length = 0;
      flow = 0;
      continue;
    }
    if (flow > 0) {
      if (token === '[' || token === '{') flow++;
      else if (token === ']' || token === '}') flow--;
    } else {
      if (atLineStart) {
        while (open.length > 0 && open[open.length - 1]!.column > column) open.pop();
        const top = open[open.length - 1];
        if (top !== undefined && top.column === column && top.kind === 'seq' && token !== '-') open.pop();
        atLineStart = false;
      }
      const top = open[open.length - 1];
      if (token === '-' || token === '?') {
        const kind = token === '-' ? 'seq' : 'map';
        if (top === undefined || top.column < column || (top.column === column && kind === 'seq' && top.kind === 'map')) open.push({ column, kind });
        expectNode = true;
      } else if (token === ':') {
        if (top === undefined || top.column < nodeColumn) open.push({ column: nodeColumn, kind: 'map' });
        expectNode = true;
      } else {
        if (expectNode) nodeColumn = column;
        expectNode = false;
        if (token === '[' || token === '{') flow++;
      }
    }
    if (lastBreak !== -1) atLineStart = token.endsWith('\n');
    if (open.length + flow > maxDepth) return tooDeep(positionsOf(text)(start), maxDepth, false);
  }
  return undefined;
}

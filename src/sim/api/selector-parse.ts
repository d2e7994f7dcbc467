// The string form of label selectors (kubectl -l, list options), parsed as
// labels.Parse does: "app=web,tier!=db,env in (a,b),!legacy,gpu".
// Messages are upstream's, with the offset of the offending token appended.
import type { Requirement, Selector, SelectorOperator } from './selector';
import { aggregateMessage, makeSelector, requirementErrors } from './selector';

export class SelectorParseError extends Error {
  override name = 'SelectorParseError';
  /** Offset (0-based) in the input of the token that could not be parsed. */
  readonly position: number;
  constructor(message: string, position: number) {
    super(`${message} (at position ${position})`);
    this.position = position;
  }
}

type Tok = 'error' | 'eos' | ')' | ',' | '!' | '==' | '=' | '>' | 'id' | 'in' | '<' | '!=' | 'notin' | '(';

interface Item {
  tok: Tok;
  lit: string;
  pos: number;
}

const KEYWORDS = new Map<string, Tok>([
  [')', ')'],
  [',', ','],
  ['!', '!'],
  ['==', '=='],
  ['=', '='],
  ['>', '>'],
  ['in', 'in'],
  ['<', '<'],
  ['!=', '!='],
  ['notin', 'notin'],
  ['(', '('],
]);
const isWhitespace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string) => c === '=' || c === '!' || c === '(' || c === ')' || c === ',' || c === '>' || c === '<';

function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos])) pos++;
    const start = pos;
    if (pos >= s.length) {
      items.push({ tok: 'eos', lit: '', pos: start });
      return items;
    }
    if (isSpecial(s[pos])) {
      // Longest run of symbols that still names an operator ("!=", "==").
      let buf = '';
      let last: Item | undefined;
      while (pos < s.length && isSpecial(s[pos])) {
        buf += s[pos];
        const tok = KEYWORDS.get(buf);
        if (tok) last = { tok, lit: buf, pos: start };
        else if (last) break;
        pos++;
      }
      if (last) pos = start + last.lit.length;
      items.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buf}'`, pos: start });
    } else {
      while (pos < s.length && !isSpecial(s[pos]) && !isWhitespace(s[pos])) pos++;
      const lit = s.slice(start, pos);
      items.push({ tok: KEYWORDS.get(lit) ?? 'id', lit, pos: start });
    }
  }
}

const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';
const OPERATOR_OF: Partial<Record<Tok, SelectorOperator>> = {
  in: 'in',
  notin: 'notin',
  '=': '=',
  '==': '==',
  '!=': '!=',
  '>': 'gt',
  '<': 'lt',
};

class Parser {
  private i = 0;
  constructor(private readonly items: Item[]) {}

  /** In value context the keywords "in" and "notin" are plain identifiers. */
  private peek(values: boolean): Item {
    const it = this.items[this.i];
    return values && (it.tok === 'in' || it.tok === 'notin') ? { ...it, tok: 'id' } : it;
  }
  private next(values: boolean): Item {
    const it = this.peek(values);
    this.i++;
    return it;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const it = this.peek(true);
      if (it.tok === 'eos') return reqs;
      if (it.tok !== 'id' && it.tok !== '!') {
        throw new SelectorParseError(`found '${it.lit}', expected: !, identifier, or 'end of string'`, it.pos);
      }
      reqs.push(this.requirement());
      const sep = this.next(true);
      if (sep.tok === 'eos') return reqs;
      if (sep.tok !== ',') throw new SelectorParseError(`found '${sep.lit}', expected: ',' or 'end of string'`, sep.pos);
      const after = this.peek(true);
      if (after.tok !== 'id' && after.tok !== '!') {
        throw new SelectorParseError(`found '${after.lit}', expected: identifier after ','`, after.pos);
      }
    }
  }

  private fail(message: string, pos: number): never {
    throw new SelectorParseError(`unable to parse requirement: ${message}`, pos);
  }

  private requirement(): Requirement {
    let it = this.next(true);
    const start = it.pos;
    let op: SelectorOperator | undefined;
    if (it.tok === '!') {
      op = '!';
      it = this.next(true);
    }
    if (it.tok !== 'id') this.fail(`found '${it.lit}', expected: identifier`, it.pos);
    const key = it.lit;
    const keyErr = requirementErrors(key, 'exists', []);
    if (keyErr.length) this.fail(aggregateMessage(keyErr).replace(/^key: /, ''), it.pos);
    const la = this.peek(true).tok;
    if (la === 'eos' || la === ',') op ??= 'exists';
    if (op === 'exists' || op === '!') return { key, operator: op, values: [] };

    const opItem = this.next(false);
    const operator = OPERATOR_OF[opItem.tok];
    if (!operator) this.fail(`found '${opItem.lit}', expected: ${BINARY_OPERATORS}`, opItem.pos);
    const values = operator === 'in' || operator === 'notin' ? this.valueSet() : this.exactValue();
    const errs = requirementErrors(key, operator, values);
    if (errs.length) this.fail(aggregateMessage(errs), start);
    return { key, operator, values };
  }

  private valueSet(): string[] {
    const open = this.next(true);
    if (open.tok !== '(') this.fail(`found '${open.lit}' expected: '('`, open.pos);
    const first = this.peek(true);
    if (first.tok === ')') {
      this.i++;
      return [''];
    }
    if (first.tok !== 'id' && first.tok !== ',') this.fail(`found '${first.lit}', expected: ',', ')' or identifier`, first.pos);
    const set = new Set<string>();
    for (;;) {
      const it = this.next(true);
      if (it.tok === 'id') {
        set.add(it.lit);
        const la = this.peek(true);
        if (la.tok === ')') break;
        if (la.tok !== ',') this.fail(`found '${la.lit}', expected: ',' or ')'`, la.pos);
      } else if (it.tok === ',') {
        // Empty values are allowed: "(,a)", "(a,)", "(a,,b)".
        if (set.size === 0) set.add('');
        const la = this.peek(true);
        if (la.tok === ')') {
          set.add('');
          break;
        }
        if (la.tok === ',') set.add('');
      } else {
        this.fail(`found '${it.lit}', expected: ',', or identifier`, it.pos);
      }
    }
    this.i++; // the ')'
    return [...set].sort();
  }

  private exactValue(): string[] {
    const la = this.peek(true);
    if (la.tok === 'eos' || la.tok === ',') return [''];
    const it = this.next(true);
    if (it.tok !== 'id') this.fail(`found '${it.lit}', expected: identifier`, it.pos);
    return [it.lit];
  }
}

/** labels.Parse: throws SelectorParseError naming what was found, what was expected and where. */
export function parseSelector(input: string): Selector {
  return makeSelector(new Parser(lex(input)).parse());
}

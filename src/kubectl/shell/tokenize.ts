// The part of a POSIX shell that turns a typed command line into argv, as
// bash would before kubectl sees it: words split on blanks, single quotes
// literal, double quotes with backslash escapes of \ " $ `, a backslash
// outside quotes escaping the next character. Positions are kept so tab
// completion knows which word the cursor is in.

export interface Token {
  value: string;
  /** Offset of the word's first character in the line. */
  start: number;
  /** Offset just past the word. */
  end: number;
}

export interface Tokenized {
  tokens: Token[];
  /** Set when the line ends inside a quote (bash would ask for more input). */
  unterminated?: '"' | "'";
  /** An unquoted shell operator (| > < ; &) that this console does not run. */
  operator?: string;
}

const BLANK = /[ \t\r\n]/;
const OPERATORS = new Set(['|', '>', '<', ';', '&']);

export function tokenize(line: string): Tokenized {
  const tokens: Token[] = [];
  let i = 0;
  let operator: string | undefined;
  while (i < line.length) {
    while (i < line.length && BLANK.test(line[i])) i++;
    if (i >= line.length) break;
    const start = i;
    let value = '';
    let quote: '"' | "'" | undefined;
    for (; i < line.length; i++) {
      const ch = line[i];
      if (quote === "'") {
        if (ch === "'") quote = undefined;
        else value += ch;
      } else if (quote === '"') {
        if (ch === '"') quote = undefined;
        else if (ch === '\\' && i + 1 < line.length && '\\"$`'.includes(line[i + 1])) value += line[++i];
        else value += ch;
      } else if (ch === "'" || ch === '"') {
        quote = ch;
      } else if (ch === '\\') {
        if (i + 1 < line.length) value += line[++i];
      } else if (BLANK.test(ch)) {
        break;
      } else {
        if (OPERATORS.has(ch)) operator ??= ch;
        value += ch;
      }
    }
    tokens.push({ value, start, end: i });
    if (quote) return { tokens, unterminated: quote, ...(operator ? { operator } : {}) };
  }
  return operator ? { tokens, operator } : { tokens };
}

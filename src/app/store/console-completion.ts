// Tab in the kubectl console, as bash completes with kubectl's completion
// script: the candidates come from the kubectl engine (completeKubectl, the
// word at the cursor); one candidate replaces the word and adds a space
// (none after "TYPE/" or "--flag=", where a value follows), several fill in
// what they share and are listed under the prompt.

export interface Completion {
  line: string;
  cursor: number;
  /** Shown under the prompt when more than one candidate fits. */
  candidates: string[];
}

/** Where the word under the cursor starts: after the last blank before it. */
export function wordStart(line: string, cursor: number): number {
  let i = cursor;
  while (i > 0 && !/\s/.test(line[i - 1])) i--;
  return i;
}

export function commonPrefix(words: readonly string[]): string {
  if (words.length === 0) return '';
  let p = words[0];
  for (const w of words) {
    let i = 0;
    while (i < p.length && i < w.length && p[i] === w[i]) i++;
    p = p.slice(0, i);
  }
  return p;
}

/** Applies the engine's candidates for the word ending at `cursor`. */
export function applyCompletion(line: string, cursor: number, candidates: readonly string[]): Completion {
  const start = wordStart(line, cursor);
  const partial = line.slice(start, cursor);
  const fitting = candidates.filter((c) => c.startsWith(partial));
  if (fitting.length === 0) return { line, cursor, candidates: [] };
  const rest = line.slice(cursor);
  if (fitting.length === 1) {
    const word = fitting[0];
    const space = /[/=]$/.test(word) || rest.startsWith(' ') ? '' : ' ';
    const inserted = word + space;
    return { line: line.slice(0, start) + inserted + rest, cursor: start + inserted.length, candidates: [] };
  }
  const shared = commonPrefix(fitting);
  return { line: line.slice(0, start) + shared + rest, cursor: start + shared.length, candidates: [...fitting] };
}

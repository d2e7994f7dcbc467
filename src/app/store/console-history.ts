// The kubectl console's command history, as a shell's readline keeps it:
// Enter adds the line (not an empty one, nor the same line twice in a row,
// as bash's HISTCONTROL=ignoredups), Up walks back through older lines,
// Down forward again, and past the newest the line being typed comes back.
// Pure values: each step returns the new history and the line to show.

export interface ConsoleHistory {
  /** Oldest first. */
  readonly entries: readonly string[];
  /** Which entry is shown: entries.length means the line being typed (the draft). */
  readonly index: number;
  /** What was typed before walking into the history. */
  readonly draft: string;
}

/** Lines kept; older ones are forgotten. */
export const HISTORY_LIMIT = 500;

export const emptyHistory = (): ConsoleHistory => ({ entries: [], index: 0, draft: '' });

/** After Enter: the line joins the history, which goes back to an empty draft. */
export function historyPush(h: ConsoleHistory, line: string): ConsoleHistory {
  const keep = line.trim() !== '' && h.entries[h.entries.length - 1] !== line;
  const entries = keep ? [...h.entries, line].slice(-HISTORY_LIMIT) : h.entries;
  return { entries, index: entries.length, draft: '' };
}

export interface HistoryStep {
  history: ConsoleHistory;
  /** The line to show now. */
  line: string;
}

/** Up: the previous line (the oldest stays put); the typed line is kept as the draft. */
export function historyUp(h: ConsoleHistory, current: string): HistoryStep {
  if (h.index === 0) return { history: h, line: h.entries.length ? h.entries[0] : current };
  const draft = h.index === h.entries.length ? current : h.draft;
  const index = h.index - 1;
  return { history: { ...h, index, draft }, line: h.entries[index] };
}

/** Down: the next line, and past the newest the draft again. */
export function historyDown(h: ConsoleHistory, current: string): HistoryStep {
  if (h.index >= h.entries.length) return { history: h, line: current };
  const index = h.index + 1;
  return { history: { ...h, index }, line: index === h.entries.length ? h.draft : h.entries[index] };
}

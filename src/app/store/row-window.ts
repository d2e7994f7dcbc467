// The part of the objects table the page has in view. At config-max the
// table has 150,000 rows; the page draws about fifty of them, so the store
// that runs the simulation keeps every row and the page receives only the
// window it asked for (showRows), with the total for its scrollbar. This is
// what keeps opening and rewinding a big cluster from sending 27 MB of rows
// to the main thread that it would never draw.
import type { ObjectRow } from './object-rows';

export interface RowWindow {
  /** Index of rows[0] in the whole table. */
  start: number;
  /** Rows in the whole table. */
  total: number;
  /** The rows from `start`, at most as many as asked for (fewer at the table's end). */
  rows: readonly ObjectRow[];
}

export interface RowRange {
  start: number;
  end: number;
}

/** Until the table says what it shows: a screenful and its margin. */
export const INITIAL_ROW_RANGE: RowRange = { start: 0, end: 100 };

export const EMPTY_ROW_WINDOW: RowWindow = { start: 0, total: 0, rows: [] };

/** The window of `all` in `range`; `previous` itself when it holds the same rows (same identities) and total. */
export function rowWindow(all: readonly ObjectRow[], range: RowRange, previous: RowWindow): RowWindow {
  const start = Math.max(0, Math.min(range.start, all.length));
  const end = Math.max(start, Math.min(range.end, all.length));
  const n = end - start;
  if (previous.start === start && previous.total === all.length && previous.rows.length === n) {
    let same = true;
    for (let i = 0; i < n && same; i++) same = previous.rows[i] === all[start + i];
    if (same) return previous;
  }
  return { start, total: all.length, rows: all.slice(start, end) };
}

/** The row at table index `i`, if the window holds it. */
export function rowAt(w: RowWindow, i: number): ObjectRow | undefined {
  return i >= w.start && i < w.start + w.rows.length ? w.rows[i - w.start] : undefined;
}

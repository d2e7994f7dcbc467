import { describe, expect, it } from 'vitest';
import type { ObjectRow } from './object-rows';
import { EMPTY_ROW_WINDOW, rowAt, rowWindow } from './row-window';

const row = (name: string): ObjectRow => ({ key: `Pod/default/${name}`, kind: 'Pod', namespace: 'default', name, resourceVersion: '1', status: 'Running', tone: 'ok', detail: '' });
const rows = ['a', 'b', 'c', 'd', 'e'].map(row);

describe('rowWindow', () => {
  it('holds the rows of the range, cut at the table end, with the total', () => {
    const w = rowWindow(rows, { start: 1, end: 3 }, EMPTY_ROW_WINDOW);
    expect(w).toEqual({ start: 1, total: 5, rows: [rows[1], rows[2]] });
    expect(rowWindow(rows, { start: 4, end: 40 }, EMPTY_ROW_WINDOW)).toEqual({ start: 4, total: 5, rows: [rows[4]] });
    // A range past the end (the table shrank under the scroll position) is empty at the end.
    expect(rowWindow(rows, { start: 9, end: 12 }, EMPTY_ROW_WINDOW)).toEqual({ start: 5, total: 5, rows: [] });
  });

  it('is the previous window while its rows are the same objects and the total did not move', () => {
    const w = rowWindow(rows, { start: 1, end: 3 }, EMPTY_ROW_WINDOW);
    expect(rowWindow([...rows], { start: 1, end: 3 }, w)).toBe(w);
    // A row out of the window changed: same window. One in it: a new one. A row added after it: the total moved.
    const outside = [...rows];
    outside[4] = row('e');
    expect(rowWindow(outside, { start: 1, end: 3 }, w)).toBe(w);
    const inside = [...rows];
    inside[2] = row('c');
    expect(rowWindow(inside, { start: 1, end: 3 }, w)).not.toBe(w);
    expect(rowWindow([...rows, row('f')], { start: 1, end: 3 }, w).total).toBe(6);
  });

  it('rowAt answers only for the rows it holds', () => {
    const w = rowWindow(rows, { start: 2, end: 4 }, EMPTY_ROW_WINDOW);
    expect([1, 2, 3, 4].map((i) => rowAt(w, i)?.name)).toEqual([undefined, 'c', 'd', undefined]);
  });
});

import { describe, expect, it } from 'vitest';
import { emptyHistory, HISTORY_LIMIT, historyDown, historyPush, historyUp } from './console-history';

const pushed = (...lines: string[]) => lines.reduce(historyPush, emptyHistory());

describe('console history', () => {
  it('keeps lines as typed, without empty ones or the same line twice in a row', () => {
    expect(pushed('get pods', '', '  ', 'get pods', 'get nodes', 'get pods').entries).toEqual(['get pods', 'get nodes', 'get pods']);
  });

  it('Up goes back and stops at the oldest; Down comes forward to the line being typed', () => {
    let h = pushed('a', 'b', 'c');
    const walk: string[] = [];
    for (let i = 0; i < 4; i++) {
      const s = historyUp(h, 'draft');
      h = s.history;
      walk.push(s.line);
    }
    expect(walk).toEqual(['c', 'b', 'a', 'a']);
    const back: string[] = [];
    for (let i = 0; i < 4; i++) {
      const s = historyDown(h, back.at(-1) ?? 'a');
      h = s.history;
      back.push(s.line);
    }
    // Past the newest the typed line ("draft") returns, and Down there changes nothing.
    expect(back).toEqual(['b', 'c', 'draft', 'draft']);
  });

  it('Up with no history leaves the line alone; Enter returns to a fresh draft', () => {
    expect(historyUp(emptyHistory(), 'x').line).toBe('x');
    const h = historyPush(historyUp(pushed('a'), 'typed').history, 'b');
    expect(h).toEqual({ entries: ['a', 'b'], index: 2, draft: '' });
  });

  it(`forgets the oldest past ${HISTORY_LIMIT} lines`, () => {
    const h = pushed(...Array.from({ length: HISTORY_LIMIT + 3 }, (_, i) => `get pod p${i}`));
    expect(h.entries).toHaveLength(HISTORY_LIMIT);
    expect(h.entries[0]).toBe('get pod p3');
  });
});

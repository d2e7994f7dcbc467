import { describe, expect, it } from 'vitest';
import { visibleWindow } from './virtual-window';

describe('visibleWindow', () => {
  it('covers the rows in view and the overscan around them', () => {
    // 34 px rows, scrolled to 3,400 px (row 100), a 340 px view (rows 100-109), 5 rows each side.
    expect(visibleWindow(10_000, 34, 3_400, 340, 5)).toEqual({ start: 95, end: 115 });
  });

  it('clamps at both ends of the list', () => {
    expect(visibleWindow(30, 34, 0, 600, 40)).toEqual({ start: 0, end: 30 });
    expect(visibleWindow(100, 34, 99_999, 340, 5)).toEqual({ start: 100, end: 100 });
    expect(visibleWindow(0, 34, 0, 600)).toEqual({ start: 0, end: 0 });
  });

  it('treats a negative overscroll (rubber-banding) as the top', () => {
    expect(visibleWindow(1_000, 34, -50, 340, 0)).toEqual({ start: 0, end: 10 });
  });
});

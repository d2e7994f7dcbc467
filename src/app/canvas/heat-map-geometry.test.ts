import { describe, expect, it } from 'vitest';
import { CARD, GRID_WIDTH, heatColumns, heatGrid, podCell, PODS_PER_TILE, tileAt, tileBox, tileIndices, tilesIn, viewRect, sameGrid } from './heat-map-geometry';

describe('heat map grid', () => {
  it('1,000 nodes: 47 x 22 tiles (ceil(sqrt(1000 x 3 x 212 / 292)) = ceil(46.7)), about 1,400 px wide whatever the count', () => {
    expect(heatColumns(1000)).toBe(47);
    const g = heatGrid(1000, 400);
    expect([g.cols, g.rows]).toEqual([47, 22]);
    // scale = 1400 / (47 x (264 + 28)) = 1400 / 13724
    expect(g.scale).toBeCloseTo(1400 / 13724, 10);
    expect(g.tileWidth).toBeCloseTo(264 * g.scale, 10);
    // 47 pitches less one gap: (13724 - 28) x scale = 1397.1
    expect(g.width).toBeCloseTo(1397.1, 1);
    expect(g.x).toBeCloseTo(-g.width / 2, 10);
    expect(g.y).toBe(400);
    // 51 nodes: ceil(sqrt(111.1)) = 11 columns of bigger tiles; 5,000: 105 columns of smaller ones.
    expect([heatGrid(51, 0).cols, heatGrid(51, 0).rows]).toEqual([11, 5]);
    expect(heatGrid(51, 0).scale).toBeCloseTo(1400 / (11 * 292), 10);
    expect([heatGrid(5000, 0).cols, heatGrid(5000, 0).rows]).toEqual([105, 48]);
    for (const n of [51, 1000, 5000]) expect(heatGrid(n, 0).width).toBeLessThanOrEqual(GRID_WIDTH);
  });

  it('tiles are the card shape, row by row, and tileAt finds each one from its centre', () => {
    const g = heatGrid(1000, 0);
    const b0 = tileBox(g, 0);
    const b47 = tileBox(g, 47);
    expect(b0.width / b0.height).toBeCloseTo(CARD.width / CARD.height, 10);
    // Tile 47 starts the second row: the first column, one pitch lower.
    expect(b47.x).toBeCloseTo(b0.x, 10);
    expect(b47.y).toBeCloseTo(b0.y + g.pitchY, 10);
    for (const i of [0, 1, 46, 47, 500, 999]) {
      const b = tileBox(g, i);
      expect(tileAt(g, b.x + b.width / 2, b.y + b.height / 2)).toBe(i);
    }
  });

  it('tileAt: -1 in the gaps, outside the grid and past the last tile of a short last row', () => {
    const g = heatGrid(1000, 0);
    const b = tileBox(g, 0);
    expect(tileAt(g, b.x + b.width + 0.5, b.y + 1)).toBe(-1);
    expect(tileAt(g, b.x - 1, b.y + 1)).toBe(-1);
    // Row 21 holds tiles 987..999 (13 of 47): column 20 of it would be tile 1007.
    const past = tileBox(g, 21 * 47 + 20);
    expect(tileAt(g, past.x + 1, past.y + 1)).toBe(-1);
  });

  it('the tiles a rectangle touches, clipped to the grid', () => {
    const g = heatGrid(100, 0);
    // 100 nodes: ceil(sqrt(217.8)) = 15 columns, 7 rows.
    expect([g.cols, g.rows]).toEqual([15, 7]);
    const a = tileBox(g, 16);
    const range = tilesIn(g, { x: a.x + 1, y: a.y + 1, width: g.pitchX, height: 1 })!;
    expect(range).toEqual({ col0: 1, col1: 2, row0: 1, row1: 1 });
    expect(tileIndices(g, range)).toEqual([16, 17]);
    expect(tilesIn(g, { x: g.x - 500, y: g.y - 500, width: 10, height: 10 })).toBeNull();
    // The last row has 100 - 6 x 15 = 10 tiles: indices past 99 are left out.
    expect(tileIndices(g, { col0: 0, col1: 14, row0: 6, row1: 6 })).toHaveLength(10);
  });

  it('a viewport shows the canvas rectangle (-x, -y) / zoom, its size over zoom', () => {
    expect(viewRect({ x: -200, y: 100, zoom: 2 }, 800, 400)).toEqual({ x: 100, y: -50, width: 400, height: 200 });
  });

  it('110 pod cells (the default maxPods) fill a tile row by row, inside it', () => {
    expect(PODS_PER_TILE).toBe(110);
    const g = heatGrid(1000, 0);
    const first = podCell(g, 0);
    const last = podCell(g, PODS_PER_TILE - 1);
    expect(first.dx).toBeCloseTo(g.tileWidth * 0.08, 10);
    expect(first.dy).toBeCloseTo(g.tileHeight * 0.1, 10);
    // Pod 11 is the first of the second row of 11.
    expect(podCell(g, 11).dx).toBeCloseTo(first.dx, 10);
    expect(podCell(g, 11).dy).toBeCloseTo(first.dy + first.height, 10);
    expect(last.dx + last.width).toBeLessThanOrEqual(g.tileWidth);
    expect(last.dy + last.height).toBeLessThanOrEqual(g.tileHeight);
  });
});

describe('sameGrid', () => {
  it('is true for a grid computed again from the same count and top, false when a node is added', () => {
    expect(sameGrid(heatGrid(5000, 300), heatGrid(5000, 300))).toBe(true);
    expect(sameGrid(heatGrid(5000, 300), heatGrid(5001, 300))).toBe(false);
    expect(sameGrid(heatGrid(5000, 300), null)).toBe(false);
  });
});

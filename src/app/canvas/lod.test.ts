import { describe, expect, it } from 'vitest';
import { heatGrid, tileBox } from './heat-map-geometry';
import { CARD_MIN_SCALE, cardTilesForKey, cardZoom, heatMaxZoom, LOD_NODE_THRESHOLD, MAX_CARDS, usesHeatMap, visibleCards } from './lod';

describe('level of detail', () => {
  it('cards up to 50 nodes, the heat map from 51', () => {
    expect(LOD_NODE_THRESHOLD).toBe(50);
    expect([1, 50, 51, 1000].map(usesHeatMap)).toEqual([false, false, true, true]);
  });

  it('tiles become cards at the zoom that draws a card at 0.4 of its size: 0.4 / scale', () => {
    const g = heatGrid(1000, 0);
    // scale = 1400 / 13724 = 0.10201: cards from zoom 3.92, up to 1.5 / 0.10201 = 14.7.
    expect(cardZoom(g)).toBeCloseTo(CARD_MIN_SCALE / g.scale, 10);
    expect(cardZoom(g)).toBeCloseTo(3.921, 3);
    expect(heatMaxZoom(g)).toBeCloseTo(14.70, 2);
    // A grid of big tiles still zooms to React Flow's usual 2.
    expect(heatMaxZoom(heatGrid(51, 0))).toBe(Math.max(2, 1.5 / heatGrid(51, 0).scale));
  });

  it('below the card zoom no cards; at it, the tiles in view and a margin of one, as a key that changes only with that set', () => {
    const g = heatGrid(1000, 0);
    const b = tileBox(g, 5 * 47 + 10);
    const zoom = 4;
    // A pane of 600 x 300 whose top-left corner shows tile 245's corner.
    const v = { x: -b.x * zoom, y: -b.y * zoom, zoom };
    expect(visibleCards(g, { ...v, zoom: 3.9 }, 600, 300)).toEqual({ key: '', tiles: [] });
    const shown = visibleCards(g, v, 600, 300);
    // Pitches of 292 x 0.10201 = 29.8 and 212 x 0.10201 = 21.6: 600 / (29.8 x 4) = 5.0 pitches wide and
    // 300 / (21.6 x 4) = 3.5 high, so columns 10..15 and rows 5..8, plus one each side.
    expect(shown.key).toBe('9:16:4:9');
    expect(shown.tiles).toHaveLength(8 * 6);
    expect(shown.tiles).toContain(245);
    expect(cardTilesForKey(g, shown.key)).toEqual(shown.tiles);
    // A pan of half a pixel keeps the same set (and key); one of a whole pitch moves it.
    expect(visibleCards(g, { ...v, x: v.x - 0.5 }, 600, 300).key).toBe(shown.key);
    expect(visibleCards(g, { ...v, x: v.x - g.pitchX * zoom }, 600, 300).key).toBe('10:17:4:9');
  });

  it('never more than MAX_CARDS at once: a pane that would show more keeps the tiles', () => {
    const g = heatGrid(1000, 0);
    const zoom = cardZoom(g);
    expect(visibleCards(g, { x: -g.x * zoom, y: -g.y * zoom, zoom }, 4000, 3000)).toEqual({ key: '', tiles: [] });
    expect(MAX_CARDS).toBe(120);
  });
});

// Level of detail (issue 5 part 5): past LOD_NODE_THRESHOLD worker nodes the
// canvas draws them as tiles of a heat map (heat-map-geometry.ts) on one
// Canvas2D instead of one React card each; zoomed in until a tile is big
// enough to read as a card, the nodes in view (and only those) become real
// cards again, in their tile's box. Pure: decisions from the node count,
// React Flow's viewport and the pane's size.
import { tileIndices, tilesIn, viewRect, type HeatGrid, type Viewport } from './heat-map-geometry';

/** Up to this many worker nodes, one card each; beyond it, the heat map. */
export const LOD_NODE_THRESHOLD = 50;

export function usesHeatMap(workers: number): boolean {
  return workers > LOD_NODE_THRESHOLD;
}

/** Cards replace tiles once a card would be drawn at this fraction of its size or more (the default view of 3 nodes shows them at about 0.6). */
export const CARD_MIN_SCALE = 0.4;
/** Zoomed in, a card can grow to this fraction of its size. */
export const CARD_MAX_SCALE = 1.5;
/** Never more cards than this at once (a very large screen zoomed to the threshold). */
export const MAX_CARDS = 120;

/** The zoom at which a grid's tiles become cards. */
export function cardZoom(g: HeatGrid): number {
  return CARD_MIN_SCALE / g.scale;
}

/** How far the view may zoom in on a grid: cards up to CARD_MAX_SCALE, and never less than React Flow's 2. */
export function heatMaxZoom(g: HeatGrid): number {
  return Math.max(2, CARD_MAX_SCALE / g.scale);
}

/**
 * The tiles to show as cards: those in view (and one more row and column
 * around it, so panning does not uncover tiles first) once the zoom reaches
 * cardZoom; none below it, or when the view would need more than MAX_CARDS.
 * As a string key too, so a caller re-renders only when the set changes.
 */
export function visibleCards(g: HeatGrid, v: Viewport, width: number, height: number): { key: string; tiles: number[] } {
  if (!(v.zoom >= cardZoom(g)) || width <= 0 || height <= 0) return { key: '', tiles: [] };
  const r = viewRect(v, width, height);
  const range = tilesIn(g, { x: r.x - g.pitchX, y: r.y - g.pitchY, width: r.width + 2 * g.pitchX, height: r.height + 2 * g.pitchY });
  if (!range) return { key: '', tiles: [] };
  const tiles = tileIndices(g, range);
  if (tiles.length > MAX_CARDS) return { key: '', tiles: [] };
  return { key: `${range.col0}:${range.col1}:${range.row0}:${range.row1}`, tiles };
}

/** The tiles of a visibleCards key (the range it names), for a caller that kept only the key. */
export function cardTilesForKey(g: HeatGrid, key: string): number[] {
  if (!key) return [];
  const [col0, col1, row0, row1] = key.split(':').map(Number);
  return tileIndices(g, { col0, col1, row0, row1 });
}

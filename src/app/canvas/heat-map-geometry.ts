// Where the level-of-detail view (issue 5 part 5) puts each worker node's
// tile, and each pod's pixel inside it. Pure: positions are a function of
// the node count alone, so the picture never jumps while the cluster runs.
//
// A tile is a worker card (layout.ts SIZES.worker) scaled down: the whole
// grid is about GRID_WIDTH canvas pixels wide whatever the node count (51
// or 5,000), so the control plane above it stays as legible as it is with a
// few cards. Zooming in far enough shows the real card in the tile's box at
// the same scale (lod.ts), so nothing moves when cards replace tiles.
import type { Box } from './layout';

/** A worker card and the gap between cards, as layout.ts draws them at full size. */
export const CARD = { width: 264, height: 184, gap: 28 } as const;
/** The grid aims at this width, in canvas pixels: the control-plane row is about 1,000. */
export const GRID_WIDTH = 1400;
/** Wider than tall (3:1), so the grid and the control plane above it fill a landscape panel. */
const GRID_ASPECT = 3;
/** A tile is never drawn larger than half a card. */
const MAX_SCALE = 0.5;

/** Pods as pixels: a tile holds 11 x 10 = 110, the kubelet's default maxPods. */
export const POD_COLS = 11;
export const POD_ROWS = 10;
export const PODS_PER_TILE = POD_COLS * POD_ROWS;
/** The pods' area inside a tile, as fractions of the tile (the rest frames them). */
const POD_AREA = { left: 0.08, top: 0.1, right: 0.08, bottom: 0.08 } as const;

export interface HeatGrid {
  count: number;
  cols: number;
  rows: number;
  /** A tile is a card scaled by this. */
  scale: number;
  /** Top-left corner of the first tile. */
  x: number;
  y: number;
  tileWidth: number;
  tileHeight: number;
  /** Tile plus gap. */
  pitchX: number;
  pitchY: number;
  width: number;
  height: number;
}

/** Columns for `count` tiles: about GRID_ASPECT times wider than tall (1,000 nodes: 47 x 22). */
export function heatColumns(count: number): number {
  const pitchX = CARD.width + CARD.gap;
  const pitchY = CARD.height + CARD.gap;
  return Math.max(1, Math.ceil(Math.sqrt((count * GRID_ASPECT * pitchY) / pitchX)));
}

/** The grid of `count` tiles, centred on x = 0 with its top at `top`. */
export function heatGrid(count: number, top: number): HeatGrid {
  const cols = heatColumns(count);
  const rows = Math.max(1, Math.ceil(count / cols));
  const scale = Math.min(MAX_SCALE, GRID_WIDTH / (cols * (CARD.width + CARD.gap)));
  const pitchX = (CARD.width + CARD.gap) * scale;
  const pitchY = (CARD.height + CARD.gap) * scale;
  const tileWidth = CARD.width * scale;
  const tileHeight = CARD.height * scale;
  const width = cols * pitchX - CARD.gap * scale;
  const height = rows * pitchY - CARD.gap * scale;
  return { count, cols, rows, scale, x: -width / 2, y: top, tileWidth, tileHeight, pitchX, pitchY, width, height };
}

/** Tile `i` (row by row, in the workers' order). */
export function tileBox(g: HeatGrid, i: number): Box {
  const col = i % g.cols;
  const row = Math.floor(i / g.cols);
  return { x: g.x + col * g.pitchX, y: g.y + row * g.pitchY, width: g.tileWidth, height: g.tileHeight };
}

/** The tile under a canvas point; -1 in a gap or outside the grid. */
export function tileAt(g: HeatGrid, x: number, y: number): number {
  const dx = x - g.x;
  const dy = y - g.y;
  if (dx < 0 || dy < 0) return -1;
  const col = Math.floor(dx / g.pitchX);
  const row = Math.floor(dy / g.pitchY);
  if (col >= g.cols || dx - col * g.pitchX > g.tileWidth || dy - row * g.pitchY > g.tileHeight) return -1;
  const i = row * g.cols + col;
  return i < g.count ? i : -1;
}

/** React Flow's transform: a canvas point p is drawn at p * zoom + (x, y) CSS pixels. */
export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

/** The canvas rectangle a viewport shows in a pane of `width` x `height` CSS pixels. */
export function viewRect(v: Viewport, width: number, height: number): Box {
  return { x: -v.x / v.zoom, y: -v.y / v.zoom, width: width / v.zoom, height: height / v.zoom };
}

/** Columns and rows (inclusive) of the tiles a canvas rectangle touches; empty when it misses the grid. */
export interface TileRange {
  col0: number;
  col1: number;
  row0: number;
  row1: number;
}

export function tilesIn(g: HeatGrid, r: Box): TileRange | null {
  const col0 = Math.max(0, Math.floor((r.x - g.x) / g.pitchX));
  const col1 = Math.min(g.cols - 1, Math.floor((r.x + r.width - g.x) / g.pitchX));
  const row0 = Math.max(0, Math.floor((r.y - g.y) / g.pitchY));
  const row1 = Math.min(g.rows - 1, Math.floor((r.y + r.height - g.y) / g.pitchY));
  if (col0 > col1 || row0 > row1) return null;
  return { col0, col1, row0, row1 };
}

/** The tile indices in a range, row by row. */
export function tileIndices(g: HeatGrid, range: TileRange): number[] {
  const out: number[] = [];
  for (let row = range.row0; row <= range.row1; row++)
    for (let col = range.col0; col <= range.col1; col++) {
      const i = row * g.cols + col;
      if (i < g.count) out.push(i);
    }
  return out;
}

/** Where pod `j` of a tile sits, as offsets from the tile's corner: row by row from the top left. */
export interface PodCell {
  dx: number;
  dy: number;
  /** The cell's pitch; the pixel drawn is a little smaller so neighbours stay apart. */
  width: number;
  height: number;
}

export function podCell(g: HeatGrid, j: number): PodCell {
  const width = (g.tileWidth * (1 - POD_AREA.left - POD_AREA.right)) / POD_COLS;
  const height = (g.tileHeight * (1 - POD_AREA.top - POD_AREA.bottom)) / POD_ROWS;
  return {
    dx: g.tileWidth * POD_AREA.left + (j % POD_COLS) * width,
    dy: g.tileHeight * POD_AREA.top + Math.floor(j / POD_COLS) * height,
    width,
    height,
  };
}

/** Whether two grids place every tile in the same place (a layout recomputed for another reason gives an equal grid). */
export function sameGrid(a: HeatGrid | null, b: HeatGrid | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.count === b.count && a.cols === b.cols && a.scale === b.scale && a.x === b.x && a.y === b.y;
}

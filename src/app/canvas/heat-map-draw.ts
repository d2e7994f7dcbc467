// Draws the level-of-detail heat map on one Canvas2D from its typed-array
// cells (heat-map-cells.ts). Software rendering is enough even at 5,000
// nodes and 150,000 pods, because of three choices: a change redraws only
// the tiles whose cells moved (`only`), the whole view is drawn only when
// the viewport, the pane, the theme or the selection changed; zoomed out,
// where a pod's pixel is as wide as its cell's pitch or wider, a row of
// same-phase pods is one rectangle (the pixels a rectangle per pod would
// cover, at a tenth of the calls); and nothing is allocated per tile or pod
// (scratch buffers are reused). Each tile is filled with the heat of its
// node's requested cpu, crossed and outlined when the node is NotReady
// (--bad) or Unknown (--warn), marked in its top-right corner when cordoned,
// and carries one pixel per pod in its phase's colour. Coordinates are
// snapped to device pixels so 1-pixel pods stay sharp.
import { POD_TOKEN_PHASES } from '../store/worker-views';
import { MARK_CORDONED, MARK_NOT_READY, MARK_UNKNOWN, type HeatCells } from './heat-map-cells';
import { podCell, PODS_PER_TILE, POD_COLS, tilesIn, viewRect, type HeatGrid, type Viewport } from './heat-map-geometry';
import type { HeatPalette } from './heat-map-palette';
import type { HeatFill } from './heat-map-raster';

/** The part of CanvasRenderingContext2D the heat map uses (a test passes a recorder). */
export type HeatContext = Pick<
  CanvasRenderingContext2D,
  'fillStyle' | 'strokeStyle' | 'lineWidth' | 'fillRect' | 'clearRect' | 'beginPath' | 'rect' | 'moveTo' | 'lineTo' | 'closePath' | 'fill' | 'stroke'
>;

export interface HeatDrawInput {
  grid: HeatGrid;
  cells: HeatCells;
  viewport: Viewport;
  /** The canvas in CSS pixels, and device pixels per CSS pixel. */
  width: number;
  height: number;
  dpr: number;
  palette: HeatPalette;
  /** The tile of the node the inspector shows, ringed; -1 for none. */
  selected?: number;
  /**
   * Redraw only these tiles (their cells changed; the rest of the canvas is
   * as the last draw left it, with the same viewport, pane, palette and
   * selection). Without it the whole view is drawn.
   */
  only?: ArrayLike<number>;
  /**
   * Where the tiles and pods are filled (heat-map-raster.ts), and how they reach the canvas before the
   * marks are stroked on it: `flush(rects)` with the tiles redrawn (x, y, width, height each), or null for
   * the whole view. Without it they are filled on the canvas itself.
   */
  pixels?: { fill: HeatFill; flush(rects: Int32Array | null, len: number): void };
}

export interface HeatDrawStats {
  tiles: number;
  pods: number;
  /** Rectangles filled for pods (fewer than pods once rows of pods are merged). */
  podRects: number;
}

/** A pod is at least this many CSS pixels across, so one pod on a tile 12 pixels wide can be seen. */
export const MIN_POD_PIXEL = 2;

/** Where the pods of a tile sit, per grid: offsets from the tile's corner, computed once. */
const podOffsets = new WeakMap<HeatGrid, Float64Array>();
function offsetsOf(grid: HeatGrid): Float64Array {
  let o = podOffsets.get(grid);
  if (!o) {
    o = new Float64Array(PODS_PER_TILE * 2);
    for (let j = 0; j < PODS_PER_TILE; j++) {
      const c = podCell(grid, j);
      o[2 * j] = c.dx;
      o[2 * j + 1] = c.dy;
    }
    podOffsets.set(grid, o);
  }
  return o;
}

/** Reused between draws: pod rectangles by phase (x, y, width per rectangle) and the marked tiles (x0, y0, x1, y1). */
class Scratch {
  pods = POD_TOKEN_PHASES.map(() => new Int32Array(3 * 1024));
  podLen = new Uint32Array(POD_TOKEN_PHASES.length);
  notReady = new Int32Array(4 * 256);
  unknown = new Int32Array(4 * 256);
  cordoned = new Int32Array(4 * 256);
  marksLen = [0, 0, 0];
  /** The tiles redrawn alone (x, y, width, height), for the raster's flush. */
  redrawn = new Int32Array(4 * 256);
  redrawnLen = 0;
  reset(): void {
    this.podLen.fill(0);
    this.marksLen[0] = this.marksLen[1] = this.marksLen[2] = 0;
    this.redrawnLen = 0;
  }
  pushRedrawn(x: number, y: number, w: number, h: number): void {
    if (this.redrawnLen + 4 > this.redrawn.length) {
      const grown = new Int32Array(this.redrawn.length * 2);
      grown.set(this.redrawn);
      this.redrawn = grown;
    }
    const r = this.redrawn;
    const at = this.redrawnLen;
    r[at] = x;
    r[at + 1] = y;
    r[at + 2] = w;
    r[at + 3] = h;
    this.redrawnLen = at + 4;
  }
  pushPod(phase: number, x: number, y: number, w: number): void {
    let buf = this.pods[phase];
    const at = this.podLen[phase];
    if (at + 3 > buf.length) {
      const grown = new Int32Array(buf.length * 2);
      grown.set(buf);
      this.pods[phase] = buf = grown;
    }
    buf[at] = x;
    buf[at + 1] = y;
    buf[at + 2] = w;
    this.podLen[phase] = at + 3;
  }
  pushMark(which: 0 | 1 | 2, x0: number, y0: number, x1: number, y1: number): void {
    const key = which === 0 ? 'notReady' : which === 1 ? 'unknown' : 'cordoned';
    let buf = this[key];
    const at = this.marksLen[which];
    if (at + 4 > buf.length) {
      const grown = new Int32Array(buf.length * 2);
      grown.set(buf);
      this[key] = buf = grown;
    }
    buf[at] = x0;
    buf[at + 1] = y0;
    buf[at + 2] = x1;
    buf[at + 3] = y1;
    this.marksLen[which] = at + 4;
  }
}
const scratch = new Scratch();

export function drawHeatMap(ctx: HeatContext, input: HeatDrawInput): HeatDrawStats {
  const { grid, cells, viewport, width, height, dpr, palette, selected = -1 } = input;
  const k = viewport.zoom * dpr;
  const ox = viewport.x * dpr;
  const oy = viewport.y * dpr;
  const sx = (x: number) => Math.round(x * k + ox);
  const sy = (y: number) => Math.round(y * k + oy);

  // Pod pixels: the cell's pitch in device pixels, less a gap once there is room for one, and
  // never under MIN_POD_PIXEL (zoomed out, neighbours then overlap: a full tile reads as a block).
  const offsets = offsetsOf(grid);
  const pitch = podCell(grid, 0).width * k;
  const size = Math.max(Math.round(MIN_POD_PIXEL * dpr), pitch >= 3 ? Math.round(pitch * 0.75) : Math.round(pitch));
  // Pods stay inside their tile (zoomed out, MIN_POD_PIXEL would push the last ones past its edge),
  // so a tile can be redrawn alone; only a tile smaller than a pod is not, and then the whole view is.
  const spills = grid.tileWidth * k < size + 1 || grid.tileHeight * k < size + 1;
  const only = spills ? undefined : input.only;
  const px: HeatFill = input.pixels?.fill ?? ctx;
  if (!only) px.clearRect(0, 0, width * dpr, height * dpr);
  const range = tilesIn(grid, viewRect(viewport, width, height));
  const stats: HeatDrawStats = { tiles: 0, pods: 0, podRects: 0 };
  if (!range) return stats;
  // Pixels at least as wide as their pitch touch or overlap: a row of one phase is then one rectangle.
  const merge = size >= pitch;
  scratch.reset();
  let lastFill = '';

  const drawTile = (i: number, clear: boolean) => {
    const col = i % grid.cols;
    const row = (i - col) / grid.cols;
    if (col < range.col0 || col > range.col1 || row < range.row0 || row > range.row1) return;
    const x = grid.x + col * grid.pitchX;
    const y = grid.y + row * grid.pitchY;
    const x0 = sx(x);
    const y0 = sy(y);
    if (clear) {
      const w = Math.max(x0 + 1, sx(x + grid.tileWidth)) - x0;
      const h = Math.max(y0 + 1, sy(y + grid.tileHeight)) - y0;
      px.clearRect(x0, y0, w, h);
      scratch.pushRedrawn(x0, y0, w, h);
    }
    if (!cells.has(i)) return;
    const x1 = Math.max(x0 + 1, sx(x + grid.tileWidth));
    const y1 = Math.max(y0 + 1, sy(y + grid.tileHeight));
    const fill = palette.heat[cells.heat[i]];
    if (fill !== lastFill) px.fillStyle = lastFill = fill;
    px.fillRect(x0, y0, x1 - x0, y1 - y0);
    const marks = cells.marks[i];
    if (marks & MARK_NOT_READY) scratch.pushMark(0, x0, y0, x1, y1);
    else if (marks & MARK_UNKNOWN) scratch.pushMark(1, x0, y0, x1, y1);
    if (marks & MARK_CORDONED) scratch.pushMark(2, x0, y0, x1, y1);
    const n = cells.podCount[i];
    const base = i * PODS_PER_TILE;
    const maxX = x1 - size;
    const maxY = y1 - size;
    for (let j = 0; j < n; j++) {
      const phase = cells.phases[base + j];
      const px = Math.min(sx(x + offsets[2 * j]), maxX);
      const py = Math.min(sy(y + offsets[2 * j + 1]), maxY);
      let end = px + size;
      if (merge) {
        // The rest of the row in the same phase.
        while (j + 1 < n && (j + 1) % POD_COLS !== 0 && cells.phases[base + j + 1] === phase) {
          j++;
          end = Math.min(sx(x + offsets[2 * j]), maxX) + size;
        }
      }
      scratch.pushPod(phase, px, py, end - px);
    }
    stats.tiles++;
    stats.pods += n;
  };

  if (only) for (let q = 0; q < only.length; q++) drawTile(only[q], true);
  else
    for (let row = range.row0; row <= range.row1; row++)
      for (let col = range.col0; col <= range.col1; col++) {
        const i = row * grid.cols + col;
        if (i < grid.count) drawTile(i, false);
      }

  for (let p = 0; p < POD_TOKEN_PHASES.length; p++) {
    const len = scratch.podLen[p];
    if (len === 0) continue;
    const r = scratch.pods[p];
    px.fillStyle = palette.phase[POD_TOKEN_PHASES[p]];
    for (let q = 0; q < len; q += 3) px.fillRect(r[q], r[q + 1], r[q + 2], size);
    stats.podRects += len / 3;
  }
  // The fills reach the canvas before the marks are stroked over them.
  input.pixels?.flush(only ? scratch.redrawn : null, only ? scratch.redrawnLen : 0);

  const line = Math.max(1, Math.round(1.5 * dpr));
  crossed(ctx, scratch.notReady, scratch.marksLen[0], palette.notReady, line);
  crossed(ctx, scratch.unknown, scratch.marksLen[1], palette.unknown, line);
  if (scratch.marksLen[2] > 0) {
    // A corner cut off the top right, as a "no entry" flag: cordoned, SchedulingDisabled.
    const c = scratch.cordoned;
    ctx.fillStyle = palette.mark;
    ctx.beginPath();
    for (let q = 0; q < scratch.marksLen[2]; q += 4) {
      const [y0, x1, y1] = [c[q + 1], c[q + 2], c[q + 3]];
      const s = Math.max(2, Math.round((y1 - y0) * 0.4));
      ctx.moveTo(x1 - s, y0);
      ctx.lineTo(x1, y0);
      ctx.lineTo(x1, y0 + s);
      ctx.closePath();
    }
    ctx.fill();
  }
  // The ring lies in the gaps around its tile, which a neighbour's redraw clears: drawn again on every draw.
  if (selected >= 0 && selected < grid.count) {
    // Outside the tile, over the gap, so it never hides the tile's own marks.
    const b = { x: grid.x + (selected % grid.cols) * grid.pitchX, y: grid.y + Math.floor(selected / grid.cols) * grid.pitchY };
    const ring = Math.max(2, Math.round(2 * dpr));
    const x0 = sx(b.x) - ring;
    const y0 = sy(b.y) - ring;
    ctx.strokeStyle = palette.selected;
    ctx.lineWidth = ring;
    ctx.beginPath();
    ctx.rect(x0 + ring / 2, y0 + ring / 2, sx(b.x + grid.tileWidth) - sx(b.x) + ring, sy(b.y + grid.tileHeight) - sy(b.y) + ring);
    ctx.stroke();
  }
  return stats;
}

/** An outline and a diagonal cross over each tile (x0, y0, x1, y1 quadruples), in one path. */
function crossed(ctx: HeatContext, tiles: Int32Array, len: number, colour: string, line: number): void {
  if (len === 0) return;
  ctx.strokeStyle = colour;
  ctx.lineWidth = line;
  ctx.beginPath();
  const h = line / 2;
  for (let q = 0; q < len; q += 4) {
    const x0 = tiles[q] + h;
    const y0 = tiles[q + 1] + h;
    const x1 = tiles[q + 2] - h;
    const y1 = tiles[q + 3] - h;
    ctx.rect(x0, y0, x1 - x0, y1 - y0);
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.moveTo(x1, y0);
    ctx.lineTo(x0, y1);
  }
  ctx.stroke();
}

// Draws the level-of-detail heat map on one Canvas2D (software rendering is
// enough: at 1,000 nodes a frame is about 1,000 tiles and as many pixels as
// pods). Each tile is filled with the heat of its node's requested cpu,
// crossed and outlined when the node is NotReady (--bad) or Unknown (--warn),
// marked in its top-right corner when cordoned, and carries one pixel per
// pod in its phase's colour. Only the tiles in view are drawn. Coordinates
// are snapped to device pixels so 1-pixel pods stay sharp.
import type { WorkerView } from '../store/worker-views';
import { podCell, PODS_PER_TILE, tileIndices, tilesIn, viewRect, type HeatGrid, type Viewport } from './heat-map-geometry';
import { heatIndex, type HeatPalette } from './heat-map-palette';
import { POD_TOKEN_PHASES, type PodTokenPhase } from '../store/worker-views';

/** The part of CanvasRenderingContext2D the heat map uses (a test passes a recorder). */
export type HeatContext = Pick<
  CanvasRenderingContext2D,
  'fillStyle' | 'strokeStyle' | 'lineWidth' | 'fillRect' | 'clearRect' | 'beginPath' | 'rect' | 'moveTo' | 'lineTo' | 'closePath' | 'fill' | 'stroke'
>;

export interface HeatDrawInput {
  grid: HeatGrid;
  /** One per tile, in the grid's order. */
  workers: readonly WorkerView[];
  viewport: Viewport;
  /** The canvas in CSS pixels, and device pixels per CSS pixel. */
  width: number;
  height: number;
  dpr: number;
  palette: HeatPalette;
  /** The tile of the node the inspector shows, ringed; -1 for none. */
  selected?: number;
}

export interface HeatDrawStats {
  tiles: number;
  pods: number;
}

/** A pod is at least this many CSS pixels across, so one pod on a tile 12 pixels wide can be seen. */
export const MIN_POD_PIXEL = 2;

const PHASE_INDEX = new Map<PodTokenPhase, number>(POD_TOKEN_PHASES.map((p, i) => [p, i]));

export function drawHeatMap(ctx: HeatContext, input: HeatDrawInput): HeatDrawStats {
  const { grid, workers, viewport, width, height, dpr, palette, selected = -1 } = input;
  ctx.clearRect(0, 0, width * dpr, height * dpr);
  const k = viewport.zoom * dpr;
  const sx = (x: number) => Math.round(x * k + viewport.x * dpr);
  const sy = (y: number) => Math.round(y * k + viewport.y * dpr);
  const range = tilesIn(grid, viewRect(viewport, width, height));
  if (!range) return { tiles: 0, pods: 0 };
  const visible = tileIndices(grid, range).filter((i) => i < workers.length);

  // Pod pixels: the cell's pitch in device pixels, less a gap once there is room for one, and
  // never under MIN_POD_PIXEL (zoomed out, neighbours then overlap: a full tile reads as a block).
  const cells = Array.from({ length: PODS_PER_TILE }, (_, j) => podCell(grid, j));
  const pitch = cells[0].width * k;
  const size = Math.max(Math.round(MIN_POD_PIXEL * dpr), pitch >= 3 ? Math.round(pitch * 0.75) : Math.round(pitch));
  const podRects: number[][] = POD_TOKEN_PHASES.map(() => []);

  const notReady: number[] = [];
  const unknown: number[] = [];
  const cordoned: number[] = [];
  let lastFill = '';
  let pods = 0;
  for (const i of visible) {
    const w = workers[i];
    const col = i % grid.cols;
    const row = (i - col) / grid.cols;
    const x = grid.x + col * grid.pitchX;
    const y = grid.y + row * grid.pitchY;
    const x0 = sx(x);
    const y0 = sy(y);
    const x1 = Math.max(x0 + 1, sx(x + grid.tileWidth));
    const y1 = Math.max(y0 + 1, sy(y + grid.tileHeight));
    const fill = palette.heat[heatIndex(w.cpu.requested, w.cpu.allocatable)];
    if (fill !== lastFill) ctx.fillStyle = lastFill = fill;
    ctx.fillRect(x0, y0, x1 - x0, y1 - y0);
    if (w.ready === 'NotReady') notReady.push(x0, y0, x1, y1);
    else if (w.ready === 'Unknown') unknown.push(x0, y0, x1, y1);
    if (w.cordoned) cordoned.push(x0, y0, x1, y1);
    const n = Math.min(w.tokens.length, PODS_PER_TILE);
    for (let j = 0; j < n; j++) {
      const c = cells[j];
      podRects[PHASE_INDEX.get(w.tokens[j].phase) ?? 0].push(sx(x + c.dx), sy(y + c.dy));
    }
    pods += n;
  }
  POD_TOKEN_PHASES.forEach((p, pi) => {
    const r = podRects[pi];
    if (r.length === 0) return;
    ctx.fillStyle = palette.phase[p];
    for (let q = 0; q < r.length; q += 2) ctx.fillRect(r[q], r[q + 1], size, size);
  });

  const line = Math.max(1, Math.round(1.5 * dpr));
  crossed(ctx, notReady, palette.notReady, line);
  crossed(ctx, unknown, palette.unknown, line);
  if (cordoned.length) {
    // A corner cut off the top right, as a "no entry" flag: cordoned, SchedulingDisabled.
    ctx.fillStyle = palette.mark;
    ctx.beginPath();
    for (let q = 0; q < cordoned.length; q += 4) {
      const [y0, x1, y1] = [cordoned[q + 1], cordoned[q + 2], cordoned[q + 3]];
      const s = Math.max(2, Math.round((y1 - y0) * 0.4));
      ctx.moveTo(x1 - s, y0);
      ctx.lineTo(x1, y0);
      ctx.lineTo(x1, y0 + s);
      ctx.closePath();
    }
    ctx.fill();
  }
  if (selected >= 0 && selected < workers.length) {
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
  return { tiles: visible.length, pods };
}

/** An outline and a diagonal cross over each tile (x0, y0, x1, y1 quadruples), in one path. */
function crossed(ctx: HeatContext, tiles: readonly number[], colour: string, line: number): void {
  if (tiles.length === 0) return;
  ctx.strokeStyle = colour;
  ctx.lineWidth = line;
  ctx.beginPath();
  const h = line / 2;
  for (let q = 0; q < tiles.length; q += 4) {
    const [x0, y0, x1, y1] = [tiles[q] + h, tiles[q + 1] + h, tiles[q + 2] - h, tiles[q + 3] - h];
    ctx.rect(x0, y0, x1 - x0, y1 - y0);
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.moveTo(x1, y0);
    ctx.lineTo(x0, y1);
  }
  ctx.stroke();
}

import { describe, expect, it } from 'vitest';
import type { PodTokenPhase, WorkerView } from '../store/worker-views';
import { workerViewFixture } from '../store/worker-view-fixture';
import { HeatCells } from './heat-map-cells';
import { drawHeatMap, MIN_POD_PIXEL, type HeatContext } from './heat-map-draw';
import { heatGrid, tileBox } from './heat-map-geometry';
import type { HeatPalette } from './heat-map-palette';

/** Records what the heat map draws: each fillRect with the fill style it was drawn in, each stroke and fill. */
function recorder() {
  const rects: { style: string; x: number; y: number; w: number; h: number }[] = [];
  const clears: { x: number; y: number; w: number; h: number }[] = [];
  const strokes: string[] = [];
  const fills: string[] = [];
  const ctx = {
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    fillRect(x: number, y: number, w: number, h: number) {
      rects.push({ style: String(this.fillStyle), x, y, w, h });
    },
    clearRect(x: number, y: number, w: number, h: number) {
      clears.push({ x, y, w, h });
    },
    beginPath() {},
    rect() {},
    moveTo() {},
    lineTo() {},
    closePath() {},
    fill() {
      fills.push(String(this.fillStyle));
    },
    stroke() {
      strokes.push(String(this.strokeStyle));
    },
  };
  return { ctx: ctx as unknown as HeatContext, rects, clears, strokes, fills };
}

const palette: HeatPalette = {
  heat: Array.from({ length: 101 }, (_, i) => `heat-${i}`),
  phase: { Pending: 'pending', ContainerCreating: 'creating', Running: 'running', Terminating: 'terminating', Succeeded: 'succeeded', Failed: 'failed' },
  notReady: 'not-ready',
  unknown: 'unknown',
  mark: 'mark',
  selected: 'selected',
  background: 'bg',
};

const worker = (name: string, extra: Partial<WorkerView> = {}, phases: PodTokenPhase[] = []): WorkerView => workerViewFixture(name, phases, extra);

describe('drawHeatMap', () => {
  const grid = heatGrid(51, 0);
  const workers = Array.from({ length: 51 }, (_, i) => worker(`node-${i}`));
  workers[0] = worker('node-0', { cpu: { requested: 1000, allocatable: 4000 } }, ['Running', 'Running', 'Pending']);
  workers[1] = worker('node-1', { ready: 'NotReady' });
  workers[2] = worker('node-2', { ready: 'Unknown', cordoned: true }, ['Terminating']);
  // The whole grid in view at zoom 1: the grid is centred on 0, so shift it right by half its width.
  const all = { x: grid.width / 2, y: 0, zoom: 1 };
  const cells = new HeatCells(grid.count);
  cells.update(workers);

  it('fills every tile in view with its heat, then one pixel per pod in its phase colour', () => {
    const r = recorder();
    const stats = drawHeatMap(r.ctx, { grid, cells, viewport: all, width: 2000, height: 1000, dpr: 1, palette });
    expect(stats).toEqual({ tiles: 51, pods: 4, podRects: 4 });
    const tiles = r.rects.filter((x) => x.style.startsWith('heat-'));
    expect(tiles).toHaveLength(51);
    // node-0: 1000m of 4000m = 25%.
    expect(tiles[0].style).toBe('heat-25');
    expect(tiles[1].style).toBe('heat-0');
    const b = tileBox(grid, 0);
    expect(tiles[0]).toMatchObject({ x: Math.round(b.x + all.x), y: Math.round(b.y), w: Math.round(b.x + all.x + b.width) - Math.round(b.x + all.x) });
    expect(r.rects.filter((x) => x.style === 'running')).toHaveLength(2);
    expect(r.rects.filter((x) => x.style === 'pending')).toHaveLength(1);
    expect(r.rects.filter((x) => x.style === 'terminating')).toHaveLength(1);
  });

  it('crosses NotReady tiles in --bad and Unknown ones in --warn, and flags cordoned ones', () => {
    const r = recorder();
    drawHeatMap(r.ctx, { grid, cells, viewport: all, width: 2000, height: 1000, dpr: 1, palette });
    expect(r.strokes).toEqual(['not-ready', 'unknown']);
    expect(r.fills).toEqual(['mark']);
  });

  it('rings the tile of the node the inspector shows, outside the tile', () => {
    const r = recorder();
    drawHeatMap(r.ctx, { grid, cells, viewport: all, width: 2000, height: 1000, dpr: 1, palette, selected: 3 });
    expect(r.strokes).toEqual(['not-ready', 'unknown', 'selected']);
  });

  it('draws only the tiles in view', () => {
    const r = recorder();
    // Zoomed in on tile 0 so that only it (and its neighbours touching the pane) is in view.
    const b = tileBox(grid, 0);
    const stats = drawHeatMap(r.ctx, { grid, cells, viewport: { x: -b.x * 2, y: -b.y * 2, zoom: 2 }, width: b.width * 2 - 1, height: b.height * 2 - 1, dpr: 1, palette });
    expect(stats).toMatchObject({ tiles: 1, pods: 3 });
  });

  it('a pod is never smaller than MIN_POD_PIXEL device pixels, however far out the view is, and stays inside its tile', () => {
    const r = recorder();
    // Zoom 0.1 at dpr 2: a pod's pitch is 8.8 x 0.2 = 1.8 device pixels, so pods are 2 x 2 = 4 pixels and overlap.
    const viewport = { x: grid.width / 20, y: 0, zoom: 0.1 };
    drawHeatMap(r.ctx, { grid, cells, viewport, width: 2000, height: 1000, dpr: 2, palette });
    const pods = r.rects.filter((x) => ['running', 'pending', 'terminating'].includes(x.style));
    expect(pods.every((p) => p.h === MIN_POD_PIXEL * 2 && p.w >= MIN_POD_PIXEL * 2)).toBe(true);
    const tile = r.rects.find((x) => x.style === 'heat-25')!;
    // node-0's pods (the others are node-2's, in a tile to its right).
    for (const p of pods.filter((q) => q.x < tile.x + tile.w)) {
      expect(p.x + p.w).toBeLessThanOrEqual(tile.x + tile.w);
      expect(p.y + p.h).toBeLessThanOrEqual(tile.y + tile.h);
    }
  });

  it('zoomed out, a row of pods in one phase is one rectangle covering the same pixels', () => {
    const many = Array.from({ length: 51 }, (_, i) => worker(`node-${i}`));
    // 11 Running pods fill row 0; then 3 Pending and 1 Running start row 1.
    many[0] = worker('node-0', {}, [...Array<PodTokenPhase>(11).fill('Running'), 'Pending', 'Pending', 'Pending', 'Running']);
    const c = new HeatCells(grid.count);
    c.update(many);
    const r = recorder();
    // Zoom 0.2 at dpr 1: pitch 8.8 x 0.2 = 1.76 device pixels, pods 2 pixels wide: they touch, so rows merge.
    const stats = drawHeatMap(r.ctx, { grid, cells: c, viewport: { x: grid.width / 10, y: 0, zoom: 0.2 }, width: 2000, height: 1000, dpr: 1, palette });
    expect(stats).toMatchObject({ pods: 15, podRects: 3 });
    const running = r.rects.filter((x) => x.style === 'running');
    expect(running).toHaveLength(2);
    // Row 0 spans from the first pod's pixel to the end of the 11th's: 10 pitches and a pixel, about 10 x 1.76 + 2.
    expect(running[0].w).toBeGreaterThanOrEqual(19);
    expect(running[0].w).toBeLessThanOrEqual(20);
    expect(r.rects.filter((x) => x.style === 'pending')).toHaveLength(1);
  });

  it('with `only`, clears and redraws those tiles alone and leaves the rest of the canvas as it is', () => {
    const r = recorder();
    drawHeatMap(r.ctx, { grid, cells, viewport: all, width: 2000, height: 1000, dpr: 1, palette, selected: 3, only: [0, 2] });
    // No clearing of the whole canvas: one clear per tile, the tile's own box.
    const b = tileBox(grid, 0);
    expect(r.clears).toHaveLength(2);
    expect(r.clears[0]).toEqual({ x: Math.round(b.x + all.x), y: Math.round(b.y), w: Math.round(b.x + all.x + b.width) - Math.round(b.x + all.x), h: Math.round(b.height) });
    expect(r.rects.filter((x) => x.style.startsWith('heat-')).map((x) => x.style)).toEqual(['heat-25', 'heat-0']);
    // node-0's 3 pods and node-2's 1; node-2 is Unknown and cordoned; the selection ring is drawn again.
    expect(r.rects.filter((x) => !x.style.startsWith('heat-'))).toHaveLength(4);
    expect(r.strokes).toEqual(['unknown', 'selected']);
    expect(r.fills).toEqual(['mark']);
  });

  it('with a pixel buffer, fills go to it and reach the canvas before the marks: the whole view, or the redrawn tiles', () => {
    const canvas = recorder();
    const fills = recorder();
    const order: string[] = [];
    const flushed: (number[] | null)[] = [];
    const pixels = {
      fill: fills.ctx,
      flush: (rects: Int32Array | null, len: number) => {
        flushed.push(rects ? [...rects.slice(0, len)] : null);
        order.push(`flush after ${canvas.strokes.length} strokes`);
      },
    };
    drawHeatMap(canvas.ctx, { grid, cells, viewport: all, width: 2000, height: 1000, dpr: 1, palette, pixels });
    expect(canvas.rects).toHaveLength(0);
    expect(fills.rects.filter((x) => x.style.startsWith('heat-'))).toHaveLength(51);
    expect(flushed).toEqual([null]);
    expect(order).toEqual(['flush after 0 strokes']);
    expect(canvas.strokes).toEqual(['not-ready', 'unknown']);
    // Two tiles alone: each one's cleared box is put back, as x, y, width, height.
    drawHeatMap(canvas.ctx, { grid, cells, viewport: all, width: 2000, height: 1000, dpr: 1, palette, pixels, only: [0, 2] });
    const box = (i: number) => {
      const b = tileBox(grid, i);
      const x = Math.round(b.x + all.x);
      const y = Math.round(b.y);
      return [x, y, Math.round(b.x + all.x + b.width) - x, Math.round(b.y + b.height) - y];
    };
    expect(flushed[1]).toEqual([...box(0), ...box(2)]);
  });
});

import { describe, expect, it } from 'vitest';
import type { PodTokenPhase, WorkerView } from '../store/worker-views';
import { drawHeatMap, MIN_POD_PIXEL, type HeatContext } from './heat-map-draw';
import { heatGrid, tileBox } from './heat-map-geometry';
import type { HeatPalette } from './heat-map-palette';

/** Records what the heat map draws: each fillRect with the fill style it was drawn in, each stroke and fill. */
function recorder() {
  const rects: { style: string; x: number; y: number; w: number; h: number }[] = [];
  const strokes: string[] = [];
  const fills: string[] = [];
  const ctx = {
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    fillRect(x: number, y: number, w: number, h: number) {
      rects.push({ style: String(this.fillStyle), x, y, w, h });
    },
    clearRect() {},
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
  return { ctx: ctx as unknown as HeatContext, rects, strokes, fills };
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

function worker(name: string, extra: Partial<WorkerView> = {}, phases: PodTokenPhase[] = []): WorkerView {
  return {
    name,
    ready: 'Ready',
    problems: [],
    taints: [],
    cordoned: false,
    cpu: { requested: 0, allocatable: 4000 },
    memory: { requested: 0, allocatable: 0 },
    pods: { requested: phases.length, allocatable: 110 },
    tokens: phases.map((phase, i) => ({ key: `default/${name}-${i}`, phase })),
    ...extra,
  };
}

describe('drawHeatMap', () => {
  const grid = heatGrid(51, 0);
  const workers = Array.from({ length: 51 }, (_, i) => worker(`node-${i}`));
  workers[0] = worker('node-0', { cpu: { requested: 1000, allocatable: 4000 } }, ['Running', 'Running', 'Pending']);
  workers[1] = worker('node-1', { ready: 'NotReady' });
  workers[2] = worker('node-2', { ready: 'Unknown', cordoned: true }, ['Terminating']);
  // The whole grid in view at zoom 1: the grid is centred on 0, so shift it right by half its width.
  const all = { x: grid.width / 2, y: 0, zoom: 1 };

  it('fills every tile in view with its heat, then one pixel per pod in its phase colour', () => {
    const r = recorder();
    const stats = drawHeatMap(r.ctx, { grid, workers, viewport: all, width: 2000, height: 1000, dpr: 1, palette });
    expect(stats).toEqual({ tiles: 51, pods: 4 });
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
    drawHeatMap(r.ctx, { grid, workers, viewport: all, width: 2000, height: 1000, dpr: 1, palette });
    expect(r.strokes).toEqual(['not-ready', 'unknown']);
    expect(r.fills).toEqual(['mark']);
  });

  it('rings the tile of the node the inspector shows, outside the tile', () => {
    const r = recorder();
    drawHeatMap(r.ctx, { grid, workers, viewport: all, width: 2000, height: 1000, dpr: 1, palette, selected: 3 });
    expect(r.strokes).toEqual(['not-ready', 'unknown', 'selected']);
  });

  it('draws only the tiles in view', () => {
    const r = recorder();
    // Zoomed in on tile 0 so that only it (and its neighbours touching the pane) is in view.
    const b = tileBox(grid, 0);
    const stats = drawHeatMap(r.ctx, { grid, workers, viewport: { x: -b.x * 2, y: -b.y * 2, zoom: 2 }, width: b.width * 2 - 1, height: b.height * 2 - 1, dpr: 1, palette });
    expect(stats).toEqual({ tiles: 1, pods: 3 });
  });

  it('a pod is never smaller than MIN_POD_PIXEL device pixels, however far out the view is', () => {
    const r = recorder();
    drawHeatMap(r.ctx, { grid, workers, viewport: { x: grid.width / 20, y: 0, zoom: 0.1 }, width: 2000, height: 1000, dpr: 2, palette });
    const pods = r.rects.filter((x) => x.style === 'running');
    expect(pods.every((p) => p.w === MIN_POD_PIXEL * 2 && p.h === MIN_POD_PIXEL * 2)).toBe(true);
  });
});

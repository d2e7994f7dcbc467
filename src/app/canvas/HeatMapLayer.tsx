// The level-of-detail view's tiles (issue 5 part 5): one Canvas2D under React
// Flow's viewport, the size of the pane, drawn (heat-map-draw.ts) from typed
// cells (heat-map-cells.ts) in an animation frame after the workers' views,
// the viewport, the pane's size, the selection or the theme changed, and at
// no other time: it subscribes to the stores itself, so drawing never
// re-renders React, and when only views changed it redraws only their tiles
// (issue 9: 5,000 nodes while pods are created). The canvas reports what it
// shows as data attributes (data-nodes, data-pods, data-running,
// data-not-ready, data-unknown, data-mode) for tests and benchmarks.
// Hovering a tile shows the node's name and figures; clicking it opens the
// Node in the inspector (its tile is then ringed). Pointer events are read
// on React Flow's wrapper, so panning and zooming work over the tiles as
// anywhere else.
import { Panel, useStoreApi } from '@xyflow/react';
import { memo, useEffect, useRef, useState } from 'react';
import type { Selection } from '../store/cluster-store';
import { useClusterStore, useClusterStoreApi } from '../store/store-context';
import { selectSelect, selectWorkers } from '../store/selectors';
import { phaseCounts, POD_TOKEN_PHASES } from '../store/worker-views';
import { formatCpu, formatMemory } from './format-resources';
import { HeatRaster } from './heat-map-raster';
import { drawHeatMap } from './heat-map-draw';
import { HeatCells } from './heat-map-cells';
import { tileAt, type HeatGrid, type Viewport } from './heat-map-geometry';
import { heatIndex, heatPalette, type HeatPalette } from './heat-map-palette';
import { visibleCards } from './lod';

interface Hover {
  tile: number;
  /** The pointer, in CSS pixels from the pane's corner. */
  x: number;
  y: number;
  /** Past the pane's middle the tooltip goes left of (or above) the pointer, so it stays in the pane. */
  flipX: boolean;
  flipY: boolean;
}

/** Cards (React Flow nodes) and the control plane answer the pointer themselves; the heat map's own box does not. */
const OWN_NODES = '.react-flow__node-heatMap';

export const HeatMapLayer = memo(function HeatMapLayer({ grid }: { grid: HeatGrid }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const clusterStore = useClusterStoreApi();
  const flowStore = useStoreApi();
  const select = useClusterStore(selectSelect);
  const [hover, setHover] = useState<Hover | null>(null);

  // Drawing: subscriptions to the cluster store (workers, selection), React Flow's store (viewport) and the
  // theme mark what changed; one animation frame then draws it: the changed tiles alone when only the
  // cells moved, the whole view otherwise. However many store updates a frame brings, it draws once.
  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const panel = canvas.closest('.canvas-panel') ?? document.documentElement;
    const cells = new HeatCells(grid.count);
    let palette: HeatPalette = readPalette(panel);
    let width = 0;
    let height = 0;
    let dpr = 1;
    let whole = true;
    let frame = 0;
    // The tiles and pods are filled in a pixel buffer the size of the canvas (heat-map-raster.ts), then put on it.
    let pixels: { fill: HeatRaster; flush(rects: Int32Array | null, len: number): void } | null = null;
    const rasterFor = (w: number, h: number) => {
      const fill = new HeatRaster(ctx.createImageData(w, h));
      const image = fill.buffer as ImageData;
      return {
        fill,
        // The whole view in one put; tiles redrawn alone one put each, so the marks stroked elsewhere stay.
        flush: (rects: Int32Array | null, len: number) => {
          if (!rects) ctx.putImageData(image, 0, 0);
          else for (let q = 0; q < len; q += 4) ctx.putImageData(image, 0, 0, rects[q], rects[q + 1], rects[q + 2], rects[q + 3]);
        },
      };
    };
    let shownMode = '';
    const draw = () => {
      frame = 0;
      if (width === 0 || height === 0) return;
      const [x, y, zoom] = flowStore.getState().transform;
      const viewport: Viewport = { x, y, zoom };
      const { workers, selection } = clusterStore.getState();
      const changed = cells.update(workers);
      const dirty = cells.takeDirty();
      if (!whole && !changed) return;
      const selected = selectedTile(cells, selection);
      const stats = drawHeatMap(ctx, { grid, cells, viewport, width, height, dpr, palette, selected, ...(pixels ? { pixels } : {}), ...(whole ? {} : { only: dirty }) });
      if (whole) {
        canvas.dataset.drawnTiles = String(stats.tiles);
        const mode = visibleCards(grid, viewport, width, height).key ? 'cards' : 'tiles';
        if (mode !== shownMode) {
          shownMode = mode;
          canvas.dataset.mode = mode;
          // The legend explains tiles; with cards in view it would only cover them.
          canvas.parentElement?.setAttribute('data-lod-mode', mode);
        }
      }
      whole = false;
      canvas.dataset.pods = String(cells.pods);
      canvas.dataset.running = String(cells.running);
      canvas.dataset.notReady = String(cells.notReady);
      canvas.dataset.unknown = String(cells.unknown);
    };
    const request = (all: boolean) => {
      whole ||= all;
      if (frame === 0) frame = requestAnimationFrame(draw);
    };
    const resize = () => {
      const r = canvas.getBoundingClientRect();
      dpr = window.devicePixelRatio || 1;
      width = r.width;
      height = r.height;
      canvas.width = Math.max(1, Math.round(width * dpr));
      canvas.height = Math.max(1, Math.round(height * dpr));
      pixels = rasterFor(canvas.width, canvas.height);
      // Resizing cleared the canvas: draw now, so no empty frame is shown.
      whole = true;
      if (frame) cancelAnimationFrame(frame);
      draw();
    };
    const sizes = new ResizeObserver(resize);
    sizes.observe(canvas);
    resize();
    const offFlow = flowStore.subscribe((s, prev) => {
      if (s.transform !== prev.transform) request(true);
    });
    const offCluster = clusterStore.subscribe((s, prev) => {
      if (s.selection !== prev.selection) request(true);
      else if (s.workers !== prev.workers) request(false);
    });
    const theme = new MutationObserver(() => {
      palette = readPalette(panel);
      request(true);
    });
    theme.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => {
      if (frame) cancelAnimationFrame(frame);
      sizes.disconnect();
      offFlow();
      offCluster();
      theme.disconnect();
    };
  }, [grid, clusterStore, flowStore]);

  // Pointer: hover and click on tiles, read on React Flow's wrapper.
  useEffect(() => {
    const root = flowStore.getState().domNode;
    if (!root) return;
    const tileUnder = (e: MouseEvent): Hover | null => {
      const target = e.target as Element | null;
      if (target?.closest('.react-flow__node') && !target.closest(OWN_NODES)) return null;
      if (target?.closest('.react-flow__panel, .react-flow__controls, .react-flow__minimap')) return null;
      const r = root.getBoundingClientRect();
      const [tx, ty, zoom] = flowStore.getState().transform;
      const x = e.clientX - r.left;
      const y = e.clientY - r.top;
      const tile = tileAt(grid, (x - tx) / zoom, (y - ty) / zoom);
      return tile < 0 ? null : { tile, x, y, flipX: x > r.width / 2, flipY: y > r.height / 2 };
    };
    const onMove = (e: PointerEvent) => {
      const h = flowStore.getState().paneDragging ? null : tileUnder(e);
      setHover((cur) => (cur === h || (cur && h && cur.tile === h.tile && cur.x === h.x && cur.y === h.y) ? cur : h));
      root.classList.toggle('over-tile', h !== null);
    };
    const onLeave = () => {
      setHover(null);
      root.classList.remove('over-tile');
    };
    const onClick = (e: MouseEvent) => {
      const h = tileUnder(e);
      const w = h && clusterStore.getState().workers[h.tile];
      if (w) select({ type: 'object', key: `Node//${w.name}` });
    };
    root.addEventListener('pointermove', onMove);
    root.addEventListener('pointerleave', onLeave);
    root.addEventListener('click', onClick);
    return () => {
      root.removeEventListener('pointermove', onMove);
      root.removeEventListener('pointerleave', onLeave);
      root.removeEventListener('click', onClick);
      root.classList.remove('over-tile');
    };
  }, [grid, clusterStore, flowStore, select]);

  return (
    <>
      <canvas ref={canvasRef} className="heat-map-canvas" data-testid="heat-map" data-nodes={grid.count} aria-label={`Heat map of ${grid.count} nodes`} role="img" />
      {hover && <TileTooltip hover={hover} />}
      <Panel position="bottom-left" className="heat-map-legend" data-testid="heat-map-legend">
        <span className="heat-map-legend-title">CPU requested</span>
        <span className="heat-ramp-label">0%</span>
        <span className="heat-ramp" aria-hidden="true" />
        <span className="heat-ramp-label">100%</span>
        <span className="heat-mark heat-mark-not-ready" aria-hidden="true" />
        NotReady
        <span className="heat-mark heat-mark-unknown" aria-hidden="true" />
        Unknown
        <span className="heat-mark heat-mark-cordoned" aria-hidden="true" />
        cordoned
      </Panel>
    </>
  );
});

/** The node under the pointer: its name, readiness and figures, live. */
function TileTooltip({ hover }: { hover: Hover }) {
  const w = useClusterStore(selectWorkers)[hover.tile];
  if (!w) return null;
  const counts = phaseCounts(w);
  const phases = POD_TOKEN_PHASES.map((p, i) => [p, counts[i]] as const).filter(([, n]) => n > 0);
  const style = {
    left: hover.x + (hover.flipX ? -14 : 14),
    top: hover.y + (hover.flipY ? -14 : 14),
    transform: `translate(${hover.flipX ? '-100%' : '0'}, ${hover.flipY ? '-100%' : '0'})`,
  };
  return (
    <div className="heat-tooltip" data-testid="heat-tooltip" data-node={w.name} style={style} role="tooltip">
      <div className="heat-tooltip-head">
        <span className="heat-tooltip-name">{w.name}</span>
        <span className={`badge badge-${w.ready === 'Ready' ? 'ok' : w.ready === 'NotReady' ? 'bad' : 'warn'}`}>{w.ready}</span>
      </div>
      {w.cordoned && <div className="flag flag-warn">SchedulingDisabled</div>}
      <dl className="heat-tooltip-figures">
        <dt>CPU</dt>
        <dd>
          {formatCpu(w.cpu.requested)}/{formatCpu(w.cpu.allocatable)} ({heatIndex(w.cpu.requested, w.cpu.allocatable)}%)
        </dd>
        <dt>Memory</dt>
        <dd>
          {formatMemory(w.memory.requested)}/{formatMemory(w.memory.allocatable)}
        </dd>
        <dt>Pods</dt>
        <dd>
          {w.pods.requested}/{w.pods.allocatable}
        </dd>
      </dl>
      {phases.length > 0 && (
        <ul className="heat-tooltip-phases">
          {phases.map(([p, n]) => (
            <li key={p}>
              <span className={`pod-token phase-${p}`} aria-hidden="true" />
              {n} {p}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The tile of the Node the inspector shows (a selection "Node//name"); -1 when it shows something else. */
function selectedTile(cells: HeatCells, selection: Selection | null): number {
  if (selection?.type !== 'object' || !selection.key.startsWith('Node//')) return -1;
  return cells.indexOf(selection.key.slice('Node//'.length));
}

function readPalette(el: Element): HeatPalette {
  const style = getComputedStyle(el);
  return heatPalette((v) => style.getPropertyValue(v));
}

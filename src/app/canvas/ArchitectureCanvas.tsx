// The architecture view (DESIGN 5, issue 5 parts 1 and 5): the control plane
// and the worker nodes, drawn with React Flow. Edges only where components
// really talk in Kubernetes: every component to kube-apiserver (the kubelets'
// from their node's card), kube-apiserver to each etcd member, and the etcd
// members to each other (raft). Node objects are reused when what they show
// is unchanged, so React Flow redraws only the boxes that changed. Wire
// messages fly along the edges on one SVG layer above them (MessageLayer).
//
// Up to LOD_NODE_THRESHOLD (50) workers each has a card; past it (lod.ts)
// they are tiles of a heat map on one canvas (HeatMapLayer) with one edge for
// all kubelets, and only the nodes in view become cards, once zoomed in far
// enough to read them. The control plane stays React Flow nodes throughout.
import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow, useStore, type FitViewOptions, type Node, type ReactFlowState } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EtcdRoleView } from '../store/cluster-store';
import { useClusterStore } from '../store/store-context';
import { selectEtcdRoles, selectWorkers } from '../store/selectors';
import { POD_TOKEN_PHASES, type WorkerView } from '../store/worker-views';
import { architectureEdges } from './edges';
import { tileBox } from './heat-map-geometry';
import { HeatMapCard } from './HeatMapCard';
import { HeatMapLayer } from './HeatMapLayer';
import { HeatMapRegion } from './HeatMapRegion';
import { APISERVER_ID, architectureLayout, CONTROLLER_MANAGER_ID, HEAT_MAP_ID, SCHEDULER_ID, workerId, type Box } from './layout';
import { heatMapEdges } from './lod-edges';
import { cardTilesForKey, heatMaxZoom, visibleCards } from './lod';
import { edgeCurves, kubeletCurves } from './message-flight';
import { MessageLayer, MessageLegend } from './MessageLayer';
import { ApiserverNodeView, ControllerManagerNodeView, EtcdMemberNode, SchedulerNodeView } from './nodes/ControlPlaneNode';
import { WorkerNodeCard } from './nodes/WorkerNodeCard';

const NODE_TYPES = {
  etcd: EtcdMemberNode,
  apiserver: ApiserverNodeView,
  scheduler: SchedulerNodeView,
  controllerManager: ControllerManagerNodeView,
  worker: WorkerNodeCard,
  heatMap: HeatMapRegion,
  heatMapCard: HeatMapCard,
};

const FIT_VIEW_OPTIONS: FitViewOptions = { padding: 0.12 };
/** The heat map's legend sits in the bottom-left corner: fitting leaves room for it under the tiles. */
const HEAT_MAP_FIT_OPTIONS: FitViewOptions = { padding: { top: '6%', left: '5%', right: '5%', bottom: '52px' } };
const MINIMAP_STYLE = { width: 120, height: 80 };
const PRO_OPTIONS = { hideAttribution: true };
const MIN_ZOOM = 0.05;
const MAX_ZOOM = 2;

/** What a box's node carries; the control-plane components read the store themselves. */
type CanvasData = { member: EtcdRoleView } | { worker: WorkerView } | { worker: WorkerView; scale: number } | { nodes: number } | Record<string, never>;
type CanvasNode = Node<CanvasData>;

const EMPTY = {} as Record<string, never>;

export function ArchitectureCanvas() {
  const [background, setBackground] = useState(true);
  return (
    <section className="panel canvas-panel" data-testid="architecture-canvas" aria-label="Architecture">
      <header className="panel-header">
        <h2>Architecture</h2>
        <label className="toggle" title="Raft heartbeats, node lease renewals and the kubelets' periodic gets">
          <input type="checkbox" data-testid="background-traffic" checked={background} onChange={(e) => setBackground(e.target.checked)} />
          Background traffic
        </label>
        <Legend />
      </header>
      <div className="canvas-body">
        <ReactFlowProvider>
          <ArchitectureFlow background={background} />
        </ReactFlowProvider>
      </div>
      <MessageLegend />
    </section>
  );
}

function ArchitectureFlow({ background }: { background: boolean }) {
  const etcd = useClusterStore(selectEtcdRoles);
  const workers = useClusterStore(selectWorkers);

  // The layout depends only on which members and nodes exist, not on their state.
  const etcdNames = useStableNames(etcd);
  const workerNames = useStableNames(workers);
  const arch = useMemo(() => architectureLayout({ etcd: etcdNames, workers: workerNames }), [etcdNames, workerNames]);
  const grid = arch.heatMap;
  const edges = useMemo(() => (grid ? heatMapEdges(etcdNames, grid.count) : architectureEdges(etcdNames, workerNames)), [etcdNames, workerNames, grid]);
  const flightGraph = useMemo(() => ({ etcd: etcdNames, workers: workerNames }), [etcdNames, workerNames]);
  const curves = useMemo(() => {
    const out = edgeCurves(edges, arch.boxes);
    if (grid) for (const [id, c] of kubeletCurves(workerNames, arch.boxes)) out.set(id, c);
    return out;
  }, [edges, arch, grid, workerNames]);

  // In the heat map, the tiles in view become cards once zoomed in (lod.ts); the key changes only when that set does.
  const cardKey = useStore(useCallback((s: ReactFlowState) => (grid ? visibleCards(grid, viewportOf(s), s.width, s.height).key : ''), [grid]));
  const cardTiles = useMemo(() => (grid ? cardTilesForKey(grid, cardKey) : []), [grid, cardKey]);

  const previous = useRef(new Map<string, CanvasNode>());
  const nodes = useMemo(() => {
    const out: CanvasNode[] = [];
    const at = (id: string): Box => arch.boxes.get(id)!;
    for (const m of etcd) out.push(flowNode(m.name, 'etcd', at(m.name), { member: m }));
    out.push(flowNode(APISERVER_ID, 'apiserver', at(APISERVER_ID), EMPTY));
    out.push(flowNode(SCHEDULER_ID, 'scheduler', at(SCHEDULER_ID), EMPTY));
    out.push(flowNode(CONTROLLER_MANAGER_ID, 'controllerManager', at(CONTROLLER_MANAGER_ID), EMPTY));
    if (grid && arch.heatMapBox) {
      out.push(flowNode(HEAT_MAP_ID, 'heatMap', arch.heatMapBox, { nodes: grid.count }));
      for (const i of cardTiles) if (workers[i]) out.push(flowNode(workerId(workers[i].name), 'heatMapCard', tileBox(grid, i), { worker: workers[i], scale: grid.scale }));
    } else for (const w of workers) out.push(flowNode(workerId(w.name), 'worker', at(workerId(w.name)), { worker: w }));
    // An unchanged box keeps its node object (and so its memoized component does not re-render).
    const reused = out.map((n) => {
      const old = previous.current.get(n.id);
      return old && old.type === n.type && sameData(old.data, n.data) && sameBox(old, n) ? old : n;
    });
    previous.current = new Map(reused.map((n) => [n.id, n]));
    return reused;
  }, [etcd, workers, arch, grid, cardTiles]);

  const maxZoom = grid ? heatMaxZoom(grid) : MAX_ZOOM;
  useFitWhenLevelChanges(grid !== null);

  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={NODE_TYPES}
      fitView
      fitViewOptions={grid ? HEAT_MAP_FIT_OPTIONS : FIT_VIEW_OPTIONS}
      minZoom={MIN_ZOOM}
      maxZoom={maxZoom}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      proOptions={PRO_OPTIONS}
      data-level={grid ? 'heat-map' : 'cards'}
    >
      <Background gap={24} size={1} />
      {grid && <HeatMapLayer grid={grid} />}
      <MiniMap pannable zoomable nodeClassName={miniMapClass} ariaLabel="Minimap" style={MINIMAP_STYLE} position="bottom-right" />
      <Controls showInteractive={false} position="top-left" fitViewOptions={grid ? HEAT_MAP_FIT_OPTIONS : FIT_VIEW_OPTIONS} />
      <MessageLayer graph={flightGraph} curves={curves} background={background} scaleWithZoom={grid !== null} />
    </ReactFlow>
  );
}

/** Fits the view again when the cluster crosses the level-of-detail threshold (a node added or removed), not on first render. */
function useFitWhenLevelChanges(heatMap: boolean) {
  const { fitView } = useReactFlow();
  const last = useRef(heatMap);
  useEffect(() => {
    if (last.current === heatMap) return;
    last.current = heatMap;
    void fitView(heatMap ? HEAT_MAP_FIT_OPTIONS : FIT_VIEW_OPTIONS);
  }, [heatMap, fitView]);
}

function viewportOf(s: ReactFlowState) {
  const [x, y, zoom] = s.transform;
  return { x, y, zoom };
}

function flowNode(id: string, type: string, box: Box, data: CanvasData): CanvasNode {
  return { id, type, position: { x: box.x, y: box.y }, width: box.width, height: box.height, data };
}

function sameBox(a: CanvasNode, b: CanvasNode): boolean {
  return a.position.x === b.position.x && a.position.y === b.position.y && a.width === b.width && a.height === b.height;
}

/** Data objects are rebuilt each time; what they hold (the store's views) keeps its identity while unchanged. */
function sameData(a: CanvasData, b: CanvasData): boolean {
  if (a === b) return true;
  const ka = Object.keys(a) as (keyof CanvasData)[];
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}

function miniMapClass(n: Node): string {
  return `minimap-${n.type ?? 'default'}`;
}

/** The list of names, as the same array while the names stay the same. */
function useStableNames(items: readonly { name: string }[]): string[] {
  const ref = useRef<string[]>([]);
  const names = items.map((i) => i.name);
  if (names.length !== ref.current.length || names.some((n, i) => n !== ref.current[i])) ref.current = names;
  return ref.current;
}

const Legend = memo(function Legend() {
  return (
    <ul className="phase-legend" data-testid="phase-legend" aria-label="Pod phases">
      {POD_TOKEN_PHASES.map((p) => (
        <li key={p}>
          <span className={`pod-token phase-${p}`} aria-hidden="true" />
          {p}
        </li>
      ))}
    </ul>
  );
});

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
//
// Worker cards (only they) can be dragged onto the fault zone beside them
// (fault-zone.ts): dropping powers the machine off, dragging a failed card
// back out heals it; a card not dropped there snaps back to its place, which
// the layout alone decides (a failed machine's card has its place in the zone).
//
// A highly available control plane (several control-plane machines) is drawn
// as one frame per machine with its etcd member, kube-apiserver-i,
// kube-scheduler-i and kube-controller-manager-i, and the load balancer every
// client talks through under them (layout-ha.ts); a cloud adds the cloud box
// and cloud-controller-manager. What the sim reports of those components is
// read by use-control-plane.ts.
import { Background, Controls, MiniMap, Panel, ReactFlow, ReactFlowProvider, useReactFlow, useStore, type FitViewOptions, type Node, type ReactFlowState } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { MachineState } from '../../sim/cluster/machines';
import type { EtcdRoleView } from '../store/cluster-store';
import { useClusterStore, useClusterStoreApi } from '../store/store-context';
import { actWithNotice } from '../panels/act-with-notice';
import { AddNodeButton, FaultGhostNode, FaultZoneNode, type FaultZoneData } from '../panels/FaultZone';
import { faultedMachinesNow, HEALTHY_MACHINE, useFaultedMachines } from '../panels/use-machines';
import { droppedInZone, dropPlan, FAULT_ZONE_ID } from './fault-zone';
import { selectEtcdRoles, selectReady, selectWorkers } from '../store/selectors';
import { POD_TOKEN_PHASES, type WorkerView } from '../store/worker-views';
import { architectureEdges } from './edges';
import { sameGrid, tileBox, type HeatGrid } from './heat-map-geometry';
import { HeatMapCard } from './HeatMapCard';
import { HeatMapLayer } from './HeatMapLayer';
import { HeatMapRegion } from './HeatMapRegion';
import {
  APISERVER_ID,
  architectureLayout,
  CLOUD_CONTROLLER_MANAGER_ID,
  CLOUD_ID,
  CONTROLLER_MANAGER_ID,
  HEAT_MAP_ID,
  LOAD_BALANCER_ID,
  machineId,
  SCHEDULER_ID,
  workerId,
  type Box,
} from './layout';
import { etcdDrawOrder } from './control-plane-model';
import { handleOffsets } from './edges';
import { heatMapEdges } from './lod-edges';
import { cardTilesForKey, heatMaxZoom, visibleCards } from './lod';
import { edgeCurves, kubeletCurves, type FlightGraph } from './message-flight';
import { MessageLayer, MessageLegend } from './MessageLayer';
import { CloudControllerManagerNode, CloudNode } from './nodes/CloudNodes';
import { ApiserverNodeView, ControllerManagerNodeView, EtcdMemberNode, SchedulerNodeView } from './nodes/ControlPlaneNode';
import { LoadBalancerNode, type LoadBalancerData } from './nodes/LoadBalancerNode';
import { MachineFrame } from './nodes/MachineFrame';
import { ReplicaNode, type ReplicaRole } from './nodes/ReplicaNode';
import { WorkerNodeCard } from './nodes/WorkerNodeCard';
import { useControlPlaneLayout } from './use-control-plane';

const NODE_TYPES = {
  etcd: EtcdMemberNode,
  apiserver: ApiserverNodeView,
  scheduler: SchedulerNodeView,
  controllerManager: ControllerManagerNodeView,
  worker: WorkerNodeCard,
  heatMap: HeatMapRegion,
  heatMapCard: HeatMapCard,
  faultZone: FaultZoneNode,
  faultGhost: FaultGhostNode,
  machine: MachineFrame,
  replica: ReplicaNode,
  loadBalancer: LoadBalancerNode,
  cloud: CloudNode,
  cloudControllerManager: CloudControllerManagerNode,
};

const FIT_VIEW_OPTIONS: FitViewOptions = { padding: 0.12 };
/** The heat map's legend sits in the bottom-left corner: fitting leaves room for it under the tiles. */
const HEAT_MAP_FIT_OPTIONS: FitViewOptions = { padding: { top: '6%', left: '5%', right: '5%', bottom: '52px' } };
/** The frames of a highly available control plane reach the panel's top right: fitting leaves room for "Add node" there. */
const HA_FIT_OPTIONS: FitViewOptions = { padding: { top: '44px', left: '4%', right: '4%', bottom: '5%' } };
const MINIMAP_STYLE = { width: 120, height: 80 };
const PRO_OPTIONS = { hideAttribution: true };
const MIN_ZOOM = 0.05;
const MAX_ZOOM = 2;

/** What a box's node carries; the control-plane components read the store themselves. */
type CanvasData =
  | { member: EtcdRoleView }
  | { worker: WorkerView; machine?: MachineState }
  | { worker: WorkerView; scale: number }
  | { nodes: number }
  | FaultZoneData
  | { node: string }
  | { machine: string }
  | { name: string; role: ReplicaRole }
  | LoadBalancerData
  | { ha: boolean }
  | Record<string, never>;
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
  // False while the simulation's worker builds the session: the canvas is fitted again once it is there.
  const ready = useClusterStore(selectReady);
  // Frames of a highly available control plane (null: one control plane) and the cloud: they change only with the scenario.
  const { shape, cloud } = useControlPlaneLayout();

  // The layout depends only on which members and nodes exist and which machines are failed, not on their state.
  const memberNames = useStableNames(etcd);
  // In HA the members are drawn machine by machine: raft edges join neighbours on screen.
  const etcdNames = useMemo(() => etcdDrawOrder(memberNames, shape), [memberNames, shape]);
  const workerNames = useStableNames(workers);
  const machines = useFaultedMachines();
  const faultedNames = useStableNames(useMemo(() => [...machines.keys()].map((name) => ({ name })), [machines]));
  const arch = useMemo(
    () => architectureLayout({ etcd: etcdNames, workers: workerNames, faultZone: { faulted: faultedNames }, controlPlane: shape, cloud }),
    [etcdNames, workerNames, faultedNames, shape, cloud],
  );
  // The same grid object while the tiles stay put: a fault (the layout is recomputed for the fault zone) must not rebuild the heat map.
  const grid = useStableGrid(arch.heatMap);
  const edges = useMemo(() => {
    const extras = { controlPlane: shape, cloud };
    return grid ? heatMapEdges(etcdNames, grid.count, extras) : architectureEdges(etcdNames, workerNames, extras);
  }, [etcdNames, workerNames, grid, shape, cloud]);
  const flightGraph = useMemo<FlightGraph>(
    () => ({
      etcd: etcdNames,
      workers: workerNames,
      ha: shape
        ? {
            apiservers: shape.flatMap((m) => (m.apiserver ? [m.apiserver] : [])),
            clients: shape.flatMap((m) => [m.scheduler, m.controllerManager].filter((c): c is string => c !== undefined)),
          }
        : null,
      cloud: cloud?.controllerManager === true,
    }),
    [etcdNames, workerNames, shape, cloud],
  );
  const curves = useMemo(() => {
    // The heat map's box is no layout box, but its edge carries the kubelets' flow (message-rates.ts).
    const out = edgeCurves(edges, arch.heatMapBox ? new Map([...arch.boxes, [HEAT_MAP_ID, arch.heatMapBox]]) : arch.boxes, arch.anchors);
    if (grid) for (const [id, c] of kubeletCurves(workerNames, arch.boxes, shape ? LOAD_BALANCER_ID : APISERVER_ID)) out.set(id, c);
    return out;
  }, [edges, arch, grid, workerNames, shape]);
  const lbBox = arch.boxes.get(LOAD_BALANCER_ID);
  const lbData = useMemo<LoadBalancerData | null>(
    () => (lbBox && shape ? { handles: handleOffsets(LOAD_BALANCER_ID, lbBox, arch.anchors), apiservers: flightGraph.ha?.apiservers ?? [] } : null),
    [lbBox, shape, arch, flightGraph],
  );

  // In the heat map, the tiles in view become cards once zoomed in (lod.ts); the key changes only when that set does.
  const cardKey = useStore(useCallback((s: ReactFlowState) => (grid ? visibleCards(grid, viewportOf(s), s.width, s.height).key : ''), [grid]));
  const cardTiles = useMemo(() => (grid ? cardTilesForKey(grid, cardKey) : []), [grid, cardKey]);

  // The card being dragged follows the pointer; dropped, it goes back to its layout box (fault-zone.ts decides what the drop did).
  const store = useClusterStoreApi();
  const [drag, setDrag] = useState<DragState | null>(null);
  const zone = arch.faultZone;
  const zoneCount = zone?.slots.size ?? 0;
  // The zone redraws only when what it says changes, not on every pointer move.
  const [dragNode, dragOver, dragFaulted] = [drag?.node, drag?.over ?? false, drag?.faulted ?? false];
  const zoneData = useMemo<FaultZoneData>(
    () => ({ count: zoneCount, drag: dragNode === undefined ? null : { node: dragNode, over: dragOver, faulted: dragFaulted } }),
    [zoneCount, dragNode, dragOver, dragFaulted],
  );
  const dragTo = useCallback(
    (n: CanvasNode): DragState | null => {
      if (n.type !== 'worker' || !zone) return null;
      const name = (n.data as { worker: WorkerView }).worker.name;
      const box = arch.boxes.get(n.id);
      if (!box) return null;
      return { id: n.id, node: name, x: n.position.x, y: n.position.y, over: droppedInZone(zone.box, n.position, box), faulted: machines.has(name) };
    },
    [arch, zone, machines],
  );
  const onNodeDrag = useCallback((_: unknown, n: CanvasNode) => setDrag(dragTo(n)), [dragTo]);
  const onNodeDragStop = useCallback(
    (_: unknown, n: CanvasNode) => {
      const d = dragTo(n);
      setDrag(null);
      if (!d) return;
      const plan = dropPlan(faultedMachinesNow(store).get(d.node) ?? HEALTHY_MACHINE, d.over);
      if (plan.length > 0) void actWithNotice(store, plan.map((action) => ({ action, node: d.node })));
    },
    [dragTo, store],
  );

  const previous = useRef(new Map<string, CanvasNode>());
  const nodes = useMemo(() => {
    const out: CanvasNode[] = [];
    const at = (id: string): Box => arch.boxes.get(id)!;
    // Frames first: React Flow draws later nodes on top, so the boxes stand in their frames (whose see-through body shows the edges under it).
    for (const [name, box] of arch.frames) out.push({ ...flowNode(machineId(name), 'machine', box, { machine: name }), draggable: false, selectable: false });
    for (const m of etcd) if (arch.boxes.has(m.name)) out.push(flowNode(m.name, 'etcd', at(m.name), { member: m }));
    if (shape) {
      for (const m of shape) {
        const replicas: [string | undefined, ReplicaRole][] = [
          [m.apiserver, 'apiserver'],
          [m.scheduler, 'scheduler'],
          [m.controllerManager, 'controllerManager'],
        ];
        for (const [name, role] of replicas) if (name !== undefined) out.push(flowNode(name, 'replica', at(name), { name, role }));
      }
      if (lbBox && lbData) out.push({ ...flowNode(LOAD_BALANCER_ID, 'loadBalancer', lbBox, lbData), draggable: false });
    } else {
      out.push(flowNode(APISERVER_ID, 'apiserver', at(APISERVER_ID), EMPTY));
      out.push(flowNode(SCHEDULER_ID, 'scheduler', at(SCHEDULER_ID), EMPTY));
      out.push(flowNode(CONTROLLER_MANAGER_ID, 'controllerManager', at(CONTROLLER_MANAGER_ID), EMPTY));
    }
    const ha = shape !== null;
    const cloudBox = arch.boxes.get(CLOUD_ID);
    if (cloudBox) out.push(flowNode(CLOUD_ID, 'cloud', cloudBox, { ha }));
    const ccmBox = arch.boxes.get(CLOUD_CONTROLLER_MANAGER_ID);
    if (ccmBox) out.push(flowNode(CLOUD_CONTROLLER_MANAGER_ID, 'cloudControllerManager', ccmBox, { ha }));
    if (grid && arch.heatMapBox) {
      out.push(flowNode(HEAT_MAP_ID, 'heatMap', arch.heatMapBox, { nodes: grid.count }));
      for (const i of cardTiles) if (workers[i]) out.push(flowNode(workerId(workers[i].name), 'heatMapCard', tileBox(grid, i), { worker: workers[i], scale: grid.scale }));
    } else {
      if (zone) {
        out.push({ ...flowNode(FAULT_ZONE_ID, 'faultZone', zone.box, zoneData), draggable: false });
        for (const [name, box] of zone.ghosts) out.push({ ...flowNode(`ghost:${name}`, 'faultGhost', box, { node: name }), draggable: false });
      }
      for (const w of workers) {
        const id = workerId(w.name);
        const m = machines.get(w.name);
        const box = drag?.id === id ? { ...at(id), x: drag.x, y: drag.y } : at(id);
        out.push({ ...flowNode(id, 'worker', box, m ? { worker: w, machine: m } : { worker: w }), draggable: true });
      }
    }
    // An unchanged box keeps its node object (and so its memoized component does not re-render).
    const reused = out.map((n) => {
      const old = previous.current.get(n.id);
      return old && old.type === n.type && sameData(old.data, n.data) && sameBox(old, n) ? old : n;
    });
    previous.current = new Map(reused.map((n) => [n.id, n]));
    return reused;
  }, [etcd, workers, arch, grid, cardTiles, zone, zoneData, machines, drag, shape, lbBox, lbData]);

  const maxZoom = grid ? heatMaxZoom(grid) : MAX_ZOOM;
  const fitOptions = grid ? HEAT_MAP_FIT_OPTIONS : shape ? HA_FIT_OPTIONS : FIT_VIEW_OPTIONS;
  // A new shape (another scenario opened: HA or not, a cloud or not) is fitted again, as crossing the level of detail is.
  useFitWhenLevelChanges(`${ready}:${grid !== null}:${shape?.length ?? 1}:${cloud ? 'cloud' : ''}`, fitOptions);

  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={NODE_TYPES}
      fitView
      fitViewOptions={fitOptions}
      minZoom={MIN_ZOOM}
      maxZoom={maxZoom}
      nodesDraggable={false}
      onNodeDragStart={onNodeDrag}
      onNodeDrag={onNodeDrag}
      onNodeDragStop={onNodeDragStop}
      nodesConnectable={false}
      elementsSelectable={false}
      proOptions={PRO_OPTIONS}
      data-level={grid ? 'heat-map' : 'cards'}
    >
      <Background gap={24} size={1} />
      {grid && <HeatMapLayer grid={grid} />}
      <MiniMap pannable zoomable nodeClassName={miniMapClass} ariaLabel="Minimap" style={MINIMAP_STYLE} position="bottom-right" />
      <Controls showInteractive={false} position="top-left" fitViewOptions={fitOptions} />
      {/* Out of the way of the minimap (bottom-right), the zoom buttons (top-left) and, with the heat map, its legend (bottom-left). */}
      <Panel position="top-right" className="canvas-add-node">
        <AddNodeButton />
      </Panel>
      <MessageLayer graph={flightGraph} curves={curves} background={background} scaleWithZoom={grid !== null} aggregate={grid !== null} />
    </ReactFlow>
  );
}

/**
 * Fits the view again when the cluster crosses the level-of-detail threshold
 * (a node added or removed) or the control plane's shape changes (another
 * scenario), not on first render.
 */
function useFitWhenLevelChanges(key: string, options: FitViewOptions) {
  const { fitView } = useReactFlow();
  const last = useRef(key);
  useEffect(() => {
    if (last.current === key) return;
    last.current = key;
    void fitView(options);
  }, [key, options, fitView]);
}

/** A worker card being dragged: where it is, and whether its centre is over the fault zone. */
interface DragState {
  id: string;
  node: string;
  x: number;
  y: number;
  over: boolean;
  /** Its machine is failed already (its card is in the zone). */
  faulted: boolean;
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

/** The heat map's grid, as the same object while it places the tiles the same (heat-map-geometry.ts sameGrid). */
function useStableGrid(grid: HeatGrid | null): HeatGrid | null {
  const ref = useRef<HeatGrid | null>(grid);
  if (!sameGrid(ref.current, grid)) ref.current = grid;
  return ref.current;
}

/** The list of names, as the same array while the names stay the same. */
function useStableNames(items: readonly { name: string }[]): string[] {
  const ref = useRef<string[]>([]);
  // Compared in place: this runs on every change of the workers' views, and 5,000 names need not be copied for it.
  const same = items.length === ref.current.length && items.every((item, i) => item.name === ref.current[i]);
  if (!same) ref.current = items.map((i) => i.name);
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

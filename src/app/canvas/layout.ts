// positions = layout(graph): where each box of the architecture canvas goes.
// Pure and deterministic (no DOM, no measuring): the same graph gives the
// same positions, so the picture never jumps while the simulation runs.
// Control plane on top (the etcd row, then kube-scheduler, kube-apiserver
// and kube-controller-manager side by side), worker cards in a grid below
// (with the fault zone to their left, holding the failed nodes' cards);
// past LOD_NODE_THRESHOLD nodes, the workers' tiles of the heat map
// (heat-map-geometry.ts) in their place. A highly available control plane
// (several control-plane machines) is a row of machine frames with the load
// balancer under them instead (layout-ha.ts); a cloud adds the cloud box and
// cloud-controller-manager beside the control plane.
import type { ControlPlaneMachineShape } from './control-plane-model';
import { faultZoneLayout, ZONE, type FaultZoneLayout } from './fault-zone';
import { CARD, heatGrid, tileBox, type HeatGrid } from './heat-map-geometry';
import { haControlPlane, singleCloud, type Anchor } from './layout-ha';
import { usesHeatMap } from './lod';

export { CLOUD_CONTROLLER_MANAGER_ID, CLOUD_ID, LOAD_BALANCER_ID, machineId, type Anchor } from './layout-ha';

export interface ArchitectureGraph {
  /** etcd member names, in the cluster's order. */
  etcd: readonly string[];
  /** Worker node names, in the order their cards appear (row by row). */
  workers: readonly string[];
  /**
   * Draw the fault zone (fault-zone.ts) to the left of the worker cards,
   * holding the cards of these failed workers (their grid slots stay empty).
   * Not drawn beside the heat map.
   */
  faultZone?: { faulted: readonly string[] };
  /**
   * A highly available control plane: one frame per control-plane machine
   * with what runs on it, and the load balancer. Absent (or null): the one
   * control plane as kube-apiserver, kube-scheduler, kube-controller-manager
   * and the etcd row.
   */
  controlPlane?: readonly ControlPlaneMachineShape[] | null;
  /** The scenario runs on a cloud (spec.cloud): the cloud box, and cloud-controller-manager's when it runs. */
  cloud?: { controllerManager: boolean } | null;
}

/** Top-left corner and size, in canvas pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const APISERVER_ID = 'kube-apiserver';
export const SCHEDULER_ID = 'kube-scheduler';
export const CONTROLLER_MANAGER_ID = 'kube-controller-manager';
/** Worker ids are prefixed so a node named like a component cannot collide with it. */
export const workerId = (node: string) => `node:${node}`;
/** The heat map's box in the level-of-detail view (a name no node id takes: those start with "node:"). */
export const HEAT_MAP_ID = 'heat-map';

export const SIZES = {
  etcd: { width: 180, height: 66 },
  component: { width: 300, height: 74 },
  worker: { width: CARD.width, height: CARD.height },
} as const;

const ETCD_GAP = 48;
const ROW_GAP = 72;
const SIDE_GAP = 48;
const GRID_GAP = CARD.gap;
/** Below the control plane the kubelets' edges need room to fan out. */
const WORKERS_TOP_GAP = 110;

/** Columns of the worker grid: one row up to 4 nodes, then about 3:2 wider than tall (50 nodes: 9 x 6). */
export function workerColumns(n: number): number {
  if (n <= 4) return Math.max(n, 1);
  return Math.max(4, Math.ceil(Math.sqrt(n * 1.5)));
}

export interface ArchitectureLayout {
  /** Boxes by node id (a worker's is its card, or its tile in the heat map), everything centred on x = 0. */
  boxes: Map<string, Box>;
  /** The heat map's grid when the workers are drawn as tiles; null when each has a card. */
  heatMap: HeatGrid | null;
  /** The box around the heat map's tiles (HEAT_MAP_ID), when there is one. */
  heatMapBox: Box | null;
  /** The fault zone and its cards, when the graph asks for it and the workers have cards. */
  faultZone: FaultZoneLayout | null;
  /** A highly available control plane's frames, by machine name (they hold boxes, so they are not in `boxes`). */
  frames: Map<string, Box>;
  /** Handles placed at a point of a box's side, by anchorKey(node, handle): the load balancer's, the apiserver's for the ccm. */
  anchors: Map<string, Anchor>;
}

/** Boxes by node id, everything centred on x = 0. */
export function layout(graph: ArchitectureGraph): Map<string, Box> {
  return architectureLayout(graph).boxes;
}

export function architectureLayout(graph: ArchitectureGraph): ArchitectureLayout {
  const cp = controlPlaneBoxes(graph);
  const { boxes: out, frames, anchors } = cp;
  const { worker } = SIZES;

  const top = cp.bottom + WORKERS_TOP_GAP;
  if (usesHeatMap(graph.workers.length)) {
    const grid = heatGrid(graph.workers.length, top);
    graph.workers.forEach((name, i) => out.set(workerId(name), tileBox(grid, i)));
    return { boxes: out, heatMap: grid, heatMapBox: { x: grid.x, y: grid.y, width: grid.width, height: grid.height }, faultZone: null, frames, anchors };
  }
  const cols = workerColumns(graph.workers.length);
  const gridWidth = cols * worker.width + (cols - 1) * GRID_GAP;
  // With the zone beside it (on its left), the zone and the grid are centred together.
  const zoneWidth = worker.width + 2 * ZONE.padX;
  const left = graph.faultZone ? -(gridWidth + ZONE.gap + zoneWidth) / 2 + zoneWidth + ZONE.gap : -gridWidth / 2;
  graph.workers.forEach((name, i) => {
    const col = i % cols;
    const row = Math.floor(i / cols);
    out.set(workerId(name), { x: left + col * (worker.width + GRID_GAP), y: top + row * (worker.height + GRID_GAP), ...worker });
  });
  if (!graph.faultZone) return { boxes: out, heatMap: null, heatMapBox: null, faultZone: null, frames, anchors };
  const rows = Math.max(1, Math.ceil(graph.workers.length / cols));
  const gridBox = { x: left, y: top, width: gridWidth, height: rows * worker.height + (rows - 1) * GRID_GAP };
  const known = new Set(graph.workers);
  const zone = faultZoneLayout(
    gridBox,
    worker,
    GRID_GAP,
    graph.faultZone.faulted.filter((n) => known.has(n)),
    (n) => out.get(workerId(n)),
  );
  for (const [name, slot] of zone.slots) out.set(workerId(name), slot);
  return { boxes: out, heatMap: null, heatMapBox: null, faultZone: zone, frames, anchors };
}

/** The control plane's boxes (and the cloud's), and how far down they reach. */
function controlPlaneBoxes(graph: ArchitectureGraph): { boxes: Map<string, Box>; frames: Map<string, Box>; anchors: Map<string, Anchor>; bottom: number } {
  const cloud = graph.cloud ?? null;
  if (graph.controlPlane && graph.controlPlane.length > 0) {
    const hosted = new Set(graph.controlPlane.flatMap((m) => m.etcd));
    return haControlPlane(graph.controlPlane, graph.etcd.filter((m) => !hosted.has(m)), cloud);
  }
  const out = new Map<string, Box>();
  const { etcd, component } = SIZES;
  const etcdRow = graph.etcd.length * etcd.width + Math.max(graph.etcd.length - 1, 0) * ETCD_GAP;
  graph.etcd.forEach((name, i) => out.set(name, { x: -etcdRow / 2 + i * (etcd.width + ETCD_GAP), y: 0, ...etcd }));

  const midY = etcd.height + ROW_GAP;
  const apiX = -component.width / 2;
  const api = { x: apiX, y: midY, ...component };
  const kcm = { x: apiX + component.width + SIDE_GAP, y: midY, ...component };
  out.set(SCHEDULER_ID, { x: apiX - SIDE_GAP - component.width, y: midY, ...component });
  out.set(APISERVER_ID, api);
  out.set(CONTROLLER_MANAGER_ID, kcm);
  if (!cloud) return { boxes: out, frames: new Map(), anchors: new Map(), bottom: midY + component.height };
  const c = singleCloud(kcm, { id: APISERVER_ID, box: api }, component, cloud.controllerManager);
  for (const [id, box] of c.boxes) out.set(id, box);
  return { boxes: out, frames: new Map(), anchors: c.anchors, bottom: c.bottom };
}

// Who talks to whom on the architecture canvas, as in Kubernetes: every
// component to kube-apiserver (a node's kubelet and kube-proxy from its
// card), kube-apiserver to each etcd member, and the etcd members to each
// other (raft). The edge ids are built here and nowhere else, so the message
// layer (message-flight.ts) puts each wire message on the edge that is drawn.
//
// A highly available control plane: every client (each machine's scheduler
// and controller-manager, the kubelets, cloud-controller-manager) to the
// load balancer, the load balancer to each kube-apiserver-i, and each
// apiserver to every etcd member (it writes to whichever leads). With a
// cloud: cloud-controller-manager to the cloud's API.
import type { Edge } from '@xyflow/react';
import type { ControlPlaneMachineShape } from './control-plane-model';
import { anchorKey, lbHandle, type Anchor } from './layout-ha';
import { APISERVER_ID, CLOUD_CONTROLLER_MANAGER_ID, CLOUD_ID, CONTROLLER_MANAGER_ID, LOAD_BALANCER_ID, SCHEDULER_ID, workerId } from './layout';

export const apiToEtcdEdgeId = (member: string, apiserver = APISERVER_ID) => `${apiserver}->${member}`;
/** Members in the cluster's order: the lower index is the source. */
export const raftEdgeId = (a: string, b: string) => `${a}->${b}`;
/** A kubelet's edge to the apiserver, or in HA to the load balancer. */
export const workerEdgeId = (node: string, target = APISERVER_ID) => `kubelet:${node}->${target}`;
export const componentEdgeId = (component: string, target = APISERVER_ID) => `${component}->${target}`;
/** The load balancer to one apiserver replica. */
export const lbEdgeId = (apiserver: string) => `${LOAD_BALANCER_ID}->${apiserver}`;
export const CLOUD_EDGE_ID = `${CLOUD_CONTROLLER_MANAGER_ID}->${CLOUD_ID}`;

type Side = Anchor['side'];

/** What an edge carries for the message layer: the sides its ends leave from, when the node ids alone do not say. */
export interface EdgeSides extends Record<string, unknown> {
  sides: [Side, Side];
}

/** What the canvas has besides the etcd members and the workers. */
export interface EdgeExtras {
  controlPlane?: readonly ControlPlaneMachineShape[] | null;
  cloud?: { controllerManager: boolean } | null;
}

function sided(id: string, source: string, sourceHandle: string, target: string, targetHandle: string, className: string, sides: [Side, Side]): Edge<EdgeSides> {
  return { id, source, sourceHandle, target, targetHandle, className, data: { sides } };
}

export function architectureEdges(etcd: readonly string[], workers: readonly string[], extras: EdgeExtras = {}): Edge[] {
  if (extras.controlPlane && extras.controlPlane.length > 0) return haEdges(etcd, workers, extras.controlPlane, extras.cloud ?? null);
  const edges: Edge[] = [];
  edges.push({ id: componentEdgeId(SCHEDULER_ID), source: SCHEDULER_ID, sourceHandle: 'api', target: APISERVER_ID, targetHandle: 'left', className: 'edge-component' });
  edges.push({ id: componentEdgeId(CONTROLLER_MANAGER_ID), source: CONTROLLER_MANAGER_ID, sourceHandle: 'api', target: APISERVER_ID, targetHandle: 'right', className: 'edge-component' });
  for (const m of etcd) edges.push({ id: apiToEtcdEdgeId(m), source: APISERVER_ID, sourceHandle: 'etcd', target: m, targetHandle: 'api', className: 'edge-etcd' });
  edges.push(...raftEdges(etcd));
  for (const w of workers) edges.push({ id: workerEdgeId(w), source: workerId(w), sourceHandle: 'api', target: APISERVER_ID, targetHandle: 'kubelets', className: 'edge-kubelet' });
  if (extras.cloud?.controllerManager) {
    // Under kube-controller-manager: from the ccm's left to the apiserver's bottom right.
    edges.push(sided(componentEdgeId(CLOUD_CONTROLLER_MANAGER_ID), CLOUD_CONTROLLER_MANAGER_ID, 'api-left', APISERVER_ID, 'ccm', 'edge-component', ['left', 'bottom']));
    edges.push(sided(CLOUD_EDGE_ID, CLOUD_CONTROLLER_MANAGER_ID, 'cloud-right', CLOUD_ID, 'ccm-left', 'edge-cloud', ['right', 'left']));
  }
  return edges;
}

/** Raft between every pair of members: neighbours meet side to side; members further apart arc over the row. */
function raftEdges(etcd: readonly string[]): Edge[] {
  const edges: Edge[] = [];
  for (let i = 0; i < etcd.length; i++) {
    for (let j = i + 1; j < etcd.length; j++) {
      const adjacent = j === i + 1;
      edges.push({
        id: raftEdgeId(etcd[i], etcd[j]),
        source: etcd[i],
        sourceHandle: adjacent ? 'peer-out' : 'arc-out',
        target: etcd[j],
        targetHandle: adjacent ? 'peer-in' : 'arc-in',
        className: 'edge-raft',
      });
    }
  }
  return edges;
}

/** `etcd` in the order drawn left to right (control-plane-model.ts etcdDrawOrder), so neighbours are neighbours on screen. */
function haEdges(etcd: readonly string[], workers: readonly string[], machines: readonly ControlPlaneMachineShape[], cloud: { controllerManager: boolean } | null): Edge[] {
  const edges: Edge[] = [];
  for (const m of machines) {
    const a = m.apiserver;
    if (a === undefined) continue;
    const local = new Set(m.etcd);
    // Each apiserver talks to the member that leads, wherever it runs: its own machine's edge is drawn stronger.
    for (const e of etcd) edges.push(sided(apiToEtcdEdgeId(e, a), a, 'etcd', e, 'api', local.has(e) ? 'edge-etcd' : 'edge-etcd edge-remote', ['top', 'bottom']));
    edges.push(sided(lbEdgeId(a), LOAD_BALANCER_ID, lbHandle('to', a), a, 'lb', 'edge-lb', ['top', 'bottom']));
  }
  edges.push(...raftEdges(etcd));
  for (const m of machines) {
    for (const c of [m.scheduler, m.controllerManager]) {
      if (c === undefined) continue;
      edges.push(sided(componentEdgeId(c, LOAD_BALANCER_ID), c, 'api', LOAD_BALANCER_ID, lbHandle('from', c), 'edge-component', ['bottom', 'top']));
    }
  }
  for (const w of workers) edges.push(sided(workerEdgeId(w, LOAD_BALANCER_ID), workerId(w), 'api', LOAD_BALANCER_ID, 'kubelets', 'edge-kubelet', ['top', 'bottom']));
  if (cloud?.controllerManager) {
    edges.push(sided(componentEdgeId(CLOUD_CONTROLLER_MANAGER_ID, LOAD_BALANCER_ID), CLOUD_CONTROLLER_MANAGER_ID, 'api-left', LOAD_BALANCER_ID, 'ccm', 'edge-component', ['left', 'right']));
    edges.push(sided(CLOUD_EDGE_ID, CLOUD_CONTROLLER_MANAGER_ID, 'cloud-top', CLOUD_ID, 'ccm-bottom', 'edge-cloud', ['top', 'bottom']));
  }
  return edges;
}

/** Where an edge's ends are, when a handle sits at a point of its side (anchorKey), for the node that draws it. */
export function handleOffsets(nodeId: string, box: { x: number; y: number }, anchors: ReadonlyMap<string, Anchor>): { id: string; side: Side; offset: number }[] {
  const out: { id: string; side: Side; offset: number }[] = [];
  const prefix = anchorKey(nodeId, '');
  for (const [key, a] of anchors) {
    if (!key.startsWith(prefix)) continue;
    out.push({ id: key.slice(prefix.length), side: a.side, offset: a.side === 'top' || a.side === 'bottom' ? a.x - box.x : a.y - box.y });
  }
  return out;
}

// The edges of the level-of-detail view: the control plane's own (every
// component to kube-apiserver, the apiserver to each etcd member, raft
// between members; in HA the clients to the load balancer and it to each
// apiserver; with a cloud the ccm's), and one edge from the heat map to
// kube-apiserver (in HA to the load balancer) for all the kubelets instead
// of one per node. Their messages still fly to each node's own tile
// (message-flight.ts kubeletCurves).
import type { Edge } from '@xyflow/react';
import { architectureEdges, type EdgeExtras } from './edges';
import { APISERVER_ID, HEAT_MAP_ID, LOAD_BALANCER_ID } from './layout';

export const HEAT_MAP_EDGE_ID = `${HEAT_MAP_ID}->${APISERVER_ID}`;

export function heatMapEdges(etcd: readonly string[], workers: number, extras: EdgeExtras = {}): Edge[] {
  const ha = extras.controlPlane !== undefined && extras.controlPlane !== null && extras.controlPlane.length > 0;
  return [
    ...architectureEdges(etcd, [], extras),
    {
      id: HEAT_MAP_EDGE_ID,
      source: HEAT_MAP_ID,
      sourceHandle: 'api',
      target: ha ? LOAD_BALANCER_ID : APISERVER_ID,
      targetHandle: 'kubelets',
      className: 'edge-kubelet edge-heat-map',
      label: `${workers.toLocaleString('en-US')} kubelets`,
      labelBgPadding: [6, 3],
      labelBgBorderRadius: 4,
    },
  ];
}

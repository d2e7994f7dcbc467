// The edges of the level-of-detail view: the control plane's own (every
// component to kube-apiserver, the apiserver to each etcd member, raft
// between members), and one edge from kube-apiserver to the heat map for all
// the kubelets instead of one per node. Their messages still fly to each
// node's own tile (message-flight.ts kubeletCurves).
import type { Edge } from '@xyflow/react';
import { architectureEdges } from './edges';
import { APISERVER_ID, HEAT_MAP_ID } from './layout';

export const HEAT_MAP_EDGE_ID = `${HEAT_MAP_ID}->${APISERVER_ID}`;

export function heatMapEdges(etcd: readonly string[], workers: number): Edge[] {
  return [
    ...architectureEdges(etcd, []),
    {
      id: HEAT_MAP_EDGE_ID,
      source: HEAT_MAP_ID,
      sourceHandle: 'api',
      target: APISERVER_ID,
      targetHandle: 'kubelets',
      className: 'edge-kubelet edge-heat-map',
      label: `${workers.toLocaleString('en-US')} kubelets`,
      labelBgPadding: [6, 3],
      labelBgBorderRadius: 4,
    },
  ];
}

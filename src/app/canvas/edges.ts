// Who talks to whom on the architecture canvas, as in Kubernetes: every
// component to kube-apiserver (a node's kubelet and kube-proxy from its
// card), kube-apiserver to each etcd member, and the etcd members to each
// other (raft). The edge ids are built here and nowhere else, so the message
// layer (message-flight.ts) puts each wire message on the edge that is drawn.
import type { Edge } from '@xyflow/react';
import { APISERVER_ID, CONTROLLER_MANAGER_ID, SCHEDULER_ID, workerId } from './layout';

export const apiToEtcdEdgeId = (member: string) => `${APISERVER_ID}->${member}`;
/** Members in the cluster's order: the lower index is the source. */
export const raftEdgeId = (a: string, b: string) => `${a}->${b}`;
export const workerEdgeId = (node: string) => `kubelet:${node}->${APISERVER_ID}`;
export const componentEdgeId = (component: string) => `${component}->${APISERVER_ID}`;

export function architectureEdges(etcd: readonly string[], workers: readonly string[]): Edge[] {
  const edges: Edge[] = [];
  edges.push({ id: componentEdgeId(SCHEDULER_ID), source: SCHEDULER_ID, sourceHandle: 'api', target: APISERVER_ID, targetHandle: 'left', className: 'edge-component' });
  edges.push({ id: componentEdgeId(CONTROLLER_MANAGER_ID), source: CONTROLLER_MANAGER_ID, sourceHandle: 'api', target: APISERVER_ID, targetHandle: 'right', className: 'edge-component' });
  for (const m of etcd) edges.push({ id: apiToEtcdEdgeId(m), source: APISERVER_ID, sourceHandle: 'etcd', target: m, targetHandle: 'api', className: 'edge-etcd' });
  for (let i = 0; i < etcd.length; i++) {
    for (let j = i + 1; j < etcd.length; j++) {
      // Neighbours meet side to side; members further apart arc over the row.
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
  for (const w of workers) edges.push({ id: workerEdgeId(w), source: workerId(w), sourceHandle: 'api', target: APISERVER_ID, targetHandle: 'kubelets', className: 'edge-kubelet' });
  return edges;
}

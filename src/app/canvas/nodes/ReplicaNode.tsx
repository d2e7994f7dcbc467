// A replica of a highly available control plane, in its machine's frame:
// kube-apiserver-i, kube-scheduler-i or kube-controller-manager-i, as the
// simulation reports it (src/sim/cluster.ts components(): state, host,
// leader). kube-scheduler and kube-controller-manager elect a leader on
// their Lease (client-go leaderelection, as upstream's --leader-elect): the
// one holding it shows "leader" with a crown and does the work; the others
// read "standby", dimmed, until the Lease goes unrenewed for its duration
// and one of them takes it, which moves the crown. Nothing is animated
// beyond what the simulation says.
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ClusterViewState } from '../../store/cluster-store';
import { useClusterStore } from '../../store/store-context';
import { replicaStatus } from '../control-plane-model';
import { useBackend, useComponentReport, type BackendReport } from '../use-control-plane';
import { Box, LEADER_ICON } from './ControlPlaneNode';

export type ReplicaRole = 'apiserver' | 'scheduler' | 'controllerManager';
export type ReplicaFlowNode = Node<{ name: string; role: ReplicaRole }, 'replica'>;

const hidden = { isConnectable: false } as const;
const selectPending = (s: ClusterViewState) => s.scheduler.pending;
const selectControllers = (s: ClusterViewState) => s.controllerManager.controllers;
const selectNothing = () => 0;

export const ReplicaNode = memo(function ReplicaNode({ data }: NodeProps<ReplicaFlowNode>) {
  const { name, role } = data;
  const report = useComponentReport(name);
  // An apiserver's clients, as the load balancer counts its connections (they move when it stops).
  const backend = useBackend(name);
  const status = replicaStatus(report);
  const leads = status.tone === 'leader';
  // The store's scheduler and controller-manager views are the leading replica's (cluster.scheduler, cluster.controllerManager).
  const count = useClusterStore(leads ? (role === 'scheduler' ? selectPending : selectControllers) : selectNothing);
  const apiserver = role === 'apiserver';
  const badge = apiserver ? (report?.state ?? 'unknown') : status.badge;
  const tone = apiserver ? (report?.state === 'running' ? 'ok' : 'bad') : status.tone;
  return (
    <>
      {apiserver ? (
        <>
          <Handle type="source" position={Position.Top} id="etcd" {...hidden} />
          <Handle type="target" position={Position.Bottom} id="lb" {...hidden} />
        </>
      ) : (
        <Handle type="source" position={Position.Bottom} id="api" {...hidden} />
      )}
      <Box
        id={name}
        tone={tone}
        title={name}
        badge={badge}
        badgeIcon={leads ? LEADER_ICON : undefined}
        compact
        attrs={{ 'data-leader': leads, 'data-host': report?.host ?? '' }}
      >
        {meta(role, status.tone, badge, count, backend)}
      </Box>
    </>
  );
});

function meta(role: ReplicaRole, tone: string, state: string, count: number, backend: BackendReport | undefined) {
  if (role === 'apiserver') {
    if (state !== 'running') return 'not serving';
    const n = backend?.connections ?? 0;
    return (
      <>
        <b data-testid="apiserver-clients">{n}</b> {n === 1 ? 'client' : 'clients'}
      </>
    );
  }
  if (tone === 'bad') return 'not running';
  if (tone === 'standby') return 'waits for Lease';
  if (role === 'scheduler')
    return (
      <>
        queue <b data-testid="canvas-scheduler-queue">{count}</b> pending
      </>
    );
  return (
    <>
      <b>{count}</b> controllers
    </>
  );
}

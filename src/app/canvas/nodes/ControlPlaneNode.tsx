// The control plane's boxes on the canvas: one per etcd member (raft role
// and term), kube-apiserver, kube-scheduler (its queue) and
// kube-controller-manager (how many controllers it runs). Each reads only
// its own slice of the store, so a tick that changes nothing it shows does
// not redraw it. A box is a button that opens its component in the inspector
// (ringed while shown there); its "⋯" button or a right-click opens its menu
// (stop / start, panels/ComponentMenu.tsx). The replicas of a highly
// available control plane use the same Box, in its compact form (ReplicaNode.tsx).
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo, type ReactNode } from 'react';
import type { EtcdRoleView } from '../../store/cluster-store';
import { useClusterStore } from '../../store/store-context';
import { selectApiserver, selectControllerManager, selectScheduler } from '../../store/selectors';
import { useSelectable } from '../../panels/InspectorHooks';
import { useComponentMenu } from '../../panels/ComponentMenu';

export type EtcdNode = Node<{ member: EtcdRoleView }, 'etcd'>;
export type ApiserverNode = Node<Record<string, never>, 'apiserver'>;
export type SchedulerNode = Node<Record<string, never>, 'scheduler'>;
export type ControllerManagerNode = Node<Record<string, never>, 'controllerManager'>;

const hidden = { isConnectable: false } as const;
const CCM_HANDLE = { left: '75%' } as const;

/** The leader's mark on its badge: the crown the etcd leader's row wears in the control-plane panel. */
export const LEADER_ICON = (
  <svg className="badge-icon" viewBox="0 0 16 16" width="11" height="11" aria-hidden="true">
    <path d="M8 1.5l2 4.3 4.6.5-3.4 3.1 1 4.6L8 11.6 3.8 14l1-4.6L1.4 6.3 6 5.8z" fill="currentColor" />
  </svg>
);

interface BoxProps {
  id: string;
  tone: string;
  title: string;
  badge: string;
  /** Extra data-* attributes for tests and tools (an etcd member's role and term). */
  attrs?: Record<`data-${string}`, string | number | boolean>;
  /** Compact (a replica in a machine's frame): the name alone on the first line, the badge on the second. */
  compact?: boolean;
  /** Drawn before the badge's text (the leader's crown). */
  badgeIcon?: ReactNode;
  children?: ReactNode;
}

export function Box({ id, tone, title, badge, attrs, compact = false, badgeIcon, children }: BoxProps) {
  const { selected, pressProps } = useSelectable('component', id);
  const menu = useComponentMenu(id);
  const badgeEl = (
    <span className={`badge badge-${tone}`} data-testid="component-badge">
      {badgeIcon}
      {badge}
    </span>
  );
  // nodrag nopan: a click on the box must not start a React Flow drag or pan.
  return (
    <div
      className={`cp-node cp-${tone} nodrag nopan selectable${compact ? ' cp-compact' : ''}${selected ? ' is-selected' : ''}`}
      data-testid={`canvas-component-${id}`}
      data-state={badge}
      data-selected={selected}
      title={`Inspect ${title}`}
      {...attrs}
      {...pressProps}
      onContextMenu={menu.onContextMenu}
    >
      <div className="cp-head">
        <span className={`dot ${tone}`} aria-hidden="true" />
        <span className="cp-name">{title}</span>
        {!compact && badgeEl}
      </div>
      {/* The menu button sits on the second line: the head of a 180 px etcd box has no room left. */}
      <div className="cp-meta cp-meta-row">
        {compact && badgeEl}
        <span className="cp-meta-text">{children}</span>
        {menu.button}
      </div>
      {menu.popover}
    </div>
  );
}

export const EtcdMemberNode = memo(function EtcdMemberNode({ data }: NodeProps<EtcdNode>) {
  const m = data.member;
  const tone = m.role === 'leader' ? 'leader' : m.role === 'stopped' ? 'bad' : m.role === 'candidate' ? 'warn' : 'ok';
  return (
    <>
      <Handle type="target" position={Position.Bottom} id="api" {...hidden} />
      <Handle type="target" position={Position.Left} id="peer-in" {...hidden} />
      <Handle type="source" position={Position.Right} id="peer-out" {...hidden} />
      <Handle type="source" position={Position.Top} id="arc-out" {...hidden} />
      <Handle type="target" position={Position.Top} id="arc-in" {...hidden} />
      <Box id={m.name} tone={tone} title={m.name} badge={m.role} badgeIcon={m.role === 'leader' ? LEADER_ICON : undefined} attrs={{ 'data-role': m.role, 'data-term': m.term }}>
        etcd member · term <b>{m.term}</b>
      </Box>
    </>
  );
});

export const ApiserverNodeView = memo(function ApiserverNodeView() {
  const state = useClusterStore(selectApiserver);
  return (
    <>
      <Handle type="source" position={Position.Top} id="etcd" {...hidden} />
      <Handle type="target" position={Position.Left} id="left" {...hidden} />
      <Handle type="target" position={Position.Right} id="right" {...hidden} />
      <Handle type="target" position={Position.Bottom} id="kubelets" {...hidden} />
      {/* cloud-controller-manager's edge, when there is a cloud (layout-ha.ts singleCloud: 75% along the bottom). */}
      <Handle type="target" position={Position.Bottom} id="ccm" style={CCM_HANDLE} {...hidden} />
      <Box id="kube-apiserver" tone={state === 'running' ? 'ok' : 'bad'} title="kube-apiserver" badge={state}>
        the only door to etcd
      </Box>
    </>
  );
});

export const SchedulerNodeView = memo(function SchedulerNodeView() {
  const view = useClusterStore(selectScheduler);
  const up = view.state !== 'stopped';
  return (
    <>
      <Handle type="source" position={Position.Right} id="api" {...hidden} />
      <Box id="kube-scheduler" tone={up ? 'ok' : 'bad'} title="kube-scheduler" badge={up ? 'running' : 'stopped'}>
        queue <b data-testid="canvas-scheduler-queue">{view.pending}</b> pending
      </Box>
    </>
  );
});

export const ControllerManagerNodeView = memo(function ControllerManagerNodeView() {
  const kcm = useClusterStore(selectControllerManager);
  return (
    <>
      <Handle type="source" position={Position.Left} id="api" {...hidden} />
      <Box id="kube-controller-manager" tone={kcm.state === 'running' ? 'ok' : 'bad'} title="kube-controller-manager" badge={kcm.state}>
        <b>{kcm.controllers}</b> controllers
      </Box>
    </>
  );
});

// The control plane's boxes on the canvas: one per etcd member (raft role
// and term), kube-apiserver, kube-scheduler (its queue) and
// kube-controller-manager (how many controllers it runs). Each reads only
// its own slice of the store, so a tick that changes nothing it shows does
// not redraw it. A box is a button that opens its component in the inspector
// (ringed while shown there); its "⋯" button or a right-click opens its menu
// (stop / start, panels/ComponentMenu.tsx).
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

interface BoxProps {
  id: string;
  tone: string;
  title: string;
  badge: string;
  /** Extra data-* attributes for tests and tools (an etcd member's role and term). */
  attrs?: Record<`data-${string}`, string | number>;
  children?: ReactNode;
}

function Box({ id, tone, title, badge, attrs, children }: BoxProps) {
  const { selected, pressProps } = useSelectable('component', id);
  const menu = useComponentMenu(id);
  // nodrag nopan: a click on the box must not start a React Flow drag or pan.
  return (
    <div
      className={`cp-node cp-${tone} nodrag nopan selectable${selected ? ' is-selected' : ''}`}
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
        <span className={`badge badge-${tone}`}>{badge}</span>
      </div>
      {/* The menu button sits on the second line: the head of a 180 px etcd box has no room left. */}
      <div className="cp-meta cp-meta-row">
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
      <Box id={m.name} tone={tone} title={m.name} badge={m.role} attrs={{ 'data-role': m.role, 'data-term': m.term }}>
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

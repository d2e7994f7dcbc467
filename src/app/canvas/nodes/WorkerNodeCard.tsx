// One worker node's card: its Ready condition, cordon and taints, cpu and
// memory requested against allocatable and its pod count (as `kubectl
// describe node` adds them up), and its pods as tokens coloured by phase.
// Pods are elements of the card, never React Flow nodes. The node's name, its
// kubelet and each pod token open that thing in the inspector (class nodrag
// nopan so a click never starts a pan); the one shown there is ringed.
// The card drags onto the fault zone (ArchitectureCanvas); its "⋯" button
// or a right-click opens the node's menu (panels/NodeMenu.tsx), and a failed
// machine's card shows its faults and the countdowns (panels/FaultZone.tsx).
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { podTokens, type PodToken, type Usage, type WorkerView } from '../../store/worker-views';
import { formatCpu, formatMemory, fraction } from '../format-resources';
import { useSelectable } from '../../panels/InspectorHooks';
import { NodeFaultPanel } from '../../panels/FaultZone';
import { useNodeMenu } from '../../panels/NodeMenu';
import { SchedulingMarkBadge, useSchedulingMark } from '../../panels/SchedulingExplainerMark';
import type { MachineState } from '../../../sim/cluster/machines';
import { activeFaults } from '../fault-zone';

/** `machine`: set by the canvas when the node's machine is failed. */
export type WorkerNode = Node<{ worker: WorkerView; machine?: MachineState }, 'worker'>;

/** 12px tokens fit about 45 in a card; beyond that they are drawn at 6px (about 200 fit). */
const DENSE_PODS = 40;

const READY_TONE = { Ready: 'ok', NotReady: 'bad', Unknown: 'warn' } as const;

export const WorkerNodeCard = memo(function WorkerNodeCard({ data }: NodeProps<WorkerNode>) {
  const w = data.worker;
  const tokens = podTokens(w);
  const node = useSelectable('object', `Node//${w.name}`);
  const menu = useNodeMenu(w.name);
  const faults = data.machine ? activeFaults(data.machine).join(' ') : '';
  // The scheduling explainer's verdict for this node (feasible, infeasible with its reason, chosen), while it is open.
  const sched = useSchedulingMark(w.name);
  return (
    <div
      className={`worker-card${node.selected ? ' is-selected' : ''}${data.machine ? ' is-faulted' : ''}${sched?.className ?? ''}`}
      data-testid="worker-card"
      data-node={w.name}
      data-ready={w.ready}
      data-faults={faults || undefined}
      onContextMenu={menu.onContextMenu}
    >
      <Handle type="source" position={Position.Top} id="api" isConnectable={false} />
      <div className="worker-head">
        <span className="worker-name nodrag nopan selectable" data-testid="worker-name" title={`Inspect Node ${w.name}`} {...node.pressProps}>
          {w.name}
        </span>
        <KubeletButton node={w.name} />
        <span className={`badge badge-${READY_TONE[w.ready]}`} data-testid="node-ready">
          {w.ready}
        </span>
        {menu.button}
      </div>
      {(w.cordoned || w.problems.length > 0 || w.taints.length > 0) && (
        <ul className="worker-flags">
          {w.cordoned && (
            <li className="flag flag-warn" data-testid="node-cordoned">
              SchedulingDisabled
            </li>
          )}
          {w.problems.map((p) => (
            <li key={p} className="flag flag-bad">
              {p}
            </li>
          ))}
          {w.taints.map((t) => (
            <li key={t} className="flag flag-taint" data-testid="node-taint" title={t}>
              {t}
            </li>
          ))}
        </ul>
      )}
      <NodeFaultPanel worker={w} machine={data.machine} />
      <SchedulingMarkBadge mark={sched} />
      <div className="worker-bars">
        <Bar label="CPU" usage={w.cpu} format={formatCpu} />
        <Bar label="Memory" usage={w.memory} format={formatMemory} />
        <Bar label="Pods" usage={w.pods} format={String} />
      </div>
      {/* Past DENSE_PODS the tokens shrink so a full node (110 pods by default) still fits its card. */}
      <div className={`worker-pods${tokens.length > DENSE_PODS ? ' dense' : ''}`} aria-label={`${tokens.length} pods`}>
        {tokens.map((p) => (
          <Token key={p.key} pod={p} />
        ))}
      </div>
      {menu.popover}
    </div>
  );
});

function Bar({ label, usage, format }: { label: string; usage: Usage; format: (n: number) => string }) {
  const f = fraction(usage.requested, usage.allocatable);
  const tone = f >= 0.9 ? 'bad' : f >= 0.7 ? 'warn' : 'ok';
  return (
    <div className="bar-row" data-testid={`bar-${label.toLowerCase()}`} data-requested={usage.requested} data-allocatable={usage.allocatable}>
      <span className="bar-label">{label}</span>
      <span className="bar-track">
        <span className={`bar-fill bar-${tone}`} style={{ width: `${(f * 100).toFixed(1)}%` }} />
      </span>
      <span className="bar-value">
        {format(usage.requested)}/{format(usage.allocatable)}
      </span>
    </div>
  );
}

/** The node's kubelet, as a component the inspector can show (its state, its messages). */
function KubeletButton({ node }: { node: string }) {
  const { selected, select } = useSelectable('component', `kubelet/${node}`);
  return (
    <button
      type="button"
      className={`kubelet-chip nodrag nopan${selected ? ' is-selected' : ''}`}
      data-testid="worker-kubelet"
      title={`Inspect kubelet/${node}`}
      onClick={(e) => {
        e.stopPropagation();
        select();
      }}
    >
      kubelet
    </button>
  );
}

const Token = memo(function Token({ pod }: { pod: PodToken }) {
  const { selected, pressProps } = useSelectable('object', `Pod/${pod.key}`);
  return (
    <span
      className={`pod-token phase-${pod.phase} nodrag nopan${selected ? ' is-selected' : ''}`}
      data-testid="pod-token"
      data-phase={pod.phase}
      data-pod={pod.key}
      data-selected={selected}
      title={`${pod.key}: ${pod.phase}`}
      aria-label={`Pod ${pod.key}, ${pod.phase}`}
      {...pressProps}
    />
  );
});

// Failing nodes on the canvas (issue 6 parts 1 and 3): the fault zone (a
// React Flow node beside the worker cards; drop a card on it to power the
// machine off, drag it back out to heal it), the fault panel a failed card
// carries (the other faults one click away, and the consequences as they
// come: the grace period to Ready=Unknown, the taint, the toleration
// countdown to eviction), and "Add node". Geometry, plans and countdowns are
// pure (src/app/canvas/fault-zone*.ts); this is only their drawing.
import type { Node, NodeProps } from '@xyflow/react';
import { memo, useMemo, useRef } from 'react';
import type { MachineState } from '../../sim/cluster/machines';
import { consequenceDetail, consequenceText } from '../canvas/fault-zone-countdown';
import { activeFaults, FAULTS, isFaulted, sendsHeartbeats, switchFaultPlan } from '../canvas/fault-zone';
import { querySim } from '../host/remote-host';
import { useSimQuery } from '../host/use-sim-query';
import { selectNowSecond } from '../store/selectors';
import { useClusterStore, useClusterStoreApi } from '../store/store-context';
import { podTokens, type WorkerView } from '../store/worker-views';
import { actWithNotice, pushNotice } from './act-with-notice';

/** What the zone shows: idle, or a card being dragged (over it or not), and whether that card's machine is failed. */
export interface FaultZoneData extends Record<string, unknown> {
  /** Failed cards it holds. */
  count: number;
  drag: null | { node: string; over: boolean; faulted: boolean };
}
export type FaultZoneFlowNode = Node<FaultZoneData, 'faultZone'>;

export const FaultZoneNode = memo(function FaultZoneNode({ data }: NodeProps<FaultZoneFlowNode>) {
  const d = data.drag;
  // Dragging a healthy card arms the zone; dragging a failed one out of it offers to heal.
  const state = !d ? 'idle' : d.faulted ? (d.over ? 'holding' : 'healing') : d.over ? 'over' : 'armed';
  const hint = !d
    ? 'Drop a node here to power it off, drag it out to heal it'
    : state === 'over'
      ? `Release to power ${d.node} off`
      : state === 'armed'
        ? `Drop ${d.node} here to power it off`
        : state === 'healing'
          ? `Release to heal ${d.node}`
          : `Drag ${d.node} out of the zone to heal it`;
  return (
    <div className={`fault-zone fault-zone-${state}`} data-testid="fault-zone" data-state={state} aria-label="Fault zone">
      <div className="fault-zone-head">
        <span className="fault-zone-title">
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d="M8 1.5l7 12.5H1z" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" />
            <path d="M8 6v4M8 11.6v.6" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
          </svg>
          Fault zone
        </span>
        <span className="fault-zone-hint" data-testid="fault-zone-hint">
          {hint}
        </span>
      </div>
      {data.count === 0 && !d && <div className="fault-zone-empty">Drag a node card here</div>}
    </div>
  );
});

/**
 * Under a card's flags: for a failed machine, its faults (a switch: one click
 * swaps to another fault, or heals the one that is on), and, whenever the
 * node is not plainly healthy, where its failure has got to.
 */
export const NodeFaultPanel = memo(function NodeFaultPanel({ worker, machine }: { worker: WorkerView; machine?: MachineState }) {
  const faulted = machine !== undefined && isFaulted(machine);
  const unhealthy = worker.ready !== 'Ready' || worker.taints.some((t) => t.endsWith(':NoExecute'));
  if (!faulted && !unhealthy) return null;
  return (
    <div className="node-fault nodrag nopan" data-testid="node-fault">
      {faulted && <FaultSwitch node={worker.name} machine={machine} />}
      <Countdown worker={worker} silent={machine !== undefined && !sendsHeartbeats(machine)} />
    </div>
  );
});

function FaultSwitch({ node, machine }: { node: string; machine: MachineState }) {
  const store = useClusterStoreApi();
  const active = activeFaults(machine);
  const states = FAULTS.filter((f) => active.includes(f.kind)).map((f) => f.state);
  return (
    <>
      <p className="fault-state" data-testid="fault-state">
        {states.join(' · ')}
        <span className="fault-state-hint">drag out to heal</span>
      </p>
      <div className="fault-switch" role="group" aria-label={`Faults of ${node}: click one to switch to it, or to undo it`}>
      {FAULTS.map((f) => {
        const on = active.includes(f.kind);
        return (
          <button
            key={f.kind}
            type="button"
            className={`fault-switch-item${on ? ' on' : ''}`}
            data-testid={`fault-${f.kind}`}
            aria-pressed={on}
            title={on ? `${f.state}: click to undo it (${f.off})` : `${f.label} instead (${f.on})`}
            onClick={(e) => {
              e.stopPropagation();
              void actWithNotice(
                store,
                switchFaultPlan(machine, f.kind).map((action) => ({ action, node })),
              );
            }}
            onKeyDown={(e) => e.stopPropagation()}
          >
            {f.short}
          </button>
        );
      })}
      </div>
    </>
  );
}

/** Where a failed worker's card stood in the grid: it goes back there when dragged out of the zone. */
export const FaultGhostNode = memo(function FaultGhostNode({ data }: NodeProps<Node<{ node: string }, 'faultGhost'>>) {
  return (
    <div className="fault-ghost" data-testid="fault-ghost" data-node={data.node}>
      <span className="fault-ghost-name">{data.node}</span>
      <span className="fault-ghost-hint">is in the fault zone · drag it back to heal it</span>
    </div>
  );
});

/** The stage of the failure, recomputed once per simulated second (its numbers are whole seconds) and when the card's view moved. */
function Countdown({ worker, silent }: { worker: WorkerView; silent: boolean }) {
  const second = useClusterStore(selectNowSecond);
  const podKeys = useMemo(() => podTokens(worker).map((t) => t.key), [worker]);
  // The worker view is replaced whenever its Node or pods changed: it is part of the version, as it was a dependency.
  const version = useMemo(() => [second, worker], [second, worker]);
  const c = useSimQuery('nodeConsequence', [worker.name, podKeys, silent], version)?.view;
  if (!c) return null;
  return (
    <p className={`node-countdown stage-${c.stage}`} data-testid="node-countdown" data-stage={c.stage} title={consequenceDetail(c)}>
      {consequenceText(c)}
    </p>
  );
}

/** "Add node": a new machine like the last worker joins (its Node applied; its agents start). */
export function AddNodeButton() {
  const store = useClusterStoreApi();
  // Clicks add one node each, in turn: the next name is read only once the node before it was applied.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const add = () => {
    queue.current = queue.current.then(() =>
      querySim(store, 'newNodeManifest', []).then(
        (node) => actWithNotice(store, [{ action: 'apply', manifests: [node] }]),
        (e: Error) => pushNotice(store, 'error', `Add node: not done (${e.message}).`),
      ),
    );
  };
  return (
    <button type="button" className="btn btn-small" data-testid="add-node" title="A new machine joins: a Node like the last one, with the next free name" onClick={add}>
      <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
        <path d="M8 3v10M3 8h10" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
      </svg>
      Add node
    </button>
  );
}

// The machines under the nodes (src/sim/cluster/machines.ts: powered, kubelet
// running, network cut, memory filled), for the canvas and the menus. They
// change only by an action (a user's, or the scenario's timeline), so they
// are read again only when the action log moves (or a rewind replaces the
// cluster, which replaces the log too), and kept as the same objects while
// equal, so nothing re-renders on a tick.
import { useMemo, useRef } from 'react';
import type { MachineState } from '../../sim/cluster/machines';
import { selectActions } from '../store/selectors';
import { useClusterStore, useClusterStoreApi } from '../store/store-context';

export const HEALTHY_MACHINE: MachineState = { powered: true, kubeletRunning: true, partitioned: false, memoryPressure: false };

const sameMachine = (a: MachineState, b: MachineState) =>
  a.powered === b.powered && a.kubeletRunning === b.kubeletRunning && a.partitioned === b.partitioned && a.memoryPressure === b.memoryPressure;

/** The machines that are not healthy, by node name (in name order); the same Map while none changed. */
export function useFaultedMachines(): ReadonlyMap<string, MachineState> {
  const store = useClusterStoreApi();
  const actions = useClusterStore(selectActions);
  const previous = useRef<ReadonlyMap<string, MachineState>>(new Map());
  return useMemo(() => {
    void actions; // machines change only with an action
    const old = previous.current;
    const next = new Map<string, MachineState>();
    for (const [name, m] of store.cluster?.machines.faulted() ?? []) {
      const o = old.get(name);
      next.set(name, o && sameMachine(o, m) ? o : m);
    }
    if (next.size === old.size && [...next].every(([n, m]) => old.get(n) === m)) return old;
    previous.current = next;
    return next;
  }, [store, actions]);
}

/** One node's machine. */
export function useMachine(node: string): MachineState {
  return useFaultedMachines().get(node) ?? HEALTHY_MACHINE;
}

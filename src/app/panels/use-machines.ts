// The machines under the nodes (src/sim/cluster/machines.ts: powered, kubelet
// running, network cut, memory filled), for the canvas and the menus, through
// the `faultedMachines` query (src/app/host/queries.ts). They change only by
// an action (a user's, or the scenario's timeline), so they are read again
// only when the action log moves or a rewind replaces the cluster (which
// replaces the log too), once per store for every reader, and kept as the
// same objects while equal, so nothing re-renders on a tick.
import { useSyncExternalStore } from 'react';
import type { MachineState } from '../../sim/cluster/machines';
import { storeQuery } from '../host/store-query';
import type { ClusterStore } from '../store/cluster-store';
import { useClusterStoreApi } from '../store/store-context';

export const HEALTHY_MACHINE: MachineState = { powered: true, kubeletRunning: true, partitioned: false, memoryPressure: false };

const sameMachine = (a: MachineState, b: MachineState) =>
  a.powered === b.powered && a.kubeletRunning === b.kubeletRunning && a.partitioned === b.partitioned && a.memoryPressure === b.memoryPressure;

const faultedQuery = storeQuery('faultedMachines', [], (s) => [s.clusterEpoch, s.actions]);

const NONE: ReadonlyMap<string, MachineState> = new Map();
/** Per store: the query's answer last turned into a Map, and that Map. */
const shown = new WeakMap<ClusterStore, { answer: unknown; map: ReadonlyMap<string, MachineState> }>();

/** The machines that are not healthy, by node name (in name order), as they are now, outside React (a menu being built, a drop). */
export function faultedMachinesNow(store: ClusterStore): ReadonlyMap<string, MachineState> {
  const answer = faultedQuery(store).current();
  const last = shown.get(store);
  if (last && last.answer === answer) return last.map;
  const old = last?.map ?? NONE;
  const next = new Map<string, MachineState>();
  for (const [name, m] of answer ?? []) {
    const o = old.get(name);
    next.set(name, o && sameMachine(o, m) ? o : m);
  }
  const same = next.size === old.size && [...next].every(([n, m]) => old.get(n) === m);
  const map = same ? old : next;
  shown.set(store, { answer, map });
  return map;
}

/** The machines that are not healthy, by node name (in name order); the same Map while none changed. */
export function useFaultedMachines(): ReadonlyMap<string, MachineState> {
  const store = useClusterStoreApi();
  const get = () => faultedMachinesNow(store);
  return useSyncExternalStore(faultedQuery(store).subscribe, get, get);
}

/** One node's machine. */
export function useMachine(node: string): MachineState {
  return useFaultedMachines().get(node) ?? HEALTHY_MACHINE;
}

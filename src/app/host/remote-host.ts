// What the UI asks of a simulation that runs elsewhere (in the Web Worker,
// sim-worker.ts): named queries, the user's actions, and the kubectl
// console. A store whose cluster is on the main thread has no host; the
// helpers here then call the cluster directly, so every caller is written
// once for both.
import type { ActionOutcome } from '../../sim/cluster/actions';
import type { Action } from '../../sim/model';
import type { ClusterStore } from '../store/cluster-store';
import type { ConsoleHandle } from '../store/console-session';
import { runQuery, type QueryArgs, type QueryName, type QueryResult } from './queries';

export interface RemoteHost {
  query<N extends QueryName>(name: N, args: QueryArgs<N>): Promise<QueryResult<N>>;
  /**
   * A gesture's actions, performed in one go at one instant (no frame between them) and recorded on the history
   * branch as the store's act() records them: kubectl's answers for each, up to the first the store refused ([]).
   */
  act(actions: readonly Action[]): Promise<ActionOutcome[][]>;
  /** The kubectl console's session, which runs beside the simulation. */
  readonly console: ConsoleHandle;
}

/** Runs a query on the store's cluster, wherever it is. Rejects when no cluster is loaded. */
export function querySim<N extends QueryName>(store: ClusterStore, name: N, args: QueryArgs<N>): Promise<QueryResult<N>> {
  const c = store.cluster;
  if (c) {
    try {
      return Promise.resolve(runQuery(c, name, args));
    } catch (e) {
      return Promise.reject(e);
    }
  }
  if (store.host) return store.host.query(name, args);
  return Promise.reject(new Error('no cluster is loaded'));
}

/** The store's act(), wherever the cluster is: [] when the simulation is halted or not loaded. */
export async function actOn(store: ClusterStore, action: Action): Promise<ActionOutcome[]> {
  return (await actAllOn(store, [action]))[0] ?? [];
}

/** Several actions at one instant: the outcomes of each, stopping after the first the store refused (halted: []). */
export function actAllOn(store: ClusterStore, actions: readonly Action[]): Promise<ActionOutcome[][]> {
  if (store.host) return store.host.act(actions);
  return Promise.resolve(performAll(store, actions));
}

/** Where the cluster is: the actions in order, up to the first refused. */
export function performAll(store: ClusterStore, actions: readonly Action[]): ActionOutcome[][] {
  const all: ActionOutcome[][] = [];
  for (const a of actions) {
    const out = store.getState().act(a);
    all.push(out);
    if (out.length === 0) break;
  }
  return all;
}

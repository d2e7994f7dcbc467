// One query's answer shared by everything that reads it from a store (every
// box of the canvas, every node card's menu), outside React as well as in it:
// useSimQuery (use-sim-query.ts) is one component's answer, this is one per
// store. The answer follows a version read off the view state (the whole
// state for what was read on every store change before; the action log for
// the machines). With the cluster on this thread it is computed when read,
// synchronously, as the readers did before the worker existed; with the
// cluster in the Web Worker the newest answer is returned and, when the
// version moved since it was asked, the worker is asked again (one request
// at a time; subscribers hear when the answer arrives).
import type { ClusterStore, ClusterViewState } from '../store/cluster-store';
import { runQuery, type QueryArgs, type QueryName, type QueryResult } from './queries';

export interface StoreQuery<T> {
  /** The answer as of the store's state now; null before the worker's first answer (or with no cluster loaded). */
  current(): T | null;
  /** Called on every store change and when an answer arrives. */
  subscribe(listener: () => void): () => void;
}

/** The query's versions: the parts of the view state it follows, compared one by one. */
export type VersionOf = (s: ClusterViewState) => readonly unknown[];

const NOT_YET: readonly unknown[] = [];

/**
 * A query kept per store: `storeQuery(name, args, version)(store)` is the
 * same StoreQuery for the same store every time.
 */
export function storeQuery<N extends QueryName>(name: N, args: QueryArgs<N>, version: VersionOf): (store: ClusterStore) => StoreQuery<QueryResult<N>> {
  const perStore = new WeakMap<ClusterStore, StoreQuery<QueryResult<N>>>();
  return (store) => {
    let q = perStore.get(store);
    if (!q) perStore.set(store, (q = create(store, name, args, version)));
    return q;
  };
}

function create<N extends QueryName>(store: ClusterStore, name: N, args: QueryArgs<N>, version: VersionOf): StoreQuery<QueryResult<N>> {
  type R = QueryResult<N>;
  // Computed here: the cluster and the version it was computed for.
  let local: { cluster: object; version: readonly unknown[]; value: R } | null = null;
  // From the worker: the newest answer, the version it was asked for, and whether a request is out.
  let remote: R | null = null;
  let answered: readonly unknown[] = NOT_YET;
  let asking = false;
  const listeners = new Set<() => void>();

  const ask = (v: readonly unknown[]) => {
    const host = store.host;
    if (!host) return;
    asking = true;
    const done = (value: R | null) => {
      asking = false;
      answered = v;
      if (value !== null) remote = value;
      // Whoever listens reads current() again, which asks again if the version moved meanwhile.
      for (const l of [...listeners]) l();
    };
    host.query(name, args).then(done, () => done(null));
  };

  return {
    current() {
      const v = version(store.getState());
      const cluster = store.cluster;
      if (cluster) {
        if (!local || local.cluster !== cluster || !sameVersion(local.version, v)) local = { cluster, version: v, value: runQuery(cluster, name, args) };
        return local.value;
      }
      if (!asking && (answered === NOT_YET || !sameVersion(answered, v))) ask(v);
      return remote;
    },
    subscribe(listener) {
      listeners.add(listener);
      const unsubscribe = store.subscribe(listener);
      return () => {
        listeners.delete(listener);
        unsubscribe();
      };
    },
  };
}

function sameVersion(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
}

// One store per app instance, provided through context (as xyflow does).
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { ClusterStore, ClusterViewState } from './cluster-store';

const ClusterStoreContext = createContext<ClusterStore | null>(null);

export function ClusterStoreProvider({ store, children }: { store: ClusterStore; children: ReactNode }) {
  return <ClusterStoreContext.Provider value={store}>{children}</ClusterStoreContext.Provider>;
}

export function useClusterStoreApi(): ClusterStore {
  const store = useContext(ClusterStoreContext);
  if (!store) throw new Error('useClusterStore: no cluster store here. Wrap the component in <ClusterStoreProvider store={createClusterStore(...)}>.');
  return store;
}

export function useClusterStore<T>(selector: (s: ClusterViewState) => T): T {
  return useStore(useClusterStoreApi(), selector);
}

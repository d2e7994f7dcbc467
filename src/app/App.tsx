// The app shell: header with clock and controls, the control plane and the
// actions on the left, the architecture canvas (DESIGN 5) above the objects
// in the middle (tabs: Objects | Events), the wire on the right, or the
// inspector while something is selected.
import { useEffect } from 'react';
import { ArchitectureCanvas } from './canvas/ArchitectureCanvas';
import type { ClusterStore } from './store/cluster-store';
import { ClusterStoreProvider, useClusterStore, useClusterStoreApi } from './store/store-context';
import { selectLoad } from './store/selectors';
import { useCheckpointFill } from './store/use-checkpoint-fill';
import { useClockLoop } from './store/use-clock-loop';
import { ActionsLog } from './panels/ActionsLog';
import { ClusterStats } from './panels/ClusterStats';
import { ComponentsPanel } from './panels/ComponentsPanel';
import { EditorPanel } from './panels/EditorPanel';
import { ErrorBoundary } from './panels/ErrorBoundary';
import { Header } from './panels/Header';
import { InspectorColumn } from './panels/Inspector';
import { LoadError } from './panels/LoadError';
import { Notices } from './panels/Notices';
import { ObjectsAndEvents } from './panels/Tabs';
import { WireMessages } from './panels/WireMessages';

export function App({ store }: { store: ClusterStore }) {
  return (
    <ErrorBoundary>
      <ClusterStoreProvider store={store}>
        <Shell />
      </ClusterStoreProvider>
    </ErrorBoundary>
  );
}

function Shell() {
  const load = useClusterStore(selectLoad);
  if (!load.ok) {
    return (
      <div className="app">
        <Header />
        <LoadError error={load.error} />
      </div>
    );
  }
  return <Running scenarioName={load.scenarioName} />;
}

function Running({ scenarioName }: { scenarioName: string }) {
  const store = useClusterStoreApi();
  useClockLoop(store);
  useCheckpointFill(store);
  useKeyboardShortcuts(store);
  return (
    <div className="app">
      <Header scenarioName={scenarioName} />
      <Notices />
      <main className="workspace">
        <div className="column column-left">
          <ComponentsPanel />
          <ClusterStats />
          <ActionsLog />
        </div>
        <div className="column column-center">
          <ArchitectureCanvas />
          <ObjectsAndEvents />
        </div>
        <InspectorColumn>
          <WireMessages />
        </InspectorColumn>
      </main>
      <EditorPanel />
    </div>
  );
}

/** Space plays or pauses; "." steps. Ignored while typing in a field. */
function useKeyboardShortcuts(store: ClusterStore) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const el = e.target as HTMLElement | null;
      if (el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(el.tagName))) return;
      if (e.key === ' ') {
        e.preventDefault();
        store.getState().togglePlay();
      } else if (e.key === '.') {
        store.getState().step();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}

// The app shell: header with clock and controls, the control plane and the
// actions on the left, the architecture canvas (DESIGN 5) above the objects
// in the middle (tabs: Objects | Events) with the timeline between them
// (keyboard shortcuts for time: PlaybackControls), the wire on the right, or the
// inspector while something is selected; the kubectl console is a drawer at
// the bottom (the header's "kubectl" button, or the ` key).
import { useMemo } from 'react';
import { ArchitectureCanvas } from './canvas/ArchitectureCanvas';
import type { ClusterStore } from './store/cluster-store';
import { ClusterStoreProvider, useClusterStore, useClusterStoreApi } from './store/store-context';
import { selectLoad, selectReady } from './store/selectors';
import { useCheckpointFill } from './store/use-checkpoint-fill';
import { useClockLoop } from './store/use-clock-loop';
import { ActionsLog } from './panels/ActionsLog';
import { ClusterStats } from './panels/ClusterStats';
import { ComponentsPanel } from './panels/ComponentsPanel';
import { ConsoleDrawer, ConsoleProvider } from './panels/Console';
import { EditorPanel } from './panels/EditorPanel';
import { ErrorBoundary } from './panels/ErrorBoundary';
import { Header } from './panels/Header';
import { InspectorColumn } from './panels/Inspector';
import { LoadError } from './panels/LoadError';
import { Notices } from './panels/Notices';
import { ObjectsAndEvents } from './panels/Tabs';
import { Timeline } from './panels/Timeline';
import { WireMessages } from './panels/WireMessages';
import { SessionOverlays } from './panels/SessionOverlays';
import { StoryPanel } from './panels/StoryPanel';
import { SessionController } from './session/session-controller';
import { SessionProvider } from './session/session-context';

/** `session`: the share/files/autosave verbs (src/app/session); main.tsx passes the browser's, tests get a default. */
export function App({ store, session }: { store: ClusterStore; session?: SessionController }) {
  const controller = useMemo(() => session ?? new SessionController(store), [session, store]);
  return (
    <ErrorBoundary>
      <ClusterStoreProvider store={store}>
        <SessionProvider controller={controller}>
          <Shell />
        </SessionProvider>
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
        <SessionOverlays />
      </div>
    );
  }
  return (
    <ConsoleProvider>
      <Running scenarioName={load.scenarioName} />
    </ConsoleProvider>
  );
}

function Running({ scenarioName }: { scenarioName: string }) {
  const store = useClusterStoreApi();
  useClockLoop(store);
  useCheckpointFill(store);
  // While the simulation's worker builds the session the panels show the empty view it starts from: dimmed, not alarming.
  const ready = useClusterStore(selectReady);
  return (
    <div className="app">
      <Header scenarioName={scenarioName} />
      <Notices />
      <main className="workspace" data-ready={ready} aria-busy={!ready}>
        <div className="column column-left">
          <StoryPanel />
          <ComponentsPanel />
          <ClusterStats />
          <ActionsLog />
        </div>
        <div className="column column-center">
          <ArchitectureCanvas />
          <Timeline />
          <ObjectsAndEvents />
        </div>
        <InspectorColumn>
          <WireMessages />
        </InspectorColumn>
      </main>
      <ConsoleDrawer />
      <EditorPanel />
      <SessionOverlays />
    </div>
  );
}

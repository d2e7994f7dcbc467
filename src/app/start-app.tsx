// The app, once the entry (src/main.tsx) has started the simulation's Web
// Worker: decide which session opens (src/app/session/boot.ts: a reload
// restores the autosave; a share link `#s=`, a gallery link
// `#scenario=`/`?scenario=` or `?t=` opens what it names, asking first when
// the autosave holds unsaved work; else the autosave, else the default
// scenario), apply the URL's start options, start autosaving, render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { Autosaver, watchStore } from './session/autosave';
import { planLaunch } from './session/boot';
import { browserEnv, followUrlChanges, localStorageOrNull } from './session/browser';
import type { LaunchInputs } from './session/launch-inputs';
import { SessionController } from './session/session-controller';
import { createClusterStore, FRAME_BUDGET_MS, UI_CLUSTER_OPTIONS, type ClusterStore } from './store/cluster-store';
import { createRemoteStore, type WorkerPort } from './host/remote-store';
import { querySim } from './host/remote-host';
import { applyTheme, savedTheme } from './theme';
import './styles.css';

/**
 * Renders the app. `worker`: the simulation's Web Worker, started by the entry (which has already asked it to
 * prepare the session `launch` names), or null to run it on this thread (`?worker=0`).
 */
export function startApp(worker: WorkerPort | null, launch: LaunchInputs): void {
  applyTheme(savedTheme());

  const storage = localStorageOrNull();
  // The same inputs the worker planned from, so both name the same session.
  const plan = planLaunch(launch, UI_CLUSTER_OPTIONS);

  const inWorker = worker !== null;
  const store: ClusterStore = worker
    ? createRemoteStore({
        port: worker,
        source: plan.source,
        start: plan.start,
        // Answered by the worker's first message, after `session` below exists.
        onBooted: (saved, laterNotices) => session.firstSessionBuilt(saved, laterNotices),
      })
    : createClusterStore({ open: plan.open, start: plan.start, frameBudgetMs: FRAME_BUDGET_MS });
  const session = new SessionController(store, browserEnv, plan.saved);
  for (const text of plan.laterNotices) session.notify('error', text);
  if (plan.pending) session.ask(plan.pending);

  const saver = new Autosaver({
    storage,
    current: () => session.autosaveData(),
    timers: { now: () => performance.now(), set: (fn, ms) => window.setTimeout(fn, ms), clear: (h) => window.clearTimeout(h as number) },
    onError: (message) => session.notify('warn', message),
  });
  watchStore(store, saver);
  saver.request();
  // The last instant too, when the tab is hidden, closed or reloaded.
  window.addEventListener('pagehide', () => saver.flush());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') saver.flush();
  });
  followUrlChanges(session);
  // A test hook (e2e/worker.spec.ts): the live cluster's state hash, wherever the simulation runs.
  (window as unknown as { kubeviz: object }).kubeviz = { inWorker, stateHash: () => querySim(store, 'stateHash', []) };

  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App store={store} session={session} />
    </StrictMode>,
  );
}

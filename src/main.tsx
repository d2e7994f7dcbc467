// Entry point: decide which session opens (src/app/session/boot.ts: a
// reload restores the autosave; a share link `#s=`, a gallery link
// `#scenario=`/`?scenario=` or `?t=` opens what it names, asking first when
// the autosave holds unsaved work; else the autosave, else the default
// scenario), apply the URL's start options, start autosaving, render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { Autosaver, readAutosave, watchStore } from './app/session/autosave';
import { planBoot } from './app/session/boot';
import { browserEnv, followUrlChanges, isReload, localStorageOrNull } from './app/session/browser';
import { SessionController } from './app/session/session-controller';
import { createClusterStore, FRAME_BUDGET_MS, UI_CLUSTER_OPTIONS, type ClusterStore } from './app/store/cluster-store';
import { createRemoteStore, startSimWorker } from './app/host/remote-store';
import { querySim } from './app/host/remote-host';
import { simulationInWorker } from './app/url-params';
import { applyTheme, savedTheme } from './app/theme';
import './app/styles.css';

applyTheme(savedTheme());

const storage = localStorageOrNull();
const plan = planBoot({
  search: window.location.search,
  hash: window.location.hash,
  reload: isReload(),
  autosave: readAutosave(storage),
  options: UI_CLUSTER_OPTIONS,
});

// The simulation runs in a Web Worker (src/app/host/); `?worker=0` keeps it on this thread.
const inWorker = simulationInWorker(window.location.search, typeof Worker !== 'undefined');
const store: ClusterStore = inWorker
  ? createRemoteStore({
      port: startSimWorker(),
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

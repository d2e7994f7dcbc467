// The main thread's store when the simulation runs in the Web Worker: the
// same ClusterViewState the panels read (a mirror of the worker's store,
// patched by its messages) and the same methods, which send the command to
// the worker. What the user sees move at once stays on this side too: the
// selection, the editor's document, the inspector's tab, the explainer's
// marks are set here and also sent, and the worker does not post them back
// (protocol.ts MAIN_OWNED). The clock is driven from here: one advance is in
// flight at a time, and the wall time of frames that pass meanwhile is
// carried into the next one (capped by the worker's MAX_FRAME_MS), so a busy
// worker slows the simulated clock instead of queueing frames.
import { createStore } from 'zustand/vanilla';
import type { ActionOutcome } from '../../sim/cluster/actions';
import { parseScenarioFile } from '../../scenario/parse';
import type { BootSource } from '../session/boot';
import { emptyView, errorText, type ClusterStore, type ClusterViewState } from '../store/cluster-store';
import { recentWire } from '../store/recent-wire';
import type { StartOptions } from '../url-params';
import { applyKeyed } from '../store/keyed-delta';
import type { CommandName, FromWorker, StatePatch, ToWorker } from './protocol';
import type { RemoteHost } from './remote-host';
import { RemoteConsole } from './remote-console';
import { WORKER_ORDER, type WorkerView } from '../store/worker-views';

/** Either end of a worker (or, in tests, of a MessageChannel). */
export interface WorkerPort {
  post(message: ToWorker): void;
  listen(handler: (message: FromWorker) => void): void;
}

export interface RemoteStoreInput {
  port: WorkerPort;
  source: BootSource;
  start: StartOptions;
  /** The session's fingerprint as saved elsewhere, and messages from opening it: known once the worker built it. */
  onBooted?: (saved: string | null, laterNotices: string[]) => void;
}

export function createRemoteStore(input: RemoteStoreInput): ClusterStore {
  const { port } = input;
  let nextId = 1;
  const replies = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let advancing = false;
  let carriedWallMs = 0;

  const command = (name: CommandName, ...args: unknown[]) => port.post({ type: 'command', name, args });
  const ask = <T,>(message: (id: number) => ToWorker): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      replies.set(id, { resolve: resolve as (v: unknown) => void, reject });
      port.post(message(id));
    });

  const store = createStore<ClusterViewState>()((set, get) => ({
    ...emptyView(input.start),
    // The worker's first patch says ready: true.
    ready: false,

    play: () => command('play'),
    pause: () => command('pause'),
    togglePlay: () => command('togglePlay'),
    setSpeed: (speed) => command('setSpeed', speed),
    setFastest: () => command('setFastest'),
    speedUp: () => command('speedUp'),
    speedDown: () => command('speedDown'),
    step: () => command('step'),
    stepPoint: () => command('stepPoint'),
    runToInteresting: () => command('runToInteresting'),
    stepBack: () => command('stepBack'),
    seek: (t) => command('seek', t),
    setInspectorTab: (tab) => {
      if (get().inspectorTab === tab) return;
      set({ inspectorTab: tab });
      command('setInspectorTab', tab);
    },
    showRows: (start, end) => command('showRows', start, end),
    setSchedulingMarks: (marks) => {
      set({ schedulingMarks: marks });
      command('setSchedulingMarks', marks);
    },
    advance: (wallMs) => {
      if (!get().playing || !(wallMs > 0)) return;
      carriedWallMs += wallMs;
      if (advancing) return;
      advancing = true;
      port.post({ type: 'advance', wallMs: carriedWallMs });
      carriedWallMs = 0;
    },
    dismissNotice: (id) => command('dismissNotice', id),
    notify: (tone, text) => command('notify', tone, text),
    select: (selection) => {
      set({ selection });
      command('select', selection);
    },
    openEditor: (doc) => {
      set({ editor: doc });
      command('openEditor', doc);
    },
    closeEditor: () => {
      set({ editor: null });
      command('closeEditor');
    },
    // The outcomes come back through host.act (remote-host.ts actOn); this form cannot wait for them.
    act: (action) => {
      void host.act([action]);
      return [];
    },
    // The worker builds checkpoints in its own idle time (sim-server.ts).
    fillCheckpoints: () => false,
    openSession: (session) => {
      // Read here first, so a file or link that is not a scenario says so at once and changes nothing.
      try {
        parseScenarioFile(session.scenario);
      } catch (e) {
        const text = `The scenario could not be opened; the current one is unchanged. ${errorText(e)}`;
        command('notify', 'error', text);
        return text;
      }
      // Until the worker has built it (and posted its state), the header says so: config-max takes seconds.
      set({ ready: false });
      const built = () => set({ ready: true });
      ask((id) => ({ type: 'open', id, session })).then(built, built);
      return null;
    },
  }));

  const consoleMirror = new RemoteConsole(
    (c) => port.post({ type: 'console', command: c }),
    (line, cursor) => host.query('completeKubectl', [line, cursor]),
  );
  const host: RemoteHost = {
    query: (name, args) => ask((id) => ({ type: 'query', id, name, args: args as unknown[] })),
    act: (actions) => ask<ActionOutcome[][]>((id) => ({ type: 'act', id, actions: [...actions] })),
    console: consoleMirror,
  };

  // A patch whose card list comes in slices is held until its last slice: the canvas lays out and draws the
  // whole list once, not once per slice (at config-max five layouts and full draws of the heat map).
  let held: StatePatch[] = [];
  const receive = (p: StatePatch) => {
    if (p.more) {
      held.push(p);
      return;
    }
    const patches = held.length > 0 ? [...held, p] : [p];
    held = [];
    const s = store.getState();
    const next: Partial<ClusterViewState> = {};
    let workers = s.workers;
    let recent = s.recentWire;
    let now = s.now;
    for (const q of patches) {
      Object.assign(next, q.data);
      if (q.workers) workers = applyKeyed(workers, q.workers, WORKER_ORDER) as WorkerView[];
      if (q.wire) next.wire = q.wire;
      const at = q.data.now ?? now;
      if (q.traceReset) recent = q.trace ?? [];
      else if (q.trace || at !== now) recent = recentWire(recent, q.trace ?? [], at);
      now = at;
    }
    if (workers !== s.workers) next.workers = workers;
    if (recent !== s.recentWire) next.recentWire = recent;
    if (Object.keys(next).length > 0) store.setState(next);
    for (const q of patches) {
      if (q.console) consoleMirror.receive(q.console);
      if (q.advanced) advancing = false;
    }
  };

  port.listen((m) => {
    switch (m.type) {
      case 'state':
        return receive(m);
      case 'booted':
        return input.onBooted?.(m.saved, m.laterNotices);
      case 'reply': {
        const r = replies.get(m.id);
        replies.delete(m.id);
        if (!r) return;
        if (m.ok) r.resolve(m.value);
        else r.reject(new Error(m.error));
        return;
      }
      case 'acted': {
        const r = replies.get(m.id);
        replies.delete(m.id);
        r?.resolve(m.outcomes);
        return;
      }
    }
  });
  port.post({ type: 'boot', source: input.source, start: input.start });

  return Object.defineProperties(store, {
    cluster: { value: null, enumerable: true },
    history: { value: null, enumerable: true },
    host: { value: host, enumerable: true },
  }) as ClusterStore;
}

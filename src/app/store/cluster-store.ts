// The only bridge between React and the simulation. The store owns one
// Cluster, advances it when told (by the clock loop or a button), and keeps
// snapshots for the UI that are replaced only when what they show changed:
// objects only when etcd's revision moves, the etcd view only when a member's
// role, term or log moved, the wire list only when new messages arrived.
// `now` changes every frame while playing; only the clock reads it.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ActionRecord, Cluster, ClusterOptions } from '../../sim/cluster';
import type { ActionOutcome } from '../../sim/cluster/actions';
import type { Action } from '../../sim/model';
import type { EtcdMemberView } from '../../sim/etcd/etcd-cluster';
import type { WireMessage } from '../../sim/kernel/trace';
import { SPEEDS, type Speed, type StartOptions } from '../url-params';
import { objectRows, type ObjectRow } from './object-rows';
import { recentWire } from './recent-wire';
import { workerViews, type WorkerView } from './worker-views';

/** How many wire messages the list shows. */
export const WIRE_LIMIT = 50;
/** A frame never advances more wall time than this (a background tab must not replay minutes at once). */
export const MAX_FRAME_MS = 250;

export interface Notice {
  id: number;
  tone: 'warn' | 'error';
  text: string;
}

/** kube-scheduler as the control-plane panel shows it. */
export interface SchedulerView {
  state: string;
  /** Pods waiting in its queues (activeQ, backoffQ, unschedulable, gated). */
  pending: number;
  /** What its last cycle decided: "default/web → node-b", or why it could not. */
  last?: { pod: string; node?: string; message?: string };
}

/** An etcd member as the canvas draws it: only what its node shows, so log growth does not redraw it. */
export interface EtcdRoleView {
  name: string;
  role: EtcdMemberView['role'];
  term: number;
}

/**
 * What the inspector shows. An object by its key (`kind/namespace/name`, as
 * object-rows.ts makes it: "Pod/default/web-1", "Node//node-1"), or a
 * component by its name ("kube-apiserver", "kube-scheduler",
 * "kube-controller-manager", "etcd-1", "kubelet/node-1").
 */
export type Selection = { type: 'object'; key: string } | { type: 'component'; name: string };

/** The YAML editor's document: the text being edited and, when it edits a stored object, that object's key. */
export interface EditorDoc {
  text: string;
  sourceKey?: string;
}

export type LoadState = { ok: true; scenarioName: string } | { ok: false; error: string };

export interface ClusterViewState {
  load: LoadState;
  /** Virtual ms shown on the clock. */
  now: number;
  playing: boolean;
  speed: Speed;
  /** Set when the simulation threw: it stays paused, with the reason. */
  halted: string | null;
  /** When the next event is due (virtual ms); null when nothing is left to happen. */
  nextEventAt: number | null;
  /** etcd's revision. */
  revision: number;
  /** Wire messages sent since the start. */
  messageCount: number;
  objects: ObjectRow[];
  etcd: EtcdMemberView[];
  /** etcd members' role and term for the canvas; replaced only when one of them moved. */
  etcdRoles: EtcdRoleView[];
  /** One view per worker node for the canvas; a view is replaced only when what its card shows changed. */
  workers: WorkerView[];
  apiserver: string;
  scheduler: SchedulerView;
  /** kube-controller-manager's process state, and the controllers it runs. */
  controllerManager: { state: string; controllers: number };
  /** Newest first. */
  wire: WireMessage[];
  /** The last 30 s of wire messages (recent-wire.ts), oldest first, for the canvas's messages in flight. */
  recentWire: readonly WireMessage[];
  /** Newest first. */
  actions: ActionRecord[];
  notices: Notice[];
  /** What the inspector shows; null: nothing selected. */
  selection: Selection | null;
  /** The YAML editor's document; null: the editor is closed. */
  editor: EditorDoc | null;

  play(): void;
  pause(): void;
  togglePlay(): void;
  setSpeed(speed: Speed): void;
  /** Runs everything up to the next instant at which something happens, and pauses. */
  step(): void;
  /** Called by the clock loop with the wall ms since the last frame. */
  advance(wallMs: number): void;
  dismissNotice(id: number): void;
  select(selection: Selection | null): void;
  openEditor(doc: EditorDoc): void;
  closeEditor(): void;
  /**
   * A user's action now (the scenario format's verbs), recorded in the action
   * log so the session replays. Returns kubectl's answers; [] when the
   * simulation is halted or not loaded.
   */
  act(action: Action): ActionOutcome[];
}

export interface ClusterStore extends StoreApi<ClusterViewState> {
  /** The simulation itself, for tests and tools; null when loading failed. */
  readonly cluster: Cluster | null;
}

export interface CreateClusterStoreInput {
  /** Parses the scenario and builds its cluster; any error it throws is shown instead of the cluster. */
  open: () => Cluster;
  start?: Partial<StartOptions>;
}

/** The UI keeps fewer wire messages than the CLI: it only ever shows the newest. */
export const UI_CLUSTER_OPTIONS: ClusterOptions = { traceCapacity: 5_000 };

export function createClusterStore(input: CreateClusterStoreInput): ClusterStore {
  const start: StartOptions = { startAt: 0, paused: false, speed: 1, notices: [], ...input.start };
  let noticeId = 0;
  const notices: Notice[] = start.notices.map((text) => ({ id: ++noticeId, tone: 'warn', text }));

  let cluster: Cluster | null = null;
  let load: LoadState;
  try {
    cluster = input.open();
    load = { ok: true, scenarioName: cluster.scenario.name ?? 'untitled scenario' };
  } catch (e) {
    load = { ok: false, error: errorText(e) };
  }

  let halted: string | null = null;
  if (cluster && start.startAt > 0) {
    try {
      cluster.runUntil(start.startAt);
    } catch (e) {
      halted = `The simulation stopped with an error: ${errorText(e)}`;
    }
  }

  // Sim time as the loop accumulates it; the cluster runs to its whole milliseconds.
  let simTime = cluster?.now ?? 0;
  let rowsByKey = new Map<string, ObjectRow>();
  let lastSeq = 0;
  let lastActions = 0;

  /** The parts of the view that changed since the last call (all of them the first time). */
  const changes = (s: ClusterViewState | null): Partial<ClusterViewState> => {
    if (!cluster) return {};
    const patch: Partial<ClusterViewState> = {};
    if (!s || s.now !== cluster.now) patch.now = cluster.now;
    if (!s || s.revision !== cluster.revision) {
      patch.revision = cluster.revision;
      const objects = cluster.objects();
      patch.objects = objectRows(objects, rowsByKey);
      rowsByKey = new Map(patch.objects.map((r) => [r.key, r]));
      const workers = workerViews(objects, s?.workers ?? []);
      if (!s || workers !== s.workers) patch.workers = workers;
    }
    const etcd = cluster.etcdMembers();
    if (!s || !sameMembers(s.etcd, etcd)) {
      patch.etcd = etcd;
      const roles = etcd.map((m) => ({ name: m.name, role: m.role, term: m.term }));
      if (!s || !sameRoles(s.etcdRoles, roles)) patch.etcdRoles = roles;
    }
    const components = cluster.components();
    const stateOf = (name: string) => components.find((c) => c.name === name)?.state ?? 'unknown';
    const apiserver = stateOf('kube-apiserver');
    if (!s || s.apiserver !== apiserver) patch.apiserver = apiserver;
    const kcm = { state: stateOf('kube-controller-manager'), controllers: cluster.controllerManager.controllers().length };
    if (!s || s.controllerManager.state !== kcm.state || s.controllerManager.controllers !== kcm.controllers) patch.controllerManager = kcm;
    const scheduler = schedulerView(cluster, stateOf('kube-scheduler'));
    if (!s || !sameScheduler(s.scheduler, scheduler)) patch.scheduler = scheduler;
    const fresh = cluster.trace(lastSeq);
    if (!s || fresh.length > 0) {
      if (fresh.length > 0) lastSeq = fresh[fresh.length - 1].seq;
      const newest = fresh.slice(-WIRE_LIMIT).reverse();
      patch.wire = newest.length >= WIRE_LIMIT || !s ? newest : [...newest, ...s.wire].slice(0, WIRE_LIMIT);
    }
    const recent = recentWire(s?.recentWire ?? [], fresh, cluster.now);
    if (!s || recent !== s.recentWire) patch.recentWire = recent;
    if (!s || cluster.actions.length !== lastActions) {
      lastActions = cluster.actions.length;
      patch.actions = cluster.actions.slice().reverse();
    }
    const next = cluster.nextEventTime() ?? null;
    if (!s || s.nextEventAt !== next) patch.nextEventAt = next;
    const count = cluster.kernel.trace.count;
    if (!s || s.messageCount !== count) patch.messageCount = count;
    return patch;
  };

  const store = createStore<ClusterViewState>()((set, get) => {
    const addNotice = (tone: Notice['tone'], text: string) => set({ notices: [...get().notices, { id: ++noticeId, tone, text }] });
    /** Runs the simulation; an exception halts it with a notice instead of breaking the page. */
    const run = (f: (c: Cluster) => void) => {
      if (!cluster || get().halted) return;
      try {
        f(cluster);
      } catch (e) {
        const text = `The simulation stopped with an error at ${cluster.now} ms: ${errorText(e)}`;
        set({ playing: false, halted: text });
        addNotice('error', text);
      }
    };
    return {
      load,
      now: 0,
      playing: cluster !== null && !start.paused && halted === null,
      speed: start.speed,
      halted,
      nextEventAt: null,
      revision: 0,
      messageCount: 0,
      objects: [],
      etcd: [],
      etcdRoles: [],
      workers: [],
      apiserver: 'unknown',
      scheduler: { state: 'unknown', pending: 0 },
      controllerManager: { state: 'unknown', controllers: 0 },
      wire: [],
      recentWire: [],
      actions: [],
      notices: halted ? [...notices, { id: ++noticeId, tone: 'error', text: halted }] : notices,
      selection: null,
      editor: null,
      ...changes(null),

      play: () => {
        if (cluster && !get().halted) set({ playing: true });
      },
      pause: () => set({ playing: false }),
      togglePlay: () => (get().playing ? get().pause() : get().play()),
      setSpeed: (speed) => {
        if (SPEEDS.includes(speed)) set({ speed });
      },
      step: () => {
        set({ playing: false });
        run((c) => {
          const next = c.nextEventTime();
          if (next === undefined) return;
          c.runUntil(Math.max(next, c.now));
          simTime = c.now;
        });
      },
      advance: (wallMs) => {
        const s = get();
        if (!s.playing || !(wallMs > 0)) return;
        run((c) => {
          // Rounded to a microsecond so ten frames of 1.6 ms make 16 ms, not 15.999.
          simTime = Math.round((Math.max(simTime, c.now) + Math.min(wallMs, MAX_FRAME_MS) * s.speed) * 1000) / 1000;
          const target = Math.floor(simTime);
          if (target > c.now) c.runUntil(target);
        });
      },
      dismissNotice: (id) => set({ notices: get().notices.filter((n) => n.id !== id) }),
      select: (selection) => {
        const cur = get().selection;
        if (cur === selection || (cur && selection && sameSelection(cur, selection))) return;
        set({ selection });
      },
      openEditor: (doc) => set({ editor: doc }),
      closeEditor: () => set({ editor: null }),
      act: (action) => {
        let out: ActionOutcome[] = [];
        run((c) => {
          out = c.act(action);
          simTime = c.now;
        });
        return out;
      },
    };
  });

  // Whoever moves the cluster (the loop, a button, later the canvas), the view follows.
  cluster?.subscribe(() => {
    const patch = changes(store.getState());
    if (Object.keys(patch).length > 0) store.setState(patch);
  });

  return Object.assign(store, { cluster });
}

function sameSelection(a: Selection, b: Selection): boolean {
  return a.type === 'object' ? b.type === 'object' && a.key === b.key : b.type === 'component' && a.name === b.name;
}

function schedulerView(c: Cluster, state: string): SchedulerView {
  const sch = c.scheduler;
  const l = sch.lastCycle;
  return {
    state,
    pending: sch.running ? sch.pendingCount() : 0,
    ...(l ? { last: { pod: l.pod, node: l.node, message: l.message } } : {}),
  };
}

function sameScheduler(a: SchedulerView, b: SchedulerView): boolean {
  return a.state === b.state && a.pending === b.pending && a.last?.pod === b.last?.pod && a.last?.node === b.last?.node && a.last?.message === b.last?.message;
}

function sameMembers(a: EtcdMemberView[], b: EtcdMemberView[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((m, i) => {
    const n = b[i];
    return m.name === n.name && m.role === n.role && m.term === n.term && m.leader === n.leader && m.lastIndex === n.lastIndex && m.commitIndex === n.commitIndex;
  });
}

function sameRoles(a: EtcdRoleView[], b: EtcdRoleView[]): boolean {
  return a.length === b.length && a.every((m, i) => m.name === b[i].name && m.role === b[i].role && m.term === b[i].term);
}

export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

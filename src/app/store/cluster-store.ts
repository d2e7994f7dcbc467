// The only bridge between React and the simulation. The store owns one
// Cluster, advances it when told (by the clock loop or a button), and keeps
// snapshots for the UI that are replaced only when what they show changed:
// objects only when etcd's revision moves, the etcd view only when a member's
// role, term or log moved, the wire list only when new messages arrived.
// `now` changes every frame while playing; only the clock reads it.
import { EMPTY_ROW_WINDOW, INITIAL_ROW_RANGE, rowWindow, type RowRange, type RowWindow } from './row-window';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ActionRecord, Cluster, ClusterOptions } from '../../sim/cluster';
import type { ActionOutcome } from '../../sim/cluster/actions';
import type { Action, TimelineEntry } from '../../sim/model';
import { History as HistoryClass, type History, type HistoryOptions } from '../../scenario/history';
import type { EtcdMemberView } from '../../sim/etcd/etcd-cluster';
import type { WireMessage } from '../../sim/kernel/trace';
import { formatClock } from '../format-clock';
import { SPEEDS, type Speed, type StartOptions } from '../url-params';
import { ObjectFeed, ObjectRowList, type ObjectCounts } from './object-feed';
import type { ObjectRow } from './object-rows';
import { recentWire } from './recent-wire';
import { WorkerViewIndex, type WorkerView } from './worker-views';
import { InterestingWatch, runEvents, runInstants, type Interesting, type SearchBudget, type SearchOutcome } from './interesting-events';
import { actionMarkers, mergeMarkers, ObservedMarkers, type TimelineMarker } from './timeline-markers';
import { POINT_LABEL, type NodeMark, type StepPoint } from './explainer-views';
import type { RemoteHost } from '../host/remote-host';

/** How many wire messages the list shows. */
export const WIRE_LIMIT = 50;
/** A frame never advances more wall time than this (a background tab must not replay minutes at once). */
export const MAX_FRAME_MS = 250;
/** What a frame's advance may take in the app (CreateClusterStoreInput.frameBudgetMs): about three frames at 60 fps. */
export const FRAME_BUDGET_MS = 50;
/** "As fast as possible": the wall ms of simulation each frame gets (the rest of a 60 fps frame is the page's). */
export const FASTEST_FRAME_MS = 12;
/** Searches (next extension point, next interesting event) give up after this much work or simulated time. */
export const SEARCH_WALL_MS = 1_500;
export const SEARCH_SIM_MS = 30 * 60_000;

export interface Notice {
  id: number;
  tone: 'warn' | 'error';
  text: string;
}

/** kube-scheduler as the control-plane panel shows it: the one that leads (with several replicas), else the first. */
export interface SchedulerView {
  /** Which replica this is: "kube-scheduler", or "kube-scheduler-2" in a highly available control plane. */
  name: string;
  state: string;
  /** Pods waiting in its queues (activeQ, backoffQ, unschedulable, gated). */
  pending: number;
  /** What its last cycle decided: "default/web → node-b", or why it could not. */
  last?: { pod: string; node?: string; message?: string };
  /** The cycle it is walking (stepping between extension points stops in the middle of one). */
  cycle?: { pod: string; point: string; seq: number };
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
 * "kube-controller-manager", "etcd-1", "kubelet/node-1"; with several
 * control-plane machines "kube-scheduler-2" and the apiservers' load
 * balancer "apiserver-lb"; "cloud-controller-manager" on a cloud).
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
  /** The session is built and shown. False only while the Web Worker builds it (config-max takes it seconds). */
  ready: boolean;
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
  /**
   * The objects table's rows, in the cluster's order: every stored object but Events and Leases (object-feed.ts).
   * Kept where the simulation runs; the page's mirror of a Web Worker holds only `rowWindow` (row-window.ts).
   */
  objects: readonly ObjectRow[];
  /** The rows the table has in view (showRows), with the table's length. */
  rowWindow: RowWindow;
  /** Nodes (ready), pods (running, pending), Events: kept with the rows, so no panel counts 150,000 rows a frame. */
  counts: ObjectCounts;
  etcd: EtcdMemberView[];
  /** etcd members' role and term for the canvas; replaced only when one of them moved. */
  etcdRoles: EtcdRoleView[];
  /** One view per worker node for the canvas; a view is replaced only when what its card shows changed. */
  workers: WorkerView[];
  /** kube-apiserver's state; with several replicas, "running" while any of them serves, else "stopped". */
  apiserver: string;
  scheduler: SchedulerView;
  /** kube-controller-manager's process state (with several replicas: the leader's, else the first's), and the controllers it runs. */
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
  /** The furthest instant reached on this branch of history: the end of the timeline (virtual ms). */
  end: number;
  /** The user's actions on this branch, past and (after a rewind) still ahead, oldest first. */
  timeline: readonly TimelineEntry[];
  /** How many of `timeline` the live cluster has applied; the rest are ahead (they re-apply when played forward). */
  timelineApplied: number;
  /** The timeline's markers (timeline-markers.ts), oldest first: actions, faults, scheduling failures, evictions, forks. */
  markers: readonly TimelineMarker[];
  /** "As fast as possible": each frame runs as much simulation as fits in FASTEST_FRAME_MS; `speed` is kept for later. */
  fastest: boolean;
  /** While running as fast as possible: simulated ms per wall ms lately (null otherwise). */
  achievedSpeed: number | null;
  /** Where the last search (next extension point, next interesting event) stopped and why; null once time moves on. */
  stopReason: string | null;
  /** The inspector's tab for an object: 'summary', 'yaml', 'events' or 'scheduling' (kept while moving between objects). */
  inspectorTab: string;
  /** What the scheduling explainer marks on the node cards (node -> mark); null when it is not shown. */
  schedulingMarks: Readonly<Record<string, NodeMark>> | null;
  /** Counts the live clusters: moves when a rewind or another session replaced it (views that follow one cluster start afresh). */
  clusterEpoch: number;
  /** metrics-server's round (moves every scrape, 15 s) or 'off': usage views recompute then. */
  metricsGeneration: number | 'off';
  /** The session's scenario text, as the history keeps it (sharing, export, the story). */
  scenarioText: string;

  play(): void;
  pause(): void;
  togglePlay(): void;
  setSpeed(speed: Speed): void;
  /** As fast as possible (until a speed is chosen). */
  setFastest(): void;
  /** The next speed up (100x is followed by as fast as possible) or down. */
  speedUp(): void;
  speedDown(): void;
  /** Runs everything up to the next instant at which something happens, and pauses. */
  step(): void;
  /**
   * Runs kernel events until kube-scheduler enters its next extension point
   * (or starts a cycle), pauses there (in the middle of an instant) and
   * opens that pod's Scheduling tab.
   */
  stepPoint(): void;
  /** Runs instant by instant until something interesting happens (interesting-events.ts), and pauses there. */
  runToInteresting(): void;
  /** Back to the latest earlier instant at which a wire message was sent (a rewind). */
  stepBack(): void;
  setInspectorTab(tab: string): void;
  /** The rows [start, end) the objects table shows, margin included: what `rowWindow` holds from now on. */
  showRows(start: number, end: number): void;
  setSchedulingMarks(marks: Readonly<Record<string, NodeMark>> | null): void;
  /** Called by the clock loop with the wall ms since the last frame. */
  advance(wallMs: number): void;
  dismissNotice(id: number): void;
  /** Shows a notice (a gesture's failure, a file that could not be read): one numbering for every caller. */
  notify(tone: Notice['tone'], text: string): void;
  select(selection: Selection | null): void;
  openEditor(doc: EditorDoc): void;
  closeEditor(): void;
  /**
   * A user's action now (the scenario format's verbs), recorded in the action
   * log so the session replays. Returns kubectl's answers; [] when the
   * simulation is halted or not loaded.
   */
  act(action: Action): ActionOutcome[];
  /**
   * Shows the cluster as it was at `t` (or runs on to it), pausing. Rewinding
   * replays from a checkpoint; the branch's later actions stay ahead until
   * the user acts, which forks history and drops them (with a notice).
   */
  seek(t: number): void;
  /** Background work for fast rewinds: builds checkpoints for at most `simMs` of simulated time. False when none is missing. */
  fillCheckpoints(simMs: number): boolean;
  /**
   * Replaces the whole session (a gallery scenario, a file, a share link, an
   * import, a restored autosave): the scenario is built and its actions
   * replayed to `at`, paused there. A scenario that does not load leaves the
   * current one as it was and returns the error text (also shown as a notice).
   */
  openSession(session: OpenSessionInput): string | null;
}

export interface OpenSessionInput {
  scenario: string;
  actions?: readonly TimelineEntry[];
  at?: number;
}

export interface ClusterStore extends StoreApi<ClusterViewState> {
  /**
   * The live simulation when it runs on this thread, for queries (src/app/host/queries.ts); null when loading failed,
   * and always null when it runs in the Web Worker. It changes on a rewind. Read it through host/use-sim-query.ts.
   */
  readonly cluster: Cluster | null;
  /** The session's history (scenario text, actions, checkpoints) on this thread; null when loading failed or in the worker. */
  readonly history: History | null;
  /** Set when the simulation runs in the Web Worker: how queries and actions reach it. */
  readonly host?: RemoteHost;
}

export interface CreateClusterStoreInput {
  /** Parses the scenario and builds its history; any error it throws is shown instead of the cluster. */
  open: () => History;
  start?: Partial<StartOptions>;
  /** How sessions opened later (openSession) are built. */
  historyOptions?: HistoryOptions;
  /** Wall clock in ms, for "as fast as possible" and the searches' budgets (performance.now; a fake in tests). */
  wallClock?: () => number;
  /**
   * Wall ms a frame's advance may take: past it the frame stops after the instant it is running, and the clock
   * shows that instant (a heavy stretch, such as config-max's first second, slows the simulated clock instead of
   * holding the thread, so a click on Pause is answered). Unset: a frame runs to its instant whatever it costs.
   */
  frameBudgetMs?: number;
}

/** The view's data before a cluster has been looked at (this store's start, and the worker's mirror until its first patch). */
export function emptyView(start: Pick<StartOptions, 'speed' | 'fastest'>): Omit<ClusterViewState, FunctionKeys<ClusterViewState>> {
  return {
    load: { ok: true, scenarioName: '' },
    ready: true,
    now: 0,
    playing: false,
    speed: start.speed,
    halted: null,
    nextEventAt: null,
    revision: 0,
    messageCount: 0,
    objects: [],
    rowWindow: EMPTY_ROW_WINDOW,
    counts: { nodes: 0, nodesReady: 0, pods: 0, podsRunning: 0, podsPending: 0, listed: 0, events: 0 },
    etcd: [],
    etcdRoles: [],
    workers: [],
    apiserver: 'unknown',
    scheduler: { name: 'kube-scheduler', state: 'unknown', pending: 0 },
    controllerManager: { state: 'unknown', controllers: 0 },
    wire: [],
    recentWire: [],
    actions: [],
    notices: [],
    selection: null,
    editor: null,
    end: 0,
    timeline: [],
    timelineApplied: 0,
    markers: [],
    fastest: start.fastest === true,
    achievedSpeed: null,
    stopReason: null,
    inspectorTab: 'summary',
    schedulingMarks: null,
    clusterEpoch: 0,
    metricsGeneration: 'off',
    scenarioText: '',
  };
}

/** The view state's method names (what is not data). */
export type FunctionKeys<T> = { [K in keyof T]: T[K] extends (...args: never[]) => unknown ? K : never }[keyof T];

/** The UI keeps fewer wire messages than the CLI: it only ever shows the newest. */
export const UI_CLUSTER_OPTIONS: ClusterOptions = { traceCapacity: 5_000 };

export function createClusterStore(input: CreateClusterStoreInput): ClusterStore {
  const historyOptions: HistoryOptions = input.historyOptions ?? UI_CLUSTER_OPTIONS;
  const start: StartOptions = { startAt: 0, paused: false, speed: 1, notices: [], ...input.start };
  let noticeId = 0;
  const notices: Notice[] = start.notices.map((text) => ({ id: ++noticeId, tone: 'warn', text }));

  let history: History | null = null;
  let load: LoadState;
  try {
    history = input.open();
    load = { ok: true, scenarioName: history.cluster.scenario.name ?? 'untitled scenario' };
  } catch (e) {
    load = { ok: false, error: errorText(e) };
  }

  let halted: string | null = null;
  if (history && start.startAt > 0) {
    try {
      history.runUntil(start.startAt);
    } catch (e) {
      halted = `The simulation stopped with an error: ${errorText(e)}`;
    }
  }

  // The live cluster: the history's, replaced on a rewind (attach() below follows it).
  let cluster: Cluster | null = history?.cluster ?? null;
  // Sim time as the loop accumulates it; the cluster runs to its whole milliseconds.
  let simTime = cluster?.now ?? 0;
  // Objects and worker views follow etcd's change log (object-feed.ts), not a full list per frame.
  let feed = cluster ? objectFeed(cluster) : null;
  const rowList = new ObjectRowList();
  const workerIndex = new WorkerViewIndex();
  // What the objects table shows (showRows): the same range across rewinds and sessions, as its scroll position is.
  let rowRange: RowRange = INITIAL_ROW_RANGE;
  let lastSeq = 0;
  let lastActions = 0;
  let lastTimeline = '';
  const wall = input.wallClock ?? (() => performance.now());
  // Timeline markers: what the cluster reported, kept across rewinds; the feed's writes since the last poll feed it.
  let observed = new ObservedMarkers();
  let lastPollAt = 0;
  let branchMarkers: TimelineMarker[] = [];
  let shownObserved: readonly TimelineMarker[] | null = null;
  // Simulated ms per "as fast as possible" chunk: doubled or halved so a frame stays near its budget.
  let fastChunk = 100;
  let rate = { sim: 0, wall: 0, shownAt: -Infinity };
  // While a search or a fast frame runs the cluster, the view is brought up to date once, at the end.
  let quiet = false;
  let epoch = 1;

  /** The parts of the view that changed since the last call (all of them the first time). */
  const changes = (s: ClusterViewState | null): Partial<ClusterViewState> => {
    if (!cluster) return {};
    const patch: Partial<ClusterViewState> = {};
    if (!s || s.now !== cluster.now) patch.now = cluster.now;
    if (!s || s.revision !== cluster.revision) {
      patch.revision = cluster.revision;
      const update = feed!.poll();
      const window = { from: Math.min(lastPollAt, cluster.now), to: cluster.now };
      lastPollAt = cluster.now;
      if (update.kind === 'reset') {
        rowList.reset(update.objects);
        const c = cluster;
        workerIndex.reset(update.objects, (node) => c.podsOnNode(node));
        observed.reset(update.objects, { from: 0, to: cluster.now });
      } else if (update.kind === 'changes') {
        rowList.apply(update.changes);
        workerIndex.apply(update.changes);
        observed.observe(update.changes, window);
      }
      const objects = rowList.current();
      if (!s || objects !== s.objects) patch.objects = objects;
      const win = rowWindow(objects, rowRange, s?.rowWindow ?? EMPTY_ROW_WINDOW);
      if (!s || win !== s.rowWindow) patch.rowWindow = win;
      const counts = rowList.counts();
      if (!s || counts !== s.counts) patch.counts = counts;
      const workers = workerIndex.current();
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
    // With several replicas (kube-apiserver-2, ...) the views follow the leader (cluster.scheduler, cluster.controllerManager).
    const replicas = cluster.apiserver.replicas;
    const apiserver = replicas.length === 1 ? stateOf(replicas[0].name) : replicas.some((r) => r.running) ? 'running' : 'stopped';
    if (!s || s.apiserver !== apiserver) patch.apiserver = apiserver;
    const kcm = { state: stateOf(cluster.controllerManager.name), controllers: cluster.controllerManager.controllers().length };
    if (!s || s.controllerManager.state !== kcm.state || s.controllerManager.controllers !== kcm.controllers) patch.controllerManager = kcm;
    const scheduler = schedulerView(cluster, stateOf(cluster.scheduler.name));
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
    const end = history!.end;
    if (!s || s.end !== end) patch.end = end;
    // The branch only changes by an action (appended) or a fork (cut), and moves by an action applied: these counts tell.
    const branchKey = `${history!.actions.length}:${history!.pending.length}:${cluster.actions.length}`;
    if (!s || branchKey !== lastTimeline) {
      lastTimeline = branchKey;
      patch.timeline = history!.actions.slice();
      patch.timelineApplied = history!.actions.length - history!.pending.length;
      branchMarkers = actionMarkers(patch.timeline, patch.timelineApplied, cluster.scenario.timeline);
      shownObserved = null;
    }
    const seen = observed.list();
    if (!s || seen !== shownObserved) {
      shownObserved = seen;
      patch.markers = mergeMarkers(branchMarkers, seen);
    }
    const next = cluster.nextEventTime() ?? null;
    if (!s || s.nextEventAt !== next) patch.nextEventAt = next;
    const count = cluster.kernel.trace.count;
    if (!s || s.messageCount !== count) patch.messageCount = count;
    if (!s || s.clusterEpoch !== epoch) patch.clusterEpoch = epoch;
    const generation = cluster.metrics?.generation ?? 'off';
    if (!s || s.metricsGeneration !== generation) patch.metricsGeneration = generation;
    const text = history!.scenario;
    if (!s || s.scenarioText !== text) patch.scenarioText = text;
    return patch;
  };

  const store = createStore<ClusterViewState>()((set, get) => {
    const addNotice = (tone: Notice['tone'], text: string) => set({ notices: [...get().notices, { id: ++noticeId, tone, text }] });
    /** Runs the simulation; an exception halts it with a notice instead of breaking the page. */
    const run = (f: (h: History) => void) => {
      if (!history || get().halted) return;
      try {
        f(history);
        // The history applies a branch action after the cluster moved: what the cluster did not tell, this does.
        follow();
      } catch (e) {
        const text = `The simulation stopped with an error at ${history.now} ms: ${errorText(e)}`;
        set({ playing: false, halted: text });
        addNotice('error', text);
      }
    };
    /** Runs `f` with the view held still, then brings it up to date once. */
    const quietly = <T,>(f: () => T): T => {
      quiet = true;
      try {
        return f();
      } finally {
        quiet = false;
        follow();
      }
    };
    const budget = (): SearchBudget => ({ wallMs: SEARCH_WALL_MS, simMs: SEARCH_SIM_MS, clock: wall });
    /** One "as fast as possible" frame: chunks of simulated time until FASTEST_FRAME_MS of wall time is spent. */
    const fastFrame = (h: History) => {
      const t0 = wall();
      const from = h.now;
      quietly(() => {
        do {
          const c0 = wall();
          h.runUntil(h.now + fastChunk);
          const took = wall() - c0;
          if (took < FASTEST_FRAME_MS / 8) fastChunk = Math.min(fastChunk * 2, 10 * 60_000);
          else if (took > FASTEST_FRAME_MS / 2) fastChunk = Math.max(1, Math.floor(fastChunk / 2));
        } while (wall() - t0 < FASTEST_FRAME_MS);
      });
      simTime = h.now;
      const now = wall();
      rate = { sim: rate.sim + (h.now - from), wall: rate.wall + (now - t0), shownAt: rate.shownAt };
      // The rate shown changes at most twice a second: the label need not re-render every frame.
      if (now - rate.shownAt > 500 && rate.wall > 0) {
        set({ achievedSpeed: rate.sim / Math.max(rate.wall, 1) });
        rate = { sim: 0, wall: 0, shownAt: now };
      }
    };
    return {
      ...emptyView(start),
      load,
      playing: cluster !== null && !start.paused && halted === null,
      halted,
      notices: halted ? [...notices, { id: ++noticeId, tone: 'error', text: halted }] : notices,
      ...changes(null),

      play: () => {
        if (cluster && !get().halted) set({ playing: true, stopReason: null });
      },
      pause: () => set({ playing: false }),
      togglePlay: () => (get().playing ? get().pause() : get().play()),
      setSpeed: (speed) => {
        if (SPEEDS.includes(speed)) set({ speed, fastest: false, achievedSpeed: null });
      },
      setFastest: () => {
        rate = { sim: 0, wall: 0, shownAt: -Infinity };
        set({ fastest: true });
      },
      speedUp: () => {
        const s = get();
        if (s.fastest) return;
        const i = SPEEDS.indexOf(s.speed);
        if (i === SPEEDS.length - 1) get().setFastest();
        else get().setSpeed(SPEEDS[i + 1]);
      },
      speedDown: () => {
        const s = get();
        if (s.fastest) return get().setSpeed(SPEEDS[SPEEDS.length - 1]);
        const i = SPEEDS.indexOf(s.speed);
        if (i > 0) get().setSpeed(SPEEDS[i - 1]);
      },
      step: () => {
        set({ playing: false, stopReason: null });
        run((h) => {
          h.stepInstant();
          simTime = h.now;
        });
      },
      stepPoint: () => {
        set({ playing: false });
        let outcome = 'end' as SearchOutcome;
        run((h) => {
          // The scheduler that leads is read at every event: the search may run through a failover (another replica takes the Lease).
          const start = h.cluster.scheduler;
          const from = { name: start.name, seq: start.cycles, point: start.point };
          const entered = () => {
            const sch = h.cluster.scheduler;
            return sch.cycle !== undefined && sch.point !== 'idle' && (sch.name !== from.name || sch.cycles !== from.seq || sch.point !== from.point);
          };
          outcome = quietly(() => runEvents(h, entered, budget()));
          simTime = h.now;
        });
        const sch = cluster?.scheduler;
        if (outcome === 'found' && sch?.cycle) {
          const label = POINT_LABEL[sch.point as StepPoint] ?? sch.point;
          set({
            stopReason: `${sch.name}: ${label} for ${sch.cycle.pod}`,
            selection: { type: 'object', key: `Pod/${sch.cycle.pod}` },
            inspectorTab: 'scheduling',
          });
        } else set({ stopReason: searchMiss(outcome, 'kube-scheduler started no cycle', cluster?.now ?? 0) });
      },
      runToInteresting: () => {
        set({ playing: false });
        let outcome = 'end' as SearchOutcome;
        let found: Interesting[] = [];
        run((h) => {
          const c = h.cluster;
          const watch = new InterestingWatch({
            get revision() {
              return c.revision;
            },
            eventsFrom: (r) => c.etcd.store.eventsFrom(r),
            actions: c.actions,
          });
          outcome = quietly(() => runInstants(h, () => (found = watch.poll()).length > 0, budget()));
          simTime = h.now;
        });
        if (outcome === 'found') {
          const more = found.length > 1 ? ` (and ${found.length - 1} more)` : '';
          set({ stopReason: `${found[0].text}${more}` });
        } else set({ stopReason: searchMiss(outcome, 'nothing interesting happened', cluster?.now ?? 0) });
      },
      stepBack: () => {
        const c = cluster;
        if (!c || c.now === 0) return;
        // The trace is the live cluster's own, so every message in it is at or before now.
        const messages = c.trace();
        let prev = 0;
        for (let i = messages.length - 1; i >= 0; i--)
          if (messages[i].t < c.now) {
            prev = messages[i].t;
            break;
          }
        get().seek(prev);
      },
      setInspectorTab: (tab) => {
        if (get().inspectorTab !== tab) set({ inspectorTab: tab });
      },
      showRows: (start, end) => {
        rowRange = { start, end };
        const s = get();
        const win = rowWindow(s.objects, rowRange, s.rowWindow);
        if (win !== s.rowWindow) set({ rowWindow: win });
      },
      setSchedulingMarks: (marks) => {
        if (!sameMarks(get().schedulingMarks, marks)) set({ schedulingMarks: marks });
      },
      advance: (wallMs) => {
        const s = get();
        if (!s.playing || !(wallMs > 0)) return;
        if (s.fastest) return run((h) => fastFrame(h));
        run((h) => {
          // Rounded to a microsecond so ten frames of 1.6 ms make 16 ms, not 15.999.
          simTime = Math.round((Math.max(simTime, h.now) + Math.min(wallMs, MAX_FRAME_MS) * s.speed) * 1000) / 1000;
          const target = Math.floor(simTime);
          if (target <= h.now) return;
          if (input.frameBudgetMs === undefined) return h.runUntil(target);
          // Instant by instant (each one whole, as every replay runs it) until the budget is spent.
          const t0 = wall();
          while (h.now < target) {
            const next = h.nextEventTime();
            h.runUntil(next === undefined || next > target ? target : Math.max(next, h.now));
            if (h.now < target && wall() - t0 > input.frameBudgetMs) {
              simTime = h.now;
              return;
            }
          }
        });
      },
      dismissNotice: (id) => set({ notices: get().notices.filter((n) => n.id !== id) }),
      notify: (tone, text) => addNotice(tone, text),
      select: (selection) => {
        const cur = get().selection;
        if (cur === selection || (cur && selection && sameSelection(cur, selection))) return;
        set({ selection });
      },
      openEditor: (doc) => set({ editor: doc }),
      closeEditor: () => set({ editor: null }),
      act: (action) => {
        let out: ActionOutcome[] = [];
        run((h) => {
          // Behind the furthest instant reached, acting forks history even when no action of the user lies ahead.
          const end = h.end;
          const { outcomes, dropped } = h.act(action);
          out = outcomes;
          simTime = h.now;
          if (dropped.length > 0 || h.now < end) {
            // What was seen after the fork belongs to the history that was dropped.
            observed.forget(h.now);
            observed.fork(h.now, dropped);
            const what =
              dropped.length > 0
                ? `${dropped.length === 1 ? 'the later action was' : `the ${dropped.length} later actions were`} dropped (${dropped
                    .slice(0, 3)
                    .map((a) => `${a.action} at ${formatClock(a.at)}`)
                    .join(', ')}${dropped.length > 3 ? ', ...' : ''})`
                : `what happened after it, up to ${formatClock(end)}, is gone`;
            addNotice('warn', `You acted in the past, so history forked at ${formatClock(h.now)}: ${what}. The timeline marks the fork: from here on, this is a new branch.`);
          }
        });
        return out;
      },
      seek: (t) => {
        set({ playing: false, stopReason: null });
        run((h) => {
          h.seek(t);
          simTime = h.now;
        });
      },
      openSession: (session) => {
        let next: History;
        try {
          next = HistoryClass.open({ scenario: session.scenario, actions: [...(session.actions ?? [])], at: session.at ?? 0 }, historyOptions);
        } catch (e) {
          const text = `The scenario could not be opened; the current one is unchanged. ${errorText(e)}`;
          addNotice('error', text);
          return text;
        }
        observed = new ObservedMarkers();
        adopt(next, true);
        simTime = next.now;
        store.setState({
          ...changes(null),
          load: { ok: true, scenarioName: next.cluster.scenario.name ?? 'untitled scenario' },
          playing: false,
          halted: null,
          selection: null,
          editor: null,
        });
        return null;
      },
      fillCheckpoints: (simMs) => {
        if (!history || get().halted) return false;
        try {
          return history.fill(simMs);
        } catch {
          // A replay that throws is the live run's problem too; it will say so there.
          return false;
        }
      },
    };
  });

  // Whoever moves the cluster (the loop, a button, a rewind), the view follows.
  const follow = () => {
    if (quiet) return;
    const patch = changes(store.getState());
    if (Object.keys(patch).length > 0) store.setState(patch);
  };
  let unsubscribe: (() => void) | undefined;
  /** A new live cluster (a rewind, or a new session): its own etcd and trace, so every derived view starts afresh. */
  const attach = (next: Cluster) => {
    unsubscribe?.();
    cluster = next;
    epoch++;
    // The feed starts with a reset: the rows and node cards that are the same keep their identity, so a rewind
    // redraws and (from the Web Worker) sends only what differs, not 150,000 rows and 5,000 cards.
    feed = objectFeed(next);
    lastSeq = 0;
    lastActions = 0;
    lastTimeline = '';
    lastPollAt = 0;
    unsubscribe = next.subscribe(follow);
  };
  /** Follows a history's live cluster; `fresh` when its views were not computed yet (a new session). */
  const adopt = (h: History, fresh: boolean) => {
    history = h;
    if (fresh) attach(h.cluster);
    else unsubscribe = h.cluster.subscribe(follow);
    h.onReplace((next) => {
      if (history !== h) return;
      attach(next);
      store.setState({ ...changes(null) });
    });
  };
  if (history) adopt(history, false);


  return Object.defineProperties(store, {
    cluster: { get: () => cluster, enumerable: true },
    history: { get: () => history, enumerable: true },
  }) as ClusterStore;
}

function objectFeed(c: Cluster): ObjectFeed {
  return new ObjectFeed({
    get revision() {
      return c.revision;
    },
    eventsFrom: (revision) => c.etcd.store.eventsFrom(revision),
    objects: () => c.objects(),
  });
}

function sameMarks(a: Readonly<Record<string, NodeMark>> | null, b: Readonly<Record<string, NodeMark>> | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** Why a search stopped without finding: out of time, or the end of everything. */
function searchMiss(outcome: SearchOutcome, what: string, now: number): string {
  return outcome === 'end' ? `Nothing is left to happen: ${what}.` : `Stopped looking at ${formatClock(now)}: ${what} yet. Press again to keep looking.`;
}

function sameSelection(a: Selection, b: Selection): boolean {
  return a.type === 'object' ? b.type === 'object' && a.key === b.key : b.type === 'component' && a.name === b.name;
}

function schedulerView(c: Cluster, state: string): SchedulerView {
  const sch = c.scheduler;
  const l = sch.lastCycle;
  const cy = sch.cycle;
  return {
    name: sch.name,
    state,
    pending: sch.running ? sch.pendingCount() : 0,
    ...(l ? { last: { pod: l.pod, node: l.node, message: l.message } } : {}),
    ...(cy ? { cycle: { pod: cy.pod, point: sch.point, seq: cy.seq } } : {}),
  };
}

function sameScheduler(a: SchedulerView, b: SchedulerView): boolean {
  return (
    a.name === b.name &&
    a.state === b.state &&
    a.pending === b.pending &&
    a.last?.pod === b.last?.pod &&
    a.last?.node === b.last?.node &&
    a.last?.message === b.last?.message &&
    a.cycle?.seq === b.cycle?.seq &&
    a.cycle?.point === b.cycle?.point
  );
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

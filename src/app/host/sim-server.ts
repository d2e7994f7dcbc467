// The simulation's side of the worker boundary: the same store the main
// thread runs in tests (createClusterStore, with its History and Cluster)
// and the kubectl console's session, driven by messages (protocol.ts).
// After each message it posts what of the view state changed: plain fields
// by identity, the objects table and the node cards as keyed deltas, the
// wire as the messages sent since the last post. While nothing asks for
// work it builds rewind checkpoints in small slices (as the main thread
// does in idle callbacks), so the page never pays for them.
import { createClusterStore, errorText, FRAME_BUDGET_MS, UI_CLUSTER_OPTIONS, type ClusterStore, type ClusterViewState } from '../store/cluster-store';
import { ConsoleSession, type ConsoleState } from '../store/console-session';
import type { WireMessage } from '../../sim/kernel/trace';
import { openBootSource, planLaunch, type BootSource } from '../session/boot';
import type { LaunchInputs } from '../session/launch-inputs';
import type { StartOptions } from '../url-params';
import { diffKeyed, isEmptyDelta, type KeyedDelta, type ListOrder } from '../store/keyed-delta';
import { WORKER_ORDER, type WorkerView } from '../store/worker-views';
import { MAIN_OWNED, type FromWorker, type StatePatch, type ToWorker, type ViewData } from './protocol';
import { runQuery, type QueryArgs, type QueryName } from './queries';
import { performAll } from './remote-host';


/** The fields that travel some other way than by value; the objects table's rows not at all (the page asks for a window of them). */
const LISTS = new Set<string>(['objects', 'workers', 'wire', 'recentWire']);

/**
 * Node cards per message when the whole list is sent (a new session, a
 * rewind): the main thread reads each message in one task, and 5,000 cards
 * with their 150,000 pods at once took it most of a second; slices of this size take tens of ms.
 */
export const CARDS_PER_MESSAGE = 1_000;

/** Checkpoint slices: simulated ms per slice, adapted so one takes about SLICE_WALL_MS. */
const SLICE_WALL_MS = 5;
const RECHECK_MS = 3_000;

export interface ServerTimers {
  /** Wall ms (performance.now in the worker). */
  now(): number;
  /** Runs `fn` after `ms` wall ms, behind any message already queued. */
  later(fn: () => void, ms: number): void;
}

/** A session built before the page asked for it, with what building it said. */
interface Built {
  /** The boot it answers: its source and start options (bootKey). */
  key: string;
  store: ClusterStore;
  saved: string | null;
  notices: string[];
}

/** Two boots build the same session when their sources and start options are equal as data. */
const bootKey = (source: BootSource, start: StartOptions): string => JSON.stringify([source, start]);

export class SimServer {
  private store: ClusterStore | null = null;
  private prepared: Built | null = null;
  private console: ConsoleSession | null = null;
  private posted: Record<string, unknown> = {};
  private postedWorkers: readonly WorkerView[] = [];
  private postedWire: readonly WireMessage[] | null = null;
  private postedRecent: readonly WireMessage[] = [];
  private postedEpoch = -1;
  private postedConsole: ConsoleState | null = null;
  private fillSlice = 10_000;
  private filling = false;

  constructor(
    private readonly send: (message: FromWorker) => void,
    private readonly timers: ServerTimers,
    private readonly cardsPerMessage = CARDS_PER_MESSAGE,
  ) {}

  handle(m: ToWorker): void {
    if (m.type === 'prepare') return this.prepare(m.launch);
    if (m.type === 'boot') return this.boot(m);
    const store = this.store;
    if (!store) return;
    switch (m.type) {
      case 'command': {
        const fn = store.getState()[m.name] as (...args: unknown[]) => unknown;
        fn(...m.args);
        return this.flush({ owned: MAIN_OWNED[m.name] });
      }
      case 'advance':
        store.getState().advance(m.wallMs);
        return this.flush({ advanced: true });
      case 'query': {
        const c = store.cluster;
        if (!c) return this.send({ type: 'reply', id: m.id, ok: false, error: 'no cluster is loaded' });
        try {
          const value = runQuery(c, m.name, m.args as QueryArgs<QueryName>);
          this.send({ type: 'reply', id: m.id, ok: true, value });
        } catch (e) {
          this.send({ type: 'reply', id: m.id, ok: false, error: errorText(e) });
        }
        return;
      }
      case 'open':
        store.getState().openSession(m.session);
        this.flush({});
        return this.send({ type: 'reply', id: m.id, ok: true, value: null });
      case 'act': {
        this.send({ type: 'acted', id: m.id, outcomes: performAll(store, m.actions) });
        return this.flush({});
      }
      case 'console': {
        const c = this.console!;
        const cmd = m.command;
        if (cmd.op === 'run') c.run(cmd.line);
        else if (cmd.op === 'interrupt') c.interrupt(cmd.current);
        else c.clear();
        return this.flush({});
      }
    }
  }

  /**
   * Builds the session the page is about to ask for, while the page's own bundle loads (at config-max the build is
   * most of the time to the first frame). Nothing is posted: the page is not listening yet, and 'boot' decides.
   */
  private prepare(launch: LaunchInputs): void {
    this.send({ type: 'preparing' });
    if (this.store || this.prepared) return;
    const plan = planLaunch(launch, UI_CLUSTER_OPTIONS);
    this.prepared = this.build(plan.source, plan.start);
  }

  private build(source: BootSource, start: StartOptions): Built {
    let saved: string | null = null;
    let notices: string[] = [];
    const store = createClusterStore({
      open: () => {
        const opened = openBootSource(source, UI_CLUSTER_OPTIONS);
        saved = opened.saved;
        notices = opened.notices;
        return opened.history;
      },
      start,
      wallClock: () => this.timers.now(),
      frameBudgetMs: FRAME_BUDGET_MS,
    });
    return { key: bootKey(source, start), store, saved, notices };
  }

  private boot(m: Extract<ToWorker, { type: 'boot' }>): void {
    const key = bootKey(m.source, m.start);
    // The prepared session, if the page planned the same one (it plans from the same inputs); else built now.
    const { store, saved, notices } = this.prepared?.key === key ? this.prepared : this.build(m.source, m.start);
    this.prepared = null;
    this.store = store;
    this.console = new ConsoleSession(this.store);
    // The page has its own starting values for what it owns (and may have changed them already, say by opening
    // the editor while this was building): only later changes made here (a step that selects a pod) are posted.
    const initial = this.store.getState() as unknown as Record<string, unknown>;
    for (const fields of Object.values(MAIN_OWNED)) for (const k of fields) this.posted[k] = initial[k];
    this.send({ type: 'booted', saved, laterNotices: notices });
    this.flush({});
    this.scheduleFill(0);
  }

  /** Posts what changed since the last post (everything the first time). */
  private flush(opts: { owned?: readonly (keyof ClusterViewState)[]; advanced?: boolean }): void {
    const store = this.store!;
    const s = store.getState() as unknown as Record<string, unknown>;
    // The main thread already shows what its own setter changed; posting it back could undo a newer choice.
    for (const k of opts.owned ?? []) this.posted[k] = s[k];
    const data: Record<string, unknown> = {};
    let any = false;
    for (const k in s) {
      const v = s[k];
      if (typeof v === 'function' || LISTS.has(k) || this.posted[k] === v) continue;
      data[k] = v;
      this.posted[k] = v;
      any = true;
    }
    const patch: StatePatch = { type: 'state', data: data as Partial<ViewData> };
    const state = store.getState();
    const first = this.postedEpoch === -1;
    const workers = this.listDelta(state.workers, this.postedWorkers, WORKER_ORDER, first);
    if (workers) {
      patch.workers = workers;
      this.postedWorkers = state.workers;
    }
    if (state.wire !== this.postedWire) {
      patch.wire = state.wire;
      this.postedWire = state.wire;
    }
    if (state.clusterEpoch !== this.postedEpoch) {
      patch.traceReset = true;
      patch.trace = state.recentWire.slice();
      this.postedEpoch = state.clusterEpoch;
    } else if (state.recentWire !== this.postedRecent) {
      const lastSeq = this.postedRecent.length > 0 ? this.postedRecent[this.postedRecent.length - 1].seq : -1;
      const recent = state.recentWire;
      let i = recent.length;
      while (i > 0 && recent[i - 1].seq > lastSeq) i--;
      if (i < recent.length) patch.trace = recent.slice(i);
    }
    this.postedRecent = state.recentWire;
    const con = this.console?.getState() ?? null;
    if (con && con !== this.postedConsole) {
      patch.console = con;
      this.postedConsole = con;
    }
    if (opts.advanced) patch.advanced = true;
    const rest = slices(patch.workers, this.cardsPerMessage, (workers) => ({ workers }));
    if (rest.length > 0) patch.more = true;
    if (any || patch.workers || patch.wire || patch.trace || patch.console || patch.advanced) this.send(patch);
    // The rest of a whole list follows in its own messages, in order (keyed-delta.ts places each slice after the last).
    rest.forEach((slice, i) => this.send({ type: 'state', data: {}, ...slice, ...(i < rest.length - 1 ? { more: true as const } : {}) }));
  }

  private listDelta<T>(next: readonly T[], prev: readonly T[], order: ListOrder<T>, first: boolean): KeyedDelta<T> | null {
    if (first) return { reset: true, upserts: next.slice(), removed: [] };
    if (next === prev) return null;
    const d = diffKeyed(prev, next, order);
    return isEmptyDelta(d) ? null : d;
  }

  /** Rewind checkpoints while idle: a slice now and then, behind whatever the main thread asked. */
  private scheduleFill(ms: number): void {
    if (this.filling) return;
    this.filling = true;
    this.timers.later(() => {
      this.filling = false;
      this.fillOnce();
    }, ms);
  }

  private fillOnce(): void {
    const store = this.store;
    if (!store) return;
    const s = store.getState();
    if (s.halted) return this.scheduleFill(RECHECK_MS);
    const t0 = this.timers.now();
    const more = s.fillCheckpoints(this.fillSlice);
    const took = this.timers.now() - t0;
    if (took > SLICE_WALL_MS) this.fillSlice = Math.max(100, this.fillSlice / 2);
    else if (took < SLICE_WALL_MS / 4) this.fillSlice = Math.min(60_000, this.fillSlice * 2);
    this.scheduleFill(more ? 0 : RECHECK_MS);
  }
}

/** Cuts a big delta (a whole list, a rewind's) down to its first slice; the other slices follow as deltas of upserts only. */
function slices<T>(delta: KeyedDelta<T> | undefined, size: number, wrap: (d: KeyedDelta<T>) => Partial<StatePatch>): Partial<StatePatch>[] {
  if (!delta || delta.upserts.length <= size) return [];
  const all = delta.upserts;
  delta.upserts = all.slice(0, size);
  const out: Partial<StatePatch>[] = [];
  for (let i = size; i < all.length; i += size) out.push(wrap({ reset: false, upserts: all.slice(i, i + size), removed: [] }));
  return out;
}

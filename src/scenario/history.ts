// Time travel over a session: the live cluster, the user's actions on this
// branch of history (past and, after a rewind, future), and checkpoints to
// rewind from.
//
// A Cluster only moves forward and cannot be copied (its components hold
// closures and actors), so "the cluster as it was at t" is always a replay:
// the scenario rebuilt and its actions re-applied at their instants, which
// determinism makes exact. Checkpoints make it fast: paused clusters at
// fixed instants (every `checkpointEvery` ms of simulated time), built in
// the background by `fill()`, so a rewind replays at most one interval. A
// checkpoint that is rewound to becomes the live cluster (it cannot be
// shared); the cluster that was live is kept as a checkpoint in its place,
// so scrubbing back and forth stays cheap.
//
// Acting in the past forks history: the branch's later actions are dropped
// (and returned, so the UI can tell the user), with every checkpoint that
// lay beyond the fork.
import type { Cluster } from '../sim/cluster';
import type { ActionOutcome } from '../sim/cluster/actions';
import type { Action, TimelineEntry } from '../sim/model';
import { loadScenario, type LoadOptions } from './load';
import { actionOf, type Session } from './session';

export interface HistoryOptions extends LoadOptions {
  /** Simulated ms between checkpoints (default 5 minutes). */
  checkpointEvery?: number;
  /** At most this many checkpoints are kept (default: 24, two hours at the default spacing, fewer for big clusters). */
  maxCheckpoints?: number;
}

interface Checkpoint {
  /** The instant the cluster is paused at. */
  at: number;
  /** How many of the branch's actions it has applied. */
  applied: number;
  cluster: Cluster;
}

/** A cluster being replayed in the background towards a missing checkpoint. */
interface Builder {
  target: number;
  applied: number;
  cluster: Cluster;
}

export interface ActResult {
  outcomes: ActionOutcome[];
  /** The branch's later actions that acting now dropped (empty unless the user acted in the past). */
  dropped: TimelineEntry[];
}

export const DEFAULT_CHECKPOINT_EVERY = 5 * 60_000;
/** Objects across all checkpoints, roughly: 24 of the default scenario, 1 of a running 1,000-node cluster, none of config-max. */
const CHECKPOINT_OBJECT_BUDGET = 20_000;

export class History {
  private live: Cluster;
  /** Actions of this branch with their instants; the live cluster has applied the first `applied`. */
  private branch: TimelineEntry[];
  private applied = 0;
  private checkpoints: Checkpoint[] = [];
  private builder: Builder | null = null;
  /** The furthest instant this branch has been run to: checkpoints are built up to it. */
  private frontier = 0;
  private readonly every: number;
  /** The most objects the live cluster has held: what one checkpoint costs, roughly. */
  private heaviest = 0;
  private listeners = new Set<(c: Cluster) => void>();
  /** How many times the scenario was built from scratch for the live cluster (the slow path; for tests and benchmarks). */
  rebuilds = 0;

  constructor(
    readonly scenario: string,
    private readonly options: HistoryOptions = {},
    actions: readonly TimelineEntry[] = [],
  ) {
    this.every = options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
    this.branch = actions.map((a) => ({ ...a }));
    this.live = this.fresh();
  }

  /** Opens a saved or shared session at its instant, with its actions as the branch. */
  static open(session: Session, options: HistoryOptions = {}): History {
    const h = new History(session.scenario, options, session.actions);
    h.runUntil(session.at);
    return h;
  }

  /** The cluster the user sees. It changes identity on a rewind: see onReplace. */
  get cluster(): Cluster {
    return this.live;
  }

  get now(): number {
    return this.live.now;
  }

  /** Every action of this branch, past and future. */
  get actions(): readonly TimelineEntry[] {
    return this.branch;
  }

  /** The actions still ahead of the live cluster (after a rewind). */
  get pending(): readonly TimelineEntry[] {
    return this.branch.slice(this.applied);
  }

  /** The furthest instant reached on this branch: the end of the timeline. */
  get end(): number {
    return Math.max(this.frontier, this.live.now);
  }

  /** The session as it stands: the past actions only, at the live instant. */
  session(): Session {
    return { scenario: this.scenario, actions: this.branch.slice(0, this.applied).map((a) => ({ ...a })), at: this.live.now };
  }

  /** Called with the new live cluster whenever a rewind replaces it. */
  onReplace(listener: (c: Cluster) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs the live cluster to `t`, re-applying this branch's later actions at their instants. */
  runUntil(t: number): void {
    advance(this.live, this.branch, this.applied, t, (n) => (this.applied = n));
    this.frontier = Math.max(this.frontier, this.live.now);
  }

  /** When the next thing happens: an event of the cluster or an action of this branch. */
  nextEventTime(): number | undefined {
    const ev = this.live.nextEventTime();
    const act = this.branch[this.applied]?.at;
    if (act === undefined) return ev;
    return ev === undefined ? act : Math.min(ev, act);
  }

  /** Runs everything at the next instant at which something happens. False when nothing is left. */
  stepInstant(): boolean {
    const next = this.nextEventTime();
    if (next === undefined) return false;
    this.runUntil(Math.max(next, this.live.now));
    return true;
  }

  /** A user action now. In the past (actions ahead on the branch), it forks: those are dropped. */
  act(action: Action): ActResult {
    const dropped = this.branch.slice(this.applied);
    // Behind the furthest instant reached, the later history no longer holds, even with no action in it:
    // its checkpoints would show a future without this action.
    const past = dropped.length > 0 || this.live.now < this.frontier;
    if (past) {
      this.branch = this.branch.slice(0, this.applied);
      this.checkpoints = this.checkpoints.filter((c) => c.at <= this.live.now && c.applied <= this.applied);
      this.builder = null;
    }
    // Settle first: whatever is due now runs before the action, as it will on every replay.
    this.live.runUntil(this.live.now);
    // On the branch before it runs, so whoever the cluster notifies sees it there.
    this.branch.push({ ...action, at: this.live.now } as TimelineEntry);
    this.applied = this.branch.length;
    const outcomes = this.live.act(action);
    if (past) this.frontier = this.live.now;
    return { outcomes, dropped };
  }

  /**
   * Shows the cluster as it was (or will be) at `t`: from the live cluster
   * when it is not past `t`, else from the latest checkpoint at or before
   * `t`, else rebuilt from the scenario. Returns true when the live cluster
   * was replaced.
   */
  seek(t: number): boolean {
    const target = Math.max(0, Math.round(t));
    let best: Checkpoint | null = null;
    for (const c of this.checkpoints) if (c.at <= target && (!best || c.at > best.at)) best = c;
    const liveUsable = this.live.now <= target;
    if (liveUsable && (!best || best.at <= this.live.now)) {
      this.runUntil(target);
      return false;
    }
    const previous: Checkpoint = { at: this.live.now, applied: this.applied, cluster: this.live };
    if (best) {
      this.checkpoints = this.checkpoints.filter((c) => c !== best);
      this.live = best.cluster;
      this.applied = best.applied;
    } else {
      this.live = this.fresh();
      this.applied = 0;
      this.rebuilds++;
    }
    this.keep(previous);
    this.runUntil(target);
    for (const l of this.listeners) l(this.live);
    return true;
  }

  /**
   * Background work: advances the checkpoint builder by at most `simMs` of
   * simulated time. Returns false when every checkpoint up to the frontier
   * exists. Call it when the app is idle.
   */
  fill(simMs: number): boolean {
    if (!this.builder) {
      const target = this.missing();
      if (target === undefined) return false;
      this.builder = { target, applied: 0, cluster: this.fresh() };
    }
    const b = this.builder;
    const until = Math.min(b.target, b.cluster.now + simMs);
    advance(b.cluster, this.branch, b.applied, until, (n) => (b.applied = n));
    if (b.cluster.now >= b.target) {
      this.builder = null;
      this.keep({ at: b.target, applied: b.applied, cluster: b.cluster });
    }
    return this.missing() !== undefined || this.builder !== null;
  }

  /** The instants checkpoints are kept at (for tests and the timeline). */
  checkpointInstants(): number[] {
    return this.checkpoints.map((c) => c.at).sort((a, b) => a - b);
  }

  /**
   * How many checkpoints to keep. Each is a whole cluster, so a big one gets
   * fewer (none past CHECKPOINT_OBJECT_BUDGET objects); sized by the most
   * objects the cluster has held, since a cluster grows as it runs (1,000
   * nodes start with about 1,000 objects and hold 13,500 a minute later).
   */
  private capacity(): number {
    if (this.options.maxCheckpoints !== undefined) return this.options.maxCheckpoints;
    this.heaviest = Math.max(this.heaviest, this.live.etcd.store.size);
    return Math.min(24, Math.floor(CHECKPOINT_OBJECT_BUDGET / Math.max(1, this.heaviest)));
  }

  /** The first grid instant up to the frontier with no checkpoint at or just after it (within one interval). */
  private missing(): number | undefined {
    const limit = Math.min(this.end, this.every * this.capacity());
    for (let at = this.every; at <= limit; at += this.every) {
      const covered = this.checkpoints.some((c) => c.at >= at && c.at < at + this.every) || (this.live.now >= at && this.live.now < at + this.every);
      if (!covered) return at;
    }
    return undefined;
  }

  /** Keeps a paused cluster as a checkpoint unless another already covers its interval. */
  private keep(c: Checkpoint): void {
    if (c.at === 0) return; // rebuilding from the scenario is as fast
    const slot = Math.floor(c.at / this.every);
    const rival = this.checkpoints.find((k) => Math.floor(k.at / this.every) === slot);
    if (rival) {
      // The later one of an interval saves more replay for the instants after it.
      if (rival.at >= c.at) return;
      this.checkpoints = this.checkpoints.filter((k) => k !== rival);
    }
    this.checkpoints.push(c);
    const capacity = this.capacity();
    while (this.checkpoints.length > capacity) {
      // Drop the one whose loss costs least: the closest to its earlier neighbour.
      const sorted = [...this.checkpoints].sort((a, b) => a.at - b.at);
      let drop = sorted[0];
      let gap = Infinity;
      sorted.forEach((k, i) => {
        const g = k.at - (i > 0 ? sorted[i - 1].at : 0);
        if (g < gap) {
          gap = g;
          drop = k;
        }
      });
      this.checkpoints = this.checkpoints.filter((k) => k !== drop);
    }
  }

  private fresh(): Cluster {
    return loadScenario(this.scenario, this.options).cluster;
  }
}

/** Runs `cluster` to `t`, applying the branch's actions from index `from` whose instant is at or before `t`. */
function advance(cluster: Cluster, branch: readonly TimelineEntry[], from: number, t: number, applied: (n: number) => void): void {
  let i = from;
  while (i < branch.length && branch[i].at <= t) {
    const entry = branch[i];
    // Always, even at the same instant: an action meets the cluster settled (History.act does the same).
    cluster.runUntil(entry.at);
    cluster.act(actionOf(entry));
    i++;
    applied(i);
  }
  // At the same instant too: a step runs what is due now.
  if (t >= cluster.now) cluster.runUntil(t);
}

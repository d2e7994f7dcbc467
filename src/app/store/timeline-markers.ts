// The timeline's markers (issue 7), as plain data: the actions of this
// branch of history (the user's, past and still ahead after a rewind), the
// scenario's own timeline, faults among them, and what the cluster reported:
// scheduling failures, evictions, nodes leaving Ready or deleted because
// their cloud instance is gone (interesting-events.ts).
//
// Observed markers are kept by changes, never by a scan per frame: the
// store hands over etcd's writes as its object feed polls them, with the
// span of simulated time the poll covered. Events carry only a second
// (lastTimestamp), so a marker sits at the latest instant it can have
// happened: the end of that second, or the end of the poll if sooner. A
// rewind replays the same writes with the same ids (determinism), so they
// merge into the markers already there; forking drops those past the fork.
import type { Event, KubeObject } from '../../sim/api/types';
import { virtualMs } from '../../sim/kernel/time';
import type { TimelineEntry } from '../../sim/model';
import { changeInteresting, describeAction, FAULT_VERBS, objectInteresting, type InterestingKind } from './interesting-events';
import type { ObjectChange } from './object-feed';

export type MarkerKind = 'user' | 'scenario' | 'fork' | 'scheduling-failed' | 'eviction' | 'node-not-ready' | 'leader-change';

export interface TimelineMarker {
  id: string;
  kind: MarkerKind;
  /** Virtual ms. */
  at: number;
  /** An action that breaks something (powerOff, stopComponent, ...). */
  fault: boolean;
  /** A user action of this branch not applied yet (after a rewind): it re-applies when played forward; acting now drops it. */
  ahead: boolean;
  label: string;
}

/** The simulated span a poll of etcd's writes covered: they happened after `from` and by `to`. */
export interface PollWindow {
  from: number;
  to: number;
}

/** Observed markers kept at most; past it the oldest go (a long session of a failing cluster). */
export const MAX_OBSERVED = 2_000;

/**
 * What the cluster reports that the timeline marks, and as what. A Node
 * deleted by cloud-node-lifecycle-controller (DeletingNode) was not Ready
 * first (the controller deletes only those): it is marked as a node leaving.
 * A leader change (a leader-election Lease taken over, interesting-events.ts)
 * has its own kind.
 */
const OBSERVED_KINDS: ReadonlyMap<InterestingKind, MarkerKind> = new Map<InterestingKind, MarkerKind>([
  ['scheduling-failed', 'scheduling-failed'],
  ['eviction', 'eviction'],
  ['node-not-ready', 'node-not-ready'],
  ['node-deleted', 'node-not-ready'],
  ['leader-change', 'leader-change'],
]);

/** Markers for the branch's actions (the first `applied` are past) and the scenario's timeline. */
export function actionMarkers(branch: readonly TimelineEntry[], applied: number, scenario: readonly TimelineEntry[]): TimelineMarker[] {
  const out: TimelineMarker[] = [];
  scenario.forEach((a, i) => out.push({ id: `scenario:${i}`, kind: 'scenario', at: a.at, fault: FAULT_VERBS.has(a.action), ahead: false, label: `Scenario: ${describeAction(a)}` }));
  branch.forEach((a, i) =>
    out.push({ id: `user:${i}:${a.at}`, kind: 'user', at: a.at, fault: FAULT_VERBS.has(a.action), ahead: i >= applied, label: `${i >= applied ? 'Ahead (re-applies when played): ' : 'You: '}${describeAction(a)}` }),
  );
  return out.sort(byTime);
}

/** What the cluster reported, marker by marker, merged across rewinds. */
export class ObservedMarkers {
  private byId = new Map<string, TimelineMarker>();
  private sorted: TimelineMarker[] = [];
  private dirty = false;

  /** Writes from one poll of etcd's change log. */
  observe(changes: readonly ObjectChange[], window: PollWindow): void {
    for (const c of changes) {
      const found = changeInteresting(c);
      const kind = found && OBSERVED_KINDS.get(found.kind);
      if (found && kind) this.put(found.id, kind, instant(found.second, window), found.text);
    }
  }

  /** Every stored object (a first look, or a fresh cluster after a rewind): what they say happened by `window.to`. */
  reset(objects: readonly KubeObject[], window: PollWindow): void {
    for (const o of objects) {
      if (o.kind !== 'Event' && o.kind !== 'Node' && o.kind !== 'Lease') continue;
      const found = objectInteresting(o);
      const kind = found && OBSERVED_KINDS.get(found.kind);
      if (!found || !kind) continue;
      this.put(found.id, kind, instant(found.second, window), found.text);
      // A repeated Event also tells when it first happened; the repeats in between are not known.
      const e = o as unknown as Event;
      if ((e.count ?? 1) > 1 && e.firstTimestamp) this.put(found.id.replace(/#\d+$/, '#1'), kind, instant(virtualMs(e.firstTimestamp), window), found.text);
    }
  }

  /** A fork at `at`: what was seen later belongs to a history that will not happen. */
  forget(after: number): void {
    for (const [id, m] of this.byId) if (m.at > after) this.byId.delete(id);
    this.dirty = true;
  }

  /** A fork marker: where history was cut, and what was dropped. */
  fork(at: number, dropped: readonly TimelineEntry[]): void {
    const what = dropped.map((a) => describeAction(a)).slice(0, 3).join(', ');
    const more = dropped.length > 3 ? `, and ${dropped.length - 3} more` : '';
    const label =
      dropped.length > 0
        ? `History forked here: dropped ${dropped.length === 1 ? 'the later action' : `${dropped.length} later actions`} (${what}${more})`
        : 'History forked here: the later history was replaced';
    this.put(`fork:${at}:${this.byId.size}`, 'fork', at, label);
  }

  /** Oldest first; the same array until a marker is added or dropped. */
  list(): readonly TimelineMarker[] {
    if (this.dirty) {
      this.sorted = [...this.byId.values()].sort(byTime);
      this.dirty = false;
    }
    return this.sorted;
  }

  private put(id: string, kind: MarkerKind, at: number, label: string): void {
    const had = this.byId.get(id);
    // Seen again (a replay): keep the earlier estimate, each is an upper bound of when it happened.
    if (had && had.at <= at) return;
    this.byId.set(id, { id, kind, at, fault: kind === 'fork', ahead: false, label });
    this.dirty = true;
    if (this.byId.size > MAX_OBSERVED) {
      const oldest = [...this.byId.values()].sort(byTime)[0];
      this.byId.delete(oldest.id);
    }
  }
}

/** Both lists in one, by time. */
export function mergeMarkers(a: readonly TimelineMarker[], b: readonly TimelineMarker[]): TimelineMarker[] {
  return [...a, ...b].sort(byTime);
}

/** A cluster of markers drawn as one mark: markers closer than a few pixels stack. */
export interface MarkerGroup {
  /** Position, 0..1 of the timeline. */
  x: number;
  at: number;
  markers: TimelineMarker[];
  /** The kind the mark shows: the most telling one in the group. */
  kind: MarkerKind;
  fault: boolean;
  ahead: boolean;
}

/** What a mark shows when several share it, most telling first. */
const KIND_RANK: Record<MarkerKind, number> = { fork: 0, user: 1, scenario: 2, eviction: 3, 'node-not-ready': 4, 'leader-change': 5, 'scheduling-failed': 6 };

/** Groups markers whose positions on a `widthPx` timeline from 0 to `end` are within `gapPx`. */
export function groupMarkers(markers: readonly TimelineMarker[], end: number, widthPx: number, gapPx = 6): MarkerGroup[] {
  const span = Math.max(end, 1);
  const out: MarkerGroup[] = [];
  let cur: MarkerGroup | null = null;
  for (const m of markers) {
    const x = Math.min(1, Math.max(0, m.at / span));
    if (cur && (x - cur.x) * widthPx < gapPx) {
      cur.markers.push(m);
      if (KIND_RANK[m.kind] < KIND_RANK[cur.kind]) cur.kind = m.kind;
      cur.fault ||= m.fault;
      cur.ahead ||= m.ahead;
      continue;
    }
    cur = { x, at: m.at, markers: [m], kind: m.kind, fault: m.fault, ahead: m.ahead };
    out.push(cur);
  }
  return out;
}

/** How many markers lie at or before `t` (markers oldest first): the rest are ahead of the playhead. */
export function countUpTo(markers: readonly TimelineMarker[], t: number): number {
  let lo = 0;
  let hi = markers.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (markers[mid].at <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The latest marker strictly before `t`, for "back to the previous marker". */
export function previousMarker(markers: readonly TimelineMarker[], t: number): TimelineMarker | undefined {
  let best: TimelineMarker | undefined;
  for (const m of markers) if (m.at < t && (!best || m.at >= best.at)) best = m;
  return best;
}

function instant(second: number | undefined, w: PollWindow): number {
  if (second === undefined) return w.to;
  return Math.max(w.from, Math.min(w.to, second + 999));
}

function byTime(a: TimelineMarker, b: TimelineMarker): number {
  return a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Timeline spans, so the scale changes in steps (markers do not creep every frame) and ticks fall on round times. */
const SPANS = [30_000, 60_000, 2 * 60_000, 5 * 60_000, 10 * 60_000, 15 * 60_000, 30 * 60_000, 3_600_000, 2 * 3_600_000, 3 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000, 24 * 3_600_000];

/** The timeline's span for content reaching `t`: the first round span with a little room past it. */
export function timelineSpan(t: number): number {
  const want = t * 1.04;
  for (const s of SPANS) if (s >= want) return s;
  return Math.ceil(want / (24 * 3_600_000)) * 24 * 3_600_000;
}

/** Round tick instants over a span: at most 6 of them, on seconds, minutes or hours. */
export function timelineTicks(span: number): number[] {
  const steps = [5_000, 10_000, 15_000, 30_000, 60_000, 2 * 60_000, 5 * 60_000, 10 * 60_000, 15 * 60_000, 30 * 60_000, 3_600_000, 2 * 3_600_000, 4 * 3_600_000];
  const step = steps.find((s) => span / s <= 5) ?? span / 5;
  const out: number[] = [];
  for (let t = 0; t <= span + 1; t += step) out.push(t);
  return out;
}

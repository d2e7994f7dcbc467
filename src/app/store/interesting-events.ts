// What "run until the next interesting event" stops at and what the
// timeline marks, as pure functions of one object change or one action:
// a fault or any other action (scenario timeline or user), a failed
// scheduling (kube-scheduler's FailedScheduling Event, sent with
// PodScheduled=False), a pod reaching phase Running, an eviction (the
// kubelet's `Evicted`, the taint-eviction controller's
// `TaintManagerEviction`, kube-scheduler's `Preempted`: the reasons
// upstream's components record), a node leaving Ready, a leader change (a
// leader-election Lease taken over by a new holder: its holderIdentity
// changes and leaseTransitions goes up, as client-go's tryAcquireOrRenew
// writes it) and a Node deleted because its cloud instance is gone
// (cloud-node-lifecycle-controller's `DeletingNode`).
//
// Every happening gets an id that a replay of the same history reproduces
// (Event names and counts, pod uids and condition times all derive from the
// seed), so one seen twice (before and after a rewind) is one marker.
import type { Lease } from 'kubernetes-types/coordination/v1';
import type { Event, KubeObject, Node, Pod } from '../../sim/api/types';
import type { ActionRecord } from '../../sim/cluster';
import { CompactedError, type MvccEvent } from '../../sim/etcd/mvcc';
import { virtualMs } from '../../sim/kernel/time';
import type { Action } from '../../sim/model';
import type { History } from '../../scenario/history';
import type { ObjectChange } from './object-feed';

export type InterestingKind = 'fault' | 'action' | 'scheduling-failed' | 'eviction' | 'node-not-ready' | 'pod-running' | 'leader-change' | 'node-deleted';

export interface Interesting {
  kind: InterestingKind;
  /** The same happening, seen again after a rewind, has the same id. */
  id: string;
  /** What it is about, as kubectl names it: "Pod default/web-1", "Node node-2". */
  subject: string;
  /** One line for a person: "FailedScheduling: 0/3 nodes are available: ...". */
  text: string;
  /** The second it was recorded (an Event's lastTimestamp, a condition's lastTransitionTime), virtual ms: objects store no finer time. */
  second?: number;
}

/** The verbs that break something (DESIGN 2: faults are first-class events); their undo verbs are ordinary actions. */
export const FAULT_VERBS: ReadonlySet<string> = new Set(['powerOff', 'stopKubelet', 'partition', 'fillMemory', 'stopComponent', 'deleteMachine']);

/** Event reasons that mean a pod was evicted or preempted. */
export const EVICTION_REASONS: ReadonlySet<string> = new Set(['Evicted', 'TaintManagerEviction', 'Preempted']);

export const FAILED_SCHEDULING = 'FailedScheduling';

/** cloud-node-lifecycle-controller's event before it deletes a Node whose instance no longer exists. */
export const DELETING_NODE = 'DeletingNode';

/** "powerOff node-2", "scale Deployment web to 6", "apply Pod late", "stopComponent etcd-2". */
export function describeAction(a: Action): string {
  switch (a.action) {
    case 'apply': {
      const names = a.manifests.map((m) => `${m.kind} ${m.metadata?.name ?? ''}`.trim());
      return `apply ${names.length <= 2 ? names.join(', ') : `${names.length} objects`}`;
    }
    case 'delete':
      return `delete ${a.kind} ${a.namespace ? `${a.namespace}/` : ''}${a.name}`;
    case 'scale':
      return `scale ${a.kind} ${a.name} to ${a.replicas}`;
    case 'stopComponent':
    case 'startComponent':
      return `${a.action} ${a.component}`;
    default:
      return `${a.action} ${a.node}`;
  }
}

/** An action that ran (from the scenario's timeline or the user); `index` tells repeats of the same action apart. */
export function actionInteresting(a: Action, at: number, source: 'timeline' | 'user', index: number): Interesting {
  const text = describeAction(a);
  return { kind: FAULT_VERBS.has(a.action) ? 'fault' : 'action', id: `${source}:${index}:${at}:${a.action}`, subject: text, text: `${source === 'user' ? 'You' : 'The scenario'}: ${text}` };
}

/** The interesting thing one write did, if any. */
export function changeInteresting(change: ObjectChange): Interesting | null {
  const o = change.object;
  if (!o) return null;
  if (o.kind === 'Event') return eventInteresting(o as unknown as Event, (change.prev as unknown as Event | null)?.count ?? 0);
  if (o.kind === 'Pod') return podInteresting(o as unknown as Pod, change.prev as unknown as Pod | null);
  if (o.kind === 'Node') return nodeInteresting(o as unknown as Node, change.prev as unknown as Node | null);
  if (o.kind === 'Lease') return leaseInteresting(o as unknown as Lease, change.prev as unknown as Lease | null);
  return null;
}

/** What an object that is already stored says happened (for a full list, when the changes since the last look are not known). */
export function objectInteresting(o: KubeObject): Interesting | null {
  if (o.kind === 'Event') return eventInteresting(o as unknown as Event, 0);
  if (o.kind === 'Node') return nodeInteresting(o as unknown as Node, null);
  if (o.kind === 'Lease') return leaseInteresting(o as unknown as Lease, null);
  return null;
}

/** A FailedScheduling, eviction or DeletingNode Event, new or repeated (its count went up). */
function eventInteresting(e: Event, prevCount: number): Interesting | null {
  const reason = e.reason ?? '';
  const kind: InterestingKind | null =
    reason === FAILED_SCHEDULING ? 'scheduling-failed' : EVICTION_REASONS.has(reason) ? 'eviction' : reason === DELETING_NODE ? 'node-deleted' : null;
  if (!kind) return null;
  const count = e.count && e.count > 0 ? e.count : 1;
  if (count <= prevCount) return null;
  const io = e.involvedObject ?? {};
  const subject = `${io.kind ?? 'Object'} ${io.namespace ? `${io.namespace}/` : ''}${io.name ?? ''}`;
  const id = `event:${e.metadata?.namespace ?? ''}/${e.metadata?.name ?? ''}#${count}`;
  const second = secondOf(e.lastTimestamp ?? e.firstTimestamp);
  return { kind, id, subject, text: `${reason}: ${(e.message ?? '').trim()}`, ...(second !== undefined ? { second } : {}) };
}

function podInteresting(p: Pod, prev: Pod | null): Interesting | null {
  if (p.status?.phase !== 'Running' || prev?.status?.phase === 'Running') return null;
  const key = `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
  const on = p.spec?.nodeName ? ` on ${p.spec.nodeName}` : '';
  return { kind: 'pod-running', id: `running:${p.metadata?.uid ?? key}`, subject: `Pod ${key}`, text: `Pod ${key} is Running${on}` };
}

/** Ready went from True to False or Unknown (a node created not ready is not news). */
function nodeInteresting(n: Node, prev: Node | null): Interesting | null {
  const ready = readyOf(n);
  if (!ready || ready.status === 'True') return null;
  if (prev) {
    const was = readyOf(prev);
    if (!was || was.status !== 'True') return null;
  } else if (!ready.lastTransitionTime) return null;
  const name = n.metadata?.name ?? '';
  const id = `notready:${name}@${ready.lastTransitionTime ?? ''}`;
  const second = secondOf(ready.lastTransitionTime);
  return { kind: 'node-not-ready', id, subject: `Node ${name}`, text: `Node ${name} Ready=${ready.status}${ready.reason ? ` (${ready.reason})` : ''}`, ...(second !== undefined ? { second } : {}) };
}

/**
 * A leader-election Lease taken over: a new, non-empty holder. The first
 * holder (the Lease created) is not news, nor is a release (the holder
 * emptied on a graceful stop): the next holder is. Node Leases never change
 * holder. Without the previous version (a full list), a Lease that changed
 * hands at least once tells its latest takeover: leaseTransitions and
 * acquireTime. Either way the id names the transition, so both agree.
 */
function leaseInteresting(l: Lease, prev: Lease | null): Interesting | null {
  const holder = l.spec?.holderIdentity ?? '';
  const transitions = l.spec?.leaseTransitions ?? 0;
  if (!holder || transitions === 0) return null;
  if (prev && (prev.spec?.holderIdentity ?? '') === holder) return null;
  const name = `${l.metadata?.namespace ?? ''}/${l.metadata?.name ?? ''}`;
  const second = secondOf(l.spec?.acquireTime);
  return {
    kind: 'leader-change',
    id: `leader:${name}#${transitions}`,
    subject: `Lease ${name}`,
    // LeaseLock.RecordEvent's words: "<identity> became leader".
    text: `Leader election: ${holder} became leader of ${name} (transition ${transitions})`,
    ...(second !== undefined ? { second } : {}),
  };
}

function readyOf(n: Node) {
  return n.status?.conditions?.find((c) => c.type === 'Ready');
}

function secondOf(ts: string | undefined | null): number | undefined {
  if (!ts) return undefined;
  const ms = virtualMs(ts);
  return Number.isFinite(ms) ? ms : undefined;
}

/** What the watch reads: etcd's change log (as object-feed.ts) and the cluster's action log. */
export interface WatchSource {
  readonly revision: number;
  eventsFrom(revision: number): readonly MvccEvent[];
  readonly actions: readonly ActionRecord[];
}

/**
 * Reports the interesting things that happened since it last looked: the
 * actions appended to the log and the writes in etcd's change log. Cheap
 * when nothing moved (two comparisons), so it can look after every instant.
 */
export class InterestingWatch {
  private revision: number;
  private actions: number;

  constructor(private readonly source: WatchSource) {
    this.revision = source.revision;
    this.actions = source.actions.length;
  }

  poll(): Interesting[] {
    const out: Interesting[] = [];
    const log = this.source.actions;
    for (; this.actions < log.length; this.actions++) {
      const r = log[this.actions];
      out.push(actionInteresting(r.action, r.at, r.source, this.actions));
    }
    const rev = this.source.revision;
    if (rev !== this.revision) {
      let events: readonly MvccEvent[] = [];
      try {
        events = this.source.eventsFrom(this.revision + 1);
      } catch (e) {
        // Compacted since the last look (every 5 minutes): what was dropped is not news any more.
        if (!(e instanceof CompactedError)) throw e;
      }
      this.revision = rev;
      for (const ev of events) {
        if (ev.type !== 'PUT') continue;
        const found = changeInteresting({ object: ev.kv.value as KubeObject, prev: (ev.prev?.value as KubeObject | undefined) ?? null });
        if (found) out.push(found);
      }
    }
    return out;
  }
}

/** How far a search may go before it gives up: wall ms of work and simulated ms. */
export interface SearchBudget {
  wallMs: number;
  simMs: number;
  /** Wall clock in ms (performance.now in the app; a fake in tests). */
  clock: () => number;
}

export type SearchOutcome = 'found' | 'budget' | 'end';

/**
 * Runs the session instant by instant (every event of an instant, then the
 * branch's actions due then, as History.stepInstant does) until `found`
 * says so after one, the budget is spent, or nothing is left to happen.
 */
export function runInstants(h: History, found: () => boolean, budget: SearchBudget): SearchOutcome {
  const started = budget.clock();
  const limit = h.now + budget.simMs;
  for (let n = 1; ; n++) {
    const next = h.nextEventTime();
    if (next === undefined) return 'end';
    if (next > limit) {
      h.runUntil(limit);
      return 'budget';
    }
    h.stepInstant();
    if (found()) return 'found';
    if (n % 16 === 0 && budget.clock() - started > budget.wallMs) return 'budget';
  }
}

/**
 * Runs the session one kernel event at a time (so it can stop in the middle
 * of an instant, between a scheduling cycle's extension points). A branch
 * action due at an instant runs once that instant's events are done, as a
 * replay applies it (History: an action meets the cluster settled).
 */
export function runEvents(h: History, found: () => boolean, budget: SearchBudget): SearchOutcome {
  const started = budget.clock();
  const limit = h.now + budget.simMs;
  const kernel = h.cluster.kernel;
  let nextAction = h.pending[0]?.at;
  for (let n = 1; ; n++) {
    const ev = kernel.nextEventTime();
    if (nextAction !== undefined && (ev === undefined || nextAction < ev)) {
      if (nextAction > limit) {
        h.runUntil(limit);
        return 'budget';
      }
      h.runUntil(nextAction);
      nextAction = h.pending[0]?.at;
    } else if (ev === undefined) return 'end';
    else if (ev > limit) {
      h.runUntil(limit);
      return 'budget';
    } else kernel.step();
    if (found()) return 'found';
    if (n % 64 === 0 && budget.clock() - started > budget.wallMs) return 'budget';
  }
}

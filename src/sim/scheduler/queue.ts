// The scheduling queue (upstream's PriorityQueue): activeQ ordered by the
// QueueSort plugin (PrioritySort: higher priority first, then earlier),
// backoffQ for pods that failed recently (1 s doubling to 10 s per
// attempt), and the unschedulable pods, which go back when a cluster event
// might help them or after 5 minutes at most.
import type { Pod } from '../api/types';

export interface QueuedPodInfo {
  pod: Pod;
  /** spec.priority (0 when unset), kept beside the pod: the sort compares it at every step through the heap. */
  priority: number;
  /** When it (re)entered the queue: PrioritySort's tie breaker. */
  timestamp: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** When it was first queued, for latency figures. */
  initialAttemptTimestamp: number;
  /** The plugins that rejected it last time (for the UI and explanations). */
  unschedulablePlugins: Set<string>;
  /** When it was put among the unschedulable pods. */
  unschedulableSince?: number;
  /** Scheduling gates (PreEnqueue) keep it out of activeQ until removed. */
  gated: boolean;
}

export interface QueueSettings {
  initialBackoff: number;
  maxBackoff: number;
  /** podMaxInUnschedulablePodsDuration. */
  maxInUnschedulable: number;
}

export const DEFAULT_QUEUE: QueueSettings = { initialBackoff: 1000, maxBackoff: 10_000, maxInUnschedulable: 5 * 60_000 };

export type QueueName = 'activeQ' | 'backoffQ' | 'unschedulable' | 'gated';

/** PrioritySort.Less. */
export function prioritySortLess(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  return a.priority > b.priority || (a.priority === b.priority && a.timestamp < b.timestamp);
}

const keyOf = (p: Pod) => p.metadata!.uid!;

/** kubeviz's own explanation annotations (kubeviz.dev/...): written by the scheduler, never a reason to retry. */
const EXPLANATION_PREFIX = 'kubeviz.dev/';

/**
 * Upstream isPodUpdated: the pod differs once resourceVersion, generation,
 * status, managedFields and finalizers are set aside (and, here, the
 * explanation annotations the scheduler writes itself).
 */
export function isPodUpdated(oldPod: Pod, newPod: Pod): boolean {
  const strip = (p: Pod) => {
    const { resourceVersion: _rv, generation: _g, managedFields: _mf, finalizers: _f, annotations, ...meta } = p.metadata ?? {};
    void [_rv, _g, _mf, _f];
    const kept = Object.entries(annotations ?? {}).filter(([k]) => !k.startsWith(EXPLANATION_PREFIX));
    return JSON.stringify({ meta, annotations: kept, spec: p.spec, resize: p.status?.resize });
  };
  return strip(oldPod) !== strip(newPod);
}

export class SchedulingQueue {
  private active: QueuedPodInfo[] = []; // binary heap by prioritySortLess
  private backoff = new Map<string, QueuedPodInfo>();
  private unschedulable = new Map<string, QueuedPodInfo>();
  private gated = new Map<string, QueuedPodInfo>();
  private where = new Map<string, QueueName>();
  /** Bumped by every move request; a pod that failed in a cycle older than the last move goes to backoff, not unschedulable. */
  private moveRequestCycle = -1;
  schedulingCycle = 0;

  constructor(
    private readonly now: () => number,
    private readonly settings: QueueSettings = DEFAULT_QUEUE,
  ) {}

  /** A new pending pod. Gated pods wait in their own list (PreEnqueue). */
  add(pod: Pod, gated: boolean): void {
    const key = keyOf(pod);
    if (this.where.has(key)) return this.update(pod, gated);
    const t = this.now();
    const info: QueuedPodInfo = { pod, priority: pod.spec?.priority ?? 0, timestamp: t, attempts: 0, initialAttemptTimestamp: t, unschedulablePlugins: new Set(), gated };
    if (gated) this.put('gated', info);
    else this.pushActive(info);
  }

  /** The pod object changed (e.g. gates removed, spec updated): keep its place, or move it if it may now fit. */
  update(pod: Pod, gated: boolean): void {
    const key = keyOf(pod);
    const q = this.where.get(key);
    if (!q) return this.add(pod, gated);
    const info = this.take(key)!;
    const changed = isPodUpdated(info.pod, pod);
    info.pod = pod;
    info.priority = pod.spec?.priority ?? 0;
    info.gated = gated;
    if (gated) this.put('gated', info);
    else if (q === 'activeQ') this.pushActive(info);
    else if (q === 'backoffQ') this.put('backoffQ', info);
    // An unschedulable pod moves only when its spec or metadata changed, not
    // on the status (PodScheduled=False) and explanations its own failure wrote.
    else if (q === 'unschedulable' && !changed) this.put('unschedulable', info);
    else this.moveOne(info);
  }

  delete(pod: Pod): void {
    this.take(keyOf(pod));
  }

  has(pod: Pod): boolean {
    return this.where.has(keyOf(pod));
  }

  /** Highest-priority pod, or undefined when activeQ is empty. */
  pop(): QueuedPodInfo | undefined {
    const h = this.active;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      this.siftDown(0);
    }
    this.where.delete(keyOf(top.pod));
    top.attempts++;
    this.schedulingCycle++;
    return top;
  }

  /**
   * After a failed cycle: to backoffQ if a move request came in while it
   * was being scheduled (the world changed) or on error, else among the
   * unschedulable pods.
   */
  addUnschedulable(info: QueuedPodInfo, podCycle: number, error: boolean): void {
    info.timestamp = this.now();
    if (error || this.moveRequestCycle >= podCycle) this.put('backoffQ', info);
    else {
      info.unschedulableSince = this.now();
      this.put('unschedulable', info);
    }
  }

  /** A cluster event that may make pods schedulable: all unschedulable pods go back (to backoffQ while backing off). */
  moveAllToActiveOrBackoff(): void {
    for (const info of [...this.unschedulable.values()]) {
      this.take(keyOf(info.pod));
      this.moveOne(info);
    }
    this.moveRequestCycle = this.schedulingCycle;
  }

  /** Periodic housekeeping (upstream runs these every 1 s and 30 s). */
  flush(): void {
    const now = this.now();
    for (const info of [...this.backoff.values()])
      if (this.backoffExpiry(info) <= now) {
        this.take(keyOf(info.pod));
        this.pushActive(info);
      }
    for (const info of [...this.unschedulable.values()])
      if (now - (info.unschedulableSince ?? now) > this.settings.maxInUnschedulable) {
        this.take(keyOf(info.pod));
        this.moveOne(info);
      }
  }

  /** initialBackoff * 2^(attempts-1), at most maxBackoff. */
  backoffDuration(info: QueuedPodInfo): number {
    let d = this.settings.initialBackoff;
    for (let i = 1; i < info.attempts; i++) {
      d *= 2;
      if (d >= this.settings.maxBackoff) return this.settings.maxBackoff;
    }
    return Math.min(d, this.settings.maxBackoff);
  }

  backoffExpiry(info: QueuedPodInfo): number {
    return info.timestamp + this.backoffDuration(info);
  }

  /** Earliest instant a backing-off pod becomes active, for the scheduler's timer. */
  nextBackoffExpiry(): number | undefined {
    let min: number | undefined;
    for (const info of this.backoff.values()) {
      const e = this.backoffExpiry(info);
      if (min === undefined || e < min) min = e;
    }
    return min;
  }

  get activeCount(): number {
    return this.active.length;
  }

  /** Pods in any of the queues (activeQ, backoffQ, unschedulable, gated). */
  get size(): number {
    return this.where.size;
  }

  /** Every queued pod with the queue it is in, for the UI and explanations. */
  pending(): Array<{ queue: QueueName; info: QueuedPodInfo }> {
    const out: Array<{ queue: QueueName; info: QueuedPodInfo }> = [];
    for (const info of [...this.active].sort((a, b) => (prioritySortLess(a, b) ? -1 : prioritySortLess(b, a) ? 1 : 0))) out.push({ queue: 'activeQ', info });
    for (const info of this.backoff.values()) out.push({ queue: 'backoffQ', info });
    for (const info of this.unschedulable.values()) out.push({ queue: 'unschedulable', info });
    for (const info of this.gated.values()) out.push({ queue: 'gated', info });
    return out;
  }

  private moveOne(info: QueuedPodInfo): void {
    if (info.gated) this.put('gated', info);
    else if (info.attempts > 0 && this.backoffExpiry(info) > this.now()) this.put('backoffQ', info);
    else this.pushActive(info);
  }

  private put(q: Exclude<QueueName, 'activeQ'>, info: QueuedPodInfo): void {
    const key = keyOf(info.pod);
    (q === 'backoffQ' ? this.backoff : q === 'unschedulable' ? this.unschedulable : this.gated).set(key, info);
    this.where.set(key, q);
  }

  private take(key: string): QueuedPodInfo | undefined {
    const q = this.where.get(key);
    if (!q) return undefined;
    this.where.delete(key);
    if (q === 'backoffQ' || q === 'unschedulable' || q === 'gated') {
      const m = q === 'backoffQ' ? this.backoff : q === 'unschedulable' ? this.unschedulable : this.gated;
      const info = m.get(key);
      m.delete(key);
      return info;
    }
    const i = this.active.findIndex((x) => keyOf(x.pod) === key);
    if (i < 0) return undefined;
    const info = this.active[i];
    const last = this.active.pop()!;
    if (i < this.active.length) {
      this.active[i] = last;
      this.siftDown(i);
      this.siftUp(i);
    }
    return info;
  }

  private pushActive(info: QueuedPodInfo): void {
    this.active.push(info);
    this.where.set(keyOf(info.pod), 'activeQ');
    this.siftUp(this.active.length - 1);
  }

  private siftUp(i: number): void {
    const h = this.active;
    const x = h[i];
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!prioritySortLess(x, h[p])) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = x;
  }

  private siftDown(i: number): void {
    const h = this.active;
    const x = h[i];
    const n = h.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && prioritySortLess(h[r], h[l]) ? r : l;
      if (!prioritySortLess(h[c], x)) break;
      h[i] = h[c];
      i = c;
    }
    h[i] = x;
  }
}

// The node lifecycle controller's per-zone tainting queue: upstream
// pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go
// (RateLimitedTimedQueue over a UniqueQueue), limited by client-go's
// flowcontrol token bucket (burst 1) in virtual time. Nothing here has a
// timer: the owner calls try() on its own 100 ms tainting pass, and asks
// nextTokenAt() when that pass is next worth running.

/** scheduler.EvictionRateLimiterBurst. */
export const EVICTION_RATE_LIMITER_BURST = 1;

/**
 * flowcontrol.NewTokenBucketRateLimiter(qps, burst): starts full, refills at
 * qps tokens a second. qps <= 0 is NewFakeNeverRateLimiter: never accepts.
 * Credit is kept in milliseconds of refill so that 0.1 and 0.01 qps give
 * exact 10 s and 100 s intervals.
 */
export class TokenBucket {
  private readonly intervalMs: number;
  private readonly capacity: number;
  private credit: number;
  private last: number;

  constructor(
    readonly qps: number,
    now: number,
    burst = EVICTION_RATE_LIMITER_BURST,
  ) {
    this.intervalMs = qps > 0 ? Math.round(1000 / qps) : Infinity;
    this.capacity = burst * this.intervalMs;
    this.credit = this.capacity;
    this.last = now;
  }

  /** TryAccept: takes a token if one is there. */
  tryAccept(now: number): boolean {
    if (this.qps <= 0) return false;
    this.refill(now);
    if (this.credit < this.intervalMs) return false;
    this.credit -= this.intervalMs;
    return true;
  }

  /** When the next token is there (now if it already is); Infinity for a limiter that never accepts. */
  nextTokenAt(now: number): number {
    if (this.qps <= 0) return Infinity;
    this.refill(now);
    return this.credit >= this.intervalMs ? now : now + (this.intervalMs - this.credit);
  }

  private refill(now: number): void {
    if (now > this.last) this.credit = Math.min(this.capacity, this.credit + (now - this.last));
    this.last = Math.max(this.last, now);
  }
}

/** A value to process at a designated time (upstream TimedValue). */
export interface TimedValue {
  value: string;
  /** Anything that identifies the value further: the node's uid. */
  uid: string;
  addedAt: number;
  processAt: number;
}

interface Queued extends TimedValue {
  /** Insertion order, so equal processAt values come out first-in first-out (Go's heap leaves that open). */
  seq: number;
  /** Taken off the queue: a tombstone until the array is compacted. */
  gone: boolean;
}

const before = (a: Queued, b: Queued) => a.processAt < b.processAt || (a.processAt === b.processAt && a.seq < b.seq);

/**
 * UniqueQueue: a queue ordered by processAt in which a value is at most once
 * until it is removed. A value taken off by removeFromQueue stays in the set,
 * so it is not added again until remove() forgets it.
 *
 * Items sit in one array sorted by (processAt, seq); a removed item stays as
 * a tombstone until they outnumber the live ones. Each monitor pass removes
 * and adds again every unhealthy node not yet tainted (upstream's
 * markNodeForTainting), which with 1,667 queued nodes made a splice per node
 * the node lifecycle controller's main cost.
 */
class UniqueQueue {
  private items: Queued[] = [];
  /** Items before this index are all gone. */
  private start = 0;
  private readonly set = new Set<string>();
  /** The live item of each queued value (a value processed and not removed is in `set` only). */
  private readonly queued = new Map<string, Queued>();
  private seq = 0;

  add(v: TimedValue): boolean {
    if (this.set.has(v.value)) return false;
    this.insert(v);
    this.set.add(v.value);
    return true;
  }

  replace(v: TimedValue): boolean {
    if (!this.drop(v.value)) return false;
    this.insert(v);
    return true;
  }

  removeFromQueue(value: string): boolean {
    if (!this.set.has(value)) return false;
    return this.drop(value);
  }

  remove(value: string): boolean {
    if (!this.set.has(value)) return false;
    this.set.delete(value);
    this.drop(value);
    return true;
  }

  has(value: string): boolean {
    return this.set.has(value);
  }

  head(): TimedValue | undefined {
    while (this.start < this.items.length && this.items[this.start].gone) this.start++;
    return this.items[this.start];
  }

  clear(): void {
    this.items = [];
    this.start = 0;
    this.set.clear();
    this.queued.clear();
  }

  values(): readonly TimedValue[] {
    return this.items.filter((q) => !q.gone);
  }

  get length(): number {
    return this.queued.size;
  }

  private insert(v: TimedValue): void {
    const q: Queued = { value: v.value, uid: v.uid, addedAt: v.addedAt, processAt: v.processAt, seq: this.seq++, gone: false };
    this.queued.set(q.value, q);
    const items = this.items;
    // Most values go at the end (processAt = now).
    if (items.length === this.start || before(items[items.length - 1], q)) {
      items.push(q);
      return;
    }
    // Binary search for the first item that q goes before (tombstones keep their place in the order).
    let lo = this.start;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(items[mid], q)) lo = mid + 1;
      else hi = mid;
    }
    items.splice(lo, 0, q);
  }

  private drop(value: string): boolean {
    const q = this.queued.get(value);
    if (!q) return false;
    this.queued.delete(value);
    q.gone = true;
    const held = this.items.length - this.start;
    if (held > 64 && held > 2 * this.queued.size) {
      this.items = this.items.filter((x) => !x.gone);
      this.start = 0;
    }
    return true;
  }
}

/** What an action says about a value: done, or retry after waitMs. */
export type TryResult = { ok: true } | { ok: false; waitMs: number };

/** RateLimitedTimedQueue: unique values ordered by when to process them, taken at most as fast as the limiter allows. */
export class RateLimitedTimedQueue {
  private readonly queue = new UniqueQueue();
  private limiter: TokenBucket;

  constructor(qps: number, now: number) {
    this.limiter = new TokenBucket(qps, now);
  }

  get qps(): number {
    return this.limiter.qps;
  }

  get length(): number {
    return this.queue.length;
  }

  /** The values waiting, first to be processed first. */
  values(): readonly TimedValue[] {
    return this.queue.values();
  }

  /** Add a value to process now; false when it is already there (or was processed and not removed since). */
  add(value: string, uid: string, now: number): boolean {
    return this.queue.add({ value, uid, addedAt: now, processAt: now });
  }

  /** Forget a value: it is not processed, and may be added again. */
  remove(value: string): boolean {
    return this.queue.remove(value);
  }

  /** Is the value queued, or processed and not removed since (remove() would forget it)? */
  has(value: string): boolean {
    return this.queue.has(value);
  }

  clear(): void {
    this.queue.clear();
  }

  /**
   * Try: while the limiter gives a token and the head is due, process it.
   * As upstream, a token is taken before looking at the head's time, and a
   * failed value goes back with processAt = now + wait (upstream adds 1 ns;
   * the 100 ms pass makes that the next pass either way).
   */
  try(now: number, fn: (v: TimedValue) => TryResult): void {
    let head = this.queue.head();
    while (head) {
      if (!this.limiter.tryAccept(now)) break;
      if (now < head.processAt) break;
      const r = fn(head);
      if (r.ok) this.queue.removeFromQueue(head.value);
      else this.queue.replace({ ...head, processAt: now + r.waitMs + 1 });
      head = this.queue.head();
    }
  }

  /**
   * When try() would next do anything (take a token): the next token while
   * values wait, undefined when none wait or the limiter never accepts.
   */
  nextTokenAt(now: number): number | undefined {
    if (this.queue.length === 0) return undefined;
    const t = this.limiter.nextTokenAt(now);
    return Number.isFinite(t) ? t : undefined;
  }

  /**
   * SwapLimiter: a new limiter for a new rate (nothing when the rate is the
   * same). The new bucket starts full, unless the old one was empty: then it
   * starts empty too, so a swap never hands out an extra token.
   */
  swapLimiter(qps: number, now: number): void {
    if (this.limiter.qps === qps) return;
    const next = new TokenBucket(qps, now);
    if (qps > 0 && !this.limiter.tryAccept(now)) next.tryAccept(now);
    this.limiter = next;
  }
}

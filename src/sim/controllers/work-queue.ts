// client-go's rate-limited work queue, as every controller drives its
// reconcile loop: a key is queued at most once however often it is added,
// processed in the order it came, and a failed sync is retried after the
// longer of the item's exponential backoff (5 ms doubling to 1000 s) and the
// queue's overall token bucket (10 qps, burst 100): upstream's
// DefaultControllerRateLimiter. Processing runs as kernel
// events at the instant keys arrive, so a controller reacts "at once" in
// virtual time, after the watch event that caused it.
import type { Kernel, Timer } from '../kernel/kernel';

/** What a sync says: done (forget the key's failures), or retry with backoff. */
export type SyncResult = 'done' | 'retry';

export const BASE_DELAY_MS = 5;
export const MAX_DELAY_MS = 1000 * 1000;
/** The overall bucket: 10 rate-limited adds a second (one per 100 ms), 100 at once. */
export const OVERALL_INTERVAL_MS = 100;
export const OVERALL_BURST = 100;

/**
 * BucketRateLimiter over rate.NewLimiter(10, 100): every rate-limited add
 * reserves a token; past the burst, reservations queue up 100 ms apart.
 * Credit is kept in milliseconds of refill (negative: reserved ahead).
 */
class OverallBucket {
  private credit = OVERALL_BURST * OVERALL_INTERVAL_MS;

  constructor(private last: number) {}

  /** Reserve().Delay(): how long the reservation made now waits. */
  reserve(now: number): number {
    if (now > this.last) {
      this.credit = Math.min(OVERALL_BURST * OVERALL_INTERVAL_MS, this.credit + (now - this.last));
      this.last = now;
    }
    this.credit -= OVERALL_INTERVAL_MS;
    return this.credit >= 0 ? 0 : -this.credit;
  }
}

export class WorkQueue {
  private readonly queued = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, Timer>();
  private readonly overall: OverallBucket;
  private timer?: Timer;
  private shutdown = false;

  constructor(
    private readonly kernel: Kernel,
    /** The controller's name, for kernel event labels. */
    private readonly label: string,
    private readonly sync: (key: string) => SyncResult,
  ) {
    this.overall = new OverallBucket(kernel.now);
  }

  add(key: string): void {
    if (this.shutdown) return;
    this.queued.add(key);
    if (!this.timer) this.timer = this.kernel.after(0, `${this.label}.sync`, () => this.process());
  }

  /** Adds the key after `ms` (an earlier pending add wins, as AddAfter keeps the soonest). */
  addAfter(key: string, ms: number): void {
    if (this.shutdown) return;
    if (ms <= 0) return this.add(key);
    const cur = this.delayed.get(key);
    if (cur && cur.at <= this.kernel.now + ms) return;
    this.kernel.cancel(cur);
    this.delayed.set(
      key,
      this.kernel.after(ms, `${this.label}.requeue`, () => {
        this.delayed.delete(key);
        this.add(key);
      }),
    );
  }

  /** Requeue after this key's next backoff step, or later if the queue's overall bucket is empty (MaxOfRateLimiter). */
  addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    const own = Math.min(BASE_DELAY_MS * 2 ** n, MAX_DELAY_MS);
    this.addAfter(key, Math.max(own, this.overall.reserve(this.kernel.now)));
  }

  /** The key succeeded: its backoff starts again from 5 ms. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  get length(): number {
    return this.queued.size;
  }

  shutDown(): void {
    this.shutdown = true;
    this.kernel.cancel(this.timer);
    for (const t of this.delayed.values()) this.kernel.cancel(t);
    this.delayed.clear();
    this.queued.clear();
    this.timer = undefined;
  }

  private process(): void {
    this.timer = undefined;
    // Keys added while syncing wait for the next round (at the same instant).
    const keys = [...this.queued];
    this.queued.clear();
    for (const key of keys) {
      if (this.shutdown) return;
      if (this.sync(key) === 'retry') this.addRateLimited(key);
      else this.forget(key);
    }
  }
}

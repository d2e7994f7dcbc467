// client-go's rate-limited work queue, as every controller drives its
// reconcile loop: a key is queued at most once however often it is added,
// processed in the order it came, and a failed sync is retried after the
// item's exponential backoff (5 ms doubling to 1000 s:
// DefaultControllerRateLimiter's per-item part). Processing runs as kernel
// events at the instant keys arrive, so a controller reacts "at once" in
// virtual time, after the watch event that caused it.
import type { Kernel, Timer } from '../kernel/kernel';

/** What a sync says: done (forget the key's failures), or retry with backoff. */
export type SyncResult = 'done' | 'retry';

export const BASE_DELAY_MS = 5;
export const MAX_DELAY_MS = 1000 * 1000;

export class WorkQueue {
  private readonly queued = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, Timer>();
  private timer?: Timer;
  private shutdown = false;

  constructor(
    private readonly kernel: Kernel,
    /** The controller's name, for kernel event labels. */
    private readonly label: string,
    private readonly sync: (key: string) => SyncResult,
  ) {}

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

  /** Requeue after this key's next backoff step. */
  addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.addAfter(key, Math.min(BASE_DELAY_MS * 2 ** n, MAX_DELAY_MS));
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

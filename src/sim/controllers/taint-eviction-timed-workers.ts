// The taint eviction controller's scheduled deletions: upstream
// pkg/controller/tainteviction/timed_workers.go (TimedWorkerQueue), on
// kernel timers. Work due now runs at once; a key that ran successfully
// stays in the map (with no timer) so it is not scheduled again until it is
// cancelled, which is how a deleted pod is never deleted twice.
import type { Kernel, Timer } from '../kernel/kernel';

/** A scheduled piece of work (upstream TimedWorker). */
export interface TimedWorker {
  createdAt: number;
  fireAt: number;
  timer: Timer;
}

/** The work: true when it succeeded. */
export type WorkFunc = (key: string, fireAt: number) => boolean;

export class TimedWorkerQueue {
  /** null: the work ran (or is running) and succeeded. */
  private readonly workers = new Map<string, TimedWorker | null>();

  constructor(
    private readonly kernel: Kernel,
    private readonly label: string,
    private readonly work: WorkFunc,
  ) {}

  /** AddWork: schedule `key` at fireAt unless it is already there. */
  addWork(key: string, createdAt: number, fireAt: number): void {
    if (this.workers.has(key)) return;
    if (fireAt <= createdAt) {
      this.workers.set(key, null);
      this.run(key, fireAt);
      return;
    }
    const timer = this.kernel.at(fireAt, this.label, () => this.run(key, fireAt));
    this.workers.set(key, { createdAt, fireAt, timer });
  }

  /** CancelWork: true when a scheduled (not yet run) work was cancelled; the key is forgotten either way. */
  cancelWork(key: string): boolean {
    if (!this.workers.has(key)) return false;
    const w = this.workers.get(key);
    this.workers.delete(key);
    if (!w) return false;
    this.kernel.cancel(w.timer);
    return true;
  }

  /** GetWorkerUnsafe: the scheduled work, null when it already ran, undefined when there is none. */
  getWorker(key: string): TimedWorker | null | undefined {
    return this.workers.get(key);
  }

  /** Keys scheduled or remembered as done: with none, cancelling anything does nothing. */
  get size(): number {
    return this.workers.size;
  }

  /** Scheduled (not yet run) work, soonest first, for the UI. */
  scheduled(): Array<{ key: string; fireAt: number }> {
    const out: Array<{ key: string; fireAt: number }> = [];
    for (const [key, w] of this.workers) if (w) out.push({ key, fireAt: w.fireAt });
    return out.sort((a, b) => a.fireAt - b.fireAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  cancelAll(): void {
    for (const w of this.workers.values()) if (w) this.kernel.cancel(w.timer);
    this.workers.clear();
  }

  private run(key: string, fireAt: number): void {
    this.workers.set(key, null);
    // A failure forgets the key, so the next update of the pod or node schedules it again.
    if (!this.work(key, fireAt)) this.workers.delete(key);
  }
}

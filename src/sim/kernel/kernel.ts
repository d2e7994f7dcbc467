import { EventQueue, type QueuedEvent } from './event-queue';
import { IdSource } from './ids';
import { Rng } from './rng';
import { Trace } from './trace';

export type Timer = QueuedEvent;

/**
 * The simulation's heart: one virtual clock (milliseconds), one queue of
 * timed events, one seeded random source. Nothing in src/sim reads wall
 * time; everything that happens later is an event here.
 */
export class Kernel {
  private clock = 0;
  readonly queue = new EventQueue();
  readonly rng: Rng;
  readonly ids: IdSource;
  readonly trace: Trace;

  constructor(seed: number | string) {
    this.rng = new Rng(seed);
    this.ids = new IdSource(this.rng);
    this.trace = new Trace(() => this.clock);
  }

  get now(): number {
    return this.clock;
  }

  /** Runs `run` at virtual time `at` (never in the past). */
  at(at: number, label: string, run: () => void): Timer {
    return this.queue.push(Math.max(at, this.clock), label, run);
  }

  /** Runs `run` `delay` ms from now. */
  after(delay: number, label: string, run: () => void): Timer {
    return this.queue.push(this.clock + Math.max(0, delay), label, run);
  }

  cancel(timer: Timer | undefined): void {
    if (timer) this.queue.cancel(timer);
  }

  /** Virtual time of the next event, if any. */
  nextEventTime(): number | undefined {
    return this.queue.peek()?.at;
  }

  /** Runs the next event; false when there is none. */
  step(): boolean {
    const ev = this.queue.pop();
    if (!ev) return false;
    this.clock = ev.at;
    ev.run();
    return true;
  }

  /** Runs every event due at or before `t`, then sets the clock to `t`. */
  runUntil(t: number): number {
    let n = 0;
    // One look at the queue's top per event (not a peek and then a pop).
    for (let ev = this.queue.popDue(t); ev; ev = this.queue.popDue(t)) {
      this.clock = ev.at;
      ev.run();
      n++;
    }
    if (t > this.clock) this.clock = t;
    return n;
  }
}

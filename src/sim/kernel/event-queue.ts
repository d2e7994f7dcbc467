// A priority queue of timed callbacks. Events at the same instant run in the
// order they were scheduled (a sequence number breaks ties), which is what
// makes a run repeatable. Cancelling is lazy: the entry is flagged and
// skipped when it reaches the top, so cancel is O(1).
//
// A 4-ary heap whose keys (instant, sequence) live in typed arrays beside
// the events: a big cluster keeps some 17,000 timers pending (a lease, a
// status report and an eviction check per node), and sifting compares keys
// in contiguous memory instead of reading event objects scattered over the
// heap, half the levels deep of a binary heap.

export interface QueuedEvent {
  readonly at: number;
  readonly seq: number;
  readonly label: string;
  run: () => void;
  cancelled: boolean;
}

const ARITY = 4;

export class EventQueue {
  private events: QueuedEvent[] = [];
  private ats = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private n = 0;
  private seq = 0;
  private live = 0;

  get size(): number {
    return this.live;
  }

  push(at: number, label: string, run: () => void): QueuedEvent {
    const ev: QueuedEvent = { at, seq: this.seq++, label, run, cancelled: false };
    if (this.n === this.ats.length) this.grow();
    const ats = this.ats;
    const seqs = this.seqs;
    const events = this.events;
    const s = ev.seq;
    let i = this.n++;
    while (i > 0) {
      const p = ((i - 1) / ARITY) | 0;
      const pa = ats[p];
      if (pa < at || (pa === at && seqs[p] < s)) break;
      ats[i] = pa;
      seqs[i] = seqs[p];
      events[i] = events[p];
      i = p;
    }
    ats[i] = at;
    seqs[i] = s;
    events[i] = ev;
    this.live++;
    return ev;
  }

  cancel(ev: QueuedEvent): void {
    if (ev.cancelled) return;
    ev.cancelled = true;
    this.live--;
  }

  /** The next live event, without removing it. */
  peek(): QueuedEvent | undefined {
    this.dropCancelled();
    return this.n > 0 ? this.events[0] : undefined;
  }

  pop(): QueuedEvent | undefined {
    return this.popDue(Infinity);
  }

  /** The next live event if it is due at or before `t`, removed; else undefined (and the queue keeps it). */
  popDue(t: number): QueuedEvent | undefined {
    this.dropCancelled();
    if (this.n === 0 || this.ats[0] > t) return undefined;
    const top = this.events[0];
    this.removeTop();
    this.live--;
    return top;
  }

  private dropCancelled(): void {
    while (this.n > 0 && this.events[0].cancelled) this.removeTop();
  }

  private removeTop(): void {
    const ats = this.ats;
    const seqs = this.seqs;
    const events = this.events;
    const n = --this.n;
    const lastAt = ats[n];
    const lastSeq = seqs[n];
    const last = events.pop()!;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const first = ARITY * i + 1;
      if (first >= n) break;
      // The earliest of up to four children.
      let c = first;
      let ca = ats[first];
      let cs = seqs[first];
      const end = first + ARITY < n ? first + ARITY : n;
      for (let j = first + 1; j < end; j++) {
        const ja = ats[j];
        if (ja < ca || (ja === ca && seqs[j] < cs)) {
          c = j;
          ca = ja;
          cs = seqs[j];
        }
      }
      if (lastAt < ca || (lastAt === ca && lastSeq < cs)) break;
      ats[i] = ca;
      seqs[i] = cs;
      events[i] = events[c];
      i = c;
    }
    ats[i] = lastAt;
    seqs[i] = lastSeq;
    events[i] = last;
  }

  private grow(): void {
    const ats = new Float64Array(this.ats.length * 2);
    ats.set(this.ats);
    this.ats = ats;
    const seqs = new Float64Array(this.seqs.length * 2);
    seqs.set(this.seqs);
    this.seqs = seqs;
  }
}

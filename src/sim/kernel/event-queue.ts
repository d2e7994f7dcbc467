// A priority queue of timed callbacks. Events at the same instant run in the
// order they were scheduled (a sequence number breaks ties), which is what
// makes a run repeatable. Cancelling is lazy: the entry is flagged and
// skipped when it reaches the top, so cancel is O(1).

export interface QueuedEvent {
  readonly at: number;
  readonly seq: number;
  readonly label: string;
  run: () => void;
  cancelled: boolean;
}

export class EventQueue {
  private heap: QueuedEvent[] = [];
  private seq = 0;
  private live = 0;

  get size(): number {
    return this.live;
  }

  push(at: number, label: string, run: () => void): QueuedEvent {
    const ev: QueuedEvent = { at, seq: this.seq++, label, run, cancelled: false };
    const h = this.heap;
    h.push(ev);
    this.live++;
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(ev, h[p])) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = ev;
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
    return this.heap[0];
  }

  pop(): QueuedEvent | undefined {
    this.dropCancelled();
    const top = this.heap[0];
    if (top) {
      this.removeTop();
      this.live--;
    }
    return top;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0].cancelled) this.removeTop();
  }

  private removeTop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    let i = 0;
    const n = h.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(h[r], h[l]) ? r : l;
      if (!before(h[c], last)) break;
      h[i] = h[c];
      i = c;
    }
    h[i] = last;
  }
}

function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

// The trace: every hop between components as a wire message. The canvas
// animates exactly these, and the CLI prints them with --trace.

export interface WireMessage {
  seq: number;
  /** Virtual milliseconds. */
  t: number;
  from: string;
  to: string;
  /** create, update, patch, delete, bind, watch ADDED, raft heartbeat, ... */
  verb: string;
  /** For watch messages: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR. */
  detail?: string;
  /** pods, pods/binding, raft, ... */
  resource: string;
  /** default/web-1, node-1, or the etcd key. */
  key: string;
  ok: boolean;
  /** Present when ok is false: the error the receiver answered with. */
  error?: string;
}

export type WireInput = Omit<WireMessage, 'seq' | 't'>;

/**
 * Keeps the most recent `capacity` messages (all of them when capacity is
 * Infinity, as the CLI wants) and tells listeners of each one.
 */
export class Trace {
  private buf: WireMessage[] = [];
  private start = 0;
  private nextSeq = 1;
  private listeners = new Set<(m: WireMessage) => void>();

  constructor(
    private readonly now: () => number,
    public capacity = 50_000,
  ) {}

  get count(): number {
    return this.nextSeq - 1;
  }

  record(m: WireInput): WireMessage {
    return this.hop(m.from, m.to, m.verb, m.resource, m.key, m.ok, m.error, m.detail);
  }

  /**
   * record() with the fields as arguments: the hot paths (every request,
   * every watch event) build no input object to copy.
   */
  hop(from: string, to: string, verb: string, resource: string, key: string, ok: boolean, error?: string, detail?: string): WireMessage {
    const msg: WireMessage = { seq: this.nextSeq++, t: this.now(), from, to, verb, resource, key, ok };
    if (detail !== undefined) msg.detail = detail;
    if (error !== undefined) msg.error = error;
    if (this.buf.length - this.start >= this.capacity) this.start++;
    this.buf.push(msg);
    // Compact lazily so dropping the oldest stays O(1) amortized.
    if (this.start > 4096 && this.start * 2 > this.buf.length) {
      this.buf = this.buf.slice(this.start);
      this.start = 0;
    }
    for (const l of this.listeners) l(msg);
    return msg;
  }

  /** Messages kept, oldest first; with `afterSeq`, only the newer ones. */
  messages(afterSeq = 0): WireMessage[] {
    const out: WireMessage[] = [];
    for (let i = this.buf.length - 1; i >= this.start; i--) {
      if (this.buf[i].seq <= afterSeq) break;
      out.push(this.buf[i]);
    }
    return out.reverse();
  }

  subscribe(listener: (m: WireMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

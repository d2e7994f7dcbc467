// The apiserver's watch fan-out (its "cacher"): one listener on etcd's
// commits, many client watches. Pod watches pinned to a node with
// spec.nodeName=X are indexed by node, so a write reaches the one kubelet
// that cares instead of being tested against 5,000 of them. Events reach a
// watcher after a small delay, in batches, as a watch stream would carry them.
import type { KubeObject, ResourceInfo } from '../api/types';
import type { Kernel } from '../kernel/kernel';
import type { MvccEvent } from '../etcd/mvcc';
import type { Failure } from './status';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject | Failure;
}

/**
 * Receives one event; `key` is its object's "namespace/name" ("name" when
 * cluster-scoped, "" for BOOKMARK and ERROR), worked out once per change
 * for every watcher, as a client's store keys it.
 */
export type WatchHandler = (ev: WatchEvent, key: string) => void;

export interface WatchSpec {
  client: string;
  info: ResourceInfo;
  namespace?: string;
  /** Combined label and field selector; undefined matches everything. */
  matches?: (o: KubeObject) => boolean;
  /** Set for pod watches pinned to one node: the index key. */
  nodeName?: string;
  allowBookmarks: boolean;
  handler: WatchHandler;
  onClose?: () => void;
}

export interface WatchHandle {
  stop(): void;
  readonly closed: boolean;
}

interface Watcher extends WatchSpec {
  pending: WatchEvent[];
  /** The trace key of each pending event's object ("namespace/name"), worked out once per change for all its watchers. */
  pendingKeys: string[];
  /** Emptied arrays of the last delivery, reused for the next (a watch delivers thousands of times). */
  spareEvents?: WatchEvent[];
  spareKeys?: string[];
  /** The instant its pending events will be delivered, while some are. */
  flushAt?: number;
  closed: boolean;
  /** A watch that only carries one terminal event (410 Gone) ends once it is delivered. */
  closeAfterFlush: boolean;
}

interface ResourceWatchers {
  /** Watches that must see every write to the resource. */
  all: Set<Watcher>;
  byNode: Map<string, Set<Watcher>>;
}

const resourceOfKey = (key: string) => key.slice(10, key.indexOf('/', 10)); // "/registry/<resource>/..."

export class WatchHub {
  private byResource = new Map<string, ResourceWatchers>();
  private count = 0;
  /**
   * Watchers with events to deliver, grouped by the instant of delivery: one
   * kernel event per instant, not one per watcher, in the order they queued.
   */
  private batches = new Map<number, Watcher[]>();

  constructor(
    private readonly kernel: Kernel,
    private readonly delay: number,
    /** The apiserver replica these watches are connected to: the events' sender in the trace. */
    private readonly name = 'kube-apiserver',
  ) {}

  get size(): number {
    return this.count;
  }

  add(spec: WatchSpec, initial: WatchEvent[], closeAfterFlush = false): WatchHandle {
    const w: Watcher = { ...spec, pending: [], pendingKeys: [], spareEvents: undefined, spareKeys: undefined, flushAt: undefined, closed: false, closeAfterFlush };
    const rw = this.watchersOf(spec.info.resource);
    if (spec.nodeName !== undefined) {
      let set = rw.byNode.get(spec.nodeName);
      if (!set) rw.byNode.set(spec.nodeName, (set = new Set()));
      set.add(w);
    } else rw.all.add(w);
    this.count++;
    for (const ev of initial) this.enqueue(w, ev, traceKey(ev));
    return {
      stop: () => this.remove(w),
      get closed() {
        return w.closed;
      },
    };
  }

  /** Server side end of every watch (the apiserver is stopping): clients are told the stream closed. */
  closeAll(): void {
    for (const rw of this.byResource.values()) {
      for (const w of [...rw.all, ...[...rw.byNode.values()].flatMap((s) => [...s])]) {
        this.remove(w);
        w.onClose?.();
      }
    }
  }

  /** Sends one terminal event (e.g. 410 Gone) and closes the watch, as the apiserver does. */
  fail(spec: WatchSpec, status: Failure): WatchHandle {
    return this.add(spec, [{ type: 'ERROR', object: status }], true);
  }

  /** Routes one committed etcd event to the watches it concerns. */
  dispatch(ev: MvccEvent): void {
    const rw = this.byResource.get(resourceOfKey(ev.kv.key));
    if (!rw) return;
    const now = ev.type === 'PUT' ? (ev.kv.value as KubeObject) : undefined;
    const before = ev.prev?.value as KubeObject | undefined;
    // Watchers that see the change the same way share one event (handlers only read it).
    const shared = new SharedEvents(ev);
    for (const w of rw.all) this.route(w, shared);
    if (rw.byNode.size > 0) {
      const a = nodeNameOf(before);
      const b = nodeNameOf(now);
      const sa = a !== undefined ? rw.byNode.get(a) : undefined;
      if (sa) for (const w of sa) this.route(w, shared);
      if (b !== a && b !== undefined) {
        const sb = rw.byNode.get(b);
        if (sb) for (const w of sb) this.route(w, shared);
      }
    }
  }

  private route(w: Watcher, shared: SharedEvents): void {
    const out = shared.eventFor(w);
    if (out) this.enqueue(w, out, shared.key);
  }

  /** BOOKMARK to every watch that asked for them: "you are up to date at this resourceVersion". */
  bookmark(resourceVersion: string): void {
    for (const rw of this.byResource.values()) {
      // One event per resource: every watcher of it gets the same (handlers only read it).
      let ev: WatchEvent | undefined;
      const visit = (w: Watcher) => {
        if (!w.allowBookmarks) return;
        const { apiVersion, kind } = w.info;
        this.enqueue(w, (ev ??= { type: 'BOOKMARK', object: { apiVersion, kind, metadata: { resourceVersion } } }), '');
      };
      for (const w of rw.all) visit(w);
      for (const s of rw.byNode.values()) for (const w of s) visit(w);
    }
  }

  private watchersOf(resource: string): ResourceWatchers {
    let rw = this.byResource.get(resource);
    if (!rw) this.byResource.set(resource, (rw = { all: new Set(), byNode: new Map() }));
    return rw;
  }

  private enqueue(w: Watcher, ev: WatchEvent, key: string): void {
    if (w.closed) return;
    w.pending.push(ev);
    w.pendingKeys.push(key);
    if (w.flushAt !== undefined) return;
    const at = this.kernel.now + this.delay;
    w.flushAt = at;
    const batch = this.batches.get(at);
    if (batch) batch.push(w);
    else {
      this.batches.set(at, [w]);
      this.kernel.at(at, 'watch.deliver', () => this.flushBatch(at));
    }
  }

  private flushBatch(at: number): void {
    const batch = this.batches.get(at)!;
    this.batches.delete(at);
    for (const w of batch) if (!w.closed && w.flushAt === at) this.flush(w);
  }

  private flush(w: Watcher): void {
    w.flushAt = undefined;
    const batch = w.pending;
    const keys = w.pendingKeys;
    // What the handlers queue meanwhile goes to the spare pair; the delivered pair becomes the next spare.
    w.pending = w.spareEvents ?? [];
    w.pendingKeys = w.spareKeys ?? [];
    w.spareEvents = w.spareKeys = undefined;
    const trace = this.kernel.trace;
    for (let i = 0; i < batch.length; i++) {
      if (w.closed) return;
      const ev = batch[i];
      const error = ev.type === 'ERROR' ? (ev.object as Failure).message : undefined;
      trace.hop(this.name, w.client, 'watch', w.info.resource, keys[i], error === undefined, error, ev.type);
      w.handler(ev, keys[i]);
    }
    batch.length = 0;
    keys.length = 0;
    w.spareEvents = batch;
    w.spareKeys = keys;
    if (w.closeAfterFlush) this.remove(w);
  }

  private remove(w: Watcher): void {
    if (w.closed) return;
    w.closed = true;
    w.flushAt = undefined;
    w.pending = [];
    w.pendingKeys = [];
    const rw = this.byResource.get(w.info.resource);
    if (!rw) return;
    if (w.nodeName !== undefined) rw.byNode.get(w.nodeName)?.delete(w);
    else rw.all.delete(w);
    this.count--;
  }
}

/**
 * What a watcher sees of one committed change: ADDED when the object comes
 * into its selection, MODIFIED while it stays, DELETED when it is deleted or
 * leaves the selection; nothing when it never was in it.
 */
export function eventFor(w: Pick<WatchSpec, 'namespace' | 'matches'>, ev: MvccEvent): WatchEvent | undefined {
  return new SharedEvents(ev).eventFor(w);
}

/**
 * The events one committed change can give its watchers, each made once:
 * every watcher that sees it as MODIFIED (or ADDED, or DELETED) gets the
 * same event object, and the trace key of its object is worked out once.
 */
class SharedEvents {
  private readonly now: KubeObject | undefined;
  private readonly before: KubeObject | undefined;
  private added?: WatchEvent;
  private modified?: WatchEvent;
  private deleted?: WatchEvent;
  private keyText?: string;

  constructor(private readonly ev: MvccEvent) {
    this.now = ev.type === 'PUT' ? (ev.kv.value as KubeObject) : undefined;
    this.before = ev.prev?.value as KubeObject | undefined;
  }

  /** The object's "namespace/name" for the trace: the same for every event of this change, worked out once. */
  get key(): string {
    if (this.keyText === undefined) {
      const m = (this.now ?? this.before)?.metadata;
      this.keyText = m?.namespace ? `${m.namespace}/${m.name ?? ''}` : (m?.name ?? '');
    }
    return this.keyText;
  }

  eventFor(w: Pick<WatchSpec, 'namespace' | 'matches'>): WatchEvent | undefined {
    const { now, before } = this;
    const was = before !== undefined && matches(w, before);
    const is = now !== undefined && matches(w, now);
    if (is) return was ? (this.modified ??= { type: 'MODIFIED', object: now! }) : (this.added ??= { type: 'ADDED', object: now! });
    if (was) return (this.deleted ??= { type: 'DELETED', object: now ?? withResourceVersion(before!, this.ev.revision) });
    return undefined;
  }
}

/** "namespace/name" (or "name") of a watch event's object, as the trace shows it. */
function traceKey(ev: WatchEvent): string {
  const m = (ev.object as KubeObject).metadata;
  return m?.namespace ? `${m.namespace}/${m.name ?? ''}` : (m?.name ?? '');
}

function matches(w: Pick<WatchSpec, 'namespace' | 'matches'>, o: KubeObject): boolean {
  if (w.namespace !== undefined && o.metadata.namespace !== w.namespace) return false;
  return w.matches === undefined || w.matches(o);
}

function nodeNameOf(o: KubeObject | undefined): string | undefined {
  return o ? ((o.spec as { nodeName?: string } | undefined)?.nodeName ?? '') : undefined;
}

function withResourceVersion(o: KubeObject, revision: number): KubeObject {
  return { ...o, metadata: { ...o.metadata, resourceVersion: String(revision) } };
}

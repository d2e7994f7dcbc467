// A client-go style informer: lists and watches one kind through the
// apiserver, keeps a local copy, and calls add/update/delete handlers.
// It starts as client-go's Reflector.ListAndWatch does with the
// WatchListClient feature off (its default before v1.35): a LIST, then a
// WATCH from the list's resourceVersion, so the initial state is one
// response and the watch carries only what changed after it. When the
// watch ends (the apiserver stopped, or history was compacted: 410 Gone)
// it starts again, resuming from the last resourceVersion it saw or
// relisting when that is too old, and reports what changed meanwhile.
import type { KubeObject } from '../api/types';
import type { ApiClient, ListOptions } from '../apiserver/apiserver';
import type { WatchHandle } from '../apiserver/watch-hub';
import type { Kernel, Timer } from '../kernel/kernel';

export interface InformerHandlers {
  add?(obj: KubeObject): void;
  update?(obj: KubeObject, old: KubeObject): void;
  delete?(obj: KubeObject): void;
}

/** Wait before re-establishing a broken watch (client-go's backoff starts near 1 s). */
const RETRY_MS = 1000;

const keyOf = (o: KubeObject) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name!);

export class Informer {
  private readonly store = new Map<string, KubeObject>();
  private handle?: WatchHandle;
  private retry?: Timer;
  private lastRV?: string;
  private stopped = true;
  /** A list made whose response has not reached the store yet. */
  private pendingList?: { items: readonly KubeObject[]; timer: Timer };

  constructor(
    private readonly kernel: Kernel,
    private readonly client: ApiClient,
    private readonly kind: string,
    private readonly options: ListOptions,
    private readonly handlers: InformerHandlers,
  ) {}

  /**
   * Starts the reflector. `listed`: a list its owner already made and
   * handled (the kubelet reads its pods itself before it admits them): the
   * store starts from it and the watch from its resourceVersion, with no
   * second read and no handler calls for what it held.
   */
  start(listed?: { items: readonly KubeObject[]; resourceVersion: string }): void {
    this.stopped = false;
    if (listed && this.lastRV === undefined) {
      for (const o of listed.items) this.store.set(keyOf(o), o);
      this.lastRV = listed.resourceVersion;
    }
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.handle?.stop();
    this.handle = undefined;
    this.kernel.cancel(this.retry);
    // A list whose response has not arrived is lost with the connection: the next start lists again.
    if (this.pendingList) {
      this.kernel.cancel(this.pendingList.timer);
      this.pendingList = undefined;
      this.lastRV = undefined;
    }
  }

  get(key: string): KubeObject | undefined {
    return this.store.get(key);
  }

  list(): IterableIterator<KubeObject> {
    return this.store.values();
  }

  get size(): number {
    return this.store.size;
  }

  private connect(): void {
    if (this.stopped) return;
    // Nothing to resume from (the first start, or after 410 Gone): list, then watch from the list's resourceVersion.
    if (this.lastRV === undefined) {
      const listed = this.client.list(this.kind, this.options);
      if (!listed.ok) return this.scheduleRetry();
      this.lastRV = listed.resourceVersion;
      // The watch cache serves the list; it reaches the reflector as its events do, watchDelay later.
      const timer = this.kernel.after(this.client.watchDelay, 'informer.list', () => this.applyList());
      this.pendingList = { items: listed.items, timer };
    }
    const r = this.client.watch(
      this.kind,
      { ...this.options, resourceVersion: this.lastRV, allowBookmarks: true, onClose: () => this.scheduleRetry() },
      (ev, key) => {
        // The stream's first event never overtakes the list it follows.
        this.applyList();
        if (ev.type === 'ERROR') {
          // 410 Gone: our resourceVersion is compacted away; relist from scratch.
          this.lastRV = undefined;
          this.scheduleRetry();
          return;
        }
        const obj = ev.object as KubeObject;
        this.lastRV = obj.metadata.resourceVersion ?? this.lastRV;
        if (ev.type === 'BOOKMARK') return;
        // The hub hands the object's store key along (one string per change for all its watchers).
        if (ev.type === 'DELETED') return this.remove(obj, key);
        this.upsert(obj, key);
      },
    );
    if (!r.ok) return this.scheduleRetry();
    this.handle = r.object;
  }

  private applyList(): void {
    const pending = this.pendingList;
    if (!pending) return;
    this.pendingList = undefined;
    this.kernel.cancel(pending.timer);
    this.replace(pending.items);
  }

  /**
   * The store becomes the list (the reflector's syncWith, DeltaFIFO.Replace):
   * each listed object added or updated, in the list's order, then what the
   * list no longer holds deleted.
   */
  private replace(items: readonly KubeObject[]): void {
    if (this.store.size === 0) {
      // The first list: every object is new (nothing to look up first).
      for (const o of items) {
        this.store.set(keyOf(o), o);
        this.handlers.add?.(o);
      }
      return;
    }
    const seen = new Set<string>();
    for (const o of items) {
      seen.add(keyOf(o));
      this.upsert(o);
    }
    for (const [k, o] of [...this.store]) if (!seen.has(k)) this.remove(o, k);
  }

  private upsert(obj: KubeObject, k = keyOf(obj)): void {
    const old = this.store.get(k);
    this.store.set(k, obj);
    if (old) {
      if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.handlers.update?.(obj, old);
    } else this.handlers.add?.(obj);
  }

  private remove(obj: KubeObject, k = keyOf(obj)): void {
    const old = this.store.get(k);
    if (!old) return;
    this.store.delete(k);
    this.handlers.delete?.(old);
  }

  private scheduleRetry(): void {
    this.handle = undefined;
    if (this.stopped || this.retry) return;
    this.retry = this.kernel.after(RETRY_MS, 'informer.retry', () => {
      this.retry = undefined;
      this.connect();
    });
  }
}

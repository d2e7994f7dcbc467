// A client-go style informer: lists and watches one kind through the
// apiserver, keeps a local copy, and calls add/update/delete handlers.
// When the watch ends (the apiserver stopped, or history was compacted:
// 410 Gone) it starts again, resuming from the last resourceVersion it saw
// or relisting when that is too old, and reports what changed meanwhile.
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
  /** Objects seen in the current relist, to find the ones deleted while we were away. */
  private relisting?: Set<string>;

  constructor(
    private readonly kernel: Kernel,
    private readonly client: ApiClient,
    private readonly kind: string,
    private readonly options: ListOptions,
    private readonly handlers: InformerHandlers,
  ) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.handle?.stop();
    this.handle = undefined;
    this.kernel.cancel(this.retry);
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
    // Resume after the last event seen; without one, start from a full state (synthetic ADDED).
    const resume = this.lastRV;
    // A relist must find what was deleted meanwhile; a first list (empty store) has nothing to compare.
    if (resume === undefined) this.relisting = this.store.size > 0 ? new Set() : undefined;
    const r = this.client.watch(
      this.kind,
      { ...this.options, resourceVersion: resume, allowBookmarks: true, onClose: () => this.scheduleRetry() },
      (ev) => {
        if (ev.type === 'ERROR') {
          // 410 Gone: our resourceVersion is compacted away; relist from scratch.
          this.lastRV = undefined;
          this.scheduleRetry();
          return;
        }
        const obj = ev.object as KubeObject;
        this.lastRV = obj.metadata.resourceVersion ?? this.lastRV;
        // The apiserver ends the initial state with a BOOKMARK (k8s.io/initial-events-end).
        if (ev.type === 'BOOKMARK') return this.finishRelist();
        if (ev.type === 'DELETED') return this.remove(obj);
        this.relisting?.add(keyOf(obj));
        this.upsert(obj);
      },
    );
    if (!r.ok) return this.scheduleRetry();
    this.handle = r.object;
  }

  private finishRelist(): void {
    const seen = this.relisting;
    if (!seen) return;
    this.relisting = undefined;
    for (const [k, o] of [...this.store]) if (!seen.has(k)) this.remove(o);
  }

  private upsert(obj: KubeObject): void {
    const k = keyOf(obj);
    const old = this.store.get(k);
    this.store.set(k, obj);
    if (old) {
      if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.handlers.update?.(obj, old);
    } else this.handlers.add?.(obj);
  }

  private remove(obj: KubeObject): void {
    const k = keyOf(obj);
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

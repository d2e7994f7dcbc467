// client-go's SharedInformerFactory, as kube-controller-manager uses it: one
// list+watch per kind for every controller in the process, with indexes
// (pods by node, objects by owner) so a controller finds what it needs
// without scanning 150,000 pods.
import type { KubeObject } from '../api/types';
import type { ApiClient } from '../apiserver/apiserver';
import { Informer, type InformerHandlers } from '../client/informer';
import type { Kernel } from '../kernel/kernel';

/** Maps an object to the index values it is filed under (e.g. its node name). */
export type IndexFunc = (obj: KubeObject) => readonly string[];

/** "namespace/name", or "name" for cluster-scoped objects: client-go's MetaNamespaceKeyFunc. */
export const keyOf = (o: KubeObject): string => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name!);

export const byNodeName: IndexFunc = (o) => {
  const n = (o.spec as { nodeName?: string } | undefined)?.nodeName;
  return n ? [n] : [];
};

const NO_VALUES: readonly string[] = [];
type OwnerRefs = NonNullable<KubeObject['metadata']['ownerReferences']>;

/**
 * An index of owner references, worked out once per list: the references
 * of stored objects are never mutated, and most writes (status, a Lease
 * renewal) carry the same list over, so both sides of an update get the
 * same answer without a new array.
 */
function byOwnerRefs(fn: (refs: OwnerRefs) => readonly string[]): IndexFunc {
  const memo = new WeakMap<OwnerRefs, readonly string[]>();
  return (o) => {
    const refs = o.metadata.ownerReferences;
    if (!refs?.length) return NO_VALUES;
    let v = memo.get(refs);
    if (!v) memo.set(refs, (v = fn(refs)));
    return v;
  };
}

/** The uid of the object's controller (the ownerReference with controller: true). */
export const byControllerUid: IndexFunc = byOwnerRefs((refs) => {
  const ref = refs.find((r) => r.controller);
  return ref ? [ref.uid] : NO_VALUES;
});

/** Every owner's uid, controller or not (the garbage collector's view). */
export const byOwnerUid: IndexFunc = byOwnerRefs((refs) => refs.map((r) => r.uid));

export const byNamespace: IndexFunc = (o) => (o.metadata.namespace ? [o.metadata.namespace] : []);

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Bookkeeping kept in step with an informer's store (counts, tallies): told
 * of every change after the indexes and before any handler, so a handler or
 * a sync that reads it sees the store as it is.
 */
export interface StoreTally {
  add(o: KubeObject): void;
  update(o: KubeObject, old: KubeObject): void;
  delete(o: KubeObject): void;
}

interface IndexEntry {
  fn: IndexFunc;
  /** Index value -> keys of the objects filed under it, in the order first filed. */
  items: Map<string, Set<string>>;
}

export class SharedInformer {
  private readonly handlers: InformerHandlers[] = [];
  /**
   * Each index maps a value to the keys filed under it, as client-go's
   * indexer does: an update that leaves an object's values as they were (a
   * status write, most of them) costs the index nothing; reads look the
   * keys up in the store.
   */
  private readonly indexers = new Map<string, IndexEntry>();
  private readonly tallies = new Map<string, StoreTally>();
  readonly informer: Informer;

  constructor(kernel: Kernel, client: ApiClient, readonly kind: string) {
    this.informer = new Informer(kernel, client, kind, {}, {
      add: (o) => {
        this.index(o, undefined);
        for (const t of this.tallies.values()) t.add(o);
        for (const h of this.handlers) h.add?.(o);
      },
      update: (o, old) => {
        this.index(o, old);
        for (const t of this.tallies.values()) t.update(o, old);
        for (const h of this.handlers) h.update?.(o, old);
      },
      delete: (o) => {
        this.unindex(o);
        for (const t of this.tallies.values()) t.delete(o);
        for (const h of this.handlers) h.delete?.(o);
      },
    });
  }

  /** Adds event handlers; call before the factory starts (as controllers do in their constructors). */
  on(h: InformerHandlers): void {
    this.handlers.push(h);
  }

  /** Adds an index; objects already in the store are filed too. */
  addIndex(name: string, fn: IndexFunc): void {
    if (this.indexers.has(name)) return;
    const entry: IndexEntry = { fn, items: new Map() };
    this.indexers.set(name, entry);
    for (const o of this.informer.list()) this.file(entry, o, keyOf(o));
  }

  /** The tally of that name, made (and fed the objects already in the store) on first use; shared, as indexes are. */
  tally<T extends StoreTally>(name: string, make: () => T): T {
    let t = this.tallies.get(name) as T | undefined;
    if (!t) {
      this.tallies.set(name, (t = make()));
      for (const o of this.informer.list()) t.add(o);
    }
    return t;
  }

  get(key: string): KubeObject | undefined {
    return this.informer.get(key);
  }

  list(): KubeObject[] {
    return [...this.informer.list()];
  }

  /** Objects filed under `value` in index `name`, in the order they were first filed. */
  byIndex(name: string, value: string): KubeObject[] {
    const entry = this.indexers.get(name);
    if (!entry) throw new Error(`${this.kind} informer has no index ${JSON.stringify(name)}`);
    const keys = entry.items.get(value);
    if (!keys) return [];
    const out: KubeObject[] = [];
    for (const k of keys) out.push(this.informer.get(k)!);
    return out;
  }

  /** The values index `name` files objects under (each with at least one object), in the order first filed. */
  indexValues(name: string): IterableIterator<string> {
    const entry = this.indexers.get(name);
    if (!entry) throw new Error(`${this.kind} informer has no index ${JSON.stringify(name)}`);
    return entry.items.keys();
  }

  /** How many objects are filed under `value` in index `name`. */
  indexCount(name: string, value: string): number {
    return this.indexers.get(name)?.items.get(value)?.size ?? 0;
  }

  get size(): number {
    return this.informer.size;
  }

  private file(entry: IndexEntry, o: KubeObject, k: string): void {
    const values = entry.fn(o);
    if (!values.length) return;
    for (const v of values) {
      let m = entry.items.get(v);
      if (!m) entry.items.set(v, (m = new Set()));
      m.add(k);
    }
  }

  private unfile(entry: IndexEntry, o: KubeObject, k: string): void {
    for (const v of entry.fn(o)) {
      const m = entry.items.get(v);
      if (!m) continue;
      m.delete(k);
      if (m.size === 0) entry.items.delete(v);
    }
  }

  private index(o: KubeObject, old: KubeObject | undefined): void {
    // The key is worked out once, for every index (and hashed once).
    let k: string | undefined;
    for (const entry of this.indexers.values()) {
      if (old) {
        // Most updates (status writes) leave an object filed where it was: nothing to do.
        if (sameValues(entry.fn(old), entry.fn(o))) continue;
        this.unfile(entry, old, (k ??= keyOf(o)));
      }
      this.file(entry, o, (k ??= keyOf(o)));
    }
  }

  private unindex(o: KubeObject): void {
    const k = keyOf(o);
    for (const entry of this.indexers.values()) this.unfile(entry, o, k);
  }
}

/** One SharedInformer per kind, started and stopped together with the process that holds them. */
export class SharedInformers {
  private readonly byKind = new Map<string, SharedInformer>();
  private started = false;

  constructor(
    private readonly kernel: Kernel,
    private readonly client: ApiClient,
  ) {}

  for(kind: string): SharedInformer {
    let i = this.byKind.get(kind);
    if (!i) {
      this.byKind.set(kind, (i = new SharedInformer(this.kernel, this.client, kind)));
      if (this.started) i.informer.start();
    }
    return i;
  }

  start(): void {
    this.started = true;
    for (const i of this.byKind.values()) i.informer.start();
  }

  stop(): void {
    this.started = false;
    for (const i of this.byKind.values()) i.informer.stop();
  }
}

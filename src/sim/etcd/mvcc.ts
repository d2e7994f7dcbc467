// etcd's multi-version key-value store: every committed write gets the next
// revision; a key remembers the revision that created it, the one that last
// modified it and how many times it changed. History is kept until
// compaction, so watches can start from a past revision; starting from a
// compacted one fails as etcd does ("required revision has been compacted").

export interface KeyValue<V = unknown> {
  key: string;
  value: V;
  createRevision: number;
  modRevision: number;
  version: number;
}

export type MvccEventType = 'PUT' | 'DELETE';

export interface MvccEvent<V = unknown> {
  type: MvccEventType;
  revision: number;
  kv: KeyValue<V>;
  /** The key's previous state, when it had one. */
  prev?: KeyValue<V>;
}

export class CompactedError extends Error {
  constructor(
    readonly requested: number,
    readonly compacted: number,
  ) {
    super('mvcc: required revision has been compacted');
  }
}

/** Keys are grouped by their prefix up to the resource ("/registry/pods/") so a list reads one bucket. */
function bucketOf(key: string): string {
  const second = key.indexOf('/', 10); // after "/registry/"
  return second < 0 ? key : key.slice(0, second + 1);
}

export class MvccStore<V = unknown> {
  private buckets = new Map<string, Map<string, KeyValue<V>>>();
  private events: MvccEvent<V>[] = [];
  private rev = 1; // etcd starts at revision 1 with an empty store
  private compactRev = 0;
  /** Each bucket's keys in key order, kept until a key is added or removed (an update keeps the set). */
  private readonly sortedKeysOf = new Map<string, string[]>();

  get revision(): number {
    return this.rev;
  }

  get compactedRevision(): number {
    return this.compactRev;
  }

  get(key: string): KeyValue<V> | undefined {
    return this.buckets.get(bucketOf(key))?.get(key);
  }

  /**
   * The keys under a bucket prefix in key order, as etcd ranges them. Sorted
   * once and kept while no key comes or goes: every informer of a starting
   * cluster lists 150,000 pods at the same instant.
   */
  sortedKeys(bucket: string): readonly string[] {
    let keys = this.sortedKeysOf.get(bucket);
    if (!keys) this.sortedKeysOf.set(bucket, (keys = [...(this.buckets.get(bucket)?.keys() ?? [])].sort()));
    return keys;
  }

  /** The values under a bucket prefix in key order (sortedKeys). */
  sortedValues(bucket: string): V[] {
    const b = this.buckets.get(bucket);
    if (!b) return [];
    const out: V[] = [];
    for (const k of this.sortedKeys(bucket)) out.push(b.get(k)!.value);
    return out;
  }

  /** Every key under a bucket prefix such as "/registry/pods/". Insertion order; callers sort if they need to. */
  range(bucket: string): Iterable<KeyValue<V>> {
    return this.buckets.get(bucket)?.values() ?? [];
  }

  countRange(bucket: string): number {
    return this.buckets.get(bucket)?.size ?? 0;
  }

  /** How many keys are stored, over every bucket. */
  get size(): number {
    let n = 0;
    for (const b of this.buckets.values()) n += b.size;
    return n;
  }

  /** Writes `value` at the next revision. The caller has checked its preconditions. */
  put(key: string, value: V): MvccEvent<V> {
    const bucketKey = bucketOf(key);
    let bucket = this.buckets.get(bucketKey);
    if (!bucket) this.buckets.set(bucketKey, (bucket = new Map()));
    const prev = bucket.get(key);
    if (!prev) this.sortedKeysOf.delete(bucketKey);
    const revision = ++this.rev;
    const kv: KeyValue<V> = {
      key,
      value,
      createRevision: prev ? prev.createRevision : revision,
      modRevision: revision,
      version: prev ? prev.version + 1 : 1,
    };
    bucket.set(key, kv);
    const ev: MvccEvent<V> = { type: 'PUT', revision, kv, prev };
    this.events.push(ev);
    return ev;
  }

  delete(key: string): MvccEvent<V> | undefined {
    const bucket = this.buckets.get(bucketOf(key));
    const prev = bucket?.get(key);
    if (!bucket || !prev) return undefined;
    bucket.delete(key);
    this.sortedKeysOf.delete(bucketOf(key));
    const revision = ++this.rev;
    const ev: MvccEvent<V> = { type: 'DELETE', revision, kv: { ...prev, modRevision: revision, version: 0 }, prev };
    this.events.push(ev);
    return ev;
  }

  /**
   * Loads a starting state in one go (a restored snapshot): each value gets
   * its own revision, and history starts after them, as if compacted there.
   */
  restore(entries: Iterable<[string, (revision: number) => V]>): void {
    this.sortedKeysOf.clear();
    // A snapshot lists a resource's keys together: a key under the bucket of the key before needs no lookup.
    let bucketKey = '';
    let bucket: Map<string, KeyValue<V>> | undefined;
    for (const entry of entries) {
      const key = entry[0];
      if (!bucket || !bucketKey.endsWith('/') || !key.startsWith(bucketKey)) {
        bucketKey = bucketOf(key);
        bucket = this.buckets.get(bucketKey);
        if (!bucket) this.buckets.set(bucketKey, (bucket = new Map()));
      }
      const revision = ++this.rev;
      bucket.set(key, { key, value: entry[1](revision), createRevision: revision, modRevision: revision, version: 1 });
    }
    this.compactRev = this.rev;
    this.events = [];
  }

  /** Events with revision >= fromRevision. Throws CompactedError when that history is gone. */
  eventsFrom(fromRevision: number): MvccEvent<V>[] {
    if (fromRevision <= this.compactRev) throw new CompactedError(fromRevision, this.compactRev);
    const ev = this.events;
    let lo = 0;
    let hi = ev.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ev[mid].revision < fromRevision) lo = mid + 1;
      else hi = mid;
    }
    return ev.slice(lo);
  }

  /** Drops history at and below `revision`, as etcd's compaction does. */
  compact(revision: number): void {
    const target = Math.min(revision, this.rev);
    if (target <= this.compactRev) return;
    this.compactRev = target;
    let i = 0;
    while (i < this.events.length && this.events[i].revision <= target) i++;
    this.events = this.events.slice(i);
  }

  get historyLength(): number {
    return this.events.length;
  }
}

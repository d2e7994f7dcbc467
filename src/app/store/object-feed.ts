// The store's view of the cluster's objects, kept by changes rather than
// rebuilt (STYLE 8): etcd's MVCC log (src/sim/etcd/mvcc.ts eventsFrom) says
// which keys changed since the revision the store last saw, as a watch from
// that revision would (k8s.io/apiserver storage/etcd3 watcher). Only when
// that history was compacted does the store list everything again, as an
// informer relists on 410 Gone. At 1,000 nodes listing and sorting every
// object took about 10 ms a frame, and mapping them to rows 10 ms more.
import { RESOURCES, type KubeObject } from '../../sim/api/types';
import { CompactedError, type MvccEvent } from '../../sim/etcd/mvcc';
import { objectKey, objectRow, type ObjectRow } from './object-rows';

/** What the feed reads: etcd's store for the changes, the cluster for a full list. */
export interface FeedSource {
  readonly revision: number;
  eventsFrom(revision: number): readonly MvccEvent[];
  /** Every object, in the cluster's order (Cluster.objects). */
  objects(): KubeObject[];
}

/** One write: created (prev null), modified, or deleted (object null). */
export interface ObjectChange {
  object: KubeObject | null;
  prev: KubeObject | null;
}

export type FeedUpdate = { kind: 'none' } | { kind: 'reset'; objects: KubeObject[] } | { kind: 'changes'; changes: ObjectChange[] };

/** The buckets Cluster.objects lists ("/registry/pods/"); other keys are not objects the UI shows. */
const BUCKETS = new Set(RESOURCES.map((r) => `/registry/${r.resource}/`));
const bucketOf = (key: string) => key.slice(0, key.indexOf('/', 10) + 1);

export class ObjectFeed {
  private seen = -1;

  constructor(private readonly source: FeedSource) {}

  /** Everything the first time and after a compaction; since then, the writes in revision order. */
  poll(): FeedUpdate {
    const rev = this.source.revision;
    if (rev === this.seen) return { kind: 'none' };
    const from = this.seen + 1;
    this.seen = rev;
    if (from === 0) return { kind: 'reset', objects: this.source.objects() };
    let events: readonly MvccEvent[];
    try {
      events = this.source.eventsFrom(from);
    } catch (e) {
      if (e instanceof CompactedError) return { kind: 'reset', objects: this.source.objects() };
      throw e;
    }
    const changes: ObjectChange[] = [];
    for (const ev of events) {
      if (!BUCKETS.has(bucketOf(ev.kv.key))) continue;
      const prev = (ev.prev?.value as KubeObject | undefined) ?? null;
      changes.push(ev.type === 'PUT' ? { object: ev.kv.value as KubeObject, prev } : { object: null, prev });
    }
    return { kind: 'changes', changes };
  }
}

const KIND_ORDER = new Map(RESOURCES.map((r, i) => [r.kind as string, i]));

/** Cluster.objects' order: kinds as RESOURCES lists them, then namespace, then name. */
export function compareRows(a: Pick<ObjectRow, 'kind' | 'namespace' | 'name'>, b: Pick<ObjectRow, 'kind' | 'namespace' | 'name'>): number {
  const ka = KIND_ORDER.get(a.kind) ?? RESOURCES.length;
  const kb = KIND_ORDER.get(b.kind) ?? RESOURCES.length;
  if (ka !== kb) return ka - kb;
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * The objects table's rows in the cluster's order. A change replaces one row
 * (or inserts or removes it by binary search); the array is a new one only
 * when a row changed, so a table reading it re-renders only then.
 */
export class ObjectRowList {
  private rows: ObjectRow[] = [];

  current(): ObjectRow[] {
    return this.rows;
  }

  reset(objects: readonly KubeObject[], previous: readonly ObjectRow[] = this.rows): void {
    const old = new Map(previous.map((r) => [r.key, r]));
    this.rows = objects.map((o) => {
      const r = old.get(objectKey(o));
      return r && r.resourceVersion === (o.metadata.resourceVersion ?? '') ? r : objectRow(o);
    });
  }

  apply(changes: readonly ObjectChange[]): void {
    if (changes.length === 0) return;
    const rows = this.rows.slice();
    for (const c of changes) {
      const o = c.object ?? c.prev;
      if (!o) continue;
      const probe = { kind: o.kind, namespace: o.metadata.namespace ?? '', name: o.metadata.name ?? '' };
      const i = lowerBound(rows, probe);
      const found = i < rows.length && compareRows(rows[i], probe) === 0;
      if (c.object === null) {
        if (found) rows.splice(i, 1);
      } else if (found) rows[i] = objectRow(c.object);
      else rows.splice(i, 0, objectRow(c.object));
    }
    this.rows = rows;
  }
}

function lowerBound(rows: readonly ObjectRow[], probe: Pick<ObjectRow, 'kind' | 'namespace' | 'name'>): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareRows(rows[mid], probe) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

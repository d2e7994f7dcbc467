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
import { applyKeyed, type ListOrder } from './keyed-delta';

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

/** The rows' order as a keyed list (keyed-delta.ts): how the worker sends them and the main thread merges them. */
export const ROW_ORDER: ListOrder<ObjectRow> = { key: (r) => r.key, compare: compareRows };

/** Kinds the objects table leaves out: Events have their own tab (counted here), Leases are the nodes' heartbeats, renewed every 10 s each. */
export const UNLISTED_KINDS: ReadonlySet<string> = new Set(['Event', 'Lease']);

/** The cluster at a glance (the Cluster panel, the tabs' counts), kept with the rows. */
export interface ObjectCounts {
  nodes: number;
  nodesReady: number;
  pods: number;
  podsRunning: number;
  /** Phase Pending and no spec.nodeName: waiting for kube-scheduler. */
  podsPending: number;
  /** Rows the table lists. */
  listed: number;
  events: number;
}

const NO_COUNTS: ObjectCounts = { nodes: 0, nodesReady: 0, pods: 0, podsRunning: 0, podsPending: 0, listed: 0, events: 0 };

function count(c: ObjectCounts, r: ObjectRow, sign: 1 | -1): void {
  c.listed += sign;
  if (r.kind === 'Node') {
    c.nodes += sign;
    // "Ready,SchedulingDisabled" (cordoned) is Ready, as kubectl get nodes counts it.
    if (r.status === 'Ready' || r.status.startsWith('Ready,')) c.nodesReady += sign;
  } else if (r.kind === 'Pod') {
    c.pods += sign;
    if (r.status === 'Running') c.podsRunning += sign;
    else if (r.status === 'Pending' && r.detail === 'not scheduled') c.podsPending += sign;
  }
}

const sameCounts = (a: ObjectCounts, b: ObjectCounts) => (Object.keys(a) as (keyof ObjectCounts)[]).every((k) => a[k] === b[k]);

/**
 * The objects table's rows in the cluster's order (Events and Leases left
 * out, only counted), and the counts the Cluster panel shows, both kept by
 * changes. A batch of changes is merged in one pass (keyed-delta.ts), not
 * spliced one by one: at config-max the list holds 150,000 rows and a
 * scale-up changes thousands a frame. The array is a new one only when a row
 * changed, so a table reading it re-renders only then.
 */
export class ObjectRowList {
  private rows: readonly ObjectRow[] = [];
  private tally: ObjectCounts = NO_COUNTS;

  current(): readonly ObjectRow[] {
    return this.rows;
  }

  counts(): ObjectCounts {
    return this.tally;
  }

  reset(objects: readonly KubeObject[], previous: readonly ObjectRow[] = this.rows): void {
    const old = new Map(previous.map((r) => [r.key, r]));
    const rows: ObjectRow[] = [];
    const c = { ...NO_COUNTS };
    for (const o of objects) {
      if (UNLISTED_KINDS.has(o.kind)) {
        if (o.kind === 'Event') c.events++;
        continue;
      }
      const r = old.get(objectKey(o));
      const row = r && r.resourceVersion === (o.metadata.resourceVersion ?? '') ? r : objectRow(o);
      rows.push(row);
      count(c, row, 1);
    }
    this.rows = rows;
    this.tally = sameCounts(c, this.tally) ? this.tally : c;
  }

  apply(changes: readonly ObjectChange[]): void {
    if (changes.length === 0) return;
    const c = { ...this.tally };
    // The last write of each key in the batch wins: its row, or null once deleted.
    const latest = new Map<string, { probe: Pick<ObjectRow, 'kind' | 'namespace' | 'name'>; row: ObjectRow | null }>();
    for (const ch of changes) {
      const o = ch.object ?? ch.prev;
      if (!o) continue;
      if (UNLISTED_KINDS.has(o.kind)) {
        if (o.kind === 'Event') c.events += ch.prev === null ? 1 : ch.object === null ? -1 : 0;
        continue;
      }
      const probe = { kind: o.kind, namespace: o.metadata.namespace ?? '', name: o.metadata.name ?? '' };
      latest.set(objectKey(o), { probe, row: ch.object ? objectRow(ch.object) : null });
    }
    const upserts: ObjectRow[] = [];
    const removed: ObjectRow[] = [];
    const rows = this.rows;
    for (const { probe, row } of latest.values()) {
      const i = lowerBound(rows, probe);
      const had = i < rows.length && compareRows(rows[i], probe) === 0 ? rows[i] : null;
      if (had) count(c, had, -1);
      if (row) {
        count(c, row, 1);
        upserts.push(row);
      } else if (had) removed.push(had);
    }
    upserts.sort(compareRows);
    removed.sort(compareRows);
    this.rows = applyKeyed(rows, { reset: false, upserts, removed }, ROW_ORDER);
    if (!sameCounts(c, this.tally)) this.tally = c;
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

// Events as kubectl shows them. The cluster-wide list follows `kubectl
// events` (k8s.io/kubectl/pkg/cmd/events/event_printer.go: LAST SEEN, TYPE,
// REASON, OBJECT as Kind/Name, MESSAGE, where LAST SEEN reads "12s (x3 over
// 1m)" for a repeated event); an object's own events follow the Events
// section of `kubectl describe` (k8s.io/kubectl/pkg/describe/describe.go
// DescribeEvents: Type, Reason, Age, From, Message, oldest first as
// SortableEvents orders them by lastTimestamp).
import type { Event } from '../../sim/api/types';
import type { Cluster } from '../../sim/cluster';
import { virtualMs } from '../../sim/kernel/time';
import { age } from '../format-age';

export interface EventRow {
  /** The Event's own namespace/name. */
  id: string;
  resourceVersion: string;
  /** Normal or Warning. */
  type: string;
  reason: string;
  message: string;
  /** The involved object as `kubectl events` prints it: "Pod/web-1". */
  object: string;
  /** The involved object's key, as object-rows.ts makes it ("Pod/default/web-1", "Node//node-1"), to select it. */
  objectKey: string;
  involvedUid?: string;
  /** kubectl describe's From: source.component, else reportingController. */
  from: string;
  /** First and last occurrence, virtual ms. */
  first: number;
  last: number;
  count: number;
}

/** Every Event the apiserver stores, read straight from etcd's bucket (no request, so nothing shows on the wire). */
export function storedEvents(cluster: Cluster): Event[] {
  const out: Event[] = [];
  for (const kv of cluster.etcd.store.range('/registry/events/')) out.push(kv.value as Event);
  return out;
}

function when(ts: string | undefined | null): number | undefined {
  if (!ts) return undefined;
  const ms = virtualMs(ts);
  return Number.isFinite(ms) ? ms : undefined;
}

export function eventRow(e: Event): EventRow {
  const io = e.involvedObject ?? {};
  const kind = io.kind ?? '';
  const name = io.name ?? '';
  // As kubectl: firstTimestamp, else eventTime (the events.k8s.io API sets only that); a series carries its own count and last time.
  const first = when(e.firstTimestamp) ?? when(e.eventTime) ?? 0;
  const last = (e.series ? when(e.series.lastObservedTime) : when(e.lastTimestamp)) ?? first;
  const count = e.series?.count ?? (e.count && e.count > 0 ? e.count : 1);
  return {
    id: `${e.metadata?.namespace ?? ''}/${e.metadata?.name ?? ''}`,
    resourceVersion: e.metadata?.resourceVersion ?? '',
    type: e.type ?? 'Normal',
    reason: e.reason ?? '',
    message: (e.message ?? '').trim(),
    object: `${kind}/${name}`,
    objectKey: `${kind}/${io.namespace ?? ''}/${name}`,
    involvedUid: io.uid,
    from: e.source?.component || e.reportingComponent || '',
    first,
    last,
    count,
  };
}

/**
 * Rows oldest first: by last occurrence, then by the revision of the Event's
 * last write (our timestamps have second precision; the revision keeps
 * Scheduled, Pulling, Pulled, Created, Started in the order they happened).
 * A row is reused when its Event did not change, so memoized table rows stay.
 */
export function eventRows(events: Iterable<Event>, previous: ReadonlyMap<string, EventRow> = new Map()): EventRow[] {
  const rows: EventRow[] = [];
  for (const e of events) {
    const id = `${e.metadata?.namespace ?? ''}/${e.metadata?.name ?? ''}`;
    const old = previous.get(id);
    rows.push(old && old.resourceVersion === (e.metadata?.resourceVersion ?? '') ? old : eventRow(e));
  }
  return rows.sort(oldestFirst);
}

export function oldestFirst(a: EventRow, b: EventRow): number {
  return a.last - b.last || Number(a.resourceVersion) - Number(b.resourceVersion) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The events about one object, as `kubectl describe` finds them: same uid, or same kind, namespace and name when either lacks one. */
export function eventsAbout(rows: readonly EventRow[], target: { kind: string; namespace?: string; name: string; uid?: string }): EventRow[] {
  const key = `${target.kind}/${target.namespace ?? ''}/${target.name}`;
  return rows.filter((r) => (r.involvedUid && target.uid ? r.involvedUid === target.uid : r.objectKey === key));
}

/** kubectl's interval: the age, or "LAST (xN over FIRST)" when the event repeated. */
export function eventInterval(row: Pick<EventRow, 'first' | 'last' | 'count'>, now: number): string {
  return row.count > 1 ? `${age(row.last, now)} (x${row.count} over ${age(row.first, now)})` : age(row.first, now);
}

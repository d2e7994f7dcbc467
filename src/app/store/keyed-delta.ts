// A sorted list of immutable items sent as what changed: the worker diffs
// the list it last posted against the current one (items keep their
// identity while unchanged, as ObjectRowList and WorkerViewIndex keep them),
// and the main thread merges the delta into its copy. At config-max the
// objects table holds 155,000 rows; a frame changes a few hundred.
export interface KeyedDelta<T> {
  /** The whole list (the first post, or a new cluster): `upserts` is it, in order. */
  reset: boolean;
  /** New or changed items, in the list's order. */
  upserts: T[];
  /** Items no longer in the list, as they were (in the list's order). */
  removed: T[];
}

export interface ListOrder<T> {
  key(item: T): string;
  compare(a: T, b: T): number;
}

/** What turns `prev` into `next` (both sorted by `order`). */
export function diffKeyed<T>(prev: readonly T[], next: readonly T[], order: ListOrder<T>): KeyedDelta<T> {
  const upserts: T[] = [];
  const removed: T[] = [];
  let i = 0;
  let j = 0;
  while (i < prev.length && j < next.length) {
    const a = prev[i];
    const b = next[j];
    if (a === b) {
      i++;
      j++;
      continue;
    }
    const c = order.compare(a, b);
    if (c === 0) {
      upserts.push(b);
      i++;
      j++;
    } else if (c < 0) {
      removed.push(a);
      i++;
    } else {
      upserts.push(b);
      j++;
    }
  }
  for (; i < prev.length; i++) removed.push(prev[i]);
  for (; j < next.length; j++) upserts.push(next[j]);
  return { reset: false, upserts, removed };
}

export function isEmptyDelta<T>(d: KeyedDelta<T>): boolean {
  return !d.reset && d.upserts.length === 0 && d.removed.length === 0;
}

/**
 * `base` with the delta applied: a new array (the same one when the delta is empty). Each change is
 * placed by binary search and the unchanged runs between them are copied whole, so a frame that
 * changes k of n rows costs k log n compares and one copy, not n compares.
 */
export function applyKeyed<T>(base: readonly T[], d: KeyedDelta<T>, order: ListOrder<T>): readonly T[] {
  if (d.reset) return d.upserts;
  if (d.upserts.length === 0 && d.removed.length === 0) return base;
  // Every change as (position in base, replaces the item there?, new item or none), in base order.
  type Edit = { at: number; hit: boolean; item: T | null };
  const edits: Edit[] = [];
  for (const item of d.removed) {
    const at = lowerBound(base, item, order);
    if (at < base.length && order.compare(base[at], item) === 0) edits.push({ at, hit: true, item: null });
  }
  for (const item of d.upserts) {
    const at = lowerBound(base, item, order);
    edits.push({ at, hit: at < base.length && order.compare(base[at], item) === 0, item });
  }
  // Same position: an insertion before the item there; a removal and an upsert of one key cannot both occur.
  edits.sort((a, b) => a.at - b.at || (a.hit === b.hit ? (a.item && b.item ? order.compare(a.item, b.item) : 0) : a.hit ? 1 : -1));
  const out: T[] = [];
  let from = 0;
  for (const e of edits) {
    for (let i = from; i < e.at; i++) out.push(base[i]);
    from = Math.max(from, e.at);
    if (e.item !== null) out.push(e.item);
    if (e.hit) from = e.at + 1;
  }
  for (let i = from; i < base.length; i++) out.push(base[i]);
  return out;
}

function lowerBound<T>(list: readonly T[], probe: T, order: ListOrder<T>): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (order.compare(list[mid], probe) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

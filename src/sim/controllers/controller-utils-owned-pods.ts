// What a workload controller's sync needs to know of the active pods it
// controls, kept from the shared pod informer's events instead of walked on
// every sync. Upstream's syncReplicaSet lists the namespace's pods, filters
// the active ones and counts the ready and available among them: a cheap
// walk over a Go slice, but with 50,000 pods per ReplicaSet and a sync on
// every event of one of them, it was most of the controller-manager's time
// here. So each controller uid keeps how many of its active pods there are,
// how many are Ready, when they became Ready (for availability after
// minReadySeconds, which depends on the clock and so is counted at the
// sync), and their distinct label sets (for the selector and the
// fully-labeled count, which depend on the owner's spec). Nothing here
// depends on an owner object: owners are only uids.
import type { KubeObject, Pod } from '../api/types';
import { controllerRefOf, isPodActive, podReadyCondition, timeMs } from './controller-utils';
import type { SharedInformer, StoreTally } from './shared-informers';

/** One label set shared by some of an owner's active pods. */
export interface LabelSet {
  /** The labels of the first pod counted with this set (all of them carry equal labels). */
  readonly labels: Readonly<Record<string, string>> | undefined;
  count: number;
}

/** The tally of one owner's active pods. */
export interface OwnedPodCounts {
  /** Active pods (not finished, not being deleted). */
  active: number;
  /** Active pods whose Ready condition is True. */
  ready: number;
  /** Ready active pods by the time (virtual ms) their Ready condition last turned True; unparseable or missing times are not here. */
  readonly readySince: Map<number, number>;
  /** Active pods by their label set (a canonical key of the labels). */
  readonly labelSets: Map<string, LabelSet>;
}

/** A pod's part in its owner's tally; undefined for a pod that is not counted. */
interface Share {
  owner: string;
  ready: boolean;
  /** When it became Ready (only for a Ready pod with a valid time). */
  since: number | undefined;
  labelsKey: string;
}

const labelKeys = new WeakMap<object, string>();
const NO_LABELS = '[]';

/** A canonical key of a label map: equal labels give the same key. Stored label maps are never mutated. */
export function labelsKey(labels: Readonly<Record<string, string>> | undefined): string {
  if (!labels) return NO_LABELS;
  let k = labelKeys.get(labels);
  if (k === undefined) {
    k = JSON.stringify(Object.entries(labels).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
    labelKeys.set(labels, k);
  }
  return k;
}

function shareOf(p: Pod): Share | undefined {
  const ref = controllerRefOf(p);
  if (!ref || !isPodActive(p)) return undefined;
  const c = podReadyCondition(p);
  const ready = c?.status === 'True';
  const t = ready ? timeMs(c.lastTransitionTime) : undefined;
  return { owner: ref.uid, ready, since: t !== undefined && Number.isFinite(t) ? t : undefined, labelsKey: labelsKey(p.metadata?.labels) };
}

const sameShare = (a: Share | undefined, b: Share | undefined) =>
  a === b || (!!a && !!b && a.owner === b.owner && a.ready === b.ready && a.since === b.since && a.labelsKey === b.labelsKey);

function bump(m: Map<number, number>, t: number, by: number): void {
  const n = (m.get(t) ?? 0) + by;
  if (n === 0) m.delete(t);
  else m.set(t, n);
}

/**
 * Active pods by the uid of their controller, tallied. Fed every change of
 * the pod informer's store (as a SharedInformer tally), so it always
 * describes exactly the pods the store holds.
 */
export class OwnedPodTally implements StoreTally {
  private readonly owners = new Map<string, OwnedPodCounts>();

  add(o: KubeObject): void {
    this.apply(shareOf(o as Pod), o as Pod, 1);
  }

  update(o: KubeObject, old: KubeObject): void {
    const before = shareOf(old as Pod);
    const after = shareOf(o as Pod);
    if (sameShare(before, after)) return;
    this.apply(before, old as Pod, -1);
    this.apply(after, o as Pod, 1);
  }

  delete(o: KubeObject): void {
    this.apply(shareOf(o as Pod), o as Pod, -1);
  }

  /** The counts of the owner's active pods; undefined when it has none. */
  of(ownerUid: string): Readonly<OwnedPodCounts> | undefined {
    return this.owners.get(ownerUid);
  }

  /** podutil.IsPodAvailable over the owner's active pods: Ready, and for longer than minReadySeconds (strictly) at `now`. */
  available(ownerUid: string, minReadySeconds: number, now: number): number {
    const c = this.owners.get(ownerUid);
    if (!c) return 0;
    if (!minReadySeconds) return c.ready;
    let n = 0;
    for (const [t, count] of c.readySince) if (t + minReadySeconds * 1000 < now) n += count;
    return n;
  }

  private apply(s: Share | undefined, p: Pod, by: 1 | -1): void {
    if (!s) return;
    let c = this.owners.get(s.owner);
    if (!c) this.owners.set(s.owner, (c = { active: 0, ready: 0, readySince: new Map(), labelSets: new Map() }));
    c.active += by;
    if (s.ready) c.ready += by;
    if (s.since !== undefined) bump(c.readySince, s.since, by);
    const set = c.labelSets.get(s.labelsKey);
    if (set) {
      set.count += by;
      if (set.count === 0) c.labelSets.delete(s.labelsKey);
    } else if (by > 0) c.labelSets.set(s.labelsKey, { labels: p.metadata?.labels, count: 1 });
    if (c.active === 0) this.owners.delete(s.owner);
  }
}

export const OWNED_POD_TALLY = 'ownedPods';

/** The pod informer's tally of active pods by controller uid (one per informer, shared by the controllers that read it). */
export const ownedPodTally = (pods: SharedInformer): OwnedPodTally => pods.tally(OWNED_POD_TALLY, () => new OwnedPodTally());

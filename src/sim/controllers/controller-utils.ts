// Helpers every workload controller of kube-controller-manager shares, after
// upstream pkg/controller/controller_utils.go (v1.31+): which pods count as
// active, ready and available; the order in which a ReplicaSet picks the pods
// it deletes (ActivePodsWithRanks, LogarithmicScaleDown GA since v1.31);
// slow-start batches; the ReplicaSet orderings the Deployment controller
// sorts by; and API errors carried up to the sync loop.
import type { LabelSelector, ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1';
import { labelSelectorAsSelector, type LabelMatcher } from '../api/selector';
import type { KubeObject, Pod, ReplicaSet } from '../api/types';
import type { ApiResult } from '../apiserver/apiserver';
import type { Failure } from '../apiserver/status';
import { virtualMs } from '../kernel/time';

/** --concurrent-*-syncs aside, a ReplicaSet creates or deletes at most this many pods per sync (BurstReplicas). */
export const BURST_REPLICAS = 500;
/** The first slow-start batch has one request (SlowStartInitialBatchSize). */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;
/** Annotation a user sets to prefer (low cost) or spare (high cost) a pod on scale-down. */
export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

/** A failed apiserver request, thrown from deep inside a sync and caught by the sync loop (Go's `return err`). */
export class ApiError extends Error {
  constructor(readonly status: Failure) {
    super(status.message);
  }
}

/** The object of a successful request, or an ApiError. */
export function must<T>(r: ApiResult<T>): T {
  if (!r.ok) throw new ApiError(r.status);
  return r.object;
}

export const isNotFound = (f: Failure | undefined) => f?.reason === 'NotFound';
export const isAlreadyExists = (f: Failure | undefined) => f?.reason === 'AlreadyExists';
export const isInvalid = (f: Failure | undefined) => f?.reason === 'Invalid';

/** errors.HasStatusCause(err, NamespaceTerminatingCause): creates are refused while the namespace is deleted. */
export function isNamespaceTerminating(f: Failure | undefined): boolean {
  if (!f) return false;
  if (f.details?.causes?.some((c) => c.reason === 'NamespaceTerminating')) return true;
  return f.reason === 'Forbidden' && f.message.includes('because it is being terminated');
}

/** Milliseconds of virtual time of a metav1.Time, or undefined when unset. */
export function timeMs(ts: string | null | undefined): number | undefined {
  return ts ? virtualMs(ts) : undefined;
}

// ---- selectors, labels, names ---------------------------------------------------

// Stored objects are immutable, so a selector object is compiled once.
const matchers = new WeakMap<LabelSelector, LabelMatcher | null>();

/** metav1.LabelSelectorAsSelector as a matcher; undefined for a missing or invalid selector (the sync gives up). */
export function selectorMatcher(selector: LabelSelector | undefined): LabelMatcher | undefined {
  if (!selector) return undefined;
  let m = matchers.get(selector);
  if (m === undefined) {
    try {
      m = labelSelectorAsSelector(selector).matches;
    } catch {
      m = null;
    }
    matchers.set(selector, m);
  }
  return m ?? undefined;
}

/** An empty selector ({}) selects everything, which workload controllers refuse. */
export function isEmptySelector(selector: LabelSelector | undefined): boolean {
  return !!selector && !Object.keys(selector.matchLabels ?? {}).length && !(selector.matchExpressions ?? []).length;
}

export function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b ?? {}).length && ka.every((k) => a![k] === b?.[k]);
}

/** Name order, for a deterministic walk over informer lists. */
export function byName(a: { metadata?: { name?: string } }, b: { metadata?: { name?: string } }): number {
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

// ---- owner references --------------------------------------------------------

/** metav1.GetControllerOf: the owner reference with controller: true. */
export function controllerRefOf(o: { metadata?: KubeObject['metadata'] }): OwnerReference | undefined {
  return o.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/** The same controllerRef (reflect.DeepEqual of GetControllerOf). */
/**
 * resolveControllerRef (pkg/controller): the owner of `kind` a controllerRef
 * names in `namespace`, if the cache still holds that very object (same uid,
 * not a namesake created since).
 */
export function resolveControllerRef<T>(
  cache: { get(key: string): KubeObject | undefined },
  kind: string,
  namespace: string | undefined,
  ref: Pick<OwnerReference, 'kind' | 'name' | 'uid'> | undefined,
): T | undefined {
  if (!ref || ref.kind !== kind) return undefined;
  const owner = cache.get(`${namespace}/${ref.name}`);
  return owner && owner.metadata?.uid === ref.uid ? (owner as unknown as T) : undefined;
}

export function sameControllerRef(a: KubeObject, b: KubeObject): boolean {
  const ra = controllerRefOf(a);
  const rb = controllerRefOf(b);
  if (!ra || !rb) return ra === rb;
  return ra.uid === rb.uid && ra.name === rb.name && ra.kind === rb.kind && ra.apiVersion === rb.apiVersion && ra.controller === rb.controller && ra.blockOwnerDeletion === rb.blockOwnerDeletion;
}

/** metav1.NewControllerRef: the reference a controller puts on what it creates or adopts. */
export function newControllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

// ---- pods ----------------------------------------------------------------------

/** IsPodActive: not finished and not being deleted. */
export function isPodActive(p: Pod): boolean {
  const phase = p.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !p.metadata?.deletionTimestamp;
}

/** FilterActivePods: terminating and finished pods do not count toward replicas. */
export function filterActivePods(pods: readonly Pod[]): Pod[] {
  return pods.filter(isPodActive);
}

export function podReadyCondition(p: Pod) {
  return p.status?.conditions?.find((c) => c.type === 'Ready');
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(p: Pod): boolean {
  return podReadyCondition(p)?.status === 'True';
}

/** podutil.IsPodAvailable: Ready, and for longer than minReadySeconds (strictly) at `now`. */
export function isPodAvailable(p: Pod, minReadySeconds: number, now: number): boolean {
  const c = podReadyCondition(p);
  if (c?.status !== 'True') return false;
  if (!minReadySeconds) return true;
  const since = timeMs(c.lastTransitionTime);
  return since !== undefined && since + minReadySeconds * 1000 < now;
}

// ---- which pods a ReplicaSet deletes first ---------------------------------------

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** GetDeletionCostFromPodAnnotations: an int32, 0 when absent or not a number. */
export function podDeletionCost(p: Pod): number {
  const v = p.metadata?.annotations?.[POD_DELETION_COST];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return 0;
  const n = Number(v);
  return n >= -2147483648 && n <= 2147483647 ? n : 0;
}

function readyTime(p: Pod): number | undefined {
  const c = podReadyCondition(p);
  return c?.status === 'True' ? timeMs(c.lastTransitionTime) : undefined;
}

/** afterOrZero: is t1 after t2, where a zero (unset) time counts as after any other. */
function afterOrZero(t1: number | undefined, t2: number | undefined): boolean {
  if (t1 === undefined || t2 === undefined) return t1 === undefined;
  return t1 > t2;
}

/** logarithmicRankDiff: floor(log2) of each age in nanoseconds (-1 for no age), compared. */
export function logarithmicRankDiff(t1: number, t2: number, now: number): number {
  const rank = (t: number) => {
    const ns = (now - t) * 1e6;
    return ns > 0 ? Math.floor(Math.log2(ns)) : -1;
  };
  return rank(t1) - rank(t2);
}

/** Highest restart count of the regular containers, then of restartable init containers (sidecars). */
function maxContainerRestarts(p: Pod): [regular: number, sidecar: number] {
  let regular = 0;
  for (const c of p.status?.containerStatuses ?? []) regular = Math.max(regular, c.restartCount ?? 0);
  const sidecars = new Set((p.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  let sidecar = 0;
  for (const c of p.status?.initContainerStatuses ?? []) if (sidecars.has(c.name)) sidecar = Math.max(sidecar, c.restartCount ?? 0);
  return [regular, sidecar];
}

/** Compares two ages on the logarithmic scale; equal buckets fall back to the uid, a pseudo-random order. */
function youngerFirst(ti: number, tj: number, ui: string, uj: string, now: number): boolean {
  const diff = logarithmicRankDiff(ti, tj, now);
  return diff === 0 ? ui < uj : diff < 0;
}

/**
 * ActivePodsWithRanks.Less: true when pod i should be deleted before pod j.
 * `rank` is the number of related active pods on the pod's node.
 */
export function deleteBefore(pi: Pod, ri: number, pj: Pod, rj: number, now: number): boolean {
  const ni = pi.spec?.nodeName ?? '';
  const nj = pj.spec?.nodeName ?? '';
  // 1. Unassigned before assigned.
  if (ni !== nj && (ni === '' || nj === '')) return ni === '';
  // 2. Pending before Unknown before Running.
  const phi = PHASE_ORDINAL[pi.status?.phase ?? ''] ?? 0;
  const phj = PHASE_ORDINAL[pj.status?.phase ?? ''] ?? 0;
  if (phi !== phj) return phi < phj;
  // 3. Not ready before ready.
  const readyI = isPodReady(pi);
  const readyJ = isPodReady(pj);
  if (readyI !== readyJ) return !readyI;
  // 4. Lower pod-deletion-cost first (PodDeletionCost, on by default).
  const ci = podDeletionCost(pi);
  const cj = podDeletionCost(pj);
  if (ci !== cj) return ci < cj;
  // 5. Doubled up before not: more related pods on the same node first.
  if (ri !== rj) return ri > rj;
  const ui = pi.metadata?.uid ?? '';
  const uj = pj.metadata?.uid ?? '';
  // 6. Ready for a shorter time first, on a logarithmic scale.
  if (readyI && readyJ) {
    const ti = readyTime(pi);
    const tj = readyTime(pj);
    if (ti !== tj) {
      if (ti === undefined || tj === undefined) return afterOrZero(ti, tj);
      return youngerFirst(ti, tj, ui, uj, now);
    }
  }
  // 7. More container restarts first (regular containers, then sidecars).
  const [regI, sideI] = maxContainerRestarts(pi);
  const [regJ, sideJ] = maxContainerRestarts(pj);
  if (regI !== regJ) return regI > regJ;
  if (sideI !== sideJ) return sideI > sideJ;
  // 8. Newer first, on a logarithmic scale.
  const ti = timeMs(pi.metadata?.creationTimestamp);
  const tj = timeMs(pj.metadata?.creationTimestamp);
  if (ti !== tj) {
    if (ti === undefined || tj === undefined) return afterOrZero(ti, tj);
    return youngerFirst(ti, tj, ui, uj, now);
  }
  return false;
}

/** getPodsRankedByRelatedPodsOnSameNode: each pod's rank is the number of active related pods on its node. */
export function ranksByRelatedPodsOnSameNode(podsToRank: readonly Pod[], relatedPods: readonly Pod[]): number[] {
  const onNode = new Map<string, number>();
  for (const p of relatedPods) {
    if (!isPodActive(p)) continue;
    const n = p.spec?.nodeName ?? '';
    onNode.set(n, (onNode.get(n) ?? 0) + 1);
  }
  return podsToRank.map((p) => onNode.get(p.spec?.nodeName ?? '') ?? 0);
}

/** The pods in deletion order (a stable sort, so equal pods keep their given order). */
export function sortPodsForDeletion(pods: readonly Pod[], ranks: readonly number[], now: number): Pod[] {
  const items = pods.map((pod, i) => ({ pod, rank: ranks[i] }));
  items.sort((a, b) => (deleteBefore(a.pod, a.rank, b.pod, b.rank, now) ? -1 : deleteBefore(b.pod, b.rank, a.pod, a.rank, now) ? 1 : 0));
  return items.map((x) => x.pod);
}

/** getPodsToDelete: the first `diff` pods in deletion order (no sort when all of them go). */
export function getPodsToDelete(filteredPods: readonly Pod[], relatedPods: readonly Pod[], diff: number, now: number): Pod[] {
  if (diff >= filteredPods.length) return [...filteredPods];
  return sortPodsForDeletion(filteredPods, ranksByRelatedPodsOnSameNode(filteredPods, relatedPods), now).slice(0, diff);
}

// ---- slow start -------------------------------------------------------------------

/**
 * slowStartBatch: calls `fn` `count` times in batches of 1, 2, 4, ... (never
 * more than remain); after a batch with a failure the rest are skipped, so
 * a quota that refuses the first pod costs one request, not 500.
 */
export function slowStartBatch(count: number, initialBatchSize: number, fn: () => Failure | undefined): { successes: number; error?: Failure } {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    let error: Failure | undefined;
    let failed = 0;
    for (let i = 0; i < batch; i++) {
      const e = fn();
      if (e) {
        failed++;
        error ??= e;
      }
    }
    successes += batch - failed;
    if (error) return { successes, error };
    remaining -= batch;
  }
  return { successes };
}

// ---- ReplicaSet orderings -----------------------------------------------------------

export const replicasOf = (rs: ReplicaSet | undefined) => rs?.spec?.replicas ?? 0;

/** FilterActiveReplicaSets: those that have (or ought to have) pods. */
export function filterActiveReplicaSets(rss: readonly (ReplicaSet | undefined)[]): ReplicaSet[] {
  return rss.filter((rs): rs is ReplicaSet => rs !== undefined && replicasOf(rs) > 0);
}

/** ReplicaSetsByCreationTimestamp (and the tail of SortControllerRevisions): older first, names break ties. */
export function byCreationTimestamp(a: { metadata?: ObjectMeta }, b: { metadata?: ObjectMeta }): number {
  const ta = timeMs(a.metadata?.creationTimestamp) ?? 0;
  const tb = timeMs(b.metadata?.creationTimestamp) ?? 0;
  if (ta !== tb) return ta - tb;
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** ReplicaSetsBySizeOlder: larger first, then older first. */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  return replicasOf(b) - replicasOf(a) || byCreationTimestamp(a, b);
}

/** ReplicaSetsBySizeNewer: larger first, then newer first. */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  return replicasOf(b) - replicasOf(a) || byCreationTimestamp(b, a);
}

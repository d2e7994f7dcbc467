// Pod predicates the workload controllers read, as upstream writes them in
// k8s.io/kubernetes/pkg/api/v1/pod/util.go (IsPodReady, IsPodAvailable,
// IsPodTerminal) and pkg/controller/controller_utils.go (IsPodActive,
// IsPodTerminating, the ActivePods ordering). Shared by the daemonset and
// job controllers; the file carries the daemonset- prefix only because that
// controller owns it.
import type { Pod, PodCondition } from 'kubernetes-types/core/v1';
import { virtualMs } from '../kernel/time';

export const podPhase = (pod: Pod): string => pod.status?.phase ?? '';

export function podCondition(pod: Pod, type: string): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

/** IsPodReady: the Ready condition is True. */
export const isPodReady = (pod: Pod): boolean => podCondition(pod, 'Ready')?.status === 'True';

/** IsPodTerminal: Succeeded or Failed; its containers are stopped for good. */
export const isPodTerminal = (pod: Pod): boolean => podPhase(pod) === 'Succeeded' || podPhase(pod) === 'Failed';

/** IsPodActive: neither finished nor being deleted. */
export const isPodActive = (pod: Pod): boolean => !isPodTerminal(pod) && !pod.metadata?.deletionTimestamp;

/** IsPodTerminating: being deleted but not finished yet (its containers may still run). */
export const isPodTerminating = (pod: Pod): boolean => !isPodTerminal(pod) && !!pod.metadata?.deletionTimestamp;

/** When the pod last became Ready (virtual ms), if it is Ready. */
export function podReadyTime(pod: Pod): number | undefined {
  const c = podCondition(pod, 'Ready');
  return c?.status === 'True' && c.lastTransitionTime ? virtualMs(c.lastTransitionTime) : undefined;
}

/**
 * IsPodAvailable: Ready for more than minReadySeconds. Upstream compares
 * lastTransitionTime + minReadySeconds strictly before now.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const at = podReadyTime(pod);
  return at !== undefined && at + minReadySeconds * 1000 < now;
}

const creationMs = (pod: Pod): number | undefined => (pod.metadata?.creationTimestamp ? virtualMs(pod.metadata.creationTimestamp) : undefined);

function maxContainerRestarts(pod: Pod): number {
  let n = 0;
  for (const s of pod.status?.containerStatuses ?? []) n = Math.max(n, s.restartCount ?? 0);
  return n;
}

/** afterOrZero: a missing time sorts first, then the later time. */
function afterOrZero(a: number | undefined, b: number | undefined): number {
  if (a === undefined || b === undefined) return a === undefined ? (b === undefined ? 0 : -1) : 1;
  return a === b ? 0 : a > b ? -1 : 1;
}

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * controller.ActivePods' Less as a comparator: the pods to delete first come
 * first (unassigned, then Pending < Unknown < Running, not ready, ready for
 * the shortest time, most restarts, newest).
 */
export function compareActivePods(a: Pod, b: Pod): number {
  const na = a.spec?.nodeName ?? '';
  const nb = b.spec?.nodeName ?? '';
  if (na !== nb && (!na || !nb)) return !na ? -1 : 1;
  const pa = PHASE_ORDINAL[podPhase(a)] ?? 0;
  const pb = PHASE_ORDINAL[podPhase(b)] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return ra ? 1 : -1;
  if (ra && rb) {
    const byReady = afterOrZero(podReadyTime(a), podReadyTime(b));
    if (byReady) return byReady;
  }
  const restarts = maxContainerRestarts(b) - maxContainerRestarts(a);
  if (restarts) return restarts;
  return afterOrZero(creationMs(a), creationMs(b));
}

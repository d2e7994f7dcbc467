// The StatefulSet controller's helpers, after upstream
// pkg/controller/statefulset/stateful_set_utils.go (v1.30): a pod's parent
// and ordinal from its name ("web-2"), its stable identity (name, hostname,
// subdomain, the pod-name and pod-index labels) and storage (one claim per
// volumeClaimTemplate, "<template>-<set>-<ordinal>"), the pod built from a
// revision of the template, and the health checks the ordered policy waits on.
import type { StatefulSet } from 'kubernetes-types/apps/v1';
import type { PersistentVolumeClaim, Pod, Volume } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { KubeObject } from '../api/types';
import { isPodAvailable, isPodReady, newControllerRef } from './controller-utils';
import { podFromTemplate } from './controller-utils-pod-control';

/** apps.StatefulSetPodNameLabel. */
export const STATEFULSET_POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** apps.PodIndexLabel (PodIndexLabel, beta and on since v1.28). */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
/** apps.StatefulSetRevisionLabel: the ControllerRevision a pod was made from. */
export const STATEFULSET_REVISION_LABEL = 'controller-revision-hash';

export const STS_KIND = { apiVersion: 'apps/v1', kind: 'StatefulSet' };
export const POD_KIND = { apiVersion: 'v1', kind: 'Pod' };

const statefulPodRegex = /^(.*)-([0-9]+)$/;

/** getParentNameAndOrdinal: "web-2" is ("web", 2); a name without an ordinal is ("", -1). */
export function parentAndOrdinal(pod: Pod): [parent: string, ordinal: number] {
  const m = statefulPodRegex.exec(pod.metadata?.name ?? '');
  if (!m) return ['', -1];
  const n = Number(m[2]);
  // strconv.ParseInt(..., 10, 32): an ordinal beyond int32 is no ordinal.
  return [m[1], n <= 2147483647 ? n : -1];
}

export const ordinalOf = (pod: Pod): number => parentAndOrdinal(pod)[1];
export const startOrdinal = (set: StatefulSet): number => set.spec?.ordinals?.start ?? 0;
export const endOrdinal = (set: StatefulSet): number => startOrdinal(set) + (set.spec?.replicas ?? 1) - 1;

export function podInOrdinalRange(pod: Pod, set: StatefulSet): boolean {
  const o = ordinalOf(pod);
  return o >= startOrdinal(set) && o <= endOrdinal(set);
}

export const podName = (set: StatefulSet, ordinal: number): string => `${set.metadata!.name}-${ordinal}`;
export const claimName = (set: StatefulSet, template: PersistentVolumeClaim, ordinal: number): string => `${template.metadata?.name}-${set.metadata!.name}-${ordinal}`;
export const isMemberOf = (set: StatefulSet, pod: Pod): boolean => parentAndOrdinal(pod)[0] === set.metadata?.name;

/** identityMatches: the pod's name, namespace and pod-name label are its ordinal's. */
export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const [parent, ordinal] = parentAndOrdinal(pod);
  return (
    ordinal >= 0 &&
    parent === set.metadata?.name &&
    pod.metadata?.name === podName(set, ordinal) &&
    pod.metadata?.namespace === set.metadata?.namespace &&
    pod.metadata?.labels?.[STATEFULSET_POD_NAME_LABEL] === pod.metadata?.name
  );
}

/** storageMatches: every claim template is mounted from the ordinal's claim. */
export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = ordinalOf(pod);
  if (ordinal < 0) return false;
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  for (const t of set.spec?.volumeClaimTemplates ?? []) {
    const v = volumes.get(t.metadata?.name ?? '');
    if (!v?.persistentVolumeClaim || v.persistentVolumeClaim.claimName !== claimName(set, t, ordinal)) return false;
  }
  return true;
}

/** getPersistentVolumeClaims: the ordinal's claims, by template name (in template order), labelled with the set's selector. */
export function claimsForPod(set: StatefulSet, pod: Pod): Map<string, PersistentVolumeClaim> {
  const ordinal = ordinalOf(pod);
  const out = new Map<string, PersistentVolumeClaim>();
  const selector = set.spec?.selector?.matchLabels;
  for (const t of set.spec?.volumeClaimTemplates ?? []) {
    const labels = t.metadata?.labels ? { ...t.metadata.labels, ...selector } : { ...selector };
    const claim: PersistentVolumeClaim = {
      ...structuredClone(t),
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { ...structuredClone(t.metadata ?? {}), name: claimName(set, t, ordinal), namespace: set.metadata?.namespace, labels },
    };
    out.set(t.metadata?.name ?? '', claim);
  }
  return out;
}

/** updateStorage: the claim volumes first (replacing same-named ones), then the pod's other volumes. */
export function updateStorage(set: StatefulSet, pod: Pod): Pod {
  const claims = claimsForPod(set, pod);
  const volumes: Volume[] = [...claims].map(([name, c]) => ({ name, persistentVolumeClaim: { claimName: c.metadata!.name! } }));
  for (const v of pod.spec?.volumes ?? []) if (!claims.has(v.name)) volumes.push(v);
  return { ...pod, spec: { ...pod.spec!, volumes } };
}

/** updateIdentity: name, namespace, the pod-name and pod-index labels. */
export function updateIdentity(set: StatefulSet, pod: Pod): Pod {
  const ordinal = ordinalOf(pod);
  const name = podName(set, ordinal);
  const labels = { ...pod.metadata?.labels, [STATEFULSET_POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal) };
  return { ...pod, metadata: { ...pod.metadata, name, namespace: set.metadata?.namespace, labels } };
}

/** newStatefulSetPod: the template's pod with the ordinal's identity; hostname and subdomain are set only on creation. */
export function newStatefulSetPod(set: StatefulSet, ordinal: number): Pod {
  const ref: OwnerReference = newControllerRef(set as KubeObject, STS_KIND.apiVersion, STS_KIND.kind);
  let pod = podFromTemplate(set.spec!.template, set as KubeObject, ref);
  pod = { ...pod, metadata: { ...pod.metadata, name: podName(set, ordinal) } };
  pod = updateIdentity(set, pod);
  pod = { ...pod, spec: { ...pod.spec!, hostname: pod.metadata!.name, ...(set.spec?.serviceName ? { subdomain: set.spec.serviceName } : {}) } };
  return updateStorage(set, pod);
}

export function setPodRevision(pod: Pod, revision: string): Pod {
  return { ...pod, metadata: { ...pod.metadata, labels: { ...pod.metadata?.labels, [STATEFULSET_REVISION_LABEL]: revision } } };
}

export const podRevision = (pod: Pod): string => pod.metadata?.labels?.[STATEFULSET_REVISION_LABEL] ?? '';

/**
 * newVersionedStatefulSetPod: below the partition a new pod gets the
 * current revision, at or above it the update revision. (Upstream's
 * condition groups as (RollingUpdate && no rollingUpdate && ordinal <
 * start + currentReplicas) || (rollingUpdate && ordinal < start + partition);
 * kept as written.)
 */
export function newVersionedStatefulSetPod(currentSet: StatefulSet, updateSet: StatefulSet, currentRevision: string, updateRevision: string, ordinal: number): Pod {
  const strategy = currentSet.spec?.updateStrategy;
  const start = startOrdinal(currentSet);
  const current =
    (strategy?.type === 'RollingUpdate' && strategy.rollingUpdate == null && ordinal < start + (currentSet.status?.currentReplicas ?? 0)) ||
    (strategy?.rollingUpdate != null && ordinal < start + (strategy.rollingUpdate.partition ?? 0));
  return current ? setPodRevision(newStatefulSetPod(currentSet, ordinal), currentRevision) : setPodRevision(newStatefulSetPod(updateSet, ordinal), updateRevision);
}

/** isCreated: the apiserver has it (a pod only planned here has no phase). */
export const isCreated = (pod: Pod): boolean => !!pod.status?.phase;
export const isPending = (pod: Pod): boolean => pod.status?.phase === 'Pending';
export const isFailed = (pod: Pod): boolean => pod.status?.phase === 'Failed';
export const isSucceeded = (pod: Pod): boolean => pod.status?.phase === 'Succeeded';
export const isTerminating = (pod: Pod): boolean => !!pod.metadata?.deletionTimestamp;
export const isRunningAndReady = (pod: Pod): boolean => pod.status?.phase === 'Running' && isPodReady(pod);
export const isRunningAndAvailable = (pod: Pod, minReadySeconds: number, now: number): boolean => isPodAvailable(pod, minReadySeconds, now);
/** isHealthy: running, ready and not being deleted. */
export const isHealthy = (pod: Pod): boolean => isRunningAndReady(pod) && !isTerminating(pod);
/** allowsBurst: podManagementPolicy Parallel. */
export const allowsBurst = (set: StatefulSet): boolean => set.spec?.podManagementPolicy === 'Parallel';

export const byOrdinal = (a: Pod, b: Pod): number => ordinalOf(a) - ordinalOf(b);

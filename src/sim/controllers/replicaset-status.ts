// A ReplicaSet's status, after upstream pkg/controller/replicaset/replica_set_utils.go
// (calculateStatus, updateReplicaSetStatus, the ReplicaFailure condition):
// replicas counts active pods, fullyLabeledReplicas those carrying all the
// template's labels, readyReplicas the Ready ones and availableReplicas those
// Ready for longer than minReadySeconds. A failed create or delete sets
// ReplicaFailure=True (FailedCreate / FailedDelete); the next clean sync
// removes it.
import type { ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1';
import type { KubeObject, Pod, ReplicaSet } from '../api/types';
import type { ApiClient } from '../apiserver/apiserver';
import type { Failure } from '../apiserver/status';
import { semanticEqual } from '../api/validation/equal';
import { timestamp } from '../kernel/time';
import { isPodAvailable, isPodReady, replicasOf } from './controller-utils';

export const REPLICA_FAILURE = 'ReplicaFailure';

/** Does a pod with labels `have` carry every one of `labels`? */
export function hasLabels(have: Readonly<Record<string, string>> | undefined, labels: Record<string, string> | undefined): boolean {
  const h = have ?? {};
  for (const k in labels) if (h[k] !== labels[k]) return false;
  return true;
}

/** What a ReplicaSet's status counts of its active pods. */
export interface ReplicaCounts {
  replicas: number;
  fullyLabeled: number;
  ready: number;
  available: number;
}

/** The counts of a list of active pods. */
export function countReplicas(rs: ReplicaSet, activePods: readonly Pod[], now: number): ReplicaCounts {
  const templateLabels = rs.spec?.template?.metadata?.labels;
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const p of activePods) {
    if (hasLabels(p.metadata?.labels, templateLabels)) fullyLabeled++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, minReady, now)) available++;
    }
  }
  return { replicas: activePods.length, fullyLabeled, ready, available };
}

/** calculateStatus: the status the ReplicaSet should report for its active pods and the sync's outcome. */
export function calculateStatus(rs: ReplicaSet, activePods: readonly Pod[], manageError: Failure | undefined, now: number): ReplicaSetStatus {
  return statusFromCounts(rs, countReplicas(rs, activePods, now), manageError, now);
}

/** calculateStatus from the counts of the active pods (however they were counted). */
export function statusFromCounts(rs: ReplicaSet, counts: ReplicaCounts, manageError: Failure | undefined, now: number): ReplicaSetStatus {
  const status: ReplicaSetStatus = { ...rs.status, replicas: rs.status?.replicas ?? 0 };
  const failure = rs.status?.conditions?.find((c) => c.type === REPLICA_FAILURE);
  if (manageError && !failure) {
    const diff = counts.replicas - replicasOf(rs);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    status.conditions = setCondition(status.conditions, {
      type: REPLICA_FAILURE,
      status: 'True',
      lastTransitionTime: timestamp(now),
      reason,
      message: manageError.message,
    });
  } else if (!manageError && failure) {
    status.conditions = (status.conditions ?? []).filter((c) => c.type !== REPLICA_FAILURE);
  }
  status.replicas = counts.replicas;
  status.fullyLabeledReplicas = counts.fullyLabeled;
  status.readyReplicas = counts.ready;
  status.availableReplicas = counts.available;
  return status;
}

/** SetCondition: replace the condition of that type unless status and reason are unchanged. */
function setCondition(conditions: ReplicaSetCondition[] | undefined, c: ReplicaSetCondition): ReplicaSetCondition[] {
  const cur = conditions?.find((x) => x.type === c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return conditions!;
  return [...(conditions ?? []).filter((x) => x.type !== c.type), c];
}

const count = (n: number | undefined) => n ?? 0;

/**
 * updateReplicaSetStatus: writes the status (observedGeneration = the
 * generation acted on) unless nothing changed; one GET and retry on failure.
 */
export function updateReplicaSetStatus(client: ApiClient, rs: ReplicaSet, next: ReplicaSetStatus): { ok: true; rs: ReplicaSet } | { ok: false; status: Failure } {
  const cur: Partial<ReplicaSetStatus> = rs.status ?? {};
  const generation = rs.metadata?.generation ?? 0;
  if (
    count(cur.replicas) === count(next.replicas) &&
    count(cur.fullyLabeledReplicas) === count(next.fullyLabeledReplicas) &&
    count(cur.readyReplicas) === count(next.readyReplicas) &&
    count(cur.availableReplicas) === count(next.availableReplicas) &&
    generation === count(cur.observedGeneration) &&
    semanticEqual(cur.conditions, next.conditions)
  )
    return { ok: true, rs };
  const status = { ...next, observedGeneration: generation };
  let target = rs;
  for (let attempt = 0; ; attempt++) {
    const r = client.updateStatus({ ...target, status } as KubeObject);
    if (r.ok) return { ok: true, rs: r.object as ReplicaSet };
    if (attempt >= 1) return r;
    const fresh = client.get('ReplicaSet', rs.metadata!.namespace, rs.metadata!.name!);
    if (!fresh.ok) return fresh;
    target = fresh.object as ReplicaSet;
  }
}

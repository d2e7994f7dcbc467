// The RollingUpdate strategy, after upstream pkg/controller/deployment/rolling.go:
// each sync scales the new ReplicaSet up as far as maxSurge allows, or else
// scales old ones down as far as maxUnavailable allows (unhealthy old
// replicas first, oldest ReplicaSets first), so the sum of all ReplicaSets'
// replicas never exceeds replicas + maxSurge and the available ones never
// fall below replicas - maxUnavailable.
import type { Deployment, ReplicaSet } from '../api/types';
import { byCreationTimestamp, filterActiveReplicaSets, replicasOf } from './controller-utils';
import { syncRolloutStatus } from './deployment-progress';
import type { DeploymentSync } from './deployment-sync';
import * as util from './deployment-util';

/** rolloutRolling. */
export function rolloutRolling(s: DeploymentSync, d: Deployment, rsList: ReplicaSet[]): void {
  const [newRS0, oldRSs] = s.getAllReplicaSetsAndSyncRevision(d, rsList, true);
  const newRS = newRS0!;
  const allRSs = [...oldRSs, newRS];
  if (reconcileNewReplicaSet(s, allRSs, newRS, d)) return syncRolloutStatus(s, allRSs, newRS, d);
  if (reconcileOldReplicaSets(s, allRSs, filterActiveReplicaSets(oldRSs), newRS, d)) return syncRolloutStatus(s, allRSs, newRS, d);
  if (util.deploymentComplete(d, d.status ?? { replicas: 0 })) s.cleanupDeployment(oldRSs, d);
  syncRolloutStatus(s, allRSs, newRS, d);
}

/** reconcileNewReplicaSet: scale the new ReplicaSet toward spec.replicas within maxSurge; true when it scaled. */
function reconcileNewReplicaSet(s: DeploymentSync, allRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): boolean {
  const want = util.desiredReplicas(d);
  if (replicasOf(newRS) === want) return false;
  if (replicasOf(newRS) > want) return s.scaleReplicaSetAndRecordEvent(newRS, want, d)[0];
  return s.scaleReplicaSetAndRecordEvent(newRS, util.newRSNewReplicas(d, allRSs, newRS), d)[0];
}

/**
 * reconcileOldReplicaSets: how far old ReplicaSets may shrink is
 * allPods - minAvailable - (new ReplicaSet's unavailable pods), so pods of a
 * new version that never become available do not let the old ones go.
 */
function reconcileOldReplicaSets(s: DeploymentSync, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): boolean {
  if (util.specReplicaCount(oldRSs) === 0) return false;
  const allPods = util.specReplicaCount(allRSs);
  const minAvailable = util.desiredReplicas(d) - util.maxUnavailable(d);
  const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  // Unhealthy replicas go first: they cost no availability, and would otherwise block the rollout.
  const cleaned = cleanupUnhealthyReplicas(s, oldRSs, d, maxScaledDown);
  if (!cleaned) return false;
  const scaledDown = scaleDownOldReplicaSetsForRollingUpdate(s, [...cleaned.oldRSs, newRS], cleaned.oldRSs, d);
  // Upstream swallows these errors (the scale-down is simply retried on a later sync).
  if (scaledDown === undefined) return false;
  return cleaned.count + scaledDown > 0;
}

/** cleanupUnhealthyReplicas: scale old ReplicaSets down by their unavailable replicas, at most maxCleanup in all. */
function cleanupUnhealthyReplicas(s: DeploymentSync, oldRSs: ReplicaSet[], d: Deployment, maxCleanup: number): { oldRSs: ReplicaSet[]; count: number } | undefined {
  const rss = [...oldRSs].sort(byCreationTimestamp);
  let total = 0;
  try {
    for (let i = 0; i < rss.length; i++) {
      const rs = rss[i];
      if (total >= maxCleanup) break;
      const available = rs.status?.availableReplicas ?? 0;
      if (replicasOf(rs) === 0 || replicasOf(rs) === available) continue;
      const n = Math.min(maxCleanup - total, replicasOf(rs) - available);
      const [, updated] = s.scaleReplicaSetAndRecordEvent(rs, replicasOf(rs) - n, d);
      total += n;
      rss[i] = updated;
    }
  } catch {
    return undefined;
  }
  return { oldRSs: rss, count: total };
}

/** scaleDownOldReplicaSetsForRollingUpdate: shrink old ReplicaSets, oldest first, by what availability allows. */
function scaleDownOldReplicaSetsForRollingUpdate(s: DeploymentSync, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], d: Deployment): number | undefined {
  const minAvailable = util.desiredReplicas(d) - util.maxUnavailable(d);
  const available = util.availableReplicaCount(allRSs);
  if (available <= minAvailable) return 0;
  const toScaleDown = available - minAvailable;
  let total = 0;
  try {
    for (const rs of [...oldRSs].sort(byCreationTimestamp)) {
      if (total >= toScaleDown) break;
      if (replicasOf(rs) === 0) continue;
      const n = Math.min(replicasOf(rs), toScaleDown - total);
      s.scaleReplicaSetAndRecordEvent(rs, replicasOf(rs) - n, d);
      total += n;
    }
  } catch {
    return undefined;
  }
  return total;
}

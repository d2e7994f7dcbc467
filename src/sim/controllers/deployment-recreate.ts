// The Recreate strategy, after upstream pkg/controller/deployment/recreate.go:
// scale every old ReplicaSet to 0, wait until none of their pods is left
// (terminating ones included: only Succeeded/Failed pods do not count), and
// only then create the new ReplicaSet at full size. Old and new pods never
// run at the same time.
import type { Deployment, Pod, ReplicaSet } from '../api/types';
import { filterActiveReplicaSets, replicasOf } from './controller-utils';
import { syncRolloutStatus } from './deployment-progress';
import type { DeploymentSync } from './deployment-sync';
import * as util from './deployment-util';

/** Pods by the uid of the ReplicaSet that controls them (getPodMapForDeployment). */
export type PodMap = Map<string, Pod[]>;

/** rolloutRecreate. */
export function rolloutRecreate(s: DeploymentSync, d: Deployment, rsList: ReplicaSet[], podMap: PodMap): void {
  // Not created yet: scaling down comes first.
  let [newRS, oldRSs] = s.getAllReplicaSetsAndSyncRevision(d, rsList, false);
  let allRSs = [...oldRSs, newRS];
  if (scaleDownOldReplicaSetsForRecreate(s, filterActiveReplicaSets(oldRSs), d)) return syncRolloutStatus(s, allRSs, newRS, d);
  if (oldPodsRunning(newRS, oldRSs, podMap)) return syncRolloutStatus(s, allRSs, newRS, d);
  if (!newRS) {
    [newRS, oldRSs] = s.getAllReplicaSetsAndSyncRevision(d, rsList, true);
    allRSs = [...oldRSs, newRS];
  }
  s.scaleReplicaSetAndRecordEvent(newRS!, util.desiredReplicas(d), d);
  if (util.deploymentComplete(d, d.status ?? { replicas: 0 })) s.cleanupDeployment(oldRSs, d);
  syncRolloutStatus(s, allRSs, newRS, d);
}

function scaleDownOldReplicaSetsForRecreate(s: DeploymentSync, oldRSs: ReplicaSet[], d: Deployment): boolean {
  let scaled = false;
  for (const rs of oldRSs) {
    if (replicasOf(rs) === 0) continue;
    if (s.scaleReplicaSetAndRecordEvent(rs, 0, d)[0]) scaled = true;
  }
  return scaled;
}

/** oldPodsRunning: an old ReplicaSet still reports pods, or a pod of one is not finished (Unknown counts). */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[], podMap: PodMap): boolean {
  if (util.actualReplicaCount(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS && newRS.metadata?.uid === uid) continue;
    for (const p of pods) {
      const phase = p.status?.phase;
      if (phase !== 'Failed' && phase !== 'Succeeded') return true;
    }
  }
  return false;
}

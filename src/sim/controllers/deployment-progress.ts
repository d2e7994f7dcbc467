// A Deployment's progress, after upstream pkg/controller/deployment/progress.go
// (syncRolloutStatus, requeueStuckDeployment): during a rollout the
// Progressing condition moves ReplicaSetUpdated (lastUpdateTime bumped on
// every sign of progress), NewReplicaSetAvailable when complete, and
// ProgressDeadlineExceeded once progressDeadlineSeconds pass with no
// progress; a ReplicaSet's ReplicaFailure is copied to the Deployment. A
// stuck Deployment is requeued for the instant its deadline passes (plus 1 s).
import type { ReplicaSetCondition } from 'kubernetes-types/apps/v1';
import type { Deployment, ReplicaSet } from '../api/types';
import { semanticEqual } from '../api/validation/equal';
import { timeMs } from './controller-utils';
import { calculateStatus, type DeploymentSync } from './deployment-sync';
import * as util from './deployment-util';
import { REPLICA_FAILURE } from './replicaset-status';

/** syncRolloutStatus: the status during a rollout, with progress estimated. */
export function syncRolloutStatus(s: DeploymentSync, allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): void {
  const now = s.now;
  const status = calculateStatus(allRSs, newRS, d, now);
  if (!util.hasProgressDeadline(d)) util.removeCondition(status, 'Progressing');
  const current = util.getCondition(d.status, 'Progressing');
  // A finished rollout seen again (a resync) estimates nothing.
  const complete = status.replicas === status.updatedReplicas && current?.reason === util.NEW_RS_AVAILABLE;
  if (util.hasProgressDeadline(d) && !complete) {
    const who = newRS ? `ReplicaSet ${JSON.stringify(newRS.metadata!.name)}` : `Deployment ${JSON.stringify(d.metadata!.name)}`;
    if (util.deploymentComplete(d, status)) {
      util.setCondition(status, util.newCondition('Progressing', 'True', util.NEW_RS_AVAILABLE, `${who} has successfully progressed.`, now));
    } else if (util.deploymentProgressing(d, status)) {
      // Same reason, new lastUpdateTime: progress resets the deadline; lastTransitionTime stays while True.
      const c = util.newCondition('Progressing', 'True', util.REPLICA_SET_UPDATED, `${who} is progressing.`, now);
      if (current) {
        if (current.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
        util.removeCondition(status, 'Progressing');
      }
      util.setCondition(status, c);
    } else if (util.deploymentTimedOut(d, status, now)) {
      util.setCondition(status, util.newCondition('Progressing', 'False', util.TIMED_OUT, `${who} has timed out progressing.`, now));
    }
  }
  const failures = replicaFailures(allRSs, newRS);
  if (failures.length) util.setCondition(status, util.replicaSetToDeploymentCondition(failures[0]));
  else util.removeCondition(status, 'ReplicaFailure');
  if (semanticEqual(d.status, status)) {
    requeueStuckDeployment(s, d, status);
    return;
  }
  d.status = status;
  s.updateStatus(d);
}

/** getReplicaFailures: the new ReplicaSet's failures first, else any old one's. */
function replicaFailures(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): ReplicaSetCondition[] {
  const of = (rs: ReplicaSet | undefined) => (rs?.status?.conditions ?? []).filter((c) => c.type === REPLICA_FAILURE);
  const own = of(newRS);
  return own.length ? own : allRSs.flatMap(of);
}

/**
 * requeueStuckDeployment: when a rollout shows no progress, look again at
 * lastUpdateTime + progressDeadlineSeconds (+1 s for clock skew); returns
 * the delay, 0 for "now" (rate-limited), -1 when no check is needed.
 */
export function requeueStuckDeployment(s: DeploymentSync, d: Deployment, status: NonNullable<Deployment['status']>): number {
  const current = util.getCondition(d.status, 'Progressing');
  if (!util.hasProgressDeadline(d) || !current) return -1;
  if (util.deploymentComplete(d, status) || current.reason === util.TIMED_OUT) return -1;
  const after = (timeMs(current.lastUpdateTime) ?? 0) + d.spec!.progressDeadlineSeconds! * 1000 - s.now;
  if (after < 1000) {
    s.deps.enqueueRateLimited(d);
    return 0;
  }
  s.deps.enqueueAfter(d, after + 1000);
  return after;
}

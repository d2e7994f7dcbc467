// The controller's own rollback, after upstream pkg/controller/deployment/rollback.go:
// what the removed extensions/v1beta1 spec.rollbackTo asked for, carried in
// apps/v1 as the annotation deprecated.deployment.rollback.to. The template
// of the ReplicaSet with that revision (0: the previous one) is copied into
// the Deployment with its annotations, and the annotation is cleared.
// (kubectl rollout undo does the same client-side: see deployment-undo.ts.)
import type { Deployment, KubeObject, ReplicaSet } from '../api/types';
import { must } from './controller-utils';
import { rollbackTo, type DeploymentSync } from './deployment-sync';
import * as util from './deployment-util';

/** rollback: to the requested revision, in any case clearing the request. */
export function rollback(s: DeploymentSync, d: Deployment, rsList: ReplicaSet[]): void {
  const [newRS, allOld] = s.getAllReplicaSetsAndSyncRevision(d, rsList, true);
  const all = [...allOld, ...(newRS ? [newRS] : [])];
  let revision = rollbackTo(d) ?? 0;
  if (revision === 0) {
    revision = util.lastRevision(all);
    if (revision === 0) {
      warn(s, d, util.ROLLBACK_REVISION_NOT_FOUND, 'Unable to find last revision.');
      return clearRollbackTo(s, d);
    }
  }
  const target = all.find((rs) => util.revisionOf(rs) === revision);
  if (!target) {
    warn(s, d, util.ROLLBACK_REVISION_NOT_FOUND, 'Unable to find the revision to rollback to.');
    return clearRollbackTo(s, d);
  }
  if (util.equalIgnoreHash(d.spec?.template, target.spec?.template)) {
    warn(s, d, util.ROLLBACK_TEMPLATE_UNCHANGED, `The rollback revision contains the same template as current deployment ${JSON.stringify(d.metadata!.name)}`);
    return clearRollbackTo(s, d);
  }
  d.spec!.template = util.templateWithoutHash(target.spec!.template!);
  // The Deployment takes the old ReplicaSet's annotations too, or its current ones would be copied onto that ReplicaSet.
  util.setDeploymentAnnotationsTo(d, target);
  clearRollbackTo(s, d);
  s.deps.recorder.event(d as KubeObject, 'Normal', util.ROLLBACK_DONE, `Rolled back deployment ${JSON.stringify(d.metadata!.name)} to revision ${revision}`);
}

function warn(s: DeploymentSync, d: Deployment, reason: string, message: string): void {
  s.deps.recorder.event(d as KubeObject, 'Warning', reason, message);
}

/** updateDeploymentAndClearRollbackTo. */
function clearRollbackTo(s: DeploymentSync, d: Deployment): void {
  if (d.metadata?.annotations) delete d.metadata.annotations[util.DEPRECATED_ROLLBACK_TO];
  must(s.deps.client.update(d as KubeObject));
}

// `kubectl rollout undo deployment/NAME [--to-revision=N]`, after upstream
// staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollback.go
// (DeploymentRollbacker): a client-side copy of an old ReplicaSet's pod
// template (without its pod-template-hash label) and annotations into the
// Deployment, which the controller then rolls out like any template change.
// A pure function for the kubectl console: it says what to patch, or why not.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { Deployment, KubeObject, ReplicaSet } from '../api/types';
import { compileLabelSelector } from '../api/selector';
import { controllerRefOf } from './controller-utils';
import { equalIgnoreHash, revisionOf, skipCopyAnnotation, templateWithoutHash } from './deployment-util';

export type RollbackPlan =
  /** Patch the Deployment: spec.template and metadata.annotations replaced by these. */
  | { outcome: 'rollback'; template: PodTemplateSpec; annotations: Record<string, string>; replicaSet: string; revision: number; message: 'rolled back' }
  /** Nothing to do; kubectl prints the message and succeeds. */
  | { outcome: 'skipped'; revision: number; message: string }
  /** kubectl prints "error: " + message and fails. */
  | { outcome: 'error'; message: string };

/**
 * rollbackTemplate: which template `kubectl rollout undo` would apply.
 * toRevision 0 or absent is the previous revision (the second highest).
 * `replicaSets` may hold any ReplicaSets: only those the Deployment
 * controls (and selects) are history.
 */
export function rollbackTemplate(deployment: Deployment, replicaSets: readonly ReplicaSet[], toRevision = 0): RollbackPlan {
  if (toRevision < 0) return { outcome: 'error', message: `unable to find specified revision ${toRevision} in history` };
  const matches = compileLabelSelector(deployment.spec?.selector);
  const history = replicaSets.filter(
    (rs) => rs.metadata?.namespace === deployment.metadata?.namespace && controllerRefOf(rs as KubeObject)?.uid === deployment.metadata?.uid && matches(rs.metadata?.labels),
  );
  let target: ReplicaSet | undefined;
  if (toRevision > 0) {
    target = history.find((rs) => revisionOf(rs) === toRevision);
    if (!target) return { outcome: 'error', message: `unable to find specified revision ${toRevision} in history` };
  } else {
    let latest = -1;
    let previous = -1;
    let latestRS: ReplicaSet | undefined;
    for (const rs of history) {
      const v = revisionOf(rs);
      if (Number.isNaN(v)) continue;
      if (latest < v) {
        previous = latest;
        target = latestRS;
        latest = v;
        latestRS = rs;
      } else if (previous < v) {
        previous = v;
        target = rs;
      }
    }
    if (!target) return { outcome: 'error', message: `no rollout history found for deployment ${JSON.stringify(deployment.metadata?.name)}` };
  }
  if (deployment.spec?.paused) return { outcome: 'error', message: "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again" };
  if (equalIgnoreHash(target.spec?.template, deployment.spec?.template))
    return { outcome: 'skipped', revision: toRevision, message: `skipped rollback (current template already matches revision ${toRevision})` };
  // The Deployment keeps its own bookkeeping annotations and takes the rest from the ReplicaSet.
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(deployment.metadata?.annotations ?? {})) if (skipCopyAnnotation(k)) annotations[k] = v;
  for (const [k, v] of Object.entries(target.metadata?.annotations ?? {})) if (!skipCopyAnnotation(k)) annotations[k] = v;
  return {
    outcome: 'rollback',
    template: templateWithoutHash(target.spec!.template!),
    annotations,
    replicaSet: target.metadata!.name!,
    revision: revisionOf(target),
    message: 'rolled back',
  };
}

// The Deployment controller's writes, after upstream pkg/controller/deployment/sync.go:
// finding (or creating) the new ReplicaSet <deploy>-<pod-template-hash> and
// syncing revisions, scaling ReplicaSets (with the ScalingReplicaSet Event
// "Scaled up replica set web-5d9c7b from 0 to 3"), proportional scaling
// when replicas change mid-rollout, trimming old ReplicaSets to
// revisionHistoryLimit, pause conditions and the Deployment's status.
// The Deployment `d` is the sync's private copy and is updated in place, as
// upstream does; status writes send it with the resourceVersion it was read
// at, so a second write in one sync meets 409 Conflict and is retried.
import type { DeploymentStatus } from 'kubernetes-types/apps/v1';
import type { Deployment, KubeObject, ReplicaSet } from '../api/types';
import type { ApiClient } from '../apiserver/apiserver';
import type { EventRecorder } from '../client/event-recorder';
import type { Kernel } from '../kernel/kernel';
import { semanticEqual } from '../api/validation/equal';
import { ApiError, bySizeNewer, bySizeOlder, controllerRefOf, filterActiveReplicaSets, isAlreadyExists, isNamespaceTerminating, isNotFound, must, newControllerRef, replicasOf } from './controller-utils';
import { computeHash } from './controller-utils-hash';
import * as util from './deployment-util';

export const DEPLOYMENT_KIND = { apiVersion: 'apps/v1', kind: 'Deployment' };

export interface DeploymentDeps {
  kernel: Kernel;
  client: ApiClient;
  recorder: EventRecorder;
  /** The ReplicaSet lister: the informer's copy. */
  replicaSet(namespace: string, name: string): ReplicaSet | undefined;
  /** Requeue the Deployment after `ms`, or rate-limited (for progress checks). */
  enqueueAfter(d: Deployment, ms: number): void;
  enqueueRateLimited(d: Deployment): void;
}

export class DeploymentSync {
  constructor(readonly deps: DeploymentDeps) {}

  get now(): number {
    return this.deps.kernel.now;
  }

  /** UpdateStatus with the Deployment as this sync holds it; a failure (409 on a second write) ends the sync. */
  updateStatus(d: Deployment): void {
    must(this.deps.client.updateStatus(d as KubeObject));
  }

  /** syncStatusOnly: a Deployment being deleted only reports. */
  syncStatusOnly(d: Deployment, rsList: ReplicaSet[]): void {
    const [newRS, oldRSs] = this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    this.syncDeploymentStatus([...oldRSs, newRS], newRS, d);
  }

  /** sync: scaling events and paused Deployments: scale, never roll out. */
  sync(d: Deployment, rsList: ReplicaSet[]): void {
    const [newRS, oldRSs] = this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    this.scale(d, newRS, oldRSs);
    // A paused Deployment with no rollback in flight is trimmed here (a rollout trims when complete).
    if (d.spec?.paused && !rollbackTo(d)) this.cleanupDeployment(oldRSs, d);
    this.syncDeploymentStatus([...oldRSs, newRS], newRS, d);
  }

  /** checkPausedConditions: Progressing=Unknown DeploymentPaused / DeploymentResumed, so a pause never times out. */
  checkPausedConditions(d: Deployment): void {
    if (!util.hasProgressDeadline(d)) return;
    const cond = util.getCondition(d.status, 'Progressing');
    if (cond?.reason === util.TIMED_OUT) return;
    const pausedCond = cond?.reason === util.PAUSED;
    const status = (d.status ??= {});
    if (d.spec?.paused && !pausedCond) util.setCondition(status, util.newCondition('Progressing', 'Unknown', util.PAUSED, 'Deployment is paused', this.now));
    else if (!d.spec?.paused && pausedCond) util.setCondition(status, util.newCondition('Progressing', 'Unknown', util.RESUMED, 'Deployment is resumed', this.now));
    else return;
    this.updateStatus(d);
  }

  /** getAllReplicaSetsAndSyncRevision: [new (maybe created), all old], revisions brought up to date. */
  getAllReplicaSetsAndSyncRevision(d: Deployment, rsList: ReplicaSet[], createIfNotExisted: boolean): [ReplicaSet | undefined, ReplicaSet[]] {
    const [, allOld] = util.findOldReplicaSets(d, rsList);
    return [this.getNewReplicaSet(d, rsList, allOld, createIfNotExisted), allOld];
  }

  /** getNewReplicaSet. */
  getNewReplicaSet(d: Deployment, rsList: ReplicaSet[], oldRSs: ReplicaSet[], createIfNotExisted: boolean): ReplicaSet | undefined {
    const existing = util.findNewReplicaSet(d, rsList);
    const newRevision = String(util.maxRevision(oldRSs) + 1);
    const { client, recorder } = this.deps;
    if (existing) {
      const rsCopy = copyForSync(existing);
      const annotationsUpdated = util.setNewReplicaSetAnnotations(d, rsCopy, newRevision, true);
      const minReady = d.spec?.minReadySeconds ?? 0;
      if (annotationsUpdated || (rsCopy.spec!.minReadySeconds ?? 0) !== minReady) {
        if (minReady) rsCopy.spec!.minReadySeconds = minReady;
        else delete rsCopy.spec!.minReadySeconds;
        return must(client.update(rsCopy as KubeObject)) as ReplicaSet;
      }
      // The revision the ReplicaSet already carries is the Deployment's.
      let needsUpdate = util.setDeploymentRevision(d, rsCopy.metadata!.annotations![util.REVISION_ANNOTATION]);
      if (util.hasProgressDeadline(d) && !util.getCondition(d.status, 'Progressing')) {
        util.setCondition((d.status ??= {}), util.newCondition('Progressing', 'True', util.FOUND_NEW_RS, `Found new replica set ${JSON.stringify(rsCopy.metadata!.name)}`, this.now));
        needsUpdate = true;
      }
      if (needsUpdate) this.updateStatus(d);
      return rsCopy;
    }
    if (!createIfNotExisted) return undefined;

    const template = structuredClone(d.spec!.template!);
    const hash = computeHash(d.spec!.template, d.status?.collisionCount);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [util.POD_TEMPLATE_HASH]: hash } };
    const selector = structuredClone(d.spec!.selector!);
    selector.matchLabels = { ...selector.matchLabels, [util.POD_TEMPLATE_HASH]: hash };
    const newRS: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        // A deterministic name keeps creation idempotent.
        name: `${d.metadata!.name}-${hash}`,
        namespace: d.metadata!.namespace,
        ownerReferences: [newControllerRef(d as KubeObject, DEPLOYMENT_KIND.apiVersion, DEPLOYMENT_KIND.kind)],
        labels: template.metadata.labels,
      },
      // minReadySeconds is omitempty: 0 is not written.
      spec: { replicas: 0, ...(d.spec?.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}), selector, template },
    };
    const newReplicas = util.newRSNewReplicas(d, [...oldRSs, newRS], newRS);
    newRS.spec!.replicas = newReplicas;
    util.setNewReplicaSetAnnotations(d, newRS, newRevision, false);

    let created: ReplicaSet;
    let alreadyExists = false;
    const r = client.create(newRS as KubeObject);
    if (r.ok) created = r.object as ReplicaSet;
    else if (isAlreadyExists(r.status)) {
      // A slow cache, or a hash collision with a ReplicaSet that is not ours.
      alreadyExists = true;
      const rs = this.deps.replicaSet(newRS.metadata!.namespace!, newRS.metadata!.name!);
      if (!rs) throw new ApiError(r.status);
      const ref = controllerRefOf(rs as KubeObject);
      if (ref?.uid === d.metadata?.uid && util.equalIgnoreHash(d.spec?.template, rs.spec?.template)) created = rs;
      else {
        // A collision: a new collisionCount gives a new hash on the next sync.
        const status = (d.status ??= {});
        status.collisionCount = (status.collisionCount ?? 0) + 1;
        client.updateStatus(d as KubeObject);
        throw new ApiError(r.status);
      }
    } else if (isNamespaceTerminating(r.status)) throw new ApiError(r.status);
    else {
      const msg = `Failed to create new replica set ${JSON.stringify(newRS.metadata!.name)}: ${r.status.message}`;
      if (util.hasProgressDeadline(d)) {
        util.setCondition((d.status ??= {}), util.newCondition('Progressing', 'False', util.FAILED_RS_CREATE, msg, this.now));
        // The bigger issue is reported; this write's own outcome does not matter.
        client.updateStatus(d as KubeObject);
      }
      recorder.event(d as KubeObject, 'Warning', util.FAILED_RS_CREATE, msg);
      throw new ApiError(r.status);
    }
    if (!alreadyExists && newReplicas > 0) recorder.event(d as KubeObject, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata!.name} from 0 to ${newReplicas}`);
    let needsUpdate = util.setDeploymentRevision(d, newRevision);
    if (!alreadyExists && util.hasProgressDeadline(d)) {
      util.setCondition((d.status ??= {}), util.newCondition('Progressing', 'True', util.NEW_REPLICA_SET_CREATED, `Created new replica set ${JSON.stringify(created.metadata!.name)}`, this.now));
      needsUpdate = true;
    }
    if (needsUpdate) this.updateStatus(d);
    return created;
  }

  /**
   * scale: one active ReplicaSet takes the whole count; a saturated new one
   * retires the old; otherwise (rolling update) the change is spread over the
   * active ReplicaSets in proportion to their size, leftovers to the largest.
   */
  scale(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): void {
    const want = util.desiredReplicas(d);
    const activeOrLatest = util.findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest) {
      if (replicasOf(activeOrLatest) !== want) this.scaleReplicaSetAndRecordEvent(activeOrLatest, want, d);
      return;
    }
    if (util.isSaturated(d, newRS)) {
      for (const old of filterActiveReplicaSets(oldRSs)) this.scaleReplicaSetAndRecordEvent(old, 0, d);
      return;
    }
    if (!util.isRollingUpdate(d)) return;
    const all = filterActiveReplicaSets([...oldRSs, newRS]);
    const allowed = want > 0 ? want + util.maxSurge(d) : 0;
    const toAdd = allowed - util.specReplicaCount(all);
    let op = '';
    if (toAdd > 0) {
      all.sort(bySizeNewer);
      op = 'up';
    } else if (toAdd < 0) {
      all.sort(bySizeOlder);
      op = 'down';
    }
    let added = 0;
    const size = new Map<string, number>();
    for (const rs of all) {
      if (toAdd !== 0) {
        const p = util.getProportion(rs, d, toAdd, added);
        size.set(rs.metadata!.name!, replicasOf(rs) + p);
        added += p;
      } else size.set(rs.metadata!.name!, replicasOf(rs));
    }
    all.forEach((rs, i) => {
      const name = rs.metadata!.name!;
      if (i === 0 && toAdd !== 0) size.set(name, Math.max(0, size.get(name)! + toAdd - added));
      this.scaleReplicaSet(rs, size.get(name)!, d, op);
    });
  }

  /** scaleReplicaSetAndRecordEvent: [scaled, the ReplicaSet as stored now]. */
  scaleReplicaSetAndRecordEvent(rs: ReplicaSet, newScale: number, d: Deployment): [boolean, ReplicaSet] {
    if (replicasOf(rs) === newScale) return [false, rs];
    return this.scaleReplicaSet(rs, newScale, d, replicasOf(rs) < newScale ? 'up' : 'down');
  }

  /** scaleReplicaSet: new size and the desired/max annotations in one update; an Event when the size moved. */
  scaleReplicaSet(rs: ReplicaSet, newScale: number, d: Deployment, op: string): [boolean, ReplicaSet] {
    const oldScale = replicasOf(rs);
    const sizeNeedsUpdate = oldScale !== newScale;
    const desired = util.desiredReplicas(d);
    const max = desired + util.maxSurge(d);
    if (!sizeNeedsUpdate && !util.replicasAnnotationsNeedUpdate(rs, desired, max)) return [false, rs];
    const copy = structuredClone(rs);
    copy.spec!.replicas = newScale;
    util.setReplicasAnnotations(copy, desired, max);
    const updated = must(this.deps.client.update(copy as KubeObject)) as ReplicaSet;
    if (sizeNeedsUpdate) this.deps.recorder.event(d as KubeObject, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${updated.metadata!.name} from ${oldScale} to ${newScale}`);
    return [sizeNeedsUpdate, updated];
  }

  /** cleanupDeployment: delete the oldest old ReplicaSets beyond revisionHistoryLimit, only empty settled ones. */
  cleanupDeployment(oldRSs: ReplicaSet[], d: Deployment): void {
    if (!util.hasRevisionHistoryLimit(d)) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp);
    const diff = cleanable.length - d.spec!.revisionHistoryLimit!;
    if (diff <= 0) return;
    cleanable.sort(util.byRevision);
    for (let i = 0; i < diff; i++) {
      const rs = cleanable[i];
      if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0) || rs.metadata?.deletionTimestamp) continue;
      const r = this.deps.client.delete('ReplicaSet', rs.metadata!.namespace, rs.metadata!.name!);
      // Stop at the first failure rather than pressing an apiserver that is struggling.
      if (!r.ok && !isNotFound(r.status)) throw new ApiError(r.status);
    }
  }

  /** syncDeploymentStatus: write the status when it changed. */
  syncDeploymentStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): void {
    const status = calculateStatus(allRSs, newRS, d, this.now);
    if (semanticEqual(d.status, status)) return;
    d.status = status;
    this.updateStatus(d);
  }

  /** isScalingEvent: an active ReplicaSet's desired-replicas annotation differs from spec.replicas. */
  isScalingEvent(d: Deployment, rsList: ReplicaSet[]): boolean {
    const [newRS, oldRSs] = this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    for (const rs of filterActiveReplicaSets([...oldRSs, newRS])) {
      const desired = util.desiredReplicasAnnotation(rs);
      if (desired !== undefined && desired !== util.desiredReplicas(d)) return true;
    }
    return false;
  }
}

/** calculateStatus: counts summed over the ReplicaSets, and Available from minimum availability. */
export function calculateStatus(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment, now: number): DeploymentStatus {
  const available = util.availableReplicaCount(allRSs);
  const total = util.specReplicaCount(allRSs);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata?.generation,
    replicas: util.actualReplicaCount(allRSs),
    updatedReplicas: util.actualReplicaCount([newRS]),
    readyReplicas: util.readyReplicaCount(allRSs),
    availableReplicas: available,
    // More available than desired (scaling down) is no negative unavailability.
    unavailableReplicas: Math.max(0, total - available),
    ...(d.status?.collisionCount != null ? { collisionCount: d.status.collisionCount } : {}),
    ...(d.status?.conditions?.length ? { conditions: [...d.status.conditions] } : {}),
  };
  if (available >= util.desiredReplicas(d) - util.maxUnavailable(d))
    util.setCondition(status, util.newCondition('Available', 'True', util.MINIMUM_REPLICAS_AVAILABLE, 'Deployment has minimum availability.', now));
  else util.setCondition(status, util.newCondition('Available', 'False', util.MINIMUM_REPLICAS_UNAVAILABLE, 'Deployment does not have minimum availability.', now));
  return status;
}

/**
 * A sync's private copy of a cached Deployment or ReplicaSet (upstream's
 * DeepCopy): the parts a sync writes to (metadata and its annotations, spec
 * and status, field by field) are fresh; what they hold (templates,
 * selectors, conditions) is shared with the cache, where nothing writes.
 */
export function copyForSync<T extends Deployment | ReplicaSet>(o: T): T {
  const { metadata, spec, status } = o;
  const meta = metadata && (metadata.annotations ? { ...metadata, annotations: { ...metadata.annotations } } : { ...metadata });
  return { ...o, ...(meta ? { metadata: meta } : {}), ...(spec ? { spec: { ...spec } } : {}), ...(status ? { status: { ...status } } : {}) };
}

/** getRollbackTo: the deprecated rollbackTo revision carried as an annotation, if any. */
export function rollbackTo(d: Deployment): number | undefined {
  const v = d.metadata?.annotations?.[util.DEPRECATED_ROLLBACK_TO];
  if (!v || !/^[+-]?\d+$/.test(v)) return undefined;
  return Number(v);
}

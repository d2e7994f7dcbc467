// kube-controller-manager's deployment-controller, after upstream
// pkg/controller/deployment/deployment_controller.go: it watches
// Deployments, their ReplicaSets and (for Recreate) pod deletions, claims
// ReplicaSets by selector and controllerRef, and on each sync does, in
// upstream's priority: status only while being deleted; pause conditions;
// scaling only when paused; the deprecated rollbackTo; proportional scaling
// on a replicas change; otherwise a rollout by the Deployment's strategy.
import type { Deployment, KubeObject, Pod, ReplicaSet } from '../api/types';
import type { Controller, ControllerContext, ControllerFactory } from './controller';
import { ApiError, byName, controllerRefOf, isEmptySelector, isNamespaceTerminating, sameControllerRef, sameLabels, selectorMatcher, resolveControllerRef } from './controller-utils';
import { CONTROLLER_UID_INDEX, addOrphanIndexes, orphanCandidates } from './controller-utils-indexes';
import { claimObjects } from './controller-utils-ref-manager';
import { rolloutRecreate, type PodMap } from './deployment-recreate';
import { rollback } from './deployment-rollback';
import { rolloutRolling } from './deployment-rolling';
import { copyForSync, DEPLOYMENT_KIND, DeploymentSync, rollbackTo } from './deployment-sync';
import { byControllerUid, byNamespace, keyOf, type SharedInformer } from './shared-informers';
import { WorkQueue, type SyncResult } from './work-queue';

export const DEPLOYMENT_CONTROLLER = 'deployment-controller';

/** A Deployment is dropped from the queue after this many failed syncs in a row (5 ms ... 82 s of backoff). */
export const MAX_RETRIES = 15;

/** A Deployment this controller can not act on (an error upstream returns from syncDeployment). */
export class DeploymentError extends Error {}

const BY_NAMESPACE = 'namespace';

const selectorOf = (d: Deployment) => selectorMatcher(d.spec?.selector);

export class DeploymentController implements Controller {
  readonly name = DEPLOYMENT_CONTROLLER;
  readonly queue: WorkQueue;
  private readonly deployments: SharedInformer;
  private readonly rss: SharedInformer;
  private readonly pods: SharedInformer;
  private readonly actions: DeploymentSync;

  constructor(private readonly ctx: ControllerContext) {
    const { kernel, informers } = ctx;
    this.queue = new WorkQueue(kernel, this.name, (key) => this.syncKey(key));
    this.deployments = informers.for('Deployment');
    this.deployments.addIndex(BY_NAMESPACE, byNamespace);
    this.rss = informers.for('ReplicaSet');
    this.rss.addIndex(CONTROLLER_UID_INDEX, byControllerUid);
    addOrphanIndexes(this.rss);
    this.pods = informers.for('Pod');
    this.pods.addIndex(CONTROLLER_UID_INDEX, byControllerUid);
    this.actions = new DeploymentSync({
      kernel,
      client: ctx.client,
      recorder: ctx.recorder(this.name),
      replicaSet: (ns, name) => this.rss.get(`${ns}/${name}`) as ReplicaSet | undefined,
      enqueueAfter: (d, ms) => this.queue.addAfter(keyOf(d as KubeObject), ms),
      enqueueRateLimited: (d) => this.queue.addRateLimited(keyOf(d as KubeObject)),
    });
    this.deployments.on({
      add: (d) => this.queue.add(keyOf(d)),
      update: (d) => this.queue.add(keyOf(d)),
      delete: (d) => this.queue.add(keyOf(d)),
    });
    this.rss.on({
      add: (rs) => this.replicaSetAdded(rs as ReplicaSet),
      update: (rs, old) => this.replicaSetUpdated(rs as ReplicaSet, old as ReplicaSet),
      delete: (rs) => this.replicaSetDeleted(rs as ReplicaSet),
    });
    this.pods.on({ delete: (p) => this.podDeleted(p as Pod) });
  }

  stop(): void {
    this.queue.shutDown();
  }

  // ---- event handlers ----------------------------------------------------------

  private enqueue(d: Deployment | undefined): void {
    if (d) this.queue.add(keyOf(d as KubeObject));
  }

  /** resolveControllerRef: the Deployment a controllerRef names, if it still is that one. */
  private resolve(namespace: string | undefined, ref: ReturnType<typeof controllerRefOf>): Deployment | undefined {
    return resolveControllerRef<Deployment>(this.deployments, 'Deployment', namespace, ref);
  }

  /** getDeploymentsForReplicaSet: Deployments whose (non-empty) selector matches the ReplicaSet's labels. */
  private deploymentsSelecting(rs: ReplicaSet): Deployment[] {
    const labels = rs.metadata?.labels;
    if (!labels || !Object.keys(labels).length) return [];
    return (this.deployments.byIndex(BY_NAMESPACE, rs.metadata?.namespace ?? '') as Deployment[]).filter((d) => !isEmptySelector(d.spec?.selector) && (selectorOf(d)?.(labels) ?? false));
  }

  private replicaSetAdded(rs: ReplicaSet): void {
    if (rs.metadata?.deletionTimestamp) return this.replicaSetDeleted(rs);
    const ref = controllerRefOf(rs as KubeObject);
    if (ref) return this.enqueue(this.resolve(rs.metadata?.namespace, ref));
    for (const d of this.deploymentsSelecting(rs)) this.enqueue(d);
  }

  private replicaSetUpdated(cur: ReplicaSet, old: ReplicaSet): void {
    if (cur.metadata?.resourceVersion === old.metadata?.resourceVersion) return;
    const curRef = controllerRefOf(cur as KubeObject);
    const oldRef = controllerRefOf(old as KubeObject);
    const refChanged = !sameControllerRef(cur as KubeObject, old as KubeObject);
    if (refChanged && oldRef) this.enqueue(this.resolve(old.metadata?.namespace, oldRef));
    if (curRef) return this.enqueue(this.resolve(cur.metadata?.namespace, curRef));
    if (!sameLabels(cur.metadata?.labels, old.metadata?.labels) || refChanged) for (const d of this.deploymentsSelecting(cur)) this.enqueue(d);
  }

  private replicaSetDeleted(rs: ReplicaSet): void {
    this.enqueue(this.resolve(rs.metadata?.namespace, controllerRefOf(rs as KubeObject)));
  }

  /** deletePod: a Recreate Deployment waits for its last old pod to go; that is when it syncs. */
  private podDeleted(pod: Pod): void {
    const ref = controllerRefOf(pod as KubeObject);
    if (!ref || ref.kind !== 'ReplicaSet') return;
    const rs = this.rss.get(`${pod.metadata?.namespace}/${ref.name}`) as ReplicaSet | undefined;
    if (!rs || rs.metadata?.uid !== ref.uid) return;
    const d = this.resolve(rs.metadata?.namespace, controllerRefOf(rs as KubeObject));
    if (!d || d.spec?.strategy?.type !== 'Recreate') return;
    const owned = this.ownedReplicaSets(d);
    let pods = 0;
    for (const list of this.podMap(d, owned).values()) pods += list.length;
    if (pods === 0) this.enqueue(d);
  }

  // ---- listing -------------------------------------------------------------------

  /** ListReplicaSets: those the Deployment selects and controls (no adoption). */
  private ownedReplicaSets(d: Deployment): ReplicaSet[] {
    const matches = selectorOf(d);
    if (!matches) return [];
    return (this.rss.byIndex(CONTROLLER_UID_INDEX, d.metadata!.uid!) as ReplicaSet[]).filter((rs) => matches(rs.metadata?.labels));
  }

  /** getReplicaSetsForDeployment: claim ReplicaSets (adopt matching orphans, release the unmatched). */
  private replicaSetsForDeployment(d: Deployment): ReplicaSet[] {
    const matches = selectorOf(d);
    if (!matches) throw new DeploymentError(`deployment ${d.metadata?.namespace}/${d.metadata?.name} has invalid label selector`);
    const owned = this.rss.byIndex(CONTROLLER_UID_INDEX, d.metadata!.uid!);
    const candidates = [...owned, ...orphanCandidates(this.rss, d.metadata!.namespace ?? '', d.spec?.selector)].sort(byName);
    const claim = claimObjects(candidates, {
      client: this.ctx.client,
      kind: 'ReplicaSet',
      controller: d as KubeObject,
      controllerKind: DEPLOYMENT_KIND,
      matches: (o) => matches(o.metadata.labels),
    });
    if (claim.errors.length) throw new ApiError(claim.errors[0]);
    return claim.claimed as ReplicaSet[];
  }

  /** getPodMapForDeployment: every pod (finished or not) of each ReplicaSet, by the ReplicaSet's uid. */
  private podMap(d: Deployment, rsList: ReplicaSet[]): PodMap {
    const matches = selectorOf(d);
    const map: PodMap = new Map();
    for (const rs of rsList) {
      const pods = (this.pods.byIndex(CONTROLLER_UID_INDEX, rs.metadata!.uid!) as Pod[]).filter((p) => matches?.(p.metadata?.labels) ?? false);
      map.set(rs.metadata!.uid!, pods);
    }
    return map;
  }

  // ---- sync ------------------------------------------------------------------------

  private syncKey(key: string): SyncResult {
    try {
      this.syncDeployment(key);
      return 'done';
    } catch (e) {
      // Anything else is a bug and should surface, not be retried quietly.
      if (!(e instanceof ApiError || e instanceof DeploymentError)) throw e;
      if (e instanceof ApiError && isNamespaceTerminating(e.status)) return 'done';
      // handleErr: retried with backoff up to maxRetries, then dropped until the next event.
      if (this.queue.numRequeues(key) < MAX_RETRIES) return 'retry';
      return 'done';
    }
  }

  /** syncDeployment. */
  syncDeployment(key: string): void {
    const cached = this.deployments.get(key) as Deployment | undefined;
    if (!cached) return;
    const d = copyForSync(cached);
    const s = this.actions;
    if (isEmptySelector(d.spec?.selector)) {
      s.deps.recorder.event(d as KubeObject, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
        d.status = { ...d.status, observedGeneration: d.metadata?.generation };
        this.ctx.client.updateStatus(d as KubeObject);
      }
      return;
    }
    const rsList = this.replicaSetsForDeployment(d);
    // getPodMapForDeployment's map is read only by Recreate: listed there (nothing writes pods before it).
    if (d.metadata?.deletionTimestamp) return s.syncStatusOnly(d, rsList);
    // Unknown conditions on pause and resume keep a resumed rollout from timing out at once.
    s.checkPausedConditions(d);
    if (d.spec?.paused) return s.sync(d, rsList);
    // Rollback is not re-entrant: settle it before anything scales.
    if (rollbackTo(d) !== undefined) return rollback(s, d, rsList);
    if (s.isScalingEvent(d, rsList)) return s.sync(d, rsList);
    switch (d.spec?.strategy?.type) {
      case 'Recreate':
        return rolloutRecreate(s, d, rsList, this.podMap(d, rsList));
      case 'RollingUpdate':
        return rolloutRolling(s, d, rsList);
    }
    throw new DeploymentError(`unexpected deployment strategy type: ${d.spec?.strategy?.type}`);
  }
}

export const newDeploymentController: ControllerFactory = (ctx) => new DeploymentController(ctx);

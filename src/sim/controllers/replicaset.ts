// kube-controller-manager's replicaset-controller, after upstream
// pkg/controller/replicaset/replica_set.go: it keeps spec.replicas active pods
// for every ReplicaSet. Pods are claimed by selector and controllerRef
// (adopting orphans, releasing pods that no longer match), created from the
// template in slow-start batches (1, 2, 4, ...; at most 500 per sync) and
// deleted in getPodsToDelete's order, with expectations so a sync that runs
// before the watch has caught up neither creates nor deletes twice. Status
// is written on every sync that changes it.
import type { LabelMatcher } from '../api/selector';
import type { KubeObject, Pod, ReplicaSet } from '../api/types';
import type { Failure } from '../apiserver/status';
import type { Controller, ControllerContext, ControllerFactory } from './controller';
import {
  BURST_REPLICAS,
  SLOW_START_INITIAL_BATCH_SIZE,
  byName,
  controllerRefOf,
  filterActivePods,
  getPodsToDelete,
  isNamespaceTerminating,
  isNotFound,
  isEmptySelector,
  isPodActive,
  isPodReady,
  newControllerRef,
  sameControllerRef,
  sameLabels,
  selectorMatcher,
  slowStartBatch,
  resolveControllerRef,
} from './controller-utils';
import { ControllerExpectations } from './controller-utils-expectations';
import { PodControl } from './controller-utils-pod-control';
import { CONTROLLER_UID_INDEX, addOrphanIndexes, orphanCandidates } from './controller-utils-indexes';
import { claimObjects } from './controller-utils-ref-manager';
import { countReplicas, hasLabels, statusFromCounts, updateReplicaSetStatus, type ReplicaCounts } from './replicaset-status';
import { ownedPodTally, type OwnedPodTally } from './controller-utils-owned-pods';
import { byControllerUid, byNamespace, keyOf, type SharedInformer } from './shared-informers';
import { WorkQueue, type SyncResult } from './work-queue';

export const REPLICASET_CONTROLLER = 'replicaset-controller';

const RS_BY_NAMESPACE = 'namespace';

const RS_KIND = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };

const selectorOf = (rs: ReplicaSet) => selectorMatcher(rs.spec?.selector);

export class ReplicaSetController implements Controller {
  readonly name = REPLICASET_CONTROLLER;
  readonly queue: WorkQueue;
  readonly expectations: ControllerExpectations;
  private readonly rss: SharedInformer;
  private readonly pods: SharedInformer;
  /** The active pods of each ReplicaSet, counted as the informer's events arrive. */
  private readonly owned: OwnedPodTally;
  private readonly podControl: PodControl;

  constructor(private readonly ctx: ControllerContext) {
    const { kernel, informers } = ctx;
    this.queue = new WorkQueue(kernel, this.name, (key) => this.sync(key));
    this.expectations = new ControllerExpectations(() => kernel.now);
    this.podControl = new PodControl(ctx.client, ctx.recorder(this.name));
    this.rss = informers.for('ReplicaSet');
    this.rss.addIndex(CONTROLLER_UID_INDEX, byControllerUid);
    this.rss.addIndex(RS_BY_NAMESPACE, byNamespace);
    this.pods = informers.for('Pod');
    this.pods.addIndex(CONTROLLER_UID_INDEX, byControllerUid);
    addOrphanIndexes(this.pods);
    this.owned = ownedPodTally(this.pods);
    this.rss.on({
      add: (o) => this.queue.add(keyOf(o)),
      update: (o, old) => {
        if (o.metadata.uid !== old.metadata.uid) this.rsDeleted(old);
        this.queue.add(keyOf(o));
      },
      delete: (o) => this.rsDeleted(o),
    });
    this.pods.on({
      add: (o) => this.podAdded(o as Pod),
      update: (o, old) => this.podUpdated(o as Pod, old as Pod),
      delete: (o) => this.podDeleted(o as Pod),
    });
  }

  stop(): void {
    this.queue.shutDown();
  }

  // ---- event handlers ---------------------------------------------------------

  private rsDeleted(rs: KubeObject): void {
    const key = keyOf(rs);
    // A ReplicaSet created again under the same name starts with clean expectations.
    this.expectations.delete(key);
    this.queue.add(key);
  }

  /** resolveControllerRef: the ReplicaSet a controllerRef names, if it still is that one. */
  private resolve(namespace: string | undefined, ref: ReturnType<typeof controllerRefOf>): ReplicaSet | undefined {
    return resolveControllerRef<ReplicaSet>(this.rss, 'ReplicaSet', namespace, ref);
  }

  /** getPodReplicaSets: ReplicaSets in the pod's namespace whose selector matches its labels. */
  private replicaSetsSelecting(pod: Pod): ReplicaSet[] {
    const labels = pod.metadata?.labels;
    if (!labels || Object.keys(labels).length === 0) return [];
    // A missing or empty selector matches nothing here, not everything.
    return (this.rss.byIndex(RS_BY_NAMESPACE, pod.metadata?.namespace ?? '') as ReplicaSet[]).filter(
      (rs) => !!rs.spec?.selector && !isEmptySelector(rs.spec.selector) && (selectorOf(rs)?.(labels) ?? false),
    );
  }

  private podAdded(pod: Pod): void {
    // A pod already being deleted when first seen (a restart) is no creation to observe.
    if (pod.metadata?.deletionTimestamp) return this.podDeleted(pod);
    const ref = controllerRefOf(pod);
    if (ref) {
      const rs = this.resolve(pod.metadata?.namespace, ref);
      if (!rs) return;
      const key = keyOf(rs as KubeObject);
      this.expectations.creationObserved(key);
      this.queue.add(key);
      return;
    }
    // An orphan: whoever selects it may adopt it. No expectation waits for orphans.
    for (const rs of this.replicaSetsSelecting(pod)) this.queue.add(keyOf(rs as KubeObject));
  }

  private podUpdated(cur: Pod, old: Pod): void {
    if (cur.metadata?.resourceVersion === old.metadata?.resourceVersion) return;
    const labelsChanged = !sameLabels(cur.metadata?.labels, old.metadata?.labels);
    if (cur.metadata?.deletionTimestamp) {
      // A graceful delete counts as the deletion now: the ReplicaSet replaces the pod at once.
      this.podDeleted(cur);
      if (labelsChanged) this.podDeleted(old);
      return;
    }
    const refChanged = !sameControllerRef(cur as KubeObject, old as KubeObject);
    const oldRef = controllerRefOf(old);
    if (refChanged && oldRef) {
      const rs = this.resolve(old.metadata?.namespace, oldRef);
      if (rs) this.queue.add(keyOf(rs as KubeObject));
    }
    const ref = controllerRefOf(cur);
    if (ref) {
      const rs = this.resolve(cur.metadata?.namespace, ref);
      if (!rs) return;
      const key = keyOf(rs as KubeObject);
      this.queue.add(key);
      // A pod that just became Ready becomes available minReadySeconds later: look again then (plus 1 s of skew).
      const minReady = rs.spec?.minReadySeconds ?? 0;
      if (!isPodReady(old) && isPodReady(cur) && minReady > 0) this.queue.addAfter(key, (minReady + 1) * 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const rs of this.replicaSetsSelecting(cur)) this.queue.add(keyOf(rs as KubeObject));
  }

  private podDeleted(pod: Pod): void {
    const rs = this.resolve(pod.metadata?.namespace, controllerRefOf(pod));
    if (!rs) return;
    const key = keyOf(rs as KubeObject);
    this.expectations.deletionObserved(key, `${pod.metadata?.namespace}/${pod.metadata?.name}`);
    this.queue.add(key);
  }

  // ---- sync -------------------------------------------------------------------

  /** Pods this ReplicaSet may own: those it controls and the namespace's orphans it may select, in name order. */
  private candidatePods(rs: ReplicaSet): Pod[] {
    const owned = this.pods.byIndex(CONTROLLER_UID_INDEX, rs.metadata!.uid!);
    const orphans = orphanCandidates(this.pods, rs.metadata!.namespace ?? '', rs.spec?.selector);
    return ([...owned, ...orphans] as Pod[]).sort(byName);
  }

  /** syncReplicaSet. */
  sync(key: string): SyncResult {
    const rs = this.rss.get(key) as ReplicaSet | undefined;
    if (!rs) {
      this.expectations.delete(key);
      return 'done';
    }
    const needsSync = this.expectations.satisfied(key);
    const matches = selectorOf(rs);
    if (!matches) return 'done';
    const now = this.ctx.kernel.now;
    // Counted before any write: the pods as the sync found them, as upstream's list.
    let counts: ReplicaCounts;
    let pods: () => Pod[];
    if (this.claimsNothing(rs, matches)) {
      counts = this.tallied(rs, now);
      // Listed only to pick pods to delete; the claim then writes nothing, as just checked.
      pods = () => this.claim(rs, matches).claimed as Pod[];
    } else {
      const claim = this.claim(rs, matches);
      if (claim.errors.length) return 'retry';
      const claimed = claim.claimed as Pod[];
      counts = countReplicas(rs, claimed, now);
      pods = () => claimed;
    }
    let manageError: Failure | undefined;
    if (needsSync && !rs.metadata?.deletionTimestamp) manageError = this.manageReplicas(counts.replicas, pods, rs, key);
    const updated = updateReplicaSetStatus(this.ctx.client, rs, statusFromCounts(rs, counts, manageError, now));
    if (!updated.ok) return 'retry';
    // A last look after minReadySeconds, in case no pod event arrives when the pods become available.
    const u = updated.rs;
    const minReady = u.spec?.minReadySeconds ?? 0;
    const want = u.spec?.replicas ?? 0;
    if (!manageError && minReady > 0 && (u.status?.readyReplicas ?? 0) === want && (u.status?.availableReplicas ?? 0) !== want) this.queue.addAfter(key, minReady * 1000);
    return manageError ? 'retry' : 'done';
  }

  /** claimPods over the active pods it controls and the orphans it may select: adopts and releases. */
  private claim(rs: ReplicaSet, matches: LabelMatcher) {
    return claimObjects(filterActivePods(this.candidatePods(rs)) as KubeObject[], {
      client: this.ctx.client,
      kind: 'Pod',
      controller: rs as KubeObject,
      controllerKind: RS_KIND,
      matches: (o) => matches(o.metadata.labels),
    });
  }

  /**
   * Would claimPods write nothing: no active orphan matches and every active
   * pod it controls still matches? Then it claims exactly those pods, and the
   * tally of them stands for the list.
   */
  private claimsNothing(rs: ReplicaSet, matches: LabelMatcher): boolean {
    const owned = this.owned.of(rs.metadata!.uid!);
    if (owned) for (const set of owned.labelSets.values()) if (!matches(set.labels)) return false;
    for (const o of orphanCandidates(this.pods, rs.metadata!.namespace ?? '', rs.spec?.selector)) if (isPodActive(o as Pod) && matches(o.metadata.labels)) return false;
    return true;
  }

  /** countReplicas from the tally of the active pods it controls. */
  private tallied(rs: ReplicaSet, now: number): ReplicaCounts {
    const uid = rs.metadata!.uid!;
    const owned = this.owned.of(uid);
    if (!owned) return { replicas: 0, fullyLabeled: 0, ready: 0, available: 0 };
    const templateLabels = rs.spec?.template?.metadata?.labels;
    let fullyLabeled = 0;
    for (const set of owned.labelSets.values()) if (hasLabels(set.labels, templateLabels)) fullyLabeled += set.count;
    return { replicas: owned.active, fullyLabeled, ready: owned.ready, available: this.owned.available(uid, rs.spec?.minReadySeconds ?? 0, now) };
  }

  /** manageReplicas: create or delete pods toward spec.replicas; returns the first failure. */
  private manageReplicas(active: number, pods: () => Pod[], rs: ReplicaSet, key: string): Failure | undefined {
    const diff = active - (rs.spec?.replicas ?? 0);
    if (diff < 0) {
      const want = Math.min(-diff, BURST_REPLICAS);
      this.expectations.expectCreations(key, want);
      const ref = newControllerRef(rs as KubeObject, RS_KIND.apiVersion, RS_KIND.kind);
      const template = rs.spec!.template!;
      const { successes, error } = slowStartBatch(want, SLOW_START_INITIAL_BATCH_SIZE, () => {
        const err = this.podControl.createPod(template, rs as KubeObject, ref);
        // Creates in a terminating namespace fail quietly: nothing to report.
        return isNamespaceTerminating(err) ? undefined : err;
      });
      // Pods never created (skipped or failed) will never be observed.
      for (let i = successes; i < want; i++) this.expectations.creationObserved(key);
      return error;
    }
    if (diff > 0) {
      const n = Math.min(diff, BURST_REPLICAS);
      const victims = getPodsToDelete(pods(), this.indirectlyRelatedPods(rs), n, this.ctx.kernel.now);
      const podKey = (p: Pod) => `${p.metadata?.namespace}/${p.metadata?.name}`;
      this.expectations.expectDeletions(key, victims.map(podKey));
      let first: Failure | undefined;
      for (const p of victims) {
        const err = this.podControl.deletePod(p.metadata!.namespace!, p.metadata!.name!, rs as KubeObject);
        if (!err) continue;
        // This deletion will never be observed.
        this.expectations.deletionObserved(key, podKey(p));
        if (!isNotFound(err)) first ??= err;
      }
      return first;
    }
    return undefined;
  }

  /**
   * getIndirectlyRelatedPods: the pods of every ReplicaSet with the same
   * controller (a Deployment's old and new ReplicaSets), for the
   * co-location rank. A ReplicaSet without a controller has none.
   */
  private indirectlyRelatedPods(rs: ReplicaSet): Pod[] {
    const owner = controllerRefOf(rs as KubeObject);
    if (!owner) return [];
    const seen = new Set<string>();
    const out: Pod[] = [];
    const related = (this.rss.byIndex(CONTROLLER_UID_INDEX, owner.uid) as ReplicaSet[]).sort(byName);
    for (const other of related) {
      const matches = selectorOf(other);
      if (!matches) continue;
      for (const p of this.candidatePods(other)) {
        const uid = p.metadata?.uid ?? '';
        if (seen.has(uid) || !matches(p.metadata?.labels)) continue;
        seen.add(uid);
        out.push(p);
      }
    }
    return out;
  }
}

export const newReplicaSetController: ControllerFactory = (ctx) => new ReplicaSetController(ctx);

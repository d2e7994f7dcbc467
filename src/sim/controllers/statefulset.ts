// kube-controller-manager's statefulset-controller, after upstream
// pkg/controller/statefulset/stateful_set.go (v1.30): watches StatefulSets,
// their pods and ControllerRevisions (and the claims, for the retention
// policy), claims the pods named "<set>-<ordinal>" that its selector matches
// (adopting orphans, releasing what no longer matches), adopts orphaned
// revisions, and hands the set to StatefulSetControl (statefulset-control.ts).
// A set with minReadySeconds is looked at again when its pods should have
// become available.
import type { ControllerRevision, StatefulSet } from 'kubernetes-types/apps/v1';
import type { KubeObject, Pod } from '../api/types';
import type { Controller, ControllerContext, ControllerFactory } from './controller';
import { byName, controllerRefOf, isEmptySelector, isPodReady, sameControllerRef, sameLabels, selectorMatcher, resolveControllerRef } from './controller-utils';
import { CONTROLLER_UID_INDEX, addOrphanIndexes, orphanCandidates } from './controller-utils-indexes';
import { claimObjects } from './controller-utils-ref-manager';
import { byControllerUid, byNamespace, keyOf, type SharedInformer } from './shared-informers';
import { StatefulSetControl } from './statefulset-control';
import { ControllerHistory, sortRevisions } from './statefulset-history';
import { StatefulPodControl } from './statefulset-pod-control';
import { STS_KIND, isMemberOf } from './statefulset-utils';
import { WorkQueue, type SyncResult } from './work-queue';

export const STATEFULSET_CONTROLLER = 'statefulset-controller';

const STS_BY_NAMESPACE = 'namespace';

export class StatefulSetController implements Controller {
  readonly name = STATEFULSET_CONTROLLER;
  readonly queue: WorkQueue;
  private readonly sets: SharedInformer;
  private readonly pods: SharedInformer;
  private readonly revisions: SharedInformer;
  private readonly control: StatefulSetControl;

  constructor(private readonly ctx: ControllerContext) {
    const { kernel, informers } = ctx;
    this.queue = new WorkQueue(kernel, this.name, (key) => this.sync(key));
    this.sets = informers.for('StatefulSet');
    this.sets.addIndex(STS_BY_NAMESPACE, byNamespace);
    this.pods = informers.for('Pod');
    this.pods.addIndex(CONTROLLER_UID_INDEX, byControllerUid);
    addOrphanIndexes(this.pods);
    this.revisions = informers.for('ControllerRevision');
    this.revisions.addIndex(CONTROLLER_UID_INDEX, byControllerUid);
    addOrphanIndexes(this.revisions);
    const claims = informers.for('PersistentVolumeClaim');
    const podControl = new StatefulPodControl(ctx.client, ctx.recorder(this.name), claims);
    this.control = new StatefulSetControl({ client: ctx.client, podControl, history: new ControllerHistory(ctx.client), now: () => kernel.now });
    this.sets.on({
      add: (o) => this.queue.add(keyOf(o)),
      update: (o) => this.queue.add(keyOf(o)),
      delete: (o) => this.queue.add(keyOf(o)),
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

  /** resolveControllerRef: the set a controllerRef names, if it still is that one. */
  private resolve(namespace: string | undefined, ref: ReturnType<typeof controllerRefOf>): StatefulSet | undefined {
    return resolveControllerRef<StatefulSet>(this.sets, STS_KIND.kind, namespace, ref);
  }

  /** getPodStatefulSets: the namespace's sets whose selector matches the pod. */
  private setsSelecting(pod: Pod): StatefulSet[] {
    const labels = pod.metadata?.labels;
    if (!labels || Object.keys(labels).length === 0) return [];
    return (this.sets.byIndex(STS_BY_NAMESPACE, pod.metadata?.namespace ?? '') as StatefulSet[]).filter(
      (s) => !!s.spec?.selector && !isEmptySelector(s.spec.selector) && (selectorMatcher(s.spec.selector)?.(labels) ?? false),
    );
  }

  private podAdded(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp) return this.podDeleted(pod);
    const ref = controllerRefOf(pod);
    if (ref) {
      const set = this.resolve(pod.metadata?.namespace, ref);
      if (set) this.queue.add(keyOf(set as KubeObject));
      return;
    }
    for (const s of this.setsSelecting(pod)) this.queue.add(keyOf(s as KubeObject));
  }

  private podUpdated(cur: Pod, old: Pod): void {
    if (cur.metadata?.resourceVersion === old.metadata?.resourceVersion) return;
    const labelsChanged = !sameLabels(cur.metadata?.labels, old.metadata?.labels);
    const refChanged = !sameControllerRef(cur as KubeObject, old as KubeObject);
    if (refChanged) {
      const oldSet = this.resolve(old.metadata?.namespace, controllerRefOf(old));
      if (oldSet) this.queue.add(keyOf(oldSet as KubeObject));
    }
    const ref = controllerRefOf(cur);
    if (ref) {
      const set = this.resolve(cur.metadata?.namespace, ref);
      if (!set) return;
      const key = keyOf(set as KubeObject);
      this.queue.add(key);
      // A pod that just became Ready is available minReadySeconds later: look again then.
      const minReady = set.spec?.minReadySeconds ?? 0;
      if (!isPodReady(old) && isPodReady(cur) && minReady > 0) this.queue.addAfter(key, minReady * 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const s of this.setsSelecting(cur)) this.queue.add(keyOf(s as KubeObject));
  }

  private podDeleted(pod: Pod): void {
    const set = this.resolve(pod.metadata?.namespace, controllerRefOf(pod));
    if (set) this.queue.add(keyOf(set as KubeObject));
  }

  // ---- sync -------------------------------------------------------------------

  /** The set's objects of an informer: those it controls and the namespace's orphans its selector may match, in name order. */
  private candidates(informer: SharedInformer, set: StatefulSet): KubeObject[] {
    const owned = informer.byIndex(CONTROLLER_UID_INDEX, set.metadata!.uid!);
    const orphans = orphanCandidates(informer, set.metadata!.namespace ?? '', set.spec?.selector);
    return [...owned, ...orphans].sort(byName);
  }

  sync(key: string): SyncResult {
    const set = this.sets.get(key) as StatefulSet | undefined;
    if (!set) return 'done';
    const matches = selectorMatcher(set.spec?.selector);
    // A selector that does not parse is not worth retrying.
    if (!matches) return 'done';
    const controller = { client: this.ctx.client, controller: set as KubeObject, controllerKind: STS_KIND };
    // adoptOrphanRevisions (and revisions whose labels no longer match are released).
    const revs = claimObjects(this.candidates(this.revisions, set), { ...controller, kind: 'ControllerRevision', matches: (o) => matches(o.metadata.labels) });
    if (revs.errors.length) return 'retry';
    // getPodsForStatefulSet: pods named for the set whose labels match.
    const claimed = claimObjects(this.candidates(this.pods, set), {
      ...controller,
      kind: 'Pod',
      matches: (o) => isMemberOf(set, o as Pod) && matches(o.metadata.labels),
    });
    if (claimed.errors.length) return 'retry';
    const revisions = sortRevisions(revs.claimed.slice() as unknown as ControllerRevision[]);
    const { status, error } = this.control.update(set, claimed.claimed as Pod[], revisions);
    if (error) return 'retry';
    const minReady = set.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && status && status.availableReplicas !== (set.spec?.replicas ?? 1)) this.queue.addAfter(key, minReady * 1000);
    return 'done';
  }
}

export const newStatefulSetController: ControllerFactory = (ctx) => new StatefulSetController(ctx);

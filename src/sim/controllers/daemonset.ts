// kube-controller-manager's daemonset-controller (pkg/controller/daemon
// daemon_controller.go, update.go): one pod per node that should run the
// daemon (daemonset-node-fit.ts), created with a required node affinity on
// metadata.name so kube-scheduler binds it there; pods on nodes that may no
// longer run it, failed and surplus pods deleted; RollingUpdate
// (daemonset-rolling-update.ts) or OnDelete; the status counters. Pods are
// found through the informers' indexes (by controller uid, orphans by
// namespace), so an event costs O(nodes + the DaemonSet's pods), never
// O(nodes x pods). ControllerRevisions are not simulated: the
// controller-revision-hash label is the template hash itself.
import type { Node } from 'kubernetes-types/core/v1';
import type { DaemonSet, KubeObject, Pod } from '../api/types';
import { compileLabelSelector } from '../api/selector';
import { semanticEqual } from '../api/validation/equal';
import type { EventRecorder } from '../client/event-recorder';
import type { Controller, ControllerContext, ControllerFactory } from './controller';
import { compileDaemonPodFit, type DaemonPodFit, type DaemonPodFitter } from './daemonset-node-fit';
import { addPodIndexes, claimPods, ControllerExpectations, controllerOf, orphanCandidates, ownedPods, PodControl, slowStartBatches } from './daemonset-pod-control';
import { isPodAvailable, isPodReady, isPodTerminal } from './daemonset-pod-util';
import { planRollingUpdate } from './daemonset-rolling-update';
import {
  allowsSurge,
  CONTROLLER_REVISION_HASH_LABEL,
  compareByCreationAndPhase,
  createPodTemplate,
  FailedPodsBackoff,
  isPodUpdated,
  nodeNameAffinity,
  targetNodeName,
  templateGeneration,
  templateHash,
} from './daemonset-util';
import { keyOf, type SharedInformer } from './shared-informers';
import { WorkQueue, type SyncResult } from './work-queue';
import { resolveControllerRef } from './controller-utils';

export const DAEMONSET_CONTROLLER = 'daemonset-controller';
/** BurstReplicas: at most this many creates (and deletes) per sync. */
export const BURST_REPLICAS = 250;
/** StatusUpdateRetries: one more try, with a fresh copy, when a status write conflicts. */
const STATUS_UPDATE_RETRIES = 1;
/** BackoffGCInterval. */
const BACKOFF_GC_INTERVAL_MS = 60_000;

type PodsByNode = Map<string, Pod[]>;

class DaemonSetController implements Controller {
  readonly name = DAEMONSET_CONTROLLER;
  private readonly queue: WorkQueue;
  private readonly daemonSets: SharedInformer;
  private readonly pods: SharedInformer;
  private readonly nodes: SharedInformer;
  private readonly expectations: ControllerExpectations;
  private readonly backoff = new FailedPodsBackoff();
  private lastBackoffGc = 0;
  private readonly recorder: EventRecorder;
  private readonly podControl: PodControl;
  /** NodeShouldRunDaemonPod compiled per template object (stored objects are immutable). */
  private readonly fits = new WeakMap<object, DaemonPodFitter>();

  constructor(private readonly ctx: ControllerContext) {
    this.recorder = ctx.recorder(DAEMONSET_CONTROLLER);
    this.podControl = new PodControl(ctx.client, this.recorder);
    this.expectations = new ControllerExpectations(() => ctx.kernel.now);
    this.queue = new WorkQueue(ctx.kernel, DAEMONSET_CONTROLLER, (key) => this.sync(key));
    this.daemonSets = ctx.informers.for('DaemonSet');
    this.pods = ctx.informers.for('Pod');
    this.nodes = ctx.informers.for('Node');
    addPodIndexes(this.pods);
    this.daemonSets.on({
      add: (ds) => this.queue.add(keyOf(ds)),
      update: (ds, old) => {
        if (ds.metadata.uid !== old.metadata.uid) this.expectations.delete(keyOf(old));
        this.queue.add(keyOf(ds));
      },
      delete: (ds) => {
        this.expectations.delete(keyOf(ds));
        this.queue.add(keyOf(ds));
      },
    });
    this.pods.on({
      add: (p) => this.addPod(p as Pod),
      update: (p, old) => this.updatePod(p as Pod, old as Pod),
      delete: (p) => this.deletePod(p as Pod),
    });
    this.nodes.on({
      add: (n) => this.nodeChanged(undefined, n as Node),
      update: (n, old) => this.nodeChanged(old as Node, n as Node),
      // Upstream leaves pods on a deleted node to the pod GC and catches up on their deletion;
      // we also resync at once so the status stops counting the node.
      delete: (n) => this.nodeChanged(n as Node, undefined),
    });
  }

  stop(): void {
    this.queue.shutDown();
  }

  // ---- event handlers ---------------------------------------------------------

  private fitOf(ds: DaemonSet): DaemonPodFitter {
    const tpl = ds.spec?.template ?? ds;
    let f = this.fits.get(tpl);
    if (!f) this.fits.set(tpl, (f = compileDaemonPodFit(ds)));
    return f;
  }

  /** resolveControllerRef: the DaemonSet a controller reference names, if it is still that object. */
  private resolve(namespace: string | undefined, ref: { kind: string; name: string; uid: string } | undefined): DaemonSet | undefined {
    return resolveControllerRef<DaemonSet>(this.daemonSets, 'DaemonSet', namespace, ref);
  }

  /** getDaemonSetsForPod: DaemonSets in the pod's namespace whose selector matches it. */
  private daemonSetsForPod(pod: Pod): DaemonSet[] {
    const out: DaemonSet[] = [];
    for (const o of this.daemonSets.list()) {
      const ds = o as DaemonSet;
      if (ds.metadata?.namespace !== pod.metadata?.namespace) continue;
      if (compileLabelSelector(ds.spec?.selector)(pod.metadata?.labels)) out.push(ds);
    }
    return out;
  }

  private addPod(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp) return this.deletePod(pod);
    const ref = controllerOf(pod);
    if (ref) {
      const ds = this.resolve(pod.metadata?.namespace, ref);
      if (!ds) return;
      this.expectations.creationObserved(keyOf(ds as KubeObject));
      this.queue.add(keyOf(ds as KubeObject));
      return;
    }
    for (const ds of this.daemonSetsForPod(pod)) this.queue.add(keyOf(ds as KubeObject));
  }

  private updatePod(cur: Pod, old: Pod): void {
    if (cur.metadata?.resourceVersion === old.metadata?.resourceVersion) return;
    // A graceful delete shows first as a deletionTimestamp: act on it now, not when the kubelet finishes.
    if (cur.metadata?.deletionTimestamp) return this.deletePod(cur);
    const curRef = controllerOf(cur);
    const oldRef = controllerOf(old);
    const refChanged = !semanticEqual(curRef, oldRef);
    if (refChanged && oldRef) {
      const ds = this.resolve(old.metadata?.namespace, oldRef);
      if (ds) this.queue.add(keyOf(ds as KubeObject));
    }
    if (curRef) {
      const ds = this.resolve(cur.metadata?.namespace, curRef);
      if (!ds) return;
      const key = keyOf(ds as KubeObject);
      this.queue.add(key);
      const mrs = ds.spec?.minReadySeconds ?? 0;
      // A second more than minReadySeconds, against clock skew (upstream #39785).
      if (mrs > 0 && !isPodReady(old) && isPodReady(cur)) this.queue.addAfter(key, (mrs + 1) * 1000);
      return;
    }
    if (!refChanged && semanticEqual(cur.metadata?.labels, old.metadata?.labels)) return;
    for (const ds of this.daemonSetsForPod(cur)) this.queue.add(keyOf(ds as KubeObject));
  }

  private deletePod(pod: Pod): void {
    const ds = this.resolve(pod.metadata?.namespace, controllerOf(pod));
    if (!ds) return;
    this.expectations.deletionObserved(keyOf(ds as KubeObject));
    this.queue.add(keyOf(ds as KubeObject));
  }

  /** addNode / updateNode: wake the DaemonSets whose verdict on this node changed. */
  private nodeChanged(old: Node | undefined, cur: Node | undefined): void {
    if (old && cur && shouldIgnoreNodeUpdate(old, cur)) return;
    for (const o of this.daemonSets.list()) {
      const ds = o as DaemonSet;
      const fit = this.fitOf(ds);
      const before = old ? fit(old) : undefined;
      const after = cur ? fit(cur) : undefined;
      const wake = !before
        ? after!.shouldRun
        : !after
          ? before.shouldRun || before.shouldContinueRunning
          : before.shouldRun !== after.shouldRun || before.shouldContinueRunning !== after.shouldContinueRunning;
      if (wake) this.queue.add(keyOf(o));
    }
  }

  // ---- sync -------------------------------------------------------------------------

  private sync(key: string): SyncResult {
    const ds = this.daemonSets.get(key) as DaemonSet | undefined;
    if (!ds) {
      this.expectations.delete(key);
      return 'done';
    }
    const now = this.ctx.kernel.now;
    if (now - this.lastBackoffGc >= BACKOFF_GC_INTERVAL_MS) {
      this.backoff.gc(now);
      this.lastBackoffGc = now;
    }
    const nodes = this.nodes.list() as Node[];
    const sel = ds.spec?.selector;
    if (sel && !sel.matchLabels && !sel.matchExpressions?.length) {
      this.recorder.event(ds as KubeObject, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.');
      return 'done';
    }
    // Being deleted: its pods are the garbage collector's; the status can no longer be trusted.
    if (ds.metadata?.deletionTimestamp) return 'done';
    const hash = templateHash(ds.spec?.template, ds.status?.collisionCount);
    const claimed = this.daemonPods(ds);
    if (!this.expectations.satisfied(key)) return this.updateStatus(ds, nodes, claimed.byNode, hash, false) && !claimed.error ? 'done' : 'retry';
    let ok = !claimed.error && this.manage(ds, nodes, claimed.byNode, hash);
    if (ok && this.expectations.satisfied(key) && ds.spec?.updateStrategy?.type === 'RollingUpdate') ok = this.rollingUpdate(ds, nodes, claimed.byNode, hash);
    const statusOk = this.updateStatus(ds, nodes, claimed.byNode, hash, true);
    return ok && statusOk ? 'done' : 'retry';
  }

  /** getNodesToDaemonPods: the claimed pods by target node; deleted pods that already finished are left out. */
  private daemonPods(ds: DaemonSet): { byNode: PodsByNode; error?: string } {
    const owned = ownedPods(this.pods, ds as KubeObject);
    const orphans = orphanCandidates(this.pods, ds.metadata!.namespace!, ds.spec?.selector);
    const { pods, error } = claimPods({ owner: ds as KubeObject, matches: compileLabelSelector(ds.spec?.selector), owned, orphans, podControl: this.podControl });
    const byNode: PodsByNode = new Map();
    for (const pod of pods) {
      if (isPodTerminal(pod) && pod.metadata?.deletionTimestamp) continue;
      const node = targetNodeName(pod);
      if (node === undefined) continue;
      let list = byNode.get(node);
      if (!list) byNode.set(node, (list = []));
      list.push(pod);
    }
    return { byNode, error };
  }

  /** manage: create the missing daemon pods, delete the ones that should go. */
  private manage(ds: DaemonSet, nodes: readonly Node[], byNode: PodsByNode, hash: string): boolean {
    const fit = this.fitOf(ds);
    const create: string[] = [];
    const remove: string[] = [];
    const known = new Set<string>();
    for (const node of nodes) {
      const name = node.metadata!.name!;
      known.add(name);
      this.podsShouldBeOnNode(ds, name, fit(node), byNode.get(name), hash, create, remove);
    }
    // Pods pinned by affinity to nodes that do not exist are never scheduled, and the pod GC skips unbound pods.
    for (const [name, pods] of byNode) if (!known.has(name)) for (const p of pods) if (!p.spec?.nodeName) remove.push(p.metadata!.name!);
    return this.syncNodes(ds, remove, create, hash);
  }

  /** podsShouldBeOnNode: adds to `create` and `remove` what this node needs. */
  private podsShouldBeOnNode(ds: DaemonSet, node: string, fit: DaemonPodFit, pods: Pod[] | undefined, hash: string, create: string[], remove: string[]): void {
    if (fit.shouldRun && !pods) {
      create.push(node);
      return;
    }
    if (fit.shouldContinueRunning) {
      const running: Pod[] = [];
      const now = this.ctx.kernel.now;
      for (const pod of pods ?? []) {
        if (pod.metadata?.deletionTimestamp) continue;
        const phase = pod.status?.phase;
        if (phase === 'Failed') {
          // The kubelet may keep rejecting the pod: back off before deleting it again.
          const bkey = `${ds.metadata!.uid}/${ds.status?.observedGeneration ?? 0}/${node}`;
          if (this.backoff.inBackoff(bkey, now)) {
            this.queue.addAfter(keyOf(ds as KubeObject), this.backoff.get(bkey));
            continue;
          }
          this.backoff.next(bkey, now);
          const msg = `Found failed daemon pod ${pod.metadata!.namespace}/${pod.metadata!.name} on node ${node}, will try to kill it`;
          this.recorder.event(ds as KubeObject, 'Warning', 'FailedDaemonPod', msg);
          remove.push(pod.metadata!.name!);
        } else if (phase === 'Succeeded') {
          const msg = `Found succeeded daemon pod ${pod.metadata!.namespace}/${pod.metadata!.name} on node ${node}, will try to delete it`;
          this.recorder.event(ds as KubeObject, 'Normal', 'SucceededDaemonPod', msg);
          remove.push(pod.metadata!.name!);
        } else running.push(pod);
      }
      running.sort(compareByCreationAndPhase);
      if (!allowsSurge(ds)) {
        // One pod per node: keep the oldest.
        for (let i = 1; i < running.length; i++) remove.push(running[i].metadata!.name!);
        return;
      }
      if (running.length <= 1) {
        if (running.length === 0 && fit.shouldRun) create.push(node);
        return;
      }
      // Surging: keep the oldest new pod and the oldest old pod; the old one goes once the new one is available.
      let oldestNew: Pod | undefined;
      let oldestOld: Pod | undefined;
      for (const pod of running) {
        const isNew = pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash;
        if (isNew && !oldestNew) oldestNew = pod;
        else if (!isNew && !oldestOld) oldestOld = pod;
        else remove.push(pod.metadata!.name!);
      }
      if (oldestNew && oldestOld) {
        if (!isPodReady(oldestOld)) remove.push(oldestOld.metadata!.name!);
        else if (isPodAvailable(oldestNew, ds.spec?.minReadySeconds ?? 0, now)) remove.push(oldestOld.metadata!.name!);
      }
      return;
    }
    for (const pod of pods ?? []) if (!pod.metadata?.deletionTimestamp) remove.push(pod.metadata!.name!);
  }

  private rollingUpdate(ds: DaemonSet, nodes: readonly Node[], byNode: PodsByNode, hash: string): boolean {
    const fit = this.fitOf(ds);
    const verdicts = new Map<string, DaemonPodFit>();
    for (const n of nodes) verdicts.set(n.metadata!.name!, fit(n));
    const desiredNodes = [...verdicts].filter(([, v]) => v.shouldRun).map(([n]) => n);
    const plan = planRollingUpdate({
      ds,
      hash,
      generation: templateGeneration(ds),
      desiredNodes,
      nodeToDaemonPods: byNode,
      fitOf: (n) => verdicts.get(n),
      now: this.ctx.kernel.now,
    });
    if ('error' in plan) return false;
    return this.syncNodes(ds, plan.podsToDelete, plan.nodesToCreate, hash);
  }

  /** syncNodes: at most BurstReplicas creates (in slow-start batches) and deletes, with expectations set first. */
  private syncNodes(ds: DaemonSet, podsToDelete: readonly string[], nodesNeedingPods: readonly string[], hash: string): boolean {
    const key = keyOf(ds as KubeObject);
    const owner = ds as KubeObject;
    const ns = ds.metadata!.namespace!;
    const createDiff = Math.min(nodesNeedingPods.length, BURST_REPLICAS);
    const deleteDiff = Math.min(podsToDelete.length, BURST_REPLICAS);
    this.expectations.set(key, createDiff, deleteDiff);
    let ok = true;
    const template = createPodTemplate(ds.spec!.template!, templateGeneration(ds), hash);
    let pos = 0;
    for (const size of slowStartBatches(createDiff)) {
      let failed = false;
      for (let i = pos; i < pos + size; i++) {
        const spec = { ...template.spec!, affinity: nodeNameAffinity(template.spec!.affinity, nodesNeedingPods[i]) };
        const r = this.podControl.create(ns, { ...template, spec }, owner);
        if (!r.ok) {
          this.expectations.creationObserved(key);
          failed = true;
          ok = false;
        }
      }
      pos += size;
      const skipped = createDiff - pos;
      if (failed && skipped > 0) {
        // A batch failed: do not try the rest now (the next sync will).
        this.expectations.lower(key, skipped, 0);
        break;
      }
    }
    for (let i = 0; i < deleteDiff; i++) {
      const r = this.podControl.delete(ns, podsToDelete[i], owner);
      if (!r.ok) {
        this.expectations.deletionObserved(key);
        if (r.status.code !== 404) ok = false;
      }
    }
    return ok;
  }

  /** updateDaemonSetStatus + storeDaemonSetStatus. */
  private updateStatus(ds: DaemonSet, nodes: readonly Node[], byNode: PodsByNode, hash: string, updateObservedGen: boolean): boolean {
    const fit = this.fitOf(ds);
    const now = this.ctx.kernel.now;
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const generation = templateGeneration(ds);
    let desired = 0;
    let current = 0;
    let misscheduled = 0;
    let ready = 0;
    let updated = 0;
    let available = 0;
    for (const node of nodes) {
      const pods = byNode.get(node.metadata!.name!);
      const scheduled = !!pods?.length;
      if (!fit(node).shouldRun) {
        if (scheduled) misscheduled++;
        continue;
      }
      desired++;
      if (!scheduled) continue;
      current++;
      const pod = [...pods].sort(compareByCreationAndPhase)[0];
      if (isPodReady(pod)) {
        ready++;
        if (isPodAvailable(pod, minReady, now)) available++;
      }
      if (isPodUpdated(pod, hash, generation)) updated++;
    }
    const unavailable = desired - available;
    const st: NonNullable<DaemonSet['status']> = ds.status ?? { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 };
    const generationSeen = (st.observedGeneration ?? 0) >= (ds.metadata?.generation ?? 0);
    const same =
      st.desiredNumberScheduled === desired &&
      st.currentNumberScheduled === current &&
      st.numberMisscheduled === misscheduled &&
      st.numberReady === ready &&
      (st.updatedNumberScheduled ?? 0) === updated &&
      (st.numberAvailable ?? 0) === available &&
      (st.numberUnavailable ?? 0) === unavailable &&
      generationSeen;
    if (minReady > 0 && ready !== available) this.queue.addAfter(keyOf(ds as KubeObject), minReady * 1000);
    if (same) return true;
    const { updatedNumberScheduled: _u, numberAvailable: _a, numberUnavailable: _n, ...rest } = st;
    const status = {
      ...rest,
      ...(updateObservedGen ? { observedGeneration: ds.metadata?.generation } : {}),
      currentNumberScheduled: current,
      numberMisscheduled: misscheduled,
      desiredNumberScheduled: desired,
      numberReady: ready,
      // omitempty upstream: zero counters are not written.
      ...(updated ? { updatedNumberScheduled: updated } : {}),
      ...(available ? { numberAvailable: available } : {}),
      ...(unavailable ? { numberUnavailable: unavailable } : {}),
    };
    let target: KubeObject = ds as KubeObject;
    for (let i = 0; ; i++) {
      const r = this.ctx.client.updateStatus({ ...target, status });
      if (r.ok) return true;
      if (i >= STATUS_UPDATE_RETRIES) return false;
      const fresh = this.ctx.client.get('DaemonSet', ds.metadata!.namespace, ds.metadata!.name!);
      if (!fresh.ok) return false;
      target = fresh.object;
    }
  }
}

/**
 * shouldIgnoreNodeUpdate: heartbeats only move condition timestamps; an
 * update matters when the set of True conditions or anything else changed.
 */
function shouldIgnoreNodeUpdate(old: Node, cur: Node): boolean {
  const trueTypes = (n: Node) =>
    (n.status?.conditions ?? [])
      .filter((c) => c.status === 'True')
      .map((c) => c.type)
      .sort()
      .join(',');
  if (trueTypes(old) !== trueTypes(cur)) return false;
  const strip = (n: Node) => ({ ...n, metadata: { ...n.metadata, resourceVersion: undefined }, status: { ...n.status, conditions: undefined } });
  return semanticEqual(strip(old), strip(cur));
}

export const newDaemonSetController: ControllerFactory = (ctx) => new DaemonSetController(ctx);

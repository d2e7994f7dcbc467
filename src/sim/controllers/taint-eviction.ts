// kube-controller-manager's taint-eviction-controller, after upstream
// pkg/controller/tainteviction/taint_eviction.go (v1.30-1.34, the
// SeparateTaintEvictionController layout). It watches nodes and pods; a
// pod on a node with NoExecute taints that it does not tolerate is deleted
// at once, one that tolerates them for tolerationSeconds is deleted that
// long after the controller saw the taints (the smallest of the matching
// tolerations counts), one that tolerates them forever stays. Taints going
// away cancel the pending deletions. Before deleting, the pod gets the
// DisruptionTarget condition; the delete uses the pod's own grace period.
import type { Node, Pod, PodCondition, Taint, Toleration } from 'kubernetes-types/core/v1';
import { toleratesTaint } from '../api/taints';
import type { KubeObject } from '../api/types';
import { semanticEqual } from '../api/validation/equal';
import type { EventRecorder } from '../client/event-recorder';
import type { Timer } from '../kernel/kernel';
import type { Controller, ControllerContext, ControllerFactory } from './controller';
import { updatePodCondition } from './node-lifecycle-pods';
import { byNodeName, type SharedInformer } from './shared-informers';
import { TimedWorkerQueue } from './taint-eviction-timed-workers';

export const CONTROLLER_NAME = 'taint-eviction-controller';
/** The pod index pods are read by node from (shared with the node lifecycle controller). */
const POD_NODE_INDEX = 'spec.nodeName';
/** deletePodHandler's attempts at condition-and-delete. */
const DELETE_ATTEMPTS = 5;

export const DISRUPTION_TARGET: PodCondition = {
  type: 'DisruptionTarget',
  status: 'True',
  reason: 'DeletionByTaintManager',
  message: 'Taint manager: deleting due to NoExecute taint',
};

interface PodUpdate {
  namespace: string;
  name: string;
  /** The node the update was about: a pod that moved since is someone else's business. */
  nodeName: string;
}

const noExecuteTaints = (taints: readonly Taint[] | undefined): Taint[] => (taints ?? []).filter((t) => t.effect === 'NoExecute');

/**
 * GetMatchingTolerations: whether every taint is tolerated, and by which
 * toleration (the first that tolerates it).
 */
export function matchingTolerations(taints: readonly Taint[], tolerations: readonly Toleration[] | undefined): { all: boolean; used: Toleration[] } {
  if (taints.length === 0) return { all: true, used: [] };
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = (tolerations ?? []).find((x) => toleratesTaint(x, taint));
    if (!t) return { all: false, used: [] };
    used.push(t);
  }
  return { all: true, used };
}

/** getMinTolerationTime in ms: the smallest tolerationSeconds, 0 for none or a non-positive one, -1 for forever. */
export function minTolerationTime(tolerations: readonly Toleration[]): number {
  if (tolerations.length === 0) return 0;
  let min = Infinity;
  for (const t of tolerations) {
    if (t.tolerationSeconds == null) continue;
    if (t.tolerationSeconds <= 0) return 0;
    min = Math.min(min, t.tolerationSeconds);
  }
  return Number.isFinite(min) ? min * 1000 : -1;
}

export class TaintEvictionController implements Controller {
  readonly name = CONTROLLER_NAME;
  private readonly nodes: SharedInformer;
  private readonly pods: SharedInformer;
  private readonly recorder: EventRecorder;
  /** Each node's NoExecute taints, for the nodes that have some. */
  private readonly taintedNodes = new Map<string, Taint[]>();
  private readonly evictions: TimedWorkerQueue;
  private readonly nodeUpdates = new Set<string>();
  private readonly podUpdates = new Map<string, PodUpdate>();
  /**
   * Pod updates seen while no node has NoExecute taints and no deletion is
   * scheduled or remembered, in arrival order (each pod as it was then). They
   * are keyed into podUpdates only if a node update gives some node taints
   * before the queue runs; otherwise they are dropped unread (the 150,000
   * pods the informers first list at config-max).
   */
  private readonly untaintedPodUpdates: Pod[] = [];
  private timer?: Timer;
  private stopped = false;

  constructor(private readonly ctx: ControllerContext) {
    this.recorder = ctx.recorder(CONTROLLER_NAME);
    this.nodes = ctx.informers.for('Node');
    this.pods = ctx.informers.for('Pod');
    this.pods.addIndex(POD_NODE_INDEX, byNodeName);
    this.evictions = new TimedWorkerQueue(ctx.kernel, `${CONTROLLER_NAME}.evict`, (key, fireAt) => this.deletePod(key, fireAt));
    this.pods.on({
      add: (p) => this.podUpdated(undefined, p as Pod),
      update: (p, old) => this.podUpdated(old as Pod, p as Pod),
      delete: (p) => this.podUpdated(p as Pod, undefined),
    });
    this.nodes.on({
      add: (n) => this.nodeUpdated(undefined, n as Node),
      update: (n, old) => this.nodeUpdated(old as Node, n as Node),
      delete: (n) => this.nodeUpdated(n as Node, undefined),
    });
  }

  stop(): void {
    this.stopped = true;
    this.ctx.kernel.cancel(this.timer);
    this.timer = undefined;
    this.evictions.cancelAll();
    this.nodeUpdates.clear();
    this.podUpdates.clear();
    this.untaintedPodUpdates.length = 0;
  }

  /** Deletions waiting for their time ("namespace/name" and the instant), soonest first. */
  scheduledEvictions(): Array<{ key: string; fireAt: number }> {
    return this.evictions.scheduled();
  }

  private get now(): number {
    return this.ctx.kernel.now;
  }

  // ---- watch handlers ------------------------------------------------------

  private podUpdated(old: Pod | undefined, pod: Pod | undefined): void {
    const p = (pod ?? old)!;
    const nodeName = p.spec?.nodeName ?? '';
    // handlePodUpdate would do nothing for a pod (still there) whose node has no NoExecute taints; and
    // if the node gets some before the queue runs, handleNodeUpdate goes over its pods anyway. With
    // 150,000 pods listed at start this is most of the work saved.
    if (pod && (!nodeName || (!this.taintedNodes.has(nodeName) && !this.nodeUpdates.has(nodeName)))) return;
    if (old && pod && old.spec?.nodeName === pod.spec?.nodeName && semanticEqual(old.spec?.tolerations, pod.spec?.tolerations)) return;
    // Neither changes until the queue runs: then only a node update that brings taints makes these updates matter.
    if (this.taintedNodes.size === 0 && this.evictions.size === 0 && this.podUpdates.size === 0) this.untaintedPodUpdates.push(p);
    else {
      this.keyUntaintedPodUpdates();
      this.queuePodUpdate(p);
    }
    this.schedule();
  }

  private queuePodUpdate(p: Pod): void {
    const item: PodUpdate = { namespace: p.metadata!.namespace!, name: p.metadata!.name!, nodeName: p.spec?.nodeName ?? '' };
    this.podUpdates.set(`${item.namespace}/${item.name}/${item.nodeName}`, item);
  }

  /** The deferred updates into the queue, in the order they came (before any later one). */
  private keyUntaintedPodUpdates(): void {
    if (this.untaintedPodUpdates.length === 0) return;
    for (const p of this.untaintedPodUpdates) this.queuePodUpdate(p);
    this.untaintedPodUpdates.length = 0;
  }

  private nodeUpdated(old: Node | undefined, node: Node | undefined): void {
    if (old && node && semanticEqual(noExecuteTaints(old.spec?.taints), noExecuteTaints(node.spec?.taints))) return;
    this.nodeUpdates.add((node ?? old)!.metadata!.name!);
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    this.timer = this.ctx.kernel.after(0, `${CONTROLLER_NAME}.sync`, () => this.process());
  }

  /**
   * The workers: node updates before pod updates, as upstream's workers
   * prefer them. Watch events come as kernel events, never while this runs
   * (even a delete it makes is seen later), so one round takes everything.
   */
  private process(): void {
    this.timer = undefined;
    if (this.stopped) return;
    this.drainNodeUpdates();
    // No node has NoExecute taints and no deletion is scheduled or remembered: every pod update
    // would end at once (150,000 of them when the informers first list config-max).
    if (this.taintedNodes.size === 0 && this.evictions.size === 0) {
      this.podUpdates.clear();
      this.untaintedPodUpdates.length = 0;
      return;
    }
    this.keyUntaintedPodUpdates();
    const pods = [...this.podUpdates.values()];
    this.podUpdates.clear();
    for (const item of pods) this.handlePodUpdate(item);
  }

  private drainNodeUpdates(): void {
    const names = [...this.nodeUpdates];
    this.nodeUpdates.clear();
    for (const n of names) this.handleNodeUpdate(n);
  }

  // ---- reconcile ---------------------------------------------------------------

  private handleNodeUpdate(name: string): void {
    const node = this.nodes.get(name) as Node | undefined;
    if (!node) {
      this.taintedNodes.delete(name);
      return;
    }
    const taints = noExecuteTaints(node.spec?.taints);
    if (taints.length) this.taintedNodes.set(name, taints);
    else this.taintedNodes.delete(name);
    // Untainted, and no deletion anywhere to call off: the node's pods need not even be listed.
    if (taints.length === 0 && this.evictions.size === 0) return;
    const pods = this.pods.byIndex(POD_NODE_INDEX, name) as Pod[];
    if (pods.length === 0) return;
    if (taints.length === 0) {
      // Every taint is gone: every pending deletion on the node is called off.
      for (const p of pods) this.cancelWorkWithEvent(p.metadata!.namespace!, p.metadata!.name!);
      return;
    }
    const now = this.now;
    for (const p of pods) this.processPodOnNode(p.metadata!.namespace!, p.metadata!.name!, p.spec?.tolerations, taints, now);
  }

  private handlePodUpdate(item: PodUpdate): void {
    const pod = this.pods.get(`${item.namespace}/${item.name}`) as Pod | undefined;
    if (!pod) {
      this.cancelWorkWithEvent(item.namespace, item.name);
      return;
    }
    const nodeName = pod.spec?.nodeName ?? '';
    if (nodeName !== item.nodeName || !nodeName) return;
    const taints = this.taintedNodes.get(nodeName);
    // No NoExecute taints on its node: nothing to do (any pending deletion was cancelled when they went).
    if (!taints) return;
    this.processPodOnNode(item.namespace, item.name, pod.spec?.tolerations, taints, this.now);
  }

  private processPodOnNode(namespace: string, name: string, tolerations: readonly Toleration[] | undefined, taints: readonly Taint[], now: number): void {
    const key = `${namespace}/${name}`;
    if (taints.length === 0) this.cancelWorkWithEvent(namespace, name);
    const { all, used } = matchingTolerations(taints, tolerations);
    if (!all) {
      // Not tolerated: whatever was scheduled, the pod goes now.
      this.cancelWorkWithEvent(namespace, name);
      this.evictions.addWork(key, now, now);
      return;
    }
    const min = minTolerationTime(used);
    if (min < 0) {
      this.cancelWorkWithEvent(namespace, name);
      return;
    }
    // A deletion already scheduled keeps its time (upstream replaces it only
    // when it was created at this very instant), as later changes to
    // tolerationSeconds do not move it upstream either.
    if (this.evictions.getWorker(key)) return;
    this.evictions.addWork(key, now, now + min);
  }

  private cancelWorkWithEvent(namespace: string, name: string): void {
    if (this.evictions.cancelWork(`${namespace}/${name}`)) this.podEvent(namespace, name, `Cancelling deletion of Pod ${namespace}/${name}`);
  }

  /** deletePodHandler: the event, then the DisruptionTarget condition and the delete, a few times if they fail. */
  private deletePod(key: string, _fireAt: number): boolean {
    const [namespace, name] = key.split('/');
    this.podEvent(namespace, name, `Marking for deletion Pod ${key}`);
    for (let i = 0; i < DELETE_ATTEMPTS; i++) if (this.addConditionAndDeletePod(namespace, name)) return true;
    return false;
  }

  private addConditionAndDeletePod(namespace: string, name: string): boolean {
    const got = this.ctx.client.get('Pod', namespace, name);
    if (!got.ok) return false;
    const pod = got.object as Pod & KubeObject;
    const r = updatePodCondition(pod.status?.conditions, DISRUPTION_TARGET, this.now);
    if (r.changed) {
      // PatchPodStatus: a status patch, no resourceVersion (a concurrent kubelet write does not make it fail).
      const written = this.ctx.client.patch('Pod', namespace, name, { status: { conditions: r.conditions } }, { subresource: 'status' });
      if (!written.ok) return false;
    }
    return this.ctx.client.delete('Pod', namespace, name).ok;
  }

  private podEvent(namespace: string, name: string, message: string): void {
    this.recorder.event({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name } }, 'Normal', 'TaintManagerEviction', message);
  }
}

export const newTaintEvictionController: ControllerFactory = (ctx) => new TaintEvictionController(ctx);

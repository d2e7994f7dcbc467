// kube-controller-manager's pod garbage collector (pkg/controller/podgc/
// gc_controller.go). Every 20 s (gcCheckPeriod) it force-deletes (grace 0):
// - terminated pods (Succeeded/Failed) beyond --terminated-pod-gc-threshold
//   (12500), evicted ones first, then oldest first;
// - terminating pods on a node that is not Ready and carries the
//   node.kubernetes.io/out-of-service taint;
// - pods bound to a node that no longer exists, once the node has been
//   missing for the 40 s quarantine and a GET confirms it, after marking
//   them Failed with DisruptionTarget=True (reason DeletionByPodGC);
// - terminating pods that were never scheduled.
// A pod not yet terminal is patched to phase Failed before it is deleted,
// since no kubelet will ever do it.
import type { PodCondition } from 'kubernetes-types/core/v1';
import type { Node, Pod } from '../api/types';
import { timestamp } from '../kernel/time';
import type { Timer } from '../kernel/kernel';
import type { Controller, ControllerContext, ControllerFactory } from './controller';
import { byNodeName, type IndexFunc, type SharedInformer } from './shared-informers';

export const POD_GC = 'pod-garbage-collector-controller';

export interface PodGCOptions {
  /** --terminated-pod-gc-threshold: terminated pods kept before the oldest are deleted; 0 turns that off. */
  terminatedPodThreshold?: number;
}

export const DEFAULT_TERMINATED_POD_GC_THRESHOLD = 12500;
/** gcCheckPeriod: how often the collector looks. */
export const GC_CHECK_PERIOD_MS = 20_000;
/** quarantineTime: how long a node must stay missing before its pods count as orphaned. */
export const QUARANTINE_MS = 40_000;
/** WaitForCacheSync polls every 100 ms; the first pass runs once the informers have synced. */
const CACHE_SYNC_POLL_MS = 100;

import { TAINT_NODE_OUT_OF_SERVICE as TAINT_OUT_OF_SERVICE } from '../api/taints';
export { TAINT_OUT_OF_SERVICE };

const ORPHANED_CONDITION: Omit<PodCondition, 'lastTransitionTime'> = {
  type: 'DisruptionTarget',
  status: 'True',
  reason: 'DeletionByPodGC',
  message: 'PodGC: node no longer exists',
};

const isTerminated = (p: Pod): boolean => {
  const phase = p.status?.phase;
  return phase !== 'Pending' && phase !== 'Running' && phase !== 'Unknown';
};

/**
 * What each check looks at, kept up to date as the informer's events come
 * (a pass used to walk all 150,000 pods every 20 s): terminated pods, pods
 * being deleted (bound or not), and pods by node.
 */
const TERMINATED_INDEX = 'podgc.terminated';
const DELETING_INDEX = 'podgc.deleting';
const POD_NODE_INDEX = 'spec.nodeName';
const YES = ['yes'] as const;
const BOUND = ['bound'] as const;
const UNSCHEDULED = ['unscheduled'] as const;
const NONE: readonly string[] = [];
const terminatedIndex: IndexFunc = (o) => (isTerminated(o as Pod) ? YES : NONE);
const deletingIndex: IndexFunc = (o) => (!o.metadata.deletionTimestamp ? NONE : (o as Pod).spec?.nodeName ? BOUND : UNSCHEDULED);
const isTerminal = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const isEvicted = (p: Pod): boolean => p.status?.phase === 'Failed' && p.status.reason === 'Evicted';
const isNodeReady = (n: Node): boolean => (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** byEvictionAndCreationTimestamp: evicted pods first, then by creationTimestamp, then by name. */
export function byEvictionAndCreation(a: Pod, b: Pod): number {
  const ea = isEvicted(a);
  const eb = isEvicted(b);
  if (ea !== eb) return ea ? -1 : 1;
  const ta = a.metadata?.creationTimestamp ?? '';
  const tb = b.metadata?.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** UpdatePodCondition: the condition replaces one of its type; lastTransitionTime moves only when the status does. */
export function withPodCondition(conditions: readonly PodCondition[], c: PodCondition): PodCondition[] {
  const i = conditions.findIndex((x) => x.type === c.type);
  if (i < 0) return [...conditions, c];
  const out = [...conditions];
  out[i] = conditions[i].status === c.status ? { ...c, lastTransitionTime: conditions[i].lastTransitionTime } : c;
  return out;
}

export class PodGCController implements Controller {
  readonly name = POD_GC;
  private readonly pods: SharedInformer;
  private readonly nodes: SharedInformer;
  private readonly threshold: number;
  /** The delaying queue of missing nodes: name -> when its quarantine ends. */
  private readonly quarantine = new Map<string, number>();
  private timer?: Timer;

  constructor(
    private readonly ctx: ControllerContext,
    opts: PodGCOptions = {},
  ) {
    this.threshold = opts.terminatedPodThreshold ?? DEFAULT_TERMINATED_POD_GC_THRESHOLD;
    this.pods = ctx.informers.for('Pod');
    this.pods.addIndex(TERMINATED_INDEX, terminatedIndex);
    this.pods.addIndex(DELETING_INDEX, deletingIndex);
    this.pods.addIndex(POD_NODE_INDEX, byNodeName);
    this.nodes = ctx.informers.for('Node');
    this.timer = ctx.kernel.after(CACHE_SYNC_POLL_MS, `${POD_GC}.gc`, () => this.tick());
  }

  stop(): void {
    this.ctx.kernel.cancel(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    this.gc();
    // wait.Until: the next pass starts one period after this one.
    this.timer = this.ctx.kernel.after(GC_CHECK_PERIOD_MS, `${POD_GC}.gc`, () => this.tick());
  }

  /**
   * One pass, on the informers' pods and nodes as they are now, through the
   * indexes: what the four checks look at, without walking every pod (the
   * rare checks that act walk the pods in the informer's order, as
   * upstream's lister gives them).
   */
  gc(): void {
    if (this.threshold > 0 && this.pods.indexCount(TERMINATED_INDEX, 'yes') > this.threshold) this.gcTerminated(this.pods.byIndex(TERMINATED_INDEX, 'yes') as Pod[]);
    this.gcTerminating(this.pods.byIndex(DELETING_INDEX, 'bound') as Pod[]);
    this.gcOrphaned();
    if (this.pods.indexCount(DELETING_INDEX, 'unscheduled') > 0) this.gcUnscheduledTerminating(this.podsWhere((p) => !p.spec?.nodeName && !!p.metadata?.deletionTimestamp));
  }

  /** The informer's pods that `keep`, in its order. */
  private podsWhere(keep: (p: Pod) => boolean): Pod[] {
    const out: Pod[] = [];
    for (const o of this.pods.informer.list()) if (keep(o as Pod)) out.push(o as Pod);
    return out;
  }

  private gcTerminated(terminated: Pod[]): void {
    const excess = terminated.length - this.threshold;
    if (excess <= 0) return;
    terminated.sort(byEvictionAndCreation);
    for (const p of terminated.slice(0, excess)) this.markFailedAndDelete(p);
  }

  private gcTerminating(pods: Pod[]): void {
    const victims = pods.filter((p) => {
      const node = this.nodes.get(p.spec?.nodeName ?? '') as Node | undefined;
      return !!node && !isNodeReady(node) && (node.spec?.taints ?? []).some((t) => t.key === TAINT_OUT_OF_SERVICE);
    });
    victims.sort(byEvictionAndCreation);
    for (const p of victims) this.markFailedAndDelete(p);
  }

  private gcOrphaned(): void {
    const exists = (name: string) => this.nodes.get(name) !== undefined;
    const now = this.ctx.kernel.now;
    // AddAfter: a node already waiting keeps its earlier time. The index's values are the nodes pods are bound to,
    // in the order a walk of the pods would first meet them.
    for (const n of this.pods.indexValues(POD_NODE_INDEX)) if (!exists(n) && !this.quarantine.has(n)) this.quarantine.set(n, now + QUARANTINE_MS);
    const deleted = this.discoverDeletedNodes(exists, now);
    if (!deleted.size) return;
    const condition: PodCondition = { ...ORPHANED_CONDITION, lastTransitionTime: timestamp(now) };
    for (const p of this.podsWhere((p) => deleted.has(p.spec?.nodeName ?? ''))) this.markFailedAndDelete(p, condition);
  }

  /** The nodes whose quarantine is over and that the apiserver, asked directly, does not have. */
  private discoverDeletedNodes(exists: (name: string) => boolean, now: number): Set<string> {
    const deleted = new Set<string>();
    for (const [name, readyAt] of [...this.quarantine]) {
      if (readyAt > now) continue;
      this.quarantine.delete(name);
      if (exists(name)) continue;
      const r = this.ctx.client.get('Node', undefined, name);
      // Any other error: the node is queued again on a later pass if still missing.
      if (!r.ok && r.status.code === 404) deleted.add(name);
    }
    return deleted;
  }

  private gcUnscheduledTerminating(pods: Pod[]): void {
    for (const p of pods) this.markFailedAndDelete(p);
  }

  /** markFailedAndDeletePodWithCondition: phase Failed (and the condition) first, unless terminal, then delete with grace 0. */
  private markFailedAndDelete(pod: Pod, condition?: PodCondition): void {
    const ns = pod.metadata?.namespace;
    const name = pod.metadata?.name ?? '';
    if (!isTerminal(pod)) {
      const status: Record<string, unknown> = { phase: 'Failed' };
      if (condition) status.conditions = withPodCondition(pod.status?.conditions ?? [], condition);
      const r = this.ctx.client.patch('Pod', ns, name, { status }, { subresource: 'status' });
      if (!r.ok) return;
    }
    this.ctx.client.delete('Pod', ns, name, { gracePeriodSeconds: 0 });
  }
}

/** A pod garbage collector with its options (tests set a small threshold). */
export function podGCController(opts: PodGCOptions = {}): ControllerFactory {
  return (ctx) => new PodGCController(ctx, opts);
}

export const newPodGCController: ControllerFactory = podGCController();

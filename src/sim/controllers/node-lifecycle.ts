// kube-controller-manager's node-lifecycle-controller, after upstream
// pkg/controller/nodelifecycle/node_lifecycle_controller.go (v1.30-1.34,
// taint eviction running as its own controller). Three loops, as upstream:
//  - monitorNodeHealth every --node-monitor-period (5 s): a node whose
//    kubelet has sent neither a status heartbeat nor a lease renewal for the
//    grace period gets its conditions set Unknown; unhealthy nodes go into
//    their zone's rate-limited tainting queue; zones' disruption states set
//    the queues' rates; pods on a node that stops being Ready are marked
//    not ready.
//  - doNoExecuteTaintingPass every 100 ms while a queue has work: the
//    not-ready / unreachable NoExecute taints, one node per token.
//  - doNoScheduleTaintingPass on every Node change: NoSchedule taints that
//    mirror the conditions and spec.unschedulable.
// One monitor timer serves every node; a pass looks only at the nodes whose
// signals changed, that are not healthy, or whose grace period ran out
// (node-lifecycle-pass-plan.ts), which is what a walk over all of them does.
import type { Lease } from 'kubernetes-types/coordination/v1';
import type { Node, NodeCondition, Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../api/types';
import type { EventRecorder } from '../client/event-recorder';
import type { Timer } from '../kernel/kernel';
import type { Controller, ControllerContext, ControllerFactory } from './controller';
import { observeLease, tryUpdateNodeHealth, readyCondition, type HealthCheck, type NodeHealth } from './node-lifecycle-health';
import { markPodsNotReady } from './node-lifecycle-pods';
import {
  NOT_READY_TAINT,
  removeTaintOffNode,
  swapNodeControllerTaint,
  taintExists,
  UNREACHABLE_TAINT,
} from './node-lifecycle-taints';
import { doNoScheduleTaintingPass, reconcileNodeLabels } from './node-lifecycle-node-updates';
import { MonitorPlan, type NodeOutcome, type ZoneCount } from './node-lifecycle-pass-plan';
import { isExcludedFromDisruption, zoneKey, zoneQPS, zoneStateOf, type EvictionRates, type ZoneState } from './node-lifecycle-zones';
import { RateLimitedTimedQueue, type TryResult } from './rate-limited-queue';
import { byNodeName, type SharedInformer } from './shared-informers';
import { WorkQueue, type SyncResult } from './work-queue';

/** kube-controller-manager's defaults for the flags of the same names. */
export const DEFAULT_EVICTION_RATES: EvictionRates = {
  evictionLimiterQPS: 0.1,
  secondaryEvictionLimiterQPS: 0.01,
  largeClusterThreshold: 50,
  unhealthyZoneThreshold: 0.55,
};

/** scheduler.NodeEvictionPeriod: the NoExecute tainting pass's period. */
export const NODE_EVICTION_PERIOD_MS = 100;
/**
 * The loops start once the informers have synced; WaitForCacheSync checks
 * at once (too early: the lists are still in flight) and then every 100 ms.
 */
export const CACHE_SYNC_POLL_MS = 100;
/** scheduler.NodeHealthUpdateRetry: tries at a node's status update before the pass gives up on it. */
const NODE_HEALTH_UPDATE_RETRY = 5;
const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** The pod index the controller reads pods by node from (upstream nodeNameKeyIndex). */
export const POD_NODE_INDEX = 'spec.nodeName';


/** A zone as the UI may show it: its state, its tainting rate and the nodes waiting for a taint. */
export interface ZoneView {
  zone: string;
  state: ZoneState;
  qps: number;
  waiting: string[];
}

const nameOf = (o: { metadata?: { name?: string } }) => o.metadata!.name!;

/** A node whose status write kept failing: skipped this pass, not counted in its zone, looked at again next pass. */
const NOT_JUDGED: NodeOutcome = { ready: false };

export class NodeLifecycleController implements Controller {
  readonly name = 'node-lifecycle-controller';
  private readonly nodes: SharedInformer;
  private readonly pods: SharedInformer;
  private readonly leases: SharedInformer;
  private readonly recorder: EventRecorder;
  private readonly rates: EvictionRates;
  /** Nodes seen by the last pass (knownNodeSet), by name, as first seen. */
  private readonly known = new Map<string, Node>();
  private readonly health = new Map<string, NodeHealth>();
  private readonly zoneStates = new Map<string, ZoneState>();
  /** zoneNoExecuteTainter: one tainting queue per zone; zones are never removed. */
  private readonly tainters = new Map<string, RateLimitedTimedQueue>();
  /** Nodes whose pods still have to be marked not ready. */
  private readonly nodesToRetry = new Set<string>();
  /** Which nodes the next monitor pass must look at. */
  private readonly plan = new MonitorPlan();
  /** Look at every node on every pass, as upstream's walk (for tests that compare the two). */
  lookAtEveryNode = false;
  private readonly nodeUpdates: WorkQueue;
  private readonly podUpdates: WorkQueue;
  /** The instant the loops started: the tainting pass runs on this 100 ms grid. */
  private readonly loopsStart: number;
  private monitorTimer?: Timer;
  private taintTimer?: Timer;
  private stopped = false;

  constructor(
    private readonly ctx: ControllerContext,
    rates: EvictionRates = DEFAULT_EVICTION_RATES,
  ) {
    this.rates = rates;
    this.recorder = ctx.recorder('node-controller');
    this.nodes = ctx.informers.for('Node');
    this.pods = ctx.informers.for('Pod');
    this.leases = ctx.informers.for('Lease');
    this.pods.addIndex(POD_NODE_INDEX, byNodeName);
    this.nodeUpdates = new WorkQueue(ctx.kernel, `${this.name}.node`, (name) => this.processNode(name));
    this.podUpdates = new WorkQueue(ctx.kernel, `${this.name}.pod`, (key) => this.processPod(key));
    this.nodes.on({
      add: (n) => {
        this.nodeUpdates.add(nameOf(n));
        this.plan.reset();
      },
      update: (n, old) => {
        this.nodeUpdates.add(nameOf(n));
        this.plan.touched(nameOf(n), 'node');
        // A node that moves zone, or into or out of the zones' health, changes the zones.
        if (zoneKey(n as Node) !== zoneKey(old as Node) || isExcludedFromDisruption(n as Node) !== isExcludedFromDisruption(old as Node)) this.plan.reset();
      },
      delete: (n) => {
        this.nodesToRetry.delete(nameOf(n));
        this.plan.reset();
      },
    });
    const leaseTouched = (l: KubeObject) => {
      if (l.metadata.namespace === NODE_LEASE_NAMESPACE) this.plan.touched(nameOf(l), 'lease');
    };
    this.leases.on({ add: leaseTouched, update: leaseTouched, delete: leaseTouched });
    this.pods.on({
      add: (p) => this.podUpdated(undefined, p as Pod),
      update: (p, old) => this.podUpdated(old as Pod, p as Pod),
    });
    this.loopsStart = ctx.kernel.now + CACHE_SYNC_POLL_MS;
    this.monitorTimer = ctx.kernel.at(this.loopsStart, `${this.name}.monitor`, () => this.monitorTick());
  }

  stop(): void {
    this.stopped = true;
    this.ctx.kernel.cancel(this.monitorTimer);
    this.ctx.kernel.cancel(this.taintTimer);
    this.monitorTimer = this.taintTimer = undefined;
    this.nodeUpdates.shutDown();
    this.podUpdates.shutDown();
  }

  /** Each zone's state, rate and waiting nodes, in the order the zones appeared. */
  zones(): ZoneView[] {
    return [...this.zoneStates].map(([zone, state]) => {
      const q = this.tainters.get(zone);
      return { zone, state, qps: q?.qps ?? this.rates.evictionLimiterQPS, waiting: (q?.values() ?? []).map((v) => v.value) };
    });
  }

  private get now(): number {
    return this.ctx.kernel.now;
  }

  // ---- monitorNodeHealth ---------------------------------------------------

  private monitorTick(): void {
    if (this.stopped) return;
    const now = this.now;
    this.monitorTimer = this.ctx.kernel.at(now + this.ctx.settings.nodeMonitorPeriod, `${this.name}.monitor`, () => this.monitorTick());
    this.monitorNodeHealth();
    this.scheduleTaintingPass(true);
  }

  private monitorNodeHealth(): void {
    const { nodeMonitorGracePeriod, nodeStartupGracePeriod } = this.ctx.settings;
    const grace = `${nodeMonitorGracePeriod}/${nodeStartupGracePeriod}`;
    const picked = this.lookAtEveryNode ? undefined : this.plan.pick(this.now, grace, (z) => this.zoneStates.has(z));
    if (picked) {
      for (const name of picked) {
        if (this.plan.onlyLeaseMoved(name, this.now)) {
          this.plan.recordLease(name, this.takeRenewal(name));
          continue;
        }
        const n = this.nodes.get(name) as Node | undefined;
        if (n) this.plan.record(name, this.updateNode(n));
      }
    } else this.lookAtEvery(this.nodes.list() as Node[]);
    this.handleDisruption(this.plan.zones());
    this.plan.end(grace);
  }

  /** The walk over every node: new and removed nodes, new zones, then each node's health. */
  private lookAtEvery(nodes: Node[]): void {
    const { added, deleted, newZoneRepresentatives } = this.classifyNodes(nodes);
    for (const n of newZoneRepresentatives) this.addZone(n);
    for (const n of added) {
      this.nodeEvent(n, 'RegisteredNode', `Registered Node ${nameOf(n)} in Controller`);
      this.known.set(nameOf(n), n);
      this.addZone(n);
      this.markNodeAsReachable(n);
    }
    for (const n of deleted) {
      this.nodeEvent(n, 'RemovingNode', `Removing Node ${nameOf(n)} from Controller`);
      this.known.delete(nameOf(n));
    }
    this.plan.begin(nodes.map(nameOf), (i) => zoneKey(nodes[i]));
    for (const n of nodes) this.plan.record(nameOf(n), this.updateNode(n));
  }

  private classifyNodes(all: Node[]): { added: Node[]; deleted: Node[]; newZoneRepresentatives: Node[] } {
    const added: Node[] = [];
    const newZoneRepresentatives: Node[] = [];
    for (const n of all) {
      if (!this.known.has(nameOf(n))) added.push(n);
      else if (!this.zoneStates.has(zoneKey(n))) newZoneRepresentatives.push(n);
    }
    const deleted: Node[] = [];
    if (this.known.size + added.length !== all.length) {
      const present = new Set(all.map(nameOf));
      for (const [name, n] of this.known) if (!present.has(name)) deleted.push(n);
    }
    return { added, deleted, newZoneRepresentatives };
  }

  /** updateNodeFunc: one node's health, taints and pods, in one pass. */
  private updateNode(cached: Node): NodeOutcome {
    const name = nameOf(cached);
    let node = cached;
    let check: HealthCheck | undefined;
    for (let attempt = 0; attempt < NODE_HEALTH_UPDATE_RETRY; attempt++) {
      check = this.checkHealth(node);
      if (check) break;
      // The write failed (a stale copy, or no apiserver): read the node again and retry.
      const fresh = this.ctx.client.get('Node', undefined, name);
      if (!fresh.ok) return NOT_JUDGED;
      node = fresh.object as Node;
    }
    // Still failing: skip the node this pass (no pods will be evicted), and it does not count in its zone.
    if (!check) return NOT_JUDGED;
    if (check.update) node = check.update;
    const { observedReady, currentReady } = check;
    const zone = isExcludedFromDisruption(node) ? undefined : zoneKey(node);
    const ready = currentReady?.status === 'True';
    if (currentReady) {
      this.processTaintBaseEviction(node, observedReady);
      const becameNotReady = currentReady.status !== 'True' && observedReady.status === 'True';
      if (becameNotReady) this.recorder.event(nodeRef(node), 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      if (becameNotReady || (this.nodesToRetry.has(name) && observedReady.status !== 'True')) {
        const pods = this.pods.byIndex(POD_NODE_INDEX, name) as Pod[];
        if (!markPodsNotReady(this.ctx.client, this.recorder, pods, name, this.now)) {
          this.nodesToRetry.add(name);
          return { zone, ready };
        }
      }
    }
    this.nodesToRetry.delete(name);
    return { zone, ready, quietUntil: this.quietUntil(name, node, check) };
  }

  /**
   * A node that came out of its look healthy, with nothing left to do, may
   * be left out of the passes until its grace period runs out (or its Node
   * or Lease changes): looking at it again would change nothing.
   */
  private quietUntil(name: string, node: Node, check: HealthCheck): number | undefined {
    if (check.update || check.currentReady?.status !== 'True') return undefined;
    const health = this.health.get(name)!;
    // A record that forgot the lease (a new heartbeat) takes it again at the next pass, with a new probe time.
    if (health.lease !== check.observedLease) return undefined;
    const taints = node.spec?.taints;
    if (taintExists(taints, UNREACHABLE_TAINT) || taintExists(taints, NOT_READY_TAINT)) return undefined;
    if (this.tainters.get(zoneKey(node))?.has(name)) return undefined;
    return health.probeTimestamp + check.gracePeriod;
  }

  /**
   * What tryUpdateNodeHealth does to a quiet node whose Lease alone changed:
   * the record takes the renewal. Quiet still (until the new deadline) when
   * it did; a lease that is no renewal keeps it looked at, as in updateNode.
   */
  private takeRenewal(name: string): number | undefined {
    const saved = this.health.get(name)!;
    const lease = this.leases.get(`${NODE_LEASE_NAMESPACE}/${name}`) as Lease | undefined;
    const health = observeLease(saved, saved.lease, saved.leaseRenewMs, lease, this.now);
    if (health !== saved) this.health.set(name, health);
    return health.lease === lease ? health.probeTimestamp + this.ctx.settings.nodeMonitorGracePeriod : undefined;
  }

  /** tryUpdateNodeHealth with its write; undefined when the write failed. The memory is kept either way. */
  private checkHealth(node: Node): HealthCheck | undefined {
    const name = nameOf(node);
    const lease = this.leases.get(`${NODE_LEASE_NAMESPACE}/${name}`) as Lease | undefined;
    const check = tryUpdateNodeHealth(node, this.health.get(name), lease, this.now, {
      monitor: this.ctx.settings.nodeMonitorGracePeriod,
      startup: this.ctx.settings.nodeStartupGracePeriod,
    });
    this.health.set(name, check.health);
    if (!check.update) return check;
    const r = this.ctx.client.updateStatus(check.update as KubeObject);
    if (!r.ok) return undefined;
    this.health.set(name, {
      status: check.update.status,
      probeTimestamp: check.health.probeTimestamp,
      readyTransitionTimestamp: this.now,
      lease: check.observedLease,
      ...(check.observedLease && check.observedLease === check.health.lease ? { leaseRenewMs: check.health.leaseRenewMs } : {}),
    });
    return { ...check, update: r.object as Node };
  }

  private processTaintBaseEviction(node: Node, observedReady: NodeCondition): void {
    const taints = node.spec?.taints;
    switch (observedReady.status) {
      case 'False':
        // Already unreachable-tainted: swap to not-ready at once, outside the rate limit.
        if (taintExists(taints, UNREACHABLE_TAINT)) swapNodeControllerTaint(this.ctx.client, this.now, [NOT_READY_TAINT], [UNREACHABLE_TAINT], node);
        else this.markNodeForTainting(node, 'False');
        break;
      case 'Unknown':
        if (taintExists(taints, NOT_READY_TAINT)) swapNodeControllerTaint(this.ctx.client, this.now, [UNREACHABLE_TAINT], [NOT_READY_TAINT], node);
        else this.markNodeForTainting(node, 'Unknown');
        break;
      case 'True':
        this.markNodeAsReachable(node);
        break;
    }
  }

  /** Queues the node for its NoExecute taint (again, with a fresh time, while the taint is not on it yet). */
  private markNodeForTainting(node: Node, status: 'False' | 'Unknown'): boolean {
    const q = this.tainter(zoneKey(node));
    const want = status === 'False' ? NOT_READY_TAINT : UNREACHABLE_TAINT;
    if (!taintExists(node.spec?.taints, want)) q.remove(nameOf(node));
    return q.add(nameOf(node), node.metadata?.uid ?? '', this.now);
  }

  /** Removes both NoExecute taints and forgets the node in its tainting queue. */
  private markNodeAsReachable(node: Node): boolean {
    const name = nameOf(node);
    if (removeTaintOffNode(this.ctx.client, name, node, [UNREACHABLE_TAINT]) !== undefined) return false;
    if (removeTaintOffNode(this.ctx.client, name, node, [NOT_READY_TAINT]) !== undefined) return false;
    return this.tainter(zoneKey(node)).remove(name);
  }

  // ---- zones -----------------------------------------------------------------

  /** addPodEvictorForNewZone: a zone first seen starts Initial, with a queue at the normal rate. */
  private addZone(node: Node): void {
    const zone = zoneKey(node);
    if (this.zoneStates.has(zone)) return;
    this.zoneStates.set(zone, 'Initial');
    this.tainter(zone);
  }

  private tainter(zone: string): RateLimitedTimedQueue {
    let q = this.tainters.get(zone);
    if (!q) this.tainters.set(zone, (q = new RateLimitedTimedQueue(this.rates.evictionLimiterQPS, this.now)));
    return q;
  }

  private setLimiterInZone(zone: string, size: number, state: ZoneState | undefined): void {
    const qps = state && zoneQPS(state, size, this.rates);
    if (qps !== undefined) this.tainter(zone).swapLimiter(qps, this.now);
  }

  /**
   * handleDisruption: new zone states from this pass's Ready conditions.
   * When every zone is fully disrupted the problem is most likely the
   * control plane's own network, not the nodes: the controller lifts every
   * NoExecute taint and stops tainting ("master disruption mode"); on the
   * way out every node gets a fresh grace period.
   */
  private handleDisruption(zoneReady: ReadonlyMap<string, ZoneCount>): void {
    const newStates = new Map<string, ZoneState>();
    let allAreFull = true;
    for (const [zone, count] of zoneReady) {
      const { state } = zoneStateOf(count.ready, count.notReady, this.rates.unhealthyZoneThreshold);
      if (state !== 'FullDisruption') allAreFull = false;
      newStates.set(zone, state);
      if (!this.zoneStates.has(zone)) this.zoneStates.set(zone, 'Initial');
    }
    let allWereFull = true;
    for (const [zone, state] of [...this.zoneStates]) {
      if (!zoneReady.has(zone)) {
        this.zoneStates.delete(zone);
        continue;
      }
      if (state !== 'FullDisruption') {
        allWereFull = false;
        break;
      }
    }
    if (allAreFull && allWereFull) return;
    const size = (zone: string) => {
      const c = zoneReady.get(zone);
      return c ? c.ready + c.notReady : 0;
    };
    if (allAreFull) {
      // Entering master disruption mode (upstream logs it; there is no Event).
      this.plan.reset();
      for (const n of this.nodes.list() as Node[]) this.markNodeAsReachable(n);
      for (const zone of this.zoneStates.keys()) this.tainter(zone).swapLimiter(0, this.now);
      for (const zone of this.zoneStates.keys()) this.zoneStates.set(zone, 'FullDisruption');
      return;
    }
    if (allWereFull) {
      // Exiting master disruption mode: nobody is judged on the silence before.
      this.plan.reset();
      for (const n of this.nodes.list() as Node[]) {
        const h = this.health.get(nameOf(n));
        if (h) this.health.set(nameOf(n), { ...h, probeTimestamp: this.now, readyTransitionTimestamp: this.now });
      }
      for (const zone of [...this.zoneStates.keys()]) {
        const state = newStates.get(zone);
        this.setLimiterInZone(zone, size(zone), state);
        if (state) this.zoneStates.set(zone, state);
      }
      return;
    }
    for (const [zone, state] of [...this.zoneStates]) {
      const next = newStates.get(zone);
      if (!next || state === next) continue;
      this.setLimiterInZone(zone, size(zone), next);
      this.zoneStates.set(zone, next);
    }
  }

  // ---- doNoExecuteTaintingPass ---------------------------------------------

  /**
   * Upstream polls every 100 ms; a pass only does something when a queue
   * has a node and a token, so the pass is scheduled at the first 100 ms
   * tick at which some queue gets its next token. After a monitor pass it
   * is the first tick strictly after it: upstream's monitor pass takes a
   * while and its writes reach the cache the tainting pass reads a moment
   * later, so a node queued now is tainted at the next tick.
   */
  private scheduleTaintingPass(afterMonitor = false): void {
    if (this.stopped) return;
    let next = Infinity;
    for (const q of this.tainters.values()) next = Math.min(next, q.nextTokenAt(this.now) ?? Infinity);
    if (!Number.isFinite(next)) {
      this.ctx.kernel.cancel(this.taintTimer);
      this.taintTimer = undefined;
      return;
    }
    const earliest = afterMonitor ? this.now + 1 : this.now;
    const ticks = Math.ceil((Math.max(next, earliest) - this.loopsStart) / NODE_EVICTION_PERIOD_MS);
    const at = this.loopsStart + Math.max(0, ticks) * NODE_EVICTION_PERIOD_MS;
    if (this.taintTimer && this.taintTimer.at === at) return;
    this.ctx.kernel.cancel(this.taintTimer);
    this.taintTimer = this.ctx.kernel.at(at, `${this.name}.taint`, () => this.taintTick());
  }

  private taintTick(): void {
    this.taintTimer = undefined;
    // A monitor pass due at this same instant goes first and schedules this
    // pass again (at the next tick). The other way round it would queue a
    // node just tainted again (its cache is a moment old), and it would be
    // tainted a second time with a new timeAdded.
    if (this.monitorTimer?.at === this.now) return;
    this.taintingPass();
  }

  private taintingPass(): void {
    if (this.stopped) return;
    for (const q of this.tainters.values()) q.try(this.now, (v) => this.taintNode(v.value));
    this.scheduleTaintingPass();
  }

  /** One queued node: the NoExecute taint its Ready condition calls for, the opposite one off. */
  private taintNode(name: string): TryResult {
    const node = this.nodes.get(name) as Node | undefined;
    if (!node) return { ok: true };
    const ready = readyCondition(node.status);
    if (!ready) return { ok: false, waitMs: 50 };
    // not-ready and unreachable mirror Ready=False and Ready=Unknown, so a node has at most one.
    let add;
    let opposite;
    if (ready.status === 'False') [add, opposite] = [NOT_READY_TAINT, UNREACHABLE_TAINT];
    else if (ready.status === 'Unknown') [add, opposite] = [UNREACHABLE_TAINT, NOT_READY_TAINT];
    else return { ok: true };
    return swapNodeControllerTaint(this.ctx.client, this.now, [add], [opposite], node) ? { ok: true } : { ok: false, waitMs: 0 };
  }

  // ---- doNoScheduleTaintingPass and label reconciliation ----------------------

  private processNode(name: string): SyncResult {
    const node = this.nodes.get(name) as Node | undefined;
    if (!node) return 'done';
    // Errors are not requeued upstream either: the next change of the node tries again.
    doNoScheduleTaintingPass(this.ctx.client, this.now, node);
    reconcileNodeLabels(this.ctx.client, node);
    return 'done';
  }

  // ---- pods bound to unhealthy nodes -------------------------------------------

  private podUpdated(old: Pod | undefined, pod: Pod): void {
    const node = pod.spec?.nodeName;
    if (!node || node === old?.spec?.nodeName) return;
    // processPod skips a node not judged yet (no health record); checked here too, so the 150,000
    // pods of the first list do not each go through the queue for nothing.
    if (!this.health.has(node)) return;
    this.podUpdates.add(`${pod.metadata!.namespace}/${nameOf(pod)}`);
  }

  /** processPod: a pod bound to a node that is not Ready is marked not ready at once. */
  private processPod(key: string): SyncResult {
    const pod = this.pods.get(key) as Pod | undefined;
    if (!pod) return 'done';
    const nodeName = pod.spec!.nodeName!;
    const health = this.health.get(nodeName);
    if (!health) return 'done';
    if (!this.nodes.get(nodeName)) return 'retry';
    const ready = readyCondition(health.status);
    if (!ready || ready.status === 'True') return 'done';
    return markPodsNotReady(this.ctx.client, this.recorder, [pod], nodeName, this.now) ? 'done' : 'retry';
  }

  /** RecordNodeEvent: "Node <name> event: <message>". */
  private nodeEvent(node: Node, reason: string, message: string): void {
    this.recorder.event(nodeRef(node), 'Normal', reason, `Node ${nameOf(node)} event: ${message}`);
  }
}

/** The ObjectReference events about a node carry. */
function nodeRef(node: Node) {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: nameOf(node), uid: node.metadata?.uid } };
}

export const newNodeLifecycleController: ControllerFactory = (ctx) => new NodeLifecycleController(ctx);

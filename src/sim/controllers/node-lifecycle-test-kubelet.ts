// Test helper, not a component: stands in for the kubelets' two heartbeats
// (the Lease in kube-node-lease renewed, and the Node's conditions posted
// with a new lastHeartbeatTime) every 10 s through an apiserver client, so
// the node lifecycle tests do not depend on the real kubelet. Stopping a
// node's heartbeats is a dead kubelet; resuming posts Ready=True at once.
import type { NodeCondition } from 'kubernetes-types/core/v1';
import type { KubeObject, Node } from '../api/types';
import type { ApiClient } from '../apiserver/apiserver';
import type { Cluster } from '../cluster';
import type { Kernel, Timer } from '../kernel/kernel';
import { microTimestamp, timestamp } from '../kernel/time';

const HEALTHY: Record<string, { reason: string; message: string; status: string }> = {
  MemoryPressure: { status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  DiskPressure: { status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  PIDPressure: { status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
  Ready: { status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
};

/** What a kubelet that is up but not ready reports (its container runtime's network is not ready). */
const NOT_READY = {
  status: 'False',
  reason: 'KubeletNotReady',
  message: 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
};

export class TestHeartbeats {
  private readonly beating = new Set<string>();
  private readonly notReady = new Set<string>();
  private timer?: Timer;

  constructor(
    private readonly kernel: Kernel,
    private readonly client: ApiClient,
    /** How often every live node beats (the kubelet's 10 s). */
    private readonly intervalMs = 10_000,
  ) {}

  /** Beat for these nodes now and every interval from now on. */
  start(nodes: readonly string[]): void {
    for (const n of nodes) this.beating.add(n);
    this.kernel.cancel(this.timer);
    this.tick();
  }

  /** The node's kubelet dies: no more heartbeats. */
  stop(node: string): void {
    this.beating.delete(node);
  }

  /** The kubelet is back: it posts a healthy status and renews its lease at once, then beats with the others. */
  resume(node: string): void {
    this.beating.add(node);
    this.beat(node);
  }

  /** The kubelet keeps beating but reports Ready=False (or True again), from a heartbeat posted now. */
  setReady(node: string, ready: boolean): void {
    if (ready) this.notReady.delete(node);
    else this.notReady.add(node);
    if (this.beating.has(node)) this.beat(node);
  }

  /** Stops every heartbeat (the helper's timer too). */
  stopAll(): void {
    this.beating.clear();
    this.kernel.cancel(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    for (const n of this.beating) this.beat(n);
    this.timer = this.kernel.after(this.intervalMs, 'test.heartbeats', () => this.tick());
  }

  private beat(name: string): void {
    const now = this.kernel.now;
    this.renewLease(name, now);
    const got = this.client.get('Node', undefined, name);
    if (!got.ok) return;
    const node = got.object as Node & KubeObject;
    const at = timestamp(now);
    const old = node.status?.conditions ?? [];
    const conditions: NodeCondition[] = Object.entries(HEALTHY).map(([type, healthy]) => {
      const want = type === 'Ready' && this.notReady.has(name) ? NOT_READY : healthy;
      const prev = old.find((c) => c.type === type);
      const transition = prev && prev.status === want.status ? prev.lastTransitionTime : at;
      return { type, ...want, lastHeartbeatTime: at, lastTransitionTime: transition };
    });
    this.client.updateStatus({ ...node, status: { ...node.status, conditions } });
  }

  private renewLease(name: string, now: number): void {
    const got = this.client.get('Lease', 'kube-node-lease', name);
    const spec = { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microTimestamp(now) };
    if (got.ok) this.client.update({ ...got.object, spec: { ...(got.object.spec as object), ...spec } });
    else this.client.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec });
  }
}

/** Runs the cluster event by event until `pred` holds (or `limit` passes) and returns the instant it first did. */
export function firstInstant(cluster: Cluster, pred: () => boolean, limit: number): number | undefined {
  while (cluster.now <= limit) {
    if (pred()) return cluster.now;
    const next = cluster.nextEventTime();
    if (next === undefined || next > limit) break;
    cluster.step();
  }
  return pred() ? cluster.now : undefined;
}

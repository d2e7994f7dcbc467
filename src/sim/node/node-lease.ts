// The kubelet's node lease (staging/src/k8s.io/component-helpers/apimachinery/lease/controller.go
// with pkg/kubelet/nodelease): a Lease in kube-node-lease named after the
// node, owned by the Node, renewed every quarter of its duration (10 s of
// 40 s) with wait.JitterUntil's 4% jitter. An update from the last lease
// it wrote needs no GET; when updates fail (5 tries) it falls back to
// "ensure the lease exists", retried with a backoff from 200 ms doubling to
// 7 s until the apiserver answers again.
import type { Lease } from 'kubernetes-types/coordination/v1';
import type { KubeObject } from '../api/types';
import type { ApiClient } from '../apiserver/apiserver';
import type { Kernel, Timer } from '../kernel/kernel';
import { microTimestamp } from '../kernel/time';

export const LEASE_NAMESPACE = 'kube-node-lease';
/** NodeLeaseRenewIntervalFraction. */
export const RENEW_FRACTION = 0.25;
const JITTER = 0.04;
const MAX_UPDATE_RETRIES = 5;
const ENSURE_BACKOFF_FIRST_MS = 200;
const ENSURE_BACKOFF_MAX_MS = 7_000;

export class NodeLease {
  private latest?: Lease;
  private timer?: Timer;
  private ensureBackoff = 0;
  private running = false;
  renewals = 0;

  constructor(
    private readonly kernel: Kernel,
    private readonly client: ApiClient,
    private readonly nodeName: string,
    /** leaseDurationSeconds. */
    private readonly durationSeconds: number,
  ) {}

  get renewInterval(): number {
    return this.durationSeconds * 1000 * RENEW_FRACTION;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.sync();
  }

  /** The process is gone, and the lease it last wrote with it. */
  stop(): void {
    this.running = false;
    this.latest = undefined;
    this.ensureBackoff = 0;
    if (this.timer) this.kernel.cancel(this.timer);
    this.timer = undefined;
  }

  /** What the pending timer runs (one timer at a time). */
  private next: () => void = () => {};
  /** The timer's callback and the steps it runs, made once: a lease is renewed every 10 s on every node. */
  private readonly fire = () => {
    this.timer = undefined;
    if (this.running) this.next();
  };
  private readonly syncStep = () => this.sync();
  private readonly ensureStep = () => this.ensure();

  private later(ms: number, label: string, fn: () => void): void {
    if (this.timer) this.kernel.cancel(this.timer);
    this.next = fn;
    this.timer = this.kernel.after(ms, label, this.fire);
  }

  /** wait.JitterUntil with sliding: the next period starts after this sync. */
  private scheduleNext(): void {
    const wait = this.renewInterval * (1 + this.kernel.rng.float() * JITTER);
    this.later(Math.round(wait), 'kubelet.lease', this.syncStep);
  }

  private sync(): void {
    if (this.latest && this.update(this.latest)) return this.scheduleNext();
    this.ensure();
  }

  /** retryUpdateLease: up to 5 tries; a conflict means re-reading the lease. */
  private update(base: Lease): boolean {
    let lease = base;
    for (let i = 0; i < MAX_UPDATE_RETRIES; i++) {
      const r = this.client.update({ ...(lease as KubeObject), spec: { ...lease.spec, renewTime: microTimestamp(this.kernel.now) } } as KubeObject);
      if (r.ok) {
        this.latest = r.object as Lease;
        this.renewals++;
        return true;
      }
      if (r.status.code === 409) {
        const got = this.client.get('Lease', LEASE_NAMESPACE, this.nodeName);
        if (!got.ok) return false;
        lease = got.object as Lease;
      }
    }
    return false;
  }

  /** backoffEnsureLease: get the lease or create it, retrying with a backoff until the apiserver answers. */
  private ensure(): void {
    const got = this.client.get('Lease', LEASE_NAMESPACE, this.nodeName);
    if (got.ok) {
      this.ensureBackoff = 0;
      this.latest = got.object as Lease;
      this.update(this.latest);
      return this.scheduleNext();
    }
    if (got.status.code === 404) {
      const created = this.create();
      if (created !== 'error') {
        this.ensureBackoff = 0;
        return this.scheduleNext();
      }
    }
    this.ensureBackoff = Math.min(Math.max(ENSURE_BACKOFF_FIRST_MS, this.ensureBackoff * 2), ENSURE_BACKOFF_MAX_MS);
    this.later(this.ensureBackoff, 'kubelet.lease.ensure', this.ensureStep);
  }

  /** A new lease owned by the Node (setNodeOwnerFunc); without the Node it waits for the next interval. */
  private create(): 'created' | 'blocked' | 'error' {
    const node = this.client.get('Node', undefined, this.nodeName);
    if (!node.ok) return node.status.code === 404 ? 'blocked' : 'error';
    const lease: KubeObject = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: this.nodeName,
        namespace: LEASE_NAMESPACE,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.nodeName, uid: node.object.metadata.uid! }],
      },
      spec: { holderIdentity: this.nodeName, leaseDurationSeconds: this.durationSeconds, renewTime: microTimestamp(this.kernel.now) },
    };
    const r = this.client.create(lease);
    if (r.ok) {
      this.latest = r.object as Lease;
      this.renewals++;
      return 'created';
    }
    return r.status.code === 409 ? 'blocked' : 'error';
  }
}

// cloud-controller-manager's service-controller, after upstream
// staging/src/k8s.io/cloud-provider/controllers/service/controller.go
// (v1.30-1.34, StableLoadBalancerNodeSet). Two queues, both retrying after
// 5 s doubling to 300 s:
//  - services: a Service that wants a load balancer (type LoadBalancer, no
//    loadBalancerClass) gets "EnsuringLoadBalancer", the
//    service.kubernetes.io/load-balancer-cleanup finalizer, the cloud's
//    EnsureLoadBalancer with the stable node set, "EnsuredLoadBalancer" and
//    status.loadBalancer.ingress. One that no longer wants it, or is being
//    deleted with the finalizer, gets "DeletingLoadBalancer",
//    EnsureLoadBalancerDeleted, the finalizer removed and
//    "DeletedLoadBalancer". A failure is "SyncLoadBalancerFailed" and a retry.
//  - nodes: a Node added or deleted (or whose providerID or exclusion
//    label changed) syncs every load balancer's backends with the stable
//    node set, skipping those whose last synced set is the same:
//    UpdateLoadBalancer, then "UpdatedLoadBalancer" (or
//    "UnAvailableLoadBalancer" with no node left).
// Upstream patches the finalizer through the status subresource, as
// servicehelper.PatchService does for both; this apiserver's status
// strategy keeps metadata as stored, so the finalizer goes through the main
// resource (a "patch services" instead of "patch services/status").
import type { Node, Service } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../api/types';
import type { EventRecorder } from '../client/event-recorder';
import type { Controller } from '../controllers/controller';
import { keyOf, type SharedInformer } from '../controllers/shared-informers';
import { WorkQueue, type SyncResult } from '../controllers/work-queue';
import type { Timer } from '../kernel/kernel';
import type { LoadBalancerStatus } from './cloud-api';
import { CACHE_SYNC_POLL_MS, type CloudControllerContext } from './cloud-controller';
import {
  hasLBFinalizer,
  inStableNodeSet,
  loadBalancerStatusEqual,
  LOAD_BALANCER_CLEANUP_FINALIZER,
  loggableNodeNames,
  needsCleanup,
  needsUpdate,
  nodesSufficientlyEqual,
  shouldSyncUpdatedNode,
  wantsLoadBalancer,
} from './service-lb-rules';

export const SERVICE_CONTROLLER = 'service-controller';
/** minRetryDelay, maxRetryDelay: the queues' exponential backoff. */
export const MIN_RETRY_DELAY_MS = 5_000;
export const MAX_RETRY_DELAY_MS = 300_000;

type Result = { ok: true } | { ok: false; error: string };
type LoadBalancerOperation = 'delete' | 'ensure';
const OK: Result = { ok: true };
const failed = (error: string): Result => ({ ok: false, error });

/** A WorkQueue whose failed keys come back after 5 s, 10 s, 20 s ... 300 s (NewItemExponentialFailureRateLimiter). */
class RetryQueue {
  private readonly queue: WorkQueue;
  private readonly failures = new Map<string, number>();
  private synced = false;
  private readonly early = new Set<string>();

  constructor(ctx: CloudControllerContext, label: string, sync: (key: string) => boolean) {
    this.queue = new WorkQueue(ctx.kernel, label, (key): SyncResult => {
      if (sync(key)) this.failures.delete(key);
      else {
        const n = this.failures.get(key) ?? 0;
        this.failures.set(key, n + 1);
        this.queue.addAfter(key, Math.min(MIN_RETRY_DELAY_MS * 2 ** n, MAX_RETRY_DELAY_MS));
      }
      return 'done';
    });
  }

  add(key: string): void {
    if (this.synced) this.queue.add(key);
    else this.early.add(key);
  }

  /** The workers start: keys that came while the caches synced are taken first. */
  start(): void {
    this.synced = true;
    for (const k of this.early) this.queue.add(k);
    this.early.clear();
  }

  shutDown(): void {
    this.queue.shutDown();
  }
}

export class ServiceController implements Controller {
  readonly name = SERVICE_CONTROLLER;
  private readonly services: SharedInformer;
  private readonly nodes: SharedInformer;
  private readonly recorder: EventRecorder;
  private readonly serviceQueue: RetryQueue;
  private readonly nodeQueue: RetryQueue;
  /** serviceCache: the last state of every Service this controller processed, by key. */
  private readonly cache = new Map<string, Service>();
  /** lastSyncedNodes: the node set each load balancer was last given. */
  private readonly lastSyncedNodes = new Map<string, Node[]>();
  private startTimer?: Timer;

  constructor(private readonly ctx: CloudControllerContext) {
    this.recorder = ctx.recorder(SERVICE_CONTROLLER);
    this.services = ctx.informers.for('Service');
    this.nodes = ctx.informers.for('Node');
    this.serviceQueue = new RetryQueue(ctx, `${SERVICE_CONTROLLER}.service`, (key) => this.syncService(key));
    this.nodeQueue = new RetryQueue(ctx, `${SERVICE_CONTROLLER}.node`, () => {
      // processNextNodeItem: every load balancer that failed goes to the service queue.
      for (const key of this.syncNodes()) this.serviceQueue.add(key);
      return true;
    });
    this.services.on({
      // Checking cleanup on add remedies a controller that stopped before it handled a change.
      add: (s) => (wantsLoadBalancer(s as Service) || needsCleanup(s as Service)) && this.serviceQueue.add(keyOf(s)),
      update: (s, old) => (needsUpdate(old as Service, s as Service) || needsCleanup(s as Service)) && this.serviceQueue.add(keyOf(s)),
      // A deletion is handled on the update that set deletionTimestamp (the finalizer holds the Service).
    });
    this.nodes.on({
      add: (n) => this.nodeQueue.add(keyOf(n)),
      update: (n, old) => shouldSyncUpdatedNode(old as Node, n as Node) && this.nodeQueue.add(keyOf(n)),
      delete: (n) => this.nodeQueue.add(keyOf(n)),
    });
    this.startTimer = ctx.kernel.after(CACHE_SYNC_POLL_MS, `${SERVICE_CONTROLLER}.start`, () => {
      this.startTimer = undefined;
      this.serviceQueue.start();
      this.nodeQueue.start();
    });
  }

  stop(): void {
    this.ctx.kernel.cancel(this.startTimer);
    this.serviceQueue.shutDown();
    this.nodeQueue.shutDown();
  }

  // ---- services --------------------------------------------------------------

  /** syncService: true when done, false to retry with backoff. */
  private syncService(key: string): boolean {
    const svc = this.services.get(key) as Service | undefined;
    const r = svc ? this.processServiceCreateOrUpdate(svc, key) : this.processServiceDeletion(key);
    return r.ok;
  }

  private processServiceCreateOrUpdate(svc: Service, key: string): Result {
    const cached = this.cache.get(key);
    // Deleted and created again without a finalizer: the old one's load balancer goes first.
    if (cached && cached.metadata?.uid !== svc.metadata?.uid) {
      const r = this.processLoadBalancerDelete(cached);
      if (!r.ok) return r;
    }
    this.cache.set(key, svc);
    const { op, result } = this.syncLoadBalancerIfNeeded(svc, key);
    if (!result.ok) {
      this.event(svc, 'Warning', 'SyncLoadBalancerFailed', `Error syncing load balancer: ${result.error}`);
      return result;
    }
    if (op === 'delete') this.cache.delete(key);
    return OK;
  }

  private syncLoadBalancerIfNeeded(svc: Service, key: string): { op: LoadBalancerOperation; result: Result } {
    const previous = svc.status?.loadBalancer as LoadBalancerStatus | undefined;
    const op: LoadBalancerOperation = !wantsLoadBalancer(svc) || needsCleanup(svc) ? 'delete' : 'ensure';
    const done = (result: Result) => ({ op, result });
    let next: LoadBalancerStatus = {};
    if (op === 'delete') {
      const got = this.ctx.cloud.getLoadBalancer(svc);
      if (!got.ok) return done(failed(`failed to check if load balancer exists before cleanup: ${got.error}`));
      if (got.value.exists) {
        this.event(svc, 'Normal', 'DeletingLoadBalancer', 'Deleting load balancer');
        const del = this.ctx.cloud.ensureLoadBalancerDeleted(svc);
        if (!del.ok) return done(failed(`failed to delete load balancer: ${del.error}`));
      }
      // Always: the Service can only go once its load balancer did.
      const fin = this.removeFinalizer(svc);
      if (!fin.ok) return done(failed(`failed to remove load balancer cleanup finalizer: ${fin.error}`));
      this.event(svc, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer');
      this.lastSyncedNodes.delete(key);
    } else {
      this.event(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer');
      // Before the load balancer exists: the Service cannot go without its cleanup.
      const fin = this.addFinalizer(svc);
      if (!fin.ok) return done(failed(`failed to add load balancer cleanup finalizer: ${fin.error}`));
      const status = this.ensureLoadBalancer(svc, key);
      if (!status.ok) return done(failed(`failed to ensure load balancer: ${status.error}`));
      next = status.value;
      this.event(svc, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer');
    }
    const patched = this.patchStatus(svc, previous, next);
    // Not found: the Service went away right after its finalizer did.
    if (!patched.ok && patched.code !== 404) return done(failed(`failed to update load balancer status: ${patched.error}`));
    return done(OK);
  }

  private ensureLoadBalancer(svc: Service, key: string): { ok: true; value: LoadBalancerStatus } | { ok: false; error: string } {
    const nodes = this.stableNodes();
    if (nodes.length === 0) this.event(svc, 'Warning', 'UnAvailableLoadBalancer', 'There are no available nodes for LoadBalancer');
    this.lastSyncedNodes.set(key, nodes);
    return this.ctx.cloud.ensureLoadBalancer(svc, nodes);
  }

  private processServiceDeletion(key: string): Result {
    const cached = this.cache.get(key);
    // Nothing cached: no load balancer was made for it, or it is gone already.
    if (!cached) return OK;
    const r = this.processLoadBalancerDelete(cached);
    if (!r.ok) return r;
    this.cache.delete(key);
    this.lastSyncedNodes.delete(key);
    return OK;
  }

  private processLoadBalancerDelete(svc: Service): Result {
    if (!wantsLoadBalancer(svc)) return OK;
    this.event(svc, 'Normal', 'DeletingLoadBalancer', 'Deleting load balancer');
    const r = this.ctx.cloud.ensureLoadBalancerDeleted(svc);
    if (!r.ok) {
      this.event(svc, 'Warning', 'DeleteLoadBalancerFailed', `Error deleting load balancer: ${r.error}`);
      return failed(r.error);
    }
    this.event(svc, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer');
    return OK;
  }

  private addFinalizer(svc: Service): Result {
    if (hasLBFinalizer(svc)) return OK;
    const finalizers = [...(svc.metadata?.finalizers ?? []), LOAD_BALANCER_CLEANUP_FINALIZER];
    const r = this.ctx.client.patch('Service', svc.metadata?.namespace, svc.metadata!.name!, { metadata: { finalizers } });
    return r.ok ? OK : failed(r.status.message);
  }

  private removeFinalizer(svc: Service): Result {
    if (!hasLBFinalizer(svc)) return OK;
    const rest = (svc.metadata?.finalizers ?? []).filter((f) => f !== LOAD_BALANCER_CLEANUP_FINALIZER);
    const r = this.ctx.client.patch('Service', svc.metadata?.namespace, svc.metadata!.name!, { metadata: { finalizers: rest.length ? rest : null } });
    return r.ok ? OK : failed(r.status.message);
  }

  /** patchStatus: only when the load balancer status changed. */
  private patchStatus(svc: Service, previous: LoadBalancerStatus | undefined, next: LoadBalancerStatus): { ok: true } | { ok: false; error: string; code: number } {
    if (loadBalancerStatusEqual(previous, next)) return { ok: true };
    const loadBalancer = next.ingress?.length ? { ingress: next.ingress } : { ingress: null };
    const r = this.ctx.client.patch('Service', svc.metadata?.namespace, svc.metadata!.name!, { status: { loadBalancer } }, { subresource: 'status' });
    return r.ok ? { ok: true } : { ok: false, error: r.status.message, code: r.status.code };
  }

  // ---- nodes -------------------------------------------------------------------

  /** The Nodes a load balancer should send to, in the informer's order. */
  private stableNodes(): Node[] {
    return (this.nodes.list() as Node[]).filter(inStableNodeSet);
  }

  /** syncNodes: every cached Service's backends; returns the keys that failed. */
  private syncNodes(): string[] {
    const retry: string[] = [];
    for (const [key, svc] of this.cache) if (this.nodeSyncService(svc, key)) retry.push(key);
    return retry;
  }

  /** nodeSyncService: true when the update failed and the Service should be retried. */
  private nodeSyncService(svc: Service, key: string): boolean {
    if (!wantsLoadBalancer(svc)) return false;
    const next = this.stableNodes();
    const old = (this.lastSyncedNodes.get(key) ?? []).filter(inStableNodeSet);
    // Stored before the update is tried: a failure goes to the service queue, which syncs with the current set anyway.
    this.lastSyncedNodes.set(key, next);
    if (nodesSufficientlyEqual(old, next)) return false;
    return !this.updateLoadBalancerHosts(svc, next);
  }

  /** lockedUpdateLoadBalancerHosts: true on success (or when the load balancer is gone anyway). */
  private updateLoadBalancerHosts(svc: Service, hosts: Node[]): boolean {
    const r = this.ctx.cloud.updateLoadBalancer(svc, hosts);
    if (r.ok) {
      if (hosts.length === 0) this.event(svc, 'Warning', 'UnAvailableLoadBalancer', 'There are no available nodes for LoadBalancer');
      else this.event(svc, 'Normal', 'UpdatedLoadBalancer', 'Updated load balancer with new hosts');
      return true;
    }
    // It is only an error if the load balancer still exists.
    const got = this.ctx.cloud.getLoadBalancer(svc);
    if (got.ok && !got.value.exists) return true;
    this.event(
      svc,
      'Warning',
      'UpdateLoadBalancerFailed',
      `Error updating load balancer with new hosts ${loggableNodeNames(hosts)} [node names limited, total number of nodes: ${hosts.length}], error: ${r.error}`,
    );
    return false;
  }

  private event(svc: Service, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.recorder.event(svc as unknown as KubeObject, type, reason, message);
  }
}

export const newServiceController = (ctx: CloudControllerContext): Controller => new ServiceController(ctx);

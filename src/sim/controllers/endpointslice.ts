// kube-controller-manager's endpointslice-controller
// (pkg/controller/endpointslice/endpointslice_controller.go, with the
// reconciler of staging/src/k8s.io/endpointslice): for every Service with a
// selector (not ExternalName), EndpointSlices listing the selected pods that
// have an IP, labelled kubernetes.io/service-name and
// endpointslice.kubernetes.io/managed-by, owned by the Service. A pod event
// syncs only the Services that select it; a change to a slice made by
// someone else brings the Service back after 1 s
// (endpointSliceChangeMinSyncDelay). The slice tracker notices when the
// informer has not yet seen our own writes, so a sync never acts on a stale
// cache (no duplicate slices). Topology hints and trafficDistribution are
// not simulated.
import type { Node, Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { KubeObject } from '../api/types';
import { selectorFromSet } from '../api/selector';
import type { EventRecorder } from '../client/event-recorder';
import { timestamp } from '../kernel/time';
import type { Controller, ControllerContext, ControllerFactory } from './controller';
import { reconcile, MAX_ENDPOINTS_PER_SLICE } from './endpointslice-reconciler';
import {
  CONTROLLER_NAME,
  LABEL_MANAGED_BY,
  LABEL_SERVICE_NAME,
  LAST_CHANGE_TRIGGER_TIME,
  podEndpointsChanged,
  TriggerTimeTracker,
} from './endpointslice-util';
import { byNamespace, keyOf, type SharedInformer } from './shared-informers';
import { WorkQueue, type SyncResult } from './work-queue';

export const ENDPOINTSLICE_CONTROLLER = 'endpointslice-controller';
/** maxRetries: a Service whose sync keeps failing is dropped after this many retries (until its next event). */
const MAX_RETRIES = 15;
/** endpointSliceChangeMinSyncDelay. */
const SLICE_CHANGE_MIN_SYNC_DELAY_MS = 1000;
const BY_NAMESPACE = 'byNamespace';
const BY_SERVICE = 'endpointslice.byService';

const serviceKeyOfSlice = (s: KubeObject): string | undefined => {
  const name = s.metadata.labels?.[LABEL_SERVICE_NAME];
  return name ? `${s.metadata.namespace}/${name}` : undefined;
};
// Stored objects are immutable: a Service's selector compiles once.
const selectors = new WeakMap<object, (labels?: Readonly<Record<string, string>> | null) => boolean>();
function serviceSelector(sel: Record<string, string>): (labels?: Readonly<Record<string, string>> | null) => boolean {
  let m = selectors.get(sel);
  if (!m) selectors.set(sel, (m = selectorFromSet(sel).matches));
  return m;
}

const managedByUs = (s: KubeObject) => s.metadata.labels?.[LABEL_MANAGED_BY] === CONTROLLER_NAME;
const rvOf = (o: KubeObject) => Number(o.metadata.resourceVersion ?? 0);

/** DELETION_EXPECTED: the tracker's mark for a slice this controller deleted. */
const DELETION_EXPECTED = -1;

/**
 * EndpointSliceTracker, on resourceVersions (our apiserver does not bump
 * EndpointSlice generations): the version of each slice this controller
 * last wrote, per Service.
 */
class SliceTracker {
  private readonly byService = new Map<string, Map<string, number>>();

  private slicesOf(key: string): Map<string, number> {
    let m = this.byService.get(key);
    if (!m) this.byService.set(key, (m = new Map()));
    return m;
  }

  update(key: string, slice: KubeObject): void {
    this.slicesOf(key).set(slice.metadata.uid!, rvOf(slice));
  }

  expectDeletion(key: string, slice: KubeObject): void {
    this.slicesOf(key).set(slice.metadata.uid!, DELETION_EXPECTED);
  }

  has(key: string, slice: KubeObject): boolean {
    return this.byService.get(key)?.has(slice.metadata.uid!) ?? false;
  }

  /** ShouldSync: a slice we do not know, or one someone changed after us. */
  shouldSync(key: string, slice: KubeObject): boolean {
    const v = this.byService.get(key)?.get(slice.metadata.uid!);
    return v === undefined || rvOf(slice) > v;
  }

  /** StaleSlices: the cache still lacks a write of ours, or still shows a slice we deleted. */
  stale(key: string, cached: readonly KubeObject[]): boolean {
    const m = this.byService.get(key);
    if (!m) return false;
    const seen = new Set<string>();
    for (const s of cached) {
      seen.add(s.metadata.uid!);
      const v = m.get(s.metadata.uid!);
      if (v !== undefined && (v === DELETION_EXPECTED || v > rvOf(s))) return true;
    }
    for (const [uid, v] of m) if (v !== DELETION_EXPECTED && !seen.has(uid)) return true;
    return false;
  }

  /** HandleDeletion: true when the deletion was ours (nothing to resync). */
  handleDeletion(key: string, slice: KubeObject): boolean {
    const m = this.byService.get(key);
    if (!m) return true;
    const v = m.get(slice.metadata.uid!);
    m.delete(slice.metadata.uid!);
    return v === undefined || v === DELETION_EXPECTED;
  }

  deleteService(key: string): void {
    this.byService.delete(key);
  }
}

class EndpointSliceController implements Controller {
  readonly name = ENDPOINTSLICE_CONTROLLER;
  private readonly queue: WorkQueue;
  private readonly services: SharedInformer;
  private readonly pods: SharedInformer;
  private readonly slices: SharedInformer;
  private readonly nodes: SharedInformer;
  private readonly tracker = new SliceTracker();
  private readonly triggerTimes = new TriggerTimeTracker();
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.recorder = ctx.recorder(ENDPOINTSLICE_CONTROLLER);
    this.queue = new WorkQueue(ctx.kernel, ENDPOINTSLICE_CONTROLLER, (key) => this.sync(key));
    this.services = ctx.informers.for('Service');
    this.pods = ctx.informers.for('Pod');
    this.slices = ctx.informers.for('EndpointSlice');
    this.nodes = ctx.informers.for('Node');
    this.services.addIndex(BY_NAMESPACE, byNamespace);
    this.pods.addIndex(BY_NAMESPACE, byNamespace);
    this.slices.addIndex(BY_SERVICE, (s) => {
      const k = managedByUs(s) ? serviceKeyOfSlice(s) : undefined;
      return k ? [k] : [];
    });
    const onService = (s: KubeObject) => this.queue.add(keyOf(s));
    this.services.on({ add: onService, update: onService, delete: onService });
    this.pods.on({
      add: (p) => this.queueServicesOf(p as Pod),
      update: (p, old) => this.podUpdated(p as Pod, old as Pod),
      delete: (p) => this.queueServicesOf(p as Pod),
    });
    this.slices.on({ add: (s) => this.sliceAdded(s), update: (s, old) => this.sliceUpdated(s, old), delete: (s) => this.sliceDeleted(s) });
  }

  stop(): void {
    this.queue.shutDown();
  }

  // ---- event handlers ---------------------------------------------------------

  /** GetPodServiceMemberships: Services of the pod's namespace whose selector (if any) matches it. */
  private memberships(pod: Pod): Set<string> {
    const out = new Set<string>();
    for (const o of this.services.byIndex(BY_NAMESPACE, pod.metadata?.namespace ?? '')) {
      const sel = (o as Service).spec?.selector;
      // A nil selector selects nothing (the Service's slices are someone else's).
      if (sel == null) continue;
      if (serviceSelector(sel)(pod.metadata?.labels)) out.add(keyOf(o));
    }
    return out;
  }

  private queueServicesOf(pod: Pod): void {
    for (const key of this.memberships(pod)) this.queue.add(key);
  }

  /** GetServicesToUpdateOnPodChange. */
  private podUpdated(cur: Pod, old: Pod): void {
    if (cur.metadata?.resourceVersion === old.metadata?.resourceVersion) return;
    const { podChanged, labelsChanged } = podEndpointsChanged(old, cur);
    if (!podChanged && !labelsChanged) return;
    let services = this.memberships(cur);
    if (labelsChanged) {
      const before = this.memberships(old);
      // Only the pod's membership moved: the Services it joined or left; otherwise all of both.
      if (podChanged) services = new Set([...services, ...before]);
      else services = new Set([...[...services].filter((k) => !before.has(k)), ...[...before].filter((k) => !services.has(k))]);
    }
    for (const key of services) this.queue.add(key);
  }

  private queueServiceForSlice(s: KubeObject): void {
    const key = serviceKeyOfSlice(s);
    if (key) this.queue.addAfter(key, SLICE_CHANGE_MIN_SYNC_DELAY_MS);
  }

  private sliceAdded(s: KubeObject): void {
    const key = serviceKeyOfSlice(s);
    if (key && managedByUs(s) && this.tracker.shouldSync(key, s)) this.queueServiceForSlice(s);
  }

  private sliceUpdated(s: KubeObject, old: KubeObject): void {
    if (serviceKeyOfSlice(s) !== serviceKeyOfSlice(old)) {
      this.queueServiceForSlice(s);
      this.queueServiceForSlice(old);
      return;
    }
    const key = serviceKeyOfSlice(s);
    if (!key) return;
    if (managedByUs(s) !== managedByUs(old) || (managedByUs(s) && this.tracker.shouldSync(key, s))) this.queueServiceForSlice(s);
  }

  private sliceDeleted(s: KubeObject): void {
    const key = serviceKeyOfSlice(s);
    if (!key || !managedByUs(s) || !this.tracker.has(key, s)) return;
    // Someone else deleted a slice of ours: put it back.
    if (!this.tracker.handleDeletion(key, s)) this.queueServiceForSlice(s);
  }

  // ---- sync -------------------------------------------------------------------------

  private sync(key: string): SyncResult {
    const ok = this.syncService(key);
    if (ok) return 'done';
    // handleErr: retry with the queue's backoff, then give up until the Service's next event.
    return this.queue.numRequeues(key) < MAX_RETRIES ? 'retry' : 'done';
  }

  private syncService(key: string): boolean {
    const svc = this.services.get(key) as Service | undefined;
    if (!svc) {
      // Deleted: its slices go with it through the garbage collector (owner references).
      this.triggerTimes.delete(key);
      this.tracker.deleteService(key);
      return true;
    }
    if (svc.spec?.type === 'ExternalName') return true;
    // No selector: the Service's slices are written by someone else (or by hand).
    const selector = svc.spec?.selector;
    if (selector == null) return true;
    const ns = svc.metadata!.namespace!;
    const matches = serviceSelector(selector);
    const pods = (this.pods.byIndex(BY_NAMESPACE, ns) as Pod[]).filter((p) => matches(p.metadata?.labels)).sort(byName);
    const slices = this.slices.byIndex(BY_SERVICE, key).filter((s) => !s.metadata.deletionTimestamp) as KubeObject[];
    if (this.tracker.stale(key, slices)) return false;
    const trigger = this.triggerTimes.compute(key, svc, pods);
    const plan = reconcile({
      service: svc,
      pods,
      existing: (slices as unknown as EndpointSlice[]).sort(byName),
      node: (name) => this.nodes.get(name) as Node | undefined,
      maxEndpointsPerSlice: MAX_ENDPOINTS_PER_SLICE,
    });
    const errors = [...plan.errors, ...this.apply(key, svc, plan, trigger)];
    if (!errors.length) return true;
    const message = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
    this.recorder.event(svc as KubeObject, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${ns}/${svc.metadata!.name}: ${message}`);
    return false;
  }

  /** finalize's writes: creates (not for a Service being deleted), updates, deletes; the first failure stops them. */
  private apply(key: string, svc: Service, plan: ReturnType<typeof reconcile>, trigger: number | undefined): string[] {
    const client = this.ctx.client;
    const ns = svc.metadata!.namespace!;
    const name = svc.metadata!.name!;
    const annotate = (s: EndpointSlice): KubeObject => {
      const annotations = { ...s.metadata?.annotations };
      if (trigger !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME] = timestamp(trigger);
      else delete annotations[LAST_CHANGE_TRIGGER_TIME];
      const { annotations: _old, ...meta } = s.metadata ?? {};
      return { ...(s as unknown as KubeObject), metadata: Object.keys(annotations).length ? { ...meta, annotations } : meta };
    };
    if (!svc.metadata?.deletionTimestamp) {
      for (const s of plan.create) {
        const r = client.create(annotate(s));
        if (!r.ok) return [`failed to create EndpointSlice for Service ${ns}/${name}: ${r.status.message}`];
        this.tracker.update(key, r.object);
      }
    }
    for (const s of plan.update) {
      const r = client.update(annotate(s));
      if (!r.ok) return [`failed to update ${s.metadata?.name} EndpointSlice for Service ${ns}/${name}: ${r.status.message}`];
      this.tracker.update(key, r.object);
    }
    for (const s of plan.delete) {
      const r = client.delete('EndpointSlice', ns, s.metadata!.name!);
      if (!r.ok) return [`failed to delete ${s.metadata?.name} EndpointSlice for Service ${ns}/${name}: ${r.status.message}`];
      this.tracker.expectDeletion(key, s as unknown as KubeObject);
    }
    return [];
  }
}

const byName = (a: { metadata?: { name?: string } }, b: { metadata?: { name?: string } }) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1);

export const newEndpointSliceController: ControllerFactory = (ctx) => new EndpointSliceController(ctx);

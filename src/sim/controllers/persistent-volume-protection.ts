// kube-controller-manager's pvc-protection and pv-protection controllers,
// after upstream pkg/controller/volume/pvcprotection and pvprotection: a
// claim being deleted keeps its kubernetes.io/pvc-protection finalizer (and
// shows Terminating) while a scheduled pod still refers to it; a volume
// being deleted keeps kubernetes.io/pv-protection while it is Bound. The
// finalizers are added on create (StorageObjectInUseProtection admission,
// api/strategy.ts).
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import { pvcKey } from '../api/persistent-volume-helpers';
import { PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER } from '../api/strategy';
import type { KubeObject } from '../api/types';
import type { Controller, ControllerContext, ControllerFactory } from './controller';
import { POD_PVC_INDEX, podPVCIndex } from './persistent-volume-controller';
import { keyOf, type SharedInformer } from './shared-informers';
import { WorkQueue, type SyncResult } from './work-queue';

export const PVC_PROTECTION_CONTROLLER = 'pvc-protection-controller';
export const PV_PROTECTION_CONTROLLER = 'pv-protection-controller';

const beingDeletedWith = (o: KubeObject | undefined, finalizer: string) => !!o?.metadata.deletionTimestamp && (o.metadata.finalizers ?? []).includes(finalizer);

/** The object without the finalizer, written through an update guarded by its resourceVersion. */
function dropFinalizer(ctx: ControllerContext, o: KubeObject, finalizer: string): SyncResult {
  const finalizers = (o.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  const r = ctx.client.update({ ...o, metadata: { ...o.metadata, finalizers } });
  return r.ok || r.status.reason === 'NotFound' ? 'done' : 'retry';
}

export class PVCProtectionController implements Controller {
  readonly name = PVC_PROTECTION_CONTROLLER;
  private readonly queue: WorkQueue;
  private readonly claims: SharedInformer;
  private readonly pods: SharedInformer;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue(ctx.kernel, this.name, (key) => this.sync(key));
    this.claims = ctx.informers.for('PersistentVolumeClaim');
    this.pods = ctx.informers.for('Pod');
    this.pods.addIndex(POD_PVC_INDEX, podPVCIndex);
    const claimEvent = (o: KubeObject) => beingDeletedWith(o, PVC_PROTECTION_FINALIZER) && this.queue.add(keyOf(o));
    this.claims.on({ add: claimEvent, update: claimEvent });
    // A pod going away (or finishing) may free the claims it used.
    const podEvent = (o: KubeObject) => {
      for (const key of podPVCIndex(o)) if (beingDeletedWith(this.claims.get(key), PVC_PROTECTION_FINALIZER)) this.queue.add(key);
    };
    this.pods.on({ add: podEvent, update: podEvent, delete: podEvent });
  }

  stop(): void {
    this.queue.shutDown();
  }

  /** podUsesPVC: only scheduled pods count, since a kubelet never starts a pod whose claim is being deleted. */
  private inUse(pvc: PersistentVolumeClaim): boolean {
    const pods = this.pods.byIndex(POD_PVC_INDEX, pvcKey(pvc.metadata?.namespace, pvc.metadata!.name!)) as Pod[];
    return pods.some((p) => !!p.spec?.nodeName);
  }

  private sync(key: string): SyncResult {
    const pvc = this.claims.get(key) as PersistentVolumeClaim | undefined;
    if (!pvc || !beingDeletedWith(pvc as KubeObject, PVC_PROTECTION_FINALIZER) || this.inUse(pvc)) return 'done';
    return dropFinalizer(this.ctx, pvc as KubeObject, PVC_PROTECTION_FINALIZER);
  }
}

export class PVProtectionController implements Controller {
  readonly name = PV_PROTECTION_CONTROLLER;
  private readonly queue: WorkQueue;
  private readonly volumes: SharedInformer;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue(ctx.kernel, this.name, (key) => this.sync(key));
    this.volumes = ctx.informers.for('PersistentVolume');
    const event = (o: KubeObject) => beingDeletedWith(o, PV_PROTECTION_FINALIZER) && this.queue.add(keyOf(o));
    this.volumes.on({ add: event, update: event });
  }

  stop(): void {
    this.queue.shutDown();
  }

  private sync(name: string): SyncResult {
    const pv = this.volumes.get(name) as PersistentVolume | undefined;
    // isVolumeUsed: a Bound volume is in use.
    if (!pv || !beingDeletedWith(pv as KubeObject, PV_PROTECTION_FINALIZER) || pv.status?.phase === 'Bound') return 'done';
    return dropFinalizer(this.ctx, pv as KubeObject, PV_PROTECTION_FINALIZER);
  }
}

export const newPVCProtectionController: ControllerFactory = (ctx) => new PVCProtectionController(ctx);
export const newPVProtectionController: ControllerFactory = (ctx) => new PVProtectionController(ctx);

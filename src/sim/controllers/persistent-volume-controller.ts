// kube-controller-manager's persistentvolume-binder controller, after
// upstream pkg/controller/volume/persistentvolume/pv_controller_base.go: a
// claim queue and a volume queue fed by the informers, the controller's own
// caches of both (persistent-volume-writes.ts), and a resync of every claim
// and volume each 15 s (--pvclaimbinder-sync-period), which is what retries
// a failed step. The decisions are persistent-volume-sync.ts's.
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { claimRequest, podClaimNames, pvcKey, volumeCapacity } from '../api/persistent-volume-helpers';
import type { KubeObject } from '../api/types';
import type { Timer } from '../kernel/kernel';
import type { Controller, ControllerContext, ControllerFactory } from './controller';
import { PVSync } from './persistent-volume-sync';
import { ObjectCache, PVControllerError, PVWrites } from './persistent-volume-writes';
import { keyOf, type SharedInformer } from './shared-informers';
import { WorkQueue, type SyncResult } from './work-queue';

export const PV_CONTROLLER = 'persistentvolume-controller';
/** --pvclaimbinder-sync-period. */
export const PV_RESYNC_MS = 15_000;

/** Pods by the claims they use (namespace/claim), as upstream's common.PodPVCIndex. */
export const POD_PVC_INDEX = 'pod-pvc-index';
export const podPVCIndex = (o: KubeObject): readonly string[] => {
  const pod = o as Pod;
  if (!pod.spec?.volumes?.length) return [];
  return podClaimNames(pod).map((n) => pvcKey(pod.metadata?.namespace, n));
};

export class PersistentVolumeController implements Controller {
  readonly name = PV_CONTROLLER;
  readonly claimQueue: WorkQueue;
  readonly volumeQueue: WorkQueue;
  private readonly claimInformer: SharedInformer;
  private readonly volumeInformer: SharedInformer;
  private readonly classes: SharedInformer;
  private readonly pods: SharedInformer;
  private readonly claims = new ObjectCache<PersistentVolumeClaim>();
  private readonly volumes = new ObjectCache<PersistentVolume>();
  private readonly logic: PVSync;
  private resyncTimer?: Timer;
  private stopped = false;

  constructor(private readonly ctx: ControllerContext) {
    const { kernel, informers } = ctx;
    this.claimQueue = new WorkQueue(kernel, `${this.name}.claims`, (key) => this.syncClaimKey(key));
    this.volumeQueue = new WorkQueue(kernel, `${this.name}.volumes`, (key) => this.syncVolumeKey(key));
    this.claimInformer = informers.for('PersistentVolumeClaim');
    this.volumeInformer = informers.for('PersistentVolume');
    this.classes = informers.for('StorageClass');
    this.pods = informers.for('Pod');
    this.pods.addIndex(POD_PVC_INDEX, podPVCIndex);
    const writes = new PVWrites({ client: ctx.client, recorder: ctx.recorder(this.name), now: () => kernel.now, claims: this.claims, volumes: this.volumes });
    this.logic = new PVSync(
      {
        writes,
        claims: this.claims,
        volumes: this.volumes,
        storageClass: (name) => this.classes.get(name) as StorageClass | undefined,
        storageClasses: () => this.classes.list() as unknown as StorageClass[],
        podsUsingClaim: (key) => this.pods.byIndex(POD_PVC_INDEX, key) as Pod[],
        enqueueClaim: (key) => this.claimQueue.add(key),
      },
      { claim: claimRequest, volume: volumeCapacity },
    );
    this.claimInformer.on({
      add: (o) => this.claimChanged(o as PersistentVolumeClaim),
      update: (o) => this.claimChanged(o as PersistentVolumeClaim),
      delete: (o) => this.claimDeleted(o as PersistentVolumeClaim),
    });
    this.volumeInformer.on({
      add: (o) => this.volumeChanged(o as PersistentVolume),
      update: (o) => this.volumeChanged(o as PersistentVolume),
      delete: (o) => this.volumeDeleted(o as PersistentVolume),
    });
    this.scheduleResync();
  }

  stop(): void {
    this.stopped = true;
    this.claimQueue.shutDown();
    this.volumeQueue.shutDown();
    this.ctx.kernel.cancel(this.resyncTimer);
  }

  private claimChanged(pvc: PersistentVolumeClaim): void {
    this.claims.store(pvc);
    this.claimQueue.add(keyOf(pvc as KubeObject));
  }

  /** deleteClaim: the volume it was bound to is looked at (it is now Released). */
  private claimDeleted(pvc: PersistentVolumeClaim): void {
    this.claims.delete(keyOf(pvc as KubeObject));
    if (pvc.spec?.volumeName) this.volumeQueue.add(pvc.spec.volumeName);
  }

  private volumeChanged(pv: PersistentVolume): void {
    this.volumes.store(pv);
    this.volumeQueue.add(pv.metadata!.name!);
  }

  /** deleteVolume: its claim is looked at (it is now Lost). */
  private volumeDeleted(pv: PersistentVolume): void {
    this.volumes.delete(pv.metadata!.name!);
    const ref = pv.spec?.claimRef;
    if (ref?.name) this.claimQueue.add(pvcKey(ref.namespace, ref.name));
  }

  /** resync: every claim and volume into its queue. */
  private scheduleResync(): void {
    this.resyncTimer = this.ctx.kernel.after(PV_RESYNC_MS, `${this.name}.resync`, () => {
      if (this.stopped) return;
      for (const pvc of this.claims.list()) this.claimQueue.add(keyOf(pvc as KubeObject));
      for (const pv of this.volumes.list()) this.volumeQueue.add(pv.metadata!.name!);
      this.scheduleResync();
    });
  }

  private run(step: () => void): SyncResult {
    try {
      step();
    } catch (e) {
      // Nothing was saved: the next sync (an event, or the resync) tries again, as upstream does.
      if (!(e instanceof PVControllerError)) throw e;
    }
    return 'done';
  }

  private syncClaimKey(key: string): SyncResult {
    const pvc = this.claims.get(key);
    return pvc ? this.run(() => this.logic.syncClaim(pvc)) : 'done';
  }

  private syncVolumeKey(name: string): SyncResult {
    const pv = this.volumes.get(name);
    return pv ? this.run(() => this.logic.syncVolume(pv)) : 'done';
  }
}

export const newPersistentVolumeController: ControllerFactory = (ctx) => new PersistentVolumeController(ctx);

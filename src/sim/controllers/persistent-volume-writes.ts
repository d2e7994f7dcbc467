// The PV controller's writes, after the helpers of upstream
// pkg/controller/volume/persistentvolume/pv_controller.go: claim status and
// volume phase updates (only when they change), the two halves of a binding
// (the PV's claimRef first, then the claim's volumeName with the
// bind-completed and bound-by-controller annotations), and undoing a
// binding. Each successful write is kept in the controller's own cache, as
// upstream's storeVolumeUpdate / storeClaimUpdate, so a sync that runs
// before the watch catches up does not act on what it already changed.
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../api/types';
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, bindVolumeToClaim } from '../api/persistent-volume-helpers';
import type { ApiClient } from '../apiserver/apiserver';
import type { EventRecorder, EventType } from '../client/event-recorder';
import { timestamp } from '../kernel/time';
import { semanticEqual } from '../api/validation/equal';

/** A write the apiserver refused: the sync stops, and the next sync (or the 15 s resync) tries again. */
export class PVControllerError extends Error {}

const rvOf = (o: { metadata?: { resourceVersion?: string } } | undefined) => Number(o?.metadata?.resourceVersion ?? 0);

/** The controller's copy of every claim and volume: informer events and its own writes, the newer winning. */
export class ObjectCache<T extends { metadata?: { name?: string; namespace?: string; resourceVersion?: string } }> {
  private readonly items = new Map<string, T>();

  static keyOf(o: { metadata?: { name?: string; namespace?: string } }): string {
    return o.metadata?.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata!.name!;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  /** storeObjectUpdate: an older version than the one held is ignored. */
  store(obj: T): T {
    const key = ObjectCache.keyOf(obj);
    const cur = this.items.get(key);
    if (cur && rvOf(cur) > rvOf(obj)) return cur;
    this.items.set(key, obj);
    return obj;
  }

  delete(key: string): void {
    this.items.delete(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }
}

export interface WriteDeps {
  client: ApiClient;
  recorder: EventRecorder;
  now(): number;
  claims: ObjectCache<PersistentVolumeClaim>;
  volumes: ObjectCache<PersistentVolume>;
}

export class PVWrites {
  constructor(private readonly d: WriteDeps) {}

  event(obj: PersistentVolume | PersistentVolumeClaim, type: EventType, reason: string, message: string): void {
    this.d.recorder.event(obj as KubeObject, type, reason, message);
  }

  private updateClaim(pvc: PersistentVolumeClaim, status: boolean): PersistentVolumeClaim {
    const r = status ? this.d.client.updateStatus(pvc as KubeObject) : this.d.client.update(pvc as KubeObject);
    if (!r.ok) throw new PVControllerError(r.status.message);
    return this.d.claims.store(r.object as PersistentVolumeClaim);
  }

  private updateVolume(pv: PersistentVolume, status: boolean): PersistentVolume {
    const r = status ? this.d.client.updateStatus(pv as KubeObject) : this.d.client.update(pv as KubeObject);
    if (!r.ok) throw new PVControllerError(r.status.message);
    return this.d.volumes.store(r.object as PersistentVolume);
  }

  /** Spec or metadata changes of a claim (annotations, storageClassName, volumeName). */
  saveClaim(pvc: PersistentVolumeClaim): PersistentVolumeClaim {
    return this.updateClaim(pvc, false);
  }

  saveVolume(pv: PersistentVolume): PersistentVolume {
    return this.updateVolume(pv, false);
  }

  /** updateClaimStatus: the phase, and the volume's access modes and (when it becomes Bound) capacity. */
  updateClaimStatus(pvc: PersistentVolumeClaim, phase: string, pv: PersistentVolume | undefined): PersistentVolumeClaim {
    const cur = pvc.status ?? {};
    const next: NonNullable<PersistentVolumeClaim['status']> = { ...cur, phase };
    if (!pv) {
      delete next.accessModes;
      delete next.capacity;
    } else {
      next.accessModes = pv.spec?.accessModes;
      if (cur.phase !== phase && !semanticEqual(cur.capacity?.storage, pv.spec?.capacity?.storage)) next.capacity = pv.spec?.capacity;
    }
    if (semanticEqual(next, cur)) return pvc;
    return this.updateClaim({ ...pvc, status: next }, true);
  }

  /** updateClaimStatusWithEvent: the event only when the phase actually changes. */
  updateClaimStatusWithEvent(pvc: PersistentVolumeClaim, phase: string, pv: PersistentVolume | undefined, type: EventType, reason: string, message: string): PersistentVolumeClaim {
    if (pvc.status?.phase === phase) return pvc;
    const out = this.updateClaimStatus(pvc, phase, pv);
    this.event(out, type, reason, message);
    return out;
  }

  /** updateVolumePhase, with lastPhaseTransitionTime as the PV strategy stamps it. */
  updateVolumePhase(pv: PersistentVolume, phase: string, message = ''): PersistentVolume {
    if (pv.status?.phase === phase) return pv;
    const status: NonNullable<PersistentVolume['status']> = { ...pv.status, phase, lastPhaseTransitionTime: timestamp(this.d.now()) };
    if (message) status.message = message;
    else delete status.message;
    return this.updateVolume({ ...pv, status }, true);
  }

  updateVolumePhaseWithEvent(pv: PersistentVolume, phase: string, type: EventType, reason: string, message: string): PersistentVolume {
    if (pv.status?.phase === phase) return pv;
    const out = this.updateVolumePhase(pv, phase, message);
    this.event(out, type, reason, message);
    return out;
  }

  /** bindClaimToVolume: volumeName (with bound-by-controller when the controller chose it) and bind-completed. */
  private bindClaimToVolume(pvc: PersistentVolumeClaim, pv: PersistentVolume): PersistentVolumeClaim {
    const annotations = { ...pvc.metadata?.annotations };
    let spec = pvc.spec;
    let dirty = false;
    if (pvc.spec?.volumeName !== pv.metadata?.name) {
      spec = { ...spec, volumeName: pv.metadata!.name };
      if (annotations[ANN_BOUND_BY_CONTROLLER] === undefined) annotations[ANN_BOUND_BY_CONTROLLER] = 'yes';
      dirty = true;
    }
    if (annotations[ANN_BIND_COMPLETED] === undefined) {
      annotations[ANN_BIND_COMPLETED] = 'yes';
      dirty = true;
    }
    return dirty ? this.saveClaim({ ...pvc, spec, metadata: { ...pvc.metadata, annotations } }) : pvc;
  }

  /** bind: the volume first (claimRef, then phase Bound), then the claim (volumeName, then phase Bound). */
  bind(pv: PersistentVolume, pvc: PersistentVolumeClaim): void {
    const { pv: bound, dirty } = bindVolumeToClaim(pv, pvc);
    let volume = dirty ? this.saveVolume(bound) : pv;
    volume = this.updateVolumePhase(volume, 'Bound');
    const claim = this.bindClaimToVolume(pvc, volume);
    this.updateClaimStatus(claim, 'Bound', volume);
  }

  /** unbindVolume: a controller binding is dropped whole; a user's pre-binding keeps its name but loses the uid. Then Available. */
  unbindVolume(pv: PersistentVolume): void {
    let next: PersistentVolume;
    if (pv.metadata?.annotations?.[ANN_BOUND_BY_CONTROLLER] !== undefined) {
      const { [ANN_BOUND_BY_CONTROLLER]: _drop, ...annotations } = pv.metadata.annotations;
      void _drop;
      const { claimRef: _ref, ...spec } = pv.spec ?? {};
      void _ref;
      next = { ...pv, spec, metadata: { ...pv.metadata, annotations: Object.keys(annotations).length ? annotations : undefined } };
    } else {
      const { uid: _uid, ...ref } = pv.spec!.claimRef!;
      void _uid;
      next = { ...pv, spec: { ...pv.spec, claimRef: ref } };
    }
    const saved = this.saveVolume(next);
    this.updateVolumePhase(saved, 'Available');
  }
}

// What the PV controller decides for one claim or one volume, after
// upstream pkg/controller/volume/persistentvolume/pv_controller.go (v1.30:
// syncClaim, syncUnboundClaim, syncBoundClaim, syncVolume, reclaimVolume,
// provisionClaim, provisionClaimOperationExternal, assignDefaultStorageClass,
// emitEventForUnboundDelayBindingClaim).
//
// An unbound claim gets the smallest matching Available volume (static
// binding); a WaitForFirstConsumer claim waits until the scheduler names a
// node (volume.kubernetes.io/selected-node); a claim whose class has a
// provisioner is annotated volume.kubernetes.io/storage-provisioner for the
// external provisioner (persistent-volume-provisioner.ts), and bound to the
// volume it creates. A volume whose claim is gone is Released, then kept
// (Retain) or deleted (Delete: by its external provisioner). Recycling and
// in-tree volume plugins are not simulated.
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_DYNAMICALLY_PROVISIONED,
  ANN_STORAGE_PROVISIONER,
  IS_DEFAULT_CLASS_ANNOTATION,
  claimClass,
  claimHasClass,
  isDelayBindingMode,
  isDelayBindingProvisioning,
  isVolumeBoundToClaim,
  NOT_SUPPORTED_PROVISIONER,
  pvcKey,
  volumeModeMismatch,
} from '../api/persistent-volume-helpers';
import { timeMs } from './controller-utils';
import { findBestMatchForClaim } from './persistent-volume-index';
import type { ObjectCache, PVWrites } from './persistent-volume-writes';

/** In-tree provisioner names that v1.30 migrates to CSI drivers (so an external provisioner serves them). */
const MIGRATED_IN_TREE = new Set([
  'kubernetes.io/aws-ebs',
  'kubernetes.io/gce-pd',
  'kubernetes.io/azure-disk',
  'kubernetes.io/azure-file',
  'kubernetes.io/cinder',
  'kubernetes.io/vsphere-volume',
  'kubernetes.io/portworx-volume',
]);

export interface SyncDeps {
  writes: PVWrites;
  claims: ObjectCache<PersistentVolumeClaim>;
  volumes: ObjectCache<PersistentVolume>;
  storageClass(name: string): StorageClass | undefined;
  storageClasses(): StorageClass[];
  /** Pods that reference the claim (namespace/name). */
  podsUsingClaim(key: string): Pod[];
  /** Ask for the claim to be synced soon (the volume sync hands claims over). */
  enqueueClaim(key: string): void;
}

const claimKeyOf = (pvc: PersistentVolumeClaim) => pvcKey(pvc.metadata?.namespace, pvc.metadata!.name!);
const claimRefKey = (pv: PersistentVolume) => pvcKey(pv.spec!.claimRef!.namespace, pv.spec!.claimRef!.name!);
const isTerminated = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/** util.GetDefaultClass: the newest class marked default (ties by name). */
function defaultClass(classes: StorageClass[]): StorageClass | undefined {
  const defaults = classes.filter((c) => c.metadata?.annotations?.[IS_DEFAULT_CLASS_ANNOTATION] === 'true');
  defaults.sort((a, b) => (timeMs(b.metadata?.creationTimestamp) ?? 0) - (timeMs(a.metadata?.creationTimestamp) ?? 0) || (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
  return defaults[0];
}

/** checkVolumeSatisfyClaim: why a volume the claim asked for by name does not fit it. */
function volumeMismatch(pv: PersistentVolume, pvc: PersistentVolumeClaim, claimBytes: (p: PersistentVolumeClaim) => number, volumeBytes: (p: PersistentVolume) => number): string | undefined {
  if (pv.metadata?.deletionTimestamp) return `the volume is marked for deletion "${pv.metadata.name}"`;
  if (volumeBytes(pv) < claimBytes(pvc)) return 'requested PV is too small';
  if ((pv.spec?.storageClassName ?? '') !== claimClass(pvc)) return 'storageClassName does not match';
  if (volumeModeMismatch(pvc.spec, pv.spec)) return 'incompatible volumeMode';
  const offered = new Set(pv.spec?.accessModes ?? []);
  if (!(pvc.spec?.accessModes ?? []).every((m) => offered.has(m))) return 'incompatible accessMode';
  return undefined;
}

export class PVSync {
  constructor(
    private readonly d: SyncDeps,
    private readonly bytes: { claim(p: PersistentVolumeClaim): number; volume(p: PersistentVolume): number },
  ) {}

  syncClaim(pvc: PersistentVolumeClaim): void {
    if (pvc.metadata?.annotations?.[ANN_BIND_COMPLETED] === undefined) this.syncUnboundClaim(pvc);
    else this.syncBoundClaim(pvc);
  }

  private syncUnboundClaim(pvc: PersistentVolumeClaim): void {
    const w = this.d.writes;
    const wanted = pvc.spec?.volumeName;
    if (!wanted) {
      const delay = isDelayBindingMode(pvc, (n) => this.d.storageClass(n));
      const volume = findBestMatchForClaim(pvc, this.d.volumes.list(), delay);
      if (volume) return w.bind(volume, pvc);
      // No volume: a claim without a class gets the default one (and is synced again after that write).
      if (!claimHasClass(pvc)) {
        const sc = defaultClass(this.d.storageClasses());
        if (sc) {
          w.saveClaim({ ...pvc, spec: { ...pvc.spec, storageClassName: sc.metadata!.name } });
          return;
        }
      }
      if (delay && !isDelayBindingProvisioning(pvc)) this.emitEventForUnboundDelayBindingClaim(pvc);
      else if (claimClass(pvc)) return this.provisionClaim(pvc);
      else w.event(pvc, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
      w.updateClaimStatus(pvc, 'Pending', undefined);
      return;
    }
    // The user asked for a particular volume.
    const volume = this.d.volumes.get(wanted);
    if (!volume) return void w.updateClaimStatus(pvc, 'Pending', undefined);
    if (!volume.spec?.claimRef) {
      const why = volumeMismatch(volume, pvc, this.bytes.claim, this.bytes.volume);
      if (why) {
        w.event(pvc, 'Warning', 'VolumeMismatch', `Cannot bind to requested volume "${volume.metadata!.name}": ${why}`);
        w.updateClaimStatus(pvc, 'Pending', undefined);
        return;
      }
      return w.bind(volume, pvc);
    }
    if (isVolumeBoundToClaim(volume, pvc)) return w.bind(volume, pvc);
    w.event(pvc, 'Warning', 'FailedBinding', `volume "${volume.metadata!.name}" already bound to a different claim.`);
    if (pvc.metadata?.annotations?.[ANN_BOUND_BY_CONTROLLER] === undefined) w.updateClaimStatus(pvc, 'Pending', undefined);
  }

  private syncBoundClaim(pvc: PersistentVolumeClaim): void {
    const w = this.d.writes;
    const name = pvc.spec?.volumeName;
    if (!name) return void w.updateClaimStatusWithEvent(pvc, 'Lost', undefined, 'Warning', 'ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
    const volume = this.d.volumes.get(name);
    if (!volume) return void w.updateClaimStatusWithEvent(pvc, 'Lost', undefined, 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
    if (!volume.spec?.claimRef || volume.spec.claimRef.uid === pvc.metadata?.uid) return w.bind(volume, pvc);
    w.updateClaimStatusWithEvent(pvc, 'Lost', undefined, 'Warning', 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
  }

  /** emitEventForUnboundDelayBindingClaim: waiting for a pod to use it, or for that pod to be scheduled. */
  private emitEventForUnboundDelayBindingClaim(pvc: PersistentVolumeClaim): void {
    const pending = this.d
      .podsUsingClaim(claimKeyOf(pvc))
      .filter((p) => !isTerminated(p) && !p.spec?.nodeName)
      .map((p) => p.metadata!.name!);
    const w = this.d.writes;
    if (pending.length === 0) w.event(pvc, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
    else if (pending.length === 1) w.event(pvc, 'Normal', 'WaitForPodScheduled', `waiting for pod ${pending[0]} to be scheduled`);
    else w.event(pvc, 'Normal', 'WaitForPodScheduled', `waiting for pods ${pending.join(',')} to be scheduled`);
  }

  /** provisionClaim and provisionClaimOperationExternal: the claim is handed to its class's external provisioner. */
  private provisionClaim(pvc: PersistentVolumeClaim): void {
    const w = this.d.writes;
    const className = claimClass(pvc);
    const sc = this.d.storageClass(className);
    if (!sc) return w.event(pvc, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
    const provisioner = sc.provisioner;
    if (provisioner === NOT_SUPPORTED_PROVISIONER || (provisioner.startsWith('kubernetes.io/') && !MIGRATED_IN_TREE.has(provisioner)))
      return w.event(pvc, 'Warning', 'ProvisioningFailed', `no volume plugin matched name: ${provisioner}`);
    const ann = pvc.metadata?.annotations ?? {};
    let claim = pvc;
    if (ann[ANN_STORAGE_PROVISIONER] !== provisioner || ann[ANN_BETA_STORAGE_PROVISIONER] !== provisioner) {
      claim = w.saveClaim({
        ...pvc,
        metadata: { ...pvc.metadata, annotations: { ...ann, [ANN_BETA_STORAGE_PROVISIONER]: provisioner, [ANN_STORAGE_PROVISIONER]: provisioner } },
      });
    }
    w.event(
      claim,
      'Normal',
      'ExternalProvisioning',
      `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    );
  }

  syncVolume(pv: PersistentVolume): void {
    const w = this.d.writes;
    const ref = pv.spec?.claimRef;
    // Unused, or reserved for a claim that has not bound yet: Available.
    if (!ref || !ref.uid) return void w.updateVolumePhase(pv, 'Available');
    let claim = this.d.claims.get(claimRefKey(pv));
    // The claim of that name is another one (the bound one was deleted and a new one created).
    if (claim && claim.metadata?.uid !== ref.uid) claim = undefined;
    if (!claim) {
      let volume = pv;
      if (pv.status?.phase !== 'Released' && pv.status?.phase !== 'Failed') volume = w.updateVolumePhase(pv, 'Released');
      return this.reclaimVolume(volume);
    }
    if (!claim.spec?.volumeName) {
      if (volumeModeMismatch(claim.spec, pv.spec)) {
        w.event(pv, 'Warning', 'VolumeMismatch', `Cannot bind PersistentVolume to requested PersistentVolumeClaim "${claim.metadata!.name}" due to incompatible volumeMode.`);
        w.event(claim, 'Warning', 'VolumeMismatch', `Cannot bind PersistentVolume "${pv.metadata!.name}" to requested PersistentVolumeClaim due to incompatible volumeMode.`);
        return;
      }
      // Half bound (the provisioner's new volume, or the scheduler's pre-binding): the claim's sync finishes it.
      return this.d.enqueueClaim(claimKeyOf(claim));
    }
    if (claim.spec.volumeName === pv.metadata!.name) return void w.updateVolumePhase(pv, 'Bound');
    // The claim is bound to another volume.
    if (pv.metadata?.annotations?.[ANN_DYNAMICALLY_PROVISIONED] !== undefined && pv.spec?.persistentVolumeReclaimPolicy === 'Delete') {
      let volume = pv;
      if (pv.status?.phase !== 'Released' && pv.status?.phase !== 'Failed') volume = w.updateVolumePhase(pv, 'Released');
      return this.reclaimVolume(volume);
    }
    w.unbindVolume(pv);
  }

  /** reclaimVolume: Retain keeps it Released; Delete leaves a provisioned volume to its provisioner; nothing here recycles or deletes in-tree volumes. */
  private reclaimVolume(pv: PersistentVolume): void {
    const w = this.d.writes;
    switch (pv.spec?.persistentVolumeReclaimPolicy) {
      case 'Retain':
        return;
      case 'Recycle':
        w.updateVolumePhaseWithEvent(pv, 'Failed', 'Warning', 'VolumeFailedRecycle', 'No recycler plugin found for the volume!');
        return;
      case 'Delete': {
        const by = pv.metadata?.annotations?.[ANN_DYNAMICALLY_PROVISIONED];
        // An external deleter (the provisioner that made it) deletes it.
        if (by && !by.startsWith('kubernetes.io/')) return;
        // HonorPVReclaimPolicy (on since v1.31): a CSI volume is its driver's to delete.
        if (pv.spec?.csi) return;
        w.updateVolumePhaseWithEvent(pv, 'Failed', 'Warning', 'VolumeFailedDelete', `error getting deleter volume plugin for volume "${pv.metadata!.name}": no deletable volume plugin matched`);
        return;
      }
      default:
        w.updateVolumePhaseWithEvent(pv, 'Failed', 'Warning', 'VolumeUnknownReclaimPolicy', 'Volume has unrecognized PersistentVolumeReclaimPolicy');
    }
  }
}

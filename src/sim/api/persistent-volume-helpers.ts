// What the PV controller and kube-scheduler's VolumeBinding share about
// claims and volumes, after k8s.io/component-helpers/storage/volume
// (pv_helpers.go, helpers.go): the binding annotations, a claim's and a
// volume's class, access-mode and volume-mode checks, a volume's node
// affinity, and FindMatchingVolume (the smallest Available volume that
// satisfies a claim, or the one pre-bound to it). Pure functions of objects.
import type { Node, PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec, PersistentVolumeSpec, Pod } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { compileNodeSelector } from './node-affinity';
import { tryParseQuantity } from './quantity';
import { labelSelectorAsSelector } from './selector';

/** The claim has been through its initial binding (set by the PV controller). */
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
/** The binding (PV->PVC or PVC->PV) was made by the controller, not pre-bound by the user. */
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
/** The scheduler's choice of node for a WaitForFirstConsumer claim to be provisioned on. */
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
/** The provisioner (plugin or external) that made the volume. */
export const ANN_DYNAMICALLY_PROVISIONED = 'pv.kubernetes.io/provisioned-by';
/** The provisioner a claim waits for, and its deprecated beta spelling (both set). */
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
/** The deprecated class annotation, which wins over spec.storageClassName when present. */
export const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';
/** A class whose provisioner is this does not provision (pre-created volumes only). */
export const NOT_SUPPORTED_PROVISIONER = 'kubernetes.io/no-provisioner';
/** The external-provisioner's finalizer on the volumes it made, removed once the backing volume is deleted. */
export const PV_DELETION_PROTECTION_FINALIZER = 'external-provisioner.volume.kubernetes.io/finalizer';
/** A StorageClass marked as the default for claims that name none. */
export const IS_DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

export const pvcKey = (namespace: string | undefined, name: string): string => `${namespace ?? 'default'}/${name}`;

/** GetPersistentVolumeClaimClass: the beta annotation, else spec.storageClassName, else "". */
export function claimClass(pvc: PersistentVolumeClaim): string {
  const ann = pvc.metadata?.annotations?.[BETA_STORAGE_CLASS_ANNOTATION];
  return ann !== undefined ? ann : (pvc.spec?.storageClassName ?? '');
}

/** PersistentVolumeClaimHasClass: a class was asked for (even ""). */
export const claimHasClass = (pvc: PersistentVolumeClaim): boolean =>
  pvc.metadata?.annotations?.[BETA_STORAGE_CLASS_ANNOTATION] !== undefined || pvc.spec?.storageClassName != null;

/** GetPersistentVolumeClass. */
export function volumeClass(pv: PersistentVolume): string {
  const ann = pv.metadata?.annotations?.[BETA_STORAGE_CLASS_ANNOTATION];
  return ann !== undefined ? ann : (pv.spec?.storageClassName ?? '');
}

/** A quantity in milli-units (storage requests and capacities compare exactly this way); 0 when absent. */
export function storageMilli(list: Readonly<Record<string, string>> | undefined): number {
  const raw = list?.storage;
  return raw === undefined ? 0 : (tryParseQuantity(raw)?.milli ?? 0);
}

export const claimRequest = (pvc: PersistentVolumeClaim): number => storageMilli(pvc.spec?.resources?.requests);
export const volumeCapacity = (pv: PersistentVolume): number => storageMilli(pv.spec?.capacity);

/** IsVolumeBoundToClaim: the claimRef names this claim (and its uid, when the ref has one). */
export function isVolumeBoundToClaim(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== pvc.metadata?.name || (ref.namespace ?? '') !== (pvc.metadata?.namespace ?? '')) return false;
  return !ref.uid || ref.uid === pvc.metadata?.uid;
}

/** CheckVolumeModeMismatches: both default to Filesystem. */
export function volumeModeMismatch(claim: PersistentVolumeClaimSpec | undefined, volume: PersistentVolumeSpec | undefined): boolean {
  return (claim?.volumeMode ?? 'Filesystem') !== (volume?.volumeMode ?? 'Filesystem');
}

/** CheckAccessModes: the volume offers every mode the claim asks for. */
export function checkAccessModes(pvc: PersistentVolumeClaim, pv: PersistentVolume): boolean {
  const offered = new Set(pv.spec?.accessModes ?? []);
  return (pvc.spec?.accessModes ?? []).every((m) => offered.has(m));
}

const affinityMatchers = new WeakMap<object, (node: Node) => boolean>();

/**
 * CheckNodeAffinity: does a node with these labels satisfy the volume's
 * required node affinity? A volume without one is reachable from anywhere.
 * (Upstream builds a node of only the labels, so only labels are matched.)
 */
export function checkNodeAffinity(pv: PersistentVolume, labels: Readonly<Record<string, string>> | undefined): boolean {
  const req = pv.spec?.nodeAffinity?.required;
  if (!req) return true;
  let m = affinityMatchers.get(req);
  if (!m) affinityMatchers.set(req, (m = compileNodeSelector(req)));
  return m({ metadata: { labels: { ...labels } } });
}

/** The claims a pod's volumes name (persistentVolumeClaim volumes), in volume order. */
export function podClaimNames(pod: Pod): string[] {
  const out: string[] = [];
  for (const v of pod.spec?.volumes ?? []) if (v.persistentVolumeClaim) out.push(v.persistentVolumeClaim.claimName);
  return out;
}

/** A pod with at least one persistentVolumeClaim volume: the cheap test the volume plugins' PreFilters start with. */
export function podHasClaims(pod: Pod): boolean {
  const vols = pod.spec?.volumes;
  if (!vols) return false;
  for (let i = 0; i < vols.length; i++) if (vols[i].persistentVolumeClaim) return true;
  return false;
}

/** IsDelayBindingMode: the claim's class binds WaitForFirstConsumer (a missing class is Immediate). */
export function isDelayBindingMode(pvc: PersistentVolumeClaim, storageClass: (name: string) => StorageClass | undefined): boolean {
  const name = claimClass(pvc);
  if (!name) return false;
  return storageClass(name)?.volumeBindingMode === 'WaitForFirstConsumer';
}

/** IsDelayBindingProvisioning: the scheduler picked a node for this claim's provisioning. */
export const isDelayBindingProvisioning = (pvc: PersistentVolumeClaim): boolean => pvc.metadata?.annotations?.[ANN_SELECTED_NODE] !== undefined;

/**
 * FindMatchingVolume. The scheduler passes the node (affinity and access
 * modes are checked) and the volumes it already chose for the pod's other
 * claims; the PV controller passes no node and, for a claim that waits for
 * its first consumer, delayBinding, so only a volume pre-bound to the claim
 * is returned. Otherwise: the smallest Available volume of the claim's class
 * that is large enough and selected by the claim's selector.
 */
export function findMatchingVolume(
  pvc: PersistentVolumeClaim,
  volumes: readonly PersistentVolume[],
  node: Node | undefined,
  excluded: ReadonlySet<string> | undefined,
  delayBinding: boolean,
): PersistentVolume | undefined {
  const requested = claimRequest(pvc);
  const requestedClass = claimClass(pvc);
  let selector: ReturnType<typeof labelSelectorAsSelector> | undefined;
  if (pvc.spec?.selector) {
    try {
      selector = labelSelectorAsSelector(pvc.spec.selector);
    } catch {
      return undefined;
    }
  }
  let smallest: PersistentVolume | undefined;
  let smallestQty = 0;
  for (const pv of volumes) {
    if (excluded?.has(pv.metadata!.name!)) continue;
    const bound = isVolumeBoundToClaim(pv, pvc);
    if (pv.spec?.claimRef && !bound) continue;
    const qty = volumeCapacity(pv);
    if (qty < requested) continue;
    if (volumeModeMismatch(pvc.spec, pv.spec)) continue;
    if (pv.metadata?.deletionTimestamp) continue;
    const affinityOk = node ? checkNodeAffinity(pv, node.metadata?.labels) : true;
    if (bound) return affinityOk ? pv : undefined;
    if (!node && delayBinding) continue;
    if (pv.status?.phase !== 'Available') continue;
    if (selector && !selector.matches(pv.metadata?.labels)) continue;
    if (volumeClass(pv) !== requestedClass) continue;
    if (!affinityOk) continue;
    if (node && !checkAccessModes(pvc, pv)) continue;
    if (!smallest || smallestQty > qty) {
      smallest = pv;
      smallestQty = qty;
    }
  }
  return smallest;
}

/** GetBindVolumeToClaim: the volume with its claimRef set to the claim (and bound-by-controller when the controller made the binding). */
export function bindVolumeToClaim(pv: PersistentVolume, pvc: PersistentVolumeClaim): { pv: PersistentVolume; dirty: boolean } {
  const ref = pv.spec?.claimRef;
  const boundByUser = isVolumeBoundToClaim(pv, pvc);
  let out = pv;
  let dirty = false;
  if (!ref || ref.name !== pvc.metadata?.name || ref.namespace !== pvc.metadata?.namespace || ref.uid !== pvc.metadata?.uid) {
    const claimRef = {
      kind: 'PersistentVolumeClaim',
      namespace: pvc.metadata!.namespace,
      name: pvc.metadata!.name,
      uid: pvc.metadata!.uid,
      apiVersion: 'v1',
      resourceVersion: pvc.metadata!.resourceVersion,
    };
    out = { ...out, spec: { ...out.spec, claimRef } };
    dirty = true;
  }
  if (!boundByUser && out.metadata?.annotations?.[ANN_BOUND_BY_CONTROLLER] === undefined) {
    out = { ...out, metadata: { ...out.metadata, annotations: { ...out.metadata?.annotations, [ANN_BOUND_BY_CONTROLLER]: 'yes' } } };
    dirty = true;
  }
  return { pv: out, dirty };
}

/** The claim is bound to a volume and the binding completed (what the scheduler waits for). */
export const isClaimFullyBound = (pvc: PersistentVolumeClaim): boolean =>
  !!pvc.spec?.volumeName && pvc.metadata?.annotations?.[ANN_BIND_COMPLETED] !== undefined;

// core/v1 PersistentVolumeClaim and PersistentVolume (pkg/apis/core/validation,
// v1.30: ValidatePersistentVolumeClaim(Spec), ValidatePersistentVolumeClaimUpdate,
// ValidatePersistentVolume(Spec), ValidatePersistentVolumeUpdate). Upstream's
// "spec is immutable" messages end in a cmp.Diff of the two specs, which is
// left out here.
import type { PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec, PersistentVolumeSpec } from 'kubernetes-types/core/v1';
import type { FieldError } from '../field-errors';
import { forbidden, goLiteral, invalid, notSupported, required } from '../field-errors';
import { IS_NOT_POSITIVE_ERROR, FIELD_IMMUTABLE } from '../messages';
import { nameIsDNSSubdomain } from '../names';
import { nodeSelectorErrors } from '../node-affinity';
import { QuantityError, parseQuantity, formatQuantity, type Quantity } from '../quantity';
import { validateLabelSelector } from '../selector';
import { list, record, validateDNS1123Subdomain } from './common';
import { semanticEqual } from './equal';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta';

/** sets.List(supportedAccessModes): sorted. */
export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const VOLUME_MODES = ['Block', 'Filesystem'];
const PV_RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];

/** The persistent volume sources, in the order ValidatePersistentVolumeSpec checks them. */
const PV_SOURCES = [
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'hostPath',
  'glusterfs',
  'nfs',
  'rbd',
  'quobyte',
  'cinder',
  'cephfs',
  'iscsi',
  'fc',
  'flocker',
  'flexVolume',
  'azureFile',
  'vsphereVolume',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'local',
  'storageos',
  'csi',
] as const;

function quantityAt(raw: unknown, path: string, errs: FieldError[]): Quantity | undefined {
  try {
    return parseQuantity(typeof raw === 'string' ? raw.trim() : (raw as number));
  } catch (e) {
    errs.push(invalid(path, raw, e instanceof QuantityError ? e.message : String(e)));
    return undefined;
  }
}

/** ValidatePositiveQuantityValue. */
function positiveQuantity(raw: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const q = quantityAt(raw, path, errs);
  if (q && q.milli <= 0) errs.push(invalid(path, formatQuantity(q), IS_NOT_POSITIVE_ERROR));
  return errs;
}

function validateAccessModes(modes: readonly string[] | undefined, path: string, requiredDetail: string): FieldError[] {
  const errs: FieldError[] = [];
  const all = list(modes);
  if (all.length === 0) errs.push(required(path, requiredDetail));
  let rwop = false;
  let other = false;
  for (const m of all) {
    if (!ACCESS_MODES.includes(m)) errs.push(notSupported(path, m, ACCESS_MODES));
    if (m === 'ReadWriteOncePod') rwop = true;
    else other = true;
  }
  if (rwop && other) errs.push(forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

/** ValidatePersistentVolumeClaimSpec, at `path` (spec, or a StatefulSet's claim template spec). */
export function validatePersistentVolumeClaimSpec(spec: PersistentVolumeClaimSpec | undefined, path: string): FieldError[] {
  const errs = validateAccessModes(spec?.accessModes, `${path}.accessModes`, 'at least 1 access mode is required');
  if (spec?.selector != null) errs.push(...validateLabelSelector(spec.selector, `${path}.selector`));
  const storagePath = `${path}.resources[storage]`;
  const storage = record(spec?.resources?.requests)['storage'];
  if (storage === undefined) errs.push(required(storagePath, ''));
  else errs.push(...positiveQuantity(storage, storagePath));
  if (spec?.storageClassName) errs.push(...validateDNS1123Subdomain(spec.storageClassName, `${path}.storageClassName`));
  if (spec?.volumeMode != null && !VOLUME_MODES.includes(spec.volumeMode)) errs.push(notSupported(`${path}.volumeMode`, spec.volumeMode, VOLUME_MODES));
  return errs;
}

export function validatePersistentVolumeClaim(pvc: PersistentVolumeClaim): FieldError[] {
  return [...validateObjectMeta(pvc.metadata, true, nameIsDNSSubdomain), ...validatePersistentVolumeClaimSpec(pvc.spec, 'spec')];
}

const PVC_SPEC_IMMUTABLE = 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';

/**
 * ValidatePersistentVolumeClaimUpdate: the spec is fixed once created, but
 * the binder may set volumeName once, a class may be assigned to a claim
 * that had none (the retroactive default StorageClass), and a bound claim
 * may grow its storage request.
 */
export function validatePersistentVolumeClaimUpdate(pvc: PersistentVolumeClaim, old: PersistentVolumeClaim): FieldError[] {
  const errs = [...validateObjectMetaUpdate(pvc.metadata, old.metadata), ...validatePersistentVolumeClaimSpec(pvc.spec, 'spec')];
  const next: Record<string, unknown> = { ...pvc.spec };
  const prev: Record<string, unknown> = { ...old.spec };
  if (!old.spec?.volumeName) prev.volumeName = next.volumeName;
  if (old.spec?.storageClassName == null) prev.storageClassName = next.storageClassName;
  delete next.volumeAttributesClassName;
  delete prev.volumeAttributesClassName;
  const requests = (s: Record<string, unknown>) => (s.resources as PersistentVolumeClaimSpec['resources'])?.requests;
  if (old.status?.phase === 'Bound') {
    const oldStorage = requests(prev)?.storage;
    const r = (next.resources ?? {}) as NonNullable<PersistentVolumeClaimSpec['resources']>;
    next.resources = { ...r, requests: { ...r.requests, ...(oldStorage !== undefined ? { storage: oldStorage } : {}) } };
  }
  if (!semanticEqual(next, prev)) errs.push(forbidden('spec', PVC_SPEC_IMMUTABLE));
  return errs;
}

function validateSource(spec: PersistentVolumeSpec): FieldError[] {
  const errs: FieldError[] = [];
  const s = spec as Record<string, unknown>;
  let n = 0;
  for (const key of PV_SOURCES) {
    if (s[key] == null) continue;
    if (n > 0) {
      errs.push(forbidden(`spec.${key}`, 'may not specify more than 1 volume type'));
      continue;
    }
    n++;
    const src = s[key] as Record<string, unknown>;
    const need = (field: string) => !src[field] && errs.push(required(`spec.${key}.${field}`, ''));
    if (key === 'csi') {
      need('driver');
      need('volumeHandle');
    } else if (key === 'hostPath' || key === 'local') need('path');
    else if (key === 'nfs') {
      need('server');
      need('path');
    }
  }
  if (n === 0) errs.push(required('spec', 'must specify a volume type'));
  return errs;
}

export function validatePersistentVolume(pv: PersistentVolume): FieldError[] {
  const errs = validateObjectMeta(pv.metadata, false, nameIsDNSSubdomain);
  const spec = pv.spec ?? {};
  errs.push(...validateAccessModes(spec.accessModes, 'spec.accessModes', 'must specify at least 1 access mode'));
  const capacity = record(spec.capacity);
  const names = Object.keys(capacity);
  if (names.length === 0) errs.push(required('spec.capacity', ''));
  if (!('storage' in capacity) || names.length > 1) errs.push(notSupported('spec.capacity', goLiteral(`core.ResourceList{${names.join(', ')}}`), ['storage']));
  for (const name of names) errs.push(...positiveQuantity(capacity[name], `spec.capacity[${name}]`));
  const policy = spec.persistentVolumeReclaimPolicy;
  if (policy && !PV_RECLAIM_POLICIES.includes(policy)) errs.push(notSupported('spec.persistentVolumeReclaimPolicy', policy, PV_RECLAIM_POLICIES));
  const affinity = spec.nodeAffinity;
  if (affinity != null) {
    const req = affinity.required;
    if (req == null) errs.push(required('spec.nodeAffinity.required', 'must specify required node constraints'));
    else if (list(req.nodeSelectorTerms).length === 0) errs.push(required('spec.nodeAffinity.required.nodeSelectorTerms', 'must have at least one node selector term'));
    else errs.push(...nodeSelectorErrors(req, 'spec.nodeAffinity.required'));
  }
  errs.push(...validateSource(spec));
  if (spec.local != null && affinity == null) errs.push(required('spec.nodeAffinity', 'Local volume requires node affinity'));
  if (spec.storageClassName) errs.push(...validateDNS1123Subdomain(spec.storageClassName, 'spec.storageClassName'));
  if (spec.volumeMode != null && !VOLUME_MODES.includes(spec.volumeMode)) errs.push(notSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  return errs;
}

/** Everything of a PV's spec that is its volume source (PersistentVolumeSource, inlined in the spec). */
function sourceOf(spec: PersistentVolumeSpec | undefined): Record<string, unknown> {
  const s = (spec ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of PV_SOURCES) if (s[key] != null) out[key] = s[key];
  return out;
}

export function validatePersistentVolumeUpdate(pv: PersistentVolume, old: PersistentVolume): FieldError[] {
  const errs = [...validateObjectMetaUpdate(pv.metadata, old.metadata), ...validatePersistentVolume(pv)];
  if (!semanticEqual(sourceOf(pv.spec), sourceOf(old.spec))) errs.push(forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
  if ((pv.spec?.volumeMode ?? null) !== (old.spec?.volumeMode ?? null)) errs.push(invalid('volumeMode', pv.spec?.volumeMode ?? null, FIELD_IMMUTABLE));
  // A node affinity may be set once; after that it is fixed.
  if (old.spec?.nodeAffinity != null && !semanticEqual(pv.spec?.nodeAffinity, old.spec.nodeAffinity))
    errs.push(invalid('nodeAffinity', goLiteral('&core.VolumeNodeAffinity{...}'), FIELD_IMMUTABLE));
  return errs;
}

// Defaulting of the storage kinds, after pkg/apis/core/v1/defaults.go
// (SetDefaults_PersistentVolume, SetDefaults_PersistentVolumeClaim,
// SetDefaults_PersistentVolumeClaimSpec) and pkg/apis/storage/v1/defaults.go
// (SetDefaults_StorageClass). Copy-on-write, as defaults.ts.
import type { PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { isObject, withChanges } from './copy-on-write';
import { defaultResourceList } from './defaults-pod';

/** SetDefaults_PersistentVolumeClaimSpec: volumeMode Filesystem; resource quantities canonical. */
function defaultClaimSpec(spec: PersistentVolumeClaimSpec | undefined): PersistentVolumeClaimSpec | undefined {
  if (!isObject(spec)) return spec;
  const ch: Partial<PersistentVolumeClaimSpec> = {};
  if (spec.volumeMode == null) ch.volumeMode = 'Filesystem';
  const res = spec.resources;
  if (isObject(res)) {
    const requests = defaultResourceList(res.requests);
    const limits = defaultResourceList(res.limits);
    if (requests !== res.requests || limits !== res.limits) ch.resources = { ...res, ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
  }
  return withChanges(spec, ch);
}

/** SetDefaults_PersistentVolumeClaim with its spec's: status.phase Pending. Also used for StatefulSet volumeClaimTemplates. */
export function defaultPersistentVolumeClaim(pvc: PersistentVolumeClaim): PersistentVolumeClaim {
  if (!isObject(pvc)) return pvc;
  let out = pvc;
  const spec = defaultClaimSpec(pvc.spec);
  if (spec !== pvc.spec) out = { ...out, spec };
  if (!pvc.status?.phase) out = { ...out, status: { ...pvc.status, phase: 'Pending' } };
  return out;
}

/** SetDefaults_PersistentVolume: phase Pending, reclaim policy Retain, volumeMode Filesystem. */
export function defaultPersistentVolume(pv: PersistentVolume): PersistentVolume {
  if (!isObject(pv)) return pv;
  let out = pv;
  const spec = pv.spec;
  if (isObject(spec)) {
    const ch: Partial<typeof spec> = {};
    if (!spec.persistentVolumeReclaimPolicy) ch.persistentVolumeReclaimPolicy = 'Retain';
    if (spec.volumeMode == null) ch.volumeMode = 'Filesystem';
    const capacity = defaultResourceList(spec.capacity);
    if (capacity !== spec.capacity) ch.capacity = capacity;
    const next = withChanges(spec, ch);
    if (next !== spec) out = { ...out, spec: next };
  }
  if (!pv.status?.phase) out = { ...out, status: { ...pv.status, phase: 'Pending' } };
  return out;
}

/** SetDefaults_StorageClass: reclaimPolicy Delete, volumeBindingMode Immediate. */
export function defaultStorageClass(sc: StorageClass): StorageClass {
  if (!isObject(sc)) return sc;
  const ch: Partial<StorageClass> = {};
  if (sc.reclaimPolicy == null) ch.reclaimPolicy = 'Delete';
  if (sc.volumeBindingMode == null) ch.volumeBindingMode = 'Immediate';
  return withChanges(sc, ch);
}

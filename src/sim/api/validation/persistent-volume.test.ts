// PersistentVolumeClaim, PersistentVolume and StorageClass through the
// apiserver's create and update steps: upstream's defaults
// (pkg/apis/core/v1, pkg/apis/storage/v1), the create strategies and the
// validation messages (pkg/apis/core/validation, pkg/apis/storage/validation).
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { describe, expect, it } from 'vitest';
import { createMessage, created, updateMessage } from '../test-fixtures';

const pvc = (spec: Partial<NonNullable<PersistentVolumeClaim['spec']>> = {}): PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'data', namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
});

const pv = (spec: Partial<NonNullable<PersistentVolume['spec']>> = {}): PersistentVolume => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name: 'pv-1' },
  spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '10Gi' }, csi: { driver: 'disk.csi.example.com', volumeHandle: 'vol-1' }, ...spec },
});

const sc = (o: Partial<StorageClass> = {}): StorageClass => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, provisioner: 'disk.csi.example.com', ...o });

const stamp = <T extends { metadata?: object }>(o: T): T => ({ ...o, metadata: { ...o.metadata, uid: 'u1', creationTimestamp: '2026-01-01T00:00:00Z' } });

const C = 'PersistentVolumeClaim "data" is invalid: ';
const V = 'PersistentVolume "pv-1" is invalid: ';

describe('PersistentVolumeClaim', () => {
  it('is created Pending, Filesystem, with the pvc-protection finalizer', () => {
    const { obj, errors } = created(pvc());
    expect(errors).toEqual([]);
    expect(obj.spec?.volumeMode).toBe('Filesystem');
    expect(obj.status).toEqual({ phase: 'Pending' });
    expect(obj.metadata?.finalizers).toEqual(['kubernetes.io/pvc-protection']);
  });

  it('needs access modes and a positive storage request', () => {
    expect(createMessage(pvc({ accessModes: [] }))).toBe(`${C}spec.accessModes: Required value: at least 1 access mode is required`);
    expect(createMessage(pvc({ accessModes: ['ReadWriteSometimes'] }))).toBe(
      `${C}spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"`,
    );
    expect(createMessage(pvc({ accessModes: ['ReadWriteOncePod', 'ReadOnlyMany'] }))).toBe(`${C}spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes`);
    expect(createMessage(pvc({ resources: {} }))).toBe(`${C}spec.resources[storage]: Required value`);
    expect(createMessage(pvc({ resources: { requests: { storage: '0' } } }))).toBe(`${C}spec.resources[storage]: Invalid value: "0": must be greater than zero`);
  });

  it('lets the binder set volumeName once, a class be assigned to a classless claim, but nothing else change', () => {
    const stored = stamp(created(pvc()).obj);
    expect(updateMessage({ ...stored, spec: { ...stored.spec, volumeName: 'pv-1', storageClassName: 'fast' } }, stored)).toBe('');
    const bound = { ...stored, spec: { ...stored.spec, volumeName: 'pv-1' } };
    expect(updateMessage({ ...bound, spec: { ...bound.spec, volumeName: 'pv-2' } }, bound)).toBe(
      `${C}spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims`,
    );
    expect(updateMessage({ ...stored, spec: { ...stored.spec, accessModes: ['ReadWriteMany'] } }, stored)).toContain('spec: Forbidden: spec is immutable after creation');
  });
});

describe('PersistentVolume', () => {
  it('is created Pending since its creation, Retain, with the pv-protection finalizer', () => {
    const { obj, errors } = created(stamp(pv()));
    expect(errors).toEqual([]);
    expect(obj.spec?.persistentVolumeReclaimPolicy).toBe('Retain');
    expect(obj.spec?.volumeMode).toBe('Filesystem');
    expect(obj.status).toEqual({ phase: 'Pending', lastPhaseTransitionTime: '2026-01-01T00:00:00Z' });
    expect(obj.metadata?.finalizers).toEqual(['kubernetes.io/pv-protection']);
  });

  it('needs access modes, a storage capacity and exactly one volume source', () => {
    expect(createMessage(pv({ accessModes: [] }))).toBe(`${V}spec.accessModes: Required value: must specify at least 1 access mode`);
    expect(createMessage(pv({ capacity: { storage: '1Gi', cpu: '1' } }))).toBe(`${V}spec.capacity: Unsupported value: core.ResourceList{storage, cpu}: supported values: "storage"`);
    expect(createMessage(pv({ csi: undefined }))).toBe(`${V}spec: Required value: must specify a volume type`);
    expect(createMessage(pv({ hostPath: { path: '/data' } }))).toBe(`${V}spec.csi: Forbidden: may not specify more than 1 volume type`);
    expect(createMessage(pv({ csi: undefined, local: { path: '/mnt/disk' } }))).toBe(`${V}spec.nodeAffinity: Required value: Local volume requires node affinity`);
    expect(createMessage(pv({ persistentVolumeReclaimPolicy: 'Keep' }))).toBe(`${V}spec.persistentVolumeReclaimPolicy: Unsupported value: "Keep": supported values: "Delete", "Recycle", "Retain"`);
  });

  it('keeps its source fixed, and its node affinity once it has one', () => {
    const affinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-a'] }] }] } };
    const stored = stamp(created(pv({ nodeAffinity: affinity })).obj);
    expect(updateMessage({ ...stored, spec: { ...stored.spec, claimRef: { namespace: 'default', name: 'data' } } }, stored)).toBe('');
    expect(updateMessage({ ...stored, spec: { ...stored.spec, csi: { driver: 'disk.csi.example.com', volumeHandle: 'vol-2' } } }, stored)).toBe(
      `${V}spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation`,
    );
    expect(updateMessage({ ...stored, spec: { ...stored.spec, nodeAffinity: undefined } }, stored)).toBe(`${V}nodeAffinity: Invalid value: &core.VolumeNodeAffinity{...}: field is immutable`);
  });
});

describe('StorageClass', () => {
  it('defaults to reclaimPolicy Delete and volumeBindingMode Immediate', () => {
    const { obj, errors } = created(sc());
    expect(errors).toEqual([]);
    expect(obj).toMatchObject({ reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
  });

  it('needs a provisioner and known modes', () => {
    expect(createMessage(sc({ provisioner: '' }))).toBe('StorageClass.storage.k8s.io "fast" is invalid: provisioner: Required value');
    expect(createMessage(sc({ volumeBindingMode: 'Later' }))).toBe(
      'StorageClass.storage.k8s.io "fast" is invalid: volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
    );
    expect(createMessage(sc({ reclaimPolicy: 'Recycle' }))).toBe('StorageClass.storage.k8s.io "fast" is invalid: reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"');
  });

  it('may not change its provisioner, parameters, reclaim policy or binding mode', () => {
    const stored = stamp(created(sc()).obj);
    expect(updateMessage({ ...stored, provisioner: 'other.example.com' }, stored)).toBe('StorageClass.storage.k8s.io "fast" is invalid: provisioner: Forbidden: updates to provisioner are forbidden.');
    expect(updateMessage({ ...stored, volumeBindingMode: 'WaitForFirstConsumer' }, stored)).toBe(
      'StorageClass.storage.k8s.io "fast" is invalid: volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable',
    );
  });
});

// kubectl get statefulsets, controllerrevisions, persistentvolumeclaims,
// persistentvolumes and storageclasses: printStatefulSet,
// printControllerRevision, printPersistentVolumeClaim, printPersistentVolume
// and printStorageClass in pkg/printers/internalversion/printers.go.
import type { ControllerRevision, StatefulSet } from 'kubernetes-types/apps/v1';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import type { KubeObject } from '../../sim/api/types';
import { canonicalQuantity } from '../../sim/api/quantity';
import { since } from '../humanize';
import { col, nameCol, type PrintContext, type TableDef } from './table';
import { containerCells } from './workloads';

export const statefulSetTable: TableDef = {
  columns: [nameCol, col('Ready'), col('Age'), col('Containers', { priority: 1 }), col('Images', { priority: 1 })],
  row(obj: KubeObject, ctx: PrintContext): string[] {
    const s = obj as unknown as StatefulSet;
    const cells = [s.metadata?.name ?? '', `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 1}`, since(s.metadata?.creationTimestamp, ctx.now)];
    return ctx.wide ? [...cells, ...containerCells(s.spec?.template?.spec?.containers)] : cells;
  },
};

export const controllerRevisionTable: TableDef = {
  columns: [nameCol, col('Controller'), col('Revision'), col('Age')],
  row(obj: KubeObject, ctx: PrintContext): string[] {
    const cr = obj as unknown as ControllerRevision;
    const owner = (cr.metadata?.ownerReferences ?? []).find((o) => o.controller);
    let controller = '<none>';
    if (owner) {
      const group = owner.apiVersion.includes('/') ? owner.apiVersion.split('/')[0] : '';
      controller = `${(group ? `${owner.kind}.${group}` : owner.kind).toLowerCase()}/${owner.name}`;
    }
    return [cr.metadata?.name ?? '', controller, String(cr.revision), since(cr.metadata?.creationTimestamp, ctx.now)];
  },
};

/** helper.GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order. */
function accessModes(modes: readonly string[] | undefined): string {
  const m = modes ?? [];
  return [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ]
    .filter(([full]) => m.includes(full))
    .map(([, short]) => short)
    .join(',');
}

const storageClassOf = (o: { metadata?: { annotations?: Record<string, string> }; spec?: { storageClassName?: string } }) =>
  o.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? o.spec?.storageClassName ?? '';

export const pvcTable: TableDef = {
  columns: [
    nameCol,
    col('Status'),
    col('Volume'),
    col('Capacity'),
    col('Access Modes'),
    col('StorageClass'),
    col('VolumeAttributesClass'),
    col('Age'),
    col('VolumeMode', { priority: 1 }),
  ],
  row(obj: KubeObject, ctx: PrintContext): string[] {
    const pvc = obj as unknown as PersistentVolumeClaim;
    const bound = !!pvc.spec?.volumeName;
    const phase = pvc.metadata?.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? '');
    const capacity = bound && pvc.status?.capacity?.storage ? String(canonicalQuantity(pvc.status.capacity.storage)) : '';
    const cells = [
      pvc.metadata?.name ?? '',
      phase,
      pvc.spec?.volumeName ?? '',
      capacity,
      bound ? accessModes(pvc.status?.accessModes) : '',
      storageClassOf(pvc),
      pvc.spec?.volumeAttributesClassName ?? '<unset>',
      since(pvc.metadata?.creationTimestamp, ctx.now),
    ];
    return ctx.wide ? [...cells, pvc.spec?.volumeMode ?? '<unset>'] : cells;
  },
};

export const pvTable: TableDef = {
  columns: [
    nameCol,
    col('Capacity'),
    col('Access Modes'),
    col('Reclaim Policy'),
    col('Status'),
    col('Claim'),
    col('StorageClass'),
    col('VolumeAttributesClass'),
    col('Reason'),
    col('Age'),
    col('VolumeMode', { priority: 1 }),
  ],
  row(obj: KubeObject, ctx: PrintContext): string[] {
    const pv = obj as unknown as PersistentVolume;
    const claim = pv.spec?.claimRef ? `${pv.spec.claimRef.namespace ?? ''}/${pv.spec.claimRef.name ?? ''}` : '';
    const cells = [
      pv.metadata?.name ?? '',
      pv.spec?.capacity?.storage ? String(canonicalQuantity(pv.spec.capacity.storage)) : '0',
      accessModes(pv.spec?.accessModes),
      pv.spec?.persistentVolumeReclaimPolicy ?? '',
      pv.metadata?.deletionTimestamp ? 'Terminating' : (pv.status?.phase ?? ''),
      claim,
      storageClassOf(pv),
      pv.spec?.volumeAttributesClassName ?? '<unset>',
      pv.status?.reason ?? '',
      since(pv.metadata?.creationTimestamp, ctx.now),
    ];
    return ctx.wide ? [...cells, pv.spec?.volumeMode ?? '<unset>'] : cells;
  },
};

const DEFAULT_CLASS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

export const storageClassTable: TableDef = {
  columns: [nameCol, col('Provisioner'), col('ReclaimPolicy'), col('VolumeBindingMode'), col('AllowVolumeExpansion'), col('Age')],
  row(obj: KubeObject, ctx: PrintContext): string[] {
    const sc = obj as unknown as StorageClass;
    const isDefault = DEFAULT_CLASS.some((k) => sc.metadata?.annotations?.[k] === 'true');
    return [
      `${sc.metadata?.name ?? ''}${isDefault ? ' (default)' : ''}`,
      sc.provisioner,
      sc.reclaimPolicy ?? 'Delete',
      sc.volumeBindingMode ?? 'Immediate',
      String(sc.allowVolumeExpansion ?? false),
      since(sc.metadata?.creationTimestamp, ctx.now),
    ];
  },
};

/** The server's default table for a kind without a printer: name and age. */
export const defaultTable: TableDef = {
  columns: [nameCol, col('Age')],
  row: (obj: KubeObject, ctx: PrintContext) => [obj.metadata.name ?? '', since(obj.metadata.creationTimestamp, ctx.now)],
};

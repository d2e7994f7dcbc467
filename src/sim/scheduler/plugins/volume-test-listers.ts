// Test fixtures for the volume plugins (imported by *.test.ts only): claims,
// volumes, classes and listers over them, with the writes PreBind makes
// recorded and applied (each write bumps the resourceVersion, as the
// apiserver would).
import type { Pod } from 'kubernetes-types/core/v1';
import type { KubeObject, PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../api/types';
import { ANN_BIND_COMPLETED } from '../../api/persistent-volume-helpers';
import type { VolumeListers } from '../framework/types';

export const zoneAffinity = (...zones: string[]) => ({
  required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: zones }] }] },
});

export function claim(name: string, o: { class?: string; storage?: string; modes?: string[]; volumeName?: string; annotations?: Record<string, string>; namespace?: string } = {}): PersistentVolumeClaim {
  const annotations = { ...o.annotations, ...(o.volumeName ? { [ANN_BIND_COMPLETED]: 'yes' } : {}) };
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: o.namespace ?? 'default', uid: `uid-${name}`, resourceVersion: '1', ...(Object.keys(annotations).length ? { annotations } : {}) },
    spec: {
      accessModes: o.modes ?? ['ReadWriteOnce'],
      resources: { requests: { storage: o.storage ?? '1Gi' } },
      ...(o.class !== undefined ? { storageClassName: o.class } : {}),
      ...(o.volumeName ? { volumeName: o.volumeName } : {}),
    },
    status: { phase: o.volumeName ? 'Bound' : 'Pending' },
  };
}

export function volume(
  name: string,
  o: { class?: string; storage?: string; modes?: string[]; zones?: string[]; zoneLabel?: string; claimRef?: PersistentVolumeClaim; phase?: string; driver?: string } = {},
): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, resourceVersion: '1', ...(o.zoneLabel ? { labels: { 'topology.kubernetes.io/zone': o.zoneLabel } } : {}) },
    spec: {
      accessModes: o.modes ?? ['ReadWriteOnce'],
      capacity: { storage: o.storage ?? '10Gi' },
      storageClassName: o.class ?? '',
      csi: { driver: o.driver ?? 'disk.csi.example.com', volumeHandle: `vol-${name}` },
      ...(o.zones ? { nodeAffinity: zoneAffinity(...o.zones) } : {}),
      ...(o.claimRef ? { claimRef: { namespace: o.claimRef.metadata!.namespace, name: o.claimRef.metadata!.name, uid: o.claimRef.metadata!.uid } } : {}),
    },
    status: { phase: o.phase ?? (o.claimRef ? 'Bound' : 'Available') },
  };
}

export const storageClass = (name: string, o: Partial<StorageClass> = {}): StorageClass => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name },
  provisioner: 'disk.csi.example.com',
  volumeBindingMode: 'WaitForFirstConsumer',
  reclaimPolicy: 'Delete',
  ...o,
});

/** A pod using these claims as volumes "vol-0", "vol-1", ... */
export const withClaims = (pod: Pod, ...claims: string[]): Pod => ({
  ...pod,
  spec: { ...pod.spec!, volumes: claims.map((c, i) => ({ name: `vol-${i}`, persistentVolumeClaim: { claimName: c } })) },
});

export interface FakeListers extends VolumeListers {
  claims: Map<string, PersistentVolumeClaim>;
  pvs: Map<string, PersistentVolume>;
  writes: KubeObject[];
  pending: Set<string>;
}

export function fakeListers(o: { claims?: PersistentVolumeClaim[]; volumes?: PersistentVolume[]; classes?: StorageClass[]; pendingPods?: string[] } = {}): FakeListers {
  const claims = new Map((o.claims ?? []).map((c) => [`${c.metadata!.namespace}/${c.metadata!.name}`, c]));
  const pvs = new Map((o.volumes ?? []).map((v) => [v.metadata!.name!, v]));
  const classes = new Map((o.classes ?? []).map((c) => [c.metadata!.name!, c]));
  const writes: KubeObject[] = [];
  const pending = new Set(o.pendingPods ?? []);
  return {
    claims,
    pvs,
    writes,
    pending,
    claim: (ns, name) => claims.get(`${ns}/${name}`),
    volume: (name) => pvs.get(name),
    volumes: () => [...pvs.values()].sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1)),
    storageClass: (name) => classes.get(name),
    pendingPod: (ns, name) => (pending.has(`${ns}/${name}`) ? ({ metadata: { namespace: ns, name } } as Pod) : undefined),
    update: (obj) => {
      const rv = String(Number(obj.metadata?.resourceVersion ?? 0) + 1);
      const stored = { ...obj, metadata: { ...obj.metadata, resourceVersion: rv } } as KubeObject;
      writes.push(stored);
      if (obj.kind === 'PersistentVolume') pvs.set(obj.metadata!.name!, stored as unknown as PersistentVolume);
      else claims.set(`${obj.metadata!.namespace}/${obj.metadata!.name}`, stored as unknown as PersistentVolumeClaim);
      return { ok: true, object: stored };
    },
  };
}

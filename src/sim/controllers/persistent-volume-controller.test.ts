import { describe, expect, it } from 'vitest';
import type { Event, KubeObject, PersistentVolume, PersistentVolumeClaim } from '../api/types';
import { createCluster } from '../cluster';
import { emptyScenario } from '../model';
import { stored } from './controller-utils-testing';
import { PV_RESYNC_MS } from './persistent-volume-controller';
import { DELETE_MS, PROVISION_MS } from './persistent-volume-provisioner';

// Upstream: pkg/controller/volume/persistentvolume (pv_controller.go, index.go),
// the pvcprotection and pvprotection controllers, and the CSI external-provisioner.

const pv = (name: string, o: { storage?: string; modes?: string[]; class?: string; labels?: Record<string, string>; reclaim?: string } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name, ...(o.labels ? { labels: o.labels } : {}) },
  spec: {
    capacity: { storage: o.storage ?? '10Gi' },
    accessModes: o.modes ?? ['ReadWriteOnce'],
    storageClassName: o.class ?? 'manual',
    persistentVolumeReclaimPolicy: o.reclaim ?? 'Retain',
    csi: { driver: 'disk.csi.example.com', volumeHandle: `vol-${name}` },
  },
});

const pvc = (name: string, o: { storage?: string; modes?: string[]; class?: string | null; selector?: Record<string, string> } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default' },
  spec: {
    accessModes: o.modes ?? ['ReadWriteOnce'],
    resources: { requests: { storage: o.storage ?? '1Gi' } },
    ...(o.class === null ? {} : { storageClassName: o.class ?? 'manual' }),
    ...(o.selector ? { selector: { matchLabels: o.selector } } : {}),
  },
});

const sc = (name: string, o: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner: 'disk.csi.example.com', ...o }) as KubeObject;

function setup(objects: KubeObject[]) {
  const cluster = createCluster({ ...emptyScenario(), objects: [{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'zone-a' } } }, ...objects] });
  const client = cluster.apiserver.client('test');
  const claim = (name: string) => stored<PersistentVolumeClaim>(cluster, 'persistentvolumeclaims').find((c) => c.metadata?.name === name);
  const volume = (name: string) => stored<PersistentVolume>(cluster, 'persistentvolumes').find((v) => v.metadata?.name === name);
  const volumes = () => stored<PersistentVolume>(cluster, 'persistentvolumes');
  const events = (name: string) => stored<Event>(cluster, 'events').filter((e) => e.involvedObject.name === name).map((e) => `${e.reason}: ${e.message}`);
  return { cluster, client, claim, volume, volumes, events };
}

describe('persistentvolume-controller', () => {
  it('binds a claim to the smallest Available volume of its class that is big enough and selected', () => {
    const { cluster, claim, volume } = setup([
      pv('big', { storage: '100Gi' }),
      pv('small', { storage: '2Gi' }),
      pv('tiny', { storage: '500Mi' }),
      pv('other-class', { storage: '3Gi', class: 'fast' }),
      pv('unlabelled', { storage: '2Gi' }),
      pvc('data', { storage: '1Gi' }),
      pvc('picky', { storage: '1Gi', selector: { tier: 'gold' } }),
      pv('gold', { storage: '50Gi', labels: { tier: 'gold' } }),
    ]);
    cluster.runUntil(1000);
    // 500Mi is too small; 2Gi ("small" and "unlabelled" tie) is the smallest fit: the first of the two found.
    const data = claim('data')!;
    expect(['small', 'unlabelled']).toContain(data.spec?.volumeName);
    expect(data.status).toEqual({ phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '2Gi' } });
    expect(data.metadata?.annotations).toEqual({ 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' });
    const bound = volume(data.spec!.volumeName!)!;
    expect(bound.status?.phase).toBe('Bound');
    expect(bound.spec?.claimRef).toMatchObject({ kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: data.metadata!.uid });
    expect(bound.metadata?.annotations).toEqual({ 'pv.kubernetes.io/bound-by-controller': 'yes' });
    // The selector picks the only labelled volume, however big.
    expect(claim('picky')!.spec?.volumeName).toBe('gold');
    expect(volume('tiny')!.status?.phase).toBe('Available');
  });

  it('prefers a volume offering fewer access modes over a smaller one offering more', () => {
    const { cluster, claim } = setup([pv('rwo-rox', { storage: '5Gi', modes: ['ReadWriteOnce', 'ReadOnlyMany'] }), pv('rwo', { storage: '10Gi' }), pvc('data')]);
    cluster.runUntil(1000);
    expect(claim('data')!.spec?.volumeName).toBe('rwo');
  });

  it('leaves a claim Pending when nothing fits, and says why', () => {
    const { cluster, claim, events } = setup([pv('small', { storage: '1Gi', class: '' }), pvc('data', { storage: '5Gi', class: '' })]);
    cluster.runUntil(1000);
    expect(claim('data')!.status?.phase).toBe('Pending');
    expect(events('data')).toEqual(['FailedBinding: no persistent volumes available for this claim and no storage class is set']);
  });

  it('waits for a consumer with WaitForFirstConsumer, even when a volume would fit, and repeats the event each resync', () => {
    const { cluster, claim } = setup([sc('local', { provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' }), pv('disk', { class: 'local' }), pvc('data', { class: 'local' })]);
    cluster.runUntil(PV_RESYNC_MS * 2 + 1000);
    expect(claim('data')!.status?.phase).toBe('Pending');
    const ev = stored<Event>(cluster, 'events').find((e) => e.reason === 'WaitForFirstConsumer')!;
    expect(ev.message).toBe('waiting for first consumer to be created before binding');
    // At 0 s, then at each 15 s resync.
    expect(ev.count).toBe(3);
  });

  it('provisions an Immediate claim through its class\'s external provisioner', () => {
    const { cluster, claim, volume, events } = setup([sc('fast', { reclaimPolicy: 'Delete' }), pvc('data', { class: 'fast', storage: '3Gi' })]);
    cluster.runUntil(PROVISION_MS + 500);
    const data = claim('data')!;
    const name = `pvc-${data.metadata!.uid}`;
    expect(data.spec?.volumeName).toBe(name);
    expect(data.metadata?.annotations).toMatchObject({ 'volume.kubernetes.io/storage-provisioner': 'disk.csi.example.com', 'volume.beta.kubernetes.io/storage-provisioner': 'disk.csi.example.com' });
    expect(volume(name)!.spec).toMatchObject({ capacity: { storage: '3Gi' }, persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'fast', csi: { driver: 'disk.csi.example.com' } });
    expect(volume(name)!.metadata?.annotations).toEqual({ 'pv.kubernetes.io/provisioned-by': 'disk.csi.example.com' });
    expect(events('data')).toEqual([
      "ExternalProvisioning: Waiting for a volume to be created either by the external provisioner 'disk.csi.example.com' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
      'Provisioning: External provisioner is provisioning volume for claim "default/data"',
      `ProvisioningSucceeded: Successfully provisioned volume ${name}`,
    ]);
  });

  it('gives a classless claim the default StorageClass', () => {
    const { cluster, claim } = setup([sc('standard', { metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } }), pvc('data', { class: null })]);
    cluster.runUntil(PROVISION_MS + 500);
    expect(claim('data')!.spec?.storageClassName).toBe('standard');
    expect(claim('data')!.status?.phase).toBe('Bound');
  });

  it("can not provision with kubernetes.io/no-provisioner, nor with a class that does not exist", () => {
    const { cluster, events } = setup([sc('local', { provisioner: 'kubernetes.io/no-provisioner' }), pvc('a', { class: 'local' }), pvc('b', { class: 'missing' })]);
    cluster.runUntil(1000);
    expect(events('a')).toEqual(['ProvisioningFailed: no volume plugin matched name: kubernetes.io/no-provisioner']);
    expect(events('b')).toEqual(['ProvisioningFailed: storageclass.storage.k8s.io "missing" not found']);
  });

  it('releases a volume whose claim is deleted: Retain keeps it, Delete has the provisioner delete it', () => {
    const { cluster, client, volume, volumes, claim } = setup([pv('kept'), pvc('a'), sc('fast'), pvc('b', { class: 'fast' })]);
    cluster.runUntil(PROVISION_MS + 500);
    const provisioned = claim('b')!.spec!.volumeName!;
    expect(volume('kept')!.status?.phase).toBe('Bound');
    client.delete('PersistentVolumeClaim', 'default', 'a');
    client.delete('PersistentVolumeClaim', 'default', 'b');
    cluster.runUntil(PROVISION_MS + 1000);
    expect(volume('kept')!.status?.phase).toBe('Released');
    cluster.runUntil(PROVISION_MS + 1000 + DELETE_MS + 500);
    expect(volumes().map((v) => v.metadata!.name)).toEqual(['kept']);
    expect(volume(provisioned)).toBeUndefined();
    // Released and retained: not offered to a new claim (it is no longer Available).
    client.create(pvc('c'));
    cluster.runUntil(PROVISION_MS + 5000);
    expect(claim('c')!.status?.phase).toBe('Pending');
  });

  it('keeps a claim Terminating while a scheduled pod uses it (pvc-protection)', () => {
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'user', namespace: 'default' },
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] },
    };
    const { cluster, client, claim } = setup([pv('disk'), pvc('data'), pod]);
    cluster.runUntil(1000);
    client.delete('PersistentVolumeClaim', 'default', 'data');
    cluster.runUntil(2000);
    expect(claim('data')!.metadata?.deletionTimestamp).toBeDefined();
    expect(claim('data')!.metadata?.finalizers).toEqual(['kubernetes.io/pvc-protection']);
    client.delete('Pod', 'default', 'user', { gracePeriodSeconds: 0 });
    cluster.runUntil(3000);
    expect(claim('data')).toBeUndefined();
  });
});

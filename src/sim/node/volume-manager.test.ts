import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { PV_RESYNC_MS } from '../controllers/persistent-volume-controller';
import { cluster, getPod, node, pod, recordEvents, times } from './testing';

// Upstream: pkg/kubelet/volumemanager (the desired-state-of-world populator and
// WaitForAttachAndMount) and SyncPod's FailedMount event in pkg/kubelet/kubelet.go.

const claim: KubeObject = {
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'data', namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'manual', resources: { requests: { storage: '1Gi' } } },
};
const volume: KubeObject = {
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name: 'disk' },
  spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, storageClassName: 'manual', csi: { driver: 'disk.csi.example.com', volumeHandle: 'vol-1' } },
};

/** A pod placed on node-1 by hand at 1 s (no scheduler, so nothing waited for the claim), mounting "data". */
function start(objects: KubeObject[]) {
  const c = cluster([node('node-1'), ...objects]);
  const events = recordEvents(c);
  c.runUntil(1000);
  const p = pod('db', { node: 'node-1' });
  c.act({ action: 'apply', manifests: [{ ...p, spec: { ...(p.spec as object), volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] } }] });
  return { c, events };
}

describe('kubelet: volumes', () => {
  it('does not start a pod whose claim is not bound: ContainerCreating, with FailedMount each sync', () => {
    const { c, events } = start([claim]);
    c.runUntil(25_000);
    const p = getPod(c, 'db')!;
    expect(p.status?.phase).toBe('Pending');
    expect(p.status?.containerStatuses?.[0].state?.waiting?.reason).toBe('ContainerCreating');
    expect(p.status?.conditions?.find((x) => x.type === 'PodReadyToStartContainers')?.status).toBe('False');
    const failed = events.filter((e) => e.reason === 'FailedMount');
    expect(failed[0]).toMatchObject({
      type: 'Warning',
      message: 'Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], failed to process volumes=[data]: error processing PVC default/data: PVC is not bound',
    });
    // At the first sync (the kubelet sees the pod at 1.001 s; the event is seen 1 ms later), then after
    // each 10 s error backoff of the pod worker: one event, counted up.
    expect(times(events, 'FailedMount')).toEqual([1002, 11_002, 21_002]);
    expect(failed.at(-1)!.count).toBe(3);
  });

  it('names a claim that does not exist', () => {
    const { c, events } = start([]);
    c.runUntil(2000);
    expect(events.find((e) => e.reason === 'FailedMount')?.message).toBe(
      'Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], failed to process volumes=[data]: error processing PVC default/data: failed to fetch PVC from API server: persistentvolumeclaims "data" not found',
    );
  });

  it('starts the pod at the first sync after the claim is bound', () => {
    const { c, events } = start([claim]);
    c.runUntil(5000);
    // The volume appears at 5 s; the PV controller binds the claim at its next resync (15 s).
    c.act({ action: 'apply', manifests: [volume] });
    c.runUntil(PV_RESYNC_MS + 1000);
    expect(getPod(c, 'db')!.status?.phase).toBe('Pending');
    // The pod worker's next try (21.001 s) finds it Bound: sandbox (0.5 s), then the pull (3.8 s).
    c.runUntil(26_000);
    expect(getPod(c, 'db')!.status?.phase).toBe('Running');
    expect(times(events, 'FailedMount').at(-1)).toBe(11_002);
    expect(times(events, 'Pulling')).toEqual([21_502]);
  });
});

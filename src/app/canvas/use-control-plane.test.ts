// The control plane the canvas reads from the live simulation: the gallery's
// leader-failover scenario (three control-plane machines), through the store
// the app uses.
import { describe, expect, it } from 'vitest';
import { scenarioGallery } from '../../scenario/gallery';
import { History } from '../../scenario/history';
import { createClusterStore, UI_CLUSTER_OPTIONS } from '../store/cluster-store';
import { controlPlaneSnapshot } from './use-control-plane';

const yaml = scenarioGallery().find((e) => e.name === 'leader-failover')!.yaml;
const storeAt = (ms: number) => createClusterStore({ open: () => new History(yaml, UI_CLUSTER_OPTIONS), start: { startAt: ms, paused: true } });
const leaderOf = (s: ReturnType<typeof controlPlaneSnapshot>, role: string) => [...s.components.values()].filter((c) => c.name.startsWith(`${role}-`) && c.leader === true);

describe('the control plane as the canvas reads it', () => {
  it('three frames of four components each, the load balancer with three backends, one leading scheduler', () => {
    const snap = controlPlaneSnapshot(storeAt(50_000));
    expect(snap.layout.shape?.map((m) => [m.name, m.etcd, m.apiserver, m.scheduler, m.controllerManager])).toEqual([1, 2, 3].map((i) => [`control-plane-${i}`, [`etcd-${i}`], `kube-apiserver-${i}`, `kube-scheduler-${i}`, `kube-controller-manager-${i}`]));
    expect(snap.layout.cloud).toBeNull();
    expect([...snap.machines.values()].map((m) => m.powered)).toEqual([true, true, true]);
    expect([...snap.balancer!.backends.keys()]).toEqual(['kube-apiserver-1', 'kube-apiserver-2', 'kube-apiserver-3']);
    // The story's: kube-scheduler-1 gave its Lease up at 20 s and kube-scheduler-3 took it.
    expect(leaderOf(snap, 'kube-scheduler').map((c) => c.host)).toEqual(['control-plane-3']);
    expect([...snap.components.values()].filter((c) => c.name.startsWith('kube-scheduler-') && c.state === 'standby')).toHaveLength(2);
  });

  it('keeps every part while nothing it holds changed, so no box re-renders on such a tick', () => {
    const store = storeAt(50_000);
    const a = controlPlaneSnapshot(store);
    store.getState().play();
    store.getState().advance(16);
    const b = controlPlaneSnapshot(store);
    expect(store.getState().now).toBe(50_016);
    expect(b.layout).toBe(a.layout);
    expect(b.machines).toBe(a.machines);
    expect(b.components.get('kube-apiserver-1')).toBe(a.components.get('kube-apiserver-1'));
    expect(b.components.get('kube-controller-manager-2')).toBe(a.components.get('kube-controller-manager-2'));
  });

  it('powering a machine off changes its machine and its components, not the frames or the other machines', () => {
    const store = storeAt(40_000);
    const a = controlPlaneSnapshot(store);
    store.getState().act({ action: 'powerOff', node: 'control-plane-2' });
    const b = controlPlaneSnapshot(store);
    expect(b.layout).toBe(a.layout);
    expect(b.machines.get('control-plane-2')!.powered).toBe(false);
    expect(b.machines.get('control-plane-1')).toBe(a.machines.get('control-plane-1'));
    for (const c of ['etcd-2', 'kube-apiserver-2', 'kube-scheduler-2', 'kube-controller-manager-2']) expect(b.components.get(c)!.state).toBe('stopped');
    expect(b.components.get('kube-apiserver-1')).toBe(a.components.get('kube-apiserver-1'));
  });

  it('after control-plane-3 loses power (60 s) a standby on another machine leads by 100 s', () => {
    const snap = controlPlaneSnapshot(storeAt(100_000));
    const [leader] = leaderOf(snap, 'kube-scheduler');
    expect(leader.host).not.toBe('control-plane-3');
    expect(snap.components.get('kube-scheduler-3')!.state).toBe('stopped');
    // The balancer found kube-apiserver-3 down (3 failed checks of 2 s) long ago.
    expect(snap.balancer!.backends.get('kube-apiserver-3')).toMatchObject({ up: false, check: 'DOWN', connections: 0 });
  });
});

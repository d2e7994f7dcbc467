// Reading the control plane's shape from the components the simulation reports.
import { describe, expect, it } from 'vitest';
import { controlPlaneShape, etcdDrawOrder, replicaStatus, roleOf, sameShape, type ComponentReport } from './control-plane-model';

const single: ComponentReport[] = [
  { name: 'etcd-1', state: 'leader' },
  { name: 'etcd-2', state: 'follower' },
  { name: 'etcd-3', state: 'follower' },
  { name: 'kube-apiserver', state: 'running' },
  { name: 'kube-scheduler', state: 'idle', leader: true },
  { name: 'kube-controller-manager', state: 'running', leader: true },
];

/** kubeadm-style stacked etcd: member i on control-plane-((i - 1) % n + 1). */
function ha(n: number, members = n): ComponentReport[] {
  const out: ComponentReport[] = [];
  for (let i = 1; i <= members; i++) out.push({ name: `etcd-${i}`, state: i === 1 ? 'leader' : 'follower', host: `control-plane-${((i - 1) % n) + 1}` });
  for (let i = 1; i <= n; i++) {
    const host = `control-plane-${i}`;
    out.push({ name: `kube-apiserver-${i}`, state: 'running', host });
    out.push({ name: `kube-scheduler-${i}`, state: i === 2 ? 'idle' : 'standby', host, leader: i === 2 });
    out.push({ name: `kube-controller-manager-${i}`, state: i === 1 ? 'running' : 'standby', host, leader: i === 1 });
  }
  return out;
}
const machines = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `control-plane-${i + 1}`, powered: true }));

describe('controlPlaneShape', () => {
  it('one control plane (with or without its one machine reported) is no frame: the canvas draws it as it always has', () => {
    expect(controlPlaneShape(single, [])).toBeNull();
    expect(controlPlaneShape(single.map((c) => ({ ...c, host: 'control-plane' })), [{ name: 'control-plane' }])).toBeNull();
  });

  it('three machines: one frame each, with its etcd member and its three replicas', () => {
    const shape = controlPlaneShape(ha(3), machines(3))!;
    expect(shape.map((m) => m.name)).toEqual(['control-plane-1', 'control-plane-2', 'control-plane-3']);
    expect(shape[1]).toEqual({ name: 'control-plane-2', etcd: ['etcd-2'], apiserver: 'kube-apiserver-2', scheduler: 'kube-scheduler-2', controllerManager: 'kube-controller-manager-2' });
  });

  it('five members on three machines: control-plane-1 and -2 hold two each ((4 - 1) % 3 + 1 = 1, (5 - 1) % 3 + 1 = 2)', () => {
    const shape = controlPlaneShape(ha(3, 5), machines(3))!;
    expect(shape.map((m) => m.etcd)).toEqual([['etcd-1', 'etcd-4'], ['etcd-2', 'etcd-5'], ['etcd-3']]);
    // Drawn machine by machine, so raft's neighbour edges join boxes that stand side by side.
    expect(etcdDrawOrder(['etcd-1', 'etcd-2', 'etcd-3', 'etcd-4', 'etcd-5'], shape)).toEqual(['etcd-1', 'etcd-4', 'etcd-2', 'etcd-5', 'etcd-3']);
  });

  it('replica names alone make it highly available, machines taken from the hosts when the cluster lists none', () => {
    expect(controlPlaneShape(ha(2), [])?.map((m) => m.name)).toEqual(['control-plane-1', 'control-plane-2']);
  });

  it('the same frames compare equal, whatever the states', () => {
    const a = controlPlaneShape(ha(3), machines(3));
    const b = controlPlaneShape(ha(3).map((c) => ({ ...c, state: 'stopped', leader: false })), machines(3));
    expect(sameShape(a, b)).toBe(true);
    expect(sameShape(a, controlPlaneShape(ha(3, 5), machines(3)))).toBe(false);
    expect(sameShape(null, null)).toBe(true);
  });
});

describe('replicaStatus', () => {
  it('leader, standby, running and stopped, as the badge says them', () => {
    expect(replicaStatus({ state: 'idle', leader: true })).toEqual({ badge: 'leader', tone: 'leader' });
    expect(replicaStatus({ state: 'standby', leader: false })).toEqual({ badge: 'standby', tone: 'standby' });
    expect(replicaStatus({ state: 'running' })).toEqual({ badge: 'running', tone: 'ok' });
    // A stopped leader's Lease is still its own until it expires; the box says what the process is.
    expect(replicaStatus({ state: 'stopped', leader: true })).toEqual({ badge: 'stopped', tone: 'bad' });
  });

  it('roles from names', () => {
    expect(['etcd-3', 'kube-apiserver', 'kube-apiserver-2', 'kube-scheduler-3', 'kube-controller-manager-1', 'cloud-controller-manager', 'kubelet/node-1'].map(roleOf)).toEqual([
      'etcd',
      'apiserver',
      'apiserver',
      'scheduler',
      'controllerManager',
      'cloudControllerManager',
      'other',
    ]);
  });
});

// The control-plane machines as a user drives them: what runs where, what
// a power cut stops, who leads, and the verbs that do not apply to them.
import type { Lease } from 'kubernetes-types/coordination/v1';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { createCluster, type Cluster } from '../cluster';
import { emptyScenario, type ControlPlaneShape } from '../model';

const ha = (controlPlane: ControlPlaneShape = { etcdMembers: 3, nodes: 3 }) =>
  createCluster({ ...emptyScenario(), controlPlane, objects: [{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } }] });
const holder = (c: Cluster, lease: string) =>
  (c.objects().find((o) => o.kind === 'Lease' && o.metadata.namespace === 'kube-system' && o.metadata.name === lease) as (KubeObject & Lease) | undefined)?.spec?.holderIdentity;
const view = (c: Cluster, name: string) => c.components().find((x) => x.name === name);

describe('control plane', () => {
  it('one machine keeps the names it always had, and its scheduler and controller-manager lead', () => {
    const c = createCluster(emptyScenario());
    expect(c.components().map((x) => [x.name, x.host])).toEqual([
      ['etcd-1', 'control-plane'],
      ['etcd-2', 'control-plane'],
      ['etcd-3', 'control-plane'],
      ['kube-apiserver', 'control-plane'],
      ['kube-scheduler', 'control-plane'],
      ['kube-controller-manager', 'control-plane'],
    ]);
    expect(view(c, 'kube-scheduler')).toMatchObject({ state: 'idle', leader: true });
    expect(view(c, 'kube-controller-manager')).toMatchObject({ state: 'running', leader: true });
    expect(holder(c, 'kube-scheduler')).toMatch(/^control-plane_[0-9a-f-]{36}$/);
    expect(c.apiserver.loadBalancerView()).toBeUndefined();
  });

  it('three machines: a process of each kind on each, etcd members stacked, one leader per Lease', () => {
    const c = ha({ etcdMembers: 5, nodes: 3 });
    // Member i on machine ((i - 1) mod 3) + 1.
    expect(c.components().filter((x) => x.name.startsWith('etcd')).map((x) => x.host)).toEqual(['control-plane-1', 'control-plane-2', 'control-plane-3', 'control-plane-1', 'control-plane-2']);
    expect(c.controlPlaneNodes()).toEqual([
      { name: 'control-plane-1', powered: true, components: ['etcd-1', 'etcd-4', 'kube-apiserver-1', 'kube-scheduler-1', 'kube-controller-manager-1'] },
      { name: 'control-plane-2', powered: true, components: ['etcd-2', 'etcd-5', 'kube-apiserver-2', 'kube-scheduler-2', 'kube-controller-manager-2'] },
      { name: 'control-plane-3', powered: true, components: ['etcd-3', 'kube-apiserver-3', 'kube-scheduler-3', 'kube-controller-manager-3'] },
    ]);
    // The first to campaign wins; the others stand by.
    expect(c.components().filter((x) => x.leader !== undefined).map((x) => `${x.name} ${x.state}`)).toEqual([
      'kube-scheduler-1 idle',
      'kube-scheduler-2 standby',
      'kube-scheduler-3 standby',
      'kube-controller-manager-1 running',
      'kube-controller-manager-2 standby',
      'kube-controller-manager-3 standby',
    ]);
    expect(c.scheduler.name).toBe('kube-scheduler-1');
    expect(c.controllerManagers.map((m) => m.controllers().length > 0)).toEqual([true, false, false]);
  });

  it('a power cut stops everything on the machine at once and gives no Lease up; power back starts it all as standbys', () => {
    const c = ha();
    c.runUntil(5000);
    const leader = holder(c, 'kube-scheduler');
    const out = c.act({ action: 'powerOff', node: 'control-plane-1' });
    expect(out).toEqual([{ ok: true, message: 'machine/control-plane-1: powerOff (etcd-1, kube-apiserver-1, kube-scheduler-1, kube-controller-manager-1 stopped)' }]);
    expect(['etcd-1', 'kube-apiserver-1', 'kube-scheduler-1', 'kube-controller-manager-1'].map((n) => view(c, n)?.state)).toEqual(['stopped', 'stopped', 'stopped', 'stopped']);
    expect(c.controlPlaneNodes()[0].powered).toBe(false);
    // Nothing was released: the Lease names the dead process until a standby takes it.
    expect(holder(c, 'kube-scheduler')).toBe(leader);
    expect(c.act({ action: 'startComponent', component: 'kube-scheduler-1' })).toEqual([{ ok: false, message: 'kube-scheduler-1 cannot start: its machine control-plane-1 is powered off' }]);
    c.runUntil(30_000);
    expect(holder(c, 'kube-scheduler')).toMatch(/^control-plane-[23]_/);
    c.act({ action: 'powerOn', node: 'control-plane-1' });
    expect(view(c, 'kube-scheduler-1')).toMatchObject({ state: 'standby', leader: false });
    expect(view(c, 'kube-apiserver-1')?.state).toBe('running');
    expect(view(c, 'etcd-1')?.state).not.toBe('stopped');
  });

  it('a scheduler stopped by hand gives its Lease up at once (ReleaseOnCancel); a controller-manager keeps its', () => {
    const c = ha();
    c.runUntil(5000);
    const kcm = holder(c, 'kube-controller-manager');
    c.act({ action: 'stopComponent', component: 'kube-scheduler-1' });
    c.act({ action: 'stopComponent', component: 'kube-controller-manager-1' });
    expect(holder(c, 'kube-scheduler')).toBe('');
    expect(holder(c, 'kube-controller-manager')).toBe(kcm);
  });

  it('a control-plane machine is not a Node: only powerOff and powerOn apply to it', () => {
    const c = ha();
    for (const action of ['cordon', 'drain', 'stopKubelet', 'partition', 'fillMemory'] as const)
      expect(c.act({ action, node: 'control-plane-2' })).toEqual([{ ok: false, message: 'control-plane-2 is a control-plane machine, not a Node: only powerOff and powerOn apply to it' }]);
    expect(c.act({ action: 'stopComponent', component: 'kube-scheduler' })[0].message).toMatch(/^no component "kube-scheduler" \(components: etcd-1, .*kube-scheduler-1/);
  });

  it('one machine powered off takes the whole control plane with it', () => {
    const c = createCluster(emptyScenario());
    c.act({ action: 'powerOff', node: 'control-plane' });
    expect(c.components().every((x) => x.state === 'stopped')).toBe(true);
    expect(c.apiserver.running).toBe(false);
    c.act({ action: 'powerOn', node: 'control-plane' });
    expect(c.apiserver.running).toBe(true);
  });
});

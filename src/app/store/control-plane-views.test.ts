// The inspector's views of a highly available control plane (three
// control-plane machines, as kubeadm's stacked topology), its load balancer
// and cloud-controller-manager. Leader election as client-go runs it:
// leaseDuration 15 s, renewDeadline 10 s, retryPeriod 2 s; the first
// candidate to try (kube-scheduler-1, built first) takes the Lease at 0 s and
// renews it every 2 s.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../scenario/load';
import { createCluster, type Cluster } from '../../sim/cluster';
import type { KubeObject } from '../../sim/api/types';
import { emptyScenario } from '../../sim/model';
import { componentKind, inspectComponent, type ComponentInspection } from './inspector-views';
import { holderProcess } from './control-plane-views';

const node = (name: string) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' } } }) as KubeObject;

function haCluster(): Cluster {
  return createCluster({ ...emptyScenario(), controlPlane: { etcdMembers: 3, nodes: 3 }, objects: [node('node-1'), node('node-2')] });
}

const fact = (v: ComponentInspection, label: string) => v.facts.find((f) => f.label === label);
const setting = (v: ComponentInspection, name: string) => v.settings.find((s) => s.name === name)?.value;
const leaderOf = (c: Cluster, prefix: string) => c.components().find((x) => x.name.startsWith(prefix) && x.leader)?.name;

describe('component names', () => {
  it('knows the replicas, cloud-controller-manager and the load balancer', () => {
    expect(componentKind('kube-apiserver-2')).toBe('kube-apiserver');
    expect(componentKind('kube-scheduler-3')).toBe('kube-scheduler');
    expect(componentKind('kube-controller-manager-1')).toBe('kube-controller-manager');
    expect(componentKind('kube-scheduler')).toBe('kube-scheduler');
    expect(componentKind('cloud-controller-manager')).toBe('cloud-controller-manager');
    expect(componentKind('apiserver-lb')).toBe('load-balancer');
    expect(componentKind('kube-scheduler-x')).toBeNull();
    expect(componentKind('kube-scheduler-')).toBeNull();
  });

  it('a single control plane has no replicas, no load balancer and no cloud-controller-manager', () => {
    const c = createCluster(emptyScenario());
    expect(inspectComponent(c, 'kube-scheduler-1')).toBeNull();
    expect(inspectComponent(c, 'kube-apiserver-2')).toBeNull();
    expect(inspectComponent(c, 'apiserver-lb')).toBeNull();
    expect(inspectComponent(c, 'cloud-controller-manager')).toBeNull();
    // Its scheduler is leader-elected all the same, on the one machine, and has no machine of its own to power.
    const v = inspectComponent(c, 'kube-scheduler')!;
    expect(fact(v, 'Leader election')?.value).toMatch(/^leader/);
    expect(fact(v, 'Transitions')?.value).toMatch(/^0 /);
    expect(v.machine).toBeUndefined();
    expect(v.tone).toBe('ok');
  });

  it('tells the holder of an earlier run of a process apart from the one running now', () => {
    const procs = [
      { name: 'kube-scheduler-1', host: 'control-plane-1', identity: 'control-plane-1_b', running: true, leading: false },
      { name: 'kube-scheduler-2', host: 'control-plane-2', identity: 'control-plane-2_c', running: true, leading: true },
    ];
    expect(holderProcess('control-plane-2_c', procs)).toEqual({ process: procs[1], current: true });
    expect(holderProcess('control-plane-1_a', procs)).toEqual({ process: procs[0], current: false });
    expect(holderProcess('elsewhere_x', procs)).toBeUndefined();
    expect(holderProcess('', procs)).toBeUndefined();
  });
});

describe('replicas and leader election', () => {
  it('the leader holds the Lease since 0 s and renews it every 2 s; the standbys name it as holder', () => {
    const c = haCluster();
    c.runUntil(31_000);
    const leader = inspectComponent(c, 'kube-scheduler-1')!;
    expect(leader.state).toBe('idle');
    expect(leader.tone).toBe('leader');
    expect(leader.machine).toBe('control-plane-1');
    const identity = c.schedulers[0].identity;
    expect(fact(leader, 'Holder')).toMatchObject({ value: `${identity} (kube-scheduler-1)`, tone: 'ok' });
    expect(fact(leader, 'Acquired')?.value).toBe('0.000s');
    // Renewals at 0, 2, 4, ... 30 s: the last one 1 s before 31 s.
    expect(fact(leader, 'Renewed')?.value).toBe('30.000s (1s ago)');
    expect(fact(leader, 'Lease')).toMatchObject({ value: 'kube-system/kube-scheduler', select: { type: 'object', key: 'Lease/kube-system/kube-scheduler' } });

    const standby = inspectComponent(c, 'kube-scheduler-2')!;
    expect(standby.state).toBe('standby');
    expect(standby.tone).toBe('standby');
    expect(fact(standby, 'Extension point')?.value).toBe('none: a standby runs no scheduling cycle');
    expect(fact(standby, 'Holder')).toMatchObject({ value: `${identity} (kube-scheduler-1)`, select: { type: 'component', name: 'kube-scheduler-1' } });
    expect(standby.lists.find((l) => l.title === 'Candidates')?.items.map((i) => `${i.label} ${i.detail}`)).toEqual([
      'kube-scheduler-1 leader · on control-plane-1',
      'kube-scheduler-2 standby · on control-plane-2',
      'kube-scheduler-3 standby · on control-plane-3',
    ]);
    expect(setting(standby, '--leader-elect-lease-duration')).toBe('15s');
    expect(setting(standby, '--leader-elect-renew-deadline')).toBe('10s');
    expect(setting(standby, '--leader-elect-retry-period')).toBe('2s');
    expect(setting(standby, '--leader-elect-resource-name')).toBe('kube-scheduler');
  });

  it("a leader's machine loses power: the Lease is left to expire, then a standby on another machine takes it (transition 1)", () => {
    const c = haCluster();
    c.runUntil(31_000);
    const oldIdentity = c.schedulers[0].identity;
    c.act({ action: 'powerOff', node: 'control-plane-1' });
    c.runUntil(35_000);
    const waiting = inspectComponent(c, 'kube-scheduler-2')!;
    // Nothing was given up: the record still names the powered-off process, last renewed at 30 s.
    expect(fact(waiting, 'Holder')).toMatchObject({ value: `${oldIdentity} (kube-scheduler-1, not running: the Lease is left to expire)`, tone: 'bad' });
    expect(fact(waiting, 'Renewed')?.value).toBe('30.000s (5s ago)');
    const gone = inspectComponent(c, 'kube-scheduler-1')!;
    expect(gone.state).toBe('stopped');
    expect(fact(gone, 'Machine')).toMatchObject({ value: 'control-plane-1 · powered off', tone: 'bad' });

    // A standby saw the record change last at its read after 30 s (by 34.4 s); 15 s later, at its next try (2 to 4.4 s apart), it takes over: by 53.8 s.
    c.runUntil(60_000);
    const now = leaderOf(c, 'kube-scheduler-')!;
    expect(['kube-scheduler-2', 'kube-scheduler-3']).toContain(now);
    const v = inspectComponent(c, now)!;
    expect(fact(v, 'Leader election')?.value).toMatch(/^leader/);
    expect(fact(v, 'Transitions')?.value).toMatch(/^1 /);
    expect(fact(v, 'Holder')).toMatchObject({ tone: 'ok' });
    const acquired = Number(fact(v, 'Acquired')!.value.replace(/s$/, ''));
    expect(acquired).toBeGreaterThanOrEqual(45);
    expect(acquired).toBeLessThanOrEqual(53.8);

    // kube-controller-manager-1 did not give its Lease up either; its successor runs the controllers, the other standby none.
    const kcm = leaderOf(c, 'kube-controller-manager-')!;
    expect(kcm).not.toBe('kube-controller-manager-1');
    const lead = inspectComponent(c, kcm)!;
    expect(lead.state).toBe('running');
    expect(lead.lists[0].items.map((i) => i.label)).toContain('replicaset-controller');
    const other = ['kube-controller-manager-2', 'kube-controller-manager-3'].find((n) => n !== kcm)!;
    const idle = inspectComponent(c, other)!;
    expect(idle.state).toBe('standby');
    expect(fact(idle, 'Controllers')?.value).toBe('none until it holds the Lease');
    expect(idle.lists[0]).toMatchObject({ items: [], empty: 'None: a standby runs no controllers.' });
  });

  it("an apiserver replica shows its machine, its address and the load balancer's health check of it", () => {
    const c = haCluster();
    c.runUntil(10_000);
    const up = inspectComponent(c, 'kube-apiserver-2')!;
    expect(up.state).toBe('running');
    expect(fact(up, 'Address')?.value).toBe('10.0.0.12:6443');
    expect(fact(up, 'Load balancer')).toMatchObject({ tone: 'ok', select: { type: 'component', name: 'apiserver-lb' } });
    expect(fact(up, 'Load balancer')?.value).toMatch(/^UP to its health check · \d+ clients? connected$/);
    c.act({ action: 'stopComponent', component: 'kube-apiserver-2' });
    // Checked every 2 s, DOWN after 3 failures in a row: by 10 + 3 x 2 = 16 s.
    c.runUntil(16_000);
    const down = inspectComponent(c, 'kube-apiserver-2')!;
    expect(down.state).toBe('stopped');
    expect(fact(down, 'Load balancer')).toMatchObject({ value: 'DOWN to its health check · 0 clients connected', tone: 'bad' });
    expect(down.lists[0].items.find((i) => i.label === 'kube-apiserver-2')?.detail).toBe('stopped · LB DOWN');
  });
});

describe('the load balancer', () => {
  it("lists each backend as HAProxy sees it, with kubeadm's haproxy settings (inter 2s, fall 3, rise 2)", () => {
    const c = haCluster();
    c.runUntil(10_000);
    expect(inspectComponent(c, 'apiserver-lb')!.state).toBe('3/3 UP');
    c.act({ action: 'powerOff', node: 'control-plane-3' });
    c.runUntil(20_000);
    const v = inspectComponent(c, 'apiserver-lb')!;
    expect(v).toMatchObject({ name: 'apiserver-lb', kind: 'load-balancer', state: '2/3 UP', tone: 'warn' });
    expect(fact(v, 'Address')?.value).toBe('10.0.0.1:6443 (--control-plane-endpoint)');
    const backends = v.lists[0].items;
    expect(backends.map((b) => b.label)).toEqual(['kube-apiserver-1', 'kube-apiserver-2', 'kube-apiserver-3']);
    expect(backends[2]).toMatchObject({ tone: 'bad', select: { type: 'component', name: 'kube-apiserver-3' } });
    expect(backends[2].detail).toBe('DOWN · 0 clients');
    expect(setting(v, 'inter')).toBe('2s');
    expect(setting(v, 'fall')).toBe('3');
    expect(setting(v, 'rise')).toBe('2');
    expect(setting(v, 'balance')).toBe('roundrobin');
  });
});

describe('cloud-controller-manager', () => {
  it("shows its Lease, its controllers, and the cloud's load balancers and instances after a machine is deleted", () => {
    const text = readFileSync(new URL('../../scenario/examples/loadbalancer-node-loss.yaml', import.meta.url), 'utf8');
    const { cluster } = loadScenario(text);
    cluster.runUntil(90_000);
    const v = inspectComponent(cluster, 'cloud-controller-manager')!;
    expect(v).toMatchObject({ kind: 'cloud-controller-manager', state: 'running', tone: 'ok' });
    expect(fact(v, 'Lease')?.value).toBe('kube-system/cloud-controller-manager');
    expect(fact(v, 'Leader election')?.value).toMatch(/^leader/);
    // Four workers; node-2's machine deleted at 30 s: its instance is terminated.
    expect(fact(v, 'Cloud instances')?.value).toBe('3 running · 1 terminated');
    expect(v.lists.find((l) => l.title === 'Controllers')!.items.map((i) => i.label)).toEqual(expect.arrayContaining(['cloud-node-controller', 'cloud-node-lifecycle-controller', 'service-controller']));
    const lbs = v.lists.find((l) => l.title === 'Cloud load balancers')!.items;
    expect(lbs).toHaveLength(1);
    // The lowest free address of spec.cloud's range; node-2's Node was deleted at 75 s and left the backends.
    expect(lbs[0]).toMatchObject({ label: 'default/web → 203.0.113.1:80', select: { type: 'object', key: 'Service/default/web' } });
    expect(lbs[0].detail).toBe('3/3 healthy');
    const instances = v.lists.find((l) => l.title === 'Cloud instances')!.items;
    const gone = instances.find((i) => i.label === 'node-2')!;
    expect(gone.tone).toBe('bad');
    expect(gone.detail).toMatch(/^terminated · /);
    expect(gone.select).toBeUndefined();
    expect(setting(v, 'cloud load balancer health check')).toBe('every 8s on :10256/healthz');
  });
});

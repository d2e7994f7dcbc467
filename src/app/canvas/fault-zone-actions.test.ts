import { describe, expect, it } from 'vitest';
import type { Node } from 'kubernetes-types/core/v1';
import type { MachineState } from '../../sim/cluster/machines';
import { componentMenuEntries, machineMenuEntries, nextNodeName, nodeFromTemplate, nodeMenuEntries } from './fault-zone-actions';

const HEALTHY: MachineState = { powered: true, kubeletRunning: true, partitioned: false, memoryPressure: false };
const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

describe('node menu', () => {
  it('a healthy, schedulable node: every fault on offer, then cordon and drain, then delete', () => {
    const entries = nodeMenuEntries({ node: 'node-1', machine: HEALTHY, cordoned: false });
    expect(ids(entries)).toEqual(['powerOff', 'stopKubelet', 'partition', 'fillMemory', 'cordon', 'drain', 'deleteNode']);
    expect(entries.every((e) => !e.disabled)).toBe(true);
    expect(entries.find((e) => e.id === 'drain')!.actions).toEqual([{ action: 'drain', node: 'node-1' }]);
    expect(entries.find((e) => e.id === 'deleteNode')!.actions).toEqual([{ action: 'delete', kind: 'Node', name: 'node-1' }]);
  });

  it('each fault that is on offers its repair', () => {
    const m = { ...HEALTHY, kubeletRunning: false, partitioned: true, memoryPressure: true };
    expect(ids(nodeMenuEntries({ node: 'n', machine: m, cordoned: true }))).toEqual(['powerOff', 'startKubelet', 'heal', 'freeMemory', 'uncordon', 'drain', 'deleteNode']);
  });

  it('powered off: power on; the kubelet and memory wait for the machine (disabled)', () => {
    const entries = nodeMenuEntries({ node: 'n', machine: { ...HEALTHY, powered: false }, cordoned: false });
    expect(ids(entries).slice(0, 4)).toEqual(['powerOn', 'stopKubelet', 'partition', 'fillMemory']);
    expect(entries.filter((e) => e.disabled).map((e) => e.id)).toEqual(['stopKubelet', 'fillMemory']);
  });

  it('a Node that is not stored any more: only the machine is left to act on', () => {
    const entries = nodeMenuEntries({ node: 'n', machine: HEALTHY, cordoned: undefined });
    expect(entries.filter((e) => e.disabled).map((e) => e.id)).toEqual(['cordon', 'drain', 'deleteNode']);
  });
});

describe('node menu on a cloud', () => {
  it('adds "Delete machine (cloud)" last, as the deleteMachine verb, only when the scenario has a cloud', () => {
    expect(ids(nodeMenuEntries({ node: 'node-2', machine: HEALTHY, cordoned: false }))).not.toContain('deleteMachine');
    const entries = nodeMenuEntries({ node: 'node-2', machine: HEALTHY, cordoned: false, cloud: true });
    const last = entries[entries.length - 1];
    expect(last).toMatchObject({ id: 'deleteMachine', label: 'Delete machine (cloud)', danger: true, actions: [{ action: 'deleteMachine', node: 'node-2' }] });
    // A powered-off machine can still be terminated: its instance is stopped, not gone.
    expect(nodeMenuEntries({ node: 'n', machine: { ...HEALTHY, powered: false }, cordoned: false, cloud: true }).at(-1)?.disabled).toBeFalsy();
  });
});

describe('control-plane machine menu', () => {
  it('powers the machine off while it runs and on once off, with the node verbs on its name', () => {
    expect(machineMenuEntries('control-plane-2', true)).toEqual([expect.objectContaining({ id: 'powerOff', actions: [{ action: 'powerOff', node: 'control-plane-2' }] })]);
    expect(machineMenuEntries('control-plane-2', false)).toEqual([expect.objectContaining({ id: 'powerOn', actions: [{ action: 'powerOn', node: 'control-plane-2' }] })]);
  });
});

describe('component menu', () => {
  it('replicas stop and start by their own names; a standby is running, so it offers stop', () => {
    expect(componentMenuEntries('kube-scheduler-2', 'standby')[0]).toMatchObject({ id: 'stopComponent', actions: [{ action: 'stopComponent', component: 'kube-scheduler-2' }] });
    expect(componentMenuEntries('kube-apiserver-3', 'stopped')[0]).toMatchObject({ id: 'startComponent', actions: [{ action: 'startComponent', component: 'kube-apiserver-3' }] });
    expect(componentMenuEntries('kube-apiserver-3', 'running')[0].hint).toMatch(/load balancer/);
    expect(componentMenuEntries('cloud-controller-manager', 'running')[0].hint).toMatch(/cloud/);
  });

  it('stop while it runs (a leader or follower is running), start once stopped', () => {
    expect(componentMenuEntries('etcd-2', 'follower')[0]).toMatchObject({ id: 'stopComponent', actions: [{ action: 'stopComponent', component: 'etcd-2' }] });
    expect(componentMenuEntries('etcd-2', 'stopped')[0]).toMatchObject({ id: 'startComponent', actions: [{ action: 'startComponent', component: 'etcd-2' }] });
    expect(componentMenuEntries('kube-scheduler', 'Filter')[0].id).toBe('stopComponent');
  });
});

describe('add a node', () => {
  it('takes the number after the highest of the series, padding kept', () => {
    expect(nextNodeName('node-3', ['node-1', 'node-2', 'node-3'])).toBe('node-4');
    expect(nextNodeName('node-3', ['node-1', 'node-3', 'node-7'])).toBe('node-8');
    expect(nextNodeName('pool-09', ['pool-01', 'pool-09'])).toBe('pool-10');
    expect(nextNodeName('worker', ['worker'])).toBe('worker-2');
    expect(nextNodeName('worker', ['worker', 'worker-2'])).toBe('worker-3');
  });

  it("copies the last worker's labels and capacity, hostname label renamed, nothing else", () => {
    const nodes: Node[] = [
      { metadata: { name: 'node-1', labels: { 'topology.kubernetes.io/zone': 'zone-a' } }, status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' } } },
      {
        metadata: { name: 'node-2', labels: { 'topology.kubernetes.io/zone': 'zone-b', 'kubernetes.io/hostname': 'node-2', tier: 'web' } },
        spec: { unschedulable: true, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
        status: { capacity: { cpu: '8', memory: '32Gi', pods: '110' }, allocatable: { cpu: '7' } },
      },
    ];
    expect(nodeFromTemplate(nodes)).toEqual({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-3', labels: { 'topology.kubernetes.io/zone': 'zone-b', 'kubernetes.io/hostname': 'node-3', tier: 'web' } },
      status: { capacity: { cpu: '8', memory: '32Gi', pods: '110' } },
    });
  });

  it('with no worker at all: node-1 of the default size', () => {
    expect(nodeFromTemplate([])).toEqual({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels: {} }, status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' } } });
  });
});

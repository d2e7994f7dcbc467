// Scheduling across a failover of kube-scheduler's leader (three
// control-plane machines): the explainer reads the replica that holds the
// Lease kube-system/kube-scheduler and says which; between two leaders it
// says nobody schedules; the store's scheduler view and "step to the next
// extension point" follow the new leader. kube-scheduler-1 leads from 0 s
// (the first candidate) and renews every 2 s; its machine loses power at
// 10 s, a timeline action, which runs before the other events of its
// instant: the last renewal is the one at 8 s. A standby sees that change at
// its next read (2 to 4.4 s apart) and takes over at its first try more than
// 15 s later: after 8 + 15 = 23 s, by 8 + 4.4 + 15 + 4.4 = 31.8 s.
import { describe, expect, it } from 'vitest';
import { History } from '../../scenario/history';
import { createClusterStore, UI_CLUSTER_OPTIONS } from './cluster-store';
import { explainerInput, explainPod } from './explainer-views';

const HA = `apiVersion: kubeviz.dev/v1alpha1
kind: Scenario
metadata: {name: scheduler-failover}
spec:
  seed: 5
  controlPlane: {etcdMembers: 3, nodes: 3}
  timeline:
  - {at: 10s, action: powerOff, node: control-plane-1}
  - at: 12s
    action: apply
    manifest:
      apiVersion: v1
      kind: Pod
      metadata: {name: late, namespace: default}
      spec:
        containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: Node
metadata: {name: node-1}
status: {capacity: {cpu: "4", memory: 16Gi, pods: "110"}}
---
apiVersion: v1
kind: Node
metadata: {name: node-2}
status: {capacity: {cpu: "4", memory: 16Gi, pods: "110"}}
`;

const leader = (h: History) => h.cluster.schedulers.find((s) => s.leading);

describe('the scheduling explainer after a failover', () => {
  it('between leaders: the pod is pending and nobody schedules it; the explainer reads a running standby and says so', () => {
    const h = new History(HA, UI_CLUSTER_OPTIONS);
    h.runUntil(20_000);
    expect(leader(h)).toBeUndefined();
    const v = explainPod(explainerInput(h.cluster, 'default/late'));
    expect(v.status).toBe('pending');
    expect(v.headline).toBe('Pending, and no kube-scheduler holds the Lease: nothing schedules it until one takes it.');
    // kube-scheduler-1 is off with its machine: the first running replica is explained.
    expect(v.replica).toMatchObject({ name: 'kube-scheduler-2', leading: false });
    expect(v.replica!.note).toMatch(/^No kube-scheduler holds the Lease kube-system\/kube-scheduler now: explained from kube-scheduler-2, a standby/);
    // A standby's queue holds the pod all the same (its informers run before the election, as upstream's).
    expect(v.queues.counts.activeQ).toBe(1);
    expect(v.pending?.next).toMatch(/^kube-scheduler-2 is a standby and no replica leads/);
  });

  it("once a standby leads: the pod's cycle is in the new leader's log, and the view names that replica", () => {
    const h = new History(HA, UI_CLUSTER_OPTIONS);
    h.runUntil(40_000);
    const now = leader(h)!;
    expect(['kube-scheduler-2', 'kube-scheduler-3']).toContain(now.name);
    const v = explainPod(explainerInput(h.cluster, 'default/late'));
    expect(v.status).toBe('bound');
    expect(v.cycles[0]).toMatchObject({ source: 'log', outcome: 'bound' });
    expect(now.cycleLog.some((e) => e.pod === 'default/late')).toBe(true);
    expect(v.cycles[0].at!).toBeGreaterThan(23_000);
    expect(v.cycles[0].at!).toBeLessThanOrEqual(31_800);
    expect(v.replica).toEqual({
      name: now.name,
      leading: true,
      note: `Explained from ${now.name}'s cycle log: of 3 kube-scheduler replicas, it holds the Lease kube-system/kube-scheduler and schedules.`,
    });
  });

  it('a single scheduler that leads adds no note', () => {
    const single = HA.replace('controlPlane: {etcdMembers: 3, nodes: 3}', 'controlPlane: {etcdMembers: 3}').replace('  - {at: 10s, action: powerOff, node: control-plane-1}\n', '');
    const h = new History(single, UI_CLUSTER_OPTIONS);
    h.runUntil(15_000);
    const v = explainPod(explainerInput(h.cluster, 'default/late'));
    expect(v.status).toBe('bound');
    expect(v.replica).toBeUndefined();
  });
});

describe('the store across a failover', () => {
  it("shows the leading replica's scheduler view, and steps to the new leader's first extension point", () => {
    const s = createClusterStore({ open: () => new History(HA, UI_CLUSTER_OPTIONS), start: { paused: true } });
    expect(s.getState().scheduler).toMatchObject({ name: 'kube-scheduler-1', state: 'idle' });
    s.getState().seek(20_000);
    // No leader: the view is the first replica's (stopped with its machine), not "unknown".
    expect(s.getState().scheduler).toMatchObject({ name: 'kube-scheduler-1', state: 'stopped' });
    expect(s.getState().apiserver).toBe('running');
    // The search starts on a stopped scheduler and must notice the new leader's cycle.
    s.getState().stepPoint();
    const name = s.cluster!.scheduler.name;
    expect(['kube-scheduler-2', 'kube-scheduler-3']).toContain(name);
    expect(s.getState().stopReason).toBe(`${name}: PreFilter for default/late`);
    expect(s.getState().scheduler).toMatchObject({ name, state: 'preFilter', cycle: { pod: 'default/late', point: 'preFilter' } });
    expect(s.getState().now).toBeGreaterThan(23_000);
    expect(s.getState().now).toBeLessThanOrEqual(31_800);
    expect(s.getState().selection).toEqual({ type: 'object', key: 'Pod/default/late' });
  });

  it("'next interesting event' stops at the leader change", () => {
    const s = createClusterStore({ open: () => new History(HA, UI_CLUSTER_OPTIONS), start: { paused: true } });
    s.getState().seek(12_500);
    s.getState().runToInteresting();
    // The first thing of note after 12.5 s: a Lease changing hands (both leaders were on control-plane-1).
    expect(s.getState().stopReason).toMatch(/^Leader election: control-plane-[23]_\S+ became leader of kube-system\/kube-(scheduler|controller-manager) \(transition 1\)/);
  });
});

// "Next interesting event" and the timeline's markers for what a highly
// available control plane and a cloud add: a leader change (a
// leader-election Lease taken over by a new holder, client-go's
// tryAcquireOrRenew bumping leaseTransitions) and a Node deleted because its
// cloud instance is gone (cloud-node-lifecycle-controller's DeletingNode).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../scenario/load';
import type { KubeObject } from '../../sim/api/types';
import { createCluster } from '../../sim/cluster';
import { emptyScenario } from '../../sim/model';
import { actionInteresting, changeInteresting, InterestingWatch, objectInteresting, type Interesting } from './interesting-events';
import { ObservedMarkers } from './timeline-markers';

const lease = (holder: string, transitions: number, acquired = '2026-01-01T00:01:13.837000Z', ns = 'kube-system', name = 'kube-scheduler'): KubeObject =>
  ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace: ns },
    spec: { holderIdentity: holder, leaseDurationSeconds: 15, acquireTime: acquired, renewTime: acquired, leaseTransitions: transitions },
  }) as unknown as KubeObject;

const deleting = (node: string): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${node}.1`, namespace: 'default' },
    involvedObject: { kind: 'Node', name: node },
    reason: 'DeletingNode',
    message: `Deleting node ${node} because it does not exist in the cloud provider`,
    type: 'Normal',
    count: 1,
    lastTimestamp: '2026-01-01T00:01:15Z',
  }) as unknown as KubeObject;

describe('a leader change', () => {
  it('is a Lease whose holder changed to a new one; renewals, releases, the first holder and node Leases are not', () => {
    const took = changeInteresting({ object: lease('cp-1_b', 2), prev: lease('cp-3_a', 1, '2026-01-01T00:00:20.039000Z') });
    // acquireTime 00:01:13.837 is 73.837 s after the simulation's epoch.
    expect(took).toEqual({
      kind: 'leader-change',
      id: 'leader:kube-system/kube-scheduler#2',
      subject: 'Lease kube-system/kube-scheduler',
      text: 'Leader election: cp-1_b became leader of kube-system/kube-scheduler (transition 2)',
      second: 73_837,
    });
    // A renewal: the same holder.
    expect(changeInteresting({ object: lease('cp-1_b', 2), prev: lease('cp-1_b', 2) })).toBeNull();
    // A graceful stop (ReleaseOnCancel) empties the holder: the release is not the news, the next holder is.
    expect(changeInteresting({ object: lease('', 1), prev: lease('cp-1_a', 1) })).toBeNull();
    expect(changeInteresting({ object: lease('cp-3_c', 2), prev: lease('', 1) })?.id).toBe('leader:kube-system/kube-scheduler#2');
    // The Lease created by its first holder (transitions 0) at start-up.
    expect(changeInteresting({ object: lease('cp-1_a', 0), prev: null })).toBeNull();
    // A kubelet's node Lease keeps its holder (the node's name) for ever.
    expect(changeInteresting({ object: lease('node-1', 0, undefined, 'kube-node-lease', 'node-1'), prev: lease('node-1', 0, undefined, 'kube-node-lease', 'node-1') })).toBeNull();
    // Listed whole (after a rewind), the Lease still tells its latest takeover, under the same id.
    expect(objectInteresting(lease('cp-1_b', 2))?.id).toBe(took!.id);
    expect(objectInteresting(lease('cp-1_a', 0))).toBeNull();
  });

  it("is what 'next interesting event' stops at after the leading scheduler's machine loses power", () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' } } } as KubeObject;
    const c = createCluster({ ...emptyScenario(), controlPlane: { etcdMembers: 3, nodes: 3 }, objects: [node] });
    c.runUntil(10_000);
    c.act({ action: 'powerOff', node: 'control-plane-1' });
    const watch = new InterestingWatch({
      get revision() {
        return c.revision;
      },
      eventsFrom: (r) => c.etcd.store.eventsFrom(r),
      actions: c.actions,
    });
    const found: Interesting[] = [];
    for (let t = 10_100; t <= 40_000; t += 100) {
      c.runUntil(t);
      found.push(...watch.poll());
    }
    const changes = found.filter((f) => f.kind === 'leader-change');
    // Both leaders were on control-plane-1 (the first candidates at 0 s): kube-scheduler's and kube-controller-manager's Leases change hands, once each.
    expect(changes.map((f) => f.subject).sort()).toEqual(['Lease kube-system/kube-controller-manager', 'Lease kube-system/kube-scheduler']);
    for (const f of changes) {
      expect(f.id).toMatch(/#1$/);
      expect(f.text).toMatch(/^Leader election: control-plane-[23]_\S+ became leader of kube-system\/kube-(scheduler|controller-manager) \(transition 1\)$/);
      // The record last changed at 10 s; 15 s of silence from a standby's read after it, then its next try: 25 s to 10 + 4.4 + 15 + 4.4 = 33.8 s.
      expect(f.second).toBeGreaterThanOrEqual(25_000);
      expect(f.second).toBeLessThanOrEqual(33_800);
    }
  });
});

describe('a Node deleted from the cloud', () => {
  it("is cloud-node-lifecycle-controller's DeletingNode Event", () => {
    expect(changeInteresting({ object: deleting('node-2'), prev: null })).toMatchObject({
      kind: 'node-deleted',
      subject: 'Node node-2',
      text: 'DeletingNode: Deleting node node-2 because it does not exist in the cloud provider',
      second: 75_000,
    });
  });

  it('deleteMachine is a fault, and the deletion is marked on the timeline as a node leaving', () => {
    expect(actionInteresting({ action: 'deleteMachine', node: 'node-2' }, 30_000, 'timeline', 0)).toMatchObject({ kind: 'fault', text: 'The scenario: deleteMachine node-2' });
    const m = new ObservedMarkers();
    m.observe([{ object: deleting('node-2'), prev: null }], { from: 74_000, to: 76_000 });
    // lastTimestamp 75 s: the latest it can have happened is the end of that second.
    expect(m.list()).toEqual([
      { id: 'event:default/node-2.1#1', kind: 'node-not-ready', at: 75_999, fault: false, ahead: false, label: 'DeletingNode: Deleting node node-2 because it does not exist in the cloud provider' },
    ]);
  });

  it('happens in loadbalancer-node-loss: the machine deleted at 30 s, the Node at the 75 s pass', () => {
    const text = readFileSync(new URL('../../scenario/examples/loadbalancer-node-loss.yaml', import.meta.url), 'utf8');
    const { cluster: c } = loadScenario(text);
    c.runUntil(70_000);
    const watch = new InterestingWatch({
      get revision() {
        return c.revision;
      },
      eventsFrom: (r) => c.etcd.store.eventsFrom(r),
      actions: c.actions,
    });
    c.runUntil(80_000);
    const deleted = watch.poll().filter((f) => f.kind === 'node-deleted');
    expect(deleted.map((f) => [f.subject, f.second])).toEqual([['Node node-2', 75_000]]);
  });
});

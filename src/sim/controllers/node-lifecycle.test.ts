import type { Lease } from 'kubernetes-types/coordination/v1';
import type { Event, Node, Pod, Taint } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { createCluster, type Cluster } from '../cluster';
import { microTimestamp, timestamp } from '../kernel/time';
import { DEFAULT_SETTINGS, emptyScenario, type ClusterSettings } from '../model';
import type { NodeLifecycleController } from './node-lifecycle';
import { TestHeartbeats, firstInstant } from './node-lifecycle-test-kubelet';

// Timing facts every test below leans on (default settings, cluster built at t=0):
// - the controller's loops start 100 ms after it does (WaitForCacheSync polls every 100 ms),
//   so monitor passes run at 100 ms + k*5 s: 100, 5100, 10100, ...;
// - the test heartbeats (lease renewal and Ready heartbeat) go out at 0, 10 s, 20 s, ...
//   and reach the controller's informers 1 ms later (watchDelay);
// - a node's probe time is the pass that first saw its last heartbeat, not the heartbeat itself;
// - the NoExecute tainting pass runs on a 100 ms grid from the same start; a node queued by a
//   monitor pass at T is tainted at the next tick, T + 100 ms, then one per token.

const node = (name: string, labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels } });
const pod = (name: string, nodeName: string, extra: Partial<Pod['spec']> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { nodeName, containers: [{ name: 'c', image: 'nginx' }], ...extra },
});

function setup(objects: KubeObject[], settings: Partial<ClusterSettings> = {}) {
  const cluster = createCluster({ ...emptyScenario(), settings: { ...DEFAULT_SETTINGS, ...settings }, objects });
  const client = cluster.apiserver.client('test');
  const nodeNames = objects.filter((o) => o.kind === 'Node').map((o) => o.metadata.name!);
  // The heartbeats are the test's own (TestHeartbeats), not the real kubelet's: it is stopped on every node.
  for (const n of nodeNames) cluster.act({ action: 'stopKubelet', node: n });
  const beats = new TestHeartbeats(cluster.kernel, client);
  beats.start(nodeNames);
  const getNode = (name: string) => {
    const r = client.get('Node', undefined, name);
    if (!r.ok) throw new Error(r.status.message);
    return r.object as Node;
  };
  const getPod = (name: string) => {
    const r = client.get('Pod', 'default', name);
    return r.ok ? (r.object as Pod) : undefined;
  };
  const ready = (name: string) => getNode(name).status?.conditions?.find((c) => c.type === 'Ready');
  const taints = (name: string): Taint[] => getNode(name).spec?.taints ?? [];
  const noExecute = (name: string) => taints(name).filter((t) => t.effect === 'NoExecute');
  const events = (reason: string) => {
    const r = client.list('Event');
    return r.ok ? (r.items as unknown as Event[]).filter((e) => e.reason === reason) : [];
  };
  const when = (pred: () => boolean, limit: number) => firstInstant(cluster, pred, limit);
  return { cluster, client, beats, getNode, getPod, ready, taints, noExecute, events, when };
}

const controller = (c: Cluster) => c.controllerManager.controller<NodeLifecycleController>('node-lifecycle-controller')!;

describe('node lifecycle controller: a node whose kubelet goes silent', () => {
  it('sets every condition Unknown at the first monitor pass after probe + 40 s', () => {
    const t = setup([node('node-1'), node('node-2'), node('node-3')]);
    // The last heartbeat goes out at 20 s (seen at 20.001 s); node-1's kubelet dies before the one at 30 s.
    t.cluster.runUntil(25_000);
    t.beats.stop('node-1');
    // Probe = 20.1 s (the pass that saw it). Unknown needs now > 20.1 + 40 = 60.1 s:
    // the pass at 60.1 s is not after it, the one at 65.1 s is.
    const at = t.when(() => t.ready('node-1')?.status === 'Unknown', 120_000);
    expect(at).toBe(65_100);
    const conditions = t.getNode('node-1').status!.conditions!;
    for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      expect(conditions.find((c) => c.type === type)).toMatchObject({
        status: 'Unknown',
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
        lastTransitionTime: timestamp(65_100),
        // The heartbeat stays the kubelet's last one.
        lastHeartbeatTime: timestamp(20_000),
      });
    }
    // The others kept beating.
    expect(t.ready('node-2')?.status).toBe('True');
    expect(t.events('NodeNotReady').map((e) => [e.involvedObject.name, e.message, e.source?.component])).toEqual([
      ['node-1', 'Node node-1 status is now: NodeNotReady', 'node-controller'],
    ]);
  });

  it('a longer nodeMonitorGracePeriod (50 s, the v1.32 default) moves the instant', () => {
    const t = setup([node('node-1'), node('node-2'), node('node-3')], { nodeMonitorGracePeriod: 50_000 });
    t.cluster.runUntil(25_000);
    t.beats.stop('node-1');
    // Probe 20.1 s; now > 20.1 + 50 = 70.1 s first holds at the pass at 75.1 s.
    expect(t.when(() => t.ready('node-1')?.status === 'Unknown', 120_000)).toBe(75_100);
  });

  it('taints the node unreachable: NoSchedule as soon as the condition is seen, NoExecute at the next pass', () => {
    const t = setup([node('node-1'), node('node-2'), node('node-3')]);
    t.cluster.runUntil(25_000);
    t.beats.stop('node-1');
    // Ready=Unknown written at 65.1 s reaches the Node watch at 65.101 s: the NoSchedule pass taints at once.
    const noSchedule = t.when(() => t.taints('node-1').some((x) => x.key === 'node.kubernetes.io/unreachable' && x.effect === 'NoSchedule'), 120_000);
    expect(noSchedule).toBe(65_101);
    // The NoExecute taint follows the Ready state the pass *found* (True at 65.1 s), so it is
    // queued at the pass at 70.1 s; the queue's first token is there: tainted at the next tick, 70.2 s.
    const noExecute = t.when(() => t.noExecute('node-1').length > 0, 120_000);
    expect(noExecute).toBe(70_200);
    expect(t.noExecute('node-1')).toEqual([{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: timestamp(70_200) }]);
    expect(t.taints('node-1').find((x) => x.effect === 'NoSchedule')).toEqual({ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: timestamp(65_101) });
    expect(t.noExecute('node-2')).toEqual([]);
  });

  it('taints three dead nodes 10 s apart (0.1 nodes per second), in a zone that is not disrupted', () => {
    const names = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'];
    const t = setup(names.map((n) => node(n)));
    t.cluster.runUntil(25_000);
    for (const n of ['n1', 'n2', 'n3']) t.beats.stop(n);
    // 3 of 6 not ready is 50% < 55%: the zone stays Normal. All three are Unknown at 65.1 s and queued
    // at 70.1 s; a token every 10 s (the bucket holds one): n1 at 70.2 s, n2 at 80.2 s, n3 at 90.2 s.
    const tainted = (n: string) => t.noExecute(n).length > 0;
    expect(t.when(() => tainted('n1'), 200_000)).toBe(70_200);
    expect(tainted('n2')).toBe(false);
    expect(t.when(() => tainted('n2'), 200_000)).toBe(80_200);
    expect(t.when(() => tainted('n3'), 200_000)).toBe(90_200);
    expect(['n1', 'n2', 'n3'].map((n) => t.noExecute(n)[0].timeAdded)).toEqual([timestamp(70_200), timestamp(80_200), timestamp(90_200)]);
    expect(controller(t.cluster).zones()).toEqual([{ zone: '', state: 'Normal', qps: 0.1, waiting: [] }]);
  });
});

describe('node lifecycle controller: recovery and pods', () => {
  it('heartbeats resume: Ready comes back from the kubelet, and both unreachable taints come off', () => {
    const t = setup([node('node-1'), node('node-2'), node('node-3')]);
    t.cluster.runUntil(25_000);
    t.beats.stop('node-1');
    t.cluster.runUntil(100_000);
    expect(t.taints('node-1').map((x) => `${x.key}:${x.effect}`)).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    // The kubelet is back at 100 s and posts Ready=True at once.
    t.beats.resume('node-1');
    expect(t.ready('node-1')).toMatchObject({ status: 'True', reason: 'KubeletReady', lastTransitionTime: timestamp(100_000) });
    // The NoSchedule pass sees the node at 100.001 s; the NoExecute taint goes at the next monitor pass, 100.1 s.
    expect(t.when(() => !t.taints('node-1').some((x) => x.effect === 'NoSchedule'), 120_000)).toBe(100_001);
    expect(t.noExecute('node-1')).toHaveLength(1);
    expect(t.when(() => t.noExecute('node-1').length === 0, 120_000)).toBe(100_100);
    expect(t.taints('node-1')).toEqual([]);
    // And it stays healthy.
    t.cluster.runUntil(300_000);
    expect(t.ready('node-1')?.status).toBe('True');
    expect(t.taints('node-1')).toEqual([]);
  });

  it("marks the pods of a node that stops being Ready not ready, with a Warning on each (MarkPodsNotReady)", () => {
    const t = setup([node('node-1'), node('node-2'), node('node-3'), pod('web', 'node-1'), pod('api', 'node-2')]);
    t.cluster.runUntil(1000);
    // Stand in for the kubelet: both pods are running and Ready.
    for (const name of ['web', 'api']) {
      const p = t.getPod(name)!;
      const conditions = [...(p.status?.conditions ?? []), { type: 'Ready', status: 'True', lastTransitionTime: timestamp(1000) }];
      expect(t.client.updateStatus({ ...(p as KubeObject), status: { ...p.status, phase: 'Running', conditions } }).ok).toBe(true);
    }
    t.cluster.runUntil(25_000);
    t.beats.stop('node-1');
    const at = t.when(() => t.getPod('web')?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'False', 120_000);
    // In the same pass that set the node Unknown (65.1 s).
    expect(at).toBe(65_100);
    expect(t.getPod('web')!.status!.conditions!.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', lastTransitionTime: timestamp(65_100) });
    expect(t.getPod('api')!.status!.conditions!.find((c) => c.type === 'Ready')?.status).toBe('True');
    t.cluster.runUntil(at! + 10);
    const warnings = t.events('NodeNotReady').filter((e) => e.involvedObject.kind === 'Pod');
    expect(warnings.map((e) => [e.involvedObject.name, e.type, e.message])).toEqual([['web', 'Warning', 'Node is not ready']]);
  });

  it('registers every node it finds (RegisteredNode), once per controller process', () => {
    const t = setup([node('node-1'), node('node-2')]);
    t.cluster.runUntil(99);
    expect(t.events('RegisteredNode')).toEqual([]);
    t.cluster.runUntil(100);
    const registered = t.events('RegisteredNode');
    expect(registered.map((e) => [e.involvedObject.kind, e.involvedObject.name, e.message, e.source?.component])).toEqual([
      ['Node', 'node-1', 'Node node-1 event: Registered Node node-1 in Controller', 'node-controller'],
      ['Node', 'node-2', 'Node node-2 event: Registered Node node-2 in Controller', 'node-controller'],
    ]);
    // Deleting a node is noticed at the next pass.
    t.client.delete('Node', undefined, 'node-2');
    t.cluster.runUntil(5100);
    expect(t.events('RemovingNode').map((e) => e.message)).toEqual(['Node node-2 event: Removing Node node-2 from Controller']);
  });

  it('a node that never posts status: Unknown after the 60 s startup grace, counted from its creation', () => {
    const t = setup([node('node-1'), node('node-2')]);
    t.cluster.runUntil(2000);
    // A bare Node (no kubelet behind it) created at 2 s: TaintNodesByCondition gives it not-ready:NoSchedule.
    t.cluster.act({ action: 'apply', manifests: [node('bare')] });
    t.cluster.act({ action: 'stopKubelet', node: 'bare' });
    expect(t.taints('bare')).toEqual([{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]);
    // No Ready condition maps to no taint: the NoSchedule pass lifts it as soon as it sees the node.
    expect(t.when(() => t.taints('bare').length === 0, 10_000)).toBe(2001);
    // Probe = creation (2 s); now > 2 + 60 = 62 s first at the pass at 65.1 s.
    expect(t.when(() => t.ready('bare') !== undefined, 120_000)).toBe(65_100);
    const conditions = t.getNode('bare').status!.conditions!;
    expect(conditions.map((c) => [c.type, c.status, c.reason, c.message, c.lastHeartbeatTime, c.lastTransitionTime])).toEqual(
      ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'].map((type) => [type, 'Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.', timestamp(2000), timestamp(65_100)]),
    );
    // It was never Ready, so no NodeNotReady event; and since the pass found it Unknown already (the
    // stand-in condition of a node without one), it is queued in that pass and tainted at the next tick.
    t.cluster.runUntil(65_200);
    expect(t.noExecute('bare')).toEqual([{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: timestamp(65_200) }]);
    expect(t.events('NodeNotReady')).toEqual([]);
  });

  it('lifts the registration taint of a node that registers Ready, and mirrors cordon with the unschedulable taint', () => {
    const t = setup([node('node-1')]);
    t.cluster.runUntil(3000);
    const ready = { type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: timestamp(3000), lastTransitionTime: timestamp(3000) };
    t.cluster.act({ action: 'apply', manifests: [{ ...node('node-2'), status: { conditions: [ready] } }] });
    t.cluster.act({ action: 'stopKubelet', node: 'node-2' });
    expect(t.taints('node-2')).toEqual([{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]);
    expect(t.when(() => t.taints('node-2').length === 0, 10_000)).toBe(3001);

    t.cluster.runUntil(4000);
    t.cluster.act({ action: 'cordon', node: 'node-1' });
    expect(t.when(() => t.taints('node-1').length > 0, 10_000)).toBe(4001);
    expect(t.taints('node-1')).toEqual([{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: timestamp(4001) }]);
    t.cluster.act({ action: 'uncordon', node: 'node-1' });
    expect(t.when(() => t.taints('node-1').length === 0, 10_000)).toBe(4002);
  });

  it('reads the lease as a heartbeat on its own: a kubelet that only renews its lease stays Ready', () => {
    const t = setup([node('node-1'), node('node-2')]);
    t.beats.stopAll();
    // Renew node-1's lease every 10 s by hand; node-2 gets nothing at all.
    const client = t.client;
    const renew = () => {
      const l = client.get('Lease', 'kube-node-lease', 'node-1');
      const lease = l.ok ? (l.object as Lease & KubeObject) : undefined;
      const spec = { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: microTimestamp(t.cluster.now) };
      if (lease) client.update({ ...lease, spec });
      else client.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'node-1', namespace: 'kube-node-lease' }, spec });
    };
    for (let s = 0; s <= 120; s += 10) {
      t.cluster.runUntil(s * 1000);
      renew();
    }
    t.cluster.runUntil(121_000);
    expect(t.ready('node-1')?.status).toBe('True');
    // node-2: first seen at 0.1 s (probe then), Unknown at the first pass after 40.1 s: 45.1 s.
    expect(t.ready('node-2')).toMatchObject({ status: 'Unknown', lastTransitionTime: timestamp(45_100) });
  });
});

describe('node lifecycle controller: zones and disruption', () => {
  const zoneA = { 'topology.kubernetes.io/region': 'r1', 'topology.kubernetes.io/zone': 'zone-a' };
  const zoneB = { 'topology.kubernetes.io/region': 'r1', 'topology.kubernetes.io/zone': 'zone-b' };
  const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(2, '0')}`);

  it('a large zone (over 50 nodes) with at least 55% of its nodes down is tainted at the secondary rate, 0.01 nodes/s', () => {
    const all = names('z', 60);
    const t = setup(all.map((n) => node(n, zoneA)));
    t.cluster.runUntil(25_000);
    const dead = all.slice(0, 34);
    for (const n of dead) t.beats.stop(n);
    // 34 of 60 = 56.7% >= 55% and more than 2: PartialDisruption at the pass at 65.1 s, and 60 > 50,
    // so the rate drops to 0.01/s (the old bucket still had its token, so the new one starts full).
    // Queued at 70.1 s: the first node at 70.2 s, the next one token (100 s) later, at 170.2 s.
    const taintedCount = () => dead.filter((n) => t.noExecute(n).length > 0).length;
    expect(t.when(() => taintedCount() === 1, 300_000)).toBe(70_200);
    expect(t.noExecute('z-01')).toHaveLength(1);
    expect(controller(t.cluster).zones()).toMatchObject([{ zone: 'r1:\u0000:zone-a', state: 'PartialDisruption', qps: 0.01 }]);
    expect(t.when(() => taintedCount() === 2, 300_000)).toBe(170_200);
    expect(t.noExecute('z-02')).toHaveLength(1);
  });

  it('a small zone (50 nodes or fewer) in partial disruption is not tainted at all', () => {
    const all = names('s', 10);
    const t = setup(all.map((n) => node(n, zoneA)));
    t.cluster.runUntil(25_000);
    // 6 of 10 down: 60% >= 55% and more than 2, a zone of 10 <= 50 nodes: rate 0.
    for (const n of all.slice(0, 6)) t.beats.stop(n);
    t.cluster.runUntil(300_000);
    expect(all.slice(0, 6).map((n) => t.ready(n)?.status)).toEqual(Array(6).fill('Unknown'));
    expect(all.flatMap((n) => t.noExecute(n))).toEqual([]);
    // The NoSchedule taint follows the condition regardless.
    expect(all.slice(0, 6).every((n) => t.taints(n).some((x) => x.key === 'node.kubernetes.io/unreachable' && x.effect === 'NoSchedule'))).toBe(true);
    expect(controller(t.cluster).zones()).toMatchObject([{ state: 'PartialDisruption', qps: 0 }]);
  });

  it('every zone fully disrupted: no NoExecute taints ("master disruption mode"), and pods stay; back to normal when nodes return', () => {
    const all = ['node-1', 'node-2', 'node-3'];
    const t = setup([...all.map((n) => node(n)), pod('web', 'node-1')]);
    t.cluster.runUntil(25_000);
    for (const n of all) t.beats.stop(n);
    t.cluster.runUntil(600_000);
    expect(all.map((n) => t.ready(n)?.status)).toEqual(['Unknown', 'Unknown', 'Unknown']);
    expect(all.flatMap((n) => t.noExecute(n))).toEqual([]);
    expect(controller(t.cluster).zones()).toMatchObject([{ zone: '', state: 'FullDisruption', qps: 0 }]);
    // The pod's 300 s toleration would have run out long ago: nothing evicted it.
    expect(t.getPod('web')?.metadata?.deletionTimestamp).toBeUndefined();

    // One node returns at 600 s: the zone is Normal again... (1 of 3 ready, 2 not: not more than 2)
    t.beats.resume('node-1');
    t.cluster.runUntil(605_100);
    expect(controller(t.cluster).zones()).toMatchObject([{ state: 'Normal', qps: 0.1 }]);
    // ...leaving disruption mode at the pass at 600.1 s swaps the zone's limiter from "never" to
    // 0.1/s, and a bucket swapped in for an empty one starts empty: the two still silent (queued all
    // along) wait for the first token, at 600.1 + 10 = 610.1 s. That instant is a monitor pass's, so the
    // tainting pass runs at the tick after it, 610.2 s; the next token 10 s after that, 620.2 s.
    expect(t.noExecute('node-2')).toEqual([]);
    expect(t.when(() => t.noExecute('node-2').length > 0, 700_000)).toBe(610_200);
    expect(t.when(() => t.noExecute('node-3').length > 0, 700_000)).toBe(620_200);
  });

  it('one zone fully down while another is healthy: that zone is tainted at the normal rate', () => {
    const a = names('a', 3);
    const b = names('b', 3);
    const t = setup([...a.map((n) => node(n, zoneA)), ...b.map((n) => node(n, zoneB))]);
    t.cluster.runUntil(25_000);
    for (const n of a) t.beats.stop(n);
    // zone-a is FullDisruption, zone-b Normal: not all zones are down, so zone-a keeps 0.1/s.
    expect(t.when(() => t.noExecute('a-01').length > 0, 200_000)).toBe(70_200);
    expect(t.when(() => t.noExecute('a-02').length > 0, 200_000)).toBe(80_200);
    expect(t.when(() => t.noExecute('a-03').length > 0, 200_000)).toBe(90_200);
    expect(controller(t.cluster).zones().map((z) => [z.zone, z.state, z.qps])).toEqual([
      ['r1:\u0000:zone-a', 'FullDisruption', 0.1],
      ['r1:\u0000:zone-b', 'Normal', 0.1],
    ]);
  });
});

describe('node lifecycle controller: not-ready versus unreachable', () => {
  it('Ready=False from the kubelet gives not-ready taints; when it then falls silent they swap to unreachable at once', () => {
    const t = setup([node('node-1'), node('node-2'), node('node-3'), pod('web', 'node-1')]);
    t.cluster.runUntil(25_000);
    // The kubelet reports NotReady at 25 s (and at 30 s, 40 s), then dies before 50 s.
    t.beats.setReady('node-1', false);
    expect(t.when(() => t.taints('node-1').some((x) => x.key === 'node.kubernetes.io/not-ready' && x.effect === 'NoSchedule'), 60_000)).toBe(25_001);
    // The pass at 25.1 s finds Ready=False and queues it; tainted at the next tick.
    expect(t.when(() => t.noExecute('node-1').length > 0, 60_000)).toBe(25_200);
    expect(t.noExecute('node-1')).toEqual([{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: timestamp(25_200) }]);
    // The kubelet said so itself: no NodeNotReady event from the node controller, and its pods are its own business.
    expect(t.events('NodeNotReady')).toEqual([]);

    t.cluster.runUntil(45_000);
    t.beats.stop('node-1');
    // Last heartbeat 40 s, probe 40.1 s: Unknown at the pass at 85.1 s; the NoSchedule taint swaps when that is seen.
    expect(t.when(() => t.ready('node-1')?.status === 'Unknown', 200_000)).toBe(85_100);
    expect(t.when(() => t.taints('node-1').some((x) => x.key === 'node.kubernetes.io/unreachable' && x.effect === 'NoSchedule'), 200_000)).toBe(85_101);
    // The next pass finds Unknown on a not-ready-tainted node: swapped at once, not through the rate limiter.
    expect(t.when(() => t.noExecute('node-1').some((x) => x.key === 'node.kubernetes.io/unreachable'), 200_000)).toBe(90_100);
    expect(t.taints('node-1').map((x) => `${x.key}:${x.effect}`)).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    // The taint eviction controller keeps the deletion it scheduled when not-ready appeared
    // (25.201 s + 300 s), since the pod tolerates the new taint for as long.
    expect(t.when(() => t.getPod('web')?.metadata?.deletionTimestamp !== undefined, 400_000)).toBe(325_201);
  });
});

describe('node lifecycle controller: determinism', () => {
  it('the same scenario and the same actions give the same state', () => {
    const run = () => {
      const t = setup([node('node-1', { 'topology.kubernetes.io/zone': 'a' }), node('node-2', { 'topology.kubernetes.io/zone': 'b' }), node('node-3'), pod('web', 'node-1')]);
      t.cluster.runUntil(25_000);
      t.beats.stop('node-1');
      t.cluster.runUntil(200_000);
      t.beats.resume('node-1');
      t.cluster.runUntil(400_000);
      return t.cluster.stateHash();
    };
    expect(run()).toBe(run());
  });
});

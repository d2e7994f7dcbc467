import type { Event, Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { createCluster } from '../cluster';
import { timestamp } from '../kernel/time';
import { emptyScenario } from '../model';
import { TestHeartbeats, firstInstant } from './node-lifecycle-test-kubelet';
import { matchingTolerations, minTolerationTime, type TaintEvictionController } from './taint-eviction';

// Instants (default settings, cluster built at t=0), worked out in node-lifecycle.test.ts:
// heartbeats every 10 s from 0; node-1's kubelet dies after the one at 20 s; the node lifecycle
// controller sets it Unknown at 65.1 s and taints it node.kubernetes.io/unreachable:NoExecute at
// 70.2 s (timeAdded 70 s, the second-precision timestamp of 70.2 s). The taint eviction controller
// sees the taint 1 ms later (the watch delay), at 70.201 s, and counts tolerationSeconds from then.
const TAINTED = 70_200;
const SEEN = TAINTED + 1;

const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
const pod = (name: string, nodeName: string, tolerations?: Toleration[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { nodeName, containers: [{ name: 'c', image: 'nginx' }], ...(tolerations ? { tolerations } : {}) },
});
const unreachableFor = (seconds?: number): Toleration => ({
  key: 'node.kubernetes.io/unreachable',
  operator: 'Exists',
  effect: 'NoExecute',
  ...(seconds !== undefined ? { tolerationSeconds: seconds } : {}),
});

function setup(objects: KubeObject[]) {
  const cluster = createCluster({ ...emptyScenario(), objects });
  // The scheduler plays no part here (every pod is bound from the start).
  cluster.act({ action: 'stopComponent', component: 'kube-scheduler' });
  const client = cluster.apiserver.client('test');
  const nodeNames = objects.filter((o) => o.kind === 'Node').map((o) => o.metadata.name!);
  // The heartbeats are the test's own (TestHeartbeats), not the real kubelet's: it is stopped on every node.
  for (const n of nodeNames) cluster.act({ action: 'stopKubelet', node: n });
  const beats = new TestHeartbeats(cluster.kernel, client);
  beats.start(nodeNames);
  const getPod = (name: string) => {
    const r = client.get('Pod', 'default', name);
    return r.ok ? (r.object as Pod) : undefined;
  };
  const deleting = (name: string) => getPod(name)?.metadata?.deletionTimestamp !== undefined;
  const events = (reason: string) => {
    const r = client.list('Event');
    return r.ok ? (r.items as unknown as Event[]).filter((e) => e.reason === reason).map((e) => e.message) : [];
  };
  const when = (pred: () => boolean, limit: number) => firstInstant(cluster, pred, limit);
  const taintNode = (name: string, taints: Taint[]) => {
    const n = client.get('Node', undefined, name);
    if (!n.ok) throw new Error(n.status.message);
    const cur = (n.object as Node).spec?.taints ?? [];
    expect(client.patch('Node', undefined, name, { spec: { taints: [...cur, ...taints] } }).ok).toBe(true);
  };
  const untaintNode = (name: string, key: string) => {
    const n = client.get('Node', undefined, name);
    if (!n.ok) throw new Error(n.status.message);
    const rest = ((n.object as Node).spec?.taints ?? []).filter((t) => t.key !== key);
    expect(client.patch('Node', undefined, name, { spec: { taints: rest.length ? rest : null } }).ok).toBe(true);
  };
  return { cluster, client, beats, getPod, deleting, events, when, taintNode, untaintNode };
}

describe('taint eviction controller: pods on an unreachable node', () => {
  it('deletes each pod when its toleration runs out: 300 s by default, at once for 0 s, never without tolerationSeconds', () => {
    const t = setup([
      node('node-1'),
      node('node-2'),
      node('node-3'),
      // DefaultTolerationSeconds admission gives "web" not-ready and unreachable for 300 s.
      pod('web', 'node-1'),
      pod('short', 'node-1', [unreachableFor(60)]),
      pod('now', 'node-1', [unreachableFor(0)]),
      pod('forever', 'node-1', [unreachableFor()]),
      pod('elsewhere', 'node-2'),
    ]);
    expect(t.getPod('web')!.spec!.tolerations).toContainEqual(unreachableFor(300));
    t.cluster.runUntil(25_000);
    t.beats.stop('node-1');

    // tolerationSeconds 0 (or less) is no toleration time at all: deleted when the taint is seen.
    expect(t.when(() => t.deleting('now'), 400_000)).toBe(SEEN);
    // 60 s: 70.201 + 60 = 130.201 s.
    expect(t.when(() => t.deleting('short'), 400_000)).toBe(SEEN + 60_000);
    // 300 s: 70.201 + 300 = 370.201 s, i.e. 300 s after the taint's timeAdded plus the watch's millisecond.
    expect(t.when(() => t.deleting('web'), 400_000)).toBe(SEEN + 300_000);

    const web = t.getPod('web')!;
    // Deleted with the pod's own grace period (30 s): the kubelet is dead, so it stays Terminating.
    expect(web.metadata).toMatchObject({ deletionGracePeriodSeconds: 30, deletionTimestamp: timestamp(SEEN + 300_000 + 30_000) });
    expect(web.status!.conditions!.find((c) => c.type === 'DisruptionTarget')).toEqual({
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'DeletionByTaintManager',
      message: 'Taint manager: deleting due to NoExecute taint',
      lastTransitionTime: timestamp(SEEN + 300_000),
    });
    t.cluster.runUntil(SEEN + 300_010);
    expect(t.events('TaintManagerEviction')).toEqual(['Marking for deletion Pod default/now', 'Marking for deletion Pod default/short', 'Marking for deletion Pod default/web']);
    const r = t.client.list('Event');
    expect(r.ok && (r.items as unknown as Event[]).find((e) => e.reason === 'TaintManagerEviction')?.source?.component).toBe('taint-eviction-controller');

    // Tolerating forever, or on a healthy node: still there ten minutes on.
    t.cluster.runUntil(700_000);
    expect(t.deleting('forever')).toBe(false);
    expect(t.deleting('elsewhere')).toBe(false);
  });

  it('cancels the pending deletions when the node is reachable again', () => {
    const t = setup([node('node-1'), node('node-2'), node('node-3'), pod('web', 'node-1'), pod('api', 'node-1')]);
    t.cluster.runUntil(25_000);
    t.beats.stop('node-1');
    t.cluster.runUntil(TAINTED + 10);
    const te = t.cluster.controllerManager.controller<TaintEvictionController>('taint-eviction-controller')!;
    expect(te.scheduledEvictions()).toEqual([
      { key: 'default/api', fireAt: SEEN + 300_000 },
      { key: 'default/web', fireAt: SEEN + 300_000 },
    ]);
    // The kubelet is back at 200 s; the node lifecycle controller lifts the NoExecute taint at the
    // pass at 200.1 s and the taint eviction controller calls the deletions off at 200.101 s.
    t.cluster.runUntil(200_000);
    t.beats.resume('node-1');
    expect(t.when(() => te.scheduledEvictions().length === 0, 300_000)).toBe(200_101);
    t.cluster.runUntil(200_110);
    expect(t.events('TaintManagerEviction')).toEqual(['Cancelling deletion of Pod default/api', 'Cancelling deletion of Pod default/web']);
    t.cluster.runUntil(600_000);
    expect(t.deleting('web')).toBe(false);
    expect(t.deleting('api')).toBe(false);
  });

  it('a restarted kube-controller-manager starts the countdown again (upstream kubernetes#108268)', () => {
    const t = setup([node('node-1'), node('node-2'), node('node-3'), pod('web', 'node-1')]);
    t.cluster.runUntil(25_000);
    t.beats.stop('node-1');
    t.cluster.runUntil(150_000);
    t.cluster.act({ action: 'stopComponent', component: 'kube-controller-manager' });
    t.cluster.runUntil(160_000);
    t.cluster.act({ action: 'startComponent', component: 'kube-controller-manager' });
    // The new process first waits out its predecessor's Lease (not released on stop): 15 s from its first
    // read at 160 s, at its first retry from 175 s on (retries 2 s to 4.4 s apart), so it leads at L in [175, 179.4) s.
    const leads = t.when(() => t.cluster.controllerManager.leading, 200_000) ?? Number.NaN;
    expect(leads).toBeGreaterThanOrEqual(175_000);
    expect(leads).toBeLessThan(179_400);
    // Its first pass (L + 0.1 s) treats node-1 as new: it lifts the NoExecute taint (markNodeAsReachable),
    // queues the still-Unknown node again, and taints it at L + 0.2 s with a new timeAdded. The new taint
    // eviction controller counts 300 s from seeing that: L + 0.201 s + 300 s.
    expect(t.when(() => t.deleting('web'), 700_000)).toBe(leads + 300_201);
  });
});

describe('taint eviction controller: any NoExecute taint', () => {
  it('deletes at once the pods that do not tolerate a NoExecute taint, and keeps those that do', () => {
    const t = setup([
      node('node-1'),
      pod('plain', 'node-1'),
      pod('tolerant', 'node-1', [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoExecute' }]),
      pod('for-a-while', 'node-1', [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 20 }]),
      pod('wrong-value', 'node-1', [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoExecute' }]),
    ]);
    t.cluster.runUntil(10_000);
    t.taintNode('node-1', [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }]);
    // The node update reaches the controller at 10.001 s.
    expect(t.when(() => t.deleting('plain'), 60_000)).toBe(10_001);
    expect(t.deleting('wrong-value')).toBe(true);
    expect(t.deleting('tolerant')).toBe(false);
    expect(t.deleting('for-a-while')).toBe(false);
    expect(t.when(() => t.deleting('for-a-while'), 60_000)).toBe(30_001);
    t.cluster.runUntil(60_000);
    expect(t.deleting('tolerant')).toBe(false);
  });

  it('with several NoExecute taints the pod must tolerate them all, and the shortest tolerationSeconds wins', () => {
    const t = setup([
      node('node-1'),
      // Tolerates "dedicated" forever and "maintenance" for 40 s: deleted after 40 s.
      pod('both', 'node-1', [
        { key: 'dedicated', operator: 'Exists', effect: 'NoExecute' },
        { key: 'maintenance', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 40 },
      ]),
      // Tolerates only "dedicated": deleted at once.
      pod('one', 'node-1', [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }]),
    ]);
    t.cluster.runUntil(10_000);
    t.taintNode('node-1', [
      { key: 'dedicated', value: 'db', effect: 'NoExecute' },
      { key: 'maintenance', effect: 'NoExecute' },
    ]);
    expect(t.when(() => t.deleting('one'), 100_000)).toBe(10_001);
    expect(t.when(() => t.deleting('both'), 100_000)).toBe(50_001);
  });

  it('removing the taint calls off a pending deletion; a pod bound to a tainted node is judged when it arrives', () => {
    const t = setup([node('node-1'), pod('waiting', 'node-1', [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 100 }])]);
    t.cluster.runUntil(10_000);
    t.taintNode('node-1', [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }]);
    t.cluster.runUntil(50_000);
    t.untaintNode('node-1', 'dedicated');
    t.cluster.runUntil(50_010);
    expect(t.events('TaintManagerEviction')).toEqual(['Cancelling deletion of Pod default/waiting']);
    t.cluster.runUntil(200_000);
    expect(t.deleting('waiting')).toBe(false);

    // Tainted again at 200 s; a pod created on the node at 210 s, not tolerating it, goes at once
    // (210.001 s, when its ADDED event arrives); the waiting pod's 100 s count from 200.001 s.
    t.taintNode('node-1', [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }]);
    t.cluster.runUntil(210_000);
    expect(t.client.create(pod('late', 'node-1')).ok).toBe(true);
    expect(t.when(() => t.deleting('late'), 400_000)).toBe(210_001);
    expect(t.when(() => t.deleting('waiting'), 400_000)).toBe(300_001);
  });
});

describe('taint eviction controller: the first list', () => {
  it('judges the pods listed with a node that has NoExecute taints from the start, each once', () => {
    const tainted: KubeObject = { ...node('node-1'), spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }] } };
    // node-2 has no taints: its pods arrive while no node is tainted yet (node-1's update still queued) and stay.
    const t = setup([
      tainted,
      node('node-2'),
      pod('plain', 'node-1'),
      pod('tolerant', 'node-1', [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }]),
      pod('elsewhere', 'node-2'),
    ]);
    t.cluster.runUntil(60_000);
    expect(t.deleting('plain')).toBe(true);
    expect(t.deleting('tolerant')).toBe(false);
    expect(t.deleting('elsewhere')).toBe(false);
    expect(t.events('TaintManagerEviction')).toEqual(['Marking for deletion Pod default/plain']);
  });

  it('a pod that arrives while the first NoExecute taint of its node waits in the queue is judged by both updates', () => {
    const t = setup([node('node-1')]);
    t.cluster.runUntil(10_000);
    // Both reach the controller at 10.001 s, the node first; the queue runs after both.
    t.taintNode('node-1', [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }]);
    expect(t.client.create(pod('late', 'node-1')).ok).toBe(true);
    expect(t.when(() => t.deleting('late'), 60_000)).toBe(10_001);
    // The node's update finds the pod in the index and deletes it; the pod's own update then deletes it again
    // (the done work is forgotten and added anew, as upstream's processPodOnNode does).
    const r = t.client.list('Event');
    const marks = r.ok ? (r.items as unknown as Event[]).filter((e) => e.reason === 'TaintManagerEviction') : [];
    // One Event, counted twice by the recorder's correlation.
    expect(marks.map((e) => [e.message, e.count])).toEqual([['Marking for deletion Pod default/late', 2]]);
  });
});

describe('taint eviction helpers (upstream GetMatchingTolerations, getMinTolerationTime)', () => {
  const taint = (key: string): Taint => ({ key, effect: 'NoExecute' });
  it('uses the first toleration that tolerates each taint', () => {
    const a: Toleration = { key: 'a', operator: 'Exists', tolerationSeconds: 10 };
    const any: Toleration = { operator: 'Exists' };
    expect(matchingTolerations([taint('a'), taint('b')], [a, any])).toEqual({ all: true, used: [a, any] });
    expect(matchingTolerations([taint('a'), taint('b')], [a])).toEqual({ all: false, used: [] });
    expect(matchingTolerations([], undefined)).toEqual({ all: true, used: [] });
  });
  it('takes the smallest tolerationSeconds; none set means forever (-1); zero or negative means now', () => {
    expect(minTolerationTime([{ tolerationSeconds: 300 }, { tolerationSeconds: 60 }, {}])).toBe(60_000);
    expect(minTolerationTime([{}, {}])).toBe(-1);
    expect(minTolerationTime([{ tolerationSeconds: 300 }, { tolerationSeconds: -5 }])).toBe(0);
    expect(minTolerationTime([])).toBe(0);
  });
});

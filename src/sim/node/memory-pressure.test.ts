import { describe, expect, it } from 'vitest';
import type { NodeCondition, Pod } from 'kubernetes-types/core/v1';
import type { KubeObject, Node } from '../api/types';
import type { Cluster } from '../cluster';
import { virtualMs } from '../kernel/time';
// The timeline verbs are read by src/scenario: this test checks that the new ones parse.
import { loadScenario } from '../../scenario/load';
import { ScenarioError } from '../../scenario/problems';
import { cluster, getPod, node, pod, recordEvents, times } from './testing';

const MEMORY_PRESSURE_TAINT = 'node.kubernetes.io/memory-pressure';

function nodeOf(c: Cluster, name: string): Node {
  const r = c.apiserver.client('test').get('Node', undefined, name);
  if (!r.ok) throw new Error(r.status.message);
  return r.object as Node;
}
const memoryCondition = (c: Cluster, name = 'node-1'): NodeCondition | undefined => nodeOf(c, name).status?.conditions?.find((x) => x.type === 'MemoryPressure');
const taints = (c: Cluster, name = 'node-1') => (nodeOf(c, name).spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);
const secondOf = (stamp: string | undefined) => (stamp ? virtualMs(stamp) / 1000 : NaN);

/** A pod bound to node-1 from the start: BestEffort unless it requests something. */
const bound = (name: string, o: Parameters<typeof pod>[1] = {}) => pod(name, { node: 'node-1', ...o });

const AVAILABLE = 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 45248Ki. ';

describe('node fault fillMemory: the kubelet under memory pressure', () => {
  it('MemoryPressure=True at the next status sync, the taint follows, and one pod is evicted per 10 s cycle in rankMemoryPressure order', () => {
    const c = cluster([
      node('node-1'),
      // Burstable, assumed to use exactly its request: it does not exceed it, so it goes last.
      bound('burst', { requests: { memory: '100Mi' } }),
      // BestEffort, use unknown: taken to exceed its zero request.
      bound('be'),
      // BestEffort using 300Mi: exceeds, and by the most (300Mi above 0), so it goes first.
      bound('hog', { behavior: { app: { memory: '300Mi' } } }),
    ]);
    const events = recordEvents(c);
    c.runUntil(15_000);
    c.act({ action: 'fillMemory', node: 'node-1' });
    c.runUntil(19_000);
    // The eviction manager and the status loop run at 0, 10, 20 s: nothing seen before 20 s.
    expect(memoryCondition(c)?.status).toBe('False');
    c.runUntil(21_000);
    const cond = memoryCondition(c)!;
    expect(cond).toMatchObject({ status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' });
    expect(secondOf(cond.lastTransitionTime)).toBe(20);
    expect(events.find((e) => e.reason === 'NodeHasInsufficientMemory')?.message).toBe('Node node-1 status is now: NodeHasInsufficientMemory');
    expect(events.find((e) => e.reason === 'EvictionThresholdMet')).toMatchObject({ type: 'Warning', message: 'Attempting to reclaim memory' });

    // hog first, at 20 s: Failed/Evicted at once, with upstream's message and the DisruptionTarget condition.
    const hog = getPod(c, 'hog')!;
    const hogMessage = `${AVAILABLE}Container app was using 300Mi, request is 0, has larger consumption of memory. `;
    expect(hog.status).toMatchObject({ phase: 'Failed', reason: 'Evicted', message: hogMessage });
    expect(hog.status?.conditions?.find((x) => x.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'TerminationByKubelet', message: hogMessage });
    expect(events.find((e) => e.reason === 'Evicted' && e.object === 'hog')).toMatchObject({ type: 'Warning', message: hogMessage });

    // The node lifecycle controller turns the condition into the NoSchedule taint (its monitor runs every 5 s).
    c.runUntil(26_000);
    expect(taints(c)).toContain(`${MEMORY_PRESSURE_TAINT}:NoSchedule`);
    // Killed with the hard threshold's 1 s, raised to killContainer's 2 s minimum: SIGKILL (137) at 22 s.
    expect(getPod(c, 'hog')?.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(137);
    expect(getPod(c, 'be')?.status?.phase).toBe('Running');

    c.runUntil(45_000);
    // One per cycle: hog at 20 s, be at 30 s, burst at 40 s (the watch sees each write 1 ms later).
    expect(times(events, 'Evicted')).toEqual([20_001, 30_001, 40_001]);
    expect(events.filter((e) => e.reason === 'Evicted').map((e) => e.object)).toEqual(['hog', 'be', 'burst']);
    expect(getPod(c, 'be')?.status?.message).toBe(AVAILABLE);
    expect(getPod(c, 'burst')?.status).toMatchObject({ phase: 'Failed', reason: 'Evicted', message: AVAILABLE });
  });

  it('never evicts a critical pod (priority >= 2000000000)', () => {
    const critical = bound('agent');
    (critical as KubeObject & { spec: Pod['spec'] }).spec!.priorityClassName = 'system-node-critical';
    const c = cluster([node('node-1'), critical, bound('be')]);
    const events = recordEvents(c);
    c.runUntil(5_000);
    c.act({ action: 'fillMemory', node: 'node-1' });
    c.runUntil(60_000);
    // Both are BestEffort; only be goes (at the first synchronize after the fault, 10 s), and nothing after.
    expect(events.filter((e) => e.reason === 'Evicted').map((e) => [e.object, e.t])).toEqual([['be', 10_001]]);
    expect(getPod(c, 'be')?.status).toMatchObject({ phase: 'Failed', reason: 'Evicted', message: AVAILABLE });
    expect(getPod(c, 'agent')?.spec?.priority).toBe(2_000_001_000);
    expect(getPod(c, 'agent')?.status?.phase).toBe('Running');
  });

  it('admission under memory pressure rejects BestEffort pods unless they tolerate the memory-pressure taint', () => {
    const c = cluster([node('node-1')]);
    const events = recordEvents(c);
    c.act({ action: 'fillMemory', node: 'node-1' });
    c.runUntil(1_000);
    const kubectl = c.apiserver.client('test');
    const tolerant = bound('tolerant');
    (tolerant as KubeObject & { spec: Pod['spec'] }).spec!.tolerations = [{ key: MEMORY_PRESSURE_TAINT, operator: 'Exists', effect: 'NoSchedule' }];
    for (const p of [bound('besteffort'), bound('burstable', { requests: { memory: '64Mi' } }), tolerant]) expect(kubectl.create(p).ok).toBe(true);
    // Before the next synchronize (10 s), which would evict one of those admitted; the image pull takes a few seconds.
    c.runUntil(9_500);
    expect(getPod(c, 'besteffort')?.status).toMatchObject({ phase: 'Failed', reason: 'Evicted', message: 'Pod was rejected: The node had condition: [MemoryPressure]. ' });
    expect(events.find((e) => e.object === 'besteffort' && e.reason === 'Evicted')?.message).toBe('The node had condition: [MemoryPressure]. ');
    expect(getPod(c, 'burstable')?.status?.phase).toBe('Running');
    expect(getPod(c, 'tolerant')?.status?.phase).toBe('Running');
  });

  it('kube-scheduler avoids the tainted node for pods without the toleration', () => {
    const c = cluster([node('node-1'), node('node-2')]);
    c.act({ action: 'fillMemory', node: 'node-1' });
    c.runUntil(10_000);
    expect(taints(c)).toContain(`${MEMORY_PRESSURE_TAINT}:NoSchedule`);
    const kubectl = c.apiserver.client('test');
    for (let i = 0; i < 4; i++) kubectl.create(pod(`p${i}`, { requests: { cpu: '100m', memory: '64Mi' } }));
    c.runUntil(20_000);
    expect([0, 1, 2, 3].map((i) => getPod(c, `p${i}`)?.spec?.nodeName)).toEqual(['node-2', 'node-2', 'node-2', 'node-2']);
  });

  it("the Deployment's ReplicaSet replaces the evicted pod, and the replacement runs on the other node", () => {
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
      },
    };
    const c = cluster([node('node-1'), node('node-2'), deployment]);
    c.runUntil(15_000);
    const webPods = () => {
      const r = c.apiserver.client('test').list('Pod', { namespace: 'default' });
      return r.ok ? (r.items as Pod[]) : [];
    };
    const first = webPods()[0];
    const filled = first.spec!.nodeName!;
    const other = filled === 'node-1' ? 'node-2' : 'node-1';
    c.act({ action: 'fillMemory', node: filled });
    c.runUntil(90_000);
    expect(getPod(c, first.metadata!.name!)?.status).toMatchObject({ phase: 'Failed', reason: 'Evicted' });
    const running = webPods().filter((p) => p.status?.phase === 'Running');
    expect(running).toHaveLength(1);
    expect(running[0].spec?.nodeName).toBe(other);
    expect(running[0].metadata?.ownerReferences?.[0]?.kind).toBe('ReplicaSet');
  });

  it('freeMemory: evictions stop, and MemoryPressure=False (and no taint) once the 5 minute transition period has passed', () => {
    const c = cluster([node('node-1'), ...[1, 2, 3, 4, 5, 6].map((i) => bound(`be-${i}`))]);
    const events = recordEvents(c);
    c.runUntil(15_000);
    c.act({ action: 'fillMemory', node: 'node-1' });
    c.runUntil(65_000);
    c.act({ action: 'freeMemory', node: 'node-1' });
    // Evictions at 20, 30, 40, 50, 60 s; none at 70 s, when the threshold is no longer met.
    c.runUntil(350_000);
    expect(times(events, 'Evicted')).toEqual([20_001, 30_001, 40_001, 50_001, 60_001]);
    expect(getPod(c, 'be-6')?.status?.phase).toBe('Running');
    // Last observed at 60 s: still reported at 350 s (290 s < 300 s) ...
    expect(memoryCondition(c)?.status).toBe('True');
    expect(taints(c)).toContain(`${MEMORY_PRESSURE_TAINT}:NoSchedule`);
    // ... and False from the synchronize at 360 s (300 s without pressure), posted by the status sync of that instant.
    c.runUntil(361_000);
    const cond = memoryCondition(c)!;
    expect(cond).toMatchObject({ status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' });
    expect(secondOf(cond.lastTransitionTime)).toBe(360);
    expect(events.find((e) => e.reason === 'NodeHasSufficientMemory')?.message).toBe('Node node-1 status is now: NodeHasSufficientMemory');
    c.runUntil(370_000);
    expect(taints(c)).not.toContain(`${MEMORY_PRESSURE_TAINT}:NoSchedule`);
  });

  it('machines list a filled node as faulted until freeMemory', () => {
    const c = cluster([node('node-1')]);
    c.act({ action: 'fillMemory', node: 'node-1' });
    expect(c.machines.faulted().map(([n, s]) => [n, s.memoryPressure])).toEqual([['node-1', true]]);
    c.act({ action: 'freeMemory', node: 'node-1' });
    expect(c.machines.faulted()).toEqual([]);
  });
});

describe('fillMemory and freeMemory in a scenario timeline', () => {
  const HEAD = `apiVersion: v1
kind: Node
metadata: {name: node-1}
---
apiVersion: kubeviz.dev/v1alpha1
kind: Scenario
metadata: {name: t}
spec:
  timeline:
`;

  it('parses and runs: MemoryPressure=True at the status sync after the fault', () => {
    const { cluster: c, parsed } = loadScenario(`${HEAD}  - {at: 25s, action: fillMemory, node: node-1}\n  - {at: 1m, action: freeMemory, node: node-1}\n`);
    expect(parsed.model.timeline).toEqual([
      { at: 25_000, action: 'fillMemory', node: 'node-1' },
      { at: 60_000, action: 'freeMemory', node: 'node-1' },
    ]);
    c.runUntil(29_000);
    expect(memoryCondition(c)?.status).toBe('False');
    c.runUntil(31_000);
    expect(memoryCondition(c)?.status).toBe('True');
  });

  it('a fillMemory without node is the usual field-path error', () => {
    let problems: ScenarioError['problems'] = [];
    try {
      loadScenario(`${HEAD}  - {at: 25s, action: fillMemory}\n`);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      problems = e.problems;
    }
    expect(problems.map((p) => [p.field, p.message])).toEqual([['spec.timeline[0].node', 'Required value: fillMemory needs node']]);
    expect(problems[0].line).toBe(10);
  });
});
